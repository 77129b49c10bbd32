"""Markdown for writing: the quote matrix, chapter quotes and the codebook.

Markdown goes straight into a report draft (or through pandoc into Word). Text from transcripts
and memos is escaped so that an asterisk or a bracket in a quote stays a character.
"""

from __future__ import annotations

import re
from typing import Sequence

from codebench.domain.matrix import NO_CATEGORY, CooccurrenceTable, CountTable, QuoteMatrix
from codebench.domain.report_models import Chapter, CodebookDocument, CodebookEntry, MemoDocument

_SPECIAL = re.compile(r"([\\`*_<>|#])")
# A bracket pair is only markup when a link follows it: "[Person 5]" stays as written (pseudonyms
# are bracketed), "[tekst](adresse)", "[a][b]" and "[a]: …" lose their link by escaping the "]".
_LINK_BRACKET = re.compile(r"\](?=[(\[:{])")
_LIST_START = re.compile(r"^(?:([-+])|(\d+)([.)]))(?=\s)")

ORIGIN_LABELS = {"codebook": "kodeboka", "open": "åpen koding", "in-vivo": "in vivo-kode"}
"""Where a code came from, as a methods appendix says it."""


def inline(text: str | None) -> str:
    """``text`` as one line of Markdown, with every formatting character escaped."""
    return _LINK_BRACKET.sub(r"\\]", _SPECIAL.sub(r"\\\1", " ".join((text or "").split())))


def _escape_list_marker(match: re.Match[str]) -> str:
    bullet, number, delimiter = match.groups()
    return "\\" + bullet if bullet else f"{number}\\{delimiter}"


def _paragraphs(texts: Sequence[str]) -> list[str]:
    out: list[str] = []
    for text in texts:
        for paragraph in re.split(r"\n\s*\n", text.strip()):
            if paragraph.strip():
                line = inline(paragraph)
                # A memo that starts like a list item ("- ", "1. ") must stay a paragraph.
                out += [_LIST_START.sub(_escape_list_marker, line), ""]
    return out


def _heading(level: int, text: str) -> list[str]:
    return ["#" * min(max(level, 1), 6) + " " + inline(text), ""]


def counts_table(counts: CountTable, row_indices: Sequence[int]) -> list[str]:
    """Frequencies of some rows as a Markdown table, with totals."""
    lines = ["| Kode | " + " | ".join(inline(c.label) for c in counts.columns) + " | Totalt |",
             "|---|" + "---:|" * (len(counts.columns) + 1)]
    for r in row_indices:
        values = counts.values[r]
        lines.append(f"| {inline(counts.rows[r].code)} | " + " | ".join(str(v) for v in values) + f" | {sum(values)} |")
    totals = [sum(counts.values[r][c] for r in row_indices) for c in range(len(counts.columns))]
    lines.append("| **Totalt** | " + " | ".join(str(v) for v in totals) + f" | {sum(totals)} |")
    return lines + [""]


def _cooccurrence_list(table: CooccurrenceTable) -> list[str]:
    pairs = table.pairs()
    lines = _heading(2, "Samforekomst")
    if not pairs:
        return lines + ["Ingen koder overlapper.", ""]
    lines += ["Kodepar som er brukt på overlappende tekst (antall par av kodinger):", ""]
    lines += [f"- {inline(a.code)} + {inline(b.code)}: {n}" for a, b, n in pairs]
    return lines + [""]


def matrix_markdown(
    *,
    title: str,
    matrix: QuoteMatrix | None,
    counts: CountTable,
    cooccurrence: CooccurrenceTable | None,
    about: Sequence[tuple[str, str]] = (),
    warning: str | None = None,
) -> str:
    """The matrix as Markdown: per main category a frequency table, then (unless counts only)
    each code's quotes column by column, each with its reference; ``warning`` first, bold."""
    lines = _warning(warning) + _heading(1, title)
    lines += [f"- {inline(key)}: {inline(value)}" for key, value in about] + ([""] if about else [])
    mains = list(dict.fromkeys(row.main_category for row in counts.rows))
    for main in mains:
        indices = [i for i, row in enumerate(counts.rows) if row.main_category == main]
        lines += _heading(2, main or NO_CATEGORY)
        lines += counts_table(counts, indices)
        if matrix is None:
            continue
        current: str | None = None
        for r in indices:
            row = matrix.rows[r]
            nested = row.category is not None and row.category != row.main_category
            if nested and row.category != current:
                current = row.category
                lines += _heading(3, row.category or "")
            lines += _heading(4 if nested else 3, row.code)
            if not any(matrix.cells[r]):
                lines += ["*Ingen sitater.*", ""]
            for column, cell in zip(matrix.columns, matrix.cells[r]):
                if not cell:
                    continue
                lines += [f"**{inline(column.label)}** ({len(cell)})", ""]
                lines += [f"- «{inline(q.text)}» — {inline(q.reference())}" for q in cell] + [""]
    if cooccurrence is not None:
        lines += _cooccurrence_list(cooccurrence)
    return "\n".join(lines).rstrip("\n") + "\n"


def _warning(text: str | None) -> list[str]:
    # Visible in every Markdown viewer (an HTML comment would be hidden exactly where it matters).
    return [f"> **{text}**", ""] if text else []


def chapter_markdown(chapter: Chapter) -> str:
    """Chapter quotes: headings per sub-category and code, the code's definition and memos as the
    introduction, each quote a block quote with its attribution."""
    lines: list[str] = []
    lines += _warning(chapter.warning)
    lines += _heading(1, chapter.title) + _paragraphs(chapter.introduction)
    current: str | None = None
    for section in chapter.sections:
        nested = section.category is not None and section.category != chapter.title
        if nested and section.category != current:
            current = section.category
            lines += _heading(2, section.category or "")
            lines += _paragraphs(chapter.category_introductions.get(section.category or "", ()))
        lines += _heading(3 if nested else 2, section.code) + _paragraphs(section.introduction)
        for quote in section.quotes:
            lines += [f"> {inline(quote.quoted())} {inline(quote.attribution)}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _entry_lines(entry: CodebookEntry) -> list[str]:
    lines = _heading(2 + entry.depth, entry.name + (" (kjernekategori)" if entry.core else ""))
    lines += _paragraphs([entry.description] if entry.description else [])
    facts: list[str] = []
    if entry.inclusion:
        facts.append(f"- **Brukes når:** {inline(entry.inclusion)}")
    if entry.exclusion:
        facts.append(f"- **Brukes ikke når:** {inline(entry.exclusion)}")
    facts.append(f"- **Antall:** {entry.codings} kodinger i {entry.documents} dokumenter")
    if entry.kind == "code" and entry.origin != "codebook":
        facts.append(f"- **Opprinnelse:** {ORIGIN_LABELS.get(entry.origin, entry.origin)}")
    lines += facts + [""]
    for memo in entry.memos:
        lines += [f"**Memo:** {inline(memo)}", ""]
    if entry.examples:
        lines += ["**Eksempler:**", ""]
        for quote in entry.examples:
            lines += [f"> {inline(quote.quoted())} {inline(quote.attribution)}", ""]
    elif entry.codebook_examples:
        lines += ["**Eksempler fra kodeboka:**", ""]
        for example in entry.codebook_examples:
            lines += [f"> «{inline(example)}»", ""]
    return lines


def codebook_markdown(document: CodebookDocument) -> str:
    """A codebook for a methods appendix: categories and codes in tree order with definitions,
    counts, memos and short examples."""
    lines: list[str] = []
    lines += _warning(document.warning)
    lines += _heading(1, document.title) + _paragraphs([document.description] if document.description else [])
    for entry in document.entries:
        lines += _entry_lines(entry)
    return "\n".join(lines).rstrip("\n") + "\n"


def memos_markdown(document: MemoDocument) -> str:
    """Memos kind by kind: each under a heading naming what it is about, with author and date,
    a coding memo with the coded words as a block quote."""
    lines: list[str] = []
    lines += _warning(document.warning)
    lines += _heading(1, document.title)
    lines += [f"- {inline(key)}: {inline(value)}" for key, value in document.about] + ([""] if document.about else [])
    for section in document.sections:
        lines += _heading(2, section.title)
        for item in section.items:
            lines += _heading(3, item.heading)
            lines += [f"*{inline(item.byline)}*", ""]
            if item.title:
                lines += [f"**{inline(item.title)}**", ""]
            if item.quote:
                lines += [f"> «{inline(item.quote)}»", ""]
            lines += _paragraphs([item.text])
    return "\n".join(lines).rstrip("\n") + "\n"
