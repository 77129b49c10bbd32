"""WebVTT and SRT from ASR tools and meeting software."""

from __future__ import annotations


import pytest

from codebench.ingest import IngestError, import_file
from tests.writers import write_srt, write_vtt

TURNS = [("SPEAKER_00", "Kan du fortelle om kandidaten din?"),
         ("SPEAKER_01", "Ja, han startet i mars, og det gikk bra etter hvert."),
         ("SPEAKER_00", "Hva gjorde du som mentor?")]


def bodies(doc):
    return [(t.speaker, doc.text[t.body_start:t.end]) for t in doc.turns]


@pytest.mark.parametrize("style", ["whisperx", "noscribe", "teams", "teams-old", "zoom"])
def test_vtt_speaker_styles(tmp_path, style):
    path = tmp_path / f"{style}.vtt"
    write_vtt(path, TURNS, style, words_per_cue=4)
    doc = import_file(path)
    assert bodies(doc) == TURNS
    assert doc.text.startswith("SPEAKER_00: Kan du fortelle")
    first = doc.turns[0]
    assert first.t_start == pytest.approx(0.5, abs=0.1) and first.t_end > first.t_start


def test_whisper_without_speakers_and_hours(tmp_path):
    path = tmp_path / "whisper.vtt"
    write_vtt(path, [(None, t) for _, t in TURNS], "whisper", words_per_cue=5)
    assert "00:00.500 --> " in path.read_text()
    doc = import_file(path)
    assert all(t.speaker is None for t in doc.turns)
    assert " ".join(doc.text.split()) == " ".join(t for _, t in TURNS)


def test_teams_entities_voice_tags_and_guid_ids(tmp_path):
    path = tmp_path / "teams.vtt"
    path.write_text(
        "WEBVTT\n\n"
        "0b1c2d3e-1111-2222-3333-444455556666/12-0\n00:00:01.000 --> 00:00:03.500\n"
        "<v Kari Nordmann>Vi &amp; NAV har &lt;god&gt; kontakt&nbsp;nå.</v>\n\n"
        "0b1c2d3e-1111-2222-3333-444455556666/13-0\n00:00:03.600 --> 00:00:05.000\n"
        "<v Kari Nordmann>Ja.</v>\n\n"
        "NOTE this is a comment\n\n"
        "0b1c2d3e-1111-2222-3333-444455556666/14-0\n00:00:05.100 --> 00:00:07.000\n"
        "<v Ola Ås>Og <i>mentoren</i>?</v>\n",
        encoding="utf-8",
    )
    doc = import_file(path)
    assert bodies(doc) == [("Kari Nordmann", "Vi & NAV har <god> kontakt nå. Ja."), ("Ola Ås", "Og mentoren?")]


def test_srt(tmp_path):
    path = tmp_path / "opptak.srt"
    write_srt(path, [("Intervjuer", "Hei."), ("Informant", "Hei, takk for at jeg fikk komme.")], words_per_cue=3)
    doc = import_file(path)
    assert bodies(doc) == [("Intervjuer", "Hei."), ("Informant", "Hei, takk for at jeg fikk komme.")]


@pytest.mark.parametrize("body, line, message", [
    ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhei\n\n00:00:03.000 --> 00:0x:04.000\nhallo\n", 6, "cannot be read"),
    ("WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nbaklengs\n", 3, "ends"),
    ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhei\n\nbare tekst uten tid\n", 6, "without a timing line"),
    ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhei\n00:00:03.000 --> 00:00:04.000\nhallo\n", 5, "no blank line"),
    ("WEBVTT\n\n00:00:01.000 --> 00:00:61.000\nhei\n", 3, "below 60"),
])
def test_flawed_vtt_is_imported_with_a_warning_naming_file_and_line(tmp_path, body, line, message):
    path = tmp_path / "feil.vtt"
    path.write_text(body, encoding="utf-8")
    doc = import_file(path)
    assert len(doc.warnings) == 1 and doc.warnings[0].startswith(f"{path}:{line}: ") and message in doc.warnings[0]
    with pytest.raises(IngestError, match="refused under --strict"):
        import_file(path, strict=True)


def test_not_vtt_names_file_and_line(tmp_path):
    path = tmp_path / "feil.vtt"
    path.write_text("Dette er ikke VTT\n", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        import_file(path)
    assert info.value.line == 1 and "must start with WEBVTT" in str(info.value)
    assert str(info.value).startswith(f"{path}:1: ")


def test_vtt_without_cues(tmp_path):
    path = tmp_path / "tom.vtt"
    path.write_text("WEBVTT\n\nNOTE nothing here\n")
    with pytest.raises(IngestError, match="no cues"):
        import_file(path)
