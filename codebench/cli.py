"""The ``codebench`` command line.

Each command is a thin shell over one function of :mod:`codebench.services`. User mistakes
(bad files, unknown names, broken codebooks) print one clear message and exit non-zero; a
traceback means a bug in codebench.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path
from typing import Sequence

import click

from codebench import services
from codebench.cli_support import EXIT_USER_ERROR, _coder, _db_option, _emit, _fail, _friendly, _open  # noqa: F401


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="codebench")
def main() -> None:
    """codebench — code Norwegian interview transcripts in the terminal.

    \b
    A typical session:
      codebench init mystudy
      codebench import mystudy intervjuer/*.docx opptak/*.vtt --role mentor --round 1
      codebench codebook load mystudy codebooks/hybridmodellen.yaml
      codebench code mystudy DOC --start 120 --end 310 --code tidspress --coder ingrid
      codebench quotes mystudy --category mentor
      codebench stats mystudy

    PROJECT is a project folder made by `codebench init`.
    """


@main.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--db", metavar="URL", help="Use a PostgreSQL server (postgresql+psycopg://…) instead of an SQLite file.")
@click.option("--name", help="Project name inside the database (default: the folder name).")
@_friendly
def init(project: str, db: str | None, name: str | None) -> None:
    """Create a project folder with an empty database."""
    opened = services.init_project(Path(project), db_url=db, name=name)
    where = "SQLite file " + str(Path(project) / services.DB_NAME) if not db else "server " + opened.engine.url.render_as_string(hide_password=True)
    click.echo(f"created project {opened.name!r} ({where})")
    opened.close()


@main.command("import")
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--participant", "pid", help="Pseudonymous participant id, e.g. V01 (default: from participants.yaml or a new one).")
@click.option("--role", help="veileder | IA-rådgiver | mentor | arbeidsgiver | other")
@click.option("--round", "round_", type=int, help="Interview round (1, 2, …).")
@click.option("--site", help="Site or municipality of the informant.")
@click.option("--skip-bad", is_flag=True, help="Import the good files even if some cannot be read.")
@_db_option
@_friendly
def import_(project: str, files: Sequence[str], pid: str | None, role: str | None, round_: int | None,
            site: str | None, skip_bad: bool, db: str | None) -> None:
    """Import transcripts (.txt .md .docx .odt .vtt .srt).

    All files are read first; if any cannot be read nothing is imported (unless --skip-bad).
    A participants.yaml beside the files gives each file's participant, role, site and round.
    """
    opened = _open(project, db)
    report = services.import_files(opened, list(files), services.ParticipantSpec(pid, role, site, round_), skip_bad=skip_bad)
    for error in report.errors:
        click.echo(f"codebench: {error}", err=True)
    if report.errors and not skip_bad:
        click.echo("codebench: nothing was imported", err=True)
        sys.exit(EXIT_USER_ERROR)
    for path, existing in report.duplicates:
        click.echo(f"skipped {path}: same text as document {existing!r}")
    for doc in report.added:
        who = f"{doc.participant.pid} ({doc.participant.role})" if doc.participant else "no participant"
        click.echo(f"imported {doc.name}: {doc.word_count} words, {doc.turn_count} turns, {who}")
    click.echo(f"{len(report.added)} document(s) imported, {len(report.duplicates)} duplicate(s) skipped")
    if report.errors:
        sys.exit(EXIT_USER_ERROR)


@main.command("import-survey")
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--text-columns", required=True, help="Comma-separated free-text columns to code.")
@click.option("--id-column", help="Column with the respondent id (default: row number).")
@click.option("--role", default="arbeidsgiver", show_default=True)
@click.option("--round", "round_", type=int)
@_db_option
@_friendly
def import_survey(project: str, file: str, text_columns: str, id_column: str | None, role: str,
                  round_: int | None, db: str | None) -> None:
    """Import survey answers (.csv or .xlsx): one codable document per respondent."""
    opened = _open(project, db)
    columns = [c.strip() for c in text_columns.split(",") if c.strip()]
    report = services.import_survey(opened, file, columns, id_column=id_column, role=role, round=round_)
    for error in report.errors:
        _fail(error)
    click.echo(f"{len(report.added)} respondent(s) imported, {len(report.duplicates)} duplicate(s) skipped")


@main.command()
@click.argument("project", type=click.Path(file_okay=False))
@_db_option
@_friendly
def documents(project: str, db: str | None) -> None:
    """List the project's documents."""
    for doc in services.list_documents(_open(project, db)):
        who = f"{doc.participant.pid:<8} {doc.participant.role:<13}" if doc.participant else " " * 22
        round_ = f"r{doc.round}" if doc.round else "  "
        click.echo(f"{doc.id:>4}  {who} {round_}  {doc.word_count:>6} words  {doc.turn_count:>4} turns  {doc.name}")


@main.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("document")
@click.option("--offsets", is_flag=True, help="Show each turn's [start, end) in code points.")
@_db_option
@_friendly
def show(project: str, document: str, offsets: bool, db: str | None) -> None:
    """Print a document's text turn by turn."""
    doc = services.get_document(_open(project, db), document)
    for turn in doc.turns:
        prefix = f"[{turn.start}, {turn.end}) " if offsets else ""
        click.echo(prefix + doc.text[turn.start:turn.end])
        click.echo()


@main.group()
def codebook() -> None:
    """Load, check and export YAML codebooks."""


@codebook.command("load")
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--coder", help="Who made the change (for the audit log).")
@_db_option
@_friendly
def codebook_load(project: str, file: str, coder: str | None, db: str | None) -> None:
    """Merge a codebook into the project (nothing already there is deleted)."""
    report = services.load_codebook(_open(project, db), file, coder=coder)
    click.echo(f"{len(report.added)} added, {len(report.updated)} updated, {report.unchanged} unchanged")


@codebook.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
@_friendly
def codebook_check(file: str) -> None:
    """Validate a codebook file without a project."""
    book = services.read_codebook_file(file)
    click.echo(f"{file}: OK — {len(book.categories())} categories, {len(book.codes())} codes")


@codebook.command("export")
@click.argument("project", type=click.Path(file_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (default: standard output).")
@_db_option
@_friendly
def codebook_export(project: str, output: str | None, db: str | None) -> None:
    """Write the project's code tree as codebook YAML (open and in-vivo codes included)."""
    _emit(services.export_codebook(_open(project, db)), output)


@main.command()
@click.argument("project", type=click.Path(file_okay=False))
@_db_option
@_friendly
def codes(project: str, db: str | None) -> None:
    """Show the code tree with the number of codings of each code."""
    opened = _open(project, db)
    tree = services.code_tree(opened)
    counts: dict[int, int] = {}
    for coding in services.codings(opened):
        counts[coding.code_id] = counts.get(coding.code_id, 0) + 1
    depth: dict[int, int] = {}
    for node in tree:
        depth[node.id] = depth.get(node.parent_id, -1) + 1 if node.parent_id is not None else 0
        mark = "▸" if node.kind == "category" else "·"
        extra = f" [{node.shortcut}]" if node.shortcut else ""
        origin = f" ({node.origin})" if node.origin != "codebook" else ""
        count = f"  {counts.get(node.id, 0)}" if node.kind == "code" else ""
        click.echo(f"{'  ' * depth[node.id]}{mark} {node.name}{extra}{origin}{count}")


@main.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("document")
@click.option("--start", type=int, required=True, help="First code point of the span (0-based).")
@click.option("--end", type=int, required=True, help="Code point after the span (half-open).")
@click.option("--code", "code_name", help="Code name; a new name creates an open code.")
@click.option("--in-vivo", is_flag=True, help="Name a new in-vivo code after the coded words.")
@click.option("--category", help="Category for a newly created code.")
@click.option("--coder", help="Who codes (default: $CODEBENCH_CODER).")
@click.option("--memo", help="A memo on this coding.")
@_db_option
@_friendly
def code(project: str, document: str, start: int, end: int, code_name: str | None, in_vivo: bool,
         category: str | None, coder: str | None, memo: str | None, db: str | None) -> None:
    """Code the span [START, END) of DOCUMENT (id or name)."""
    opened = _open(project, db)
    origin = "open"
    if in_vivo:
        origin = "in-vivo"
        if not code_name:
            text = services.get_document(opened, document).text
            code_name = " ".join(text[start:end].split()).strip(" .,;:!?«»\"'")[:80]
    if not code_name:
        _fail("give --code NAME or --in-vivo")
    coding = services.apply_code(opened, document, start, end, code_name, _coder(coder), memo=memo,
                                 create=origin, category=category)
    click.echo(f"coded [{coding.start}, {coding.end}) as {code_name!r}: {coding.uuid}")


@main.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("coding_id")
@click.option("--coder", help="Who removes it (for the audit log).")
@_db_option
@_friendly
def uncode(project: str, coding_id: str, coder: str | None, db: str | None) -> None:
    """Remove a coding (undo can bring it back)."""
    removed = services.remove_coding(_open(project, db), coding_id, coder or os.environ.get("CODEBENCH_CODER"))
    click.echo(f"removed coding {removed.uuid}")


@main.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("coding_id")
@click.option("--code", "code_name", required=True)
@click.option("--coder")
@_db_option
@_friendly
def recode(project: str, coding_id: str, code_name: str, coder: str | None, db: str | None) -> None:
    """Give a coding another code."""
    changed = services.recode(_open(project, db), coding_id, code_name, coder or os.environ.get("CODEBENCH_CODER"))
    click.echo(f"coding {changed.uuid} is now {code_name!r}")


@main.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--coder", help="Whose last operation to undo (default: $CODEBENCH_CODER).")
@_db_option
@_friendly
def undo(project: str, coder: str | None, db: str | None) -> None:
    """Undo your most recent coding operation."""
    entry = services.undo(_open(project, db), _coder(coder))
    click.echo(f"undid {entry.action} from {entry.at:%Y-%m-%d %H:%M}" if entry else "nothing to undo")


@main.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--coder", help="Whose undone operation to redo (default: $CODEBENCH_CODER).")
@_db_option
@_friendly
def redo(project: str, coder: str | None, db: str | None) -> None:
    """Redo your most recently undone coding operation."""
    entry = services.redo(_open(project, db), _coder(coder))
    click.echo(f"redid {entry.action} from {entry.at:%Y-%m-%d %H:%M}" if entry else "nothing to redo")


@main.command("merge-codes")
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("source")
@click.argument("target")
@click.option("--coder")
@_db_option
@_friendly
def merge_codes(project: str, source: str, target: str, coder: str | None, db: str | None) -> None:
    """Merge code SOURCE into TARGET; SOURCE's codings follow."""
    moved = services.merge_codes(_open(project, db), source, target, coder)
    click.echo(f"merged {source!r} into {target!r}: {moved} coding(s) moved")


@main.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("text")
@click.option("--code", "code_name", help="Memo on this code.")
@click.option("--document", help="Memo on this document.")
@click.option("--title")
@click.option("--author")
@_db_option
@_friendly
def memo(project: str, text: str, code_name: str | None, document: str | None, title: str | None,
         author: str | None, db: str | None) -> None:
    """Write a memo on a code, a document or the project."""
    services.add_memo(_open(project, db), text, code=code_name, document=document, title=title,
                      author=author or os.environ.get("CODEBENCH_CODER"))
    click.echo("memo saved")


@main.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--category", help="All codes under this category.")
@click.option("--code", "code_name", help="One code (and codes under it).")
@click.option("--role", multiple=True, help="Only informants with this role (repeatable).")
@click.option("--round", "rounds", type=int, multiple=True, help="Only this interview round (repeatable).")
@click.option("--document", "documents_", multiple=True, help="Only this document (repeatable).")
@click.option("--coder", "coders", multiple=True, help="Only this coder's codings (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@_db_option
@_friendly
def quotes(project: str, category: str | None, code_name: str | None, role: Sequence[str], rounds: Sequence[int],
           documents_: Sequence[str], coders: Sequence[str], fmt: str, db: str | None) -> None:
    """Retrieve coded segments, e.g. every quote of a category across the corpus."""
    found = services.quotes(_open(project, db), category=category, code=code_name, roles=role or None,
                            rounds=rounds or None, documents=documents_ or None, coders=coders or None)
    fields = ["code", "category", "coder", "document", "participant", "role", "round", "speaker", "start", "end", "text"]
    if fmt == "json":
        click.echo(json.dumps([{k: getattr(q, k) for k in fields} for q in found], ensure_ascii=False, indent=1))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(fields)
        for q in found:
            writer.writerow([getattr(q, k) for k in fields])
    else:
        for q in found:
            who = ", ".join(str(x) for x in (q.role, q.participant, f"runde {q.round}" if q.round else None) if x)
            click.echo(f"— {q.code} · {q.document} [{q.start}–{q.end}] · {who} · {q.coder}")
            click.echo("  «" + " ".join(q.text.split()) + "»")
        click.echo(f"{len(found)} quote(s)")


@main.command()
@click.argument("project", type=click.Path(file_okay=False))
@_db_option
@_friendly
def stats(project: str, db: str | None) -> None:
    """Counts of documents, words, participants, codes and codings."""
    s = services.stats(_open(project, db))
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


@main.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--limit", type=int, default=50, show_default=True)
@_db_option
@_friendly
def log(project: str, limit: int, db: str | None) -> None:
    """Show the audit log of coding and codebook operations, newest first."""
    for entry in services.audit_log(_open(project, db), limit):
        click.echo(f"{entry.id:>6}  {entry.at:%Y-%m-%d %H:%M:%S}  {entry.coder or '-':<12} {entry.action}")


@main.command("import-codings")
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
@_db_option
@_friendly
def import_codings(project: str, file: str, db: str | None) -> None:
    """Apply a YAML file of codings (one coder; each coding's text is checked against the document)."""
    added = services.import_codings(_open(project, db), file)
    click.echo(f"{added} coding(s) added")


@main.command()
@click.argument("team", type=click.Path(file_okay=False))
@click.argument("coder_projects", nargs=-1, required=True, type=click.Path(file_okay=False))
@click.option("--report", type=click.Path(dir_okay=False), help="Also write the merge report as JSON.")
@_db_option
@_friendly
def merge(team: str, coder_projects: Sequence[str], report: str | None, db: str | None) -> None:
    """Merge coders' projects into TEAM: codings, open codes, memos, codebook changes.

    Documents match by text (a document whose text differs is refused), codes by id then
    name, codings by id. Running the same merge again changes nothing.
    """
    opened = _open(team, db)
    reports = services.merge_projects(opened, list(coder_projects))
    for r in reports:
        for line in r.lines():
            click.echo(line)
    if report:
        from dataclasses import asdict

        # Document names can name informants: the written report uses the anonymised names.
        labels = services.anonymisation.document_labels(opened)
        by_name = {d.name: labels[d.id] for d in services.list_documents(opened)}
        rows = [asdict(r) for r in reports]
        for row in rows:
            row["documents_added"] = [by_name.get(name, "Dokument") for name in row["documents_added"]]
        Path(report).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.1f}" if percent else f"{value:.4f}"


@main.command("agreement")
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--coders", required=True, help="Comma-separated coder names (two or more).")
@click.option("--codes", help="Comma-separated codes or categories (default: all).")
@click.option("--documents", "documents_", help="Comma-separated documents (default: those every coder coded).")
@click.option("--threshold", type=float, default=0.9, show_default=True, help="Minimum overlap for segment agreement.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "md"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file instead of the terminal.")
@_db_option
@_friendly
def agreement_(project: str, coders: str, codes: str | None, documents_: str | None, threshold: float, fmt: str,
               output: str | None, db: str | None) -> None:
    """Inter-coder agreement per code and overall.

    \b
    %      character-level percent agreement (mean over coder pairs)
    κ      Cohen's kappa on characters (Light's mean kappa for 3+ coders)
    α      Krippendorff's alpha, characters as units, all coders
    |uα    Krippendorff's unitized binary alpha on the document continuum
    seg%   segment-level agreement (overlap ≥ threshold), as MAXQDA reports it
    segκ   Brennan–Prediger kappa of the segment agreement (chance 1/number of codes)
    """
    split = lambda text: [x.strip() for x in text.split(",") if x.strip()] if text else None  # noqa: E731
    result = services.agreement(_open(project, db), split(coders) or [], codes=split(codes),
                                documents=split(documents_), threshold=threshold)
    header = ["code", *[f"n {c}" for c in result.coders], "%", "κ", "α", "|uα", "seg%", "segκ"]
    body = [[row.code, *[str(row.segments[c]) for c in result.coders], _fmt(row.percent_agreement, True),
             _fmt(row.cohen_kappa), _fmt(row.krippendorff_alpha), _fmt(row.u_alpha_binary),
             _fmt(row.segment_percent, True), _fmt(row.segment_kappa)] for row in result.rows]
    if fmt == "csv":
        import io

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
    _emit(text, output)


@main.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--coders", required=True, help="Two coders, e.g. ingrid,per (A and B).")
@click.option("--document", "documents_", multiple=True)
@click.option("--code", "codes", multiple=True)
@click.option("--threshold", type=float, default=0.9, show_default=True)
@click.option("--original", is_flag=True, help="Show document names and passages in the original (with names).")
@_db_option
@_friendly
def disagreements(project: str, coders: str, documents_: Sequence[str], codes: Sequence[str], threshold: float,
                  original: bool, db: str | None) -> None:
    """List the places where two coders disagree (resolve them with `codebench resolve`).

    Document names and passages are anonymised (accepted decisions) unless --original.
    """
    a, b = _two(coders)
    opened = _open(project, db)
    found = services.disagreements(opened, a, b, codes=codes or None, documents=documents_ or None, threshold=threshold)
    labels = services.anonymisation.document_labels(opened, original=original)
    spans = [(r.document_id, r.start, r.end) for r in found]
    passages = ([services.get_document(opened, d).text[s:e] for d, s, e in spans] if original
                else services.anonymisation.anonymised_passages(opened, spans))
    for region, text in zip(found, passages):
        context = " ".join(text.split())
        click.echo(f"{region.key}  {labels.get(region.document_id, region.document)}")
        click.echo(f"  {a}: {', '.join(region.codes_of(a)) or '—'}")
        click.echo(f"  {b}: {', '.join(region.codes_of(b)) or '—'}")
        click.echo(f"  «{context[:200]}{'…' if len(context) > 200 else ''}»")
    click.echo(f"{len(found)} open disagreement(s)")


def _two(coders: str) -> tuple[str, str]:
    names = [c.strip() for c in coders.split(",") if c.strip()]
    if len(names) != 2 or names[0] == names[1]:
        _fail("--coders takes exactly two different coders, e.g. ingrid,per")
    return names[0], names[1]


@main.command()
@click.argument("project", type=click.Path(file_okay=False))
@click.argument("region", required=False)
@click.argument("decision", required=False, type=click.Choice(["keep-a", "keep-b", "both", "neither", "edit"]))
@click.option("--coders", required=True, help="The two coders, as for `disagreements`.")
@click.option("--code", "edit_codes", multiple=True, help="For edit: CODE:START:END to keep (repeatable).")
@click.option("--agreed", is_flag=True, help="Instead: copy every agreed coding to the consensus coder.")
@click.option("--adjudicator", help="Who decided (for the audit log).")
@click.option("--threshold", type=float, default=0.9, show_default=True)
@_db_option
@_friendly
def resolve(project: str, region: str | None, decision: str | None, coders: str, edit_codes: Sequence[str],
            agreed: bool, adjudicator: str | None, threshold: float, db: str | None) -> None:
    """Resolve a disagreement into the 'consensus' coder: keep-a, keep-b, both, neither or edit.

    The original coders' codings are never changed.
    """
    a, b = _two(coders)
    opened = _open(project, db)
    if agreed:
        copied = services.accept_agreed(opened, a, b, threshold=threshold, adjudicator=adjudicator)
        click.echo(f"{copied} agreed coding(s) copied to consensus")
        return
    if not region or not decision:
        _fail("give REGION and DECISION (see `codebench disagreements`), or --agreed")
    edits = []
    for item in edit_codes:
        try:
            code, start, end = item.rsplit(":", 2)
            edits.append((code, int(start), int(end)))
        except ValueError:
            _fail(f"--code {item!r}: expected CODE:START:END")
    created = services.resolve_disagreement(opened, a, b, region, decision, edit=edits, adjudicator=adjudicator,
                                            threshold=threshold)
    click.echo(f"resolved {region} ({decision}): {len(created)} consensus coding(s)")


@main.command("open")
@click.argument("project", type=click.Path(file_okay=False))
@click.option("--coder", envvar="CODEBENCH_CODER", help="Who is coding (asked at start when not given).")
@_friendly
def open_(project: str, coder: str | None) -> None:
    """Open the coding workbench (a full-screen terminal app) on PROJECT."""
    services.open_project(Path(project)).close()  # a clear error before the screen switches
    from codebench.tui.app import run  # Textual is loaded only for this command

    run(Path(project), coder)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False), default="demo")
@click.option("--stats", "stats_only", is_flag=True, help="Print the statistics instead of opening the workbench.")
@click.option("--coder", envvar="CODEBENCH_CODER", default="demo", show_default=True, help="Coder name in the workbench.")
@_friendly
def demo(folder: str, stats_only: bool, coder: str) -> None:
    """Build the sample project in FOLDER (once) and open it in the workbench."""
    from codebench.services.sample import build_demo_project

    opened = build_demo_project(Path(folder))
    opened.close()
    if stats_only or not sys.stdout.isatty():
        click.echo(f"sample project in {folder}/")
        click.get_current_context().invoke(stats, project=folder, db=None)
        return
    from codebench.tui.app import run

    run(Path(folder), coder)


if __name__ == "__main__":  # pragma: no cover
    main()


# Command groups that live beside the features they drive.
from codebench.export.cli import export as _export_group  # noqa: E402
from codebench.export.cli_refi import import_refi as _import_refi  # noqa: E402

from codebench.anonymise.cli import anonymise as _anonymise_group, anonymise_file as _anonymise_file  # noqa: E402

main.add_command(_export_group)
main.add_command(_import_refi)
main.add_command(_anonymise_group)
main.add_command(_anonymise_file)
