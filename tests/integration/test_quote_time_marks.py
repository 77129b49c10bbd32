"""Quotes reach readers without their transcript's time marks (#16 item 9): the stored text keeps
them (subtitle cues, older typed transcripts, a Zoom header inside a coded span), but `codebench
quotes`, the matrix, chapter quotes and memo exports show the words only."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from tests.conftest import review_everything

REPO = Path(__file__).resolve().parents[2]
MARKS = ("[00:00:02]", "{00:00:06}", "#00:00:06-1#", "(00:03:00)", "11:02:09")


@pytest.fixture
def stamped(project: services.Project, tmp_path: Path) -> services.Project:
    (tmp_path / "a.txt").write_text(
        "I: Hvordan gikk det?\n\nR: Det ble vanskelig etter hvert. (00:03:00)\n\n[Kari Holm] 11:02:09\nJa, det stemmer.\n",
        encoding="utf-8")
    (tmp_path / "b.srt").write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nDet var [00:00:02] en lang dag.\n\n"
        "2\n00:00:05,000 --> 00:00:08,000\nOg så {00:00:06} kom hun #00:00:06-1# tilbake.\n", encoding="utf-8")
    report = services.import_files(project, [tmp_path / "a.txt", tmp_path / "b.srt"],
                                   services.ParticipantSpec(role="mentor", round=1))
    assert not report.errors
    services.load_codebook(project, REPO / "codebooks" / "hybridmodellen.yaml")
    for name, first, last in (("a", "Det ble", "stemmer."), ("b", "Det var", "tilbake.")):
        text = services.get_document(project, name).text
        start, end = text.index(first), text.index(last) + len(last)
        assert any(mark in text[start:end] for mark in MARKS), "the stored text keeps its marks"
        services.apply_code(project, name, start, end, "tid og ressurser", "ingrid", memo="Se tidene")
    review_everything(project)
    return project


def _cli(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args], env={"CODEBENCH_CODER": ""})
    assert result.exit_code == 0, result.output
    return result.stdout


def _no_marks(text: str) -> None:
    assert not [mark for mark in MARKS if mark in text], text


def test_quotes_and_exports_show_the_words_without_time_marks(stamped, tmp_path):
    root = stamped.root
    printed = _cli("quotes", root)
    _no_marks(printed)
    assert "«Det var en lang dag. Og så kom hun tilbake.»" in printed
    assert "«Det ble vanskelig etter hvert. Ja, det stemmer.»" in printed  # the Zoom header line went whole
    _no_marks(_cli("quotes", root, "--format", "csv"))
    _no_marks(_cli("quotes", root, "--format", "json"))
    for name, args in (("m.md", ()), ("m.csv", ()), ("m.xlsx", ()), ("k.md", ("--category", "mentor"))):
        command = ["export", "quotes" if args else "matrix", root, *args, "-o", tmp_path / name]
        _cli(*command)
    from tests.privacy_scan import read_back

    for name in ("m.md", "m.xlsx", "k.md"):
        text = read_back(tmp_path / name)
        _no_marks(text)
        assert "kom hun tilbake" in text
    with open(tmp_path / "m.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["text"] for r in rows} == {"Det var en lang dag. Og så kom hun tilbake.",
                                         "Det ble vanskelig etter hvert.\n\nJa, det stemmer."}
    _cli("export", "memos", root, "-o", tmp_path / "memos.md")
    memos = (tmp_path / "memos.md").read_text(encoding="utf-8")
    _no_marks(memos)
    assert "Det var en lang dag." in memos and memos.count("Se tidene") == 2
