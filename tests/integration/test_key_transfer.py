"""The pseudonym key travels only as its owner chooses (#14): `anonymise key show/export/merge`.

A team merge never reads a key; `key merge` takes a coder's names added by hand into the team's
key, so the team's later detection searches new documents for them; copies are owner-only."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from codebench.services import anonymisation

TEXT = "I: Hvem hjalp deg?\n\nR: Mentoren min, Kristine Holm, var der hver dag.\n"
LATER = "R: Tuttelut ringte i går.\n"


def _cli(*args: object, ok: bool = True):
    result = CliRunner().invoke(main, [str(a) for a in args], env={"CODEBENCH_CODER": "ingrid"})
    if ok:
        assert result.exit_code == 0, (args, result.output)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def coder_and_team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("CODEBENCH_KEY_DIR", str(tmp_path / "keys"))
    files = tmp_path / "filer"
    files.mkdir()
    (files / "a.txt").write_text(TEXT, encoding="utf-8")
    ingrid = services.init_project(tmp_path / "ingrid")
    services.import_files(ingrid, [files / "a.txt"])
    anonymisation.detect(ingrid, use_model=False)
    # A nickname from Ingrid's field notes that no detector knows and no merged text holds yet.
    anonymisation.add_name(ingrid, "Tuttelut", coder="ingrid")
    ingrid.close()
    _cli("init", tmp_path / "team")
    _cli("merge", tmp_path / "team", tmp_path / "ingrid")
    return tmp_path / "ingrid", tmp_path / "team"


def test_merged_names_reach_documents_the_team_imports_later(coder_and_team, tmp_path):
    ingrid, team = coder_and_team
    (tmp_path / "filer" / "b.txt").write_text(LATER, encoding="utf-8")
    _cli("import", team, tmp_path / "filer" / "b.txt")
    _cli("anonymise", team, "--auto", "--no-model")
    before = _cli("show", team, "b").output
    assert "Tuttelut" in before, "without the coder's key the team does not know the nickname"

    merged = _cli("anonymise", "key", "merge", team, ingrid)
    assert "1 added name(s) taken over" in merged.output and "Tuttelut" not in merged.output
    again = _cli("anonymise", "key", "merge", team, ingrid)
    assert "0 added name(s) taken over, 1 already known" in again.output
    _cli("anonymise", team, "--auto", "--no-model")
    project = services.open_project(team)
    try:
        doc = services.get_document(project, "b").info.id
        assert "Tuttelut" not in anonymisation.rendition(project, doc).text
        key = anonymisation.pseudonym_key(project)
        assert stat.S_IMODE(key.path.stat().st_mode) == 0o600
        assert [n["name"] for n in key.known_names] == ["Tuttelut"]
        log = [e for e in services.audit_log(project) if e.action == "anonymise_key_merge"]
        assert log and "Tuttelut" not in str(log[0].payload)
    finally:
        project.close()


def test_export_writes_an_owner_only_copy_that_merges_like_the_project(coder_and_team, tmp_path):
    ingrid, team = coder_and_team
    copy = tmp_path / "usb" / "ingrid-key.yaml"
    copy.parent.mkdir()
    _cli("anonymise", "key", "export", ingrid, "-o", copy)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    data = yaml.safe_load(copy.read_text(encoding="utf-8"))
    assert any("Kristine Holm" in e["originals"] for e in data["entities"])
    shown = _cli("anonymise", "key", "show", ingrid).output
    assert "name(s) added by hand" in shown and "1 name" in shown and "Kristine" not in shown
    # a copy inside the project folder would travel with the project: refused
    inside = _cli("anonymise", "key", "export", ingrid, "-o", ingrid / "key.yaml", ok=False)
    assert inside.exit_code == 1 and "travel with every copy" in inside.stderr
    # the handed-over file merges like the project folder
    assert "1 added name(s) taken over" in _cli("anonymise", "key", "merge", team, copy).output
    # "-o folder/" that does not exist yet makes an owner-only folder (a tester got a file named "folder")
    folder = tmp_path / "ny-mappe"
    made = _cli("anonymise", "key", "export", ingrid, "-o", f"{folder}/")
    assert folder.is_dir() and stat.S_IMODE(folder.stat().st_mode) == 0o700, made.output
    assert [p.suffix for p in folder.iterdir()] == [".yaml"]


@pytest.mark.parametrize("problem", ["world-readable", "not a key", "broken yaml", "own key"])
def test_a_bad_source_is_one_line(coder_and_team, tmp_path, problem):
    ingrid, team = coder_and_team
    source = tmp_path / "key.yaml"
    if problem == "own key":
        project = services.open_project(team)
        source = anonymisation.write_key(project)
        project.close()
    else:
        source.write_text({"world-readable": "entities: []\n", "not a key": "- 1\n- 2\n",
                           "broken yaml": "entities: [\n"}[problem], encoding="utf-8")
        source.chmod(0o644 if problem == "world-readable" else 0o600)
    result = _cli("anonymise", "key", "merge", team, source, ok=False)
    assert result.exit_code == 1 and result.stderr.startswith("codebench: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(source.name) in result.stderr


def test_only_an_original_viewer_may_copy_or_merge_keys(coder_and_team, tmp_path):
    ingrid, team = coder_and_team
    project = services.open_project(ingrid)
    anonymisation.set_original_viewer(project, "per", True, by="per")
    project.close()
    refused = _cli("anonymise", "key", "export", ingrid, "-o", tmp_path / "k.yaml", ok=False)
    assert refused.exit_code == 1 and "may not see original names" in refused.stderr
    assert "so not the pseudonym key either" in refused.stderr
    assert not (tmp_path / "k.yaml").exists()


def test_key_show_on_a_merged_team_counts_the_entities_that_came_over(coder_and_team):
    """Found by a tester: after `merge`, `key show` said "(not written yet) 0 entities" although
    all 80 entities came over; the key is written from the team's decisions, not merged."""
    ingrid, team = coder_and_team
    theirs = _cli("anonymise", "key", "show", ingrid).output
    entities = int(theirs.split("\n")[1].split()[0])
    assert entities > 0
    shown = _cli("anonymise", "key", "show", team).output
    assert f"\n{entities} entities" in shown and "not written yet" in shown, shown
    assert "key export" in shown  # how to write it now, rather than at the next decision
    _cli("anonymise", "key", "export", team, "-o", team.parent / "kopi.yaml")
    written = _cli("anonymise", "key", "show", team).output
    assert f"\n{entities} entities" in written and "owner-only" in written and "not written" not in written
