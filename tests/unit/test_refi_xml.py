"""REFI-QDA records, XML and positions (codebench.export.refi), without a database."""

from __future__ import annotations

import unicodedata
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree

from codebench.export import refi
from codebench.ingest.archive import points_outside
from codebench.ingest.base import IngestError, normalise_text
from tests.conftest import shared_dir


def schema(name: str) -> etree.XMLSchema:
    """A REFI-QDA schema from ``shared/refi`` beside the repository (skipped if absent, failed under CI)."""
    return etree.XMLSchema(etree.parse(str(shared_dir("refi", name))))


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def make_qdpx(path: Path, qde: str | bytes, files: dict[str, bytes] | None = None, *, qde_name: str = "project.qde") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(qde_name, qde.encode("utf-8") if isinstance(qde, str) else qde)
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


G = ["aaaaaaaa-0000-4000-8000-%012d" % n for n in range(20)]


# -- code definitions in a Description --------------------------------------------------------


def test_description_carries_every_code_field_and_reads_back():
    fields = {"description": "Hva mentoren gjør.\n\nAndre avsnitt.", "inclusion": "Når mentoren forklarer.",
              "exclusion": "Ikke for lederen.", "examples": ["Jeg viser han verktøyet.", "To\n\navsnitt"],
              "memo": "Vokste fram i runde 2.", "origin": "in-vivo", "core": True, "shortcut": "m"}
    text = refi.compose_description(fields["description"], **{k: v for k, v in fields.items() if k != "description"})
    assert text.startswith("Hva mentoren gjør.\n\nAndre avsnitt.\n\nInclude: Når mentoren forklarer.")
    assert refi.parse_description(text) == fields


def test_plain_description_stays_plain():
    assert refi.compose_description("Bare en definisjon.") == "Bare en definisjon."
    assert refi.compose_description(None) is None
    parsed = refi.parse_description("Bare en definisjon.")
    assert parsed["description"] == "Bare en definisjon." and parsed["examples"] == [] and parsed["origin"] == "codebook"
    assert refi.parse_description("Include: bare inklusjon")["description"] is None


# -- text and positions --------------------------------------------------------------------------

PIECES = ["a", "Ø", "å", "a\u030a", "e\u0301\u0327", "\r\n", "\r", "\n", "\t", "\x0b", "\x85", "😀", "👍🏽", " ", "\u0301"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_normalised_text_is_what_the_importers_store_and_the_map_follows_it(pieces):
    raw = "".join(pieces)
    text = refi.SourceText(raw)
    assert text.text == normalise_text(raw, [])
    positions = [text.to_stored(i) for i in range(len(raw) + 1)]
    assert positions[0] == 0 and positions[-1] == len(text.text)
    assert positions == sorted(positions)
    for i, ch in enumerate(raw):
        composes = i + 1 < len(raw) and unicodedata.combining(raw[i + 1])
        if ch in "aØ😀 " and not composes:  # characters normalisation leaves alone keep their place
            assert text.text[positions[i]] == ch


def test_nvivo_positions_are_utf16_units_over_crlf():
    raw = "I: Går det bra?\r\nR: Ja 😀, ærlig talt går det fint.\r\nI: Og mentoren?\r\nR: Bjørn 👍🏽 er gull verdt.\r\n"
    text = refi.SourceText(raw, utf16_crlf=True)
    assert text.length == utf16_units(raw)
    for phrase in ("ærlig talt", "Bjørn 👍🏽 er gull", "😀", "I: Og mentoren?\r\nR"):
        i = raw.index(phrase)
        start, end = utf16_units(raw[:i]), utf16_units(raw[:i + len(phrase)])
        stored = text.text[text.to_stored(start):text.to_stored(end, side="end")]
        assert stored == phrase.replace("\r\n", "\n")


def test_nvivo_counts_crlf_even_where_the_file_has_bare_lf():
    raw = "Første linje 😀\nAndre linje med ø\n"
    text = refi.SourceText(raw, utf16_crlf=True)
    as_nvivo = raw.replace("\n", "\r\n")
    i = as_nvivo.index("Andre")
    start = utf16_units(as_nvivo[:i])
    end = start + utf16_units("Andre linje med ø")
    assert text.text[text.to_stored(start):text.to_stored(end, side="end")] == "Andre linje med ø"


def test_a_span_ending_inside_a_surrogate_pair_keeps_the_whole_character():
    text = refi.SourceText("ab😀cd", utf16_crlf=True)
    assert text.to_stored(3, side="end") == 3 and text.to_stored(3, side="start") == 2


# -- writing --------------------------------------------------------------------------------------


def small_project() -> refi.QdaProject:
    when = datetime(2024, 5, 2, 10, 30, 15, 250000, tzinfo=timezone.utc)
    code = refi.QdaCode(G[2], "tidspress", True, "#e15759", "Mangel på tid.", note_guids=[G[9]])
    category = refi.QdaCode(G[1], "mentor", False, "#f28e2b", "Mentorens perspektiv.", children=[code])
    variables = [refi.QdaVariable(G[10], "role"), refi.QdaVariable(G[11], "group", "Boolean"),
                 refi.QdaVariable(G[12], "round", "Integer"), refi.QdaVariable(G[13], "score", "Float")]
    source = refi.QdaSource(G[3], "Intervju M01", "I: Hei\nR: Altfor lite tid 😀 her.\n",
                            [refi.QdaCoding(G[4], G[2], 10, 25, G[0], when, "En <kodings>memo & mer\r\nneste linje")],
                            note_guids=[G[8]], values={G[12]: 2}, created=when)
    case = refi.QdaCase(G[5], "M01", {G[10]: "mentor", G[11]: True, G[13]: 0.25}, [G[3]])
    notes = [refi.QdaNote(G[7], "Prosjektmemo", "Fritt", G[0], when), refi.QdaNote(G[8], "Dokumentmemo"),
             refi.QdaNote(G[9], "Kodememo", None, G[0])]
    return refi.QdaProject("studie", "codebench test", [refi.QdaUser(G[0], "ingrid")], [category], variables, [case],
                           [source], notes, [G[7]], when)


def test_project_xml_is_valid_and_reads_back_the_same(tmp_path):
    project = small_project()
    xsd = schema("Project.xsd")
    document = refi.project_xml(project)
    assert document.startswith(b'<?xml version="1.0" encoding="utf-8"?>') and not document.startswith(b"\xef\xbb\xbf")
    assert xsd.validate(etree.fromstring(document)), xsd.error_log
    path = tmp_path / "studie.qdpx"
    refi.write_qdpx(project, path)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["project.qde", f"sources/{G[3]}.txt"]
        assert archive.read(f"sources/{G[3]}.txt") == "I: Hei\nR: Altfor lite tid 😀 her.\n".encode("utf-8")
    back = refi.read_qdpx(path)
    assert back.warnings == []
    (source,) = back.sources
    (coding,) = source.codings
    assert source.text[coding.start:coding.end] == "Altfor lite tid"
    assert (coding.guid, coding.code_guid, coding.user_guid) == (G[4], G[2], G[0])
    assert coding.memo == "En <kodings>memo & mer\r\nneste linje"  # escaped, CR kept
    assert coding.created == datetime(2024, 5, 2, 10, 30, 15, 250000, tzinfo=timezone.utc)
    assert [(c.name, c.codable, c.colour, p.name if p else None) for c, p in back.all_codes()] == [
        ("mentor", False, "#f28e2b", None), ("tidspress", True, "#e15759", "mentor")]
    assert back.cases[0].values == {G[10]: "mentor", G[11]: True, G[13]: 0.25} and back.cases[0].source_guids == [G[3]]
    assert source.values == {G[12]: 2} and source.note_guids == [G[8]]
    assert {n.guid: n.text for n in back.notes} == {G[7]: "Prosjektmemo", G[8]: "Dokumentmemo", G[9]: "Kodememo"}
    assert back.note_guids == [G[7]]


def test_codebook_xml_is_valid():
    xsd = schema("Codebook.xsd")
    document = refi.codebook_xml(small_project().codes, "codebench test")
    assert xsd.validate(etree.fromstring(document)), xsd.error_log


def test_text_xml_cannot_carry_is_dropped_not_fatal():
    project = small_project()
    project.codes[0].description = "feil\x0btegn"
    assert b"feiltegn" in refi.project_xml(project)


# -- reading codebooks ----------------------------------------------------------------------------


@pytest.mark.parametrize("namespace", ['xmlns="urn:QDA-XML:codebook:1.0"', 'xmlns="urn:QDA-XML:codebook:1:0"', "",
                                       'xmlns="urn:QDA-XML:codebook:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                                       'xsi:schemaLocation="urn:QDA-XML:codebook:0:4 Codebook.xsd"'])
def test_codebook_namespace_variants(tmp_path, namespace):
    path = tmp_path / "kodebok.qdc"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8" standalone="no" ?><CodeBook origin="NVivo 12 For Mac" {namespace}>'
                    f'<Codes><Code guid="{{{G[1].upper()}}}" name="mentor" isCodable="false"><Code guid="{G[2]}" name="tidspress" '
                    'isCodable="true" color="#ABC"><Description>Tid</Description></Code></Code></Codes><Sets/></CodeBook>',
                    encoding="utf-8")
    book = refi.read_qdc(path)
    assert [(c.guid, c.name, c.codable, c.colour, c.description) for c, _ in book.codes[0].walk()] == [
        (G[1], "mentor", False, None, None), (G[2], "tidspress", True, "#ABC", "Tid")]
    assert book.origin == "NVivo 12 For Mac" and book.warnings == []


def test_codebook_with_a_dtd_is_refused(tmp_path):
    path = tmp_path / "lol.qdc"
    path.write_text('<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                    f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{G[1]}" name="&b;" isCodable="true"/>'
                    "</Codes></CodeBook>", encoding="utf-8")
    with pytest.raises(IngestError, match="lol.qdc: refused: .*DTD"):
        refi.read_qdc(path)


def test_codebook_problems_name_the_line(tmp_path):
    path = tmp_path / "feil.qdc"
    path.write_text('<?xml version="1.0"?>\n<CodeBook>\n<Codes>\n<Code name="uten guid" isCodable="true"/>\n</Codes>\n</CodeBook>\n',
                    encoding="utf-8")
    with pytest.raises(IngestError, match=r"feil.qdc:4: <Code> has no guid"):
        refi.read_qdc(path)
    path.write_text('<?xml version="1.0"?>\n<Project name="x"/>\n', encoding="utf-8")
    with pytest.raises(IngestError, match=r"feil.qdc:2: the root element is <Project>"):
        refi.read_qdc(path)


# -- reading projects ------------------------------------------------------------------------------


def test_project_quirks_inner_name_folder_case_bom_root_file_and_braced_guids(tmp_path):
    """ATLAS.ti 26 names the .qde after the project, Sources/ in capitals, a BOM, NVivo-for-Mac's .root."""
    text = "I: Hei på deg.\nR: Hei 😀 igjen.\n"
    qde = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="Mitt prosjekt" origin="ATLAS.ti 26">'
           f'<Users><User guid="{{{G[0].upper()}}}" name="Kari"/></Users>'
           f'<CodeBook><Codes><Code guid="{G[2].upper()}" name="hilsen" isCodable="true"/></Codes></CodeBook>'
           f'<Sources><TextSource guid="{G[3]}" name="Intervju" plainTextPath="internal://{G[3].upper()}.txt">'
           f'<PlainTextSelection guid="{G[4]}" startPosition="{text.index("Hei 😀")}" endPosition="{text.index(" igjen")}" '
           f'creatingUser="{G[0]}"><Coding guid="{G[5]}"><CodeRef targetGUID="{{{G[2]}}}"/></Coding></PlainTextSelection>'
           f"</TextSource></Sources><Sets/></Project>")
    path = make_qdpx(tmp_path / "atlas.qdpx", qde, {f"Sources/{G[3].upper()}.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
                                                    "sources/.root": b""}, qde_name="Mitt prosjekt.qde")
    project = refi.read_qdpx(path)
    (source,) = project.sources
    (coding,) = source.codings
    assert source.text == text and source.text[coding.start:coding.end] == "Hei 😀"
    assert "encoding: UTF-8 with BOM (BOM removed)" in source.changes
    assert coding.user_guid == G[0] and coding.code_guid == G[2]  # the selection's user, braces and case ignored


def test_inline_text_and_whole_source_codings(tmp_path):
    qde = (f'<Project name="p"><CodeBook><Codes><Code guid="{G[2]}" name="alt" isCodable="true"/></Codes></CodeBook>'
           f'<Sources><TextSource guid="{G[3]}" name="kort"><PlainTextContent>Hele teksten.</PlainTextContent>'
           f'<Coding guid="{G[5]}" creatingUser="{G[0]}"><CodeRef targetGUID="{G[2]}"/></Coding></TextSource></Sources></Project>')
    project = refi.read_qdpx(make_qdpx(tmp_path / "inline.qdpx", qde))
    (coding,) = project.sources[0].codings
    assert (coding.start, coding.end) == (0, len("Hele teksten."))
    assert project.warnings == ["1 coding user(s) not listed under <Users>; named after their GUID"]


def test_notes_on_codings_become_the_coding_memo(tmp_path):
    qde = (f'<Project name="p"><CodeBook><Codes><Code guid="{G[2]}" name="k" isCodable="true"/></Codes></CodeBook>'
           f'<Sources><TextSource guid="{G[3]}" name="s"><PlainTextContent>Noen ord her.</PlainTextContent>'
           f'<PlainTextSelection guid="{G[4]}" startPosition="0" endPosition="4"><Description>Beskrivelse</Description>'
           f'<Coding guid="{G[5]}"><CodeRef targetGUID="{G[2]}"/><NoteRef targetGUID="{G[7]}"/></Coding></PlainTextSelection>'
           f'</TextSource></Sources><Notes><Note guid="{G[7]}"><PlainTextContent>Notatet</PlainTextContent></Note>'
           f'<Note guid="{G[8]}" name="løs"><PlainTextContent>Fritt notat</PlainTextContent></Note></Notes></Project>')
    project = refi.read_qdpx(make_qdpx(tmp_path / "notes.qdpx", qde))
    assert project.sources[0].codings[0].memo == "Beskrivelse\n\nNotatet"
    assert [n.guid for n in project.notes] == [G[8]]


@pytest.mark.parametrize("name, outside", [
    ("sources/a.txt", False), ("Sources/a b.txt", False), ("../a.txt", True), ("sources/../../a.txt", True),
    ("/etc/passwd", True), ("..\\..\\a.txt", True), ("C:/Windows/a.txt", True), ("a..b.txt", False),
])
def test_member_names_that_point_outside(name, outside):
    assert points_outside(name) is outside


def test_a_source_outside_the_archive_is_refused_when_coded_and_skipped_otherwise(tmp_path):
    def qde(coded: bool) -> str:
        coding = (f'<PlainTextSelection guid="{G[4]}" startPosition="0" endPosition="1"><Coding guid="{G[5]}">'
                  f'<CodeRef targetGUID="{G[2]}"/></Coding></PlainTextSelection>') if coded else ""
        return (f'<Project name="p"><CodeBook><Codes><Code guid="{G[2]}" name="k" isCodable="true"/></Codes></CodeBook>'
                f'<Sources><TextSource guid="{G[3]}" name="ekstern" plainTextPath="absolute:///home/kari/intervju.txt">'
                f"{coding}</TextSource></Sources></Project>")
    project = refi.read_qdpx(make_qdpx(tmp_path / "skip.qdpx", qde(False)))
    assert project.sources == [] and "source 'ekstern' skipped: its text is not inside the archive" in project.warnings
    with pytest.raises(IngestError, match=r"coded.qdpx: project.qde:1: source 'ekstern' points to a file outside the .qdpx"):
        refi.read_qdpx(make_qdpx(tmp_path / "coded.qdpx", qde(True)))
