"""What every command group shares: error handling, the ``--db`` option, coders, output, projects.

User mistakes (bad files, unknown names, broken codebooks) print one clear line and exit 1; a
traceback means a bug in codebench. The handling sits in :class:`CodebenchGroup`, the class of the
root group, so every command below it gets the same behaviour without a decorator of its own.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from codebench import services
from codebench.errors import CodebenchError, CodebookError

EXIT_USER_ERROR = 1
CODER_VARIABLE = "CODEBENCH_CODER"


def fail(message: str) -> NoReturn:
    """Print ``codebench: MESSAGE`` on stderr and exit with code 1.

    Args:
        message: one line saying what is wrong and, where it helps, what to do.
    """
    click.echo(f"codebench: {message}", err=True)
    sys.exit(EXIT_USER_ERROR)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a user is meant to read into one line on stderr and exit code 1.

    A broken codebook lists every problem on its own line (one problem is the one line); a reader that went away (``| head``)
    ends the command quietly with exit code 0.
    """
    try:
        yield
    except CodebookError as exc:
        if len(exc.problems) == 1:
            fail(str(exc.problems[0]))
        click.echo(f"codebench: the codebook has {len(exc.problems)} problem(s):", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(EXIT_USER_ERROR)
    except CodebenchError as exc:
        fail(str(exc))
    except BrokenPipeError:
        sys.exit(0)
    except OSError as exc:
        fail(f"{exc.filename or ''}: {exc.strerror}" if exc.strerror else str(exc))


class CodebenchGroup(click.Group):
    """The root group: runs every subcommand (and nested group) inside :func:`user_errors`.

    Commands named in :attr:`lazy` are imported when they are run or listed, not at start-up:
    a command then loads its own module only (importing all of them cost every command ~50 ms).
    """

    lazy: dict[str, str] = {}
    """``command name -> "module:attribute"`` under :mod:`codebench.cli`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, loaded or not, in alphabetical order (as click lists them)."""
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command called ``cmd_name``, its module imported on first use."""
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module_name, attribute = self.lazy[cmd_name].split(":")
            module = importlib.import_module(f"codebench.cli.{module_name}")
            self.add_command(getattr(module, attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the chosen subcommand; user errors become one line and exit code 1."""
        with user_errors():
            return super().invoke(ctx)


db_option = click.option(
    "--db", metavar="URL", envvar="CODEBENCH_DB",
    help="Database URL (postgresql+psycopg://user@host/db for a shared server); default: the project's setting.",
)
"""The ``--db URL`` option of every command that opens a project (``CODEBENCH_DB`` sets it too)."""


def use_project(project: str, db: str | None) -> services.Project:
    """Open PROJECT for the running command; it is closed when the command ends, however it ends.

    Args:
        project: the project folder as given on the command line.
        db: the ``--db`` URL, or None for the project's own setting.

    Returns:
        The open project.
    """
    opened = services.open_project(Path(project), db_url=db)
    click.get_current_context().call_on_close(opened.close)
    if opened.backup:
        click.echo(f"upgraded the project database; the old file is kept as {opened.backup}", err=True)
    for warning in opened.permission_warnings:
        click.echo(f"codebench: warning: {warning}", err=True)
    return opened


def coder_or_default(value: str | None) -> str | None:
    """The coder given with ``--coder``, else ``$CODEBENCH_CODER``, else None."""
    return value or os.environ.get(CODER_VARIABLE)


def require_coder(value: str | None) -> str:
    """The coder given with ``--coder`` or ``$CODEBENCH_CODER``; stops the command when neither is set."""
    coder = coder_or_default(value)
    if not coder:
        fail(f"say who is coding: --coder NAME (or set {CODER_VARIABLE})")
    return coder


original_option = click.option(
    "--original", is_flag=True,
    help="Show original names and text (only for coders the project allows; see `anonymise allow`).")
"""``--original`` for commands that print transcript text or names."""


def document_arg(project: services.Project, ref: str, coder: str | None = None) -> int:
    """The document a DOCUMENT argument names, as the coder (``--coder`` or ``$CODEBENCH_CODER``)
    may name it: by a file name only where original names may show (see
    :func:`services.document_id_for`)."""
    allowed = services.anonymisation.may_see_original(project, coder_or_default(coder))
    return services.document_id_for(project, ref, original_names=allowed)


def shown_as(project: services.Project, coder: str | None, original: bool) -> services.anonymisation.Disclosure:
    """What this command may show the coder (``--coder`` or ``$CODEBENCH_CODER``); prints the note.

    Stops the command when the original is asked for by a coder who may not see it.
    """
    shown = services.anonymisation.disclosure(project, coder_or_default(coder), original=original)
    if shown.note:
        click.echo(f"codebench: {shown.note}", err=True)
    return shown


def emit(text: str, output: str | None) -> None:
    """Write ``text`` to the file ``output``, or to the terminal when none is given.

    Args:
        text: the complete output, with its final newline.
        output: the ``-o`` file, or None for standard output.
    """
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)

