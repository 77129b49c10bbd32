"""The user-facing error types: each carries one clear line, shown without a traceback.

This module is the ground floor of the package: it imports nothing of codebench, so every
layer (domain, ingest, storage, anonymise, export, services, cli, tui) can raise and catch the
same types without import circles. The CLI turns any :class:`CodebenchError` into one line on
stderr and exit code 1; the workbench shows it in a notification.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class CodebenchError(Exception):
    """Base of every error a user is meant to read (never a bug in codebench itself)."""


class ServiceError(CodebenchError, ValueError):
    """A use case was refused or failed; the message is one sentence saying why and what to do."""


class StorageError(CodebenchError, RuntimeError):
    """The database could not be opened, upgraded or written; the message says why in one line."""


class ProjectBusy(StorageError, ServiceError):
    """Another codebench kept the project's write lock for longer than this one waits; nothing was changed.

    Also a :class:`ServiceError`: the use case failed, and every front end that words a refused
    action for the user (the workbench's notifications) words this one too.
    """


class IngestError(CodebenchError, ValueError):
    """A file could not be imported. The message names the file and, where known, the line."""

    def __init__(self, file: str | Path, message: str, line: int | None = None) -> None:
        self.file = str(file)
        self.line = line
        self.reason = message
        where = f"{self.file}:{line}" if line is not None else self.file
        super().__init__(f"{where}: {message}")


class CodebookError(CodebenchError, ValueError):
    """A codebook could not be loaded; ``problems`` lists every reason with file, line and column."""

    def __init__(self, problems: list[Any]) -> None:
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{len(problems)} problem(s) in codebook:\n{lines}")


class KeyFileError(CodebenchError):
    """The pseudonym key file cannot be read or written safely."""


class MergeRefused(CodebenchError, ValueError):
    """A coder project cannot be merged into the team project (the message says which document)."""


class RuleViolation(ServiceError):
    """An action would break a rule of the method (a code under a code, a category inside itself …)."""
