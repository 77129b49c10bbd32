"""Long ("tidy") CSV: one row per quote, or one row per code and column for frequencies.

The shape R (readr, dplyr) and pandas read without reshaping. Plain UTF-8 with a header row,
comma-separated, every field that needs it quoted; line breaks inside a quote are kept.
"""

from __future__ import annotations

import csv
from typing import TextIO

from codebench.domain.matrix import CountTable, MatrixRow, QuoteMatrix

QUOTE_FIELDS: tuple[str, ...] = (
    "code", "category", "subcategory", "role", "participant", "round", "document", "turn", "page", "start",
    "end", "coder", "text",
)
"""Columns of the quotes CSV. ``category`` is the main category (as in ``codebench quotes``),
``subcategory`` the nearest category above the code when that is not the main one; ``page`` is
the page of a PDF report (empty for transcripts)."""


def _subcategory(row: MatrixRow) -> str:
    return row.category if row.category and row.category != row.main_category else ""


def write_quotes_csv(out: TextIO, matrix: QuoteMatrix) -> int:
    """Write every quote of the matrix, row by row (codes in tree order); returns the count.

    Args:
        out: a text stream opened with ``newline=""``.
        matrix: the quotes; its column kind does not matter, every dimension is a field.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(QUOTE_FIELDS)
    n = 0
    for row, _, quote in matrix.iter_quotes():
        writer.writerow((
            row.code, row.main_category or "", _subcategory(row), quote.role or "", quote.participant or "",
            "" if quote.round is None else quote.round, quote.document, "" if quote.turn is None else quote.turn,
            "" if quote.page is None else quote.page, quote.start, quote.end, quote.coder, quote.text,
        ))
        n += 1
    return n


def write_counts_csv(out: TextIO, counts: CountTable) -> int:
    """Write one row per code and column: ``code, category, subcategory, <kind>, count``.

    Every cell is written, zeros included, so that sums and averages come out right. Returns the
    number of data rows.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("code", "category", "subcategory", counts.column_kind, "count"))
    n = 0
    for row, values in zip(counts.rows, counts.values):
        for column, value in zip(counts.columns, values):
            writer.writerow((row.code, row.main_category or "", _subcategory(row), column.label, value))
            n += 1
    return n
