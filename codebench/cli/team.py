"""Team work: ``merge`` coders' projects, ``agreement``, ``disagreements`` and ``resolve``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import click

from codebench import services
from codebench.cli.common import coder_or_default, db_option, emit, fail, original_option, use_project

DECISIONS = ["keep-a", "keep-b", "both", "neither", "edit"]


def _names(text: str | None) -> list[str] | None:
    """A comma-separated option as a list without blanks; None when the option was not given."""
    return [x.strip() for x in text.split(",") if x.strip()] if text else None


def _two(coders: str) -> tuple[str, str]:
    names = _names(coders) or []
    if len(names) != 2 or names[0] == names[1]:
        fail("--coders takes exactly two different coders, e.g. ingrid,per")
    return names[0], names[1]


def _code_names_shown(project: services.Project, original: bool) -> dict[str, str]:
    """Code name -> as this command shows it: the anonymised view's rendition unless the coder may
    see originals and asked (or detection has not run). Refuses --original to a coder not allowed it."""
    shown = services.anonymisation.disclosure(project, coder_or_default(None), original=original)
    return services.shown_code_names(project, anonymised=not shown.original)


def _with_code_names(line: str, shown: dict[str, str]) -> str:
    """``line`` with every code name that is shown otherwise replaced (longest first)."""
    for name in sorted(shown, key=len, reverse=True):
        if name in line:
            line = line.replace(name, shown[name])
    return line


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "–"
    if percent and 0.9995 <= value < 1:
        # Rounded, 99.96 % would read as full agreement (a code only one coder used agrees on
        # every character neither coded): cut, never rounded up to 100.
        return f"{int(value * 10000) / 100:.2f}"
    return f"{value * 100:.1f}" if percent else f"{value:.4f}"


@click.command()
@click.argument("team", type=click.Path(file_okay=False))
@click.argument("coder_projects", nargs=-1, required=True, type=click.Path(file_okay=False))
@click.option("--report", type=click.Path(dir_okay=False), help="Also write the merge report as JSON.")
@db_option
def merge(team: str, coder_projects: Sequence[str], report: str | None, db: str | None) -> None:
    """Merge coders' projects into TEAM: codings, open codes, memos, codebook changes.

    Documents match by text (a document whose text differs is refused), codes by id then
    name, codings by id. Running the same merge again changes nothing.
    """
    opened = use_project(team, db)
    reports = services.merge_projects(opened, list(coder_projects))
    # Code names as the team's anonymised view shows them (an in-vivo code is the informant's words).
    shown = _code_names_shown(opened, False)
    for r in reports:
        for line in r.lines():
            click.echo(_with_code_names(line, shown))
    if any(r.entities_added or r.entities_matched for r in reports):
        # Merges never read a key: the names a coder added by hand reach the team's key only this way.
        click.echo(f"pseudonym keys stay with each coder; to take their added names: "
                   f"codebench anonymise key merge {team} CODER_PROJECT")
    if report:
        # Document names can name informants: the written report uses the anonymised names.
        labels = services.anonymisation.document_labels(opened)
        by_name = {d.name: labels[d.id] for d in services.list_documents(opened)}
        rows = [asdict(r) for r in reports]
        for row in rows:
            row["documents_added"] = [by_name.get(name, "Dokument") for name in row["documents_added"]]
            for key in ("codes_added", "codes_filled", "code_conflicts", "coding_conflicts"):
                row[key] = [_with_code_names(value, shown) for value in row[key]]
            row["suggestions"] = [[shown.get(a, a), shown.get(b, b), score] for a, b, score in row["suggestions"]]
        Path(report).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


@click.command("agreement")
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--coders", required=True, help="Comma-separated coder names (two or more).")
@click.option("--codes", help="Comma-separated codes or categories (default: all).")
@click.option("--documents", "documents_", help="Comma-separated documents (default: those every coder coded).")
@click.option("--threshold", type=float, default=0.9, show_default=True, help="Minimum overlap for segment agreement.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "md"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file instead of the terminal.")
@original_option
@db_option
def agreement(project: str, coders: str, codes: str | None, documents_: str | None, threshold: float, fmt: str,
              output: str | None, original: bool, db: str | None) -> None:
    """Inter-coder agreement per code and overall.

    \b
    %      character-level percent agreement (mean over coder pairs)
    κ      Cohen's kappa on characters (Light's mean kappa for 3+ coders)
    α      Krippendorff's alpha, characters as units, all coders
    |uα    Krippendorff's unitized binary alpha on the document continuum
    seg%   segment-level agreement (overlap ≥ threshold), as MAXQDA reports it
    segκ   Brennan–Prediger kappa of the segment agreement (chance 1/number of codes)
    """
    opened = use_project(project, db)
    result = services.agreement(opened, _names(coders) or [], codes=_names(codes),
                                documents=_names(documents_), threshold=threshold)
    shown = _code_names_shown(opened, original)
    header = ["code", *[f"n {c}" for c in result.coders], "%", "κ", "α", "|uα", "seg%", "segκ"]
    body = [[shown.get(row.code, row.code), *[str(row.segments[c]) for c in result.coders], _fmt(row.percent_agreement, True),
             _fmt(row.cohen_kappa), _fmt(row.krippendorff_alpha), _fmt(row.u_alpha_binary),
             _fmt(row.segment_percent, True), _fmt(row.segment_kappa)] for row in result.rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["code", *[f"segments_{c}" for c in result.coders], "percent_agreement", "cohen_kappa",
                         "krippendorff_alpha", "u_alpha_binary", "segment_percent", "segment_kappa"])
        writer.writerows(body)
        text = buffer.getvalue()
    elif fmt == "md":
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        text = "\n".join(lines) + "\n"
    else:
        widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
        lines = ["  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in enumerate(zip(r, widths)))
                 for r in [header, *body]]
        text = "\n".join(lines) + "\n"
    if fmt != "csv":
        text += f"\n{len(result.documents)} document(s) compared; segment overlap threshold {result.threshold:.0%}\n"
        u = result.unitized
        if u.overlapping_coders:
            text += (f"uα and cuα over all codes: not defined, {', '.join(u.overlapping_coders)} coded overlapping "
                     "segments with different codes (unitizing needs disjoint units); see |uα per code\n")
        else:
            text += f"uα over all codes {_fmt(u.u_alpha)}, cuα {_fmt(u.cu_alpha)}\n"
    emit(text, output)


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--coders", required=True, help="Two coders, e.g. ingrid,per (A and B).")
@click.option("--document", "documents_", multiple=True)
@click.option("--code", "codes", multiple=True)
@click.option("--threshold", type=float, default=0.9, show_default=True)
@click.option("--original", is_flag=True, help="Show document names and passages in the original (with names).")
@db_option
def disagreements(project: str, coders: str, documents_: Sequence[str], codes: Sequence[str], threshold: float,
                  original: bool, db: str | None) -> None:
    """List the places where two coders disagree (resolve them with `codebench resolve`).

    As `agreement` does, only documents both coders have coded are compared, unless named with
    --document (the other coder may not have reached a document yet). Document names and passages are anonymised (accepted decisions) unless --original.
    """
    a, b = _two(coders)
    opened = use_project(project, db)
    shown = _code_names_shown(opened, original)  # refuses --original to a coder not allowed names
    found = services.disagreements(opened, a, b, codes=codes or None, documents=documents_ or None, threshold=threshold)
    labels = services.anonymisation.document_labels(opened, original=original)
    spans = [(r.document_id, r.start, r.end) for r in found]
    passages = ([services.get_document(opened, d).text[s:e] for d, s, e in spans] if original
                else services.anonymisation.anonymised_passages(opened, spans))
    # A coder kept from names reads positions in the anonymised text (the original's would tell
    # how long a name in the passage is); `resolve` takes the same key back.
    positions = services.anonymisation.positions_for(opened, coder_or_default(None))
    for region, text in zip(found, passages):
        context = " ".join(text.split())
        start, end = positions.shown(region.document_id, region.start, region.end)
        click.echo(f"{region.document_id}:{start}-{end}  {labels.get(region.document_id, region.document)}")
        click.echo(f"  {a}: {', '.join(shown.get(c, c) for c in region.codes_of(a)) or '—'}")
        click.echo(f"  {b}: {', '.join(shown.get(c, c) for c in region.codes_of(b)) or '—'}")
        click.echo(f"  «{context[:200]}{'…' if len(context) > 200 else ''}»")
    click.echo(f"{len(found)} open disagreement(s)")


def _stored_key(positions: services.anonymisation.Positions, key: str) -> str:
    """A region key in the anonymised text's positions (``doc:start-end``) as stored."""
    try:
        doc, span = key.split(":", 1)
        start, end = (int(x) for x in span.split("-", 1))
    except ValueError:
        fail(f"{key!r} is not a region as `codebench disagreements` lists them (DOC:START-END)")
    start, end = positions.stored(int(doc), start, end)
    return f"{doc}:{start}-{end}"


def _stored_span(positions: services.anonymisation.Positions, key: str, start: int, end: int) -> tuple[int, int]:
    return positions.stored(int(key.split(":", 1)[0]), start, end)


def _edits(items: Sequence[str]) -> list[tuple[str, int, int]]:
    """The ``--code CODE:START:END`` options of an edit decision (a code name may hold colons)."""
    edits = []
    for item in items:
        try:
            code, start, end = item.rsplit(":", 2)
            edits.append((code, int(start), int(end)))
        except ValueError:
            fail(f"--code {item!r}: expected CODE:START:END")
    return edits


@click.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("region", required=False)
@click.argument("decision", required=False, type=click.Choice(DECISIONS))
@click.option("--coders", required=True, help="The two coders, as for `disagreements`.")
@click.option("--code", "edit_codes", multiple=True, help="For edit: CODE:START:END to keep (repeatable).")
@click.option("--agreed", is_flag=True, help="Instead: copy every agreed coding to the consensus coder.")
@click.option("--adjudicator", help="Who decided (for the audit log).")
@click.option("--threshold", type=float, default=0.9, show_default=True)
@db_option
def resolve(project: str, region: str | None, decision: str | None, coders: str, edit_codes: Sequence[str],
            agreed: bool, adjudicator: str | None, threshold: float, db: str | None) -> None:
    """Resolve a disagreement into the 'consensus' coder: keep-a, keep-b, both, neither or edit.

    The original coders' codings are never changed.
    """
    a, b = _two(coders)
    opened = use_project(project, db)
    if agreed:
        copied = services.accept_agreed(opened, a, b, threshold=threshold, adjudicator=adjudicator)
        click.echo(f"{copied} agreed coding(s) copied to consensus")
        return
    if not region or not decision:
        fail("give REGION and DECISION (see `codebench disagreements`), or --agreed")
    positions = services.anonymisation.positions_for(opened, coder_or_default(adjudicator))
    edits = _edits(edit_codes)
    if positions.anonymised:  # the key and the spans were given as `disagreements` showed them
        region = _stored_key(positions, region)
        edits = [(code, *_stored_span(positions, region, s, e)) for code, s, e in edits]
    created = services.resolve_disagreement(opened, a, b, region, decision, edit=edits,
                                            adjudicator=adjudicator, threshold=threshold)
    click.echo(f"resolved {region} ({decision}): {len(created)} consensus coding(s)")
