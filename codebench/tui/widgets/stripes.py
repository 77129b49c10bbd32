"""Coding stripes: where each coding's bar and name go in the margin beside the transcript.

Pure layout, no Textual: the transcript view asks which visual lines each coding covers, and
this module answers with a lane per coding (overlapping codings stand side by side, as NVivo's
coding stripes do) and the label to write down the bar, fitted to the lane's width.

Lanes are counted per *cluster* (a run of lines where codings overlap one another), not for the
whole document: one passage coded six times must not squeeze the names of every other coding
into a sixth of the margin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

MIN_LANE = 6
"""Narrowest lane: the bar, four letters and a space between lanes."""

SMALL_WORDS = frozenset({"og", "i", "på", "av", "for", "med", "til", "en", "et", "ei", "som", "å", "om", "fra",
                         "the", "and", "of", "a", "to", "in", "on"})
"""Words an abbreviated label drops first (Norwegian and English)."""


@dataclass(frozen=True)
class Placement:
    """Where one coding's stripe goes.

    Attributes:
        mark: index of the coding in the list given to :func:`place_stripes`.
        lane: its column among the overlapping codings (0 is nearest the text).
        first: first visual line it covers.
        last: last visual line it covers.
        lanes: how many lanes its cluster needs.
        cluster: which cluster it belongs to (numbered from the top).
    """

    mark: int
    lane: int
    first: int
    last: int
    lanes: int
    cluster: int = 0


def place_stripes(ranges: Sequence[tuple[int, int]]) -> list[Placement]:
    """A lane for every ``(first_line, last_line)`` range, overlapping ranges side by side.

    Longer codings take the lanes nearest the text (their bars are the long ones), and a lane
    is reused as soon as the coding in it has ended, so a cluster needs as many lanes as its
    deepest overlap.
    """
    order = sorted(range(len(ranges)), key=lambda i: (ranges[i][0], -(ranges[i][1] - ranges[i][0]), i))
    placed: list[Placement] = []
    cluster: list[tuple[int, int]] = []  # (mark, lane) of the open cluster
    lane_ends: list[int] = []
    cluster_end = -1

    clusters = 0

    def close() -> None:
        nonlocal clusters
        for mark, lane in cluster:
            first, last = ranges[mark]
            placed.append(Placement(mark, lane, first, last, len(lane_ends), clusters))
        clusters += 1

    for i in order:
        first, last = ranges[i]
        if first > cluster_end and cluster:
            close()
            cluster, lane_ends = [], []
        lane = next((n for n, end in enumerate(lane_ends) if end < first), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(last)
        else:
            lane_ends[lane] = last
        cluster.append((i, lane))
        cluster_end = max(cluster_end, last)
    if cluster:
        close()
    placed.sort(key=lambda p: p.mark)
    return placed


def abbreviate(name: str, width: int) -> str:
    """``name`` in at most ``width`` cells, still readable: small words go first, then every
    word is cut to the same length with a full stop ("kapasitet og portefølje" → "kapa. port.")."""
    if width <= 0:
        return ""
    name = " ".join(name.split())
    if len(name) <= width:
        return name
    words = [w for w in name.split() if w.casefold() not in SMALL_WORDS] or name.split()
    shorter = " ".join(words)
    if len(shorter) <= width:
        return shorter
    for keep in range(max(len(w) for w in words) - 1, 1, -1):
        candidate = " ".join(w if len(w) <= keep + 1 else w[:keep] + "." for w in words)
        if len(candidate) <= width:
            return candidate
    return name[: width - 1] + "…" if width > 1 else name[:1]


def fit_label(name: str, width: int, lines: int, head: str = "") -> list[str]:
    """The label of a stripe as lines of at most ``width`` cells, using up to ``lines`` lines.

    A name that fits is written whole; one that does not is wrapped at spaces down the stripe
    when the coding is long enough to hold it, and abbreviated on one line otherwise. ``head``
    (the coder's initials, a flag) goes before the name and is never abbreviated: initials such
    as "I" or "A" would otherwise be dropped as the small words "i" and "a".
    """
    if width <= 0 or lines <= 0:
        return []
    if head:
        whole = fit_label(f"{head} {name}", width, lines)
        if len(whole) > 1 or whole == [" ".join(f"{head} {name}".split())]:
            return whole
        rest = width - len(head) - 1
        return [f"{head} {abbreviate(name, rest)}" if rest > 0 else abbreviate(head, width)]
    name = " ".join(name.split())
    if len(name) <= width:
        return [name]
    wrapped: list[str] = []
    for word in name.split():
        if len(word) > width:
            wrapped = []
            break
        if wrapped and len(wrapped[-1]) + 1 + len(word) <= width:
            wrapped[-1] += " " + word
        else:
            wrapped.append(word)
    if wrapped and len(wrapped) <= lines:
        return wrapped
    return [abbreviate(name, width)]


def coder_initials(coders: Iterable[str]) -> dict[str, str]:
    """Short, distinct initials for coders: "Ingrid Nilsen" → "IN", "per" → "P".

    Coders whose initials would clash get more of their name ("Pe", "Pa") until they differ.
    """
    names = sorted(set(coders))

    def initials(name: str, extra: int) -> str:
        words = name.split() or [name]
        head = "".join(w[0] for w in words if w).upper()
        if extra:
            head = head[0] + "".join(words)[1:1 + extra].lower() + head[1:]
        return head

    result = {name: initials(name, 0) for name in names}
    extra = 0
    while len(set(result.values())) < len(result) and extra < 12:
        extra += 1
        taken: dict[str, list[str]] = {}
        for name, short in result.items():
            taken.setdefault(short, []).append(name)
        for short, owners in taken.items():
            if len(owners) > 1:
                for name in owners:
                    result[name] = initials(name, extra)
    return result
