"""The code tree: the ``codebook`` group (load, check, export YAML), ``codes`` and ``merge-codes``."""

from __future__ import annotations

import click

from codebench import services
from codebench.cli.common import coder_or_default, db_option, original_option, shown_as, use_project


@click.group()
def codebook() -> None:
    """Load, check and export YAML codebooks."""


@codebook.command("load")
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--coder", help="Who made the change (for the audit log and undo; default: $CODEBENCH_CODER).")
@db_option
def codebook_load(project: str, file: str, coder: str | None, db: str | None) -> None:
    """Merge a codebook into the project (nothing already there is deleted)."""
    _warn(file)
    report = services.load_codebook(use_project(project, db), file, coder=coder_or_default(coder))
    click.echo(f"{len(report.added)} added, {len(report.updated)} updated, {report.unchanged} unchanged")
    if report.kept:
        click.echo(f"{report.kept} name(s) and text(s) kept as the project has them: the file is an anonymised "
                   "rendition (its pseudonyms are not loaded)")


@codebook.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
def codebook_check(file: str) -> None:
    """Validate a codebook file without a project."""
    book = services.read_codebook_file(file)
    warned = _warn(file)
    click.echo(f"{file}: {'read' if warned else 'OK'} — {len(book.categories())} categories, {len(book.codes())} codes")


def _warn(file: str) -> bool:
    """Print what looks wrong with a codebook file that parses; whether anything did."""
    warnings = services.codebook_file_warnings(file)
    for warning in warnings:
        click.echo(f"codebench: warning: {warning}", err=True)
    return bool(warnings)


@codebook.command("export")
@click.argument("project", type=click.Path(file_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (default: standard output).")
@click.option("--original", is_flag=True,
              help="The project's own names and texts: the file that loads back exactly (prints a warning).")
@click.option("--allow-unreviewed", is_flag=True,
              help="Export although anonymisation is not run or not finished; the file and the terminal say so.")
@db_option
def codebook_export(project: str, output: str | None, original: bool, allow_unreviewed: bool, db: str | None) -> None:
    """Write the project's code tree as codebook YAML (open and in-vivo codes included).

    Anonymised by default (an in-vivo code is the informant's words; memos and examples may name
    people): loading it back keeps the project's own names. --original writes the exact file.
    """
    # Imported here: `codebench codes` and `codebook check` need none of the export machinery.
    from codebench.cli.export import _opened

    opened = _opened(project, db, original)
    text = services.export_codebook(opened, original=original, allow_unreviewed=allow_unreviewed, path=output)
    if output:
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)
    if original:
        click.echo(f"codebench: warning: {output or 'the codebook'} holds the project's own code names, memos and "
                   "examples, which may name people; keep it out of shared folders and e-mail", err=True)
    else:
        state = services.anonymisation.anonymisation_state(opened)
        if not state.anonymised and state.status != services.anonymisation.NO_DOCUMENTS:
            click.echo(f"codebench: warning: {output or 'the codebook'} is {state.describe()}; "
                       "it may hold names and other identifiers", err=True)


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@original_option
@db_option
def codes(project: str, original: bool, db: str | None) -> None:
    """Show the code tree with the number of codings of each code.

    Names are shown as the anonymised view shows them once detection has run (an in-vivo code is
    the informant's own words); --original for coders allowed to see names.
    """
    opened = use_project(project, db)
    shown = shown_as(opened, None, original)
    tree = services.code_tree(opened)
    counts = services.coding_counts(opened).by_code  # counted in the database, not coding by coding
    names = services.shown_code_names(opened, anonymised=not shown.original)
    depth: dict[int, int] = {}
    for node in tree:
        depth[node.id] = depth.get(node.parent_id, -1) + 1 if node.parent_id is not None else 0
        mark = "▸" if node.kind == "category" else "·"
        extra = f" [{node.shortcut}]" if node.shortcut else ""
        origin = f" ({node.origin})" if node.origin != "codebook" else ""
        count = f"  {counts.get(node.id, 0)}" if node.kind == "code" else ""
        click.echo(f"{'  ' * depth[node.id]}{mark} {names.get(node.name, node.name)}{extra}{origin}{count}")


@click.command("merge-codes")
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("source")
@click.argument("target")
@click.option("--coder")
@db_option
def merge_codes(project: str, source: str, target: str, coder: str | None, db: str | None) -> None:
    """Merge code SOURCE into TARGET; SOURCE's codings follow."""
    moved = services.merge_codes(use_project(project, db), source, target, coder)
    click.echo(f"merged {source!r} into {target!r}: {moved} coding(s) moved")
