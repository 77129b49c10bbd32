"""Shared pieces of the command line: error handling, opening a project, output.

Kept apart from :mod:`codebench.cli` so command groups in other modules (exports,
anonymisation, interchange) use the same behaviour without circular imports.
"""

from __future__ import annotations

import os
import sys
from functools import wraps
from pathlib import Path
from typing import Any, Callable

import click

from codebench import services
from codebench.domain.codebook import CodebookError
from codebench.ingest import IngestError
from codebench.storage.db import StorageError

EXIT_USER_ERROR = 1


def _fail(message: str) -> None:
    click.echo(f"codebench: {message}", err=True)
    sys.exit(EXIT_USER_ERROR)


def _friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the project's user-facing errors into one line on stderr and exit code 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CodebookError as exc:
            click.echo(f"codebench: the codebook has {len(exc.problems)} problem(s):", err=True)
            for problem in exc.problems:
                click.echo(f"  {problem}", err=True)
            sys.exit(EXIT_USER_ERROR)
        except (services.ServiceError, IngestError, StorageError) as exc:
            _fail(str(exc))
        except BrokenPipeError:
            sys.exit(0)  # the reader (head, less) went away; nothing to report
        except OSError as exc:
            _fail(f"{exc.filename or ''}: {exc.strerror}" if exc.strerror else str(exc))

    return wrapper


def _open(project: str, db: str | None) -> services.Project:
    opened = services.open_project(Path(project), db_url=db)
    if opened.backup:
        click.echo(f"upgraded the project database; the old file is kept as {opened.backup}", err=True)
    return opened


def _emit(text: str, output: str | None) -> None:
    """Write ``text`` to the file ``output``, or to the terminal when none is given."""
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)


def _coder(value: str | None) -> str:
    coder = value or os.environ.get("CODEBENCH_CODER")
    if not coder:
        _fail("say who is coding: --coder NAME (or set CODEBENCH_CODER)")
    return coder  # type: ignore[return-value]


_db_option = click.option(
    "--db", metavar="URL", envvar="CODEBENCH_DB",
    help="Database URL (postgresql+psycopg://user@host/db for a shared server); default: the project's setting.",
)
