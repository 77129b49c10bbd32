"""The whole team path keeps the names out (#14), on SQLite and on the PostgreSQL server.

Two coders anonymise their own copies of the sample project separately (one thoroughly, adding
by name what the detectors missed; the other quickly, rejecting a name the first accepted). The
team merges both; then every export format of the team project is read back with its own reader,
and the output of every command that prints text or names is captured, and all of it is scanned
for every gold identifier of the sample corpus.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from codebench.services import anonymisation
from tests.privacy_scan import add_missed_gold_names, export_commands, identifiers, leaks, read_back


def _cli(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args], env={"CODEBENCH_CODER": ""})
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result.stdout + "\n" + result.stderr


def _coder_copy(sample: Path, folder: Path, coder: str, *, thorough: bool) -> tuple[Path, str | None]:
    """A coder's copy, anonymised by that coder; returns it and the pseudonym rejected (quick coder)."""
    shutil.copytree(sample, folder)
    project = services.open_project(folder)
    try:
        anonymisation.detect(project, use_model=False, coder=coder)
        rejected = None
        if not thorough:
            person = max((e for e in anonymisation.entities(project) if e.kind == "PER"),
                         key=lambda e: sum(e.statuses.values()))
            anonymisation.decide(project, "reject", entity=person.id, coder=coder)
            rejected = person.pseudonym
        anonymisation.auto_accept(project, threshold=0.0, coder=coder)
        for entity in anonymisation.entities(project, status="suggested"):
            anonymisation.decide(project, "accept", entity=entity.id, coder=coder)
        if thorough:
            assert add_missed_gold_names(project, coder) > 0, "the rules missed nothing: the review step proves nothing"
        return folder, rejected
    finally:
        project.close()


@pytest.fixture(scope="module")
def coder_copies(sample_project_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("team-path")
    ingrid, _ = _coder_copy(sample_project_dir, base / "ingrid", "ingrid", thorough=True)
    per, _ = _coder_copy(sample_project_dir, base / "per", "per", thorough=False)
    return ingrid, per


@pytest.mark.slow
@pytest.mark.parametrize("server", ["sqlite", "postgresql"])
def test_two_coders_merged_then_every_export_and_command_is_free_of_gold_identifiers(
        coder_copies: tuple[Path, Path], server: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    ingrid, per = coder_copies
    team_root = tmp_path / "team"
    db_url = request.getfixturevalue("pg_url") if server == "postgresql" else None
    services.init_project(team_root, db_url=db_url).close()
    printed = {"merge": _cli("merge", team_root, ingrid, per)}
    assert "anonymisation conflict" in printed["merge"], "the quick coder's rejection should meet the other's accept"

    team = services.open_project(team_root)
    try:
        state = anonymisation.anonymisation_state(team)
        assert (state.open, state.unsearched) == (0, 0), state.describe()
        anonymisation.mark_residual_read(team, coder="ingrid")  # the team's own residual list, read
        state = anonymisation.anonymisation_state(team)
        assert state.anonymised, state.describe()
        forms = identifiers(team)
        doc_ids = [d.id for d in services.list_documents(team)]
    finally:
        team.close()

    out = tmp_path / "out"
    out.mkdir()
    for command in export_commands(team_root, out):
        printed[" ".join(command[:2])] = _cli(*command)
    renditions = "\n".join(p.read_text(encoding="utf-8") for p in (out / "tekst").iterdir())
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) >= 20
    contents = {path.name: read_back(path) + "\n" + path.name for path in files}

    for command in (("quotes",), ("quotes", "--format", "csv"), ("quotes", "--format", "json"), ("documents",),
                    ("stats",), ("codes",), ("log",), ("agreement", "--coders", "ingrid,per"),
                    ("disagreements", "--coders", "ingrid,per")):
        printed[" ".join(command)] = _cli(command[0], team_root, *command[1:])
    for doc in doc_ids:
        printed[f"show {doc}"] = _cli("show", team_root, doc)
    contents |= {f"stdout of {command}": text for command, text in printed.items()}

    found = leaks(contents, forms, renditions)
    assert not found, found
    # the scan can fail: the team's originals hold the names it looks for
    original = _cli("show", team_root, doc_ids[0], "--original") + _cli("documents", team_root, "--original")
    assert leaks({"original": original}, forms, renditions)
