"""Word documents for writing: chapter quotes, the codebook, the quote matrix.

Quotes use one paragraph style, "Sitat" (indented block quote), so that a researcher restyles
every quote of a chapter at once to match the report template. Named ``word`` rather than
``docx`` so that it never shadows the python-docx package.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Sequence

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Pt, RGBColor

from codebench.domain.matrix import NO_CATEGORY, CooccurrenceTable, CountTable, QuoteMatrix
from codebench.domain.report_models import Chapter, CodebookDocument, MemoDocument

QUOTE_STYLE = "Sitat"
"""Paragraph style of every block quote."""

ORIGIN_LABELS = {"codebook": "kodeboka", "open": "åpen koding", "in-vivo": "in vivo-kode"}

# Characters XML 1.0 cannot hold; python-docx refuses them, transcripts occasionally have them.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_GREY = RGBColor(0x55, 0x55, 0x55)


def _x(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def _new_document(title: str) -> Any:
    document = Document()
    properties = document.core_properties
    # The template's defaults name the library; a user name must never end up here either.
    properties.author = "codebench"
    properties.last_modified_by = "codebench"
    properties.comments = ""
    properties.title = _x(title)
    style = document.styles.add_style(QUOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.size = Pt(10)
    style.paragraph_format.left_indent = Cm(1.0)
    style.paragraph_format.right_indent = Cm(1.0)
    style.paragraph_format.space_after = Pt(8)
    return document


def _paragraphs(document: Any, texts: Sequence[str]) -> None:
    for text in texts:
        for paragraph in re.split(r"\n\s*\n", text.strip()):
            if paragraph.strip():
                document.add_paragraph(_x(" ".join(paragraph.split())))


def _quote(document: Any, quoted: str, source: str, *, grey_source: bool = False) -> None:
    paragraph = document.add_paragraph(style=QUOTE_STYLE)
    paragraph.add_run(_x(quoted) + " ")
    run = paragraph.add_run(_x(source))
    if grey_source:
        run.font.color.rgb = _GREY


def _heading(document: Any, text: str, level: int) -> None:
    document.add_heading(_x(text), level=min(max(level, 0), 9))


def _warning(document: Any, text: str | None) -> None:
    """A bold first paragraph the reader cannot miss (original text, anonymisation not finished)."""
    if text:
        document.add_paragraph().add_run(text).bold = True


def write_chapter_docx(path: str | Path, chapter: Chapter) -> None:
    """Chapter quotes: a heading per sub-category and code, the code's definition and memos,
    then its quotes as block quotes «…» with their attribution by role."""
    document = _new_document(chapter.title)
    _warning(document, chapter.warning)
    _heading(document, chapter.title, 1)
    _paragraphs(document, chapter.introduction)
    current: str | None = None
    for section in chapter.sections:
        nested = section.category is not None and section.category != chapter.title
        if nested and section.category != current:
            current = section.category
            _heading(document, section.category or "", 2)
            _paragraphs(document, chapter.category_introductions.get(section.category or "", ()))
        _heading(document, section.code, 3 if nested else 2)
        _paragraphs(document, section.introduction)
        for quote in section.quotes:
            _quote(document, quote.quoted(), quote.attribution)
    document.save(str(path))


def write_codebook_docx(path: str | Path, book: CodebookDocument) -> None:
    """The codebook for a methods appendix: headings follow the tree; each entry has its
    definition, when to use it and not, counts, memos and short examples."""
    document = _new_document(book.title)
    _warning(document, book.warning)
    _heading(document, book.title, 1)
    if book.description:
        _paragraphs(document, [book.description])
    for entry in book.entries:
        _heading(document, entry.name + (" (kjernekategori)" if entry.core else ""), 2 + entry.depth)
        if entry.description:
            _paragraphs(document, [entry.description])
        facts = []
        if entry.inclusion:
            facts.append(("Brukes når: ", entry.inclusion))
        if entry.exclusion:
            facts.append(("Brukes ikke når: ", entry.exclusion))
        facts.append(("Antall: ", f"{entry.codings} kodinger i {entry.documents} dokumenter"))
        if entry.kind == "code" and entry.origin != "codebook":
            facts.append(("Opprinnelse: ", ORIGIN_LABELS.get(entry.origin, entry.origin)))
        for memo in entry.memos:
            facts.append(("Memo: ", memo))
        for label, value in facts:
            paragraph = document.add_paragraph()
            paragraph.add_run(label).bold = True
            paragraph.add_run(_x(" ".join(value.split())))
        if entry.examples:
            document.add_paragraph().add_run("Eksempler:").bold = True
            for quote in entry.examples:
                _quote(document, quote.quoted(), quote.attribution)
        elif entry.codebook_examples:
            document.add_paragraph().add_run("Eksempler fra kodeboka:").bold = True
            for example in entry.codebook_examples:
                document.add_paragraph(_x(f"«{' '.join(example.split())}»"), style=QUOTE_STYLE)
    document.save(str(path))


def write_memos_docx(path: str | Path, memos: MemoDocument) -> None:
    """Memos kind by kind: a heading per memo naming what it is about, author and date in grey,
    a coding memo's coded words as a block quote, then the memo's paragraphs."""
    document = _new_document(memos.title)
    _warning(document, memos.warning)
    _heading(document, memos.title, 1)
    for key, value in memos.about:
        paragraph = document.add_paragraph()
        paragraph.add_run(_x(key) + ": ").bold = True
        paragraph.add_run(_x(value))
    for section in memos.sections:
        _heading(document, section.title, 2)
        for item in section.items:
            _heading(document, item.heading, 3)
            byline = document.add_paragraph().add_run(_x(item.byline))
            byline.font.color.rgb = _GREY
            if item.title:
                document.add_paragraph().add_run(_x(item.title)).bold = True
            if item.quote:
                document.add_paragraph(_x(f"«{' '.join(item.quote.split())}»"), style=QUOTE_STYLE)
            _paragraphs(document, [item.text])
    document.save(str(path))


def _counts_table(document: Any, counts: CountTable, rows: Sequence[int]) -> None:
    table = document.add_table(rows=1, cols=len(counts.columns) + 2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    for cell, label in zip(header, ["Kode", *(c.label for c in counts.columns), "Totalt"]):
        cell.text = ""
        cell.paragraphs[0].add_run(_x(label)).bold = True
    for r in rows:
        cells = table.add_row().cells
        values = counts.values[r]
        for cell, value in zip(cells, [counts.rows[r].code, *map(str, values), str(sum(values))]):
            cell.text = _x(value)


def write_matrix_docx(
    path: str | Path,
    *,
    title: str,
    matrix: QuoteMatrix | None,
    counts: CountTable,
    cooccurrence: CooccurrenceTable | None,
    about: Sequence[tuple[str, str]] = (),
    warning: str | None = None,
) -> None:
    """The matrix as a document: per main category a frequency table, then each code's quotes
    column by column with their references; ``warning`` as the bold first paragraph."""
    document = _new_document(title)
    _warning(document, warning)
    _heading(document, title, 0)  # the title style: main categories are the level-1 headings
    for key, value in about:
        paragraph = document.add_paragraph()
        paragraph.add_run(_x(key) + ": ").bold = True
        paragraph.add_run(_x(value))
    mains = list(dict.fromkeys(row.main_category for row in counts.rows))
    for main in mains:
        rows = [i for i, row in enumerate(counts.rows) if row.main_category == main]
        _heading(document, main or NO_CATEGORY, 1)
        _counts_table(document, counts, rows)
        if matrix is None:
            continue
        current: str | None = None
        for r in rows:
            row = matrix.rows[r]
            nested = row.category is not None and row.category != row.main_category
            if nested and row.category != current:
                current = row.category
                _heading(document, row.category or "", 2)
            _heading(document, row.code, 3 if nested else 2)
            for column, cell in zip(matrix.columns, matrix.cells[r]):
                if not cell:
                    continue
                document.add_paragraph().add_run(_x(f"{column.label} ({len(cell)})")).bold = True
                for quote in cell:
                    _quote(document, f"«{' '.join(quote.text.split())}»", f"[{quote.reference()}]", grey_source=True)
    if cooccurrence is not None:
        _heading(document, "Samforekomst", 1)
        pairs = cooccurrence.pairs()
        if not pairs:
            document.add_paragraph("Ingen koder overlapper.")
        for a, b, n in pairs:
            document.add_paragraph(_x(f"{a.code} + {b.code}: {n}"), style="List Bullet")
    document.save(str(path))
