"""Plain SQL over a DB-API connection: the read queries' one way to reach SQLite or PostgreSQL.

Queries are written once, with ``?`` placeholders, and run unchanged on Python's ``sqlite3``
(the read path of a query command, which starts without SQLAlchemy) and on the connection under
a SQLAlchemy session (the repositories of a :class:`~codebench.storage.store.Store`, SQLite or
psycopg). The few values the two drivers hand back differently (JSON, booleans, times) are
decoded here.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Callable, Sequence

Row = tuple[Any, ...]


class Sql:
    """Runs plain SQL on one DB-API connection inside the caller's transaction.

    Args:
        connection: a ``sqlite3`` or psycopg connection, already in a transaction.
        dialect: ``sqlite`` or ``postgresql``.
        before: called before every statement (a session flushes its pending rows, so that a
            read inside a writing transaction sees what the transaction wrote).
    """

    _translated: dict[str, str] = {}

    def __init__(self, connection: Any, dialect: str, before: Callable[[], None] | None = None) -> None:
        self.connection = connection
        self.dialect = dialect
        self._before = before

    def _statement(self, query: str) -> str:
        if self.dialect == "sqlite":
            return query
        # psycopg's placeholders are %s, and a literal % is written %%.
        statement = self._translated.get(query)
        if statement is None:
            statement = self._translated[query] = query.replace("%", "%%").replace("?", "%s")
        return statement

    def all(self, query: str, params: Sequence[Any] = ()) -> list[Row]:
        """Every row of ``query`` as plain tuples, fetched in one call."""
        if self._before is not None:
            self._before()
        if self.dialect == "sqlite":
            return self.connection.execute(query, params).fetchall()
        with self.connection.cursor() as cursor:
            cursor.execute(self._statement(query), params)
            return cursor.fetchall() if cursor.description is not None else []

    def one(self, query: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of ``query``, or None."""
        rows = self.all(query, params)
        return rows[0] if rows else None

    def scalar(self, query: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row of ``query``, or None."""
        row = self.one(query, params)
        return row[0] if row is not None else None

    @staticmethod
    def marks(values: Sequence[Any]) -> str:
        """The placeholders of an ``IN (…)`` list of ``values`` (``NULL`` for none, which matches nothing)."""
        return ",".join("?" * len(values)) if values else "NULL"

    @staticmethod
    def json(value: Any) -> Any:
        """A JSON column's value: SQLite hands back text, psycopg the decoded value."""
        return json.loads(value) if isinstance(value, (str, bytes)) else value

    @staticmethod
    def time(value: Any) -> datetime | None:
        """A DateTime column's value: SQLite hands back the text SQLAlchemy stored, psycopg a datetime."""
        if value is None or isinstance(value, datetime):
            return value
        return datetime.fromisoformat(value)


class Reads:
    """Base of one aggregate's read queries: a repository of a ``Store`` or of a read-only store.

    A :class:`~codebench.storage.base.ProjectRepository` gives ``sql`` over its session's
    connection; :meth:`over` gives it a plain connection (see :mod:`codebench.storage.reads`).
    """

    sql: Sql
    project_id: int

    @classmethod
    def over(cls, sql: Sql, project_id: int) -> Reads:
        """These read queries over ``sql`` for one project (no session, no ORM)."""
        reads = cls.__new__(cls)
        reads.__dict__.update(sql=sql, project_id=project_id)
        return reads
