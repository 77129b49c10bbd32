"""A project's SQLite file, looked at with Python's ``sqlite3`` alone, before anything writes to it.

Opening a project reads here whether the file is a codebench database, which schema it holds and
the project's id. An up-to-date file then needs neither SQLAlchemy nor Alembic until a use case
writes (see :mod:`codebench.storage.reads`).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import NamedTuple

from codebench.errors import StorageError
from codebench.storage.schema import VERSION_TABLE

RESTORE = "restore it from a backup or point 'database:' in codebench.yaml at the right file"


class ProjectFile(NamedTuple):
    """What a project's SQLite file holds, as far as opening it needs to know."""

    revision: str | None
    """The schema revision stored in it (None: none, or several rows that only Alembic can read)."""
    project_id: int | None
    """The id of the project asked for (None: not there, or not looked for)."""


def inspect_project_file(path: Path, name: str | None = None, *, schema: str | None = None) -> ProjectFile:
    """Refuse an existing project's SQLite file that is not a codebench database; say what it holds.

    Opened read-only with SQLite itself: codebench's own connections switch the file to WAL mode
    as they open it, which already rewrites the header of another program's database.

    Args:
        path: the SQLite file.
        name: the project to look up; only when the stored revision is ``schema`` (older schemas
            are upgraded first).
        schema: the revision whose tables this code knows.

    Raises:
        StorageError: the file is not an SQLite database (random bytes, a renamed text file, a
            damaged header) or holds no codebench schema; one line naming the file.
    """
    # Reading a WAL-mode file makes its -wal and -shm files; a refused file must be left as it was.
    companions = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    made = [c for c in companions if not c.exists()]
    try:
        # No wait here: a file another program holds is waited for, once, by the proper open.
        with closing(sqlite3.connect(f"file:{_uri_path(path)}?mode=ro", uri=True, timeout=0.05)) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if VERSION_TABLE not in tables:
                revision = None
            else:
                versions = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall()
                revision = versions[0][0] if len(versions) == 1 else None
            project_id = None
            if name is not None and revision is not None and revision == schema:
                found = connection.execute("SELECT id FROM projects WHERE name = ?", (name,)).fetchone()
                project_id = found[0] if found else None
    except sqlite3.OperationalError:
        return ProjectFile(None, None)  # locked or unreadable for now: opening it properly says what is wrong
    except sqlite3.DatabaseError as exc:
        _remove(made)
        raise StorageError(f"{path} is not a codebench database ({exc}); {RESTORE}") from None
    if VERSION_TABLE not in tables:
        _remove(made)
        raise StorageError(f"{path} is not a codebench database (it holds no codebench tables); {RESTORE}")
    return ProjectFile(revision, project_id)


def check_sqlite_project_file(path: Path) -> None:
    """Refuse an existing project's SQLite file that is not a codebench database (see :func:`inspect_project_file`)."""
    inspect_project_file(path)


def _uri_path(path: Path) -> str:
    """``path`` as the path of an SQLite ``file:`` URI (``%``, ``?`` and ``#`` would end or escape it)."""
    return str(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
