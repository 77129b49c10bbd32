"""Real-world subtitle files that break the standard: imported with warnings, not refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from codebench.cli import main
from codebench.ingest import IngestError, import_file
from codebench.ingest.srt import import_srt
from codebench.ingest.vtt import import_vtt


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def turns(doc):
    return [(t.speaker, doc.text[t.body_start:t.end], t.t_start, t.t_end) for t in doc.turns]


def assert_no_words_in(warnings: list[str], *words: str) -> None:
    # Transcripts hold names: a warning may give times and lines, never the spoken words.
    for warning in warnings:
        for word in words:
            assert word not in warning, warning


NOSCRIBE = """WEBVTT

00:12:10.000 --> 00:12:13.000
<v S01>Vi begynte i mars.

00:12:17.141 --> 00:12:15.168
<v S01>Og så gikk det bra.

00:12:18.000 --> 00:12:20.000
<v S01>Helt til sommeren.

00:12:21.000 --> 00:12:2x.000
<v S02>Ja, Kari sa det.

00:12:23.000 --> 00:12:25.000
<v S01>Nettopp.
"""


def test_noscribe_cue_ending_before_it_starts_keeps_its_text_and_the_turns_times(tmp_path):
    path = write(tmp_path / "interview.vtt", NOSCRIBE)
    doc = import_file(path)
    assert turns(doc) == [
        # The bad middle cue is in the turn; the turn's times come from the good cues around it.
        ("S01", "Vi begynte i mars. Og så gikk det bra. Helt til sommeren.", 730.0, 740.0),
        # A turn made only of a cue with an unreadable time has no times at all.
        ("S02", "Ja, Kari sa det.", None, None),
        ("S01", "Nettopp.", 743.0, 745.0),
    ]
    assert doc.warnings == [
        f"{path}:6: cue ends (00:12:15.168) before it starts (00:12:17.141); its text is kept without times",
        f"{path}:12: cue time '00:12:2x.000' cannot be read (expected hh:mm:ss.mmm, minutes and seconds below 60); "
        "the cue's text is kept without times",
    ]
    assert_no_words_in(doc.warnings, "Kari", "gikk", "Ja")
    with pytest.raises(IngestError, match=r"interview\.vtt:6: cue ends"):
        import_file(path, strict=True)


def test_timing_line_that_cannot_be_read_keeps_the_text(tmp_path):
    path = write(tmp_path / "a.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHei.\n\n--> 00:00:04.000\nHallo der.\n")
    doc = import_file(path)
    assert doc.text == "Hei. Hallo der."
    assert doc.warnings == [f"{path}:6: timing line cannot be read (expected 'start --> end'); the cue's text is kept without times"]


@pytest.mark.parametrize("body, message", [
    ("Dette er ikke VTT\n\n00:00:01.000 --> 00:00:02.000\nhei\n", "must start with WEBVTT"),
    ("WEBVTT\n\nbare tekst uten tid\n\nmer tekst\n", "no cues"),
    ("WEBVTT\nKind: captions\nLanguage: nb\n", "no cues"),
])
def test_files_whose_content_would_be_lost_are_still_refused(tmp_path, body, message):
    with pytest.raises(IngestError, match=message):
        import_file(write(tmp_path / "x.vtt", body))


def test_youtube_header_metadata_is_read_and_kept(tmp_path):
    path = write(tmp_path / "yt.vtt", (
        "WEBVTT\nKind: captions\nLanguage: nb\n\n"
        "00:00:00.320 --> 00:00:02.150\nHei og velkommen.\n\n"
        "00:00:02.150 --> 00:00:04.000\nVi snakker om mentorordningen.\n"))
    doc = import_file(path)
    assert doc.text == "Hei og velkommen. Vi snakker om mentorordningen."
    assert doc.meta["language"] == "nb" and doc.meta["kind"] == "captions"
    assert "header" not in doc.meta and doc.warnings == []


def test_header_text_on_the_webvtt_line_and_header_lines(tmp_path):
    path = write(tmp_path / "h.vtt", (
        "\ufeffWEBVTT - Intervju runde 1\nLanguage:en-GB\nX-TIMESTAMP-MAP=LOCAL:00:00:00.000,MPEGTS:0\n\n"
        "STYLE\n::cue { color: yellow }\n\n"
        "REGION\nid:fred width:40%\n\n"
        "NOTE skrevet av assistent\n\n"
        "00:01.000 --> 00:02.000\nHei.\n"))
    doc = import_file(path)
    assert doc.text == "Hei." and doc.warnings == []
    assert doc.meta["language"] == "en-GB"
    assert doc.meta["header"] == "Intervju runde 1; X-TIMESTAMP-MAP=LOCAL:00:00:00.000,MPEGTS:0"


def test_cue_straight_after_the_header_keeps_working(tmp_path):
    doc = import_file(write(tmp_path / "s.vtt", "WEBVTT\n1\n00:00:01.000 --> 00:00:02.000\nHei.\n"))
    assert doc.text == "Hei." and doc.warnings == []


def test_blocks_without_timing_are_skipped_or_joined_never_lost(tmp_path):
    path = write(tmp_path / "b.vtt", (
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:03.000\n<v Ola>Vi hadde et godt\n\n"   # the cue's text broke at a blank line
        "samarbeid med Nav.\n\n"
        "42\n\n"                                                      # a lone cue number
        "00:00:04.000 --> 00:00:05.000\n<v Kari>Ja.\n"))
    doc = import_file(path)
    assert turns(doc) == [("Ola", "Vi hadde et godt samarbeid med Nav.", 1.0, 3.0), ("Kari", "Ja.", 4.0, 5.0)]
    assert doc.warnings == [
        f"{path}:6: text without a timing line; joined to the cue above (line 3)",
        f"{path}:8: a cue number or id without a timing line; skipped",
    ]
    assert_no_words_in(doc.warnings, "Nav", "samarbeid")


def test_missing_blank_line_between_cues_gives_two_cues(tmp_path):
    path = write(tmp_path / "m.vtt", (
        "WEBVTT\n\n"
        "1\n00:00:01.000 --> 00:00:02.000\nHei.\n2\n00:00:02.500 --> 00:00:03.000\nHallo.\n"))
    doc = import_vtt(path, merge_cues=False)
    assert turns(doc) == [(None, "Hei.", 1.0, 2.0), (None, "Hallo.", 2.5, 3.0)]
    assert doc.warnings == [f"{path}:7: no blank line before this timing line; read as the start of a new cue"]


TEAMS = """WEBVTT

5d7c1e2a-9f3b-4c1d-8e2f-0a1b2c3d4e5f/18-0
00:00:01.000 --> 00:00:03.000
<v Kari Nordmann>Vi startet</v>

5d7c1e2a-9f3b-4c1d-8e2f-0a1b2c3d4e5f/18-1
00:00:03.000 --> 00:00:05.000
<v Kari Nordmann>i mars.</v>

6e8d2f3b-0a4c-5d2e-9f30-1b2c3d4e5f60/19-0
00:00:05.500 --> 00:00:06.000
<v Ola Ås>Ja.</v>
"""

ZOOM = """WEBVTT

1
00:00:01.000 --> 00:00:03.000
Kari Nordmann: Vi startet

2
00:00:03.000 --> 00:00:05.000
Kari Nordmann: i mars.

3
00:00:05.500 --> 00:00:06.000
Ola Ås: Ja.
"""


@pytest.mark.parametrize("body", [TEAMS, ZOOM], ids=["teams", "zoom"])
def test_consecutive_cues_of_one_speaker_form_one_turn_unless_kept_apart(tmp_path, body):
    path = write(tmp_path / "m.vtt", body)
    assert turns(import_file(path)) == [("Kari Nordmann", "Vi startet i mars.", 1.0, 5.0), ("Ola Ås", "Ja.", 5.5, 6.0)]
    apart = import_vtt(path, merge_cues=False)
    assert turns(apart) == [("Kari Nordmann", "Vi startet", 1.0, 3.0), ("Kari Nordmann", "i mars.", 3.0, 5.0),
                            ("Ola Ås", "Ja.", 5.5, 6.0)]
    assert apart.text.startswith("Kari Nordmann: Vi startet\n\nKari Nordmann: i mars.")


def test_subtitle_speaker_marks_become_speakers_and_sound_notes_stay(tmp_path):
    path = write(tmp_path / "n.vtt", (
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:02.000\n[Alba] Hvordan går det?\n\n"
        "00:00:02.000 --> 00:00:04.000\n- [BEN] Bra, takk. [latter]\n\n"
        "00:00:04.000 --> 00:00:05.000\nog deg?\n\n"   # no mark: subtitles mark only a change of speaker
        "00:00:05.000 --> 00:00:06.000\n[ALBA] [pause] Fint.\n\n"
        "00:00:06.000 --> 00:00:08.000\n- [Ben] Godt.\n- [Alba] Ja.\n\n"
        "00:00:08.000 --> 00:00:09.000\n[Inaudible] Mm.\n"))
    doc = import_file(path)
    assert [(s, body) for s, body, *_ in turns(doc)] == [
        ("Alba", "Hvordan går det?"), ("Ben", "Bra, takk. [latter] og deg?"), ("Alba", "[pause] Fint."),
        ("Ben", "Godt."), ("Alba", "Ja. [Inaudible] Mm."),
    ]
    assert doc.warnings == []


def test_a_single_bracket_is_text_not_a_speaker(tmp_path):
    doc = import_file(write(tmp_path / "o.vtt", (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n[Ola] sa det slik.\n\n"
        "00:00:02.000 --> 00:00:03.000\n[Latter] Ja.\n\n00:00:03.000 --> 00:00:04.000\n[Latter] Nei.\n")))
    assert [t.speaker for t in doc.turns] == [None]
    assert doc.text == "[Ola] sa det slik. [Latter] Ja. [Latter] Nei."


def test_zoom_transcript_with_timestamps_header_line(tmp_path):
    doc = import_file(write(tmp_path / "zoom.vtt", (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n[Johnny Doe] 11:02:09\nHei alle sammen.\n\n"
        "2\n00:00:04.500 --> 00:00:06.000\n[Kari Nordmann] 11:02:13\nHei, Johnny.\n")))
    assert turns(doc) == [("Johnny Doe", "Hei alle sammen.", 1.0, 4.0), ("Kari Nordmann", "Hei, Johnny.", 4.5, 6.0)]
    assert "11:02" not in doc.text


def test_srt_bad_time_is_a_warning_and_text_is_kept(tmp_path):
    path = write(tmp_path / "o.srt", (
        "1\n00:00:01,000 --> 00:00:02,000\nIntervjuer: Hei.\n\n"
        "2\n00:00:05,000 --> 00:00:03,000\nInformant: Hei, takk.\n\n"
        "3\n00:00:06,000 --> 00:00:0:7,000\nInformant: Fint å være her.\n\n"
        "4\n00:00:08,000 --> 00:00:09,000\nIntervjuer: Flott.\n"))
    doc = import_srt(path)
    assert turns(doc) == [("Intervjuer", "Hei.", 1.0, 2.0), ("Informant", "Hei, takk. Fint å være her.", None, None),
                          ("Intervjuer", "Flott.", 8.0, 9.0)]
    assert [w.split(": ", 1)[0] for w in doc.warnings] == [f"{path}:6", f"{path}:10"]
    assert_no_words_in(doc.warnings, "takk", "Fint")


def test_srt_without_any_timing_is_refused(tmp_path):
    with pytest.raises(IngestError, match="no cues"):
        import_file(write(tmp_path / "t.srt", "Bare et notat.\n"))


def test_language_and_warnings_reach_the_document_details(tmp_path):
    study = tmp_path / "studie"
    path = write(tmp_path / "yt.vtt", (
        "WEBVTT\nKind: captions\nLanguage: nb\n\n"
        "00:00:01.000 --> 00:00:00.500\nHei.\n\n00:00:02.000 --> 00:00:03.000\nHallo.\n"))
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(study)], catch_exceptions=False).exit_code == 0
    imported = runner.invoke(main, ["import", str(study), str(path)], catch_exceptions=False)
    assert imported.exit_code == 0 and "yt.vtt:5: cue ends" in imported.output
    details = runner.invoke(main, ["documents", str(study), "--details", "1"], catch_exceptions=False).output
    assert "language" in details and "nb" in details and "yt.vtt:5: cue ends" in details
