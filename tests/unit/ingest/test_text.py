"""Plain-text transcripts: encodings, line ends, labels, timestamps, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from codebench.ingest import IngestError, import_file

TURNS = "I: Hvordan ble du mentor for Åse?\nR: Tja, eh … lederen spurte meg. Det var «naturlig».\nI: Mhm.\nR: Ja.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding, prefix, note", [
    ("utf-8", b"", "UTF-8"),
    ("utf-8", b"\xef\xbb\xbf", "UTF-8 with BOM"),
    ("utf-16", b"", "UTF-16 with BOM"),
    ("utf-16-le", b"", "UTF-16-LE without BOM"),
    ("utf-16-be", b"", "UTF-16-BE without BOM"),
    ("cp1252", b"", "Windows-1252"),
])
def test_encodings_give_the_same_text(tmp_path, encoding, prefix, note):
    doc = import_file(write(tmp_path, "t.txt", prefix + TURNS.encode(encoding)))
    assert doc.text == TURNS
    assert any(note in n for n in doc.notes), doc.notes
    assert [t.speaker for t in doc.turns] == ["I", "R", "I", "R"]


def test_crlf_and_bom_are_normalised_and_offsets_count_code_points(tmp_path):
    doc = import_file(write(tmp_path, "t.txt", b"\xef\xbb\xbf" + TURNS.replace("\n", "\r\n").encode("utf-8")))
    assert "\r" not in doc.text and not doc.text.startswith("\ufeff")
    assert any("CRLF" in n for n in doc.notes)
    turn = doc.turns[1]
    assert doc.text[turn.body_start:turn.end] == "Tja, eh … lederen spurte meg. Det var «naturlig»."


def test_decomposed_letters_are_composed(tmp_path):
    doc = import_file(write(tmp_path, "t.txt", "I: Bjo\u0308rn og a\u030ase\nR: ja\n".encode("utf-8")))
    assert "Björn og åse" in doc.text and any("NFC" in n for n in doc.notes)


def test_label_styles_and_timestamps(tmp_path):
    text = (
        "Intervju med mentor, mars\n\n"
        "[00:12:31] Intervjuer: Fortell om første møte.\n\n"
        "Informant: Det var på kontoret. #00:13:02-4#\n"
        "Vi satt lenge.\n\n"
        "Intervjuer:\tOg så?\n\n"
        "Informant: {00:15:00} Så startet han.\n"
    )
    doc = import_file(write(tmp_path, "t.txt", text.encode()))
    speakers = [t.speaker for t in doc.turns]
    assert speakers == [None, "Intervjuer", "Informant", "Intervjuer", "Informant"]
    head, first, second, third, fourth = doc.turns
    assert doc.text[head.start:head.end] == "Intervju med mentor, mars"
    assert first.t_start == 12 * 60 + 31
    assert second.t_end == pytest.approx(13 * 60 + 2.4)
    # the timestamps leave the stored text (#18); their times stay on the turns
    assert doc.text[second.body_start:second.end] == "Det var på kontoret.\nVi satt lenge."
    assert doc.text[third.body_start:third.end] == "Og så?"
    assert fourth.t_start == 15 * 60


def test_names_as_labels_need_to_recur(tmp_path):
    text = "Kari: Hei.\nOla: Hei på deg.\nKari: Hvordan går det?\nOla: Bra.\nDet var slik: vi gikk.\n"
    doc = import_file(write(tmp_path, "t.txt", text.encode()))
    assert [t.speaker for t in doc.turns] == ["Kari", "Ola", "Kari", "Ola"]
    # "Det var slik:" is a sentence, not a speaker: it continues Ola's turn
    assert doc.text[doc.turns[-1].start:doc.turns[-1].end] == "Ola: Bra.\nDet var slik: vi gikk."


def test_no_labels_imports_as_paragraphs(tmp_path):
    text = "jeg jobber som veileder på nav og har mange brukere\n\nja det er mye å gjøre\n"
    doc = import_file(write(tmp_path, "asr.txt", text.encode()))
    assert [doc.text[t.start:t.end] for t in doc.turns] == [
        "jeg jobber som veileder på nav og har mange brukere", "ja det er mye å gjøre"]
    assert all(t.speaker is None for t in doc.turns)
    assert any("no speaker labels" in n for n in doc.notes)


@pytest.mark.parametrize("data, message", [
    (b"", "the file is empty"),
    (b"   \n\n  \n", "holds no text"),
    (bytes(range(256)) * 20, "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100, "binary"),
])
def test_bad_files_get_one_clear_error(tmp_path, data, message):
    path = write(tmp_path, "bad.txt", data)
    with pytest.raises(IngestError) as info:
        import_file(path)
    assert message in str(info.value) and "bad.txt" in str(info.value)


def test_unsupported_and_missing(tmp_path):
    with pytest.raises(IngestError, match="unsupported file type .rtf"):
        import_file(write(tmp_path, "x.rtf", b"{\\rtf1}"))
    with pytest.raises(IngestError, match="no such file"):
        import_file(tmp_path / "gone.txt")
    with pytest.raises(IngestError, match="save as .docx"):
        import_file(write(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0"))
