"""The last percent (#15): the residual review list, public places kept by policy, and the
participants' sites as places, on real projects (rules, names and linking; no NER model)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from codebench.services import anonymisation

# A colleague's surname nobody's list knows, mentioned once on its own in lower case: no
# detector can tell it from a word, so only the residual list brings it to the researcher.
PLANTED = "brødtrønn"
TRANSCRIPT = (
    "I: Hvem jobbet du sammen med på lageret?\n\n"
    f"R: Mest med han {PLANTED}, han var der fra før, og så en og annen sommervikar.\n\n"
    "I: Og hvordan gikk det i starten?\n\n"
    "R: Det gikk greit. Vi tok det rolig den første uka, og så ble det mer etter hvert.\n"
)


@pytest.fixture(scope="module")
def planted_dir(sample_project_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project with one more interview naming someone only the residual list finds,
    detected (rules and names) and auto-accepted once per module: project in ``project/``, key
    in ``keys/``."""
    folder = tmp_path_factory.mktemp("planted")
    shutil.copytree(sample_project_dir, folder / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CODEBENCH_KEY_DIR", str(folder / "keys"))
        project = services.open_project(folder / "project")
        path = folder / "M09 mentor runde 1.txt"
        path.write_text(TRANSCRIPT, encoding="utf-8")
        report = services.import_files(project, [path], services.ParticipantSpec(role="mentor", round=1, site="Sørvik"))
        assert not report.errors
        anonymisation.detect(project, use_model=False)
        anonymisation.auto_accept(project)
        project.close()
    return folder


@pytest.fixture
def planted(planted_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[services.Project]:
    """A writable copy of the planted project and its key."""
    shutil.copytree(planted_dir / "project", tmp_path / "sample")
    shutil.copytree(planted_dir / "keys", tmp_path / "keys")
    monkeypatch.setenv("CODEBENCH_KEY_DIR", str(tmp_path / "keys"))
    project = services.open_project(tmp_path / "sample")
    yield project
    project.close()


def _unmasked(project: services.Project, word: str) -> bool:
    doc = next(d for d in services.list_documents(project) if d.source_name.startswith("M09"))
    return word in anonymisation.rendition(project, doc.id).text


def test_the_residual_list_finds_a_name_detection_missed(planted: services.Project) -> None:
    assert _unmasked(planted, PLANTED), "the planted name is one detection cannot find"
    views = anonymisation.residual(planted, limit=None)
    ranks = {v.form: v.rank for v in views}
    assert PLANTED in ranks
    # Read from the top: the planted name comes early, ahead of most of what is listed.
    assert ranks[PLANTED] <= max(40, len(views) // 5), (ranks[PLANTED], len(views))
    view = views[ranks[PLANTED] - 1]
    assert "unknown" in view.reasons and view.contexts[0].text == PLANTED
    # Ordinary words never make the list; masked names are not left in it.
    assert not {"lageret", "sommervikar", "starten", "kristine"} & set(ranks)
    # Marked a name, it is masked everywhere and leaves the list.
    anonymisation.add_name(planted, PLANTED, coder="tester")
    assert not _unmasked(planted, PLANTED)
    assert PLANTED not in {v.form for v in anonymisation.residual(planted, limit=None)}


def test_kept_words_leave_the_list_and_the_project_never_holds_them(planted: services.Project) -> None:
    first = anonymisation.residual(planted, limit=5)[0].form
    assert anonymisation.keep_residual(planted, [first], coder="tester") == 1
    assert first not in {v.form for v in anonymisation.residual(planted, limit=None)}
    with planted.transaction(write=False) as store:
        stored = json.dumps(store.anonymisation.settings(), ensure_ascii=False)
    assert "residual_kept" in stored and first not in stored


def test_cli_lists_the_residual_candidates_and_keeps_a_word(planted: services.Project) -> None:
    runner = CliRunner()
    root = str(planted.root)
    result = runner.invoke(main, ["anonymise", root, "--list", "--residual", "--limit", "500"],
                           env={"CODEBENCH_CODER": "tester"})
    assert result.exit_code == 0, result.output
    assert PLANTED in result.output and "not an ordinary word" in result.output
    result = runner.invoke(main, ["anonymise", "keep", root, PLANTED], env={"CODEBENCH_CODER": "tester"})
    assert result.exit_code == 0 and "kept 1 word" in result.output
    again = runner.invoke(main, ["anonymise", root, "--list", "--residual", "--limit", "500"],
                          env={"CODEBENCH_CODER": "tester"})
    assert PLANTED not in again.output
    # A masked word kept stays masked, and the command says how to unmask it (a tester took
    # "kept" to mean it would show again).
    masked = next(v for v in anonymisation.entities(planted) if v.statuses.get("accepted") and " " not in v.forms[0])
    noted = runner.invoke(main, ["anonymise", "keep", root, masked.forms[0]], env={"CODEBENCH_CODER": "tester"})
    assert noted.exit_code == 0 and f"is masked as {masked.pseudonym}" in noted.output, noted.output
    assert f"anonymise reject {root} '{masked.pseudonym}'" in noted.output


def test_sites_are_places_and_public_places_are_kept_unless_asked(project: services.Project, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEBENCH_KEY_DIR", str(tmp_path / "keys"))
    files = []
    for name, site, text in (("M10 mentor runde 1.txt", "Holmvika", "R: Jeg bor i Holmvika og jobber der.\n"),
                             ("M11 mentor runde 1.txt", "Oslo", "R: Jeg flyttet til Oslo i fjor. Holmvika er mindre.\n")):
        path = tmp_path / name
        path.write_text("I: Hvor bor du?\n\n" + text, encoding="utf-8")
        files.append((path, site))
    for path, site in files:
        services.import_files(project, [path], services.ParticipantSpec(role="mentor", round=1, site=site))
    anonymisation.detect(project, use_model=False)
    views = {f: v for v in anonymisation.entities(project) for f in v.forms}
    assert views["Holmvika"].kind == "LOC" and views["Holmvika"].open  # a small place: suggested for masking
    oslo = views["Oslo"]
    assert oslo.kind == "LOC" and not oslo.open and oslo.statuses == {"rejected": oslo.statuses["rejected"]}
    anonymisation.auto_accept(project)
    texts = [anonymisation.rendition(project, d.id).text for d in services.list_documents(project)]
    assert any("Oslo" in t for t in texts) and not any("Holmvika" in t for t in texts)
    # Asked to, detection suggests the public place like any other.
    other = services.init_project(tmp_path / "strict")
    for path, site in files:
        services.import_files(other, [path], services.ParticipantSpec(role="mentor", round=1, site=site))
    anonymisation.detect(other, use_model=False, mask_public=True)
    strict = {f: v for v in anonymisation.entities(other) for f in v.forms}
    assert strict["Oslo"].open
    other.close()


def test_a_word_rejected_as_no_name_is_not_listed_as_masked_elsewhere(project: services.Project, tmp_path: Path) -> None:
    # Found by using it: "Stortinget", kept by the policy (a rejected mention), topped a project's
    # list as "masked elsewhere". A rejected mention was read, but nothing there is masked.
    path = tmp_path / "M01 runde 1.txt"
    path.write_text("I: Hvor bodde dere?\n\nR: Vi bodde i Holmvika. Holmvika er fint om sommeren.\n", encoding="utf-8")
    assert not services.import_files(project, [path], services.ParticipantSpec(role="mentor", round=1)).errors
    doc = services.list_documents(project)[0].id
    text = anonymisation.rendition(project, doc).text
    start = text.index("Holmvika")
    anonymisation.add_mention(project, doc, start, start + len("Holmvika"), kind="LOC", coder="ingrid")
    (view,) = [v for v in anonymisation.entities(project) if "Holmvika" in v.forms]
    anonymisation.decide(project, "reject", entity=view.id, coder="ingrid", everything=True)
    entries = {v.form: v for v in anonymisation.residual(project, use_model=False)}
    assert "holmvika" in entries and "masked-elsewhere" not in entries["holmvika"].reasons, entries.get("holmvika")


def test_detection_is_refused_to_a_coder_kept_from_names(planted: services.Project) -> None:
    """Found by a tester: a coder not allowed names re-ran detection, which suggested again words
    the reviewer had kept and took a finished project back to not anonymised."""
    anonymisation.set_original_viewer(planted, "tester", True, by="tester")
    before = anonymisation.anonymisation_state(planted)
    with pytest.raises(services.ServiceError, match="may not"):
        anonymisation.detect(planted, use_model=False, coder="per")
    assert anonymisation.anonymisation_state(planted) == before
    refused = CliRunner().invoke(main, ["anonymise", str(planted.root), "--no-model"], env={"CODEBENCH_CODER": "per"})
    assert refused.exit_code == 1 and "may not see original names" in refused.output


def test_undo_after_a_keep_takes_back_the_keep(planted: services.Project) -> None:
    """Found by a tester: a keep was not in the history, so ctrl+z after a mistaken k undid the
    decision before it — an added name — and unmasked it."""
    anonymisation.detect(planted, use_model=False, coder="tester")
    anonymisation.add_name(planted, "Jomar", coder="tester")
    anonymisation.keep_residual(planted, [PLANTED], coder="tester")
    assert PLANTED not in [v.form for v in anonymisation.residual(planted, limit=None, use_model=False)]
    undone = services.undo(planted, "tester")
    assert undone is not None and undone.action == "anonymise_residual_keep"
    assert PLANTED in [v.form for v in anonymisation.residual(planted, limit=None, use_model=False)]
    assert "Jomar" in {n["name"] for n in anonymisation.pseudonym_key(planted).known_names}  # the added name stays
    services.redo(planted, "tester")
    assert PLANTED not in [v.form for v in anonymisation.residual(planted, limit=None, use_model=False)]


def test_an_entry_says_how_often_its_word_stands_unmasked_in_all(planted: services.Project) -> None:
    # A tester read "liv 1×" where four person uses of "liv" stood in clear: the entry counted
    # only the occurrence it listed.
    views = anonymisation.residual(planted, limit=None, use_model=False)
    with planted.transaction(write=False) as store:
        texts = store.documents.texts()
        rows = store.anonymisation.mentions()
    for view in views[:15]:
        pattern = re.compile(rf"(?<![\w'’-]){re.escape(view.form)}(?![\w'’-])", re.IGNORECASE)
        spans = [(r.document_id, r.start, r.end) for r in rows]
        clear = sum(1 for doc, text in texts.items() for m in pattern.finditer(text)
                    if not any(d == doc and s < m.end() and m.start() < e for d, s, e in spans))
        assert view.unmasked == clear >= view.count, view.form
