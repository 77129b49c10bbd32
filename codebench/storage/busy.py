"""How long codebench waits for another codebench that holds a project, and what it says then.

Shared by the SQLAlchemy path (``db.py``) and the plain ``sqlite3`` read path (``reads``), so
it imports neither.
"""

from __future__ import annotations

import os

from codebench.errors import StorageError

#: Seconds an action waits, in all, for another codebench that is writing the same project.
BUSY_VARIABLE = "CODEBENCH_BUSY_TIMEOUT"
DEFAULT_BUSY_SECONDS = 30.0
#: The wait is split into this many attempts with a random pause between them.
BUSY_ATTEMPTS = 3
BUSY_MESSAGE = (f"the project is busy: another codebench is writing; nothing was changed "
                f"(try again, or wait longer with {BUSY_VARIABLE}=SECONDS)")


def busy_seconds() -> float:
    """How long an action waits for another writer in all (``CODEBENCH_BUSY_TIMEOUT``, default 30 s)."""
    raw = os.environ.get(BUSY_VARIABLE, "")
    try:
        value = float(raw) if raw.strip() else DEFAULT_BUSY_SECONDS
    except ValueError:
        raise StorageError(f"{BUSY_VARIABLE}={raw!r} is not a number of seconds") from None
    return max(value, 0.001)


def attempt_ms() -> int:
    """One attempt's share of the whole wait, in milliseconds (SQLite's busy timeout)."""
    return max(1, round(busy_seconds() * 1000 / BUSY_ATTEMPTS))


def is_locked_message(message: str) -> bool:
    """SQLite's words for "another connection holds the lock" (after its busy timeout ran out)."""
    message = message.lower()
    return ("database is locked" in message or "database is busy" in message
            or "database table is locked" in message)
