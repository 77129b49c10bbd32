"""The code tree: the ``codebook`` group (load, check, export YAML), ``codes`` and ``merge-codes``."""

from __future__ import annotations

import click

from codebench import services
from codebench.cli.common import db_option, emit, use_project


@click.group()
def codebook() -> None:
    """Load, check and export YAML codebooks."""


@codebook.command("load")
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--coder", help="Who made the change (for the audit log).")
@db_option
def codebook_load(project: str, file: str, coder: str | None, db: str | None) -> None:
    """Merge a codebook into the project (nothing already there is deleted)."""
    report = services.load_codebook(use_project(project, db), file, coder=coder)
    click.echo(f"{len(report.added)} added, {len(report.updated)} updated, {report.unchanged} unchanged")


@codebook.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
def codebook_check(file: str) -> None:
    """Validate a codebook file without a project."""
    book = services.read_codebook_file(file)
    click.echo(f"{file}: OK — {len(book.categories())} categories, {len(book.codes())} codes")


@codebook.command("export")
@click.argument("project", type=click.Path(file_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (default: standard output).")
@db_option
def codebook_export(project: str, output: str | None, db: str | None) -> None:
    """Write the project's code tree as codebook YAML (open and in-vivo codes included)."""
    emit(services.export_codebook(use_project(project, db)), output)


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@db_option
def codes(project: str, db: str | None) -> None:
    """Show the code tree with the number of codings of each code."""
    opened = use_project(project, db)
    tree = services.code_tree(opened)
    counts = services.coding_counts(opened).by_code  # counted in the database, not coding by coding
    depth: dict[int, int] = {}
    for node in tree:
        depth[node.id] = depth.get(node.parent_id, -1) + 1 if node.parent_id is not None else 0
        mark = "▸" if node.kind == "category" else "·"
        extra = f" [{node.shortcut}]" if node.shortcut else ""
        origin = f" ({node.origin})" if node.origin != "codebook" else ""
        count = f"  {counts.get(node.id, 0)}" if node.kind == "code" else ""
        click.echo(f"{'  ' * depth[node.id]}{mark} {node.name}{extra}{origin}{count}")


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
