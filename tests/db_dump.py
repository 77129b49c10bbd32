"""Every row of every table of an SQLite project file, to show that a refused command changed nothing.

``table_counts`` in tests/integration/test_services.py counts a few tables; a refused command must
leave *all* of them exactly as they were (a coder row, an audit entry or a settings change
count too), so this dump reads every table SQLite holds, in a stable order.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def sqlite_path(url_or_path: str | Path) -> Path:
    """The file of an SQLite URL (``sqlite+pysqlite:///…``) or a path as it is."""
    text = str(url_or_path)
    return Path(text.split("///", 1)[1]) if "///" in text else Path(text)


def dump_tables(database: str | Path) -> dict[str, list[tuple[Any, ...]]]:
    """All rows of all tables, each table's rows sorted, opened read-only.

    Args:
        database: the SQLite file, or its SQLAlchemy URL.

    Returns:
        ``{table: sorted rows}`` for every table, SQLite's own (``sqlite_sequence``) included.
    """
    path = sqlite_path(database)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {table: sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr) for table in tables}
