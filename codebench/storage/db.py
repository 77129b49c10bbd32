"""Engines, sessions and schema migrations for SQLite files and PostgreSQL servers.

Alembic is imported only when a database really needs a migration: it costs a quarter of a
second (it loads every dialect's DDL module), and every command opens the database. An
up-to-date database is recognised by reading ``alembic_version`` with one plain query and
comparing it with :data:`SCHEMA_HEAD`.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from codebench.errors import ProjectBusy, StorageError

if TYPE_CHECKING:
    from alembic.config import Config

T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"

# SCHEMA_HEAD (the newest migration, kept in step with them by a test), VERSION_TABLE and
# sqlite_url live in schema.py, which the read path imports without SQLAlchemy.
from codebench.storage.schema import SCHEMA_HEAD, VERSION_TABLE, sqlite_url  # noqa: E402,F401 (re-exported)


from codebench.storage.busy import (  # noqa: E402 (re-exported: the tests and services use them)
    BUSY_ATTEMPTS, BUSY_MESSAGE, BUSY_VARIABLE, DEFAULT_BUSY_SECONDS, attempt_ms as _attempt_ms, busy_seconds,
    is_locked_message,
)

#: First key of the PostgreSQL advisory lock a writer holds on its project (the second is the project id).
_PG_LOCK_SPACE = 0x63626E63  # "cbnc"
#: PostgreSQL states that mean "another transaction was in the way": serialisation failure,
#: deadlock, lock wait timed out.
_PG_CONTENTION = {"40001", "40P01", "55P03"}


def is_contention(exc: BaseException) -> bool:
    """The error means another writer was in the way, not that something is wrong with the data.

    SQLite: "database is locked" / "busy" after the busy timeout, or a read snapshot that a
    writer moved on. PostgreSQL: a serialisation failure, a deadlock or a lock wait that timed
    out. An ORM row that vanished or changed under an update (``StaleDataError``) counts too.
    """
    if isinstance(exc, StaleDataError):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state in _PG_CONTENTION:
        return True
    return isinstance(exc, OperationalError) and is_locked_message(str(orig))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets a reader (the TUI) and a writer (a CLI import) work at once; foreign keys are
    # off by default in SQLite; the busy timeout turns "database is locked" into a wait (one
    # attempt's share of the whole wait: transaction() tries again after a random pause).
    cursor.execute(f"PRAGMA busy_timeout={_attempt_ms()}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Retrieval reads thousands of scattered coding rows; memory-mapped I/O and a 64 MB page
    # cache halve its time compared with SQLite's 2 MB default.
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for an SQLite or PostgreSQL URL with codebench's settings."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(f"not a database URL: {url!r}") from None
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; emit it ourselves so a whole user
        # action is one transaction (and BEGIN IMMEDIATE takes the write lock up front).
        @event.listens_for(engine, "connect")
        def _no_autobegin(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # Writers take the write lock up front (BEGIN IMMEDIATE), so two writers queue on
            # the busy timeout instead of failing mid-transaction; readers never wait (WAL).
            writing = conn.get_execution_options().get("codebench_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    raise StorageError(f"unsupported database {parsed.get_backend_name()!r}: use an SQLite file or postgresql+psycopg://")


def _alembic_config(connection: Any) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or None for an empty database.

    Read with a plain query of Alembic's version table (one row for a linear history like ours);
    a table with several rows (branches) is handed to Alembic, which knows what they mean.
    """
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        versions = [row[0] for row in connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}")]
        if len(versions) <= 1:
            return versions[0] if versions else None
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest schema revision of the shipped migrations, as Alembic reads them (imports Alembic)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    assert head is not None
    return head


def migrate(engine: Engine) -> str | None:
    """Bring the schema up to date; back up an SQLite file first when it holds an old schema.

    Returns:
        the path of the backup made, if any.
    """
    try:
        current = current_revision(engine)
    except OperationalError as exc:
        if is_contention(exc):
            raise  # another codebench holds it: the caller waits (when_free), it is no defect
        raise StorageError(f"cannot open the database: {exc.orig}") from None
    if current == SCHEMA_HEAD:
        return None  # the common case, decided without importing Alembic
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(None))
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise StorageError(f"the database has schema {current}, newer than this codebench knows; upgrade codebench")
    backup = None
    database = engine.url.database
    if current is not None and engine.url.get_backend_name() == "sqlite" and database:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = f"{database}.{current}.{stamp}.bak"
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(database, backup)
        os.chmod(backup, 0o600)  # the backup holds the same original transcripts as the database
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")
    return backup


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded attributes after commit (records are built after it)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session], *, write: bool = True, project_id: int | None = None) -> Iterator[Session]:
    """One user action = one transaction: commit on success, roll back on any error.

    A writer takes its project's write lock before it reads anything: ``BEGIN IMMEDIATE`` on
    SQLite, an advisory lock per project on PostgreSQL. Writers of one project therefore run one
    after the other and each sees what the one before committed, so two processes cannot both
    create the same coder, nor rename a code that a merge is deleting. Waiting for the lock is
    retried :data:`BUSY_ATTEMPTS` times with a random pause (two waiters do not wake in step);
    when it is still held, or another writer gets in the way later (a serialisation failure, a
    deadlock, a row changed under us), the transaction is rolled back and :class:`ProjectBusy`
    says so in one line.

    Args:
        factory: the project's session factory.
        write: the action writes; it then takes the project's write lock at BEGIN.
        project_id: the project written (the PostgreSQL lock is per project; None locks none).

    Raises:
        ProjectBusy: another codebench kept the project for longer than :func:`busy_seconds`.
    """
    session = _begun(factory, write, project_id)
    try:
        yield session
        session.commit()
    except BaseException as exc:
        try:
            session.rollback()
        except Exception:
            # A connection interrupted inside a statement (Ctrl-C) cannot roll back itself; it
            # is discarded with its transaction, and what the user did is what they hear about.
            pass
        if is_contention(exc):
            raise ProjectBusy(BUSY_MESSAGE) from None
        raise
    finally:
        try:
            session.close()
        except Exception:
            pass  # as above: the interrupted connection goes, uncommitted


def when_free(action: Callable[[], T]) -> T:
    """Run ``action`` (opening or migrating the database), waiting for another codebench that holds it.

    Retried like :func:`transaction`'s BEGIN: :data:`BUSY_ATTEMPTS` waits of SQLite's busy
    timeout with a random pause between them.

    Raises:
        ProjectBusy: the database stayed locked for :func:`busy_seconds`.
    """
    for attempt in range(1, BUSY_ATTEMPTS + 1):
        try:
            return action()
        except BaseException as exc:
            if not is_contention(exc):
                raise
            if attempt == BUSY_ATTEMPTS:
                raise ProjectBusy(BUSY_MESSAGE) from None
        time.sleep(random.uniform(0.02, 0.2) * attempt)
    raise AssertionError("unreachable")


def _begun(factory: sessionmaker[Session], write: bool, project_id: int | None) -> Session:
    """A session whose transaction has begun and, for a writer, holds the project's write lock."""
    for attempt in range(1, BUSY_ATTEMPTS + 1):
        session = factory()
        try:
            session.begin()
            connection = session.connection(execution_options={"codebench_write": write})
            if write and project_id is not None and connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SET LOCAL lock_timeout = {_attempt_ms()}")
                connection.execute(text("SELECT pg_advisory_xact_lock(:space, :project)"),
                                   {"space": _PG_LOCK_SPACE, "project": project_id})
            return session
        except BaseException as exc:
            session.close()
            if not is_contention(exc):
                raise
            if attempt == BUSY_ATTEMPTS:
                raise ProjectBusy(BUSY_MESSAGE) from None
        # Jitter: waiters that timed out together must not all come back at the same moment.
        time.sleep(random.uniform(0.02, 0.2) * attempt)
    raise AssertionError("unreachable")
