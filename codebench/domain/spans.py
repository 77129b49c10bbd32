"""Half-open text spans and offset maps.

Every position in codebench is a Unicode code point index into a document's stored text
(LF line ends), and every span is half-open: ``[start, end)``. Conversions to other units
(UTF-16 for NVivo, UTF-8 bytes for widgets) happen at the edges, through :class:`OffsetMap`
or the helpers at the bottom of this module.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterable, Sequence


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """A half-open range ``[start, end)`` of code points."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    @property
    def is_empty(self) -> bool:
        """True for a zero-length span (a caret position)."""
        return self.end == self.start

    def overlaps(self, other: Span) -> bool:
        """True when the two spans share at least one code point."""
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        """True when ``other`` lies entirely inside this span."""
        return self.start <= other.start and other.end <= self.end

    def contains_point(self, pos: int) -> bool:
        """True when code point ``pos`` lies inside the span."""
        return self.start <= pos < self.end

    def intersection(self, other: Span) -> Span | None:
        """The shared part of two spans, or None when they do not overlap."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Span(start, end) if start < end else None

    def overlap_length(self, other: Span) -> int:
        """Number of code points the two spans share."""
        return max(0, min(self.end, other.end) - max(self.start, other.start))

    def union_length(self, other: Span) -> int:
        """Length of the union of two spans (touching or not)."""
        return len(self) + len(other) - self.overlap_length(other)

    def shifted(self, delta: int) -> Span:
        """The span moved by ``delta`` code points."""
        return Span(self.start + delta, self.end + delta)

    def clamp(self, length: int) -> Span:
        """The span cut to ``[0, length)``."""
        return Span(min(self.start, length), min(self.end, length))


def merge_spans(spans: Iterable[Span], *, join_touching: bool = True) -> list[Span]:
    """Union of spans as a sorted list of disjoint spans.

    Args:
        spans: any spans, in any order, possibly overlapping.
        join_touching: also join spans that merely touch (``[0,3)`` and ``[3,5)``).
    """
    ordered = sorted(s for s in spans if not s.is_empty)
    merged: list[Span] = []
    for span in ordered:
        if merged:
            last = merged[-1]
            if span.start < last.end or (join_touching and span.start == last.end):
                if span.end > last.end:
                    merged[-1] = Span(last.start, span.end)
                continue
        merged.append(span)
    return merged


def total_length(spans: Iterable[Span]) -> int:
    """Number of code points covered by the union of ``spans``."""
    return sum(len(s) for s in merge_spans(spans))


def subtract_spans(base: Span, holes: Iterable[Span]) -> list[Span]:
    """The parts of ``base`` not covered by any of ``holes``."""
    pieces: list[Span] = []
    cursor = base.start
    for hole in merge_spans(h for h in holes if h.overlaps(base)):
        if hole.start > cursor:
            pieces.append(Span(cursor, hole.start))
        cursor = max(cursor, hole.end)
    if cursor < base.end:
        pieces.append(Span(cursor, base.end))
    return pieces


@dataclass(frozen=True)
class _Edit:
    """One replacement of ``[src_start, src_end)`` by ``dst_len`` code points."""

    src_start: int
    src_end: int
    dst_len: int


class OffsetMap:
    """Maps positions between a source text and a text derived from it by replacements.

    The derived text is the source with some disjoint spans replaced (a name by a pseudonym,
    CRLF by LF, an NVivo UTF-16 unit by a code point...). Positions outside replaced spans map
    exactly; a position inside a replaced span maps to the start of its replacement (for span
    starts) or to its end (for span ends), so a span never shrinks to cut a replacement in half.
    """

    def __init__(self, source_length: int, edits: Sequence[tuple[Span, int]] = ()) -> None:
        """Build a map.

        Args:
            source_length: length of the source text in code points.
            edits: ``(source span, replacement length)`` pairs; spans must not overlap.
        """
        ordered = sorted(edits, key=lambda e: (e[0].start, e[0].end))
        self._edits: list[_Edit] = []
        previous_end = 0
        for span, dst_len in ordered:
            if span.start < previous_end:
                raise ValueError(f"overlapping edits at {span.start}")
            if span.end > source_length:
                raise ValueError(f"edit {span} beyond source length {source_length}")
            if dst_len < 0:
                raise ValueError("replacement length must be >= 0")
            self._edits.append(_Edit(span.start, span.end, dst_len))
            previous_end = span.end
        self.source_length = source_length
        # Cumulative shift before each edit, and the edit starts in both coordinate systems,
        # so that both directions are a binary search.
        self._src_starts = [e.src_start for e in self._edits]
        self._dst_starts: list[int] = []
        shift = 0
        self._shift_before: list[int] = []
        for edit in self._edits:
            self._shift_before.append(shift)
            self._dst_starts.append(edit.src_start + shift)
            shift += edit.dst_len - (edit.src_end - edit.src_start)
        self.target_length = source_length + shift

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        """A map that changes nothing."""
        return cls(length)

    @property
    def edits(self) -> list[tuple[Span, int]]:
        """The edits as ``(source span, replacement length)`` pairs, in order."""
        return [(Span(e.src_start, e.src_end), e.dst_len) for e in self._edits]

    def to_target(self, pos: int, *, side: str = "start") -> int:
        """Map a source position to the derived text.

        Args:
            pos: code point position in the source, ``0 <= pos <= source_length``.
            side: ``"start"`` maps a position inside a replaced span to the replacement's start,
                ``"end"`` to its end.
        """
        if not 0 <= pos <= self.source_length:
            raise ValueError(f"position {pos} outside 0..{self.source_length}")
        i = bisect.bisect_right(self._src_starts, pos) - 1
        if i < 0:
            return pos
        edit = self._edits[i]
        dst_start = self._dst_starts[i]
        if edit.src_start == edit.src_end:  # an insertion belongs to neither side of its point
            return pos + self._shift_before[i] + (edit.dst_len if side == "start" or pos > edit.src_start else 0)
        if pos == edit.src_start:
            return dst_start
        if pos < edit.src_end:
            return dst_start if side == "start" else dst_start + edit.dst_len
        return pos + self._shift_before[i] + edit.dst_len - (edit.src_end - edit.src_start)

    def to_source(self, pos: int, *, side: str = "start") -> int:
        """Map a derived-text position back to the source (inverse of :meth:`to_target`)."""
        if not 0 <= pos <= self.target_length:
            raise ValueError(f"position {pos} outside 0..{self.target_length}")
        i = bisect.bisect_right(self._dst_starts, pos) - 1
        if i < 0:
            return pos
        edit = self._edits[i]
        dst_start = self._dst_starts[i]
        if edit.dst_len == 0 and pos == dst_start:  # a deletion: what follows it is its source end
            return edit.src_end if side == "start" else edit.src_start
        if pos == dst_start:
            return edit.src_start
        if pos < dst_start + edit.dst_len:
            return edit.src_start if side == "start" else edit.src_end
        return pos - self._shift_before[i] - (edit.dst_len - (edit.src_end - edit.src_start))

    def span_to_target(self, span: Span) -> Span:
        """Map a source span; it widens to whole replacements rather than cutting them."""
        return Span(self.to_target(span.start, side="start"), self.to_target(span.end, side="end"))

    def span_to_source(self, span: Span) -> Span:
        """Map a derived-text span back to the source, widening over replacements."""
        return Span(self.to_source(span.start, side="start"), self.to_source(span.end, side="end"))


def apply_replacements(text: str, replacements: Sequence[tuple[Span, str]]) -> tuple[str, OffsetMap]:
    """Replace disjoint spans of ``text`` and return the new text with its offset map."""
    ordered = sorted(replacements, key=lambda r: r[0].start)
    parts: list[str] = []
    cursor = 0
    for span, new in ordered:
        parts.append(text[cursor : span.start])
        parts.append(new)
        cursor = span.end
    parts.append(text[cursor:])
    return "".join(parts), OffsetMap(len(text), [(s, len(new)) for s, new in ordered])


def utf16_offsets_to_code_points(text: str) -> list[int]:
    """Table mapping each UTF-16 code unit index of ``text`` (0..n) to a code point index."""
    table: list[int] = []
    for i, ch in enumerate(text):
        table.append(i)
        if ord(ch) > 0xFFFF:
            table.append(i)  # the low surrogate belongs to the same code point
    table.append(len(text))
    return table


def code_point_to_utf8_byte(text: str, pos: int) -> int:
    """UTF-8 byte offset of code point ``pos`` (widgets such as TextArea count bytes)."""
    return len(text[:pos].encode("utf-8"))
