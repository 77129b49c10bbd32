"""The services layer on a real SQLite file: import, codebook, coding, retrieval, undo."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml

from codebench import services
from codebench.domain.codebook import CodebookError
from tests.concurrency import concurrent_coders

REPO = Path(__file__).resolve().parents[2]
HYBRID = REPO / "codebooks" / "hybridmodellen.yaml"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def table_counts(project: services.Project) -> dict[str, int]:
    db = project.url.split("///", 1)[1]
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("documents", "turns", "participants", "codes", "codings", "audit_log", "memos")}


def test_project_file_uses_wal_and_foreign_keys(project):
    with project.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_init_refuses_an_existing_project(project):
    with pytest.raises(services.ServiceError, match="already a codebench project"):
        services.init_project(project.root)


def test_open_a_folder_that_is_not_a_project(tmp_path):
    with pytest.raises(services.ServiceError, match="not a codebench project"):
        services.open_project(tmp_path)


def test_import_records_participant_round_and_notes(project, tmp_path):
    path = write(tmp_path, "m1.txt", "I: Hei\nR: Hei på deg\n")
    report = services.import_files(project, [path], services.ParticipantSpec(role="Mentor", round=2, site="Sørvik"))
    assert not report.errors
    (doc,) = report.added
    assert doc.participant.pid == "M01" and doc.participant.role == "mentor" and doc.participant.site == "Sørvik"
    assert doc.round == 2 and doc.turn_count == 2 and doc.word_count == 6
    assert "encoding: UTF-8" in doc.import_notes
    text = services.get_document(project, "m1")
    assert text.text == "I: Hei\nR: Hei på deg\n" and len(text.info.sha256) == 64


def test_reimport_same_content_is_detected_by_hash(project, tmp_path):
    first = write(tmp_path, "a.txt", "I: Hei\nR: Hallo\n")
    copy = tmp_path / "kopi.txt"
    copy.write_bytes(b"\xef\xbb\xbfI: Hei\r\nR: Hallo\r\n")  # same text after normalisation
    services.import_files(project, [first])
    report = services.import_files(project, [copy])
    assert report.added == [] and report.duplicates == [(str(copy), "a")]


def test_one_bad_file_imports_nothing(project, tmp_path):
    good = write(tmp_path, "god.txt", "I: Hei\nR: Hallo\n")
    bad = write(tmp_path, "tom.txt", "")
    before = table_counts(project)
    report = services.import_files(project, [good, bad])
    assert report.added == [] and len(report.errors) == 1 and "tom.txt" in report.errors[0]
    assert table_counts(project) == before
    report = services.import_files(project, [good, bad], skip_bad=True)
    assert [d.name for d in report.added] == ["god"]


def test_participants_yaml_beside_the_files(project, tmp_path):
    write(tmp_path, "participants.yaml", yaml.safe_dump({
        "participants": {"V07": {"role": "veileder", "site": "Fjellby", "kjønn": "k"}},
        "documents": {"v7.txt": {"participant": "V07", "round": 1}, "v7b.txt": {"participant": "V07", "round": 2}},
    }, allow_unicode=True))
    files = [write(tmp_path, "v7.txt", "I: a\nR: b\n"), write(tmp_path, "v7b.txt", "I: c\nR: d\n")]
    # `codebench import p folder/*` names the participants file too: it is read, not refused.
    report = services.import_files(project, [tmp_path / "participants.yaml", *files])
    assert not report.errors
    assert [(d.participant.pid, d.participant.role, d.round) for d in report.added] == [("V07", "veileder", 1), ("V07", "veileder", 2)]
    (person,) = services.participants(project)
    assert person.site == "Fjellby" and person.attributes == {"kjønn": "k"}


def test_broken_participants_yaml_names_file_and_line(project, tmp_path):
    write(tmp_path, "participants.yaml", "participants:\n  V01: [role\n")
    path = write(tmp_path, "a.txt", "I: a\nR: b\n")
    report = services.import_files(project, [path])
    assert report.added == [] and len(report.errors) == 1
    assert "participants.yaml:3: not valid YAML" in report.errors[0]


def test_unknown_role_is_refused(project, tmp_path):
    path = write(tmp_path, "a.txt", "I: a\nR: b\n")
    report = services.import_files(project, [path], services.ParticipantSpec(role="sjef"))
    assert report.added == [] and "unknown role 'sjef'" in report.errors[0]


def test_codebook_load_is_idempotent_and_keeps_open_codes(coded_project):
    project = coded_project
    services.apply_code(project, "kari", 39, 80, "lederen spurte", "ingrid", create="in-vivo")
    report = services.load_codebook(project, HYBRID)
    assert report.added == [] and report.updated == []
    names = {c.name: c for c in services.code_tree(project)}
    assert names["lederen spurte"].origin == "in-vivo" and names["lederen spurte"].parent_id is None


def test_broken_codebook_changes_nothing(project, tmp_path):
    path = write(tmp_path, "feil.yaml", "name: x\ncategories:\n  - name: a\n    colour: red\n")
    before = table_counts(project)
    with pytest.raises(CodebookError) as info:
        services.load_codebook(project, path)
    assert str(info.value.problems[0]).startswith(f"{path}:4:13:")
    assert table_counts(project) == before


def test_codebook_round_trip_through_a_project(coded_project, tmp_path):
    project = coded_project
    services.apply_code(project, "kari", 39, 56, "lederen spurte meg", "ingrid", create="in-vivo", category="mentor")
    services.create_code(project, "travle dager", origin="open")
    exported = services.export_codebook(project, original=True)
    assert "origin: in-vivo" in exported and "travle dager" in exported
    path = write(tmp_path, "eksport.yaml", exported)
    other = services.init_project(tmp_path / "other")
    services.load_codebook(other, path)
    assert services.export_codebook(other, original=True) == exported
    # and the original codebook's content survives the trip
    from codebench.domain.codebook import parse_codebook
    original = parse_codebook(HYBRID.read_text(encoding="utf-8"))
    again = parse_codebook(exported)
    assert {n.name: (n.description, n.examples, n.colour, n.shortcut) for n in original.codes()}.items() <= \
        {n.name: (n.description, n.examples, n.colour, n.shortcut) for n in again.codes()}.items()
    other.close()


def test_coding_crud_and_audit(coded_project):
    project = coded_project
    doc = services.get_document(project, "kari")
    start = doc.text.index("Altfor lite tid")
    end = doc.text.index("veien.") + len("veien")
    coding = services.apply_code(project, "kari", start, end, "tid og ressurser", "ingrid", memo="tidspress")
    assert coding.coder == "ingrid" and coding.text_sha256 == doc.info.sha256
    (quote,) = services.quotes(project, code="tid og ressurser")
    assert quote.text == "Altfor lite tid, det er tidspress hele veien"
    assert (quote.role, quote.participant, quote.round, quote.speaker, quote.category) == ("mentor", "M01", 1, "R", "mentor")
    services.recode(project, coding.uuid[:8], "sosial inkludering", "ingrid")
    assert services.quotes(project, code="tid og ressurser") == []
    assert [q.code for q in services.quotes(project, category="mentor")] == ["sosial inkludering"]
    services.remove_coding(project, coding.uuid, "ingrid", with_memo=True)  # it carries a memo
    assert services.codings(project) == []
    actions = [e.action for e in services.audit_log(project)]
    assert actions[:3] == ["remove", "recode", "apply"]


def test_span_checks_and_duplicates(coded_project):
    project = coded_project
    with pytest.raises(services.ServiceError, match="not inside"):
        services.apply_code(project, "kari", 10, 10_000, "tid og ressurser", "ingrid")
    with pytest.raises(services.ServiceError, match="not inside"):
        services.apply_code(project, "kari", 10, 5, "tid og ressurser", "ingrid")
    services.apply_code(project, "kari", 0, 5, "tid og ressurser", "ingrid")
    with pytest.raises(services.ServiceError, match="already coded"):
        services.apply_code(project, "kari", 0, 5, "tid og ressurser", "ingrid")
    services.apply_code(project, "kari", 0, 5, "tid og ressurser", "per")  # another coder may
    with pytest.raises(services.ServiceError, match="is a category"):
        services.apply_code(project, "kari", 0, 5, "mentor", "ingrid")
    with pytest.raises(services.ServiceError, match="no document"):
        services.apply_code(project, "finnes-ikke", 0, 5, "tid og ressurser", "ingrid")


def test_unknown_code_creates_an_open_code_that_exports(coded_project):
    services.apply_code(coded_project, "kari", 0, 5, "tidspress", "ingrid")
    (node,) = [c for c in services.code_tree(coded_project) if c.name == "tidspress"]
    assert node.origin == "open" and node.kind == "code"
    assert "- name: tidspress" in services.export_codebook(coded_project, original=True)


def test_undo_restores_each_kind_of_change(coded_project):
    project = coded_project
    c = services.apply_code(project, "kari", 0, 5, "tid og ressurser", "ingrid")
    services.recode(project, c.uuid, "sosial inkludering", "ingrid")
    services.remove_coding(project, c.uuid, "ingrid")
    assert services.codings(project) == []
    services.undo(project, "ingrid")  # undo remove
    (back,) = services.codings(project)
    assert back.uuid == c.uuid and (back.start, back.end) == (0, 5)
    services.undo(project, "ingrid")  # undo recode
    assert [q.code for q in services.quotes(project)] == ["tid og ressurser"]
    services.undo(project, "ingrid")  # undo apply
    assert services.codings(project) == []
    assert services.undo(project, "ingrid") is None
    assert services.undo(project, "per") is None


def test_merge_codes_moves_codings_without_duplicates(coded_project):
    project = coded_project
    services.apply_code(project, "kari", 0, 5, "tidspress", "ingrid")
    services.apply_code(project, "kari", 0, 5, "tid og ressurser", "ingrid")
    services.apply_code(project, "kari", 10, 20, "tidspress", "ingrid")
    moved = services.merge_codes(project, "tidspress", "tid og ressurser", "ingrid")
    assert moved == 1
    assert sorted((q.start, q.code) for q in services.quotes(project)) == [(0, "tid og ressurser"), (10, "tid og ressurser")]
    assert "tidspress" not in {c.name for c in services.code_tree(project)}
    entry = services.audit_log(project, 1)[0]
    assert entry.action == "merge_codes" and len(entry.payload["dropped"]) == 1


def test_quote_filters(project, tmp_path):
    a = write(tmp_path, "a.txt", "I: spørsmål\nR: svar fra mentor\n")
    b = write(tmp_path, "b.txt", "I: spørsmål\nR: svar fra veileder\n")
    services.import_files(project, [a], services.ParticipantSpec(role="mentor", round=1))
    services.import_files(project, [b], services.ParticipantSpec(role="veileder", round=2))
    services.load_codebook(project, HYBRID)
    for doc, coder in (("a", "ingrid"), ("b", "per")):
        services.apply_code(project, doc, 15, 19, "samarbeid med nav", coder)
    assert len(services.quotes(project, category="mentor")) == 2
    assert [q.document for q in services.quotes(project, roles=["veileder"])] == ["b"]
    assert [q.document for q in services.quotes(project, rounds=[1])] == ["a"]
    assert [q.document for q in services.quotes(project, coders=["per"])] == ["b"]
    assert [q.document for q in services.quotes(project, documents=["a"])] == ["a"]
    assert services.quotes(project, category="veileder") == []
    with pytest.raises(services.ServiceError, match="no category called 'tidspress'"):
        services.quotes(project, category="tidspress")


def test_memos_and_stats(coded_project):
    project = coded_project
    services.add_memo(project, "Kjernekategori?", code="tid og ressurser", author="ingrid")
    services.add_memo(project, "Godt intervju", document="kari")
    services.add_memo(project, "Teoretisk notat")
    assert [m["target_type"] for m in services.memos(project)] == ["code", "document", "project"]
    services.apply_code(project, "kari", 0, 5, "tid og ressurser", "ingrid")
    s = services.stats(project)
    assert (s.documents, s.turns, s.codings) == (1, 4, 1)
    assert s.codings_by_category == {"mentor": 1} and s.codings_by_coder == {"ingrid": 1}
    assert s.documents_by_role == {"mentor": 1} and s.codes == 46


@pytest.mark.slow
def test_concurrent_coders_lose_nothing_on_sqlite(project: services.Project, tmp_path: Path):
    path = tmp_path / "doc.txt"
    path.write_text("R: " + "ord " * 200, encoding="utf-8")
    services.import_files(project, [path])
    services.load_codebook(project, HYBRID)
    concurrent_coders(project.root, ["a", "b", "c"], 40)
    assert services.stats(project).codings_by_coder == {"a": 40, "b": 40, "c": 40}


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    from tests.writers import write_docx_bold

    files = {}
    files["empty"] = write(tmp_path, "tom.txt", "")
    binary = tmp_path / "bilde.txt"
    binary.write_bytes(bytes(range(256)) * 64)
    files["binary"] = binary
    good_docx = tmp_path / "hel.docx"
    write_docx_bold(good_docx, [("I", "Hei"), ("R", "Hallo")])
    truncated = tmp_path / "avkuttet.docx"
    truncated.write_bytes(good_docx.read_bytes()[:900])
    files["truncated docx"] = truncated
    # One bad cue is only a warning (tests/unit/ingest/test_subtitles_tolerant.py); a file that is
    # not WebVTT at all is an error.
    files["bad vtt"] = write(tmp_path, "feil.vtt", "Intervju 3\n\n00:00:01.000 --> 00:00:02.000\nhei\n")
    return files


@pytest.mark.parametrize("kind", ["empty", "binary", "truncated docx", "bad vtt"])
def test_bad_input_names_the_file_and_leaves_the_project_unchanged(project, tmp_path, kind):
    services.import_files(project, [write(tmp_path, "ok.txt", "I: a\nR: b\n")])
    bad = _bad_inputs(tmp_path)[kind]
    before = table_counts(project)
    good = write(tmp_path, "ny.txt", "I: c\nR: d\n")
    report = services.import_files(project, [good, bad])
    assert len(report.errors) == 1 and report.errors[0].startswith(str(bad)), report.errors
    assert report.added == []
    assert table_counts(project) == before


def test_a_database_from_a_newer_codebench_is_refused_clearly(project):
    with project.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    project.close()
    with pytest.raises(services.ServiceError, match="newer than this codebench knows"):
        services.open_project(project.root)


def test_update_code_renames_and_guards(coded_project):
    project = coded_project
    services.apply_code(project, "kari", 0, 5, "god mentor", "ingrid")
    info = services.update_code(project, "god mentor", name="den gode mentoren", memo="definisjon", coder="ingrid")
    assert info.name == "den gode mentoren" and info.memo == "definisjon"
    assert [q.code for q in services.quotes(project)] == ["den gode mentoren"]
    with pytest.raises(services.ServiceError, match="already a code"):
        services.update_code(project, "den gode mentoren", name="tid og ressurser")
    taken = next(c for c in services.code_tree(project) if c.shortcut)
    with pytest.raises(services.ServiceError, match="belongs to"):
        services.update_code(project, "den gode mentoren", shortcut=taken.shortcut)
    with pytest.raises(services.ServiceError, match="changed by someone else"):
        services.update_code(project, "den gode mentoren", expected_version=info.version - 1, memo="x")
    assert "name: den gode mentoren" in services.export_codebook(project, original=True)


def test_import_codings_checks_the_text_and_is_all_or_nothing(coded_project, tmp_path):
    text = services.get_document(coded_project, "kari").text
    start = text.index("Altfor")
    good = {"document": "kari", "start": start, "end": start + 15, "code": "tid og ressurser", "text": text[start:start + 15]}
    wrong = {**good, "start": 0, "end": 15}
    path = write(tmp_path, "c.yaml", yaml.safe_dump({"coder": "ingrid", "codings": [good, wrong]}, allow_unicode=True))
    with pytest.raises(services.ServiceError, match=r"c.yaml: coding 2 \(line 8\): the text at \[0, 15\)"):
        services.import_codings(coded_project, path)
    assert services.codings(coded_project) == []
    path.write_text(yaml.safe_dump({"coder": "ingrid", "codes_created": [{"name": "travelt", "origin": "open", "category": "mentor"}],
                                    "codings": [good, {**good, "code": "travelt"}]}, allow_unicode=True), encoding="utf-8")
    assert services.import_codings(coded_project, path) == 2
    assert services.import_codings(coded_project, path) == 0  # already there
    assert {q.category for q in services.quotes(coded_project)} == {"mentor"}


def test_redo_after_undo_and_a_new_operation_ends_redo(coded_project):
    project = coded_project
    first = services.apply_code(project, "kari", 0, 5, "tid og ressurser", "ingrid")
    services.recode(project, first.uuid, "sosial inkludering", "ingrid")
    services.undo(project, "ingrid")
    services.undo(project, "ingrid")
    assert services.codings(project) == []
    assert services.redo(project, "ingrid").action == "apply"
    assert [q.code for q in services.quotes(project)] == ["tid og ressurser"]
    assert services.redo(project, "ingrid").action == "recode"
    assert [q.code for q in services.quotes(project)] == ["sosial inkludering"]
    assert services.redo(project, "ingrid") is None
    services.undo(project, "ingrid")
    services.apply_code(project, "kari", 10, 15, "tid og ressurser", "ingrid")  # a new operation
    assert services.redo(project, "ingrid") is None
    services.undo(project, "ingrid")
    services.undo(project, "ingrid")
    assert services.codings(project) == []
    # another coder's history is separate
    services.apply_code(project, "kari", 0, 5, "tid og ressurser", "per")
    assert services.undo(project, "ingrid") is None and len(services.codings(project)) == 1


def test_codebook_operations_undo_and_redo(coded_project):
    project = coded_project
    c1 = services.apply_code(project, "kari", 0, 5, "tidspress", "ingrid")       # creates an open code
    services.apply_code(project, "kari", 10, 15, "tid og ressurser", "ingrid")
    services.apply_code(project, "kari", 0, 5, "tid og ressurser", "ingrid")
    services.merge_codes(project, "tidspress", "tid og ressurser", "ingrid")    # c1 is dropped as duplicate
    assert "tidspress" not in {c.name for c in services.code_tree(project)}
    services.undo(project, "ingrid")
    names = {c.name: c for c in services.code_tree(project)}
    assert "tidspress" in names and names["tidspress"].origin == "open"
    assert sorted((q.code, q.start) for q in services.quotes(project)) == [
        ("tid og ressurser", 0), ("tid og ressurser", 10), ("tidspress", 0)]
    assert any(q.coding_uuid == c1.uuid for q in services.quotes(project, code="tidspress"))
    services.redo(project, "ingrid")
    assert "tidspress" not in {c.name for c in services.code_tree(project)}
    services.undo(project, "ingrid")

    services.create_code(project, "ny kategori", kind="category", coder="ingrid")
    services.move_code(project, "tidspress", "ny kategori", coder="ingrid")
    services.update_code(project, "tidspress", name="tidsklemma", memo="m", coder="ingrid")
    services.promote_code(project, "tidsklemma", coder="ingrid")
    services.update_code(project, "ny kategori", core=True, coder="ingrid")
    tree = {c.name: c for c in services.code_tree(project)}
    assert tree["tidsklemma"].kind == "category" and tree["tidsklemma"].parent_id == tree["ny kategori"].id
    assert [c.name for c in tree.values() if c.core] == ["ny kategori"]  # samskaping lost its mark
    assert [q.code for q in services.quotes(project, category="tidsklemma")] == ["tidsklemma"]
    for _ in range(5):
        services.undo(project, "ingrid")
    tree = {c.name: c for c in services.code_tree(project)}
    assert "ny kategori" not in tree and tree["tidspress"].kind == "code" and tree["tidspress"].parent_id is None
    assert tree["samskaping"].core
    for _ in range(5):
        services.redo(project, "ingrid")
    tree = {c.name: c for c in services.code_tree(project)}
    assert tree["tidsklemma"].kind == "category" and tree["ny kategori"].core and not tree["samskaping"].core
    with pytest.raises(services.ServiceError, match="inside itself"):
        services.move_code(project, "ny kategori", "tidsklemma")
