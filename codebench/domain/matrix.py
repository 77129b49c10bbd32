"""Quote matrices and the other plain-data views that exports are written from.

A :class:`QuoteMatrix` puts every coded quote in exactly one cell: the row of its code (codes
grouped under their categories, in code-tree order) and the column of its informant role,
document, participant or interview round. Frequencies (:class:`CountTable`) and code
co-occurrence (:class:`CooccurrenceTable`) come from the same quotes, so every writer shows the
same numbers. :class:`Chapter` and :class:`CodebookDocument` hold quotes edited for a report:
Norwegian quotation marks, shortenings marked (…), attribution by role only.

Nothing here reads the database or writes a file: services gather the records, writers format them.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence, Union

from codebench.domain.records import ROLES, CodeInfo, Quote

COLUMN_KINDS: tuple[str, ...] = ("role", "document", "participant", "round")
"""What the columns of a matrix can stand for."""

REPORT_ROLES: tuple[str, ...] = ("veileder", "IA-rådgiver", "mentor", "arbeidsgiver")
"""The four perspectives of the analysis, in the order reports present them."""

COLUMN_TITLES: dict[str, str] = {"role": "Rolle", "document": "Dokument", "participant": "Deltaker", "round": "Runde"}
"""Norwegian heading for each column kind (exports are read by Norwegian research teams)."""

NO_CATEGORY = "Uten kategori"
"""Where codes outside every category are listed."""

WORKPLACE_KEYS: tuple[str, ...] = ("bransje", "arbeidsplasstype", "arbeidsplass", "sektor", "sector", "workplace", "industry")
"""Participant attributes that describe the kind of workplace, in order of preference.

Deliberately not ``site`` or ``kommune``: those name a place and identify the informant.
"""

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

    def position(self) -> str:
        """Where in the document: the speaker turn (1-based) when known, else the code points."""
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
) -> QuoteMatrix:
    """Put each quote in the cell of its code and its column.

    Args:
        quotes: retrieved quotes; those whose code is not among ``rows`` are left out.
        rows: the codes, from :func:`matrix_rows`.
        column_kind: one of :data:`COLUMN_KINDS`.
        column_keys: columns to show even when empty (default: the four roles for role columns).
        turn_starts: ``document id -> sorted start of each speaker turn``, to give turn numbers.

    Raises:
        ValueError: unknown ``column_kind``.
    """
    columns, placed = _place(quotes, rows, column_kind, column_keys)
    cells: list[list[list[MatrixQuote]]] = [[[] for _ in columns] for _ in rows]
    starts = turn_starts or {}
    # The hot loop of a 50,000-quote export: tuples are built directly (a NamedTuple's own
    # constructor is a Python call) and the turn is found inline.
    new = tuple.__new__
    for r, c, q in placed:
        turn_list = starts.get(q.document_id)
        turn = (bisect_right(turn_list, q.start) or None) if turn_list else None
        cells[r][c].append(new(MatrixQuote, (q.text, q.code, q.category, q.participant, q.role, q.document,
                                             q.document_id, q.round, q.start, q.end, q.coder, turn)))
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


# ---------------------------------------------------------------------------------------------
# Quotes edited for a report
# ---------------------------------------------------------------------------------------------

OMISSION = "(…)"
"""How a report marks left-out words inside a quote."""

# Transcription marks that mean nothing to a report reader. Pauses are removed because "(…)"
# in the finished quote must only ever mean that words were left out.
_PAUSE = re.compile(r"\(\s*(?:\.{1,4}|…)\s*\)")
_TIMESTAMP = re.compile(
    r"\[\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\]|#\d{1,2}:\d{2}:\d{2}(?:[-.,]\d+)?#|\{\d{1,2}:\d{2}:\d{2}\}"
)
_OVERLAP = re.compile(r"//")
_LABEL = re.compile(r"^\s*([^:\n]{1,40}):\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.!?;:])")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def edit_quote(text: str, speaker: str | None = None) -> str:
    """A coded segment as a report prints it: one paragraph without the informant's own speaker
    label, pause marks, timestamps or overlap marks, inner quotation marks made single.

    Other speakers' labels (an interviewer's question inside the segment) are kept so that the
    writer sees them and decides.
    """
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        label = _LABEL.match(line)
        if label and speaker and label.group(1).strip() == speaker.strip():
            line = line[label.end():]
        lines.append(line)
    edited = " ".join(lines)
    edited = _TIMESTAMP.sub(" ", edited)
    edited = _PAUSE.sub(" ", edited)
    edited = _OVERLAP.sub("", edited)
    edited = " ".join(edited.split())
    edited = _SPACE_BEFORE_PUNCT.sub(r"\1", edited)
    # Norwegian style: «outer», ‘inner’.
    return edited.replace("«", "‘").replace("»", "’")


def trim_quote(text: str, max_words: int | None) -> tuple[str, bool]:
    """Shorten a quote to about ``max_words`` words by leaving out its middle, marked (…).

    Whole sentences are kept where possible (the opening ones and the closing ones); a first
    sentence longer than the budget is cut between words instead.

    Returns:
        ``(text, trimmed)``; the text is unchanged when it is short enough or ``max_words`` is None.
    """
    words = text.split()
    if max_words is None or max_words <= 0 or len(words) <= max_words:
        return text, False
    head_budget = max(1, round(max_words * 0.6))
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    head: list[str] = []
    used = 0
    for sentence in sentences:
        n = len(sentence.split())
        if used + n > head_budget:
            break
        head.append(sentence)
        used += n
    if head:
        tail: list[str] = []
        tail_used = 0
        for sentence in reversed(sentences[len(head):]):
            n = len(sentence.split())
            if used + tail_used + n > max_words:
                break
            tail.insert(0, sentence)
            tail_used += n
        kept_head, kept_tail = " ".join(head), " ".join(tail)
    else:
        tail_budget = max_words - head_budget
        kept_head = " ".join(words[:head_budget])
        kept_tail = " ".join(words[len(words) - tail_budget:]) if tail_budget else ""
    return (f"{kept_head} {OMISSION} {kept_tail}" if kept_tail else f"{kept_head} {OMISSION}"), True


def workplace_of(attributes: Mapping[str, object]) -> str | None:
    """The kind of workplace a participant's attributes give (see :data:`WORKPLACE_KEYS`)."""
    lowered = {str(key).casefold(): value for key, value in attributes.items()}
    for key in WORKPLACE_KEYS:
        value = lowered.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def attribution(role: str | None, *, workplace: str | None = None, round: int | None = None,
                group: bool = False, survey: bool = False) -> str:
    """Who said it, by role only, e.g. ``(mentor, butikk, runde 2)``.

    Args:
        role: the informant's role (none or ``other``: "informant").
        workplace: a kind of workplace, never a place name.
        round: the interview round.
        group: the quote comes from a group interview.
        survey: the quote is a free-text survey answer (then no round).
    """
    parts = ["informant" if role in (None, "other") else str(role)]
    if group:
        parts.append("gruppeintervju")
    if workplace:
        parts.append(workplace)
    if survey:
        parts.append("spørreundersøkelse")
    elif round is not None:
        parts.append(f"runde {round}")
    return "(" + ", ".join(parts) + ")"


def distinct_passages(quotes: Sequence[Quote]) -> list[Quote]:
    """One quote per passage: of quotes of the same code in the same document whose spans
    overlap (two coders marking nearly the same words), only the longest is kept.

    Overlap chains count as one passage. The kept quotes stay in their original order.
    """
    order = sorted(range(len(quotes)), key=lambda i: (quotes[i].code, quotes[i].document_id, quotes[i].start, quotes[i].end))
    keep: set[int] = set()
    best: int | None = None
    reach = -1
    for i in order:
        quote = quotes[i]
        if best is not None:
            held = quotes[best]
            if held.code == quote.code and held.document_id == quote.document_id and quote.start < reach:
                reach = max(reach, quote.end)
                if quote.end - quote.start > held.end - held.start:
                    best = i
                continue
            keep.add(best)
        best, reach = i, quote.end
    if best is not None:
        keep.add(best)
    return [quotes[i] for i in sorted(keep)]


def short_examples(quotes: Sequence[Quote], count: int, *, ideal_words: int = 20, max_words: int = 40) -> list[Quote]:
    """Up to ``count`` short, telling quotes for a codebook: near ``ideal_words`` words, from
    different participants where possible, always the same choice for the same quotes."""
    if count <= 0:
        return []
    candidates: list[tuple[int, int, int, Quote]] = []
    for order, quote in enumerate(distinct_passages(quotes)):
        n = len(quote.text.split())
        too_long = n > max_words
        # Fragments under four words say little about a code; they come last.
        candidates.append((int(too_long), abs(n - ideal_words) if n >= 4 else ideal_words + 100, order, quote))
    candidates.sort(key=lambda item: item[:3])
    chosen: list[Quote] = []
    people: set[str | None] = set()
    for *_, quote in candidates:  # first pass: one per participant
        if quote.participant not in people:
            chosen.append(quote)
            people.add(quote.participant)
        if len(chosen) == count:
            return chosen
    for *_, quote in candidates:
        if quote not in chosen:
            chosen.append(quote)
        if len(chosen) == count:
            break
    return chosen


@dataclass(frozen=True)
class ChapterQuote:
    """A quote ready for a chapter: edited text and its attribution by role."""

    text: str
    attribution: str
    trimmed: bool = False

    def quoted(self) -> str:
        """The text in Norwegian quotation marks."""
        return f"«{self.text}»"


@dataclass(frozen=True)
class ChapterSection:
    """One code of a chapter: its introduction (definition, memos) and its quotes."""

    code: str
    category: str | None
    """The nearest category above the code, for a sub-heading."""
    introduction: tuple[str, ...]
    quotes: tuple[ChapterQuote, ...]


@dataclass(frozen=True)
class Chapter:
    """The quotes of one main category, code by code, for a report chapter."""

    title: str
    introduction: tuple[str, ...]
    sections: tuple[ChapterSection, ...]
    category_introductions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Descriptions of the sub-categories, printed under their headings."""
    anonymised: bool = True

    @property
    def quote_count(self) -> int:
        """How many quotes the chapter prints."""
        return sum(len(section.quotes) for section in self.sections)


@dataclass(frozen=True)
class CodebookEntry:
    """A category or code as a methods appendix describes it."""

    kind: str  # "category" | "code"
    name: str
    depth: int
    """0 for a main category; headings go one level deeper per step."""
    description: str | None = None
    inclusion: str | None = None
    exclusion: str | None = None
    memos: tuple[str, ...] = ()
    codings: int = 0
    documents: int = 0
    examples: tuple[ChapterQuote, ...] = ()
    """Short quotes from the coded material."""
    codebook_examples: tuple[str, ...] = ()
    """The codebook's own (often invented) examples, used when nothing is coded yet."""
    origin: str = "codebook"
    core: bool = False


@dataclass(frozen=True)
class CodebookDocument:
    """A readable codebook: categories and codes in tree order."""

    title: str
    description: str | None
    entries: tuple[CodebookEntry, ...]
    anonymised: bool = True
