"""Text search on the team server: the same answers from PostgreSQL's full-text index as from FTS5."""

from __future__ import annotations

from pathlib import Path

import pytest

from codebench import services
from tests.integration.test_search import HYBRID, MENTOR, VEILEDER, words

pytestmark = pytest.mark.postgres

NORDIC = "I: Hvor bor han?\n\nR: I Aalesund, og så Tromsø. «Mentoren» kom fra Ålesund; e-post og 3.5 timer.\n"


@pytest.fixture
def server_study(pg_project: services.Project, tmp_path: Path) -> services.Project:
    for name, text, spec in (
        ("v01.txt", VEILEDER, services.ParticipantSpec(pid="V01", role="veileder", round=1)),
        ("m01.txt", MENTOR, services.ParticipantSpec(pid="M01", role="mentor", round=2)),
        ("n01.txt", NORDIC, services.ParticipantSpec(pid="N01", role="mentor", round=1)),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert not services.import_files(pg_project, [path], spec).errors
    services.load_codebook(pg_project, HYBRID)
    return pg_project


def test_search_finds_the_same_on_postgres(server_study):
    project = server_study
    assert project.engine.dialect.name == "postgresql"
    assert words(services.search(project, "tillit*")) == ["tillit", "tillitsvalgte", "Tillit"]
    assert words(services.search(project, '"god mentor"')) == ["god mentor", "god mentor"]
    assert words(services.search(project, "*tilskudd")) == ["Mentortilskudd", "lønnstilskudd"]
    assert words(services.search(project, "mentor*")) == ["mentorer", "Mentortilskudd", "mentor", "mentor", "Mentoren"]
    assert words(services.search(project, "alesund")) == ["Ålesund", "Ålesund"]
    nordic = services.MatchOptions(nordic=True)
    assert words(services.search(project, "Ålesund", options=nordic)) == ["Ålesund", "Aalesund", "Ålesund"]
    assert words(services.search(project, "tromsoe", options=nordic)) == ["Tromsø"]
    assert words(services.search(project, '"e post" 3')) == ["e-post", "3"]
    assert words(services.search(project, "m?ntor")) == ["mentor", "mentor"]
    assert words(services.search(project, "/tillit\\w+/")) == ["tillitsvalgte"]
    assert words(services.search(project, "mentor speaker:informant role:mentor")) == ["mentor"]


def test_the_server_index_follows_edits_and_deletions(server_study):
    project = server_study
    doc = services.get_document(project, "m01")
    with project.engine.begin() as db:
        db.exec_driver_sql("UPDATE documents SET text = %s WHERE id = %s",
                           (doc.text.replace("Tillit er alt", "Ansvar er alt"), doc.info.id))
    assert words(services.search(project, "ansvar")) == ["Ansvar"]
    assert words(services.search(project, "tillit doc:M01")) == []
    with project.engine.begin() as db:
        db.exec_driver_sql("UPDATE turns SET body_start = body_start + 3 WHERE document_id = %s AND seq = 1",
                           (doc.info.id,))
        db.exec_driver_sql("DELETE FROM documents WHERE name <> 'm01'")
        indexed, turns = db.exec_driver_sql(
            "SELECT (SELECT count(*) FROM search_turns), (SELECT count(*) FROM turns)").one()
    assert indexed == turns == 2
    assert words(services.search(project, '"en god"')) == ["en god"]


def test_coding_hits_and_undo_on_postgres(server_study):
    project = server_study
    hits = services.search(project, "tillit*").hits
    coded = services.code_hits(project, hits, "tillit", "ingrid", widen_to="word")
    assert coded.added == 3
    assert sorted(q.text for q in services.quotes(project, code="tillit")) == ["Tillit", "tillit", "tillitsvalgte"]
    services.undo(project, "ingrid")
    assert services.codings(project) == []
    assert words(services.search(project, "tillit* is:uncoded")) == ["tillit", "tillitsvalgte", "Tillit"]


def test_an_old_server_project_gets_its_index_on_upgrade(server_study):
    from alembic import command

    from codebench.storage import db as storage_db

    project = server_study
    with project.engine.begin() as connection:
        command.downgrade(storage_db._alembic_config(connection), "0002")
        assert connection.exec_driver_sql("SELECT to_regclass('search_turns')").scalar() is None
    assert storage_db.migrate(project.engine) is None  # no file to back up on a server
    assert storage_db.current_revision(project.engine) == storage_db.SCHEMA_HEAD
    assert words(services.search(project, "tillit*")) == ["tillit", "tillitsvalgte", "Tillit"]
    assert words(services.search(project, "*tilskudd")) == ["Mentortilskudd", "lønnstilskudd"]
