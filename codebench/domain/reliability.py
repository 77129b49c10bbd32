"""Inter-coder reliability of a project: per code and overall, from plain codings.

This module decides *what* is compared (which documents, which spans, which coders); the
formulas live in :mod:`codebench.domain.agreement`. Everything is computed from sorted span
boundaries, never character by character.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Iterable, Mapping, Sequence

from codebench.domain.agreement import (
    CharAgreement, SegmentAgreement, aggregate_char_agreement, aggregate_segment_agreement, char_agreement,
    segment_agreement, unitized_alpha,
)


@dataclass(frozen=True)
class CodedSpan:
    """One coding reduced to what agreement needs."""

    document: int
    code: str
    coder: str
    start: int
    end: int


@dataclass(frozen=True)
class CodeReliability:
    """Agreement figures for one code (or ``"(all codes)"`` for the overall row)."""

    code: str
    coders: tuple[str, ...]
    segments: dict[str, int]  # coder -> number of codings of this code
    percent_agreement: float | None  # characters, mean over coder pairs
    cohen_kappa: float | None  # characters; Light's kappa (mean of pairs) for 3+ coders
    krippendorff_alpha: float | None  # characters as units, all coders
    u_alpha_binary: float | None  # |uα on the document continuum
    segment_percent: float | None  # MAXQDA-style, mean over coder pairs
    segment_kappa: float | None  # Brennan–Prediger, chance 1/q


@dataclass(frozen=True)
class UnitizedSummary:
    """uα and cuα over all codes at once, defined only when no coder's codings overlap."""

    u_alpha: float | None
    cu_alpha: float | None
    overlapping_coders: tuple[str, ...]  # coders whose codings of different codes overlap


def unitized_summary(codings: Iterable[CodedSpan], lengths: Mapping[int, int], coders: Sequence[str]) -> UnitizedSummary:
    """Krippendorff's uα and cuα with the codes as values, on the documents laid end to end.

    The unitizing model needs each observer's units to be disjoint; a coder who double-codes
    makes it undefined, and the coders who do are named instead of a number.
    """
    offsets: dict[int, int] = {}
    total = 0
    for document in sorted(lengths):
        offsets[document] = total
        total += lengths[document]
    units: dict[str, list[tuple[int, int, str]]] = {c: [] for c in coders}
    for c in codings:
        if c.coder in units and c.document in lengths:
            units[c.coder].append((offsets[c.document] + c.start, offsets[c.document] + c.end, c.code))
    overlapping = []
    for coder, items in units.items():
        items.sort()
        if any(b[0] < a[1] for a, b in zip(items, items[1:])):
            overlapping.append(coder)
    if overlapping or not total or not any(units.values()):
        return UnitizedSummary(None, None, tuple(overlapping))
    result = unitized_alpha(total, [units[c] for c in coders])
    return UnitizedSummary(result.u_alpha, result.cu_alpha, ())


def coverage_alpha(length: int, spans_by_coder: Sequence[Iterable[tuple[int, int]]]) -> float | None:
    """Krippendorff's nominal alpha with every character a unit coded 1/0 by all coders.

    For 2 coders this equals :attr:`CharAgreement.krippendorff_alpha`; for more it needs only
    how many characters are covered by exactly k coders, which a boundary sweep gives.
    """
    m = len(spans_by_coder)
    if m < 2 or length <= 0:
        return None
    events: dict[int, int] = defaultdict(int)
    for spans in spans_by_coder:
        for start, end in _union(spans):
            events[start] += 1
            events[end] -= 1
    histogram = [0] * (m + 1)  # characters covered by k coders
    covered, cursor = 0, 0
    for position in sorted(events):
        histogram[covered] += position - cursor
        covered += events[position]
        cursor = position
    histogram[covered] += length - cursor
    n = m * length
    n_one = sum(k * count for k, count in enumerate(histogram))
    n_zero = n - n_one
    if n_one == 0 or n_zero == 0:
        return None
    disagreeing = sum(count * k * (m - k) for k, count in enumerate(histogram)) / (m - 1)
    return 1 - (n - 1) * disagreeing / (n_one * n_zero)


def _union(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def reliability(
    codings: Iterable[CodedSpan],
    lengths: Mapping[int, int],
    coders: Sequence[str],
    *,
    threshold: float = 0.9,
) -> list[CodeReliability]:
    """Per-code agreement rows followed by an overall row.

    Args:
        codings: the codings to compare (other coders' are ignored).
        lengths: text length of every document to compare; codings elsewhere are ignored.
        coders: two or more coder names.
        threshold: minimum intersection-over-union for segment-level agreement.
    """
    if len(coders) < 2:
        raise ValueError("agreement needs at least two coders")
    wanted = set(coders)
    by_code: dict[str, dict[str, dict[int, list[tuple[int, int]]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for c in codings:
        if c.coder in wanted and c.document in lengths:
            by_code[c.code][c.coder][c.document].append((c.start, c.end))
    # The documents form one continuum for unitizing: each starts where the previous ended.
    offsets: dict[int, int] = {}
    total = 0
    for document in sorted(lengths):
        offsets[document] = total
        total += lengths[document]
    q = max(len(by_code), 2)
    rows: list[CodeReliability] = []
    pair_chars: dict[tuple[str, str], list[CharAgreement]] = defaultdict(list)
    pair_segments: dict[tuple[str, str], list[SegmentAgreement]] = defaultdict(list)
    # Every (code, character) pair is one unit of the overall alpha: code i's continuum is
    # placed after code i-1's.
    pooled: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for index, code in enumerate(sorted(by_code)):
        per_coder = by_code[code]
        chars: dict[tuple[str, str], list[CharAgreement]] = defaultdict(list)
        segments: dict[tuple[str, str], list[SegmentAgreement]] = defaultdict(list)
        continuum: dict[str, list[tuple[int, int]]] = {}
        for coder in coders:
            continuum[coder] = [(offsets[d] + s, offsets[d] + e) for d, spans in per_coder[coder].items() for s, e in spans]
            pooled[coder].extend((index * total + s, index * total + e) for s, e in continuum[coder])
        for a, b in combinations(coders, 2):
            for document, length in lengths.items():
                spans_a, spans_b = per_coder[a].get(document, []), per_coder[b].get(document, [])
                chars[(a, b)].append(char_agreement(length, spans_a, spans_b))
                if spans_a or spans_b:
                    segments[(a, b)].append(segment_agreement(spans_a, spans_b, threshold=threshold, n_codes=q))
            pair_chars[(a, b)].extend(chars[(a, b)])
            pair_segments[(a, b)].extend(segments[(a, b)])
        rows.append(_row(code, coders, per_coder, chars, segments, continuum, total, q))
    overall_char = {pair: [aggregate_char_agreement(results)] for pair, results in pair_chars.items()}
    overall_seg = {pair: results for pair, results in pair_segments.items()}
    counts = {coder: sum(len(s) for d in by_code.values() for s in d[coder].values()) for coder in coders}
    rows.append(CodeReliability(
        code="(all codes)", coders=tuple(coders), segments=counts,
        percent_agreement=_mean(r[0].percent_agreement for r in overall_char.values()),
        cohen_kappa=_mean(r[0].cohen_kappa for r in overall_char.values()),
        krippendorff_alpha=coverage_alpha(total * len(by_code), [pooled[c] for c in coders]) if by_code else None,
        u_alpha_binary=None,
        segment_percent=_mean(aggregate_segment_agreement(v, n_codes=q).percent_agreement for v in overall_seg.values()),
        segment_kappa=_mean(aggregate_segment_agreement(v, n_codes=q).kappa for v in overall_seg.values()),
    ))
    return rows


def _row(code: str, coders: Sequence[str], per_coder: Mapping[str, Mapping[int, list[tuple[int, int]]]],
         chars: Mapping[tuple[str, str], list[CharAgreement]], segments: Mapping[tuple[str, str], list[SegmentAgreement]],
         continuum: Mapping[str, list[tuple[int, int]]], total: int, q: int) -> CodeReliability:
    summed = {pair: aggregate_char_agreement(results) for pair, results in chars.items()}
    seg = {pair: aggregate_segment_agreement(results, n_codes=q) for pair, results in segments.items() if results}
    units = [[(s, e, code) for s, e in _union(continuum[c])] for c in coders]
    u_binary = unitized_alpha(total, units).u_alpha_binary if total and any(units) else None
    return CodeReliability(
        code=code, coders=tuple(coders),
        segments={c: sum(len(spans) for spans in per_coder[c].values()) for c in coders},
        percent_agreement=_mean(r.percent_agreement for r in summed.values()),
        cohen_kappa=_mean(r.cohen_kappa for r in summed.values()),
        krippendorff_alpha=coverage_alpha(total, [continuum[c] for c in coders]),
        u_alpha_binary=u_binary,
        segment_percent=_mean(r.percent_agreement for r in seg.values()),
        segment_kappa=_mean(r.kappa for r in seg.values()),
    )
