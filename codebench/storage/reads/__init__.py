"""The read queries, in plain SQL, and the read-only path that runs them without SQLAlchemy.

Why: a query command (``stats``, ``quotes``, ``codes``, ``documents``, ``show``) on a small
project spent nine tenths of its time importing SQLAlchemy's ORM and building our table
classes; the queries themselves take milliseconds. So the queries that only read are written
once, as SQL text with ``?`` placeholders (one module per aggregate, like the repositories):

- a :class:`~codebench.storage.store.Store`'s repositories inherit them and run them on their
  session's own connection (SQLite or PostgreSQL), so a use case that writes reads through the
  same code, inside its transaction;
- :func:`reading` runs them on a plain ``sqlite3`` connection for a use case that only reads an
  SQLite project (a query command, an export), in one read transaction (a WAL snapshot) with no SQLAlchemy loaded at all.

There is still one storage layer and one schema: the tables are defined by ``orm.py`` and its
migrations, every write goes through the ORM or Core, and services reach either kind of store
through the same repository names (``store.documents``, ``store.codebook``, ``store.codings``,
``store.anonymisation``, ``store.interchange``).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing, contextmanager
from functools import cached_property
from pathlib import Path
from typing import Iterator

from codebench.errors import ProjectBusy
from codebench.storage.busy import BUSY_MESSAGE, busy_seconds, is_locked_message
from codebench.storage.reads.anonymisation import AnonymisationReads
from codebench.storage.reads.codebook import CodebookReads
from codebench.storage.reads.codings import CodingReads
from codebench.storage.reads.documents import DocumentReads
from codebench.storage.reads.interchange import InterchangeReads
from codebench.storage.reads.sql import Sql

# A reader never writes (query_only), waits for a checkpoint rather than failing (busy_timeout),
# and keeps a 16 MB page cache. No memory-mapped I/O: the kernel maps 64 kB around every page
# touched, so counting codings at 10 M words mapped 200 MB of neighbouring text and index pages
# into the process (its peak RSS) for no gain in time.
READ_PRAGMAS = ("PRAGMA query_only = ON", "PRAGMA cache_size = -16384")


class ReadStore:
    """The read queries of one project inside one read transaction (no ORM, no session)."""

    def __init__(self, sql: Sql, project_id: int) -> None:
        self.sql = sql
        self.project_id = project_id

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.sql.dialect

    @cached_property
    def documents(self) -> DocumentReads:
        """Documents, their turns and participants."""
        return DocumentReads.over(self.sql, self.project_id)

    @cached_property
    def codebook(self) -> CodebookReads:
        """The code tree."""
        return CodebookReads.over(self.sql, self.project_id)

    @cached_property
    def codings(self) -> CodingReads:
        """Codings, coders and quotes."""
        return CodingReads.over(self.sql, self.project_id)

    @cached_property
    def anonymisation(self) -> AnonymisationReads:
        """Anonymisation settings, entities and mentions."""
        return AnonymisationReads.over(self.sql, self.project_id)

    @cached_property
    def interchange(self) -> InterchangeReads:
        """What a REFI-QDA export reads: every coding, memo and recorded GUID."""
        return InterchangeReads.over(self.sql, self.project_id)


@contextmanager
def reading(path: Path, project_id: int) -> Iterator[ReadStore]:
    """One read transaction on an SQLite project file, with Python's ``sqlite3`` alone.

    A connection per transaction: the workbench reads from worker threads, and opening one
    costs a fraction of a millisecond next to any query worth a transaction.
    """
    try:
        with closing(sqlite3.connect(path, isolation_level=None)) as connection:
            # A reader waits as long as a writer would (CODEBENCH_BUSY_TIMEOUT) for another
            # program that holds the file exclusively; in WAL mode that is rare and short.
            connection.execute(f"PRAGMA busy_timeout = {round(busy_seconds() * 1000)}")
            for pragma in READ_PRAGMAS:
                connection.execute(pragma)
            connection.execute("BEGIN")
            try:
                yield ReadStore(Sql(connection, "sqlite"), project_id)
            finally:
                connection.execute("ROLLBACK")  # nothing was written; this ends the snapshot
    except sqlite3.OperationalError as exc:
        if is_locked_message(str(exc)):
            raise ProjectBusy(BUSY_MESSAGE) from None
        raise
