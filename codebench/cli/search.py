"""Text search: ``search`` (keyword in context, code the hits, save the search) and ``searches``."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from dataclasses import replace

import click

from codebench import services
from codebench.cli.common import coder_or_default, db_option, fail, original_option, require_coder, use_project

HIT_FIELDS = ["document", "participant", "role", "round", "turn", "speaker", "side", "start", "end", "left", "match",
              "right"]


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("query", required=False)
@click.option("--role", multiple=True, help="Only documents of informants with this role (repeatable).")
@click.option("--round", "rounds", type=int, multiple=True, help="Only this interview round (repeatable).")
@click.option("--document", "documents_", multiple=True,
              help="Only this document: number, name as listed, or participant (repeatable).")
@click.option("--speaker", type=click.Choice(["interviewer", "informant"]), help="Only what this side says.")
@click.option("--uncoded", is_flag=True, help="Only text no coding covers.")
@click.option("--in-code", "in_codes", multiple=True, metavar="CODE",
              help="Only text inside a coding of this code or category (repeatable).")
@click.option("--by", "coded_by", multiple=True, metavar="CODER",
              help="Whose codings count for --uncoded and --in-code (repeatable; default: everyone's).")
@click.option("--case-sensitive", is_flag=True, help="Tell capitals from small letters.")
@click.option("--accent-sensitive", is_flag=True, help="Tell é from e and å from a.")
@click.option("--nordic", is_flag=True, help="Take å and aa, ø (ö) and oe, æ (ä) and ae for the same letters.")
@click.option("--limit", type=int, help="Show only the first N hits.")
@click.option("--width", type=click.IntRange(5, 500), default=40, show_default=True,
              help="Characters of context either side of a hit.")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.option("--code", "code_name", metavar="CODE",
              help="Code every hit with this code (a new name makes an open code); one operation `undo` takes back.")
@click.option("--widen", type=click.Choice(services.WIDEN_UNITS), default="sentence", show_default=True,
              help="With --code: code the hit itself, its whole words, its sentence or its turn.")
@click.option("--save", "save_as", metavar="NAME", help="Keep this search under NAME (see `codebench searches`).")
@click.option("--saved", metavar="NAME", help="Run the search saved under NAME instead of QUERY.")
@click.option("--coder", help="Who you are (codes under this name; default: $CODEBENCH_CODER).")
@original_option
@db_option
def search(project: str, query: str | None, role: Sequence[str], rounds: Sequence[int], documents_: Sequence[str],
           speaker: str | None, uncoded: bool, in_codes: Sequence[str], coded_by: Sequence[str], case_sensitive: bool,
           accent_sensitive: bool, nordic: bool, limit: int | None, width: int, fmt: str, code_name: str | None,
           widen: str, save_as: str | None, saved: str | None, coder: str | None, original: bool, db: str | None) -> None:
    """Find words, phrases, wildcards or regular expressions across the project, as keyword-in-context lines.

    \b
    QUERY:  tillit   tillit*   *tilskudd   m?ntor   "naturlig bistand"   /trygg\\w*/
            [Mentor 2] (a pseudonym)   tillit trygghet (either)
            filters in the query: role:mentor round:2 doc:M01 speaker:informant
            in:"god mentor" is:uncoded
    Case and accents are ignored unless asked (--case-sensitive, --accent-sensitive).
    Anonymised once detection has run: the anonymised text is what is searched and
    shown; --original for coders allowed to see names ($CODEBENCH_CODER or --coder).
    """
    if (query is None) == (saved is None):
        fail("give a QUERY or --saved NAME (one of them)")
    opened = use_project(project, db)
    who = coder_or_default(coder)
    options = services.MatchOptions(case_sensitive=case_sensitive, accent_sensitive=accent_sensitive, nordic=nordic)
    filters = services.QueryFilters(roles=tuple(role), rounds=tuple(rounds), documents=tuple(documents_), speaker=speaker,
                                    in_codes=tuple(in_codes), uncoded=uncoded)
    common = dict(coder=who, original=original, filters=filters, coded_by=coded_by or None, limit=limit)
    if saved is not None:
        result = services.run_saved_search(opened, saved, **common)
    else:
        assert query is not None
        result = services.search(opened, query, options=options, **common)
    for note in (result.state_note, result.note):
        if note:
            click.echo(f"codebench: {note}", err=True)
    # Printed where the reader finds them: for a coder who may not see names, in the text they read.
    _print(replace(result, hits=services.anonymisation.positions_for(opened, who).moved(result.hits)), fmt, width)
    if code_name:
        coded = services.code_hits(opened, result.hits, code_name, require_coder(coder), widen_to=widen,
                                   query=query if query is not None else f"saved search {saved}")
        created = " (a new open code)" if coded.created else ""
        already = f"; {coded.already} already coded so" if coded.already else ""
        click.echo(f"coded {coded.added} passage(s) as «{coded.code}»{created}, each hit widened to its {coded.widen}"
                   f"{already}; `codebench undo` takes it back", err=fmt != "text")
    if save_as:
        if query is None:
            fail("--save needs a QUERY (a saved search is already saved)")
        kept = services.save_search(opened, save_as, query, options=options, filters=filters, coder=who,
                                    hits=len(result.hits) if result.complete else None)
        click.echo(f"saved the search as «{kept.name}» (see `codebench searches`)", err=fmt != "text")


def _print(result: services.SearchResult, fmt: str, width: int) -> None:
    if fmt in ("json", "csv"):
        rows = [_fields(h, width) for h in result.hits]
        if fmt == "json":
            click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        writer = csv.writer(sys.stdout)
        writer.writerow(HIT_FIELDS)
        for row in rows:
            writer.writerow([row[k] for k in HIT_FIELDS])
        return
    for h in result.hits:
        left, match, right = h.context(width)
        where = f"{_cut(h.document, 24):<24} {_cut(h.role or '', 12):<12} {_cut(h.speaker or '-', 10):<10} t{h.turn:<4}"
        # The context keeps the spaces around the hit: «…» sits on the words, as in a concordance.
        click.echo(f"{where} {h.start:>7}  {_cut(left, width, left=True):>{width}}«{match}»{_cut(right, width)}")
    count = f"{len(result.hits)} hit(s) in {result.documents} document(s)"
    if not result.complete:
        count = f"the first {count}; there are more (raise --limit)"
    click.echo(count + (" · anonymised text" if result.anonymised else ""))


def _fields(hit: services.SearchHit, width: int) -> dict[str, object]:
    left, match, right = hit.context(width)
    values = {"left": left, "match": match, "right": right}
    return {k: values[k] if k in values else getattr(hit, k) for k in HIT_FIELDS}


def _cut(text: str, width: int, *, left: bool = False) -> str:
    """``text`` within ``width`` characters, an ellipsis where it was cut (on the left for left context)."""
    if len(text) <= width:
        return text
    return "…" + text[-(width - 1):] if left else text[:width - 1] + "…"


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "md"]), default="text", show_default=True,
              help="md: a table for the methods section.")
@click.option("--forget", metavar="NAME", help="Delete the saved search NAME.")
@click.option("--coder", help="Who you are (default: $CODEBENCH_CODER).")
@original_option
@db_option
def searches(project: str, fmt: str, forget: str | None, coder: str | None, original: bool, db: str | None) -> None:
    """List the saved searches with their queries, options and hit counts (for the methods section)."""
    opened = use_project(project, db)
    who = coder_or_default(coder)
    if forget:
        services.forget_search(opened, forget, who)
        click.echo(f"forgot the saved search «{forget}»")
        return
    found = services.saved_searches(opened, coder=who, original=original)
    if fmt == "md":
        click.echo("| search | query | hits | saved by | saved |\n|---|---|---|---|---|")
        for s in found:
            query = s.describe().replace("|", "\\|")
            click.echo(f"| {s.name} | `{query}` | {s.hits if s.hits is not None else ''} | {s.coder or ''} | "
                       f"{s.saved_at:%Y-%m-%d} |")
        return
    for s in found:
        hits = f"{s.hits} hit(s)" if s.hits is not None else "hits not counted"
        click.echo(f"{s.name}: {s.describe()} · {hits} · {s.coder or '-'} {s.saved_at:%Y-%m-%d %H:%M}")
    if not found:
        click.echo("no saved searches (codebench search PROJECT QUERY --save NAME keeps one)")
