"""REFI-QDA projects and codebooks through the services and the CLI, on real SQLite projects."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from codebench import services
from codebench.cli import main
from codebench.domain.spans import OffsetMap, Span
from codebench.services import anonymisation, interchange
from tests.conftest import shared_dir


G = ["bbbbbbbb-0000-4000-8000-%012d" % n for n in range(30)]


def xsd(name: str) -> etree.XMLSchema:
    """A REFI-QDA schema from ``shared/refi`` beside the repository (skipped if absent, failed under CI)."""
    return etree.XMLSchema(etree.parse(str(shared_dir("refi", name))))


def sample(name: str) -> Path:
    """A file written by another QDA tool, from ``shared/refi/samples`` (skipped if absent, failed under CI)."""
    return shared_dir("refi", "samples", name)


def make_qdpx(path: Path, qde: str | bytes, files: dict[str, bytes] | None = None, *, qde_name: str = "project.qde",
              compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr(qde_name, qde.encode("utf-8") if isinstance(qde, str) else qde)
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


def table_counts(project: services.Project) -> dict[str, int]:
    with sqlite3.connect(project.url.split("///", 1)[1]) as conn:
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("documents", "turns", "participants", "codes", "coders", "codings", "memos", "audit_log")}


@pytest.fixture(scope="module")
def demo(reviewed_sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> services.Project:
    """The sample project, reviewed, with a memo of every kind (on a code, a document, the project, a coding)."""
    folder = tmp_path_factory.mktemp("refi") / "demo"
    shutil.copytree(reviewed_sample_dir, folder)
    project = services.open_project(folder)
    services.add_memo(project, "Kapasitet henger sammen med lederstøtte.", code="kapasitet og portefølje",
                      title="Kapasitet", author="ingrid")
    services.add_memo(project, "Intervjuet ble avbrutt etter 40 minutter.", document=1, author="per")
    services.add_memo(project, "Samskaping ser ut til å være kjernen.\n\nTo avsnitt.", title="Fritt memo")
    first = services.codings(project)[0]
    services.set_coding_memo(project, first.uuid, "Typisk for runde 1.", coder=first.coder)
    services.update_code(project, "samskaping", memo="Vokste fram sent; se memoet.")
    return project


@pytest.fixture(scope="module")
def original_export(demo: services.Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "demo.qdpx"
    services.export_qdpx(demo, path, original=True)
    return path


# -- export -------------------------------------------------------------------------------------


def test_demo_export_is_a_valid_qdpx(demo, tmp_path):
    path = tmp_path / "demo.qdpx"
    summary = services.export_qdpx(demo, path)
    stats = services.stats(demo)
    assert (summary.documents, summary.codings, summary.codes, summary.anonymised) == (stats.documents, stats.codings, 69, True)
    with zipfile.ZipFile(path) as archive:
        qde = archive.read("project.qde")
        texts = {n: archive.read(n) for n in archive.namelist() if n != "project.qde"}
    assert not qde.startswith(b"\xef\xbb\xbf")
    root = etree.fromstring(qde)
    schema = xsd("Project.xsd")
    assert schema.validate(root), schema.error_log
    ns = {"q": "urn:QDA-XML:project:1.0"}
    assert [u.get("name") for u in root.findall("q:Users/q:User", ns)] == ["ingrid", "per"]
    sources = root.findall("q:Sources/q:TextSource", ns)
    assert len(sources) == stats.documents == len(texts)
    for source in sources:
        data = texts[f"sources/{source.get('guid')}.txt"]
        assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    assert len(root.findall(".//q:PlainTextSelection/q:Coding", ns)) == stats.codings
    assert len(root.findall("q:Cases/q:Case", ns)) == len(services.participants(demo))
    assert {v.get("name") for v in root.findall("q:Variables/q:Variable", ns)} >= {"role", "site", "round", "group"}
    top = root.findall("q:CodeBook/q:Codes/q:Code", ns)
    assert [c.get("name") for c in top] == ["veileder", "IA-rådgiver", "mentor", "arbeidsgiver", "samskaping"]
    assert all(c.get("isCodable") == "false" for c in top)


def test_codebook_export_is_a_valid_qdc(demo, tmp_path):
    path = tmp_path / "hybrid.qdc"
    summary = services.export_qdc(demo, path)
    root = etree.parse(str(path)).getroot()
    schema = xsd("Codebook.xsd")
    assert schema.validate(root), schema.error_log
    assert summary.codes == len(root.findall(".//{urn:QDA-XML:codebook:1.0}Code")) == 69


def test_export_writes_renditions_and_maps_spans(demo, tmp_path, monkeypatch):
    """Anonymised by default: text, names and spans come from the rendition, free text from the anonymiser."""
    real = anonymisation.rendition

    def fake(project, document, *, anonymised=True):
        shown = real(project, document, anonymised=False)
        if not anonymised:
            return shown
        # Every "NAV" becomes a longer pseudonym, so spans after it must move.
        spans = [Span(i, i + 3) for i in range(len(shown.text)) if shown.text.startswith("NAV", i)]
        text, offsets = shown.text, OffsetMap(len(shown.text), [(s, len("Etaten")) for s in spans])
        for span in reversed(spans):
            text = text[:span.start] + "Etaten" + text[span.end:]
        return shown._replace(name=f"Dokument {shown.document_id}", text=text, offsets=offsets)

    monkeypatch.setattr(anonymisation, "rendition", fake)
    # Exports render all documents with one load of the decisions; the stand-in does the same.
    monkeypatch.setattr(anonymisation, "renditions",
                        lambda project, documents, texts: (fake(project, d.id) for d in documents))
    monkeypatch.setattr(anonymisation, "anonymise_free_text", lambda project, text: text.replace("lederstøtte", "[…]"))
    path = tmp_path / "anon.qdpx"
    services.export_qdpx(demo, path)
    data = interchange.refi.read_qdpx(path)
    originals = {d.uuid: d for d in services.list_documents(demo)}
    quotes = {q.coding_uuid: q.text for q in services.quotes(demo)}
    moved = 0
    for source in data.sources:
        assert source.name == f"Dokument {originals[source.guid].id}" and "NAV" not in source.text
        for coding in source.codings:
            assert source.text[coding.start:coding.end] == quotes[coding.guid].replace("NAV", "Etaten")
            moved += "NAV" in quotes[coding.guid]
    assert moved > 0
    assert all("lederstøtte" not in n.text for n in data.notes)
    assert "NAV" not in data.sources[0].text


def test_original_export_warns_on_the_command_line(demo, tmp_path):
    result = CliRunner().invoke(main, ["export", "qdpx", str(demo.root), "-o", str(tmp_path / "o.qdpx"), "--original"])
    assert result.exit_code == 0, result.output
    assert "holds the ORIGINAL transcripts" in result.stderr
    assert "288 coding(s)" in result.stdout and "(ORIGINAL TEXT)" in result.stdout
    quiet = CliRunner().invoke(main, ["export", "qdpx", str(demo.root), "-o", str(tmp_path / "a.qdpx")])
    assert quiet.exit_code == 0 and quiet.stderr == "" and "(de-identified, not anonymous (" in quiet.stdout and "every suggestion reviewed" in quiet.stdout
    book = CliRunner().invoke(main, ["export", "qdc", str(demo.root), "-o", str(tmp_path / "a.qdc")])
    assert book.exit_code == 0 and "69 code(s)" in book.stdout


# -- round trip ----------------------------------------------------------------------------------


def _tree(project: services.Project) -> list[tuple]:
    tree = services.code_tree(project)
    names = {c.id: c.name for c in tree}
    return [(c.uuid, c.kind, c.name, names.get(c.parent_id), c.position, c.description, c.inclusion, c.exclusion,
             c.examples, c.colour, c.shortcut, c.origin, c.core, c.memo) for c in tree]


def _documents(project: services.Project) -> list[tuple]:
    found = []
    for info in services.list_documents(project):
        person = info.participant
        found.append((info.uuid, info.name, info.sha256, info.length, info.round, services.get_document(project, info.id).text,
                      person and (person.pid, person.role, person.site, person.attributes)))
    return sorted(found)


def _codings(project: services.Project) -> list[tuple]:
    docs = {d.id: d.name for d in services.list_documents(project)}
    codes = {c.id: c.name for c in services.code_tree(project)}
    return sorted((c.uuid, docs[c.document_id], c.start, c.end, codes[c.code_id], c.coder, c.memo, c.text_sha256,
                   c.created_at.replace(tzinfo=None)) for c in services.codings(project))


def _memos(project: services.Project) -> list[tuple]:
    docs = {d.id: d.name for d in services.list_documents(project)}
    codes = {c.id: c.name for c in services.code_tree(project)}
    target = {"code": codes, "document": docs}
    return sorted((m["target_type"], target.get(m["target_type"], {}).get(m["target_id"]), m["title"], m["text"], m["author"],
                   m["created_at"].replace(tzinfo=None)) for m in services.memos(project))


def test_round_trip_is_exact(demo, original_export, tmp_path):
    fresh = services.init_project(tmp_path / "fresh")
    report = services.import_qdpx(fresh, original_export)
    assert report.warnings == []
    assert (len(report.documents_added), report.codes_added, report.codings_added, report.memos_added) == (54, 69, 288, 3)
    assert sorted(report.coders_added) == ["ingrid", "per"]
    assert _documents(fresh) == _documents(demo)
    assert _tree(fresh) == _tree(demo)
    assert _codings(fresh) == _codings(demo)
    assert _memos(fresh) == _memos(demo)
    people = lambda project: sorted((p.pid, p.role, p.site, p.attributes) for p in services.participants(project))  # noqa: E731
    assert people(fresh) == people(demo)
    again = services.import_qdpx(fresh, original_export)
    assert (len(again.documents_added), again.codes_added, again.codings_added, again.memos_added) == (0, 0, 0, 0)
    assert (len(again.documents_existing), again.codes_matched, again.codings_present) == (54, 69, 288)
    assert _codings(fresh) == _codings(demo)
    # and out again: the second export describes the same project
    second = tmp_path / "second.qdpx"
    services.export_qdpx(fresh, second, original=True)
    first_data, second_data = interchange.refi.read_qdpx(original_export), interchange.refi.read_qdpx(second)
    assert [(u.guid, u.name) for u in first_data.users] == [(u.guid, u.name) for u in second_data.users]
    assert sorted(c.guid for c in first_data.cases) == sorted(c.guid for c in second_data.cases)


def test_import_into_the_project_it_came_from_adds_nothing(demo, original_export):
    before = table_counts(demo)
    report = services.import_qdpx(demo, original_export)
    assert (report.codings_added, len(report.documents_added), report.codes_added, report.memos_added) == (0, 0, 0, 0)
    after = table_counts(demo)
    assert {k: v for k, v in after.items() if k != "audit_log"} == {k: v for k, v in before.items() if k != "audit_log"}


def test_coder_map_renames_users(original_export, tmp_path):
    fresh = services.init_project(tmp_path / "mapped")
    report = services.import_qdpx(fresh, original_export, coder_map={"ingrid": "Ingrid H", "nobody": "x"})
    assert sorted(report.coders_added) == ["Ingrid H", "per"]
    assert "coder map: no user called nobody in the file" in report.warnings
    assert services.stats(fresh).codings_by_coder == {"Ingrid H": 152, "per": 136}


def test_cli_import_reports_what_it_did(original_export, tmp_path):
    services.init_project(tmp_path / "cli").close()
    result = CliRunner().invoke(main, ["import-refi", str(tmp_path / "cli"), str(original_export), "--coder-map", "per=Per"])
    assert result.exit_code == 0, result.output
    assert "54 document(s) added" in result.stdout and "288 coding(s) added" in result.stdout
    bad = CliRunner().invoke(main, ["import-refi", str(tmp_path / "cli"), str(original_export), "--coder-map", "per"])
    assert bad.exit_code == 1 and "write it as OLD=NEW" in bad.output
    other = CliRunner().invoke(main, ["import-refi", str(tmp_path / "cli"), str(tmp_path / "x.nvp")])
    assert other.exit_code == 1 and "expected a .qdpx project or a .qdc codebook" in other.output


# -- files from other tools -------------------------------------------------------------------


def test_atlas_project_with_users_and_nested_codes(project):
    report = services.import_qdpx(project, sample("atlasti-23.2.3_target-atlas-project.qdpx"))
    assert (report.codes_added, report.codings_added, report.documents_added, report.coders_added) == (3, 0, [], [])
    tree = services.code_tree(project)
    assert [(c.kind, c.name, c.uuid) for c in tree] == [
        ("category", "Commits", "a182cd3a-d83c-4d8c-bc80-26d9103ec6d6"),
        ("code", "2022-05-10T02:05:59Z 19e4dce", "2d2466f0-d77f-4f8c-bdf9-628966b6b74d"),
        ("code", "2022-02-11T10:39:25Z cdbfd92", "086ac733-7b1c-4749-a138-d7182f63a5c9")]


def test_maxqda_project_with_sources_descriptions_and_sets(project):
    report = services.import_qdpx(project, sample("maxqda-24.7.0_icls-just10.qdpx"))
    assert len(report.documents_added) == 10 and report.codes_added == 307 and report.codings_added == 0
    assert report.warnings == ["2 set(s) (groups of sources or codes) not imported: codebench has no such thing"]
    tree = services.code_tree(project)
    assert sum(c.kind == "category" for c in tree) == 18 and sum(c.kind == "code" for c in tree) == 289
    assert all(c.description for c in tree)
    affinity = next(c for c in tree if c.name == "THEME - Affinity Spaces (Gee)")
    assert affinity.colour == "#ef8256" and affinity.description == "Apply this code when a study uses Gee's concept of affinity spaces."
    doc = services.get_document(project, "ICLS 2024 3-10")
    with zipfile.ZipFile(sample("maxqda-24.7.0_icls-just10.qdpx")) as archive:
        raw = archive.read("sources/C5E4C960-5296-4FDE-8C63-DEABA4E17F92.txt").decode("utf-8")
    assert doc.text == raw and doc.info.length == 33881 and doc.info.uuid == "c5e4c960-5296-4fde-8c63-deaba4e17f92"


def test_atlas_codebook_with_sets(project):
    before = len(services.code_tree(project))
    report = services.import_qdc(project, sample("atlasti-23.4.0_codebook-with-sets.qdc"))
    assert report.codes_added == 1 and report.warnings == ["1 code set(s) not imported: codebench groups codes by categories only"]
    code = next(c for c in services.code_tree(project) if c.name == "code1")
    assert (code.kind, code.colour, code.description, code.parent_id) == ("code", "#46AA00", "description", None)
    assert len(services.code_tree(project)) == before + 1


def test_taguette_codebook_with_empty_sets(project):
    report = services.import_qdc(project, sample("taguette-1.4.1_codebook.qdc"))
    assert report.codes_added == 3 and report.warnings == []
    assert [(c.kind, c.name) for c in services.code_tree(project)] == [
        ("code", "xsd:element name"), ("code", "CodeBook"), ("code", "Variables")]
    assert services.import_qdc(project, sample("taguette-1.4.1_codebook.qdc")).codes_matched == 3


def test_codes_match_existing_ones_by_name(coded_project):
    before = len(services.code_tree(coded_project))
    qdc = coded_project.root / "egen.qdc"
    qdc.write_text(f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{G[1]}" name="Mentor" isCodable="true">'
                   f'<Code guid="{G[2]}" name="ny kode" isCodable="true"/></Code></Codes></CodeBook>', encoding="utf-8")
    report = services.import_qdc(coded_project, qdc)
    assert (report.codes_matched, report.codes_added) == (1, 1)
    new = next(c for c in services.code_tree(coded_project) if c.name == "ny kode")
    parent = next(c for c in services.code_tree(coded_project) if c.id == new.parent_id)
    assert parent.name == "mentor" and len(services.code_tree(coded_project)) == before + 1


def test_codes_sharing_a_name_in_the_file_stay_apart(project, tmp_path):
    qdc = tmp_path / "grupper.qdc"
    qdc.write_text(f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                   f'<Code guid="{G[1]}" name="Mentor" isCodable="true"><Code guid="{G[2]}" name="Annet" isCodable="true"/></Code>'
                   f'<Code guid="{G[3]}" name="Leder" isCodable="true"><Code guid="{G[4]}" name="annet" isCodable="true"/></Code>'
                   f"</Codes></CodeBook>", encoding="utf-8")
    report = services.import_qdc(project, qdc)
    assert report.codes_added == 4 and report.warnings == ["code 'annet' is named 'annet (Leder)': the project already has a 'annet'"]
    tree = {c.uuid: c for c in services.code_tree(project)}
    assert (tree[G[2]].name, tree[G[2]].parent_id) == ("Annet", tree[G[1]].id)
    assert (tree[G[4]].name, tree[G[4]].parent_id) == ("annet (Leder)", tree[G[3]].id)
    again = services.import_qdc(project, qdc)
    assert (again.codes_added, again.codes_matched) == (0, 4)


def nvivo_project(tmp_path: Path) -> tuple[Path, str, list[str]]:
    """An NVivo-for-Windows-style export: UTF-8 with BOM, CRLF, positions in UTF-16 units over CRLF."""
    raw = ("I: Hvordan går det på jobben nå?\r\nR: Det går bra 😀, men ærlig talt er været grått i Tromsø.\r\n"
           "I: Og mentoren din?\r\nR: Bjørn er gull verdt 👍🏽 – han ser meg.\r\n")
    phrases = ["ærlig talt", "Bjørn er gull verdt 👍🏽", "grått i Tromsø.\r\nI: Og mentoren"]

    def units(text: str) -> int:
        return len(text.encode("utf-16-le")) // 2

    selections = []
    for n, phrase in enumerate(phrases):
        start = units(raw[:raw.index(phrase)])
        selections.append(
            f'<PlainTextSelection guid="{G[10 + n]}" name="{phrase}" startPosition="{start}" endPosition="{start + units(phrase)}" '
            f'creatingUser="{G[0]}" creationDateTime="2021-03-04T09:10:11Z"><Coding guid="{G[20 + n]}" creatingUser="{G[1]}" '
            f'creationDateTime="2021-03-04T09:10:12Z"><CodeRef targetGUID="{G[2]}"/></Coding></PlainTextSelection>')
    qde = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" name="NVivo-prosjekt" '
           f'origin="NVivo for Windows 12.6" xmlns="urn:QDA-XML:project:1.0"><Users><User guid="{G[0]}" name="Sel Ektor"/>'
           f'<User guid="{G[1]}" name="Kari Koder"/></Users><CodeBook><Codes><Code guid="{G[2]}" name="trivsel" isCodable="true"/>'
           f'</Codes></CodeBook><Sources><TextSource guid="{G[3]}" name="Intervju Tromsø" plainTextPath="internal://{G[3]}.txt">'
           + "".join(selections) + "</TextSource></Sources></Project>")
    path = make_qdpx(tmp_path / "nvivo.qdpx", qde, {f"sources/{G[3]}.txt": b"\xef\xbb\xbf" + raw.encode("utf-8"),
                                                     "sources/.root": b""})
    return path, raw, phrases


def test_nvivo_positions_become_code_points_of_the_lf_text(project, tmp_path):
    path, raw, phrases = nvivo_project(tmp_path)
    report = services.import_qdpx(project, path)
    assert report.codings_added == 3 and report.coders_added == ["Kari Koder"]
    assert report.warnings == ["positions counted as UTF-16 units over CRLF text, as NVivo for Windows 12.6 writes them"]
    doc = services.get_document(project, "Intervju Tromsø")
    assert doc.text == raw.replace("\r\n", "\n")
    found = sorted((c.start, doc.text[c.start:c.end], c.coder, c.created_at.replace(tzinfo=None))
                   for c in services.codings(project))
    assert [f[1] for f in found] == sorted((p.replace("\r\n", "\n") for p in phrases), key=doc.text.index)
    assert {f[2] for f in found} == {"Kari Koder"}  # Coding@creatingUser wins over the selection's
    assert {f[3] for f in found} == {datetime(2021, 3, 4, 9, 10, 12)}


# -- refusals ------------------------------------------------------------------------------------


def _valid_qde(selection: str = "", source_path: str | None = None) -> str:
    path = source_path or f"internal://{G[3]}.txt"
    return (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="ondsinnet">'
            f'<CodeBook><Codes><Code guid="{G[2]}" name="helt ny kode" isCodable="true"/></Codes></CodeBook>'
            f'<Sources><TextSource guid="{G[4]}" name="god kilde" plainTextPath="internal://{G[4]}.txt"/>'
            f'<TextSource guid="{G[3]}" name="kilde" plainTextPath="{path}">{selection}</TextSource></Sources></Project>')


SELECTION = (f'<PlainTextSelection guid="{G[5]}" startPosition="0" endPosition="{{end}}"><Coding guid="{G[6]}">'
             f'<CodeRef targetGUID="{G[2]}"/></Coding></PlainTextSelection>')
GOOD = {f"sources/{G[4]}.txt": "En helt annen tekst.".encode("utf-8"), f"sources/{G[3]}.txt": "Tolv tegn her".encode("utf-8")}


def _bomb(tmp_path: Path) -> Path:
    return make_qdpx(tmp_path / "bomb.qdpx", _valid_qde(), {**GOOD, f"sources/{G[3]}.txt": b"\0" * 30_000_000})


def _traversal(tmp_path: Path) -> Path:
    return make_qdpx(tmp_path / "traversal.qdpx", _valid_qde(), {**GOOD, "../../evil.txt": b"x"})


def _traversal_in_path(tmp_path: Path) -> Path:
    return make_qdpx(tmp_path / "sti.qdpx", _valid_qde(SELECTION.format(end=3), "internal://../../etc/passwd"), GOOD)


def _entities(tmp_path: Path) -> Path:
    qde = ('<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
           '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>'
           '<Project xmlns="urn:QDA-XML:project:1.0" name="&lol2;"/>')
    return make_qdpx(tmp_path / "lol.qdpx", qde)


def _missing_source(tmp_path: Path) -> Path:
    return make_qdpx(tmp_path / "mangler.qdpx", _valid_qde(SELECTION.format(end=3)), {f"sources/{G[4]}.txt": b"En helt annen tekst."})


def _beyond(tmp_path: Path) -> Path:
    return make_qdpx(tmp_path / "forlang.qdpx", _valid_qde(SELECTION.format(end=99)), GOOD)


def _not_xml(tmp_path: Path) -> Path:
    return make_qdpx(tmp_path / "brutt.qdpx", "<Project name='x'>\n<Users>\n</Project>")


def _unknown_code(tmp_path: Path) -> Path:
    return make_qdpx(tmp_path / "ukjent.qdpx", _valid_qde(SELECTION.format(end=3).replace(G[2], G[9])), GOOD)


@pytest.mark.parametrize("build, message", [
    (_bomb, r"bomb.qdpx: refused: member 'sources/.*\.txt' expands \d+× \(zip bomb\?\)"),
    (_traversal, r"traversal.qdpx: refused: archive member '../../evil.txt' points outside the archive"),
    (_traversal_in_path, r"sti.qdpx: project.qde:1: refused: source 'kilde' points outside the archive \(internal://../../etc/passwd\)"),
    (_entities, r"lol.qdpx: refused: project.qde declares a DTD or entities"),
    (_missing_source, r"mangler.qdpx: project.qde:1: source 'kilde': the file internal://.*\.txt is missing from the archive"),
    (_beyond, r"forlang.qdpx: project.qde:1: selection \[0, 99\) goes beyond the end of 'kilde' \(13 code points\)"),
    (_not_xml, r"brutt.qdpx:3: project.qde is not well-formed XML"),
    (_unknown_code, r"ukjent.qdpx: project.qde:1: a coding refers to code .*, which the codebook does not hold"),
])
def test_bad_archives_are_refused_and_change_nothing(coded_project, tmp_path, build, message):
    path = build(tmp_path)
    before = table_counts(coded_project)
    with pytest.raises(services.ServiceError, match=message):
        services.import_qdpx(coded_project, path)
    assert table_counts(coded_project) == before
    result = CliRunner().invoke(main, ["import-refi", str(coded_project.root), str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output and result.output.startswith("codebench: ")
    assert table_counts(coded_project) == before


def test_a_failure_while_writing_leaves_the_project_unchanged(coded_project, tmp_path, monkeypatch):
    path = make_qdpx(tmp_path / "ok.qdpx", _valid_qde(SELECTION.format(end=3)), GOOD)
    before = table_counts(coded_project)

    def crash(*args, **kwargs):
        raise services.ServiceError("disk full (simulated)")

    monkeypatch.setattr(interchange, "_memos", crash)
    with pytest.raises(services.ServiceError, match="simulated"):
        services.import_qdpx(coded_project, path)
    assert table_counts(coded_project) == before
    monkeypatch.undo()
    report = services.import_qdpx(coded_project, path)
    assert (len(report.documents_added), report.codings_added, report.coders_added) == (2, 1, ["unknown"])
    (coding,) = [c for c in services.codings(coded_project) if c.uuid == G[6]]
    assert services.get_document(coded_project, coding.document_id).text[coding.start:coding.end] == "Tol"


def test_export_to_an_unwritable_place_is_a_clear_error(coded_project, tmp_path):
    with pytest.raises(services.ServiceError, match="cannot write the file"):
        services.export_qdpx(coded_project, tmp_path / "no" / "such" / "folder.qdpx", allow_unreviewed=True)
    assert not list(tmp_path.glob("**/*.part"))


def test_coding_times_and_memos_survive(coded_project, tmp_path):
    services.apply_code(coded_project, "kari", 4, 20, "tidspress", "ingrid", memo="første")
    path = tmp_path / "k.qdpx"
    services.export_qdpx(coded_project, path, original=True)
    fresh = services.init_project(tmp_path / "k")
    services.import_qdpx(fresh, path)
    (a,), (b,) = services.codings(coded_project), services.codings(fresh)
    assert (a.uuid, a.start, a.end, a.memo, a.coder) == (b.uuid, b.start, b.end, b.memo, b.coder)
    assert a.created_at.replace(tzinfo=timezone.utc) == b.created_at.replace(tzinfo=timezone.utc)


# -- with the real anonymiser (rules and names, no NER model) ---------------------------------------

INTERVIEW = (
    "I: Hvem følger deg opp på verkstedet?\n\n"
    "R: Det er Ragnhild Solberg. Ragnhild har vært der lenge, og Ragnhilds kontor er ved lageret.\n\n"
    "I: Og fra Nav?\n\n"
    "R: Øyvind Lunde på NAV Fjellby. Han ringer fra 915 55 123 hver fredag.\n\n"
    "I: Hva har det betydd?\n\n"
    "R: Alt, egentlig. Ragnhild sier det samme.\n"
)


def test_real_anonymisation_reaches_text_spans_names_and_memos(project, tmp_path):
    path = tmp_path / "M09 Ragnhild Solberg runde 1.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    assert not services.import_files(project, [path], services.ParticipantSpec(role="mentor", round=1)).errors
    services.load_codebook(project, Path(__file__).resolve().parents[2] / "codebooks" / "hybridmodellen.yaml")
    doc = services.list_documents(project)[0]
    for phrase, code in (("Ragnhild Solberg. Ragnhild har vært der lenge", "god mentor"), ("Han ringer fra 915 55 123", "tidspress"),
                         ("Alt, egentlig.", "tidspress")):
        start = INTERVIEW.index(phrase)
        services.apply_code(project, doc.id, start, start + len(phrase), code, "ingrid", memo=f"Om {phrase[:16]}")
    services.add_memo(project, "Ragnhild Solberg er en typisk mentor.", document=doc.id, author="ingrid")
    # An in-vivo code is named with the informant's words: here a name.
    start = INTERVIEW.index("Ragnhilds kontor")
    end = start + len("Ragnhilds kontor er ved lageret")
    services.apply_code(project, doc.id, start, end, services.in_vivo_code_name(project, doc.id, start, end), "ingrid",
                        create="in-vivo")
    anonymisation.detect(project, use_model=False)
    anonymisation.auto_accept(project, threshold=0.0)
    anonymisation.mark_residual_read(project)

    target = tmp_path / "anonym.qdpx"
    services.export_qdpx(project, target)
    with zipfile.ZipFile(target) as archive:
        written = "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    services.export_qdc(project, tmp_path / "kodebok.qdc")
    written += (tmp_path / "kodebok.qdc").read_text(encoding="utf-8")
    printed = CliRunner().invoke(main, ["quotes", str(project.root), "--format", "csv"])
    assert printed.exit_code == 0 and "kontor er ved lageret" in printed.output
    written += printed.output
    for secret in ("Ragnhild", "Solberg", "Øyvind Lunde", "915 55 123"):
        assert secret not in written, secret
    data = interchange.refi.read_qdpx(target)
    (source,) = data.sources
    shown = anonymisation.rendition(project, doc.id)
    assert (source.name, source.text) == (shown.name, shown.text)
    expected = {q.coding_uuid: q.text for q in services.quotes(project, anonymised=True)}
    assert {c.guid: source.text[c.start:c.end] for c in source.codings} == expected

    original = tmp_path / "original.qdpx"
    services.export_qdpx(project, original, original=True)
    with zipfile.ZipFile(original) as archive:
        assert "Ragnhild Solberg" in archive.read("project.qde").decode("utf-8")  # the check above could fail
    assert original.stat().st_mode & 0o077 == 0  # identifiable: owner only


def test_batched_free_text_equals_one_call_per_text(project):
    texts = ["Ragnhild sa nei.", "Ingen navn her.", "Linje\nmed Ragnhild\n\nog mer", "Øyvind og Ragnhild"]
    anonymisation.add_name(project, "Ragnhild", coder="test")
    anonymisation.add_name(project, "Øyvind", coder="test")
    batched = interchange._Anonymiser(project, True)
    batched.prepare(texts)
    assert [batched(t) for t in texts] == [anonymisation.anonymise_free_text(project, t) for t in texts]
    assert batched("Ragnhild sa nei.") != "Ragnhild sa nei."
