"""Correcting transcripts and linking recordings: ``edit``, ``rename-speaker``, ``flagged``, ``media``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from codebench import services
from codebench.cli.common import (
    coder_or_default, db_option, document_arg, fail, original_option, require_coder, shown_as, use_project,
)

_EDIT_HINT = "# Edit the words of the turn below; lines starting with # are ignored. Save and quit to store it.\n"


def _seconds(value: str | None, option: str) -> float | None:
    """A time given as seconds (83.5) or as [h:]mm:ss[.f]; '' or 'none' clears it."""
    if value is None:
        return None
    text = value.strip()
    if text.casefold() in ("", "none", "-"):
        return None
    try:
        parts = [float(p) for p in text.split(":")]
    except ValueError:
        fail(f"{option}: {value!r} is not a time (seconds, or mm:ss, or h:mm:ss)")
    if len(parts) > 3 or any(p < 0 for p in parts):
        fail(f"{option}: {value!r} is not a time (seconds, or mm:ss, or h:mm:ss)")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("document")
@click.option("--turn", "turn", type=int, required=True, help="The turn's number (1 = the first; see `show --offsets`).")
@click.option("--text", help="The turn's new words; '-' reads them from standard input. Without it, $EDITOR opens.")
@click.option("--speaker", help="A new speaker label ('' for none).")
@click.option("--start-time", help="The turn's start time: seconds or mm:ss ('none' clears it).")
@click.option("--end-time", help="The turn's end time: seconds or mm:ss ('none' clears it).")
@click.option("--no-detect", is_flag=True, help="Do not look for names in the edited turn.")
@click.option("--coder", help="Who edits (default: $CODEBENCH_CODER).")
@db_option
def edit(project: str, document: str, turn: int, text: str | None, speaker: str | None, start_time: str | None,
         end_time: str | None, no_detect: bool, coder: str | None, db: str | None) -> None:
    """Correct turn N of DOCUMENT: its words (in $EDITOR, or --text), speaker label or times.

    Codings outside the changed words keep their words; codings the change overlaps are kept,
    adjusted and flagged for their coder to check (`codebench flagged`). Undo takes it back.
    """
    who = require_coder(coder)
    opened = use_project(project, db)
    new_text: str | None = None
    if text == "-":
        new_text = sys.stdin.read()
    elif text is not None:
        new_text = text
    elif speaker is None and start_time is None and end_time is None:
        new_text = _from_editor(opened, document, turn, who)
        if new_text is None:
            click.echo("no change")
            return
    kwargs = {}
    if speaker is not None:
        kwargs["speaker"] = speaker or None
    if start_time is not None:
        kwargs["t_start"] = _seconds(start_time, "--start-time")
    if end_time is not None:
        kwargs["t_end"] = _seconds(end_time, "--end-time")
    report = services.edit_turn(opened, document, turn, coder=who, text=new_text, detect=not no_detect, **kwargs)
    _print_report(report, turn, opened)


@click.command("rename-speaker")
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("document")
@click.argument("old")
@click.argument("new")
@click.option("--no-detect", is_flag=True, help="Do not look for names in the renamed labels.")
@click.option("--coder", help="Who renames (default: $CODEBENCH_CODER).")
@db_option
def rename_speaker(project: str, document: str, old: str, new: str, no_detect: bool, coder: str | None,
                   db: str | None) -> None:
    """Rename speaker OLD to NEW in every turn of DOCUMENT (e.g. I → Intervjuer, SPEAKER_01 → a name).

    Only the labels change: codings keep their words and flags, memos stay with them. One
    operation: `codebench undo` takes it back. A person's name given to a speaker is searched for
    like any name in the text (when detection has run): review it before exporting.
    """
    who = require_coder(coder)
    opened = use_project(project, db)
    report = services.rename_speaker(opened, document, old, new, coder=who, detect=not no_detect)
    if not report.changed:
        click.echo("no change")
        return
    # The names themselves are not echoed: a speaker label may be a person's name.
    click.echo(f"document {report.document_id}: speaker renamed in {report.renamed} turn(s); "
               f"{report.shifted} coding(s) moved with their words")
    _print_checks(report.flagged, "to check", opened)
    if report.mentions_removed:
        click.echo(f"anonymisation: {report.mentions_removed} mention(s) in the old labels removed with them")
    if report.mentions_found:
        click.echo(f"anonymisation: {report.mentions_found} new suggestion(s) in the renamed labels; review them "
                   "(codebench anonymise --list --open-only)")


def _from_editor(project: services.Project, document: str, turn: int, coder: str) -> str | None:
    """The turn's words as the coder left them in $EDITOR; None when unchanged or left empty."""
    current = services.turn_text(project, document, turn, coder)
    edited = click.edit(_EDIT_HINT + current + "\n", extension=".txt", require_save=True)
    if edited is None:
        return None
    words = "\n".join(line for line in edited.splitlines() if not line.startswith("#")).strip("\n")
    if not words.strip() or words == current:
        return None
    return words


def _print_report(report: services.EditReport, turn: int, opened: services.Project) -> None:
    if not report.changed:
        click.echo("no change" if report.turn is None else f"turn {turn} of document {report.document_id}: "
                   "speaker and times saved")
        return
    click.echo(f"edited turn {turn} of document {report.document_id}: {report.pieces} change(s); "
               f"{report.shifted} coding(s) moved with their words")
    _print_checks(report.flagged, "to check", opened)
    if report.mentions_adjusted or report.mentions_removed:
        click.echo(f"anonymisation: {report.mentions_adjusted} mention(s) adjusted to the new words, "
                   f"{report.mentions_removed} removed with their words")
    if report.mentions_found:
        click.echo(f"anonymisation: {report.mentions_found} new suggestion(s) in the edited turn; review them "
                   "(codebench anonymise --list --open-only)")


def shown_names(project: services.Project, items: Sequence[services.CheckItem]) -> dict[str, str]:
    """The codes' names as this coder is shown them (an in-vivo code is the informant's words)."""
    return services.code_names_shown_to(project, coder_or_default(None), [i.code for i in items])


def _print_checks(items: list[services.CheckItem], what: str, project: services.Project) -> None:
    if not items:
        return
    shown = shown_names(project, items)
    click.echo(f"{len(items)} coding(s) {what}:")
    for item in items:
        click.echo(f"  {item.uuid[:8]}  [{item.start}, {item.end})  {shown.get(item.code, item.code)} ({item.coder}): "
                   f"{item.reason}")


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("document", required=False)
@click.option("--coder", help="Only this coder's codings (and the coder who checks with --check).")
@click.option("--check", "check_id", metavar="CODING_ID", help="Mark this coding as checked (its flag goes).")
@db_option
def flagged(project: str, document: str | None, coder: str | None, check_id: str | None, db: str | None) -> None:
    """List codings whose words changed under them (an edit, a corrected file), or mark one checked."""
    opened = use_project(project, db)
    if check_id:
        item = services.check_coding(opened, check_id, require_coder(coder))
        code = shown_names(opened, [item]).get(item.code, item.code)
        start, end = _positions(opened).shown(item.document_id, item.start, item.end)
        click.echo(f"checked {item.uuid[:8]} {code} [{start}, {end})")
        return
    items = services.flagged_codings(opened, str(document_arg(opened, document)) if document else None, coder)
    if not items:
        click.echo("no coding to check")
        return
    by_doc: dict[int, list[services.CheckItem]] = {}
    for item in items:
        by_doc.setdefault(item.document_id, []).append(item)
    shown = shown_names(opened, items)
    positions = _positions(opened)
    for doc_id, found in by_doc.items():
        click.echo(f"document {doc_id}:")
        for item in found:
            start, end = positions.shown(doc_id, item.start, item.end)
            click.echo(f"  {item.uuid[:8]}  [{start}, {end})  {shown.get(item.code, item.code)} ({item.coder}): "
                       f"{item.reason}")


def _positions(project: services.Project) -> services.anonymisation.Positions:
    """Positions as the coder running the command reads them (the anonymised text's, when names are kept from them)."""
    return services.anonymisation.positions_for(project, coder_or_default(None))


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("document")
@click.argument("recording", required=False, type=click.Path(dir_okay=False))
@click.option("--remove", is_flag=True, help="Forget the document's recording.")
@click.option("--coder", help="Who asks (the path may name the informant: shown to coders who may see originals).")
@original_option
@db_option
def media(project: str, document: str, recording: str | None, remove: bool, coder: str | None, original: bool,
          db: str | None) -> None:
    """Link DOCUMENT to its RECORDING (audio or video file; the path is stored, not the file).

    Without RECORDING, says which recording the document is linked to.
    """
    opened = use_project(project, db)
    if remove:
        services.link_media(opened, document, None)
        click.echo(f"document {document}: no recording linked")
        return
    if recording is None:
        linked = services.media_of(opened, document)
        if linked is None:
            click.echo(f"document {document}: no recording linked")
            return
        shown = shown_as(opened, coder, original)
        where = linked.path if shown.original else f"a {Path(linked.path).suffix} file (its path is shown with --original)"
        click.echo(f"document {document}: {where}" + ("" if linked.exists else " (missing: link it again)"))
        return
    linked = services.link_media(opened, document, Path(recording))
    click.echo(f"document {document}: linked to {linked.path}")
