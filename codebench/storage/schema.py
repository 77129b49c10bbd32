"""Facts about a project database that opening it needs before anything else: which schema this
code writes, where Alembic keeps the stored one, how an SQLite file is named as a URL.

A module of its own, importing nothing, so that the read path (:mod:`codebench.storage.reads`)
opens an up-to-date SQLite project without loading SQLAlchemy; :mod:`codebench.storage.db`
re-exports all three.
"""

from __future__ import annotations

from pathlib import Path

#: The newest migration in ``migrations/versions`` (its ``revision``). Kept in step with the
#: migrations by a test, so that opening an up-to-date database needs no Alembic at all.
SCHEMA_HEAD = "0005"
VERSION_TABLE = "alembic_version"


def sqlite_url(path: Path | str) -> str:
    """SQLAlchemy URL of an SQLite file."""
    return f"sqlite+pysqlite:///{path}"
