"""Getting material out for reading: ``quotes`` (coded segments) and ``stats`` (the counts)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence

import click

from codebench import services
from codebench.cli.common import coder_or_default, db_option, document_arg, original_option, shown_as, use_project

QUOTE_FIELDS = ["code", "category", "coder", "document", "participant", "role", "round", "speaker", "start", "end",
                "text"]


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--category", help="All codes under this category.")
@click.option("--code", "code_name", help="One code (and codes under it).")
@click.option("--role", multiple=True, help="Only informants with this role (repeatable).")
@click.option("--round", "rounds", type=int, multiple=True, help="Only this interview round (repeatable).")
@click.option("--document", "documents_", multiple=True, help="Only this document (repeatable).")
@click.option("--coder", "coders", multiple=True, help="Only this coder's codings (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@original_option
@db_option
def quotes(project: str, category: str | None, code_name: str | None, role: Sequence[str], rounds: Sequence[int],
           documents_: Sequence[str], coders: Sequence[str], fmt: str, original: bool, db: str | None) -> None:
    """Retrieve coded segments, e.g. every quote of a category across the corpus.

    Anonymised once detection has run; --original for coders allowed to see names
    ($CODEBENCH_CODER says who you are: --coder here selects whose codings).
    """
    opened = use_project(project, db)
    shown = shown_as(opened, None, original)
    # The text listing shows no speaker: it need not look up each quote's turn.
    documents_ = [str(document_arg(opened, d)) for d in documents_]
    found = services.quotes(opened, category=category, code=code_name, roles=role or None, rounds=rounds or None,
                            documents=documents_ or None, coders=coders or None, with_speakers=fmt != "text",
                            anonymised=not shown.original)
    # As every reader gets a quote: without the transcript's time marks (the span stays exact).
    # Most quotes have none and come back as they are (a new tuple each cost a tenth of the command).
    clean = services.without_time_marks
    found = [q if (text := clean(q.text)) is q.text else q._replace(text=text) for q in found]
    if not shown.original and shown.state.status != "not run":
        # An in-vivo code's name is the informant's words: it may hold a name too.
        from codebench.services.code_names import anonymised_code_names

        renamed = anonymised_code_names(opened, sorted({q.code for q in found} | {q.category for q in found if q.category}))
        if renamed:
            found = [q._replace(code=renamed.get(q.code, q.code), category=renamed.get(q.category, q.category)
                                if q.category else None) for q in found]
    # For a coder who may not see names, places are in the text they read (not the name's length).
    found = services.anonymisation.positions_for(opened, coder_or_default(None)).moved(found)
    if fmt == "json":
        click.echo(json.dumps([{k: getattr(q, k) for k in QUOTE_FIELDS} for q in found], ensure_ascii=False, indent=1))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(QUOTE_FIELDS)
        for q in found:
            writer.writerow([getattr(q, k) for k in QUOTE_FIELDS])
    else:
        # Written a few hundred quotes at a time: echoing 130,000 lines one by one took a second,
        # and one string of them all doubled the command's memory.
        places: dict[tuple[str | None, str | None, int | None], str] = {}  # (role, case, round) -> " · role, case, runde N · "
        for first in range(0, len(found), 500):
            lines = []
            for q in found[first:first + 500]:
                place = places.get((q.role, q.participant, q.round))
                if place is None:
                    who = ", ".join(str(x) for x in (q.role, q.participant, f"runde {q.round}" if q.round else None) if x)
                    place = places[(q.role, q.participant, q.round)] = f" · {who} · "
                lines.append(f"— {q.code} · {q.document} [{q.start}–{q.end}]{place}{q.coder}")
                lines.append("  «" + " ".join(q.text.split()) + "»")
            click.echo("\n".join(lines))
        click.echo(f"{len(found)} quote(s)")


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@db_option
def stats(project: str, db: str | None) -> None:
    """Counts of documents, words, participants, codes and codings."""
    s = services.stats(use_project(project, db))
    click.echo(f"documents     {s.documents}")
    click.echo(f"words         {s.words}")
    click.echo(f"turns         {s.turns}")
    for role, n in sorted(s.documents_by_role.items()):
        click.echo(f"  documents, {role:<13} {n}")
    for role, n in sorted(s.participants_by_role.items()):
        click.echo(f"  participants, {role:<13} {n}")
    click.echo(f"categories    {s.categories}")
    click.echo(f"codes         {s.codes}  " + ", ".join(f"{k}: {v}" for k, v in sorted(s.codes_by_origin.items())))
    click.echo(f"codings       {s.codings}")
    for name, n in sorted(s.codings_by_category.items()):
        click.echo(f"  {name:<20} {n}")
    for name, n in sorted(s.codings_by_coder.items()):
        click.echo(f"  coder {name:<14} {n}")
