"""Reading memos back: ``codebench memos`` lists code, coding, document and project memos.

Writing them is ``codebench memo`` (and ``code --memo``); a file for writing is ``codebench
export memos``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import click

from codebench import services
from codebench.cli.common import coder_or_default, db_option, original_option, shown_as, use_project

KINDS = ("project", "document", "code", "coding")


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help="Only memos of this kind: project, document, code or coding (repeatable).")
@click.option("--code", "code_name", help="Only memos on this code and on codings of it (a name or its start).")
@click.option("--document", help="Only memos on this document and on codings in it (id, name or anonymised label).")
@click.option("--coder", help="Only memos this coder wrote (a coding memo is its coder's).")
@click.option("--text", "words", help="Only memos containing these words.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@original_option
@db_option
def memos(project: str, kinds: Sequence[str], code_name: str | None, document: str | None, coder: str | None,
          words: str | None, fmt: str, original: bool, db: str | None) -> None:
    """List the memos of PROJECT: on the project, documents, codes and codings.

    Project memos first, then document memos, code memos in codebook order and coding memos
    with the coded words. Anonymised once detection has run; --original for coders allowed to
    see names ($CODEBENCH_CODER says who you are: --coder here selects whose memos).
    """
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise services.ServiceError(f"unknown memo kind {unknown[0]!r}; use one of: {', '.join(KINDS)}")
    opened = use_project(project, db)
    shown = shown_as(opened, None, original)
    document_id = services.find_memo_document(opened, document, original=shown.original) if document else None
    wanted = services.MemoFilter(kinds=tuple(dict.fromkeys(kinds)), code=code_name, document_id=document_id, coder=coder,
                        words=tuple(words.split()) if words else ())
    found = services.memo_entries(opened, original=shown.original, wanted=wanted)
    found = services.anonymisation.positions_for(opened, coder_or_default(None)).moved(found)
    if fmt == "json":
        click.echo(json.dumps([
            {"kind": e.kind, "code": e.code_shown, "document": e.document, "start": e.start, "end": e.end,
             "author": e.author, "title": e.title, "text": e.text, "quote": e.quote,
             "updated": (e.updated_at or e.created_at).isoformat() if (e.updated_at or e.created_at) else None}
            for e in found
        ], ensure_ascii=False, indent=1))
        return
    for entry in found:
        when = entry.updated_at or entry.created_at
        who = entry.author or ("the codebook" if entry.field_memo else "—")
        click.echo(f"— {entry.kind_title} · {entry.place} · {who}" + (f" · {when:%Y-%m-%d}" if when else ""))
        if entry.title:
            click.echo(f"  {entry.title}")
        if entry.quote:
            click.echo("  «" + " ".join(entry.quote.split()) + "»")
        for line in entry.text.strip().splitlines():
            click.echo(f"  {line}" if line.strip() else "")
    described = f" ({wanted.describe()})" if not wanted.empty else ""
    click.echo(f"{len(found)} memo(s){described}")
