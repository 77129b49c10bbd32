"""The counts the project view and ``stats`` show come from count tables; they must equal
counting the codings one by one (the slow way they replaced), across documents, codes and coders,
and leave other projects in the same database out."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from codebench import services


def _second_document(project: services.Project, tmp_path: Path) -> None:
    path = tmp_path / "per.txt"
    path.write_text("I: Hva gjør du?\n\nR: Jeg følger opp, og det tar tid hver uke.\n", encoding="utf-8")
    assert not services.import_files(project, [path], services.ParticipantSpec(role="veileder", round=2)).errors


def _code_some(project: services.Project) -> None:
    docs = services.list_documents(project)
    for n, (doc, code, coder) in enumerate([(0, "tidspress", "ingrid"), (0, "tidspress", "per"), (0, "god mentor", "ingrid"),
                                            (1, "tidspress", "ingrid"), (1, "god mentor", "kari")]):
        services.apply_code(project, docs[doc].id, n, n + 5, code, coder)


def test_coding_counts_equal_counting_every_coding(coded_project, tmp_path):
    _second_document(coded_project, tmp_path)
    _code_some(coded_project)
    services.remove_coding(coded_project, services.codings(coded_project)[0].uuid, "ingrid")
    every = services.codings(coded_project)
    counts = services.coding_counts(coded_project)
    assert counts.by_document == dict(Counter(c.document_id for c in every))
    assert counts.by_code == dict(Counter(c.code_id for c in every))
    assert counts.by_coder == dict(Counter(c.coder for c in every))
    stats = services.stats(coded_project)
    assert stats.codings == len(every) == 4
    assert stats.codings_by_coder == counts.by_coder


def test_an_empty_project_counts_nothing(project):
    counts = services.coding_counts(project)
    assert (counts.by_document, counts.by_code, counts.by_coder) == ({}, {}, {})
    stats = services.stats(project)
    assert (stats.documents, stats.turns, stats.codings, stats.codings_by_coder) == (0, 0, 0, {})


def test_counts_leave_other_projects_of_the_database_out(coded_project, tmp_path):
    services.apply_code(coded_project, services.list_documents(coded_project)[0].id, 0, 5, "tidspress", "ingrid")
    # A second project in the same SQLite file, with its own document, coder and codings.
    other_id = coded_project.database.create_project("andre")
    other = services.Project(coded_project.root, "andre", coded_project.url, coded_project.database, other_id)
    path = tmp_path / "andre.txt"
    path.write_text("I: Hei?\n\nR: Hei, dette er et annet prosjekt med tidspress.\n", encoding="utf-8")
    assert not services.import_files(other, [path]).errors
    services.load_codebook(other, Path(__file__).resolve().parents[2] / "codebooks" / "hybridmodellen.yaml")
    (doc,) = services.list_documents(other)
    services.apply_code(other, doc.id, 0, 3, "tidspress", "ingrid")
    services.apply_code(other, doc.id, 4, 9, "tidspress", "ola")
    mine, theirs = services.coding_counts(coded_project), services.coding_counts(other)
    assert sum(mine.by_document.values()) == 1 and mine.by_coder == {"ingrid": 1}
    assert theirs.by_document == {doc.id: 2} and theirs.by_coder == {"ingrid": 1, "ola": 1}
    assert services.stats(coded_project).turns == services.list_documents(coded_project)[0].turn_count
    assert services.stats(other).documents == 1


def test_the_document_listing_keeps_participants_and_import_details(coded_project, tmp_path):
    _second_document(coded_project, tmp_path)
    docs = services.list_documents(coded_project)
    assert [d.participant.role for d in docs] == ["mentor", "veileder"]
    assert [d.round for d in docs] == [1, 2]
    assert all(d.turn_count == len(services.get_document(coded_project, d.id).turns) for d in docs)
    assert services.list_documents(coded_project)[1] == services.get_document(coded_project, docs[1].id).info
    # The project view lists without turn counts: the same documents, the count left out, not zero.
    uncounted = services.list_documents(coded_project, turn_counts=False)
    assert [d.turn_count for d in uncounted] == [None, None]
    assert [replace(d, turn_count=c.turn_count) for d, c in zip(uncounted, docs)] == docs
    assert services.document_info(coded_project, docs[1].id) == docs[1]


def test_document_status_from_a_listing_equals_its_own(coded_project, tmp_path):
    _second_document(coded_project, tmp_path)
    services.anonymisation.add_name(coded_project, "Lederen", kind="PER", coder="ingrid")
    docs = services.list_documents(coded_project)
    assert services.anonymisation.document_status(coded_project, docs) == services.anonymisation.document_status(coded_project)
    assert any(d.manual or d.accepted or d.suggested for d in services.anonymisation.document_status(coded_project))
