"""HTML transcripts: noScribe's editor format and generic HTML with labelled paragraphs."""

from __future__ import annotations

import pytest

from codebench.ingest import IngestError, import_file
from tests.writers import write_noscribe

SEGMENTS = [
    ("S01", 0, 4500, "Hei, og velkommen."),
    ("S01", 4500, 7900, "Kan du fortelle litt om mentoren din?"),
    ("S02", 8100, 12000, "Ja, gjerne. Vi møttes i mars."),
    ("S02", 12000, 15670, "Det gikk bra & raskt."),
    ("S01", 16000, 18000, "Takk."),
]


def labelled(doc):
    return [(t.speaker, doc.text[t.body_start:t.end], t.t_start, t.t_end) for t in doc.turns if t.speaker]


def test_noscribe_turns_speakers_and_anchor_times(tmp_path):
    path = tmp_path / "intervju3.html"
    write_noscribe(path, SEGMENTS)
    doc = import_file(path)
    assert labelled(doc) == [
        ("S01", "Hei, og velkommen. Kan du fortelle litt om mentoren din?", 0.0, 7.9),
        ("S02", "Ja, gjerne. Vi møttes i mars. Det gikk bra & raskt.", 8.1, 15.67),
        ("S01", "Takk.", 16.0, 18.0),
    ]
    assert doc.source_format == "noscribe-html"
    assert "S01: Hei, og velkommen." in doc.text


def test_only_visible_body_text_is_kept(tmp_path):
    path = tmp_path / "intervju3.html"
    write_noscribe(path, SEGMENTS)
    text = import_file(path).text
    for invisible in ("Skjult tittel", "stiltekst", "skripttekst", "margin", "qrichtext", "C:/opptak"):
        assert invisible not in text
    assert "<" not in text and "&amp;" not in text


def test_text_timestamps_do_not_hide_labels_and_anchors_give_times(tmp_path):
    path = tmp_path / "stempel.html"
    write_noscribe(path, SEGMENTS, timestamps=True)
    doc = import_file(path)
    assert [(s, t0, t1) for s, _, t0, t1 in labelled(doc)] == [("S01", 0.0, 7.9), ("S02", 8.1, 15.67), ("S01", 16.0, 18.0)]


def test_anchor_speakers_when_the_text_shows_no_labels(tmp_path):
    path = tmp_path / "uten.html"
    write_noscribe(path, SEGMENTS, labels=False)
    doc = import_file(path)
    assert [(s, body) for s, body, _, _ in labelled(doc)] == [
        ("S01", "Hei, og velkommen. Kan du fortelle litt om mentoren din?"),
        ("S02", "Ja, gjerne. Vi møttes i mars. Det gikk bra & raskt."),
        ("S01", "Takk."),
    ]


def test_generic_html_with_name_labels_bold_labels_and_breaks(tmp_path):
    path = tmp_path / "generisk.htm"
    path.write_text(
        "<html><body><h1>Intervju med mentor</h1>"
        "<div><p><b>Kari:</b> Hvordan begynte det?</p>"
        "<p>Ola: Det var tilfeldig.<br>Jeg fikk en e-post.</p>"
        "<p><strong>Kari</strong>: Og så?</p>"
        "<p>Ola: Så <em>ja</em> takket jeg.</p></div>"
        '<p style="display:none">Skjult merknad</p></body></html>',
        encoding="utf-8",
    )
    doc = import_file(path)
    assert [(s, b) for s, b, _, _ in labelled(doc)] == [
        ("Kari", "Hvordan begynte det?"),
        ("Ola", "Det var tilfeldig.\nJeg fikk en e-post."),
        ("Kari", "Og så?"),
        ("Ola", "Så ja takket jeg."),
    ]
    assert doc.source_format == "html"
    assert "Skjult merknad" not in doc.text
    assert all(t.t_start is None for t in doc.turns)


def test_broken_markup_still_imports_sensibly(tmp_path):
    path = tmp_path / "rotete.html"
    path.write_text("<html><body><p>I: Hei <b>der<p>R: Hallo</i> du</td>\n<p>I: Ferdig<div></span>",
                    encoding="utf-8")
    doc = import_file(path)
    assert [(s, b) for s, b, _, _ in labelled(doc)] == [("I", "Hei der"), ("R", "Hallo du"), ("I", "Ferdig")]


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    '<!DOCTYPE html [<!ENTITY ekstern SYSTEM "file:///etc/passwd">]>',
])
def test_entity_declarations_are_refused(tmp_path, doctype):
    path = tmp_path / "bombe.html"
    path.write_text(f"{doctype}\n<html><body><p>S01: &c; &ekstern;</p></body></html>", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        import_file(path)
    assert info.value.line == 1 and "declares entities" in str(info.value)
    assert str(info.value).startswith(f"{path}:1: ")


def test_nesting_the_parser_cannot_finish_is_one_clear_error(tmp_path):
    path = tmp_path / "dyp.html"
    path.write_text("<html><body>" + "<div>" * 5000 + "S01: hei" + "</div>" * 5000 + "</body></html>", encoding="utf-8")
    with pytest.raises(IngestError, match="cannot be read to the end"):
        import_file(path)


@pytest.mark.parametrize("content", [
    "<html><head><title>Bare tittel</title><style>p {}</style></head><body>  </body></html>",
    "<html><body><script>alert(1)</script></body></html>",
])
def test_no_visible_text_is_refused(tmp_path, content):
    path = tmp_path / "tom.html"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(IngestError, match="no visible text"):
        import_file(path)


def test_xml_declaration_and_cp1252(tmp_path):
    path = tmp_path / "gammel.html"
    path.write_bytes('<?xml version="1.0" encoding="windows-1252"?>\n<html><body><p>I: Blåbær?</p><p>R: Ja.</p></body></html>'
                     .encode("cp1252"))
    doc = import_file(path)
    assert [(s, b) for s, b, _, _ in labelled(doc)] == [("I", "Blåbær?"), ("R", "Ja.")]


def _noscribe_file(path, header: str, title: str = "kari nordmann") -> None:
    """noScribe's editor format as it saves a transcript: a bold title, a grey header paragraph,
    an empty paragraph, then one paragraph per turn with ts anchors (written here from the
    format's description; no real interview's content)."""
    style = "margin-top:0px; margin-bottom:0px;"
    turns = [("ts_800_6100_S00", "S00: ", "ok. da er opptaket i gang"), ("ts_8700_10200_S01", "S01: ", "ja, det er greit"),
             ("ts_11500_15900_S00", "S00: ", "fortell litt om jobben din")]
    body = "".join(f'<p style="{style}"><a name="{anchor}">{label}</a><a name="{anchor}">{words}</a></p>\n'
                   f'<p style="{style}"><br /></p>\n' for anchor, label, words in turns)
    path.write_text(
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0//EN" "http://www.w3.org/TR/REC-html40/strict.dtd">\n'
        '<html><head><meta name="qrichtext" content="1" /><meta charset="UTF-8" />'
        f'<meta name="audio_source" content="D:/opptak/{title}.m4a" /><style type="text/css">p {{ }}</style></head>\n'
        "<body style=\" font-family:'Arial';\">\n"
        f'<p style="{style}"><span style=" font-weight:600;">{title}</span></p>\n'
        f'<p style="{style}"><span style=" color:#909090;">{header}</span></p>\n'
        f'<p style="{style}"><br /></p>\n{body}</body></html>\n',
        encoding="utf-8")


def test_the_noscribe_header_is_metadata_not_turns(tmp_path):
    # A tester's noScribe file came in with "Audio source" as a speaker and "… with noScribe" as
    # a person's words: the title, version and audio file name are the file's, not speech.
    from codebench.ingest.cleanup import restore_original

    path = tmp_path / "intervju 4.html"
    _noscribe_file(path, "Transcribed with noScribe vers. 0.5<br />Audio source: kari nordmann.m4a<br />"
                         "12.03.2024 10:15")
    doc = import_file(path)
    assert doc.text.startswith("S00: ok. da er opptaket i gang\nS01:")
    for header_word in ("kari", "nordmann", "noScribe", "Audio", "12.03.2024"):
        assert header_word not in doc.text
    assert [t.speaker for t in doc.turns] == ["S00", "S01", "S00"]
    assert (doc.turns[0].t_start, doc.turns[-1].t_end) == (0.8, 15.9)  # anchors still give the times
    header = doc.meta["header"]
    assert header["title"] == "kari nordmann" and header["transcribed_with"] == "Transcribed with noScribe vers. 0.5"
    assert header["audio"] == "kari nordmann.m4a" and header["audio_path"] == "D:/opptak/kari nordmann.m4a"
    assert "12.03.2024 10:15" in header.values()
    assert "3 noScribe header line(s)" not in " ".join(doc.notes) and any("4 noScribe header line(s)" in n for n in doc.notes)
    # Nothing is lost: the lines taken off the top come back before the text
    assert restore_original(doc.text, doc.meta["removed"]).startswith(
        "kari nordmann\nTranscribed with noScribe vers. 0.5\nAudio source: kari nordmann.m4a\n12.03.2024 10:15\nS00: ok.")


def test_the_header_in_another_language_and_the_test_writer_shape(tmp_path):
    path = tmp_path / "intervju.html"
    _noscribe_file(path, "Transkribiert mit noScribe Vers. 0.6<br />Audiodatei: Opptak 7.MP3", title="Opptak 7")
    doc = import_file(path)
    assert doc.text.startswith("S00: ") and doc.meta["header"]["audio"] == "Opptak 7.MP3"
    path = tmp_path / "intervju3.html"
    write_noscribe(path, SEGMENTS)
    doc = import_file(path)
    assert doc.text.startswith("S01: Hei") and doc.meta["header"]["audio"] == "intervju3.mp3"


def test_untimed_turns_at_the_top_are_not_taken_for_a_header(tmp_path):
    # A turn whose anchors the editor lost is still speech
    path = tmp_path / "redigert.html"
    _noscribe_file(path, "S01: eg skreiv dette inn sjølv")
    doc = import_file(path)
    assert "S01: eg skreiv dette inn sjølv" in doc.text and "header" not in doc.meta
