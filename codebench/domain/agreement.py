"""Inter-coder agreement statistics that codebench reports: character-level kappa and alpha,
Krippendorff's unitizing alphas, and MAXQDA-style segment agreement.

:mod:`codebench.domain.reliability` decides what is compared and calls these. Coefficients
that no report shows (contingency-table kappas, Krippendorff's alpha over a reliability-data
matrix, Fleiss' kappa, QualCoder's own figures) live in :mod:`codebench.domain.agreement_reference`,
where they cross-check the numbers here against published reference values.

Everything here is pure standard-library Python and works on plain numbers and spans, so
the services can call it with whatever they loaded from the database.

Conventions used throughout the module:

* Positions are code point offsets into a document's text and every span is half-open,
  ``[start, end)``, exactly as in :mod:`codebench.domain.spans`. A span may be given as a
  ``(start, end)`` tuple or as any object with ``start`` and ``end`` attributes (such as
  :class:`codebench.domain.spans.Span`).
* Proportions are fractions in ``[0, 1]``; ``percent_agreement`` is a fraction too (multiply
  by 100 to display it).
* A statistic that is **undefined** (its formula divides by zero, e.g. Cohen's kappa when
  both coders put every unit in the same category, so chance agreement is 1) is returned
  as ``None``, never as ``float('nan')``: ``None`` cannot silently propagate through an
  average, and it is what report code has to special-case anyway ("n/a").
* Character-level statistics are computed by interval arithmetic over sorted span
  boundaries, never by visiting every character, so a 2-million-character document costs
  no more than the number of spans in it.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal, Protocol

__all__ = [
    "CharAgreement",
    "SegmentAgreement",
    "SpanLike",
    "Unit",
    "UnitizedAlpha",
    "aggregate_char_agreement",
    "aggregate_segment_agreement",
    "char_agreement",
    "segment_agreement",
    "unitized_alpha",
]


class _HasBounds(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


SpanLike = tuple[int, int] | _HasBounds
"""A half-open ``[start, end)`` span: a tuple or an object with ``start``/``end``."""

Unit = tuple[int, int, Hashable]
"""A unit for :func:`unitized_alpha`: ``(start, end, value)``, half-open."""


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def ratio_or_none(num: int | Fraction, den: int | Fraction) -> float | None:
    """``num / den`` as a float, or None when the denominator is zero (undefined).

    Args:
        num: the numerator, an integer or an exact fraction.
        den: the denominator.

    Returns:
        The quotient, computed exactly before the one rounding to float; None if ``den`` is 0.
    """
    if den == 0:
        return None
    return float(Fraction(num) / Fraction(den))


def one_minus_ratio_or_none(num: int | Fraction, den: int | Fraction) -> float | None:
    """``1 - num / den`` computed exactly, or None when ``den`` is zero.

    The shape of every alpha (``1 - D_o / D_e``).

    Args:
        num: the numerator, an integer or an exact fraction.
        den: the denominator.

    Returns:
        ``1 - num / den`` rounded once to float; None if ``den`` is 0.
    """
    if den == 0:
        return None
    # Exact rational arithmetic: the alphas subtract two large, nearly equal products of
    # lengths (up to ~10^13 for a 2M-character document) and floats would lose digits.
    return float(1 - Fraction(num) / Fraction(den))


def _bounds(span: SpanLike) -> tuple[int, int]:
    """Start and end of a span given as a tuple/list or as an object with attributes."""
    if isinstance(span, (tuple, list)):
        return int(span[0]), int(span[1])
    return int(span.start), int(span.end)


def checked_spans(spans: Iterable[SpanLike], length: int, who: str) -> list[tuple[int, int]]:
    """Validated, non-empty ``(start, end)`` pairs of one coder's spans.

    Args:
        spans: the coder's half-open spans, tuples or objects with ``start``/``end``.
        length: the document's length; every span must lie in ``[0, length]``.
        who: how the error names the coder, e.g. ``"coder A"``.

    Returns:
        The spans as ``(start, end)`` tuples in the given order, empty spans left out.

    Raises:
        ValueError: a span is reversed or lies outside ``[0, length]``.
    """
    out: list[tuple[int, int]] = []
    for span in spans:
        start, end = _bounds(span)
        if not 0 <= start <= end <= length:
            raise ValueError(f"{who}: span [{start}, {end}) does not lie in [0, {length})")
        if start < end:  # a caret position covers no character and cannot agree or disagree
            out.append((start, end))
    return out


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted disjoint union of spans (overlapping and touching spans are joined)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _intersection_length(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Total overlap of two sorted lists of disjoint spans (two-pointer sweep)."""
    i = j = 0
    total = 0
    while i < len(a) and j < len(b):
        a_start, a_end = a[i]
        b_start, b_end = b[j]
        lo = a_start if a_start > b_start else b_start
        hi = a_end if a_end < b_end else b_end
        if hi > lo:
            total += hi - lo
        # Advance whichever span finishes first; the other may still meet the next one.
        if a_end <= b_end:
            i += 1
        else:
            j += 1
    return total


# --------------------------------------------------------------------------------------
# 1. Character-level agreement of two coders for one code
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CharAgreement:
    """Character-level agreement of two coders on one code (or a sum over many).

    Every character is a unit with two possible values, coded or not coded. The four
    counts are the only inputs; everything else is derived from them, which is what makes
    :func:`aggregate_char_agreement` a plain sum.

    Attributes:
        both: characters both coders coded.
        a_only: characters only coder A coded.
        b_only: characters only coder B coded.
        neither: characters neither coded.
        length: total characters (the sum of the four counts).
        p_a: share of characters A coded.
        p_b: share of characters B coded.
        percent_agreement: ``(both + neither) / length`` (a fraction).
        expected_agreement: ``p_a * p_b + (1 - p_a) * (1 - p_b)``.
        cohen_kappa: ``(percent_agreement - expected_agreement) / (1 - expected_agreement)``.
        krippendorff_alpha: nominal alpha with each character a unit of two values.
    """

    both: int
    a_only: int
    b_only: int
    neither: int
    length: int = field(init=False)
    p_a: float | None = field(init=False)
    p_b: float | None = field(init=False)
    percent_agreement: float | None = field(init=False)
    expected_agreement: float | None = field(init=False)
    cohen_kappa: float | None = field(init=False)
    krippendorff_alpha: float | None = field(init=False)

    def __post_init__(self) -> None:
        if min(self.both, self.a_only, self.b_only, self.neither) < 0:
            raise ValueError("character counts cannot be negative")
        length = self.both + self.a_only + self.b_only + self.neither
        coded_a = self.both + self.a_only
        coded_b = self.both + self.b_only
        agree = self.both + self.neither
        # Integer forms of the kappa terms scaled by length**2, so "chance agreement is 1"
        # is detected exactly rather than through floating-point noise.
        chance = coded_a * coded_b + (length - coded_a) * (length - coded_b)
        kappa = ratio_or_none(length * agree - chance, length * length - chance)
        # alpha = 1 - (2L - 1) * (a_only + b_only) / (n_coded * n_uncoded), the closed form
        # of the 2-value coincidence matrix with 2L pairable values.
        n_coded = coded_a + coded_b
        n_uncoded = 2 * length - n_coded
        alpha = one_minus_ratio_or_none(
            (2 * length - 1) * (self.a_only + self.b_only), n_coded * n_uncoded
        )
        set_ = object.__setattr__
        set_(self, "length", length)
        set_(self, "p_a", ratio_or_none(coded_a, length))
        set_(self, "p_b", ratio_or_none(coded_b, length))
        set_(self, "percent_agreement", ratio_or_none(agree, length))
        set_(self, "expected_agreement", ratio_or_none(chance, length * length))
        set_(self, "cohen_kappa", kappa)
        set_(self, "krippendorff_alpha", alpha if length > 0 else None)


def char_agreement(
    length: int, spans_a: Iterable[SpanLike], spans_b: Iterable[SpanLike]
) -> CharAgreement:
    """Character-level agreement of two coders for one code in one document.

    Each coder's spans are first united (a character coded twice by the same coder is
    still just coded), then the four counts come from the union lengths and the length of
    their intersection, all by sorting span boundaries.

    Args:
        length: the document's length L in code points.
        spans_a: coder A's half-open spans for the code; may overlap, touch or be empty.
        spans_b: coder B's spans for the same code.

    Returns:
        The :class:`CharAgreement` of the document.

    Raises:
        ValueError: a negative length or a span outside ``[0, length]``.
    """
    if length < 0:
        raise ValueError("length cannot be negative")
    union_a = _union(checked_spans(spans_a, length, "coder A"))
    union_b = _union(checked_spans(spans_b, length, "coder B"))
    coded_a = sum(e - s for s, e in union_a)
    coded_b = sum(e - s for s, e in union_b)
    both = _intersection_length(union_a, union_b)
    return CharAgreement(
        both=both,
        a_only=coded_a - both,
        b_only=coded_b - both,
        neither=length - coded_a - coded_b + both,
    )


def aggregate_char_agreement(results: Iterable[CharAgreement]) -> CharAgreement:
    """Overall character-level agreement over many documents and/or codes.

    The four counts are summed and the statistics recomputed from the sums (pooling), so
    large documents weigh more than small ones; averaging per-document kappas would not
    be a kappa of anything.

    Args:
        results: per-document (or per-code) results of :func:`char_agreement`.

    Returns:
        A :class:`CharAgreement` of the pooled counts (all zero if ``results`` is empty).
    """
    both = a_only = b_only = neither = 0
    for r in results:
        both += r.both
        a_only += r.a_only
        b_only += r.b_only
        neither += r.neither
    return CharAgreement(both=both, a_only=a_only, b_only=b_only, neither=neither)




# --------------------------------------------------------------------------------------
# 2. Krippendorff's unitizing alphas
# --------------------------------------------------------------------------------------


class _Gap:
    """Marker value of the sections between units (Krippendorff's phi)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<gap>"


_GAP = _Gap()


@dataclass(frozen=True, slots=True)
class UnitizedAlpha:
    """Krippendorff's alpha family for unitizing a continuum.

    Attributes:
        length: length L of the continuum.
        n_observers: number of observers (m).
        u_alpha: uα (nominal): gaps are one more value, so it judges boundaries and
            values together.
        u_alpha_binary: |uα: only "inside a unit" versus "in a gap", i.e. how reliably the
            observers distinguish relevant from irrelevant matter.
        cu_alpha: cuα (nominal): values only, over the stretches that two observers both
            placed in units.
    """

    length: int
    n_observers: int
    u_alpha: float | None
    u_alpha_binary: float | None
    cu_alpha: float | None


def _partition(length: int, units: Iterable[Unit], who: int) -> list[tuple[int, int, Hashable]]:
    """An observer's units plus the implicit gaps, covering ``[0, length)`` in order."""
    ordered = sorted(((int(s), int(e), v) for s, e, v in units), key=lambda u: (u[0], u[1]))
    sections: list[tuple[int, int, Hashable]] = []
    cursor = 0
    for start, end, value in ordered:
        if not 0 <= start < end <= length:
            raise ValueError(
                f"observer {who}: unit [{start}, {end}) is empty or outside [0, {length})"
            )
        if start < cursor:
            raise ValueError(
                f"observer {who}: units overlap at {start}; unitizing needs disjoint units "
                "(analyse overlapping codes one code at a time)"
            )
        if start > cursor:
            sections.append((cursor, start, _GAP))
        sections.append((start, end, _GAP if value is None else value))
        cursor = end
    if cursor < length:
        sections.append((cursor, length, _GAP))
    return sections


def unitized_alpha(
    length: int,
    observers: Sequence[Iterable[Unit]] | Mapping[Hashable, Iterable[Unit]],
    *,
    cu_pairable: Literal["union", "mean"] = "union",
) -> UnitizedAlpha:
    """Krippendorff's uα, |uα and cuα for two or more observers unitizing one continuum.

    Model (Krippendorff 1995, 2004; in the form of *Content Analysis*, 4th ed., 2019,
    sec. 12.6, and Krippendorff, Mathet, Bouvry & Widlöcher 2016). Each observer i cuts
    ``[0, L)`` into sections ``S_ig``: their units, carrying values, and the gaps between
    them, carrying the value φ ("irrelevant matter").

    * Observed coincidences: ``l_ck = 1/(m-1) * sum_{i != j} sum_{g,h} |S_ig=c ∩ S_jh=k|``,
      so ``l_.. = m L`` and ``l_c.`` is the total length all observers gave value c.
    * Expected coincidences: values are paired at random, except that a section cannot be
      paired with itself. A unit pairs as one block of its length, a gap as separate
      characters, so with ``C_c = sum of |S|**2`` over units valued c (``sum of |S|`` for
      gaps) and ``C = sum_c C_c``:
      ``e_ck = l_.. * (l_c. * l_.k - [c = k] * C_c) / (l_..**2 - C)``.
    * ``alpha = 1 - D_o / D_e`` with the nominal difference, ``D_o = sum_{c != k} l_ck``
      and ``D_e = sum_{c != k} e_ck``. Because ``sum_c C_c = C`` this simplifies to
      ``D_e = l_.. (l_..**2 - sum_c l_c.**2) / (l_..**2 - C)``, which is what is computed.
    * |uα collapses all values other than φ into one before the same computation.
    * cuα keeps only the non-φ rows and columns of ``l`` (stretches where two observers
      both placed units) and recomputes the expected coincidences from them; the self-
      pairing correction then uses each unit's *pairable length*, the part of it that
      meets units of other observers (see ``cu_pairable``).

    Everything is done by sweeping the observers' sorted sections pairwise, so the cost
    is O(m² × number of sections), independent of L.

    Args:
        length: length L of the continuum (e.g. a document's code points).
        observers: for each observer (a sequence, or a mapping from observer name), a list
            of half-open ``(start, end, value)`` units. Units of one observer must not
            overlap; gaps are implicit, and a unit whose value is None is an explicit gap.
            Adjacent units with the same value stay separate units.
        cu_pairable: how a unit's pairable length is measured for cuα when there are more
            than two observers (for two observers both give the same result). ``"union"``
            (default): the length of the unit inside the union of all other observers'
            units; this reproduces the figures of other implementations (quallmer's
            ``alpha_u``, 0.7283 for the book's Fig. 12.11). ``"mean"``: the unit's mean
            overlap with each other observer's units, i.e. exactly its contribution to the
            margin ``l*_c.``; this reproduces the book's printed cuα = 0.724 for Fig. 12.11.

    Returns:
        An :class:`UnitizedAlpha`; an alpha is None when undefined (no variation to
        disagree about: e.g. |uα when no observer left a gap, cuα when no two observers'
        units meet, any alpha when L = 0).

    Raises:
        ValueError: fewer than two observers, a negative length, or invalid units.
    """
    if isinstance(observers, Mapping):
        observers = list(observers.values())
    m = len(observers)
    if m < 2:
        raise ValueError("unitizing alpha needs at least two observers")
    if length < 0:
        raise ValueError("length cannot be negative")
    if cu_pairable not in ("union", "mean"):
        raise ValueError("cu_pairable must be 'union' or 'mean'")
    parts = [_partition(length, units, i) for i, units in enumerate(observers)]
    if length == 0:
        return UnitizedAlpha(length, m, None, None, None)

    # raw[(c, k)] = (m - 1) * l_ck, kept as integers until the end.
    raw: dict[tuple[Hashable, Hashable], int] = defaultdict(int)
    # paired[i][g] = sum over j != i of |S_ig ∩ units of j|, for the "mean" pairable length.
    paired = [[0] * len(p) for p in parts]
    for i in range(m):
        for j in range(i + 1, m):
            _sweep_pair(parts[i], parts[j], raw, paired[i], paired[j])

    total = m * length  # l_..
    margin: dict[Hashable, int] = defaultdict(int)  # l_c. = total length valued c
    self_pairs: int = 0  # C
    for p in parts:
        for start, end, value in p:
            size = end - start
            margin[value] += size
            self_pairs += size if value is _GAP else size * size
    sum_sq_margin = sum(v * v for v in margin.values())
    disagree_raw = sum(v for (c, k), v in raw.items() if c != k)  # (m-1) * D_o

    u_alpha = one_minus_ratio_or_none(
        disagree_raw * (total * total - self_pairs),
        (m - 1) * total * (total * total - sum_sq_margin),
    )

    gap_len = margin.get(_GAP, 0)
    gap_vs_unit_raw = sum(v for (c, k), v in raw.items() if c is _GAP and k is not _GAP)
    u_alpha_binary = one_minus_ratio_or_none(
        gap_vs_unit_raw * (total * total - self_pairs),
        (m - 1) * total * gap_len * (total - gap_len),
    )

    cu_alpha = _cu_alpha(parts, raw, paired, m, cu_pairable)
    return UnitizedAlpha(length, m, u_alpha, u_alpha_binary, cu_alpha)


def _sweep_pair(
    p: list[tuple[int, int, Hashable]],
    q: list[tuple[int, int, Hashable]],
    raw: dict[tuple[Hashable, Hashable], int],
    paired_p: list[int],
    paired_q: list[int],
) -> None:
    """Add the intersections of two partitions of the same continuum to ``raw``."""
    a = b = 0
    pos = 0
    while a < len(p) and b < len(q):
        _, end_p, val_p = p[a]
        _, end_q, val_q = q[b]
        end = end_p if end_p < end_q else end_q
        size = end - pos
        # Both orders (i, j) and (j, i) of the observer pair are counted, as in l_ck.
        raw[(val_p, val_q)] += size
        raw[(val_q, val_p)] += size
        if val_p is not _GAP and val_q is not _GAP:
            paired_p[a] += size
            paired_q[b] += size
        pos = end
        if end_p == end:
            a += 1
        if end_q == end:
            b += 1


def _cu_alpha(
    parts: list[list[tuple[int, int, Hashable]]],
    raw: Mapping[tuple[Hashable, Hashable], int],
    paired: list[list[int]],
    m: int,
    cu_pairable: str,
) -> float | None:
    """cuα from the non-gap block of the coincidences (see :func:`unitized_alpha`)."""
    margin: dict[Hashable, int] = defaultdict(int)  # (m - 1) * l*_c.
    agree = 0  # (m - 1) * sum_c l*_cc
    for (c, k), v in raw.items():
        if c is _GAP or k is _GAP:
            continue
        margin[c] += v
        if c == k:
            agree += v
    total = sum(margin.values())  # (m - 1) * l*_..
    if total == 0:
        return None
    # scaled_self = (m - 1)**2 * sum over units of (pairable length)**2
    if cu_pairable == "mean":
        scaled_self = sum(
            x * x
            for i, p in enumerate(parts)
            for (_, _, v), x in zip(p, paired[i], strict=True)
            if v is not _GAP
        )
    else:
        scaled_self = (m - 1) ** 2 * sum(x * x for x in _union_pairable_lengths(parts))
    sum_sq_margin = sum(v * v for v in margin.values())
    # With every l* scaled by (m - 1), the ratio D_o / D_e keeps its value:
    # D_o / D_e = (T - A)(T^2 - S) / (T (T^2 - sum l*_c.^2)).
    denominator_self = total * total - scaled_self
    if denominator_self <= 0:
        return None
    return one_minus_ratio_or_none(
        (total - agree) * denominator_self, total * (total * total - sum_sq_margin)
    )


def _union_pairable_lengths(parts: list[list[tuple[int, int, Hashable]]]) -> list[int]:
    """For every unit, its overlap with the union of all other observers' units."""
    lengths: list[int] = []
    for i, p in enumerate(parts):
        others = _union(
            [(s, e) for j, q in enumerate(parts) if j != i for s, e, v in q if v is not _GAP]
        )
        units = [(s, e) for s, e, v in p if v is not _GAP]
        # Both lists are sorted and disjoint, so one merge pass measures every unit.
        k = 0
        for start, end in units:
            while k < len(others) and others[k][1] <= start:
                k += 1
            covered = 0
            t = k
            while t < len(others) and others[t][0] < end:
                lo = max(start, others[t][0])
                hi = min(end, others[t][1])
                covered += hi - lo
                t += 1
            lengths.append(covered)
    return lengths


# --------------------------------------------------------------------------------------
# 3. Segment-level agreement as MAXQDA reports it
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SegmentAgreement:
    """Segment-level agreement of two coders (MAXQDA's "segment" comparison).

    Attributes:
        matched_a: coder A's segments that some segment of B matches.
        unmatched_a: coder A's segments that no segment of B matches.
        matched_b: coder B's segments that some segment of A matches.
        unmatched_b: coder B's segments that no segment of A matches.
        n_codes: q, the number of codes compared, for the chance agreement; None if unknown.
        agreements: ``matched_a + matched_b``.
        disagreements: ``unmatched_a + unmatched_b``.
        total: all segments of both coders.
        percent_agreement: ``agreements / total`` (a fraction; None when there are no
            segments).
        chance_agreement: ``1 / n_codes`` (None without a q of at least 2).
        kappa: Brennan–Prediger kappa
            ``(percent_agreement - chance_agreement) / (1 - chance_agreement)``.
    """

    matched_a: int
    unmatched_a: int
    matched_b: int
    unmatched_b: int
    n_codes: int | None = None
    agreements: int = field(init=False)
    disagreements: int = field(init=False)
    total: int = field(init=False)
    percent_agreement: float | None = field(init=False)
    chance_agreement: float | None = field(init=False)
    kappa: float | None = field(init=False)

    def __post_init__(self) -> None:
        if min(self.matched_a, self.unmatched_a, self.matched_b, self.unmatched_b) < 0:
            raise ValueError("segment counts cannot be negative")
        agreements = self.matched_a + self.matched_b
        disagreements = self.unmatched_a + self.unmatched_b
        total = agreements + disagreements
        po = Fraction(agreements, total) if total else None
        pe = Fraction(1, self.n_codes) if self.n_codes is not None and self.n_codes >= 2 else None
        kappa = ratio_or_none(po - pe, 1 - pe) if po is not None and pe is not None else None
        set_ = object.__setattr__
        set_(self, "agreements", agreements)
        set_(self, "disagreements", disagreements)
        set_(self, "total", total)
        set_(self, "percent_agreement", float(po) if po is not None else None)
        set_(self, "chance_agreement", float(pe) if pe is not None else None)
        set_(self, "kappa", kappa)


def _matched(
    segments: list[tuple[int, int]],
    others: list[tuple[int, int]],
    num: int,
    den: int,
) -> int:
    """How many of ``segments`` meet some segment of ``others`` with IoU >= num/den."""
    if not others:
        return 0
    others = sorted(others)
    starts = [s for s, _ in others]
    longest = max(e - s for s, e in others)
    count = 0
    for start, end in segments:
        size = end - start
        # A partner B must overlap the segment, so B.start > start - |B|; and with
        # IoU >= t > 0, |B| <= |A| / t. That bounds the candidates to a window of starts.
        reach = longest if num == 0 else min(longest, size * den // num)
        lo = bisect.bisect_right(starts, start - reach)
        hi = bisect.bisect_left(starts, end)
        for o_start, o_end in others[lo:hi]:
            inter = min(end, o_end) - max(start, o_start)
            if inter <= 0:
                continue
            union = max(end, o_end) - min(start, o_start)
            if inter * den >= num * union:
                count += 1
                break
    return count


def segment_agreement(
    spans_a: Iterable[SpanLike],
    spans_b: Iterable[SpanLike],
    *,
    threshold: float = 0.9,
    n_codes: int | None = None,
) -> SegmentAgreement:
    """Segment-level agreement of two coders on one code, in the manner of MAXQDA.

    Definition used (MAXQDA's "code overlap at segment level"): every segment of each
    coder is checked against the other coder's segments of the same code. A segment S of
    one coder *agrees* when the other coder has a segment T with ``|S ∩ T| > 0`` and
    ``|S ∩ T| / |S ∪ T| >= threshold`` (intersection over union, so a short segment inside
    a long one does not count as agreement at 0.9). Both coders' segments are counted,
    so one matching pair adds two agreements; a segment may be matched by several
    segments of the other coder but counts once. Zero-length segments are ignored.

    The kappa is Brennan & Prediger's with chance ``1 / q``. Cohen's kappa cannot be used
    at segment level because the cell "neither coder coded this segment" does not exist,
    so there are no marginals to estimate chance from; MAXQDA therefore takes the free-
    marginal chance of Brennan & Prediger (1981) with q = the number of codes in the
    comparison. q is not knowable from one code's segments, so pass ``n_codes``; without
    it (or with q < 2) the kappa is None. For an overall figure over several codes, sum
    the counts with :func:`aggregate_segment_agreement` and give q there.

    Args:
        spans_a: coder A's segments of the code (tuples or objects with start/end).
        spans_b: coder B's segments of the same code in the same document.
        threshold: the minimum overlap ratio in ``[0, 1]`` (MAXQDA's default is 90 %).
        n_codes: q for the Brennan–Prediger chance agreement.

    Returns:
        A :class:`SegmentAgreement`.

    Raises:
        ValueError: a threshold outside ``[0, 1]`` or a span with end < start or start < 0.
    """
    if not 0 <= threshold <= 1:
        raise ValueError("threshold must lie in [0, 1]")
    # Compare in exact integers: 0.9 as a float is slightly above 9/10, and a segment
    # overlapping exactly 90 % must agree at the default threshold.
    ratio = Fraction(threshold).limit_denominator(10**6)
    num, den = ratio.numerator, ratio.denominator
    a = [_bounds(s) for s in spans_a]
    b = [_bounds(s) for s in spans_b]
    for s, e in a + b:
        if s < 0 or e < s:
            raise ValueError(f"invalid segment [{s}, {e})")
    a = [(s, e) for s, e in a if e > s]
    b = [(s, e) for s, e in b if e > s]
    matched_a = _matched(a, b, num, den)
    matched_b = _matched(b, a, num, den)
    return SegmentAgreement(
        matched_a=matched_a,
        unmatched_a=len(a) - matched_a,
        matched_b=matched_b,
        unmatched_b=len(b) - matched_b,
        n_codes=n_codes,
    )


def aggregate_segment_agreement(
    results: Iterable[SegmentAgreement], *, n_codes: int | None = None
) -> SegmentAgreement:
    """Overall segment agreement over many codes/documents: the counts are summed.

    Args:
        results: per-code (and/or per-document) results of :func:`segment_agreement`.
        n_codes: q for the pooled Brennan–Prediger kappa, normally the number of distinct
            codes in the comparison (MAXQDA: the rows of its code-specific table).

    Returns:
        A :class:`SegmentAgreement` of the summed counts.
    """
    matched_a = unmatched_a = matched_b = unmatched_b = 0
    for r in results:
        matched_a += r.matched_a
        unmatched_a += r.unmatched_a
        matched_b += r.matched_b
        unmatched_b += r.unmatched_b
    return SegmentAgreement(matched_a, unmatched_a, matched_b, unmatched_b, n_codes=n_codes)
