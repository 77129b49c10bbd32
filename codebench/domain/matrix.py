"""Quote matrices and the counts that exports are written from.

A :class:`QuoteMatrix` puts every coded quote in exactly one cell: the row of its code (codes
grouped under their categories, in code-tree order) and the column of its informant role,
document, participant or interview round. Frequencies (:class:`CountTable`) and code
co-occurrence (:class:`CooccurrenceTable`) come from the same quotes, so every writer shows the
same numbers. Quotes edited for a report live in :mod:`codebench.domain.quote_editing`, the
chapter and codebook documents built from them in :mod:`codebench.domain.report_models`.

Nothing here reads the database or writes a file: services gather the records, writers format them.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from operator import attrgetter
from typing import Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence, Union

from codebench.domain.quote_editing import without_time_marks
from codebench.domain.records import ROLES, CodeInfo, Quote

COLUMN_KINDS: tuple[str, ...] = ("role", "document", "participant", "round")
"""What the columns of a matrix can stand for."""

REPORT_ROLES: tuple[str, ...] = ("veileder", "IA-rådgiver", "mentor", "arbeidsgiver")
"""The four perspectives of the analysis, in the order reports present them."""

COLUMN_TITLES: dict[str, str] = {"role": "Rolle", "document": "Dokument", "participant": "Deltaker", "round": "Runde"}
"""Norwegian heading for each column kind (exports are read by Norwegian research teams)."""

NO_CATEGORY = "Uten kategori"
"""Where codes outside every category are listed."""

ColumnKey = Union[str, int, None]


# ---------------------------------------------------------------------------------------------
# Rows, columns, cells
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixRow:
    """One code of a matrix and the categories it sits under."""

    code: str
    main_category: str | None
    """The top-level category (a sheet or chapter), None for a code outside every category."""
    category: str | None
    """The nearest category above the code; the main category itself for codes directly below it."""
    code_id: int


@dataclass(frozen=True)
class MatrixColumn:
    """One column: the value quotes are sorted by (role, document id, participant id or round)."""

    key: ColumnKey
    label: str


class MatrixQuote(NamedTuple):
    """A quote in a cell, with what a reader needs to find it again.

    A NamedTuple because a large project puts 50,000 of these in one matrix.
    """

    text: str
    code: str
    category: str | None
    participant: str | None
    role: str | None
    document: str
    document_id: int
    round: int | None
    start: int
    end: int
    coder: str
    turn: int | None = None
    page: int | None = None

    def position(self) -> str:
        """Where in the document: the page of a report (as a chapter cites it, ``s. 12``), else
        the speaker turn (1-based) when known, else the code points."""
        if self.page is not None:
            return f"s. {self.page}"
        return f"tur {self.turn}" if self.turn is not None else f"tegn {self.start}–{self.end}"

    def reference(self) -> str:
        """``participant, role, document, position``, e.g. ``M01, mentor, Intervju M01 runde 1, tur 12``."""
        parts = [self.participant, role_label(self.role) if self.role else None, self.document, self.position()]
        return ", ".join(p for p in parts if p)


def role_label(role: str | None) -> str:
    """How a role is written in an export (the canonical name; ``other`` and none are 'annen')."""
    if role is None or role == "other":
        return "annen"
    return role


def column_label(kind: str, key: ColumnKey, document_names: Mapping[int, str] | None = None) -> str:
    """The heading of the column ``key`` of a matrix whose columns are ``kind``."""
    if kind == "role":
        return role_label(str(key)) if key is not None else "(uten rolle)"
    if kind == "round":
        return f"runde {key}" if key is not None else "(uten runde)"
    if kind == "participant":
        return str(key) if key is not None else "(uten deltaker)"
    if document_names is not None and isinstance(key, int) and key in document_names:
        return document_names[key]
    return str(key)


def matrix_rows(tree: Sequence[CodeInfo], categories: Sequence[str] | None = None) -> list[MatrixRow]:
    """The codes of ``tree`` in tree order with their categories.

    Args:
        tree: the code tree, parents before children, siblings in order (``services.code_tree``).
        categories: only codes below these categories (names match regardless of case).

    Raises:
        ValueError: a name in ``categories`` is not a category of the tree.
    """
    by_id = {info.id: info for info in tree}
    selected: set[int] | None = None
    if categories:
        by_name = {info.name.casefold(): info for info in tree}
        selected = set()
        for name in categories:
            node = by_name.get(name.strip().casefold())
            if node is None:
                raise ValueError(f"no category called {name!r}")
            if node.kind != "category":
                raise ValueError(f"{node.name!r} is a code, not a category")
            selected.add(node.id)
    rows: list[MatrixRow] = []
    for info in tree:
        if info.kind != "code":
            continue
        chain: list[CodeInfo] = []
        parent = by_id.get(info.parent_id) if info.parent_id is not None else None
        while parent is not None:
            chain.append(parent)
            parent = by_id.get(parent.parent_id) if parent.parent_id is not None else None
        if selected is not None and not any(node.id in selected for node in chain):
            continue
        main = chain[-1].name if chain and chain[-1].kind == "category" else None
        nearest = chain[0].name if chain else None
        rows.append(MatrixRow(info.name, main, nearest, info.id))
    return rows


_KEY_FIELDS = {"role": "role", "document": "document_id", "participant": "participant", "round": "round"}


def _column_key(kind: str) -> Callable[[Quote], ColumnKey]:
    """The function giving a quote's column value for columns of ``kind``."""
    return attrgetter(_KEY_FIELDS[kind])


def _natural(text: str) -> tuple[object, ...]:
    """Sort key that puts M2 before M10."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text))


def matrix_columns(kind: str, quotes: Iterable[Quote], keys: Sequence[ColumnKey] | None = None) -> list[MatrixColumn]:
    """The columns a matrix needs: ``keys`` (default: the four roles for role columns), then
    every other value the quotes have, so that no quote is ever left without a column.

    Raises:
        ValueError: ``kind`` is not one of :data:`COLUMN_KINDS`.
    """
    if kind not in COLUMN_KINDS:
        raise ValueError(f"unknown column kind {kind!r}; use one of: {', '.join(COLUMN_KINDS)}")
    key_of = _column_key(kind)
    present: dict[ColumnKey, Quote] = {}
    roles_of: dict[ColumnKey, str | None] = {}
    for quote in quotes:
        key = key_of(quote)
        if key not in present:
            present[key] = quote
            roles_of[key] = quote.role
    chosen: list[ColumnKey] = list(keys) if keys is not None else (list(REPORT_ROLES) if kind == "role" else [])
    extra = [key for key in present if key not in set(chosen)]
    role_order = {role: i for i, role in enumerate(ROLES)}
    if kind == "role":
        extra.sort(key=lambda k: (k is None, role_order.get(k, len(ROLES)) if isinstance(k, str) else 0))
    elif kind == "document" or kind == "round":
        extra.sort(key=lambda k: (k is None, k if isinstance(k, int) else 0))
    else:  # participants grouped by role, in report order, then by natural id
        extra.sort(key=lambda k: (k is None, role_order.get(roles_of.get(k) or "", len(ROLES)), _natural(str(k))))
    names = {quote.document_id: quote.document for quote in present.values()} if kind == "document" else None
    return [MatrixColumn(key, column_label(kind, key, names)) for key in [*chosen, *extra]]


def turn_number(turn_starts: Sequence[int] | None, position: int) -> int | None:
    """The 1-based number of the speaker turn that contains ``position`` (None before the first turn)."""
    if not turn_starts:
        return None
    number = bisect_right(turn_starts, position)
    return number or None


@dataclass
class QuoteMatrix:
    """Codes × columns, each cell the quotes of that code in that column.

    ``cells[r][c]`` holds the quotes of ``rows[r]`` in ``columns[c]``, in retrieval order
    (document, then position).
    """

    column_kind: str
    rows: list[MatrixRow]
    columns: list[MatrixColumn]
    cells: list[list[list[MatrixQuote]]]

    @property
    def quote_count(self) -> int:
        """How many quotes the matrix holds."""
        return sum(len(cell) for row in self.cells for cell in row)

    def main_categories(self) -> list[str | None]:
        """The main categories of the rows, in tree order (None for codes outside every category)."""
        seen: dict[str | None, None] = {}
        for row in self.rows:
            seen.setdefault(row.main_category, None)
        return list(seen)

    def row_indices(self, main_category: str | None) -> list[int]:
        """Indices of the rows under ``main_category``."""
        return [i for i, row in enumerate(self.rows) if row.main_category == main_category]

    def row_quotes(self, row: int) -> list[MatrixQuote]:
        """Every quote of one row, column by column."""
        return [quote for cell in self.cells[row] for quote in cell]

    def counts(self) -> CountTable:
        """How many quotes each cell holds."""
        values = [[len(cell) for cell in row] for row in self.cells]
        return CountTable(self.column_kind, self.rows, self.columns, values)

    def iter_quotes(self) -> Iterator[tuple[MatrixRow, MatrixColumn, MatrixQuote]]:
        """Every quote with its row and column, row by row."""
        for row, cells in zip(self.rows, self.cells):
            for column, cell in zip(self.columns, cells):
                for quote in cell:
                    yield row, column, quote


def _place(quotes: Iterable[Quote], rows: Sequence[MatrixRow], kind: str,
           keys: Sequence[ColumnKey] | None) -> tuple[list[MatrixColumn], list[tuple[int, int, Quote]]]:
    """Columns, and ``(row index, column index, quote)`` for every quote whose code is a row."""
    index = {row.code: i for i, row in enumerate(rows)}
    kept = [(index[q.code], q) for q in quotes if q.code in index]
    columns = matrix_columns(kind, (q for _, q in kept), keys)
    column_index = {column.key: i for i, column in enumerate(columns)}
    key_of = _column_key(kind)
    return columns, [(r, column_index[key_of(q)], q) for r, q in kept]


def build_quote_matrix(
    quotes: Iterable[Quote],
    rows: Sequence[MatrixRow],
    column_kind: str = "role",
    *,
    column_keys: Sequence[ColumnKey] | None = None,
    turn_starts: Mapping[int, Sequence[int]] | None = None,
    page_starts: Mapping[int, Sequence[int]] | None = None,
) -> QuoteMatrix:
    """Put each quote in the cell of its code and its column.

    Args:
        quotes: retrieved quotes; those whose code is not among ``rows`` are left out.
        rows: the codes, from :func:`matrix_rows`.
        column_kind: one of :data:`COLUMN_KINDS`.
        column_keys: columns to show even when empty (default: the four roles for role columns).
        turn_starts: ``document id -> sorted start of each speaker turn``, to give turn numbers.
        page_starts: ``document id -> sorted start of each page`` for paged documents (PDF), to
            give page numbers.

    Raises:
        ValueError: unknown ``column_kind``.
    """
    columns, placed = _place(quotes, rows, column_kind, column_keys)
    cells: list[list[list[MatrixQuote]]] = [[[] for _ in columns] for _ in rows]
    starts = turn_starts or {}
    pages = page_starts or {}
    # The hot loop of a 50,000-quote export: tuples are built directly (a NamedTuple's own
    # constructor is a Python call) and the turn is found inline.
    new = tuple.__new__
    clean = without_time_marks  # readers get no transcript time marks (see quote_editing)
    for r, c, q in placed:
        turn_list = starts.get(q.document_id)
        turn = (bisect_right(turn_list, q.start) or None) if turn_list else None
        page_list = pages.get(q.document_id)
        page = (bisect_right(page_list, q.start) or None) if page_list else None
        cells[r][c].append(new(MatrixQuote, (clean(q.text), q.code, q.category, q.participant, q.role, q.document,
                                             q.document_id, q.round, q.start, q.end, q.coder, turn, page)))
    return QuoteMatrix(column_kind, list(rows), columns, cells)


# ---------------------------------------------------------------------------------------------
# Frequencies and co-occurrence
# ---------------------------------------------------------------------------------------------


@dataclass
class CountTable:
    """Code × column frequencies: ``values[r][c]`` quotes of ``rows[r]`` in ``columns[c]``."""

    column_kind: str
    rows: list[MatrixRow]
    columns: list[MatrixColumn]
    values: list[list[int]]

    @property
    def row_totals(self) -> list[int]:
        """Quotes per code."""
        return [sum(row) for row in self.values]

    @property
    def column_totals(self) -> list[int]:
        """Quotes per column."""
        return [sum(row[c] for row in self.values) for c in range(len(self.columns))]

    @property
    def total(self) -> int:
        """All quotes counted."""
        return sum(self.row_totals)

    @property
    def maximum(self) -> int:
        """The largest cell (0 for an empty table)."""
        return max((v for row in self.values for v in row), default=0)


def count_table(
    quotes: Iterable[Quote],
    rows: Sequence[MatrixRow],
    column_kind: str = "role",
    *,
    column_keys: Sequence[ColumnKey] | None = None,
) -> CountTable:
    """Frequencies without building the quote cells (same rows and columns as the matrix)."""
    columns, placed = _place(quotes, rows, column_kind, column_keys)
    values = [[0] * len(columns) for _ in rows]
    for r, c, _ in placed:
        values[r][c] += 1
    return CountTable(column_kind, list(rows), columns, values)


@dataclass
class CooccurrenceTable:
    """How often two codes were applied to overlapping text.

    ``values[i][j]`` is the number of pairs (a coding of ``rows[i]``, a coding of ``rows[j]``)
    in the same document whose spans share at least one character. The table is symmetric;
    the diagonal is 0 (a code is not counted against itself).
    """

    rows: list[MatrixRow]
    values: list[list[int]]

    def pairs(self) -> list[tuple[MatrixRow, MatrixRow, int]]:
        """The code pairs that co-occur, most frequent first (ties in tree order)."""
        found = [
            (self.values[i][j], i, j)
            for i in range(len(self.rows)) for j in range(i + 1, len(self.rows)) if self.values[i][j]
        ]
        found.sort(key=lambda item: (-item[0], item[1], item[2]))
        return [(self.rows[i], self.rows[j], n) for n, i, j in found]

    @property
    def maximum(self) -> int:
        """The largest count off the diagonal (0 when nothing co-occurs)."""
        return max((v for row in self.values for v in row), default=0)


def cooccurrence(quotes: Iterable[Quote], rows: Sequence[MatrixRow]) -> CooccurrenceTable:
    """Count overlapping codings of different codes, document by document.

    Codings of every coder count: with a coder filter upstream the table is one coder's. Empty
    spans overlap nothing.
    """
    index = {row.code: i for i, row in enumerate(rows)}
    by_document: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for quote in quotes:
        i = index.get(quote.code)
        if i is not None and quote.end > quote.start:
            by_document[quote.document_id].append((quote.start, quote.end, i))
    values = [[0] * len(rows) for _ in rows]
    for spans in by_document.values():
        # A sweep over spans sorted by start: an earlier span overlaps a later one exactly when
        # it ends after the later one starts, so only still-open spans need comparing; a heap
        # keyed on the end drops the closed ones.
        spans.sort()
        open_spans: list[tuple[int, int]] = []  # heap of (end, row)
        for start, end, i in spans:
            while open_spans and open_spans[0][0] <= start:
                heapq.heappop(open_spans)
            for _, j in open_spans:
                if j != i:
                    values[i][j] += 1
                    values[j][i] += 1
            heapq.heappush(open_spans, (end, i))
    return CooccurrenceTable(list(rows), values)

