"""Disagreements between two coders, and their resolution into a "consensus" coder.

A *region* is a stretch of one document where the two coders' codings overlap (transitively);
it is a disagreement when the coders did not put the same codes on matching spans there
(intersection over union at least the threshold, as in segment-level agreement). Resolving a
region writes codings for the coder ``consensus`` and records the decision in the audit log;
the original codings stay untouched for the methods section.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

CONSENSUS = "consensus"
DECISIONS = ("keep-a", "keep-b", "both", "neither", "edit")


@dataclass(frozen=True)
class RegionCoding:
    """A coding inside a region."""

    uuid: str
    coder: str
    code: str
    start: int
    end: int


@dataclass(frozen=True)
class Region:
    """Overlapping codings of two coders in one document."""

    document_id: int
    document: str
    start: int
    end: int
    codings: tuple[RegionCoding, ...]

    @property
    def key(self) -> str:
        """Stable name of the region: the audit log records decisions under it."""
        return f"{self.document_id}:{self.start}-{self.end}"

    def codes_of(self, coder: str) -> list[str]:
        """Sorted distinct codes one coder applied in the region."""
        return sorted({c.code for c in self.codings if c.coder == coder})


def regions(codings: Iterable[tuple[int, str, RegionCoding]]) -> list[Region]:
    """Group ``(document id, document name, coding)`` into regions of overlapping codings."""
    by_doc: dict[tuple[int, str], list[RegionCoding]] = defaultdict(list)
    for doc_id, doc_name, coding in codings:
        by_doc[(doc_id, doc_name)].append(coding)
    found: list[Region] = []
    for (doc_id, doc_name), items in sorted(by_doc.items()):
        items.sort(key=lambda c: (c.start, c.end))
        group: list[RegionCoding] = []
        group_end = -1
        for coding in items:
            if group and coding.start >= group_end:
                found.append(Region(doc_id, doc_name, group[0].start, group_end, tuple(group)))
                group = []
            group.append(coding)
            group_end = max(group_end, coding.end) if len(group) > 1 else coding.end
        if group:
            found.append(Region(doc_id, doc_name, group[0].start, group_end, tuple(group)))
    return found


def _iou(a: RegionCoding, b: RegionCoding) -> float:
    inter = max(0, min(a.end, b.end) - max(a.start, b.start))
    union = max(a.end, b.end) - min(a.start, b.start)
    return inter / union if union else 0.0


def agrees(region: Region, coder_a: str, coder_b: str, threshold: float) -> bool:
    """True when every coding of each coder has a same-code partner of the other coder."""
    side = {coder_a: [c for c in region.codings if c.coder == coder_a],
            coder_b: [c for c in region.codings if c.coder == coder_b]}
    for mine, theirs in ((side[coder_a], side[coder_b]), (side[coder_b], side[coder_a])):
        for coding in mine:
            if not any(o.code == coding.code and _iou(coding, o) >= threshold for o in theirs):
                return False
    return bool(side[coder_a]) and bool(side[coder_b])


def decide(region: Region, decision: str, coder_a: str, coder_b: str) -> list[RegionCoding]:
    """The consensus codings a decision produces (``edit`` is handled by the caller)."""
    if decision == "keep-a":
        chosen = [c for c in region.codings if c.coder == coder_a]
    elif decision == "keep-b":
        chosen = [c for c in region.codings if c.coder == coder_b]
    elif decision == "both":
        chosen = list(region.codings)
    elif decision == "neither":
        chosen = []
    else:
        raise ValueError(f"unknown decision {decision!r}; use one of {', '.join(DECISIONS)}")
    unique: dict[tuple[str, int, int], RegionCoding] = {}
    for coding in chosen:
        unique.setdefault((coding.code, coding.start, coding.end), coding)
    return list(unique.values())


def open_disagreements(all_regions: Sequence[Region], coder_a: str, coder_b: str, threshold: float,
                       decided: set[str]) -> list[Region]:
    """Regions where the coders disagree and that have no recorded decision yet."""
    return [r for r in all_regions if r.key not in decided and not agrees(r, coder_a, coder_b, threshold)]
