"""REFI-QDA on the command line: ``codebench export qdpx|qdc`` and ``codebench import-refi``.

Thin shells over :mod:`codebench.services.interchange`; registered in ``codebench/export/cli.py``
(the exports) and ``codebench/cli.py`` (the import).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import click

from codebench import services
from codebench.cli_support import _db_option, _fail, _friendly, _open

ORIGINAL_WARNING = (
    "codebench: warning: {file} holds the ORIGINAL transcripts, names and all; "
    "store and share it as identifiable research data"
)


@click.command("qdpx")
@click.argument("project", type=click.Path(file_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The .qdpx file to write.")
@click.option("--original", is_flag=True, help="Export the original transcripts instead of the anonymised renditions.")
@_db_option
@_friendly
def qdpx(project: str, output: str, original: bool, db: str | None) -> None:
    """Write PROJECT as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA or QualCoder.

    Documents, codes (categories as parent codes), codings with their coders, participants as
    cases with role and round, and memos as notes. Anonymised unless --original is given.
    """
    opened = _open(project, db)
    try:
        summary = services.export_qdpx(opened, Path(output), original=original)
    finally:
        opened.close()
    click.echo(f"wrote {output}: {summary.documents} document(s), {summary.codes} code(s), {summary.codings} coding(s), "
               f"{summary.users} coder(s), {summary.cases} case(s), {summary.notes} memo(s)"
               f" ({'anonymised' if summary.anonymised else 'original text'})")
    if original:
        click.echo(ORIGINAL_WARNING.format(file=output), err=True)


@click.command("qdc")
@click.argument("project", type=click.Path(file_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The .qdc file to write.")
@_db_option
@_friendly
def qdc(project: str, output: str, db: str | None) -> None:
    """Write PROJECT's code tree as a REFI-QDA codebook (.qdc)."""
    opened = _open(project, db)
    try:
        summary = services.export_qdc(opened, Path(output))
    finally:
        opened.close()
    click.echo(f"wrote {output}: {summary.codes} code(s) and categories")


def _coder_map(pairs: Sequence[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            _fail(f"--coder-map {pair!r}: write it as OLD=NEW, e.g. --coder-map 'Ingrid H=ingrid'")
        mapping[old.strip()] = new.strip()
    return mapping


@click.command("import-refi")
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--coder-map", "coder_map", multiple=True, metavar="OLD=NEW",
              help="Give the file's user OLD (name or GUID) the coder name NEW; repeatable.")
@_db_option
@_friendly
def import_refi(project: str, file: str, coder_map: Sequence[str], db: str | None) -> None:
    """Import a REFI-QDA project (.qdpx) or codebook (.qdc) from another QDA tool.

    All or nothing: any problem leaves PROJECT unchanged. Codes match existing ones by GUID,
    then by name; importing the same file twice adds nothing the second time.
    """
    mapping = _coder_map(coder_map)
    suffix = Path(file).suffix.lower()
    if suffix not in (".qdpx", ".qdc"):
        _fail(f"{file}: not a REFI-QDA file; expected a .qdpx project or a .qdc codebook")
    opened = _open(project, db)
    try:
        if suffix == ".qdpx":
            report = services.import_qdpx(opened, Path(file), coder_map=mapping)
        else:
            if mapping:
                click.echo("codebench: --coder-map has no effect on a codebook (.qdc)", err=True)
            report = services.import_qdc(opened, Path(file))
    finally:
        opened.close()
    if suffix == ".qdpx":
        click.echo(
            f"imported {file}: {len(report.documents_added)} document(s) added ({len(report.documents_existing)} already "
            f"in the project), {report.codes_added} code(s) added ({report.codes_matched} matched), "
            f"{report.codings_added} coding(s) added ({report.codings_present} already present), "
            f"{len(report.coders_added)} new coder(s), {len(report.participants_added)} new participant(s), "
            f"{report.memos_added} memo(s)"
        )
    else:
        click.echo(f"imported {file}: {report.codes_added} code(s) added ({report.codes_matched} matched)")
    for warning in report.warnings:
        click.echo(f"  note: {warning}")
