"""Projects and their documents: ``init``, ``import``, ``import-survey``, ``documents``, ``show``,
and the workbench launchers ``open`` and ``demo``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from codebench import services
from codebench.cli.common import (
    EXIT_USER_ERROR, coder_or_default, db_option, document_arg, fail, original_option, shown_as, use_project,
)
from codebench.cli.editing import shown_names
from codebench.cli.retrieval import stats


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--db", metavar="URL", help="Use a PostgreSQL server (postgresql+psycopg://…) instead of an SQLite file.")
@click.option("--name", help="Project name inside the database (default: the folder name).")
def init(project: str, db: str | None, name: str | None) -> None:
    """Create a project folder with an empty database."""
    opened = services.init_project(Path(project), db_url=db, name=name)
    click.get_current_context().call_on_close(opened.close)
    where = ("SQLite file " + str(Path(project) / services.DB_NAME) if not db
             else "server " + opened.engine.url.render_as_string(hide_password=True))
    click.echo(f"created project {opened.name!r} ({where})")


@click.command("import")
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--participant", "pid", help="Pseudonymous participant id, e.g. V01 (default: from participants.yaml or a new one).")
@click.option("--role", help="veileder | IA-rådgiver | mentor | arbeidsgiver | other")
@click.option("--round", "round_", type=int, help="Interview round (1, 2, …).")
@click.option("--site", help="Site or municipality of the informant.")
@click.option("--skip-bad", is_flag=True, help="Import the good files even if some cannot be read.")
@click.option("--strict", is_flag=True, help="Refuse a file with any warning (e.g. one cue with impossible times).")
@click.option("--replaces", metavar="DOC", help="The file is a corrected version of DOC: its codings follow onto the new text.")
@click.option("--coder", help="Who imports a corrected file (undo is theirs; default: $CODEBENCH_CODER).")
@click.option("--drop-memos", is_flag=True,
              help="Let a corrected file remove codings that carry memos when their words are gone (else refused).")
@db_option
def import_(project: str, files: Sequence[str], pid: str | None, role: str | None, round_: int | None,
            site: str | None, skip_bad: bool, strict: bool, replaces: str | None, coder: str | None,
            drop_memos: bool, db: str | None) -> None:
    """Import transcripts (.txt .md .docx .odt .pdf .vtt .srt, WhisperX .json, noScribe .html).

    All files are read first; if any cannot be read nothing is imported (unless --skip-bad).
    A problem whose content is clear (one bad cue) is a warning, and the file is imported;
    --strict makes warnings errors. A participants.yaml beside the files gives each file's
    participant, role, site and round.

    A corrected version of a document already imported (same file name and mostly the same
    words, or named with --replaces) goes over that document: codings follow the words, those
    whose words changed are flagged, and those whose words are gone are removed and listed; a
    coding that carries a memo is removed only with --drop-memos (else nothing is imported). A
    recording beside a timed transcript (same name, .m4a .mp3 .wav …) is linked to it.
    """
    opened = use_project(project, db)
    if replaces is not None:
        # Named as the coder may name a document: a coder kept from names by the label `documents`
        # lists, since finding a guessed file name would tell them it is the project's.
        replaces = str(document_arg(opened, replaces, coder))
    try:
        report = services.import_files(opened, list(files), services.ParticipantSpec(pid, role, site, round_),
                                       skip_bad=skip_bad, strict=strict, replaces=replaces,
                                       coder=coder_or_default(coder), drop_memos=drop_memos)
    except KeyboardInterrupt:
        # The files are stored in one transaction at the end: stopped before it, nothing is.
        fail("interrupted before the import finished: nothing was imported")
    if len(report.errors) == 1 and not skip_bad:
        error = report.errors[0]  # one problem, one line
        fail(error if error.endswith("nothing was imported") else f"{error}; nothing was imported")
    for error in report.errors:
        click.echo(f"codebench: {error}", err=True)
    if report.errors and not skip_bad:
        click.echo("codebench: nothing was imported", err=True)
        sys.exit(EXIT_USER_ERROR)
    shown_name = _document_names_shown(opened, coder) if report.duplicates else {}
    for path, existing in report.duplicates:
        click.echo(f"skipped {path}: same text as document {shown_name.get(existing, 'another document')!r}")
    for doc in report.added:
        who = f"{doc.participant.pid} ({doc.participant.role})" if doc.participant else "no participant"
        warned = f", {len(doc.import_warnings)} warning(s)" if doc.import_warnings else ""
        click.echo(f"imported {doc.name}: {doc.word_count} words, {doc.turn_count} turns, {who}{warned}")
        for warning in doc.import_warnings:
            click.echo(f"  warning: {warning}", err=True)
    for document_id, recording in report.linked:
        click.echo(f"  document {document_id}: recording {Path(recording).name} linked")
    for replaced in report.replaced:
        change = replaced.change
        # An in-vivo code's name is an informant's words: shown as this coder may see it.
        shown = shown_names(opened, [*change.unplaced, *change.flagged])
        click.echo(f"re-imported {replaced.file} over document {replaced.document.id} ({replaced.reason}): "
                   f"{change.pieces} change(s), {change.shifted} coding(s) moved with their words, "
                   f"{len(change.flagged)} to check, {len(change.unplaced)} could not be placed")
        # Places as this coder reads them: a coder kept from names gets the rendition's (as from
        # `flagged`), and none for a coding whose words are gone, since the map to where they
        # read those words went with the old text.
        positions = services.anonymisation.positions_for(opened, coder_or_default(coder))
        for item in change.unplaced:
            memo = " with its memo" if item.memo else ""
            where = "" if positions.anonymised else f" [{item.start}, {item.end})"
            click.echo(f"  not placed: {item.uuid[:8]}{where} {shown.get(item.code, item.code)} ({item.coder}) — "
                       f"its words are not in the new text; removed{memo} (undo brings it back)")
        for item in change.flagged:
            start, end = positions.shown(item.document_id, item.start, item.end)
            click.echo(f"  to check: {item.uuid[:8]} [{start}, {end}) {shown.get(item.code, item.code)} ({item.coder})")
    replaced_note = f", {len(report.replaced)} corrected" if report.replaced else ""
    click.echo(f"{len(report.added)} document(s) imported{replaced_note}, {len(report.duplicates)} duplicate(s) skipped")
    if report.errors:
        sys.exit(EXIT_USER_ERROR)


def _document_names_shown(project: services.Project, coder: str | None) -> dict[str, str]:
    """Stored document name -> the name this coder is shown (``--coder`` or ``$CODEBENCH_CODER``).

    A stored name is the file's, which often names the informant: a coder kept from names is
    given the label `documents` lists to them ("M10 mentor runde 1") instead.
    """
    stored = services.anonymisation.document_labels(project, original=True)
    if services.anonymisation.may_see_original(project, coder_or_default(coder)):
        return {name: name for name in stored.values()}
    labels = services.anonymisation.document_labels(project)
    return {name: labels[doc_id] for doc_id, name in stored.items()}


@click.command("import-survey")
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--text-columns", required=True, help="Comma-separated free-text columns to code.")
@click.option("--id-column", help="Column with the respondent id (default: row number).")
@click.option("--role", default="arbeidsgiver", show_default=True)
@click.option("--round", "round_", type=int)
@db_option
def import_survey(project: str, file: str, text_columns: str, id_column: str | None, role: str,
                  round_: int | None, db: str | None) -> None:
    """Import survey answers (.csv or .xlsx): one codable document per respondent."""
    opened = use_project(project, db)
    columns = [c.strip() for c in text_columns.split(",") if c.strip()]
    report = services.import_survey(opened, file, columns, id_column=id_column, role=role, round=round_)
    for error in report.errors:
        fail(error)
    for warning in report.warnings:
        click.echo(f"  note: {warning}")
    click.echo(f"{len(report.added)} respondent(s) imported, {len(report.duplicates)} duplicate(s) skipped")


_viewer_option = click.option("--coder", help="Who is looking (default: $CODEBENCH_CODER); decides whether names may show.")


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@_viewer_option
@original_option
@db_option
@click.option("--details", "detail", metavar="DOC", help="How one document was imported: format, clean-ups, warnings.")
def documents(project: str, coder: str | None, original: bool, db: str | None, detail: str | None) -> None:
    """List the project's documents (file names pseudonymous once detection has run)."""
    opened = use_project(project, db)
    shown = shown_as(opened, coder, original)
    labels = services.anonymisation.document_labels(opened, original=shown.original)
    if detail is not None:
        _details(services.document_info(opened, document_arg(opened, detail, coder)), labels, shown.original)
        return
    for doc in services.list_documents(opened):
        who = f"{doc.participant.pid:<8} {doc.participant.role:<13}" if doc.participant else " " * 22
        round_ = f"r{doc.round}" if doc.round else "  "
        click.echo(f"{doc.id:>4}  {who} {round_}  {doc.word_count:>6} words  {doc.turn_count:>4} turns  {labels[doc.id]}")


def _details(doc: services.DocumentInfo, labels: dict[int, str], original: bool) -> None:
    """Print how one document came in (the source file's name only where originals may show)."""
    click.echo(f"document {doc.id}: {labels[doc.id]}")
    for field, value in services.import_details(doc, labels[doc.id], original=original):
        click.echo(f"  {field:<11} {value}")


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("document")
@click.option("--offsets", is_flag=True,
              help="Show each turn's number and the [start, end) of its words (after the speaker's label), in code points "
                   "(see below).")
@_viewer_option
@original_option
@db_option
def show(project: str, document: str, offsets: bool, coder: str | None, original: bool, db: str | None) -> None:
    """Print a document's text turn by turn (anonymised once detection has run).

    Offsets are those `code --start/--end` takes: of the stored original, or of the anonymised
    text for a coder who may not see original names (a name's length is not given away). A
    turn's [start, end) is of its words, the label left out, as the workbench's `t` codes it.
    """
    opened = use_project(project, db)
    shown = shown_as(opened, coder, original)
    doc = services.get_document(opened, document_arg(opened, document, coder))
    rendition = services.anonymisation.rendition(opened, doc.info.id, anonymised=not shown.original)
    in_rendition = not services.anonymisation.may_see_original(opened, coder_or_default(coder))
    for number, turn in enumerate(doc.turns, 1):
        start, end = rendition.offsets.to_target(turn.start), rendition.offsets.to_target(turn.end, side="end")
        if not offsets:
            click.echo(rendition.text[start:end])
            click.echo()
            continue
        # The positions are of the turn's words, without the label: what the workbench's `t`
        # codes, so a turn coded from a script and in the workbench is one span. The range is as
        # long as the words after it; the label (as this coder is shown it) goes on a line above.
        words = rendition.offsets.span_to_target(services.turn_span(doc.text, turn))
        label = rendition.text[start:words.start].strip()
        if label:
            click.echo(label)
        where = words if in_rendition else services.turn_span(doc.text, turn)
        click.echo(f"turn {number} [{where.start}, {where.end}) " + rendition.text[words.start:words.end])
        click.echo()


@click.command("open")
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--coder", envvar="CODEBENCH_CODER", help="Who is coding (asked at start when not given).")
def open_(project: str, coder: str | None) -> None:
    """Open the coding workbench (a full-screen terminal app) on PROJECT."""
    services.open_project(Path(project)).close()  # a clear error before the screen switches
    from codebench.tui.app import run  # Textual is loaded only for this command

    run(Path(project), coder)


@click.command()
@click.argument("folder", type=click.Path(file_okay=False), default="demo")
@click.option("--stats", "stats_only", is_flag=True, help="Print the statistics instead of opening the workbench.")
@click.option("--coder", envvar="CODEBENCH_CODER", default="demo", show_default=True, help="Coder name in the workbench.")
def demo(folder: str, stats_only: bool, coder: str) -> None:
    """Build the sample project in FOLDER (once) and open it in the workbench."""
    services.sample.build_demo_project(Path(folder)).close()
    if stats_only or not sys.stdout.isatty():
        click.echo(f"sample project in {folder}/")
        click.get_current_context().invoke(stats, project=folder, db=None)
        return
    from codebench.tui.app import run  # Textual is loaded only for this command

    run(Path(folder), coder)
