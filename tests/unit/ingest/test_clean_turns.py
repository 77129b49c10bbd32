"""Clean turns (#18): header lines become attributes, inline timestamps become turn times."""

from __future__ import annotations

from pathlib import Path

import pytest

from codebench.ingest import import_file
from codebench.ingest.cleanup import restore_original
from tests.writers import write_docx_bold, write_odt

TXT = (
    "Intervju med mentor, runde 1\n"
    "Dato: 12. mars 2024\n"
    "Intervjuer: Ingrid Sæther\n"
    "Informant: Bjørn Aas\n"
    "Sted: NAV Fjellby\n"
    "Varighet: 00:48:10\n"
    "Lydfil: M01_r1.m4a\n"
    "\n"
    "Intervjuer: [00:00:05] Da er vi i gang. Fortell om første møte.\n"
    "\n"
    "Informant: Det var på kontoret. #00:01:23-4#\n"
    "\n"
    "[00:01:30] Intervjuer: Og så?\n"
    "\n"
    "Informant: {00:01:40} Så startet han, og [00:02:10] etter en uke var han fast. {00:02:30} Det gikk fint. (00:03:00)\n"
    "\n"
    "Intervjuer: Klokka (10:30) var han der. Mhm.\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def bodies(doc):
    return [(t.speaker, doc.text[t.body_start:t.end]) for t in doc.turns]


def test_txt_header_and_timestamps_leave_the_stored_text(tmp_path):
    doc = import_file(write(tmp_path, "m01.txt", TXT))
    assert doc.text == (
        "Intervjuer: Da er vi i gang. Fortell om første møte.\n"
        "\n"
        "Informant: Det var på kontoret.\n"
        "\n"
        "Intervjuer: Og så?\n"
        "\n"
        "Informant: Så startet han, og etter en uke var han fast. Det gikk fint.\n"
        "\n"
        "Intervjuer: Klokka (10:30) var han der. Mhm.\n"
    )
    # "Intervjuer:" in the body is the interviewer speaking, header or no header
    assert bodies(doc) == [
        ("Intervjuer", "Da er vi i gang. Fortell om første møte."),
        ("Informant", "Det var på kontoret."),
        ("Intervjuer", "Og så?"),
        ("Informant", "Så startet han, og etter en uke var han fast. Det gikk fint."),
        ("Intervjuer", "Klokka (10:30) var han der. Mhm."),
    ]
    assert doc.meta["header"] == {
        "title": "Intervju med mentor, runde 1", "dato": "12. mars 2024", "intervjuer": "Ingrid Sæther",
        "informant": "Bjørn Aas", "sted": "NAV Fjellby", "varighet": "00:48:10", "lydfil": "M01_r1.m4a",
    }
    times = [(t.t_start, t.t_end) for t in doc.turns]
    assert times == [
        (5, None),
        (None, pytest.approx(83.4)),        # f4: the time at the end is the turn's end ...
        (90, None),                          # ... and a leading one is the next turn's own start
        (100, 180),                          # leading {…} the start, the trailing (…) the end
        (180, None),                         # a time said in a sentence stays
    ]


def test_notes_count_without_naming_anyone(tmp_path):
    doc = import_file(write(tmp_path, "m01.txt", TXT))
    assert "7 header line(s) moved to the document's attributes" in doc.notes
    assert "7 inline timestamp(s) moved to turn times" in doc.notes
    assert not any("Ingrid" in n or "Bjørn" in n or "Fjellby" in n for n in doc.notes)


def test_original_text_is_recoverable_from_removed(tmp_path):
    doc = import_file(write(tmp_path, "m01.txt", TXT))
    assert restore_original(doc.text, doc.meta["removed"]) == TXT
    offsets = [offset for offset, _ in doc.meta["removed"]]
    assert offsets == sorted(offsets)
    assert doc.meta["removed"][0] == [0, TXT[:TXT.index("Intervjuer: [")]]
    assert [piece for _, piece in doc.meta["removed"][1:]] == [
        "[00:00:05] ", " #00:01:23-4#", "[00:01:30] ", "{00:01:40} ", "[00:02:10] ", "{00:02:30} ", " (00:03:00)",
    ]


def test_f4_end_time_starts_the_next_turn(tmp_path):
    text = "I: Hvordan begynte det? #00:00:12-0#\nR: Med en telefon. #00:00:40-5#\nI: Og så? #00:00:44-1#\n"
    doc = import_file(write(tmp_path, "f4.txt", text))
    assert doc.text == "I: Hvordan begynte det?\nR: Med en telefon.\nI: Og så?\n"
    assert [(t.t_start, t.t_end) for t in doc.turns] == [(None, 12.0), (12.0, 40.5), (40.5, pytest.approx(44.1))]
    assert restore_original(doc.text, doc.meta["removed"]) == text


def test_a_timestamp_alone_on_a_line_goes_with_its_line(tmp_path):
    text = "I: Fortell.\nR: Det var i fjor.\n[00:05:00]\nVi begynte i mai.\nI: Mhm.\n"
    doc = import_file(write(tmp_path, "t.txt", text))
    assert doc.text == "I: Fortell.\nR: Det var i fjor.\nVi begynte i mai.\nI: Mhm.\n"
    assert bodies(doc)[1] == ("R", "Det var i fjor.\nVi begynte i mai.")
    assert doc.turns[1].t_start == 300  # the only time in the turn, from its middle
    assert restore_original(doc.text, doc.meta["removed"]) == text


def test_intervjuer_speaking_first_is_not_a_header(tmp_path):
    text = "Intervjuer: Hei.\nInformant: Hei.\nIntervjuer: Skal vi begynne?\nInformant: Ja.\n"
    doc = import_file(write(tmp_path, "t.txt", text))
    assert doc.text == text and "header" not in doc.meta and "removed" not in doc.meta
    assert [t.speaker for t in doc.turns] == ["Intervjuer", "Informant", "Intervjuer", "Informant"]


def test_a_title_alone_stays_text(tmp_path):
    text = "Intervju med mentor\n\nI: Fortell.\n\nR: Ja.\n"
    doc = import_file(write(tmp_path, "t.txt", text))
    assert doc.text == text and "header" not in doc.meta
    assert bodies(doc)[0] == (None, "Intervju med mentor")


def test_english_header_with_full_names_only(tmp_path):
    text = "Interviewer: Kari Nordmann\nDate: 2024-03-12\n\nI: Tell me.\nR: Well.\n"
    doc = import_file(write(tmp_path, "t.txt", text))
    assert doc.meta["header"] == {"interviewer": "Kari Nordmann", "date": "2024-03-12"}
    assert doc.text == "I: Tell me.\nR: Well.\n"


def test_docx_header_in_bold_and_f4_timestamps(tmp_path):
    path = tmp_path / "A09 intervju.docx"
    write_docx_bold(path, [
        ("Dato", "4. april 2024"),                        # a bold key, as typists set it
        (None, "Intervjuer: Per Olsen"),
        (None, "Audio: A09.mp3"),
        ("Intervjuer", "Da er opptaket i gang. Hvordan kom han til dere?"),
        ("Informant", "Via NAV, egentlig. #00:01:58-0#"),
        ("Intervjuer", "[00:02:01] Og mentoren?"),
        ("Informant", "Hun sa ja #00:02:20-0# med en gang. #00:02:41-2#"),
    ], title="Intervju A09")
    doc = import_file(path)
    assert doc.meta["header"] == {"title": "Intervju A09", "dato": "4. april 2024", "intervjuer": "Per Olsen",
                                  "audio": "A09.mp3"}
    assert bodies(doc) == [
        ("Intervjuer", "Da er opptaket i gang. Hvordan kom han til dere?"),
        ("Informant", "Via NAV, egentlig."),
        ("Intervjuer", "Og mentoren?"),
        ("Informant", "Hun sa ja med en gang."),
    ]
    assert [(t.t_start, t.t_end) for t in doc.turns] == [(None, None), (None, 118.0), (121.0, None),
                                                         (140.0, pytest.approx(161.2))]
    assert "4 header line(s) moved to the document's attributes" in doc.notes
    original = "Intervju A09\nDato: 4. april 2024\nIntervjuer: Per Olsen\nAudio: A09.mp3\n"
    assert restore_original(doc.text, doc.meta["removed"]).startswith(original + "Intervjuer: Da er")


def test_odt_mid_turn_timestamp_gives_the_start(tmp_path):
    path = tmp_path / "t.odt"
    write_odt(path, [("I", "Hvordan gikk det?"), ("R", "Bra. [00:04:10] Han er fast nå."), ("I", "Fint.")])
    doc = import_file(path)
    assert bodies(doc) == [("I", "Hvordan gikk det?"), ("R", "Bra. Han er fast nå."), ("I", "Fint.")]
    assert doc.turns[1].t_start == 250
    assert doc.meta["removed"] == [[doc.text.index("Han er"), "[00:04:10] "]]
