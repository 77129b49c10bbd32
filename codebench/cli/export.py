"""``codebench export …``: one subcommand per export, each a thin shell over one services function.

Exports are anonymised by default and refused while the project's anonymisation is not run or
not reviewed (``--allow-unreviewed`` writes anyway, with the state in the file and on stderr);
the original text needs ``--original``, is refused to a coder the project does not allow to see
originals (``$CODEBENCH_CODER``), and prints a warning.
Formats and column kinds are checked by the services (not ``click.Choice``) so that a mistake
gives the same one line and exit code 1 as every other user error.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import click

from codebench import services
from codebench.cli.common import CODER_VARIABLE, coder_or_default, db_option, fail, use_project
from codebench.services import anonymisation

SUFFIX = {"xlsx": "xlsx", "csv": "csv", "md": "md", "markdown": "md", "html": "html", "docx": "docx"}
ORIGINAL_WARNING = (
    "codebench: warning: {file} holds the ORIGINAL transcripts, names and all; "
    "store and share it as identifiable research data"
)


@click.group()
def export() -> None:
    """Write coded material and codebooks for reports and for other QDA tools.

    Exports are anonymised unless --original is given.
    """


def _output(output: str | None, stem: str, fmt: str | None, default_fmt: str) -> Path:
    """The file to write: ``-o`` as given, else ``<stem>.<format>`` in the current folder."""
    if output:
        return Path(output)
    safe = re.sub(r"[\s/\\:]+", "-", stem.strip()).strip("-") or "eksport"
    suffix = SUFFIX.get((fmt or default_fmt).casefold(), (fmt or default_fmt).casefold())
    return Path(f"{safe}.{suffix}")


def _opened(project: str, db: str | None, original: bool) -> services.Project:
    """Open PROJECT for an export; ``--original`` only for a coder allowed to see originals."""
    opened = use_project(project, db)
    if original:
        coder = coder_or_default(None)
        if not anonymisation.may_see_original(opened, coder):
            who = f"coder {coder!r}" if coder else f"an unnamed coder (set {CODER_VARIABLE})"
            fail(f"{who} may not export original text from this project; ask its owner "
                 "(`codebench anonymise allow PROJECT CODER`) or export the anonymised rendition")
    return opened


def _unreviewed(path: object, line: str, anonymised: bool, original: bool) -> None:
    """Say on stderr what an export without a finished review holds."""
    if not anonymised and not original:
        click.echo(f"codebench: warning: {path} is {line}; it may hold names and other identifiers", err=True)


def _done(result: services.ExportResult, what: str, original: bool) -> None:
    details = f"{result.quotes} {what}, {result.codes} code(s)"
    if result.sheets:
        details += f", sheets: {', '.join(result.sheets)}"
    if result.counting:
        details += f"; counted: {result.counting}"
    click.echo(f"wrote {result.path} ({details}; {result.anonymisation})")
    for note in result.notes:
        click.echo(f"  {note}")
    if original:
        click.echo(f"codebench: warning: {result.path} contains the original text with names and other identifiers; "
                   "keep it out of shared folders and e-mail", err=True)
    _unreviewed(result.path, result.anonymisation, result.anonymised, original)


_format_option = click.option("--format", "fmt", metavar="FORMAT", help="Output format (default: from the -o file name).")
_output_option = click.option("-o", "--output", metavar="FILE", help="File to write (default: a name in the current folder).")
_original_option = click.option("--original", is_flag=True,
                                help="Write the original text instead of the anonymised rendition (prints a warning).")
_unreviewed_option = click.option(
    "--allow-unreviewed", is_flag=True,
    help="Export although anonymisation is not run or not finished; the file and the terminal say so.")
_role_option = click.option("--role", "roles", multiple=True, help="Only informants with this role (repeatable).")
_round_option = click.option("--round", "rounds", type=int, multiple=True, help="Only this interview round (repeatable).")
_coder_option = click.option("--coder", "coders", multiple=True,
                             help="Only this coder's codings (repeatable); counts are then this coder's passages.")


@export.command("matrix")
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
@_unreviewed_option
@db_option
def matrix(project: str, fmt: str | None, output: str | None, columns: str, categories: Sequence[str],
           roles: Sequence[str], rounds: Sequence[int], coders: Sequence[str], counts_only: bool, original: bool,
           allow_unreviewed: bool, db: str | None) -> None:
    """Category–quote matrix: codes × roles (or documents, participants, rounds).

    \b
    FORMAT is xlsx (one sheet per main category, an "Antall" sheet and a co-occurrence
    sheet), csv (one row per passage), md, html (with a heat map) or docx.

    Counts and cells hold distinct passages: overlapping codings of one code in one document
    are one passage, whoever coded them (a cell shows it once, naming its coders). --coder
    counts one coder's passages (repeatable); the file says which.
    """
    path = _output(output, "antall" if counts_only else "sitatmatrise", fmt, "xlsx")
    result = services.export_matrix(
        _opened(project, db, original), path, fmt=fmt, columns=columns, categories=categories or None,
        roles=roles or None, rounds=rounds or None, coders=coders or None, original=original, counts_only=counts_only,
        allow_unreviewed=allow_unreviewed,
    )
    _done(result, "passage(s) counted" if counts_only else "passage(s)", original)


@export.command("quotes")
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--category", help="The chapter's category, e.g. mentor.")
@_format_option
@_output_option
@click.option("--max-words", type=int, help="Shorten longer quotes, leaving out the middle as (…).")
@_role_option
@_round_option
@_coder_option
@_original_option
@_unreviewed_option
@db_option
def chapter_quotes(project: str, category: str | None, fmt: str | None, output: str | None, max_words: int | None,
                   roles: Sequence[str], rounds: Sequence[int], coders: Sequence[str], original: bool,
                   allow_unreviewed: bool, db: str | None) -> None:
    """Quotes of one category for a report chapter: docx or md.

    Codes in codebook order, each introduced by its definition and memos; quotes as block
    quotes «…» attributed by role, e.g. "(mentor, butikk, runde 2)".
    """
    if not category:
        fail("say which category the chapter is about: --category NAME (e.g. --category mentor)")
    path = _output(output, f"sitater-{category}", fmt, "docx")
    result = services.export_chapter_quotes(
        _opened(project, db, original), path, category=category, fmt=fmt, roles=roles or None, rounds=rounds or None,
        coders=coders or None, max_words=max_words, original=original, allow_unreviewed=allow_unreviewed,
    )
    _done(result, "quote(s)", original)


@export.command("codebook")
@click.argument("project", type=click.Path(file_okay=False))
@_format_option
@_output_option
@click.option("--category", "categories", multiple=True, help="Only this category (repeatable).")
@click.option("--examples", type=int, default=2, show_default=True, help="Example quotes per code.")
@_original_option
@_unreviewed_option
@db_option
def codebook_document(project: str, fmt: str | None, output: str | None, categories: Sequence[str], examples: int,
                      original: bool, allow_unreviewed: bool, db: str | None) -> None:
    """A readable codebook for a methods appendix: md or docx.

    Categories and codes in tree order with definitions, counts, memos and short examples.
    (The YAML codebook is `codebench codebook export`.)
    """
    path = _output(output, "kodebok", fmt, "md")
    result = services.export_codebook_document(
        _opened(project, db, original), path, fmt=fmt, categories=categories or None, examples=examples,
        original=original, allow_unreviewed=allow_unreviewed,
    )
    _done(result, "example quote(s)", original)


@export.command("memos")
@click.argument("project", type=click.Path(file_okay=False))
@_format_option
@_output_option
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help="Only memos of this kind: project, document, code or coding (repeatable).")
@click.option("--code", "code_name", help="Only memos on this code and on codings of it.")
@click.option("--document", help="Only memos on this document and on codings in it.")
@click.option("--coder", help="Only memos this coder wrote.")
@_original_option
@_unreviewed_option
@db_option
def memos(project: str, fmt: str | None, output: str | None, kinds: Sequence[str], code_name: str | None,
          document: str | None, coder: str | None, original: bool, allow_unreviewed: bool, db: str | None) -> None:
    """Memos on the project, documents, codes and codings: md or docx.

    Kind by kind, each under a heading saying what it is about, with author and date; a
    coding memo with the coded words. Anonymised unless --original is given.
    """
    path = _output(output, "memoer", fmt, "md")
    result = services.export_memos(
        _opened(project, db, original), path, fmt=fmt, kinds=kinds or None, code=code_name, document=document,
        coder=coder, original=original, allow_unreviewed=allow_unreviewed,
    )
    click.echo(f"wrote {result.path} ({result.quotes} memo(s); {result.anonymisation})")
    if original:
        click.echo(f"codebench: warning: {result.path} contains the original text with names and other identifiers; "
                   "keep it out of shared folders and e-mail", err=True)
    _unreviewed(result.path, result.anonymisation, result.anonymised, original)


@export.command("text")
@click.argument("project", type=click.Path(file_okay=False))
@click.option("-o", "--output", "folder", required=True, type=click.Path(file_okay=False), help="Folder to write to.")
@click.option("--original", is_flag=True, help="Write the original, identifying text (asks for care).")
@_unreviewed_option
@db_option
def text(project: str, folder: str, original: bool, allow_unreviewed: bool, db: str | None) -> None:
    """Write each document's anonymised rendition as a UTF-8 .txt file."""
    opened = _opened(project, db, original)
    if original:
        click.echo("codebench: warning: writing the ORIGINAL transcripts, with names and other identifiers "
                   "(files readable by you only)", err=True)
    paths = anonymisation.export_text(opened, Path(folder), original=original, allow_unreviewed=allow_unreviewed)
    state = anonymisation.anonymisation_state(opened)
    click.echo(f"wrote {len(paths)} file(s) to {folder} ({'ORIGINAL TEXT' if original else state.describe()})")
    _unreviewed(folder, state.describe(), state.anonymised, original)


@export.command("qdpx")
@click.argument("project", type=click.Path(file_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The .qdpx file to write.")
@click.option("--original", is_flag=True, help="Export the original transcripts instead of the anonymised renditions.")
@_unreviewed_option
@db_option
def qdpx(project: str, output: str, original: bool, allow_unreviewed: bool, db: str | None) -> None:
    """Write PROJECT as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA or QualCoder.

    Documents, codes (categories as parent codes), codings with their coders, participants as
    cases with role and round, and memos as notes. Anonymised unless --original is given.
    """
    summary = services.export_qdpx(_opened(project, db, original), Path(output), original=original,
                                   allow_unreviewed=allow_unreviewed)
    click.echo(f"wrote {output}: {summary.documents} document(s), {summary.codes} code(s), {summary.codings} coding(s), "
               f"{summary.users} coder(s), {summary.cases} case(s), {summary.notes} memo(s) on the project, "
               "documents and codes (coding memos go with their codings)"
               f" ({summary.anonymisation})")
    if original:
        click.echo(ORIGINAL_WARNING.format(file=output), err=True)
    _unreviewed(output, summary.anonymisation, summary.anonymised, original)


@export.command("qdc")
@click.argument("project", type=click.Path(file_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The .qdc file to write.")
@_unreviewed_option
@db_option
def qdc(project: str, output: str, allow_unreviewed: bool, db: str | None) -> None:
    """Write PROJECT's code tree as a REFI-QDA codebook (.qdc)."""
    summary = services.export_qdc(use_project(project, db), Path(output), allow_unreviewed=allow_unreviewed)
    click.echo(f"wrote {output}: {summary.codes} code(s) and categories ({summary.anonymisation})")
    _unreviewed(output, summary.anonymisation, summary.anonymised, False)
