"""Word and OpenDocument transcripts: bold labels, tab labels, tables, damaged files."""

from __future__ import annotations

import zipfile

import pytest

from codebench.ingest import IngestError, import_file
from tests.writers import write_docx_bold, write_docx_table, write_docx_tabs, write_odt

TURNS = [("I", "Hvordan fant dere arbeidsplassen?"), ("R", "Vi så på interessene hans, han liker biler."),
         ("I", "Og mentoren?"), ("R", "Bjørn sa ja med en gang.")]


def bodies(doc):
    return [(t.speaker, doc.text[t.body_start:t.end]) for t in doc.turns]


def test_docx_bold_labels(tmp_path):
    path = tmp_path / "intervju.docx"
    write_docx_bold(path, TURNS, title="Intervju 4")
    doc = import_file(path)
    assert doc.source_format == "docx"
    assert bodies(doc) == [(None, "Intervju 4")] + TURNS


def test_docx_bold_label_without_colon_is_still_a_label(tmp_path):
    path = tmp_path / "intervju.docx"
    write_docx_bold(path, [("Intervjuer", "Fortell."), ("Kari Nordmann", "Ja, altså.")], colon=False)
    doc = import_file(path)
    assert bodies(doc) == [("Intervjuer", "Fortell."), ("Kari Nordmann", "Ja, altså.")]


def test_docx_tab_labels(tmp_path):
    path = tmp_path / "tabs.docx"
    write_docx_tabs(path, TURNS)
    assert bodies(import_file(path)) == TURNS


def test_docx_two_column_table(tmp_path):
    path = tmp_path / "tabell.docx"
    write_docx_table(path, TURNS, title="Gruppeintervju")
    doc = import_file(path)
    assert bodies(doc) == [(None, "Gruppeintervju")] + TURNS
    assert any("table" in n for n in doc.notes)


def test_odt_bold_spans(tmp_path):
    path = tmp_path / "intervju.odt"
    write_odt(path, TURNS + [("R", "Med  to  mellomrom\tog tab.")], title="Runde 2")
    doc = import_file(path)
    assert bodies(doc) == [(None, "Runde 2")] + TURNS + [("R", "Med  to  mellomrom\tog tab.")]


def test_truncated_docx_is_refused_by_name(tmp_path):
    good = tmp_path / "good.docx"
    write_docx_bold(good, TURNS)
    data = good.read_bytes()
    bad = tmp_path / "avbrutt.docx"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError) as info:
        import_file(bad)
    assert "avbrutt.docx" in str(info.value) and "damaged or truncated" in str(info.value)


def test_docx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "tekst.docx"
    path.write_text("I: this is plain text with a docx name")
    with pytest.raises(IngestError, match="not a valid .docx"):
        import_file(path)


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<a>" + b" " * 60_000_000 + b"</a>")
    with pytest.raises(IngestError, match="zip bomb"):
        import_file(path)


def test_xml_entity_expansion_is_not_performed(tmp_path):
    path = tmp_path / "lol.odt"
    content = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        "<text:p>I: &lol3;</text:p><text:p>R: svar</text:p></office:text></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    doc = import_file(path)
    assert "lollol" not in doc.text


def test_docx_without_text(tmp_path):
    path = tmp_path / "tom.docx"
    write_docx_bold(path, [])
    with pytest.raises(IngestError, match="holds no text"):
        import_file(path)
