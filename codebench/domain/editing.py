"""Changing a document's text without losing what lies on it: pieces, their offset map, and
where a coded span (or an anonymisation mention) goes.

A change of text is a list of *pieces*: disjoint replacements ``[start, end) → new`` in the text
before the change, each keeping the words it replaced, so the change can be taken back exactly
and every earlier version rebuilt from the current one. The pieces come from a word-level
alignment of the two texts (:func:`diff_pieces`), so fixing two words in a turn makes two small
pieces, and a coding between them does not count as touched.

A span follows a change through the pieces' :class:`~codebench.domain.spans.OffsetMap`:

- a span that shares no character with a piece (and has no insertion strictly inside it) only
  shifts: its words are exactly the words it had;
- a span that overlaps a piece is *touched*: it is widened to whole replacements and flagged for
  the coder to check;
- a span whose every character was deleted is *lost*: the caller decides (an edit keeps it on
  the neighbouring word, flagged; a re-import reports it as not placed).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Sequence

from rapidfuzz.distance import Levenshtein

from codebench.domain.records import TurnInfo
from codebench.domain.spans import OffsetMap, Span

_TOKEN = re.compile(r"\w+|[^\w\s]|\s+")

FLAG_EDITED = "edited"
"""A coding's flag: the text under it was changed by an edit; the coder should check it."""
FLAG_DELETED = "deleted"
"""A coding's flag: its words were deleted; it was kept on the words next to where they were."""
FLAG_REALIGNED = "realigned"
"""A coding's flag: a corrected file was imported over its document and its words changed."""
FLAG_MERGED = "merged-edit"
"""A coding's flag: a merge brought in another coder's edit of the text under it."""
FLAGS = (FLAG_EDITED, FLAG_DELETED, FLAG_REALIGNED, FLAG_MERGED)

FLAG_WORDS = {
    FLAG_EDITED: "the text under it was edited",
    FLAG_DELETED: "its words were deleted; kept on the words beside them",
    FLAG_REALIGNED: "its words changed in a corrected file",
    FLAG_MERGED: "a merged edit changed its words",
}
"""What each flag tells the coder, for the CLI and the workbench."""


@dataclass(frozen=True)
class Piece:
    """One replacement: ``[start, end)`` of the text before becomes ``new``; ``old`` is what was there."""

    start: int
    end: int
    old: str
    new: str

    def to_json(self) -> list[object]:
        """The piece as the revision history stores it."""
        return [self.start, self.end, self.old, self.new]

    @classmethod
    def from_json(cls, value: Sequence[object]) -> Piece:
        """A piece as :meth:`to_json` wrote it."""
        start, end, old, new = value
        return cls(int(start), int(end), str(old), str(new))  # type: ignore[call-overload]


def tokens(text: str) -> list[str]:
    """Words, single punctuation marks and runs of white space: the units an alignment compares."""
    return _TOKEN.findall(text)


def diff_pieces(old: str, new: str, *, base: int = 0) -> list[Piece]:
    """The pieces that turn ``old`` into ``new``, word by word.

    Args:
        old: the text before.
        new: the text after.
        base: added to every position (the offset of ``old`` inside a longer text).

    Returns:
        Disjoint pieces in text order; empty when the texts are equal.
    """
    if old == new:
        return []
    # Common ends first: an edit of one word in a long turn aligns only what lies between.
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
        tail += 1
    # Back to token boundaries, so that a piece replaces whole words ("Lishagen" → "Lieshagen").
    while head > 0 and _is_word(old[head - 1]):
        head -= 1
    while tail > 0 and _is_word(old[len(old) - tail]):
        tail -= 1
    a, b = old[head:len(old) - tail], new[head:len(new) - tail]
    ta, tb = tokens(a), tokens(b)
    starts_a = _starts(ta)
    starts_b = _starts(tb)
    pieces: list[Piece] = []
    for op in Levenshtein.opcodes(ta, tb):
        if op.tag == "equal":
            continue
        s, e = starts_a[op.src_start], starts_a[op.src_end]
        piece = Piece(base + head + s, base + head + e, a[s:e], b[starts_b[op.dest_start]:starts_b[op.dest_end]])
        if pieces and pieces[-1].end == piece.start:
            last = pieces[-1]
            piece = Piece(last.start, piece.end, last.old + piece.old, last.new + piece.new)
            pieces[-1] = piece
        else:
            pieces.append(piece)
    return pieces


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _starts(parts: list[str]) -> list[int]:
    """Character offset of each token, and the total length at the end."""
    offsets = [0]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return offsets


def apply_pieces(text: str, pieces: Sequence[Piece]) -> str:
    """``text`` with the pieces applied (each piece's ``old`` must be what is there).

    Raises:
        ValueError: a piece does not match the text (the text changed since the pieces were made).
    """
    out: list[str] = []
    cursor = 0
    for piece in sorted(pieces, key=lambda p: p.start):
        if piece.start < cursor or text[piece.start:piece.end] != piece.old:
            raise ValueError(f"the text at [{piece.start}, {piece.end}) is not what the change replaced")
        out.append(text[cursor:piece.start])
        out.append(piece.new)
        cursor = piece.end
    out.append(text[cursor:])
    return "".join(out)


def invert_pieces(pieces: Sequence[Piece]) -> list[Piece]:
    """The pieces that take the change back, positioned in the text after it."""
    inverted: list[Piece] = []
    shift = 0
    for piece in sorted(pieces, key=lambda p: p.start):
        start = piece.start + shift
        inverted.append(Piece(start, start + len(piece.new), piece.new, piece.old))
        shift += len(piece.new) - len(piece.old)
    return inverted


def offset_map(length: int, pieces: Sequence[Piece]) -> OffsetMap:
    """The offset map of a change of a text of ``length`` code points."""
    return OffsetMap(length, [(Span(p.start, p.end), len(p.new)) for p in pieces])


@dataclass(frozen=True)
class Followed:
    """Where a span lies after a change."""

    start: int
    end: int
    touched: bool
    """The change replaced some of its characters (or inserted text inside it)."""
    lost: bool
    """Every character of it was deleted; ``start == end`` is where its words were."""


class SpanFollower:
    """Maps spans through one change; build once, follow thousands of spans."""

    def __init__(self, length: int, pieces: Sequence[Piece]) -> None:
        self.pieces = sorted(pieces, key=lambda p: p.start)
        self.map = offset_map(length, self.pieces)
        self._starts = [p.start for p in self.pieces]

    def touches(self, start: int, end: int) -> bool:
        """Whether the change replaces a character of ``[start, end)`` or inserts text inside it."""
        i = bisect.bisect_left(self._starts, end)
        # Pieces starting before ``end``: the last few are the only candidates (they are disjoint).
        while i > 0:
            piece = self.pieces[i - 1]
            if piece.end <= start:
                return False  # this piece and every earlier one end before the span
            if piece.start == piece.end:
                if start < piece.start < end:
                    return True
            elif piece.start < end and start < piece.end:
                return True
            i -= 1
        return False

    def follow(self, start: int, end: int) -> Followed:
        """Where ``[start, end)`` lies after the change."""
        new_start = self.map.to_target(start, side="start")
        new_end = self.map.to_target(end, side="end")
        touched = self.touches(start, end)
        if new_end <= new_start:
            return Followed(new_start, new_start, True, True)
        return Followed(new_start, new_end, touched, False)


def word_at(text: str, position: int) -> tuple[int, int] | None:
    """The word at or next to ``position`` (the one before it first), for a span whose words were deleted."""
    if not text.strip():
        return None
    left = position
    while left > 0 and text[left - 1].isspace():
        left -= 1
    if left > 0:
        end = left
        start = end
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        return start, end
    start = position
    while start < len(text) and text[start].isspace():
        start += 1
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    return (start, end) if end > start else None


def follow_chain(changes: Iterable[tuple[int, Sequence[Piece]]], start: int, end: int) -> Followed:
    """Follow a span through several changes in order, each given as ``(text length before, pieces)``."""
    touched = False
    for length, pieces in changes:
        followed = SpanFollower(length, pieces).follow(start, end)
        touched = touched or followed.touched
        if followed.lost:
            return Followed(followed.start, followed.start, True, True)
        start, end = followed.start, followed.end
    return Followed(start, end, touched, False)


@dataclass(frozen=True)
class RevisionInfo:
    """One change in a document's revision history."""

    id: int
    uuid: str
    document_id: int
    seq: int
    kind: str
    """``edit`` (a turn changed in codebench), ``reimport`` (a corrected file), ``undo``, ``redo``, ``merge``."""
    before_sha256: str
    after_sha256: str
    pieces: tuple[Piece, ...]
    turns_before: tuple[TurnInfo, ...]
    turn_seq: int | None
    author: str | None
    at: datetime


@dataclass
class TextMap:
    """How a coder's copy of a document lies on the team's text when the two differ by edits.

    A merge reads the coder's codings and mentions through it: ``follower`` maps the coder's
    positions onto ``text``, the team document's current text (hash ``sha256``).
    """

    team_document_id: int
    follower: SpanFollower
    text: str
    sha256: str

    def place(self, start: int, end: int) -> tuple[int, int, bool] | None:
        """``(start, end, touched)`` on the team's text; None when the words are gone there."""
        fate = self.follower.follow(start, end)
        if fate.lost:
            placed = word_at(self.text, fate.start)
            return (placed[0], placed[1], True) if placed is not None else None
        return fate.start, fate.end, fate.touched


def history_hashes(current_sha256: str, revisions: Sequence[RevisionInfo]) -> list[str]:
    """The text hashes a document has had, oldest first, ending with the current one."""
    if not revisions:
        return [current_sha256]
    return [revisions[0].before_sha256, *(r.after_sha256 for r in revisions)]
