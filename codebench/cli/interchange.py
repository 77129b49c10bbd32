"""``codebench import-refi``: projects and codebooks from other QDA tools (REFI-QDA .qdpx / .qdc).

The REFI-QDA exports (``export qdpx`` / ``export qdc``) are in :mod:`codebench.cli.export` with
the other exports.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from codebench import services
from codebench.cli.common import db_option, fail, use_project

REFI_SUFFIXES = (".qdpx", ".qdc")


def _coder_map(pairs: Sequence[str]) -> dict[str, str]:
    """The ``--coder-map OLD=NEW`` options as a mapping from the file's user to a coder name."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            fail(f"--coder-map {pair!r}: write it as OLD=NEW, e.g. --coder-map 'Ingrid H=ingrid'")
        mapping[old.strip()] = new.strip()
    return mapping


@click.command("import-refi")
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--coder-map", "coder_map", multiple=True, metavar="OLD=NEW",
              help="Give the file's user OLD (name or GUID) the coder name NEW; repeatable.")
@db_option
def import_refi(project: str, file: str, coder_map: Sequence[str], db: str | None) -> None:
    """Import a REFI-QDA project (.qdpx) or codebook (.qdc) from another QDA tool.

    All or nothing: any problem leaves PROJECT unchanged. Codes match existing ones by GUID,
    then by name; importing the same file twice adds nothing the second time.
    """
    mapping = _coder_map(coder_map)
    suffix = Path(file).suffix.lower()
    if suffix not in REFI_SUFFIXES:
        fail(f"{file}: not a REFI-QDA file; expected a .qdpx project or a .qdc codebook")
    opened = use_project(project, db)
    if suffix == ".qdc":
        if mapping:
            click.echo("codebench: --coder-map has no effect on a codebook (.qdc)", err=True)
        codebook = services.import_qdc(opened, Path(file))
        click.echo(f"imported {file}: {codebook.codes_added} code(s) added ({codebook.codes_matched} matched)")
        warnings = codebook.warnings
    else:
        report = services.import_qdpx(opened, Path(file), coder_map=mapping)
        click.echo(
            f"imported {file}: {len(report.documents_added)} document(s) added ({len(report.documents_existing)} already "
            f"in the project), {report.codes_added} code(s) added ({report.codes_matched} matched), "
            f"{report.codings_added} coding(s) added ({report.codings_present} already present), "
            f"{len(report.coders_added)} new coder(s), {len(report.participants_added)} new participant(s), "
            f"{report.memos_added} memo(s)"
        )
        warnings = report.warnings
    for warning in warnings:
        click.echo(f"  note: {warning}")
