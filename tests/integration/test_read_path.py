"""The read-only path (``project.reading()``): the query commands' answers, their order and their cost.

Quotes, counts and listings are read with plain SQL on Python's ``sqlite3`` for an SQLite project
and through the session's connection inside a transaction. Both must give what the slow way gave:
every coding turned into a quote from its own record, document and turns, in the order readers
and snapshot tests rely on (document, start, end, then coder, code and id).
"""

from __future__ import annotations

import bisect
import random
import sqlite3
from pathlib import Path

import pytest

from codebench import services
from codebench.domain.code_tree import main_categories
from codebench.domain.records import Quote
from codebench.storage import reads

REPO = Path(__file__).resolve().parents[2]
HYBRID = REPO / "codebooks" / "hybridmodellen.yaml"


def _reference_quotes(project: services.Project) -> list[Quote]:
    """Every coding as a quote, built from the coding records, documents and turns one by one."""
    codes = services.code_tree(project)
    context = main_categories(codes)
    docs = {d.id: d for d in services.list_documents(project)}
    with project.transaction(write=False) as store:
        coder_ids = {name: id_ for id_, name in store.codings.coder_names().items()}
    built = []
    for coding in services.codings(project):
        document = services.get_document(project, coding.document_id)
        starts = [t.start for t in document.turns]
        turn = document.turns[bisect.bisect_right(starts, coding.start) - 1] if starts and starts[0] <= coding.start else None
        info = docs[coding.document_id]
        participant = info.participant
        name, category = context[coding.code_id]
        built.append(Quote(
            coding.uuid, name, category, coding.coder, info.id, info.name, participant.pid if participant else None,
            participant.role if participant else None, info.round, coding.start, coding.end,
            document.text[coding.start:coding.end], turn.speaker if turn else None,
        ))
    built.sort(key=lambda q: (q.document_id, q.start, q.end, coder_ids[q.coder], _code_id(codes, q.code), q.coding_uuid))
    return built


def _code_id(codes, name: str) -> int:
    return next(c.id for c in codes if c.name == name)


@pytest.fixture
def busy_project(coded_project: services.Project, tmp_path: Path) -> services.Project:
    """Two documents with many codings by three coders, ties included (the same span twice)."""
    second = tmp_path / "per.txt"
    second.write_text("I: Hva gjør du?\n\nR: Jeg følger opp, og det tar tid hver uke.\n\n"
                      "I: Og lederen?\n\nR: Lederen støtter meg når det trengs.\n", encoding="utf-8")
    assert not services.import_files(coded_project, [second], services.ParticipantSpec(role="veileder", round=2)).errors
    rng = random.Random(3)
    codes = [c.name for c in services.code_tree(coded_project) if c.kind == "code"]
    for doc in services.list_documents(coded_project):
        length = doc.length
        for _ in range(40):
            start = rng.randrange(0, length - 10)
            end = start + rng.randint(3, min(40, length - start))
            services.apply_code(coded_project, doc.id, start, end, rng.choice(codes), rng.choice(["ingrid", "per", "kari"]))
        # Two coders and two codes on exactly one span: only coder, code and id can order them.
        for coder in ("per", "ingrid"):
            for code in ("tidspress", "god mentor"):
                services.apply_code(coded_project, doc.id, 5, 20, code, coder)
    return coded_project


def test_quotes_are_every_coding_as_before_in_the_same_order(busy_project):
    expected = _reference_quotes(busy_project)
    assert services.quotes(busy_project) == expected
    # A category, a role, a round, a coder, a document: the same quotes, filtered, in the same order.
    mentor_codes = {q.code for q in expected if q.category == "mentor"}
    assert services.quotes(busy_project, category="mentor") == [q for q in expected if q.code in mentor_codes]
    assert services.quotes(busy_project, roles=["veileder"]) == [q for q in expected if q.role == "veileder"]
    assert services.quotes(busy_project, rounds=[1]) == [q for q in expected if q.round == 1]
    assert services.quotes(busy_project, coders=["per"]) == [q for q in expected if q.coder == "per"]
    assert services.quotes(busy_project, documents=["per"]) == [q for q in expected if q.document == "per"]
    assert services.quotes(busy_project, code="tidspress", with_speakers=False) == [
        q._replace(speaker=None) for q in expected if q.code == "tidspress"]


def test_the_read_path_and_a_transaction_read_alike(busy_project):
    codes = services.code_tree(busy_project)
    names = main_categories(codes)
    with busy_project.reading() as reader:
        assert isinstance(reader, reads.ReadStore)  # SQLite: plain sqlite3, no session
        plain = (reader.codings.quotes(None, names), reader.codings.counts_by_coder_and_code(),
                 reader.documents.infos(), reader.codebook.rows(), reader.documents.counts())
    with busy_project.transaction(write=False) as store:
        assert (store.codings.quotes(None, names), store.codings.counts_by_coder_and_code(), store.documents.infos(),
                store.codebook.rows(), store.documents.counts()) == plain


def test_a_writing_transaction_reads_what_it_has_written(coded_project):
    with coded_project.transaction() as store:
        store.codebook.add(kind="code", name="ny kode", parent_id=None)  # flushed before the plain read
        assert "ny kode" in {c.name for c in store.codebook.rows()}
        assert store.codebook.by_name("NY KODE ").name == "ny kode"


def test_the_read_path_cannot_write(coded_project):
    with coded_project.reading() as reader:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.sql.all("DELETE FROM codings")


def _statements(monkeypatch) -> list[str]:
    """Every SQL statement the read path runs from now on (the real sqlite3, traced)."""
    seen: list[str] = []
    connect = sqlite3.connect

    def traced(*args, **kwargs):  # type: ignore[no-untyped-def]
        connection = connect(*args, **kwargs)
        connection.set_trace_callback(seen.append)
        return connection

    monkeypatch.setattr(reads.sqlite3, "connect", traced)
    return seen


def test_quotes_and_stats_cost_the_same_statements_however_many_codings(busy_project, monkeypatch):
    seen = _statements(monkeypatch)
    few = len(services.quotes(busy_project, category="mentor"))
    services.stats(busy_project)
    services.coding_counts(busy_project)
    before = list(seen)
    doc = services.list_documents(busy_project)[0]
    seen.clear()
    for n in range(60):
        services.apply_code(busy_project, doc.id, n, n + 8, "tid og ressurser", "per")
    seen.clear()
    assert len(services.quotes(busy_project, category="mentor")) == few + 60
    services.stats(busy_project)
    services.coding_counts(busy_project)
    # No statement per quote or per coding: the same handful (with the pragmas, BEGIN and ROLLBACK of
    # one read transaction each), whatever the number of codings.
    assert seen == before
    assert len(seen) <= 40


def test_stats_and_listings_read_no_document_text(busy_project, monkeypatch):
    seen = _statements(monkeypatch)
    services.stats(busy_project)
    services.coding_counts(busy_project)
    services.list_documents(busy_project)
    services.quotes(busy_project, category="mentor")
    assert seen and not any("text" in statement.split(" FROM ")[0] for statement in seen)


@pytest.mark.postgres
def test_a_server_answers_as_an_sqlite_file_does(pg_project, coded_project, tmp_path):
    path = tmp_path / "kari.txt"  # the same transcript coded_project holds
    path.write_text(
        "I: Hvordan ble du mentor?\n\nR: Lederen spurte meg, og jeg tenkte at det var en god idé.\n\n"
        "I: Hvor mye tid har du?\n\nR: Altfor lite tid, det er tidspress hele veien.\n", encoding="utf-8")
    assert not services.import_files(pg_project, [path], services.ParticipantSpec(role="mentor", round=1)).errors
    services.load_codebook(pg_project, HYBRID)
    for project in (pg_project, coded_project):
        for start, end, code, coder in [(30, 60, "god mentor", "per"), (30, 60, "god mentor", "ingrid"),
                                        (95, 120, "tidspress", "ingrid"), (0, 10, "tidspress", "per")]:
            services.apply_code(project, "kari", start, end, code, coder)
    strip = lambda qs: [q._replace(coding_uuid="", document_id=0) for q in qs]  # noqa: E731 (ids differ per database)
    assert strip(services.quotes(pg_project)) == strip(services.quotes(coded_project))
    assert services.quotes(pg_project)[0].speaker == "I"
    pg_stats, file_stats = services.stats(pg_project), services.stats(coded_project)
    assert (pg_stats.codings_by_coder, pg_stats.words, pg_stats.turns, pg_stats.documents_by_role) == (
        file_stats.codings_by_coder, file_stats.words, file_stats.turns, file_stats.documents_by_role)
    assert [d.name for d in services.list_documents(pg_project)] == ["kari"]
