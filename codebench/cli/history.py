"""Going back and looking back: ``undo``, ``redo`` and the audit ``log``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from codebench import services
from codebench.cli.common import db_option, original_option, require_coder, shown_as, use_project

if TYPE_CHECKING:
    from codebench.services.history import AuditEntry


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--coder", help="Whose last operation to undo (default: $CODEBENCH_CODER).")
@db_option
def undo(project: str, coder: str | None, db: str | None) -> None:
    """Undo your most recent coding, codebook or anonymisation operation."""
    opened = use_project(project, db)
    coder = require_coder(coder)
    entry = services.undo(opened, coder)
    # Code names as this coder's view shows them (an in-vivo code is the informant's words).
    original = services.anonymisation.disclosure(opened, coder).original if entry else False
    click.echo(f"undid {services.describe_operation(entry, opened, anonymised=not original)} from {entry.at:%Y-%m-%d %H:%M}"
               if entry else "nothing to undo")


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--coder", help="Whose undone operation to redo (default: $CODEBENCH_CODER).")
@db_option
def redo(project: str, coder: str | None, db: str | None) -> None:
    """Redo your most recently undone operation."""
    opened = use_project(project, db)
    coder = require_coder(coder)
    entry = services.redo(opened, coder)
    # Code names as this coder's view shows them (an in-vivo code is the informant's words).
    original = services.anonymisation.disclosure(opened, coder).original if entry else False
    click.echo(f"redid {services.describe_operation(entry, opened, anonymised=not original)} from {entry.at:%Y-%m-%d %H:%M}"
               if entry else "nothing to redo")


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--limit", type=int, default=50, show_default=True)
@original_option
@db_option
def log(project: str, limit: int, original: bool, db: str | None) -> None:
    """Show the audit log of coding and codebook operations, newest first.

    Code names as the anonymised view shows them once detection has run (an in-vivo code is the
    informant's words); --original for coders allowed to see names.
    """
    # Loaded by the command that needs them, not at start-up.
    from codebench.services.history import UNDOABLE, history_items, undone_operations

    opened = use_project(project, db)
    anonymised = not shown_as(opened, None, original).original
    entries = services.audit_log(opened, limit)
    undone = undone_operations(opened, entries, anonymised=anonymised)
    # One reading of the project (and of the anonymisation) for every line, not one per line.
    described = {item.entry.id: item.description
                 for item in history_items(opened, [e for e in entries if e.action in UNDOABLE], anonymised=anonymised)}
    for entry in entries:
        click.echo(f"{entry.id:>6}  {entry.at:%Y-%m-%d %H:%M:%S}  {entry.coder or '-':<12} "
                   f"{_what(entry, described, undone)}")


def _what(entry: AuditEntry, described: dict[int, str], undone: dict[int, str]) -> str:
    """The entry as a reader wants it: what was coded where, what was undone (never an original name)."""
    if entry.id in described:
        return f"{entry.action:<13} {described[entry.id]}"
    if entry.action in ("undo", "redo"):
        what = undone.get(entry.id)
        target = entry.payload.get("entry")
        return (f"{entry.action:<13} of #{target}: {what}" if what
                else f"{entry.action:<13} of #{target} ({entry.payload.get('action')})")
    if entry.action == "import":
        return f"{entry.action:<13} {len(entry.payload.get('documents', []))} document(s)"
    return entry.action
