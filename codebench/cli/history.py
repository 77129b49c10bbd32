"""Going back and looking back: ``undo``, ``redo`` and the audit ``log``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from codebench import services
from codebench.cli.common import db_option, require_coder, use_project

if TYPE_CHECKING:
    from codebench.services.history import AuditEntry


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--coder", help="Whose last operation to undo (default: $CODEBENCH_CODER).")
@db_option
def undo(project: str, coder: str | None, db: str | None) -> None:
    """Undo your most recent coding, codebook or anonymisation operation."""
    opened = use_project(project, db)
    entry = services.undo(opened, require_coder(coder))
    click.echo(f"undid {services.describe_operation(entry, opened)} from {entry.at:%Y-%m-%d %H:%M}" if entry
               else "nothing to undo")


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--coder", help="Whose undone operation to redo (default: $CODEBENCH_CODER).")
@db_option
def redo(project: str, coder: str | None, db: str | None) -> None:
    """Redo your most recently undone operation."""
    opened = use_project(project, db)
    entry = services.redo(opened, require_coder(coder))
    click.echo(f"redid {services.describe_operation(entry, opened)} from {entry.at:%Y-%m-%d %H:%M}" if entry
               else "nothing to redo")


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--limit", type=int, default=50, show_default=True)
@db_option
def log(project: str, limit: int, db: str | None) -> None:
    """Show the audit log of coding and codebook operations, newest first."""
    from codebench.services.history import undone_operations  # loaded by the command that needs it

    opened = use_project(project, db)
    entries = services.audit_log(opened, limit)
    undone = undone_operations(opened, entries)
    for entry in entries:
        click.echo(f"{entry.id:>6}  {entry.at:%Y-%m-%d %H:%M:%S}  {entry.coder or '-':<12} "
                   f"{_what(entry, opened, undone)}")


def _what(entry: AuditEntry, project: services.Project, undone: dict[int, str]) -> str:
    """The entry as a reader wants it: what was coded where, what was undone (never an original name)."""
    from codebench.services.history import UNDOABLE  # loaded by the command that needs it, not at start-up

    if entry.action in UNDOABLE:
        return f"{entry.action:<13} {services.describe_operation(entry, project)}"
    if entry.action in ("undo", "redo"):
        what = undone.get(entry.id)
        target = entry.payload.get("entry")
        return (f"{entry.action:<13} of #{target}: {what}" if what
                else f"{entry.action:<13} of #{target} ({entry.payload.get('action')})")
    if entry.action == "import":
        return f"{entry.action:<13} {len(entry.payload.get('documents', []))} document(s)"
    return entry.action
