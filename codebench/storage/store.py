"""One database and the unit of work over one project in it.

:class:`Database` owns the engine, sessions and migrations of an SQLite file or a PostgreSQL
server. :meth:`Database.transaction` yields a :class:`Store`: one transaction over one project,
whose repositories (``store.documents``, ``store.codebook``, ``store.codings``, ``store.audit``,
``store.memos``, ``store.anonymisation``, ``store.merge``, ``store.interchange``, ``store.search``) share its session, so a use case
that touches several aggregates still commits or rolls back as one.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any, Iterator

from sqlalchemy import select
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from codebench.errors import StorageError
from codebench.storage.db import current_revision, make_engine, migrate, session_factory, transaction, when_free
from codebench.storage.orm import Project as ProjectRow
from codebench.storage.base import ProjectRepository
from codebench.storage.sqlite_file import RESTORE as _RESTORE, check_sqlite_project_file  # noqa: F401 (re-exported)

if TYPE_CHECKING:
    from codebench.storage.anonymisation import AnonymisationRepository
    from codebench.storage.audit import AuditRepository
    from codebench.storage.codebook import CodebookRepository
    from codebench.storage.codings import CodingRepository
    from codebench.storage.documents import DocumentRepository
    from codebench.storage.interchange import InterchangeRepository
    from codebench.storage.memos import MemoRepository
    from codebench.storage.merge import MergeRepository
    from codebench.storage.search import SearchRepository


class Store(ProjectRepository):
    """The repositories of one project inside one transaction.

    Each aggregate's repository is built on first use (its module imported then too, which
    keeps a short CLI command from loading what it does not need).
    """

    def __init__(self, session: Session, project_id: int) -> None:
        super().__init__(session, project_id)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.session.get_bind().dialect.name

    @cached_property
    def documents(self) -> DocumentRepository:
        """Documents, their turns and participants."""
        from codebench.storage.documents import DocumentRepository

        return DocumentRepository(self.session, self.project_id)

    @cached_property
    def codebook(self) -> CodebookRepository:
        """The code tree and the project's codebook settings."""
        from codebench.storage.codebook import CodebookRepository

        return CodebookRepository(self.session, self.project_id)

    @cached_property
    def codings(self) -> CodingRepository:
        """Codings, coders and quotes."""
        from codebench.storage.codings import CodingRepository

        return CodingRepository(self.session, self.project_id)

    @cached_property
    def audit(self) -> AuditRepository:  # type: ignore[override]
        """The append-only audit log."""
        from codebench.storage.audit import AuditRepository

        return AuditRepository(self.session, self.project_id)

    @cached_property
    def memos(self) -> MemoRepository:
        """Memos on codes, documents and the project."""
        from codebench.storage.memos import MemoRepository

        return MemoRepository(self.session, self.project_id)

    @cached_property
    def anonymisation(self) -> AnonymisationRepository:
        """Entities, mentions and the anonymisation settings."""
        from codebench.storage.anonymisation import AnonymisationRepository

        return AnonymisationRepository(self.session, self.project_id)

    @cached_property
    def merge(self) -> MergeRepository:
        """Reading a coder project and merging it into a team project."""
        from codebench.storage.merge import MergeRepository

        return MergeRepository(self.session, self.project_id)

    @cached_property
    def search(self) -> SearchRepository:
        """The full-text index of turns, and saved searches."""
        from codebench.storage.search import SearchRepository

        return SearchRepository(self.session, self.project_id)

    @cached_property
    def interchange(self) -> InterchangeRepository:
        """Bulk reads and writes of REFI-QDA import and export."""
        from codebench.storage.interchange import InterchangeRepository

        return InterchangeRepository(self.session, self.project_id)


class Database:
    """An SQLite file or a PostgreSQL server holding one or more projects."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = session_factory(self.engine)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def describe(self) -> str:
        """Where the data lives, without a password (for messages)."""
        return self.engine.url.render_as_string(hide_password=True)

    def migrate(self, *, create: bool = True) -> str | None:
        """Bring the schema up to date; returns the path of the backup made of an old SQLite file.

        Args:
            create: give a database without codebench's schema one. False refuses such an
                SQLite file instead (an existing project's file that is empty or another
                program's database must not be written into).

        Raises:
            StorageError: the file is not a database, is damaged, or (``create=False``) holds
                no codebench schema; one line naming the file.
        """
        def attempt() -> str | None:
            try:
                if not create and self.dialect == "sqlite" and current_revision(self.engine) is None:
                    raise StorageError(f"{self._where()} is not a codebench database (it holds no codebench tables); "
                                       f"{_RESTORE}")
                return migrate(self.engine)
            except (OperationalError, IntegrityError):  # locked, busy: the file may well be a database
                raise
            except DatabaseError as exc:
                raise self._not_a_database(exc) from None

        # Another codebench may hold the file (a long import, a program with an exclusive lock):
        # wait for it as a write does, then say so in one line.
        return when_free(attempt)

    def _where(self) -> str:
        if self.dialect == "sqlite" and self.engine.url.database:
            return self.engine.url.database
        return self.describe()

    def _not_a_database(self, exc: DatabaseError) -> StorageError:
        """The one line for a file SQLite cannot read as a database (random bytes, a renamed text file)."""
        return StorageError(f"{self._where()} is not a codebench database ({exc.orig}); {_RESTORE}")

    def project_id(self, name: str, *, create: bool) -> int | None:
        """The id of the project called ``name``; created first when missing and ``create``."""
        for attempt in (1, 2):
            try:
                with transaction(self.sessions, write=create) as session:
                    row = session.scalar(select(ProjectRow).where(ProjectRow.name == name))
                    if row is None and create:
                        row = ProjectRow(name=name, settings={})
                        session.add(row)
                        session.flush()
                    return row.id if row is not None else None
            except IntegrityError:
                # Another process created the same project between our look and our insert
                # (PostgreSQL takes no lock for a project that does not exist yet): take theirs.
                if attempt == 2:
                    raise
            except OperationalError:
                raise
            except DatabaseError as exc:  # a schema table that is not ours, a damaged page
                raise self._not_a_database(exc) from None
        raise AssertionError("unreachable")

    def create_project(self, name: str) -> int:
        """Add a new project called ``name``; refuses a name the database already has."""
        with transaction(self.sessions) as session:
            if session.scalar(select(ProjectRow.id).where(ProjectRow.name == name)) is not None:
                raise StorageError(f"the database already has a project called {name!r}; choose another --name")
            row = ProjectRow(name=name, settings={})
            session.add(row)
            session.flush()
            return row.id

    @contextmanager
    def transaction(self, project_id: int, *, write: bool = True) -> Iterator[Store]:
        """One user action on one project: commit on success, roll back on any error."""
        with transaction(self.sessions, write=write, project_id=project_id) as session:
            yield Store(session, project_id)

    def checkpoint(self) -> None:
        """After a bulk write on SQLite, fold the write-ahead log back into the database file.

        Until then every read consults the log page by page: after importing 50,000 codings,
        category retrieval took 150 ms instead of 90 ms. Busy readers just make it a no-op.
        """
        if self.dialect == "sqlite":
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
