"""Coding a transcript by hand or by script: ``code``, ``uncode``, ``recode``, ``memo``, ``import-codings``."""

from __future__ import annotations

import click

from codebench import services
from codebench.cli.common import coder_or_default, db_option, document_arg, fail, require_coder, use_project


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("document")
@click.option("--start", type=int, required=True, help="First code point of the span (0-based; as `show --offsets` gives).")
@click.option("--end", type=int, required=True, help="Code point after the span (half-open).")
@click.option("--code", "code_name", help="Code name; a new name creates an open code.")
@click.option("--in-vivo", is_flag=True, help="Name a new in-vivo code after the coded words.")
@click.option("--category", help="Category for a newly created code.")
@click.option("--coder", help="Who codes (default: $CODEBENCH_CODER).")
@click.option("--memo", help="A memo on this coding.")
@db_option
def code(project: str, document: str, start: int, end: int, code_name: str | None, in_vivo: bool,
         category: str | None, coder: str | None, memo: str | None, db: str | None) -> None:
    """Code the span [START, END) of DOCUMENT (id or name).

    Positions are code points of the stored original; for a coder who may not see original
    names, of the anonymised text `show --offsets` gives them (a span that cuts a pseudonym
    takes the whole name).
    """
    opened = use_project(project, db)
    origin = "open"
    coder = require_coder(coder) if in_vivo or code_name else coder
    document = str(document_arg(opened, document, coder))
    positions = services.anonymisation.positions_for(opened, coder_or_default(coder))
    start, end = positions.stored(document, start, end)
    if in_vivo:
        origin = "in-vivo"
        if not code_name:
            code_name = services.in_vivo_code_name(opened, document, start, end, coder=coder)
    if not code_name:
        fail("give --code NAME or --in-vivo")
    coder = require_coder(coder)
    coding = services.apply_code(opened, document, start, end, code_name, coder, memo=memo,
                                 create=origin, category=category)
    if in_vivo:  # named with the informant's words: said as this coder's view shows them
        shown = services.anonymisation.disclosure(opened, coder)
        code_name = services.shown_code_names(opened, [code_name], anonymised=not shown.original).get(code_name, code_name)
    shown_start, shown_end = positions.shown(document, coding.start, coding.end)
    click.echo(f"coded [{shown_start}, {shown_end}) as {code_name!r}: {coding.uuid}")


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("coding_id")
@click.option("--coder", help="Who removes it (for the audit log).")
@click.option("--with-memo", is_flag=True, help="Remove it although it carries a memo (the memo goes with it).")
@click.option("--take-over", is_flag=True, help="Remove another coder's coding (the log names you both).")
@db_option
def uncode(project: str, coding_id: str, coder: str | None, with_memo: bool, take_over: bool, db: str | None) -> None:
    """Remove a coding (undo can bring it back, with its memo).

    A coding that carries a memo is removed only with --with-memo: the memo goes with it.
    Another coder's coding only with --take-over.
    """
    removed = services.remove_coding(use_project(project, db), coding_id, coder_or_default(coder), with_memo=with_memo,
                                     take_over=take_over)
    click.echo(f"removed coding {removed.uuid}" + (" and its memo" if removed.memo else ""))


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("coding_id")
@click.option("--code", "code_name", required=True)
@click.option("--coder")
@click.option("--take-over", is_flag=True,
              help="Recode another coder's coding: it becomes yours (agreement counts it as yours; the log names both).")
@db_option
def recode(project: str, coding_id: str, code_name: str, coder: str | None, take_over: bool, db: str | None) -> None:
    """Give a coding another code."""
    changed = services.recode(use_project(project, db), coding_id, code_name, coder_or_default(coder),
                              take_over=take_over)
    click.echo(f"coding {changed.uuid} is now {code_name!r}")


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("text")
@click.option("--code", "code_name", help="Memo on this code.")
@click.option("--document", help="Memo on this document.")
@click.option("--title")
@click.option("--author")
@db_option
def memo(project: str, text: str, code_name: str | None, document: str | None, title: str | None,
         author: str | None, db: str | None) -> None:
    """Write a memo on a code, a document or the project."""
    services.add_memo(use_project(project, db), text, code=code_name, document=document, title=title,
                      author=coder_or_default(author))
    # Say which memo it is (the document by what was typed: the user named it so).
    about = f"the code {code_name!r}" if code_name else f"the document {document!r}" if document else "the project"
    click.echo(f"memo saved on {about} (codebench memos lists it)")


@click.command("import-codings")
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
def import_codings(project: str, file: str, db: str | None) -> None:
    """Apply a YAML file of codings (one coder; each coding's text is checked against the document)."""
    added = services.import_codings(use_project(project, db), file)
    click.echo(f"{added} coding(s) added")
