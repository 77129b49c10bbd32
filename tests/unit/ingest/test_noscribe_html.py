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
