"""The quote matrix as an Excel workbook.

One sheet per main category (codes as rows, grouped under their categories; quotes in the
cells), an "Antall" sheet with the frequencies, a "Samforekomst" sheet with code co-occurrence
and an "Om eksporten" sheet saying what was exported. Written in openpyxl's write-only mode:
a large project's matrix holds tens of thousands of quotes, and streaming rows keeps both time
and memory flat.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from codebench.domain.matrix import (
    NO_CATEGORY, CooccurrenceTable, CountTable, MatrixQuote, QuoteMatrix,
)

EXCEL_CELL_LIMIT = 32_767
"""Excel refuses to show more characters than this in one cell."""

_BLANK_LINES = re.compile(r"\n\s*\n")
_CELL_BUDGET = 32_000  # room under the limit for the joining blank lines
_FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CODE_FONT = Font(bold=True)

COUNTS_SHEET = "Antall"
COOCCURRENCE_SHEET = "Samforekomst"
ABOUT_SHEET = "Om eksporten"


def clean_text(value: str) -> str:
    """Text Excel accepts: control characters (other than tab and line feed) removed."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name for ``name`` (Excel: at most 31 characters, no []:*?/\\,
    unique regardless of case)."""
    base = " ".join(name.translate(_FORBIDDEN_IN_SHEET_NAMES).split()).strip("'") or "Ark"
    base = base[:31]
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def quote_cell_text(quote: MatrixQuote) -> str:
    """A quote as a matrix cell shows it: the text in «», then where it comes from.

    Line breaks inside a quote (a segment spanning two turns) are kept, but never a blank line:
    blank lines separate the quotes of a cell.
    """
    text = quote.text.strip()
    if "\n\n" in text:
        text = _BLANK_LINES.sub("\n", text)
    return f"«{text}» [{quote.reference()}]"


def split_for_cells(texts: Sequence[str], budget: int = _CELL_BUDGET) -> list[str]:
    """Join quote texts with blank lines into as few cells as fit under Excel's cell limit.

    A quote is never split between two cells unless it alone is longer than a cell; then it is
    cut and marked (…).
    """
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for text in texts:
        if len(text) > budget:
            text = text[: budget - 4] + " (…)"
        if current and size + 2 + len(text) > budget:
            chunks.append("\n\n".join(current))
            current, size = [], 0
        current.append(text)
        size += len(text) + (2 if size else 0)
    if current:
        chunks.append("\n\n".join(current))
    return chunks


class _SheetWriter:
    """Builds styled write-only cells for one sheet."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet

    def text(self, value: str | None, *, header: bool = False, bold: bool = False) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=clean_text(value) if value else None)
        if value:
            cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.alignment = _WRAP
        if header:
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
        elif bold:
            cell.font = _CODE_FONT
        return cell

    def number(self, value: int | None, *, bold: bool = False) -> WriteOnlyCell | int | None:
        if not bold:
            return value  # an unstyled value needs no cell object (thousands of them in co-occurrence)
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.font = _CODE_FONT
        return cell


def _set_widths(sheet: Any, widths: Sequence[float]) -> None:
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width


def _quote_sheet(book: Workbook, title: str, matrix: QuoteMatrix, row_indices: list[int]) -> None:
    sheet = book.create_sheet(title)
    many = len(matrix.columns) > 8
    _set_widths(sheet, [22, 26] + [40 if many else 60] * len(matrix.columns))
    sheet.freeze_panes = "C2"
    cells = _SheetWriter(sheet)
    sheet.append([cells.text("Kategori", header=True), cells.text("Kode", header=True)]
                 + [cells.text(column.label, header=True) for column in matrix.columns])
    for r in row_indices:
        row = matrix.rows[r]
        per_column = [split_for_cells([quote_cell_text(q) for q in cell]) for cell in matrix.cells[r]]
        lines = max([len(chunks) for chunks in per_column] + [1])
        for k in range(lines):
            # A cell too full for Excel continues on the next sheet row, marked as such.
            code = row.code if k == 0 else f"{row.code} (forts.)"
            sheet.append(
                [cells.text(row.category if row.category != row.main_category else None), cells.text(code, bold=True)]
                + [cells.text(chunks[k] if k < len(chunks) else None) for chunks in per_column]
            )


def _counts_sheet(book: Workbook, counts: CountTable) -> None:
    sheet = book.create_sheet(COUNTS_SHEET)
    _set_widths(sheet, [18, 24, 28] + [14] * len(counts.columns) + [10])
    sheet.freeze_panes = "D2"
    cells = _SheetWriter(sheet)
    sheet.append([cells.text(t, header=True) for t in ("Hovedkategori", "Kategori", "Kode")]
                 + [cells.text(c.label, header=True) for c in counts.columns] + [cells.text("Totalt", header=True)])
    for row, values, total in zip(counts.rows, counts.values, counts.row_totals):
        sheet.append([cells.text(row.main_category or NO_CATEGORY), cells.text(row.category), cells.text(row.code)]
                     + [cells.number(v) for v in values] + [cells.number(total, bold=True)])
    sheet.append([cells.text("Totalt", bold=True), cells.text(None), cells.text(None)]
                 + [cells.number(v, bold=True) for v in counts.column_totals] + [cells.number(counts.total, bold=True)])


def _cooccurrence_sheet(book: Workbook, table: CooccurrenceTable) -> None:
    sheet = book.create_sheet(COOCCURRENCE_SHEET)
    _set_widths(sheet, [18, 28] + [12] * len(table.rows))
    sheet.freeze_panes = "C2"
    cells = _SheetWriter(sheet)
    sheet.append([cells.text("Hovedkategori", header=True), cells.text("Kode", header=True)]
                 + [cells.text(row.code, header=True) for row in table.rows])
    for i, row in enumerate(table.rows):
        sheet.append([cells.text(row.main_category or NO_CATEGORY), cells.text(row.code, bold=True)]
                     + [cells.number(v if j != i else None) for j, v in enumerate(table.values[i])])


def _about_sheet(book: Workbook, about: Sequence[tuple[str, str]]) -> None:
    sheet = book.create_sheet(ABOUT_SHEET)
    _set_widths(sheet, [24, 80])
    cells = _SheetWriter(sheet)
    for key, value in about:
        sheet.append([cells.text(key, bold=True), cells.text(value)])


def write_matrix_xlsx(
    path: str | Path,
    *,
    matrix: QuoteMatrix | None,
    counts: CountTable,
    cooccurrence: CooccurrenceTable | None,
    about: Sequence[tuple[str, str]] = (),
) -> list[str]:
    """Write the workbook.

    Args:
        path: the .xlsx file to write.
        matrix: the quotes (None for the counts-only variant: no quote sheets).
        counts: frequencies for the "Antall" sheet.
        cooccurrence: code co-occurrence for the "Samforekomst" sheet (None: no sheet).
        about: ``(label, value)`` lines for the "Om eksporten" sheet.

    Returns:
        The sheet names, in order.
    """
    book = Workbook(write_only=True)
    book.properties.creator = "codebench"  # not the default library name, and never a user name
    taken = {COUNTS_SHEET.casefold(), COOCCURRENCE_SHEET.casefold(), ABOUT_SHEET.casefold()}
    names: list[str] = []
    if matrix is not None:
        for main in matrix.main_categories():
            title = sheet_title(main or NO_CATEGORY, taken)
            _quote_sheet(book, title, matrix, matrix.row_indices(main))
            names.append(title)
    _counts_sheet(book, counts)
    names.append(COUNTS_SHEET)
    if cooccurrence is not None:
        _cooccurrence_sheet(book, cooccurrence)
        names.append(COOCCURRENCE_SHEET)
    _about_sheet(book, about)
    names.append(ABOUT_SHEET)
    # Saved through a ZIP archive of our own for its compression level: at openpyxl's default,
    # deflating the text of 50,000 quotes took longer than writing the sheets. Level 1 makes
    # the file about a fifth larger and is several times faster.
    book.properties.modified = datetime.now(timezone.utc).replace(tzinfo=None)
    with ZipFile(str(path), "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1) as archive:
        ExcelWriter(book, archive).save()
    return names
