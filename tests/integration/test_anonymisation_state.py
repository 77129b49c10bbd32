"""One honest anonymisation state: no file or message says "anonymised" unless it is.

The privacy regression test of #14: every anonymised export is refused while detection has not
run or suggestions are open; written anyway only with --allow-unreviewed, and then the file itself
and the terminal say it is not anonymised; "Avidentifisert: ja" appears only after the review.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from codebench.services import anonymisation
from tests.conftest import REPO

TRANSCRIPTS = {
    "holm.txt": "I: Hvem hjalp deg?\n\nR: Mentoren min, Kristine Holm, var der hver dag.\n\n"
                "I: Og lederen?\n\nR: Aksel Lund Svindal sa at jeg skulle ta det rolig.\n",
    "berg.txt": "I: Hvordan var starten?\n\nR: Kristine Holm viste meg rundt, og Aksel Lund Svindal ringte.\n",
}


@pytest.fixture
def study(tmp_path: Path) -> services.Project:
    """Two transcripts naming two people, coded under the hybrid-model codebook."""
    project = services.init_project(tmp_path / "studie")
    for name, text in TRANSCRIPTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = services.import_files(project, [tmp_path / n for n in TRANSCRIPTS], services.ParticipantSpec(role="mentor", round=1))
    assert not report.errors
    services.load_codebook(project, REPO / "codebooks" / "hybridmodellen.yaml")
    for doc in services.list_documents(project):
        text = services.get_document(project, doc.id).text
        start = text.index("R: ") + 3
        services.apply_code(project, doc.id, start, text.index("\n", start), "tilrettelegging", "ingrid",
                            create="open", category="mentor")
    yield project
    project.close()


def _review(project: services.Project) -> None:
    anonymisation.auto_accept(project, threshold=0.0, coder="test")
    for entity in anonymisation.entities(project, status="suggested"):
        anonymisation.decide(project, "accept", entity=entity.id, coder="test")
    anonymisation.mark_residual_read(project, coder="test")


def _read(path: Path) -> str:
    """What a reader of the file sees, from the file's own reader."""
    if path.is_dir():
        return "\n".join(p.read_text(encoding="utf-8") for p in sorted(path.iterdir()))
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
    if path.suffix == ".docx":
        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    if path.suffix == ".qdpx":
        with zipfile.ZipFile(path) as archive:
            return archive.read("project.qde").decode("utf-8")
    return path.read_text(encoding="utf-8")


def _exports(root: Path, out: Path) -> list[tuple[list[str], Path]]:
    """Every anonymised export as a CLI command with the file (or folder) it writes."""
    commands = [(["matrix", "-o", str(out / f"m.{fmt}")], out / f"m.{fmt}") for fmt in ("xlsx", "csv", "md", "html", "docx")]
    commands += [(["quotes", "--category", "mentor", "-o", str(out / f"q.{fmt}")], out / f"q.{fmt}") for fmt in ("md", "docx")]
    commands += [(["codebook", "-o", str(out / f"k.{fmt}")], out / f"k.{fmt}") for fmt in ("md", "docx")]
    commands += [(["qdpx", "-o", str(out / "p.qdpx")], out / "p.qdpx"), (["qdc", "-o", str(out / "k.qdc")], out / "k.qdc"),
                 (["text", "-o", str(out / "tekst")], out / "tekst")]
    return [(["export", args[0], str(root), *args[1:]], path) for args, path in commands]


def test_state_follows_detection_review_and_new_documents(study, tmp_path):
    state = anonymisation.anonymisation_state(study)
    assert (state.status, state.anonymised, state.documents, state.unsearched) == ("not run", False, 2, 2)
    anonymisation.detect(study, use_model=False)
    state = anonymisation.anonymisation_state(study)
    assert state.status == "open" and state.open > 0 and not state.anonymised
    assert f"{state.open} suggestion(s) not reviewed" in state.describe()
    anonymisation.auto_accept(study, threshold=0.0, coder="test")
    for entity in anonymisation.entities(study, status="suggested"):
        anonymisation.decide(study, "accept", entity=entity.id, coder="test")
    # Every suggestion decided, but nobody has read the words left unmasked that may be names:
    # found by a tester, whose export said "anonymised" with 25 of 171 names in clear.
    state = anonymisation.anonymisation_state(study)
    assert (state.status, state.anonymised, state.open, state.unread) == ("open", False, 0, 2)
    assert "the residual list not read for 2 document(s)" in state.describe()
    assert "restlisten" in state.describe_nb()
    anonymisation.mark_residual_read(study, coder="test")
    state = anonymisation.anonymisation_state(study)
    assert (state.status, state.anonymised, state.open) == ("reviewed", True, 0) and state.masked > 0
    assert "the residual list read" in state.describe()
    # A transcript imported after the review has not been searched: the project is open again.
    (tmp_path / "ny.txt").write_text("R: Kari Nordmann var med.\n", encoding="utf-8")
    services.import_files(study, [tmp_path / "ny.txt"])
    state = anonymisation.anonymisation_state(study)
    assert (state.status, state.unsearched) == ("open", 1) and "1 of 3 document(s) not searched" in state.describe()
    # Searched, it needs its residual list read too.
    anonymisation.detect(study, use_model=False)
    _review(study)
    assert anonymisation.anonymisation_state(study).anonymised


@pytest.mark.parametrize("stage", ["not run", "open"])
def test_every_export_is_refused_until_reviewed(study, tmp_path, stage):
    if stage == "open":
        anonymisation.detect(study, use_model=False)
    out = tmp_path / "ut"
    out.mkdir()
    for command, path in _exports(study.root, out):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr.startswith("codebench: ") and "--allow-unreviewed" in result.stderr, command
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert list(out.iterdir()) == [], "a refused export wrote something"


@pytest.mark.parametrize("stage", ["not run", "open"])
def test_allowed_unreviewed_exports_say_so_in_the_file_and_on_stderr(study, tmp_path, stage):
    if stage == "open":
        anonymisation.detect(study, use_model=False)
    out = tmp_path / "ut"
    out.mkdir()
    for command, path in _exports(study.root, out):
        result = CliRunner().invoke(main, [*command, "--allow-unreviewed"])
        assert result.exit_code == 0, (command, result.output)
        assert "not anonymised" in result.stdout or "not fully anonymised" in result.stdout, command
        assert "; anonymised" not in result.stdout and "(anonymised" not in result.stdout, command
        assert "warning" in result.stderr and "identifiers" in result.stderr, command
        content = _read(path)
        assert "Avidentifisert: ja" not in content and "alle forslag er gjennomgått" not in content, command
        # Every file says it, in Norwegian and in English (found by a tester: the .txt files of
        # `export text --allow-unreviewed` opened straight with the transcript).
        assert "nei – " in content, f"{path.name} does not say it is not de-identified"
        assert "De-identified" in content and "no – not " in content, f"{path.name} does not say it in English"
        for opening in _openings(path):
            assert opening.startswith("Avidentifisert: nei – ") and "Ikke del." in opening, (path.name, opening)
            assert "| De-identified: no – not " in opening and opening.endswith("Do not share."), (path.name, opening)


def _openings(path: Path) -> list[str]:
    """The first line of each plain-text file an export wrote (what a reader sees first)."""
    if path.is_dir():
        return [p.read_text(encoding="utf-8").splitlines()[0] for p in sorted(path.iterdir())]
    if path.suffix == ".csv":
        return [next(csv.reader(path.open(encoding="utf-8", newline="")))[0]]
    if path.suffix == ".md":
        return [path.read_text(encoding="utf-8").splitlines()[0].removeprefix("> **").removesuffix("**")]
    if path.suffix == ".qdc":  # a comment right after the XML declaration
        return [path.read_text(encoding="utf-8").splitlines()[1].removeprefix("<!-- ").removesuffix(" -->")]
    if path.suffix == ".docx":
        return [docx.Document(str(path)).paragraphs[0].text]
    return []


def test_after_review_the_files_say_anonymised(study, tmp_path):
    anonymisation.detect(study, use_model=False)
    _review(study)
    out = tmp_path / "ut"
    out.mkdir()
    for command, path in _exports(study.root, out):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 0 and result.stderr == "", (command, result.output)
        assert "de-identified, not anonymous (" in result.stdout and "not anonymised" not in result.stdout, command
        content = _read(path)
        for name in ("Kristine", "Holm", "Svindal"):
            assert name not in content, (path.name, name)
        assert "Avidentifisert: nei" not in content and "De-identified: no" not in content, path.name
    # A reviewed rendition is the transcript alone, as imported.
    assert (out / "tekst" / "M01 mentor runde 1.txt").read_text(encoding="utf-8").startswith("I: Hvem hjalp deg?")
    assert "ja, ikke anonymt – alle forslag er gjennomgått og restlisten er lest" in _read(out / "m.xlsx")


def test_services_result_is_anonymised_only_when_reviewed(study, tmp_path):
    result = services.export_matrix(study, tmp_path / "a.xlsx", allow_unreviewed=True)
    assert not result.anonymised and result.anonymisation.startswith("not anonymised")
    summary = services.export_qdpx(study, tmp_path / "a.qdpx", allow_unreviewed=True)
    assert not summary.anonymised
    anonymisation.detect(study, use_model=False)
    _review(study)
    assert services.export_matrix(study, tmp_path / "b.xlsx").anonymised
    assert services.export_qdpx(study, tmp_path / "b.qdpx").anonymised
    original = services.export_matrix(study, tmp_path / "c.xlsx", original=True)
    assert not original.anonymised and original.anonymisation == "ORIGINAL TEXT"


def test_an_unreviewed_export_masks_the_open_suggestions_too(study, tmp_path):
    # A tester's `export text --allow-unreviewed` had every open suggestion (dates of birth, a
    # nickname) in clear: the file says it is not de-identified, but it may still be handed on.
    anonymisation.detect(study, use_model=False)
    assert anonymisation.entities(study, status="suggested")
    out = tmp_path / "ut"
    out.mkdir()
    for command, path in _exports(study.root, out):
        if command[1] not in ("text", "matrix", "quotes", "qdpx") or path.suffix in (".csv", ".html", ".docx"):
            continue
        result = CliRunner().invoke(main, [*command, "--allow-unreviewed"])
        assert result.exit_code == 0, (command, result.output)
        content = _read(path)
        assert "Kristine" not in content and "Svindal" not in content, (command, content[:400])
    # The owner's workbench view still shows them as they are, for the review
    assert "Kristine Holm" in anonymisation.rendition(study, services.list_documents(study)[0].id).text
