"""The shipped migrations build exactly the schema the ORM describes, and upgrades keep data."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from codebench.storage import db as storage_db
from codebench.storage.db import current_revision, head_revision, make_engine, migrate, sqlite_url
from codebench.storage.orm import Base
from codebench.storage.search import include_name


def test_migrations_match_the_orm(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(str(tmp_path / "p.sqlite")))
    migrate(engine)
    with engine.connect() as connection:
        # The full-text index (an FTS5 virtual table and its shadow tables) is not the ORM's to
        # describe; migration 0003 builds it, and the search tests check that it exists and works.
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_upgrade_from_the_first_schema_backs_up_and_keeps_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    engine = make_engine(sqlite_url(str(path)))
    with engine.begin() as connection:
        command.upgrade(storage_db._alembic_config(connection), "0001")
        connection.exec_driver_sql("INSERT INTO projects (name, created_at, settings) VALUES ('gammel', '2026-01-01', '{}')")
    assert current_revision(engine) == "0001"
    backup = migrate(engine)
    assert current_revision(engine) == head_revision()
    assert backup is not None and Path(backup).exists()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT name FROM projects").scalar_one() == "gammel"
        assert connection.exec_driver_sql("SELECT count(*) FROM anon_mentions").scalar_one() == 0
    old = make_engine(sqlite_url(backup))
    assert current_revision(old) == "0001"


def test_upgrade_from_before_revisions_keeps_documents_and_codings(tmp_path: Path) -> None:
    """A project made before transcripts could be edited opens with its codings unflagged and no history."""
    path = tmp_path / "før.sqlite"
    engine = make_engine(sqlite_url(str(path)))
    with engine.begin() as connection:
        command.upgrade(storage_db._alembic_config(connection), "0002")
        connection.exec_driver_sql("INSERT INTO projects (id, name, created_at, settings) VALUES (1, 'p', '2026-01-01', '{}')")
        connection.exec_driver_sql(
            "INSERT INTO documents (id, uuid, project_id, name, source_name, source_format, sha256, length, word_count, "
            "imported_at, meta, text) VALUES (1, 'd', 1, 'D', 'd.txt', 'txt', 'abc', 5, 1, '2026-01-01', '{}', 'hallo')")
        connection.exec_driver_sql("INSERT INTO codes (id, uuid, project_id, kind, name, name_key, position, examples, "
                                   "origin, core, created_at, updated_at, version) VALUES "
                                   "(1, 'c', 1, 'code', 'x', 'x', 0, '[]', 'open', 0, '2026-01-01', '2026-01-01', 1)")
        connection.exec_driver_sql("INSERT INTO coders (id, project_id, name, created_at) VALUES (1, 1, 'ingrid', '2026-01-01')")
        connection.exec_driver_sql(
            "INSERT INTO codings (uuid, document_id, code_id, coder_id, start, \"end\", text_sha256, created_at, "
            "updated_at, quote) VALUES ('k', 1, 1, 1, 0, 5, 'abc', '2026-01-01', '2026-01-01', 'hallo')")
    backup = migrate(engine)
    assert backup is not None
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT start, \"end\", flag FROM codings").one() == (0, 5, None)
        assert connection.exec_driver_sql("SELECT count(*) FROM document_revisions").scalar_one() == 0
