"""Memos of every kind in one list, a coding memo never lost silently, memos edited and undone,
`codebench memos` and `export memos` (anonymised by default, like every export)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from codebench.domain.memos import MemoFilter, parse_memo_query
from tests.db_dump import dump_tables
from tests.privacy_scan import read_back


def _cli(*args: object, coder: str | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], env={"CODEBENCH_CODER": coder or ""})


CODED = "Altfor lite tid, det er tidspress hele veien."


def _span(project: services.Project, words: str = CODED) -> tuple[int, int]:
    start = services.get_document(project, "kari").text.index(words)
    return start, start + len(words)


def _all_kinds(project: services.Project) -> str:
    """A project, a document, a code and a coding memo (and a code's own memo field); returns the coding's id."""
    services.add_memo(project, "Samskaping som kjernekategori?", author="ingrid", title="Teori")
    services.add_memo(project, "Lang pause før svaret om tid.", document="kari", author="per")
    services.add_memo(project, "Tidspress hos alle veiledere", code="tid og ressurser", author="ingrid")
    services.update_code(project, "god mentor", memo="Relasjon, ikke kontroll.", coder="per")
    coding = services.apply_code(project, "kari", *_span(project), "tid og ressurser", "ingrid", memo="Sterk formulering.")
    return coding.uuid


def test_memo_entries_list_every_kind_in_order_with_their_place(coded_project):
    uuid = _all_kinds(coded_project)
    label = services.anonymisation.document_labels(coded_project)[1]
    entries = services.memo_entries(coded_project)
    # code memos in code-tree order; the hybrid-model codebook's own memo on «samskaping» is one of them
    assert [(e.kind, e.code, e.author) for e in entries] == [
        ("project", None, "ingrid"), ("document", None, "per"), ("code", "god mentor", None),
        ("code", "tid og ressurser", "ingrid"), ("code", "samskaping", None), ("coding", "tid og ressurser", "ingrid")]
    project_memo, document_memo, field_memo, code_memo, _, coding_memo = entries
    assert project_memo.title == "Teori" and project_memo.place == "the project"
    assert document_memo.document == label and document_memo.place == label  # the anonymised label, not "kari"
    assert field_memo.field_memo and field_memo.code == "god mentor"  # the codebook's memo, in tree order first
    assert code_memo.code == "tid og ressurser" and not code_memo.field_memo
    start, end = _span(coded_project)
    assert coding_memo.key == uuid and coding_memo.place == f"«tid og ressurser» in {label} [{start}–{end}]"
    assert coding_memo.quote == CODED
    assert services.memo_entries(coded_project, original=True)[1].document == "kari"


def test_memo_filters_by_kind_code_document_coder_and_words(coded_project):
    _all_kinds(coded_project)

    def kinds(wanted: MemoFilter) -> list[str]:
        return [e.kind for e in services.memo_entries(coded_project, wanted=wanted)]

    assert kinds(MemoFilter(kinds=("coding", "code"))) == ["code", "code", "code", "coding"]
    assert kinds(MemoFilter(code="tid og")) == ["code", "coding"]  # the code and codings of it
    assert kinds(MemoFilter(document_id=1)) == ["document", "coding"]
    assert kinds(MemoFilter(coder="ingrid")) == ["project", "code", "coding"]
    assert kinds(parse_memo_query('by:per "lang pause"')) == ["document"]
    assert kinds(parse_memo_query("code:god")) == ["code"]
    assert kinds(parse_memo_query("kind:coding tidspress")) == ["coding"]  # the coded words count too
    assert parse_memo_query('code:"god mentor" kl. 10:30').words == ("kl.", "10:30")


def test_a_coding_with_a_memo_is_removed_only_with_its_memo_and_undo_brings_both(coded_project):
    project = coded_project
    uuid = _all_kinds(project)
    database = project.url
    before = dump_tables(database)
    with pytest.raises(services.ServiceError, match="carries a memo .*--with-memo"):
        services.remove_coding(project, uuid, "ingrid")
    assert dump_tables(database) == before  # refused: nothing changed, no log entry
    services.remove_coding(project, uuid, "ingrid", with_memo=True)
    assert not [e for e in services.memo_entries(project) if e.kind == "coding"]
    services.undo(project, "ingrid")
    back = next(c for c in services.codings(project) if c.uuid == uuid)
    assert back.memo == "Sterk formulering."
    # a coding without a memo goes as ever
    plain = services.apply_code(project, "kari", 0, 5, "god mentor", "ingrid")
    services.remove_coding(project, plain.uuid, "ingrid")
    assert plain.uuid not in {c.uuid for c in services.codings(project)}


def test_uncode_refuses_a_coding_with_a_memo_without_printing_it(coded_project):
    uuid = _all_kinds(coded_project)
    root = coded_project.root
    refused = _cli("uncode", root, uuid, "--coder", "ingrid")
    assert refused.exit_code == 1 and "carries a memo (2 words)" in refused.stderr
    assert "Sterk" not in refused.output  # a memo may name people: its words stay out of messages
    assert uuid in {c.uuid for c in services.codings(coded_project)}
    done = _cli("uncode", root, uuid, "--coder", "ingrid", "--with-memo")
    assert done.exit_code == 0 and "and its memo" in done.stdout
    assert uuid not in {c.uuid for c in services.codings(coded_project)}


def test_merging_codes_keeps_the_memo_of_a_dropped_duplicate(coded_project):
    project = coded_project
    kept = services.apply_code(project, "kari", *_span(project), "tid og ressurser", "ingrid", memo="Først.")
    services.apply_code(project, "kari", *_span(project), "god mentor", "ingrid", memo="Dette også.")
    services.merge_codes(project, "god mentor", "tid og ressurser", "ingrid")
    survivor = next(c for c in services.codings(project) if c.uuid == kept.uuid)
    assert survivor.memo == "Først.\n\nDette også." and len(services.codings(project)) == 1
    services.undo(project, "ingrid")
    memos = {c.memo for c in services.codings(project)}
    assert memos == {"Først.", "Dette også."}
    services.redo(project, "ingrid")
    assert [c.memo for c in services.codings(project)] == ["Først.\n\nDette også."]


def test_memos_are_edited_by_their_author_and_every_step_undoes(coded_project):
    project = coded_project
    services.add_memo(project, "Første tanke.", author="ingrid")
    memo = services.memo_entries(project)[0].key
    with pytest.raises(services.ServiceError, match="ingrid's"):
        services.edit_memo(project, memo, "Min tanke.", coder="per")
    assert services.edit_memo(project, memo, "Andre tanke.", coder="ingrid")
    assert services.memos(project)[0]["text"] == "Andre tanke."
    assert services.describe_operation(services.undo(project, "ingrid"), project) == "edit of the memo on the project"
    assert services.memos(project)[0]["text"] == "Første tanke."
    services.redo(project, "ingrid")
    assert not services.edit_memo(project, memo, "  ", coder="ingrid")  # empty text deletes it
    assert services.memos(project) == []
    services.undo(project, "ingrid")
    assert [m["text"] for m in services.memos(project)] == ["Andre tanke."]
    assert services.memos(project)[0]["uuid"] == memo  # the same memo, not a copy
    services.undo(project, "ingrid")  # the edit
    entry = services.undo(project, "ingrid")  # writing it
    assert services.describe_operation(entry, project) == "memo on the project" and services.memos(project) == []
    services.redo(project, "ingrid")
    assert [m["text"] for m in services.memos(project)] == ["Første tanke."]


def test_codebench_memos_lists_and_filters(coded_project):
    _all_kinds(coded_project)
    root = coded_project.root
    everything = _cli("memos", root)
    assert everything.exit_code == 0, everything.output
    assert "— coding memo · «tid og ressurser» in" in everything.stdout
    assert f"«{CODED}»" in everything.stdout
    assert "— code memo · «god mentor» · the codebook" in everything.stdout
    assert everything.stdout.rstrip().endswith("6 memo(s)")
    by_per = _cli("memos", root, "--coder", "per", "--kind", "document")
    assert by_per.stdout.rstrip().endswith("1 memo(s) (document memos · by per)")
    label = services.anonymisation.document_labels(coded_project)[1]
    for ref in ("kari", label, "1"):
        found = _cli("memos", root, "--document", ref, "--kind", "coding", "--text", "sterk")
        assert found.exit_code == 0 and found.stdout.rstrip().endswith("1 memo(s) (coding memos · \"sterk\")"), ref
    bad = _cli("memos", root, "--kind", "notes")
    assert bad.exit_code == 1 and bad.stderr.startswith("codebench: unknown memo kind 'notes'")


def test_export_memos_is_refused_until_reviewed_then_says_what_it_holds(coded_project, tmp_path):
    _all_kinds(coded_project)
    root = coded_project.root
    refused = _cli("export", "memos", root, "-o", tmp_path / "m.md")
    assert refused.exit_code == 1 and "not anonymised" in refused.stderr and not (tmp_path / "m.md").exists()
    for suffix in ("md", "docx"):
        path = tmp_path / f"m.{suffix}"
        done = _cli("export", "memos", root, "-o", path, "--allow-unreviewed")
        assert done.exit_code == 0 and "6 memo(s)" in done.stdout, done.output
        text = read_back(path)
        assert text.lstrip("> *").startswith("Avidentifisert: nei")  # the first line says it is not anonymised
        for heading in ("Prosjektmemoer", "Dokumentmemoer", "Kodememoer", "Kodingsmemoer", "«tid og ressurser» i",
                        "Sterk formulering.", CODED, "kodens memo i kodeboka"):
            assert heading in text, (suffix, heading)
    only = _cli("export", "memos", root, "-o", tmp_path / "k.md", "--allow-unreviewed", "--kind", "coding")
    assert only.exit_code == 0 and "1 memo(s)" in only.stdout
    assert "Utvalg: kodingsmemoer" in (tmp_path / "k.md").read_text(encoding="utf-8")
    none = _cli("export", "memos", root, "-o", tmp_path / "n.md", "--allow-unreviewed", "--coder", "kari")
    assert none.exit_code == 1 and "no memos (by kari)" in none.stderr and not (tmp_path / "n.md").exists()


def test_exported_memos_carry_no_name_the_review_replaced(reviewed_sample_dir: Path, tmp_path: Path):
    folder = tmp_path / "demo"
    shutil.copytree(reviewed_sample_dir, folder)
    project = services.open_project(folder)
    try:
        names = services.anonymisation.anonymise_free_texts(project, ["Kristine"])
        assert names != ["Kristine"], "the reviewed sample replaces Kristine: the check below needs it"
        services.add_memo(project, "Kristine Holm nevner lederen sin igjen.", document=1, author="ingrid")
    finally:
        project.close()
    done = _cli("export", "memos", folder, "-o", tmp_path / "m.md")
    assert done.exit_code == 0 and "de-identified" in done.stdout, done.output
    text = (tmp_path / "m.md").read_text(encoding="utf-8")
    assert "Kristine" not in text and "nevner lederen sin igjen" in text
    assert "Avidentifisert: ja" in text
    listed = _cli("memos", folder)
    assert "Kristine" not in listed.stdout and "nevner lederen sin igjen" in listed.stdout
    original = _cli("export", "memos", folder, "-o", tmp_path / "o.md", "--original")
    assert original.exit_code == 0 and "ORIGINAL" in original.stdout + original.stderr.upper()
    assert "Kristine Holm nevner" in (tmp_path / "o.md").read_text(encoding="utf-8")
    assert (tmp_path / "o.md").stat().st_mode & 0o077 == 0  # original text: readable by its owner only


def test_merging_codes_keeps_the_merged_codes_memos_with_the_target(coded_project):
    project = coded_project
    services.add_memo(project, "Relasjon først", code="god mentor", author="ingrid")
    services.update_code(project, "god mentor", memo="Ikke kontrollør.", coder="ingrid")
    services.update_code(project, "tid og ressurser", memo="Timer.", coder="ingrid")
    services.merge_codes(project, "god mentor", "tid og ressurser", "ingrid")
    codes = [(e.kind, e.code, e.text) for e in services.memo_entries(project) if e.kind == "code"]
    assert ("code", "tid og ressurser", "Relasjon først") in codes  # the memo row moved with the merge
    assert ("code", "tid og ressurser", "Timer.\n\n«god mentor»: Ikke kontrollør.") in codes
    services.undo(project, "ingrid")
    after = {(e.code, e.text) for e in services.memo_entries(project) if e.kind == "code"}
    assert {("god mentor", "Relasjon først"), ("god mentor", "Ikke kontrollør."), ("tid og ressurser", "Timer.")} <= after
    services.redo(project, "ingrid")
    again = {(e.code, e.text) for e in services.memo_entries(project) if e.kind == "code"}
    assert ("tid og ressurser", "Relasjon først") in again and not {c for c, _ in again} & {"god mentor"}


def test_a_memo_naming_someone_by_a_part_of_a_full_name_the_transcript_says_whole(project, tmp_path: Path):
    """Found by a tester: the ASR transcript said "ragnhild tveiten" only; memos saying "spurde
    Ragnhild" kept the first name in every memo export and in the coder's memo list."""
    path = tmp_path / "intervju.txt"
    path.write_text("I: kven hjelpte deg\n\nR: det var ragnhild tveiten frå kommunen som hjelpte meg mest\n",
                    encoding="utf-8")
    services.import_files(project, [path], services.ParticipantSpec(role="mentor", round=1))
    services.anonymisation.add_name(project, "ragnhild tveiten", coder="ingrid")
    shown = services.anonymisation.anonymise_free_texts(
        project, ["Eg spurde Ragnhild om det.", "Tveiten sa nei.", "Ho har gitt meg eit nytt liv."])
    assert "Ragnhild" not in shown[0] and "Tveiten" not in shown[1], shown
    assert shown[2] == "Ho har gitt meg eit nytt liv."


def test_a_memo_naming_someone_no_transcript_names_is_masked_in_every_anonymised_output(
        reviewed_sample_dir: Path, tmp_path: Path):
    # A tester's coder wrote "Gunnar Rypdal" (in no transcript) into a coding memo; a coder kept
    # from names read it in `memos`, in export memos (.md, .docx) and in the QDPX.
    folder = tmp_path / "demo"
    shutil.copytree(reviewed_sample_dir, folder)
    project = services.open_project(folder)
    try:
        services.add_memo(project, "Ringte Gunnar Rypdal om avtalen, tlf 912 34 567.", document=1, author="ingrid")
    finally:
        project.close()
    done = _cli("export", "memos", folder, "-o", tmp_path / "m.md")
    assert done.exit_code == 0, done.output
    text = (tmp_path / "m.md").read_text(encoding="utf-8")
    assert "Ringte" in text and "om avtalen" in text
    assert "Gunnar" not in text and "Rypdal" not in text and "912 34 567" not in text
    listed = _cli("memos", folder)
    assert "om avtalen" in listed.stdout and "Rypdal" not in listed.stdout
    qdpx = _cli("export", "qdpx", folder, "-o", tmp_path / "p.qdpx")
    assert qdpx.exit_code == 0, qdpx.output
    import zipfile
    with zipfile.ZipFile(tmp_path / "p.qdpx") as archive:
        project_xml = archive.read("project.qde").decode("utf-8")
    assert "Rypdal" not in project_xml
    # The original, asked for, keeps it
    original = _cli("export", "memos", folder, "-o", tmp_path / "o.md", "--original")
    assert "Gunnar Rypdal" in (tmp_path / "o.md").read_text(encoding="utf-8")
