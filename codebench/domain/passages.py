"""Passages: what the counts of a matrix or a heat map count.

Two coders who mark the same words with the same code have found one passage, not two; a
count that adds up coders (ingrid 5 + per 5 = 10) measures how many people coded, not what the
material says. So a *passage* is a stretch of one document that carries one code: the codings of
that code in that document whose spans overlap (share at least one character; chains of
overlaps are one passage) are one passage, whoever made them. Boundaries need not match — one
coder takes the whole answer, another its key sentence — exactly as the adjudication regions
group overlapping codings (:mod:`codebench.domain.adjudication`); unlike segment agreement, no
overlap threshold applies, because the question here is "is this the same place?", not "did
the coders agree on its extent?". Touching spans (one ends where the other starts) are two
passages. One coder's own overlapping codings of a code are one passage too.

Counting per coder is the same rule over that coder's codings only (``--coder``, the heat map's
coder switch); :class:`Counting` says which count a file or screen shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from codebench.domain.records import Quote


def _in_passage_order(quotes: Sequence[Quote]) -> list[int]:
    """Indices of ``quotes`` sorted by code, document and span: a passage's quotes come together."""
    keys = [(q.code, q.document_id, q.start, q.end) for q in quotes]
    return sorted(range(len(quotes)), key=keys.__getitem__)


def passage_groups(quotes: Sequence[Quote]) -> list[list[int]]:
    """Indices into ``quotes`` grouped by passage (same code, same document, overlapping spans).

    Groups come in the order of their first quote; indices in a group are in quote order.
    """
    groups: list[list[int]] = []
    current: list[int] = []
    key: tuple[str, int] | None = None
    reach = -1
    for i in _in_passage_order(quotes):
        quote = quotes[i]
        if current and quote.start < reach and key == (quote.code, quote.document_id):
            current.append(i)
            reach = max(reach, quote.end)
            continue
        if current:
            groups.append(sorted(current))
        current, key, reach = [i], (quote.code, quote.document_id), quote.end
    if current:
        groups.append(sorted(current))
    groups.sort(key=lambda group: group[0])
    return groups


def passages(quotes: Sequence[Quote]) -> list[Quote]:
    """One quote per passage: the longest of its quotes (the first of equals), its ``coder``
    naming everyone who coded the passage ("ingrid, per"). The kept quotes stay in the order
    they had (retrieval order: document, then position)."""
    # One pass in passage order (a 50,000-quote matrix goes through here): the passage's best
    # quote and its coders are kept as it grows; most passages are a single quote.
    chosen: list[tuple[int, Quote]] = []
    best = -1
    coders: set[str] = set()
    key: tuple[str, int] | None = None
    reach = -1

    def close() -> None:
        quote = quotes[best]
        chosen.append((best, quote if len(coders) == 1 else quote._replace(coder=", ".join(sorted(coders)))))

    for i in _in_passage_order(quotes):
        quote = quotes[i]
        if best >= 0 and quote.start < reach and key == (quote.code, quote.document_id):
            reach = max(reach, quote.end)
            coders.add(quote.coder)
            held = quotes[best]
            length, held_length = quote.end - quote.start, held.end - held.start
            if length > held_length or (length == held_length and i < best):
                best = i
            continue
        if best >= 0:
            close()
        best, coders, key, reach = i, {quote.coder}, (quote.code, quote.document_id), quote.end
    if best >= 0:
        close()
    chosen.sort(key=lambda item: item[0])
    return [quote for _, quote in chosen]


@dataclass(frozen=True)
class Counting:
    """What a count counts: distinct passages of all coders, or of some."""

    coders: tuple[str, ...] = ()
    """The coders whose codings count (empty: everyone's)."""

    def describe(self) -> str:
        """For the screen and the terminal: ``distinct passages, all coders`` / ``…, coder ingrid``."""
        if not self.coders:
            return "distinct passages, all coders"
        return f"distinct passages, coder{'s' if len(self.coders) > 1 else ''} {', '.join(self.coders)}"

    def describe_nb(self) -> str:
        """For exported files (read by Norwegian teams): ``distinkte passasjer, alle kodere``."""
        if not self.coders:
            return "distinkte passasjer, alle kodere"
        return f"distinkte passasjer, koder{'e' if len(self.coders) > 1 else ''} {', '.join(self.coders)}"
