"""``codebench export matrix | quotes | codebook``: the exports a researcher writes with.

Thin shells over :mod:`codebench.services.exports`. Formats and column kinds are checked by the
services (not ``click.Choice``) so that a mistake gives the same one line and exit code 1 as
every other user error.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

import click

from codebench import services
from codebench.cli_support import _db_option, _fail, _friendly, _open

_SUFFIX = {"xlsx": "xlsx", "csv": "csv", "md": "md", "markdown": "md", "html": "html", "docx": "docx"}


def _output(output: str | None, stem: str, fmt: str | None, default_fmt: str) -> Path:
    """The file to write: ``-o`` as given, else ``<stem>.<format>`` in the current folder."""
    if output:
        return Path(output)
    safe = re.sub(r"[\s/\\:]+", "-", stem.strip()).strip("-") or "eksport"
    suffix = _SUFFIX.get((fmt or default_fmt).casefold(), (fmt or default_fmt).casefold())
    return Path(f"{safe}.{suffix}")


def _done(result: services.ExportResult, what: str) -> None:
    details = f"{result.quotes} {what}, {result.codes} code(s)"
    if result.sheets:
        details += f", sheets: {', '.join(result.sheets)}"
    click.echo(f"wrote {result.path} ({details}; {'anonymised' if result.anonymised else 'ORIGINAL TEXT'})")
    for note in result.notes:
        click.echo(f"  {note}")
    if not result.anonymised:
        click.echo(f"codebench: warning: {result.path} contains the original text with names and other identifiers; "
                   "keep it out of shared folders and e-mail", err=True)


_format_option = click.option("--format", "fmt", metavar="FORMAT", help="Output format (default: from the -o file name).")
_output_option = click.option("-o", "--output", metavar="FILE", help="File to write (default: a name in the current folder).")
_original_option = click.option("--original", is_flag=True,
                                help="Write the original text instead of the anonymised rendition (prints a warning).")
_role_option = click.option("--role", "roles", multiple=True, help="Only informants with this role (repeatable).")
_round_option = click.option("--round", "rounds", type=int, multiple=True, help="Only this interview round (repeatable).")
_coder_option = click.option("--coder", "coders", multiple=True, help="Only this coder's codings (repeatable).")


@click.command("matrix")
@click.argument("project", type=click.Path(file_okay=False))
@_format_option
@_output_option
@click.option("--columns", default="role", show_default=True, metavar="KIND",
              help="Columns: role | document | participant | round.")
@click.option("--category", "categories", multiple=True, help="Only codes below this category (repeatable).")
@_role_option
@_round_option
@_coder_option
@click.option("--counts-only", is_flag=True, help="Frequencies and co-occurrence only, without the quotes.")
@_original_option
@_db_option
@_friendly
def matrix(project: str, fmt: str | None, output: str | None, columns: str, categories: Sequence[str],
           roles: Sequence[str], rounds: Sequence[int], coders: Sequence[str], counts_only: bool, original: bool,
           db: str | None) -> None:
    """Category–quote matrix: codes × roles (or documents, participants, rounds).

    \b
    FORMAT is xlsx (one sheet per main category, an "Antall" sheet and a co-occurrence
    sheet), csv (one row per quote), md, html (with a heat map) or docx.
    """
    path = _output(output, "antall" if counts_only else "sitatmatrise", fmt, "xlsx")
    result = services.export_matrix(
        _open(project, db), path, fmt=fmt, columns=columns, categories=categories or None, roles=roles or None,
        rounds=rounds or None, coders=coders or None, original=original, counts_only=counts_only,
    )
    _done(result, "quote(s) counted" if counts_only else "quote(s)")


@click.command("quotes")
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--category", help="The chapter's category, e.g. mentor.")
@_format_option
@_output_option
@click.option("--max-words", type=int, help="Shorten longer quotes, leaving out the middle as (…).")
@_role_option
@_round_option
@_coder_option
@_original_option
@_db_option
@_friendly
def quotes(project: str, category: str | None, fmt: str | None, output: str | None, max_words: int | None,
           roles: Sequence[str], rounds: Sequence[int], coders: Sequence[str], original: bool, db: str | None) -> None:
    """Quotes of one category for a report chapter: docx or md.

    Codes in codebook order, each introduced by its definition and memos; quotes as block
    quotes «…» attributed by role, e.g. "(mentor, butikk, runde 2)".
    """
    if not category:
        _fail("say which category the chapter is about: --category NAME (e.g. --category mentor)")
    assert category is not None
    path = _output(output, f"sitater-{category}", fmt, "docx")
    result = services.export_chapter_quotes(
        _open(project, db), path, category=category, fmt=fmt, roles=roles or None, rounds=rounds or None,
        coders=coders or None, max_words=max_words, original=original,
    )
    _done(result, "quote(s)")


@click.command("codebook")
@click.argument("project", type=click.Path(file_okay=False))
@_format_option
@_output_option
@click.option("--category", "categories", multiple=True, help="Only this category (repeatable).")
@click.option("--examples", type=int, default=2, show_default=True, help="Example quotes per code.")
@_original_option
@_db_option
@_friendly
def codebook(project: str, fmt: str | None, output: str | None, categories: Sequence[str], examples: int,
             original: bool, db: str | None) -> None:
    """A readable codebook for a methods appendix: md or docx.

    Categories and codes in tree order with definitions, counts, memos and short examples.
    (The YAML codebook is `codebench codebook export`.)
    """
    path = _output(output, "kodebok", fmt, "md")
    result = services.export_codebook_document(
        _open(project, db), path, fmt=fmt, categories=categories or None, examples=examples, original=original,
    )
    _done(result, "example quote(s)")
