"""Agreement coefficients that codebench does not report, kept as reference implementations.

Nothing in the product calls this module. It exists so that the statistics codebench does
report (:mod:`codebench.domain.agreement`, chosen per project by
:mod:`codebench.domain.reliability`) can be cross-checked against textbook formulas and
published worked examples:

* :func:`table_agreement` (Cohen's kappa, Scott's pi, Brennan–Prediger, Gwet's AC1 and nominal
  alpha from a two-rater contingency table, built by :func:`contingency_table`): the
  character-level kappa and alpha must equal these on the 2×2 table of coded/uncoded characters.
* :func:`krippendorff_alpha` (the coincidence-matrix method for any number of coders, missing
  values, four levels of measurement): checked against Krippendorff's published examples, and
  the team report's per-character alpha must equal it on 0/1 data.
* :func:`multi_rater_kappa` (Fleiss, Randolph): equals Scott's pi and Brennan–Prediger for two
  raters; checked against Fleiss' 1971 example.
* :func:`qualcoder_char_agreement`: QualCoder's own "Kappa" with its quirks, so a user's
  QualCoder figures can be reproduced digit for digit and explained.

The conventions are those of :mod:`codebench.domain.agreement` (half-open code point spans,
fractions rather than percentages except in the QualCoder figures, None for undefined).
"""

from __future__ import annotations

import math
import numbers
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from codebench.domain.agreement import SpanLike, checked_spans, one_minus_ratio_or_none, ratio_or_none

__all__ = [
    "Level",
    "MultiRaterKappa",
    "QualCoderAgreement",
    "TableAgreement",
    "contingency_table",
    "krippendorff_alpha",
    "multi_rater_kappa",
    "qualcoder_char_agreement",
    "table_agreement",
]

Level = Literal["nominal", "ordinal", "interval", "ratio"]
"""Levels of measurement understood by :func:`krippendorff_alpha`."""


# --------------------------------------------------------------------------------------
# 1. Two raters, contingency table
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableAgreement:
    """Agreement statistics of two raters from their contingency table.

    Attributes:
        n: number of units rated by both raters (the table total).
        n_categories: number of categories q used by the free-marginal coefficients.
        po: observed agreement, the share of units on the diagonal.
        pe: Cohen's chance agreement, ``sum_k row_k * col_k / n**2``.
        cohen_kappa: Cohen's kappa, ``(po - pe) / (1 - pe)``.
        scott_pi: Scott's pi, chance from the pooled marginals, ``sum_k pi_k**2``.
        brennan_prediger: Brennan–Prediger kappa, chance ``1 / q``.
        gwet_ac1: Gwet's AC1, chance ``sum_k pi_k (1 - pi_k) / (q - 1)``.
        krippendorff_alpha: Krippendorff's nominal alpha for the same data (two values per
            unit, no missing values).
    """

    n: float
    n_categories: int
    po: float | None
    pe: float | None
    cohen_kappa: float | None
    scott_pi: float | None
    brennan_prediger: float | None
    gwet_ac1: float | None
    krippendorff_alpha: float | None

    @property
    def percent_agreement(self) -> float | None:
        """Percent agreement as a fraction; the same number as :attr:`po`."""
        return self.po


def contingency_table(
    ratings_a: Sequence[Hashable | None],
    ratings_b: Sequence[Hashable | None],
    categories: Sequence[Hashable] | None = None,
) -> tuple[tuple[Hashable, ...], tuple[tuple[int, ...], ...]]:
    """Cross-tabulate two raters' labels for the same units.

    Args:
        ratings_a: rater A's label for each unit; None marks a missing rating.
        ratings_b: rater B's label for each unit, same length as ``ratings_a``.
        categories: the row/column order; defaults to the sorted labels that occur (or
            their first-seen order when they cannot be sorted). Listing categories nobody
            used is allowed and makes them count for the free-marginal coefficients.

    Returns:
        ``(categories, table)`` where ``table[i][j]`` counts units that A labelled
        ``categories[i]`` and B labelled ``categories[j]``. Units missing either rating are
        left out, because Cohen-type statistics need both ratings.

    Raises:
        ValueError: the sequences differ in length or a label is not in ``categories``.
    """
    if len(ratings_a) != len(ratings_b):
        raise ValueError("both raters must rate the same units")
    pairs = [
        (a, b) for a, b in zip(ratings_a, ratings_b, strict=True) if a is not None and b is not None
    ]
    if categories is None:
        seen = list(dict.fromkeys(v for pair in pairs for v in pair))
        try:
            cats: tuple[Hashable, ...] = tuple(sorted(seen))  # type: ignore[type-var]
        except TypeError:
            cats = tuple(seen)
    else:
        cats = tuple(categories)
    index = {c: i for i, c in enumerate(cats)}
    table = [[0] * len(cats) for _ in cats]
    for a, b in pairs:
        if a not in index or b not in index:
            raise ValueError(f"label {a if a not in index else b!r} is not among the categories")
        table[index[a]][index[b]] += 1
    return cats, tuple(tuple(row) for row in table)


def table_agreement(
    table: Sequence[Sequence[float]], n_categories: int | None = None
) -> TableAgreement:
    """Two-rater agreement coefficients from a square contingency table.

    Args:
        table: ``table[i][j]`` = number of units rater A put in category i and rater B in
            category j. Counts may be non-integer (e.g. weighted) but not negative.
        n_categories: q for Brennan–Prediger and Gwet's AC1; defaults to the table size.
            Give a larger q when the coding scheme has categories that nobody used.

    Returns:
        A :class:`TableAgreement`; coefficients whose chance agreement is 1 (or with
        q < 2, or an empty table) are None.

    Raises:
        ValueError: the table is not square, has negative counts, or q is below its size.
    """
    q = len(table)
    if any(len(row) != q for row in table):
        raise ValueError("the contingency table must be square")
    if any(x < 0 for row in table for x in row):
        raise ValueError("counts cannot be negative")
    qq = q if n_categories is None else n_categories
    if qq < q:
        raise ValueError("n_categories cannot be smaller than the table")
    # Fractions keep integer tables exact, so identical inputs give bit-identical results.
    t = [[Fraction(x) for x in row] for row in table]
    zero = Fraction(0)
    n = sum((sum(row, zero) for row in t), zero)
    if n == 0:
        return TableAgreement(0, qq, None, None, None, None, None, None, None)
    rows = [sum(row, zero) for row in t]
    cols = [sum((t[i][j] for i in range(q)), zero) for j in range(q)]
    po = sum((t[k][k] for k in range(q)), zero) / n
    pe_cohen = sum((rows[k] * cols[k] for k in range(q)), zero) / (n * n)
    pooled = [(rows[k] + cols[k]) / (2 * n) for k in range(q)]
    pe_scott = sum((p * p for p in pooled), zero)

    def chance_corrected(pe: Fraction) -> float | None:
        return ratio_or_none(po - pe, 1 - pe)

    bp = chance_corrected(Fraction(1, qq)) if qq >= 2 else None
    ac1 = chance_corrected(sum((p * (1 - p) for p in pooled), zero) / (qq - 1)) if qq >= 2 else None
    # Krippendorff's alpha from the coincidence matrix: every unit has exactly two values,
    # so o_ck = t_ck + t_kc and n_c = row_c + col_c over 2n pairable values.
    n_values = 2 * n
    marg = [rows[k] + cols[k] for k in range(q)]
    disagree = 2 * (n - sum((t[k][k] for k in range(q)), zero))  # sum of off-diagonal o_ck
    expected = n_values * n_values - sum((m * m for m in marg), zero)  # sum_{c != k} n_c n_k
    alpha = one_minus_ratio_or_none((n_values - 1) * disagree, expected)
    return TableAgreement(
        n=float(n),
        n_categories=qq,
        po=float(po),
        pe=float(pe_cohen),
        cohen_kappa=chance_corrected(pe_cohen),
        scott_pi=chance_corrected(pe_scott),
        brennan_prediger=bp,
        gwet_ac1=ac1,
        krippendorff_alpha=alpha,
    )
# --------------------------------------------------------------------------------------
# 2. Krippendorff's alpha, any number of coders, missing values
# --------------------------------------------------------------------------------------


def _is_missing(value: object) -> bool:
    # NaN is accepted as "missing" too, because that is how tabular tools export blanks.
    return value is None or (isinstance(value, float) and math.isnan(value))


def krippendorff_alpha(
    reliability_data: Sequence[Sequence[Hashable | None]], level: Level = "nominal"
) -> float | None:
    """Krippendorff's alpha by the coincidence-matrix method.

    Args:
        reliability_data: one row per coder, one column per unit; ``None`` (or NaN) marks a
            missing value. Units with fewer than two values are not pairable and are
            ignored, as Krippendorff prescribes.
        level: ``"nominal"``, ``"ordinal"`` (values must be sortable; distances use the
            ranks weighted by the value frequencies), ``"interval"`` or ``"ratio"``
            (values must be real numbers, non-negative for ratio).

    Returns:
        ``1 - (n - 1) * sum(o_ck * d_ck) / sum(n_c * n_k * d_ck)``; None when undefined
        (no pairable values, or only one distinct value so there is no expected
        disagreement).

    Raises:
        ValueError: rows of unequal length, unknown level, or values unfit for the level.
    """
    if level not in ("nominal", "ordinal", "interval", "ratio"):
        raise ValueError(f"unknown level {level!r}")
    rows = [list(r) for r in reliability_data]
    if not rows:
        return None
    n_units = len(rows[0])
    if any(len(r) != n_units for r in rows):
        raise ValueError("every coder needs one entry per unit (use None for missing)")
    # Pair counts are grouped by the unit's number of values m_u so that the 1/(m_u - 1)
    # weights are applied once per group, exactly, with Fractions.
    pairs_by_m: dict[int, Counter[tuple[Hashable, Hashable]]] = defaultdict(Counter)
    for u in range(n_units):
        values = [r[u] for r in rows if not _is_missing(r[u])]
        if len(values) < 2:
            continue
        counts = Counter(values)
        bucket = pairs_by_m[len(values)]
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nk - 1) if c == k else nc * nk
                if pairs:
                    bucket[(c, k)] += pairs
    coincidence: dict[tuple[Hashable, Hashable], Fraction] = defaultdict(Fraction)
    for m_u, bucket in pairs_by_m.items():
        for key, pairs in bucket.items():
            coincidence[key] += Fraction(pairs, m_u - 1)
    marginals: dict[Hashable, Fraction] = defaultdict(Fraction)
    for (c, _k), o in coincidence.items():
        marginals[c] += o
    n = sum(marginals.values(), Fraction(0))
    if n <= 1:
        return None
    delta = _metric(level, marginals)
    observed = sum((o * delta(c, k) for (c, k), o in coincidence.items() if c != k), Fraction(0))
    values = list(marginals)
    expected = sum(
        (marginals[c] * marginals[k] * delta(c, k) for c in values for k in values if c != k),
        Fraction(0),
    )
    return one_minus_ratio_or_none((n - 1) * observed, expected)


def _metric(
    level: Level, marginals: Mapping[Hashable, Fraction]
) -> Callable[[Hashable, Hashable], Fraction | int]:
    """The squared difference function delta^2(c, k) for a level of measurement."""
    if level == "nominal":
        return lambda c, k: 0 if c == k else 1
    if level == "ordinal":
        ordered = sorted(marginals)  # type: ignore[type-var]
        rank = {v: i for i, v in enumerate(ordered)}
        # prefix[i] = n_0 + ... + n_{i-1}; the ordinal distance sums the frequencies of
        # all ranks between c and k inclusive, minus half of each end's own frequency.
        prefix = [Fraction(0)]
        for v in ordered:
            prefix.append(prefix[-1] + marginals[v])

        def ordinal(c: Hashable, k: Hashable) -> Fraction:
            i, j = sorted((rank[c], rank[k]))
            d = prefix[j + 1] - prefix[i] - (marginals[c] + marginals[k]) / 2
            return d * d

        return ordinal
    exact: dict[Hashable, Fraction] = {}
    for v in marginals:
        if not isinstance(v, numbers.Real) or isinstance(v, bool):
            raise ValueError(f"{level} alpha needs numeric values, got {v!r}")
        # Exact rationals, so differences of large or fractional values lose nothing.
        exact[v] = Fraction(v) if isinstance(v, (int, Fraction)) else Fraction(float(v))
        if level == "ratio" and exact[v] < 0:
            raise ValueError("ratio alpha needs non-negative values")
    if level == "interval":
        return lambda c, k: (exact[c] - exact[k]) ** 2

    def ratio(c: Hashable, k: Hashable) -> Fraction:
        total = exact[c] + exact[k]
        return Fraction(0) if total == 0 else ((exact[c] - exact[k]) / total) ** 2

    return ratio
# --------------------------------------------------------------------------------------
# 3. Fleiss and Randolph from a subjects x categories count matrix
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MultiRaterKappa:
    """Fleiss' kappa and Randolph's free-marginal kappa.

    Attributes:
        n_subjects: number of subjects (rows).
        n_raters: raters per subject (every row sums to this).
        n_categories: q used for Randolph's chance agreement ``1 / q``.
        p_observed: mean pairwise agreement over subjects, P-bar.
        p_expected: Fleiss' chance agreement ``sum_j p_j**2`` from the pooled category
            proportions.
        fleiss_kappa: ``(P-bar - Pe) / (1 - Pe)``.
        randolph_kappa: ``(P-bar - 1/q) / (1 - 1/q)``.
    """

    n_subjects: int
    n_raters: int
    n_categories: int
    p_observed: float
    p_expected: float
    fleiss_kappa: float | None
    randolph_kappa: float | None


def multi_rater_kappa(
    counts: Sequence[Sequence[int]], n_categories: int | None = None
) -> MultiRaterKappa:
    """Fleiss' (1971) kappa and Randolph's (2005) free-marginal multirater kappa.

    Args:
        counts: ``counts[i][j]`` = how many raters put subject i in category j. Every
            subject must be rated by the same number (at least 2) of raters.
        n_categories: q for Randolph's kappa; defaults to the number of columns. Give the
            size of the coding scheme when some categories were never used.

    Returns:
        A :class:`MultiRaterKappa`; a coefficient is None when its chance agreement is 1.

    Raises:
        ValueError: empty matrix, ragged rows, unequal or fewer than two raters per subject,
            negative counts, or q below the number of columns.
    """
    if not counts or not counts[0]:
        raise ValueError("need at least one subject and one category")
    k = len(counts[0])
    if any(len(row) != k for row in counts):
        raise ValueError("every subject needs a count for every category")
    if any(x < 0 for row in counts for x in row):
        raise ValueError("counts cannot be negative")
    raters = {sum(row) for row in counts}
    if len(raters) != 1:
        raise ValueError("Fleiss' kappa needs the same number of raters for every subject")
    r = raters.pop()
    if r < 2:
        raise ValueError("each subject needs at least two ratings")
    q = k if n_categories is None else n_categories
    if q < k:
        raise ValueError("n_categories cannot be smaller than the number of columns")
    n_subjects = len(counts)
    agree_pairs = sum(x * (x - 1) for row in counts for x in row)
    p_bar = Fraction(agree_pairs, n_subjects * r * (r - 1))
    totals = [sum(row[j] for row in counts) for j in range(k)]
    p_e = sum((Fraction(t, n_subjects * r) ** 2 for t in totals), Fraction(0))
    randolph = ratio_or_none(p_bar - Fraction(1, q), 1 - Fraction(1, q)) if q >= 2 else None
    return MultiRaterKappa(
        n_subjects=n_subjects,
        n_raters=r,
        n_categories=q,
        p_observed=float(p_bar),
        p_expected=float(p_e),
        fleiss_kappa=ratio_or_none(p_bar - p_e, 1 - p_e),
        randolph_kappa=randolph,
    )
# --------------------------------------------------------------------------------------
# 4. QualCoder's figures for one code in one text file
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QualCoderAgreement:
    """The figures QualCoder's "Coder comparison by file" report shows for a text file.

    Attributes:
        characters: document length.
        dual_coded: characters covered by exactly two codings (of either coder).
        single_coded: characters covered by exactly one coding.
        uncoded: characters covered by no coding.
        coded_a: summed length of coder A's codings (overlaps counted twice).
        coded_b: summed length of coder B's codings.
        agreement_pct: ``round(100 * (dual_coded + uncoded) / characters, 2)``.
        coded_only_agreement_pct: ``round(100 * Po, 2)`` with QualCoder's
            ``Po = dual_coded / (coded_a + coded_b - dual_coded)``; None if that is 0/0.
        kappa: QualCoder's "Kappa", rounded to 4 decimals; None where QualCoder shows
            "zerodiv".
    """

    characters: int
    dual_coded: int
    single_coded: int
    uncoded: int
    coded_a: int
    coded_b: int
    agreement_pct: float
    coded_only_agreement_pct: float | None
    kappa: float | None


def qualcoder_char_agreement(
    length: int, spans_a: Iterable[SpanLike], spans_b: Iterable[SpanLike]
) -> QualCoderAgreement:
    """QualCoder-compatible two-coder figures for one code in one text file.

    Reproduces ``DialogCompareCoderByFile.agreement_text_file`` of QualCoder 3.x so that
    users can check codebench's numbers against QualCoder's. Its "Kappa" is *not* Cohen's
    kappa and should not be reported as such: it only looks at characters some coder
    coded, ``u = coded_a + coded_b - dual``, takes ``Po = dual / u`` and multiplies (rather
    than adds) the two chance terms, ``Pe = (coded_a/u * coded_b/u) *
    ((u - coded_a)/u * (u - coded_b)/u)``, then ``kappa = (Po - Pe) / (1 - Pe)``. QualCoder
    also counts a character by how many codings cover it, regardless of coder, so a
    character one coder coded twice counts as "dual coded" and one covered three times
    counts nowhere; both quirks are kept here on purpose. Use :func:`char_agreement` for
    the standard statistics.

    Args:
        length: the document's length in code points (must be positive, as in QualCoder).
        spans_a: coder A's spans for the code (not united first, as in QualCoder).
        spans_b: coder B's spans for the code.

    Returns:
        A :class:`QualCoderAgreement` with QualCoder's rounding.

    Raises:
        ValueError: a non-positive length or a span outside ``[0, length]``.
    """
    if length <= 0:
        raise ValueError("QualCoder reports nothing for an empty text")
    a = checked_spans(spans_a, length, "coder A")
    b = checked_spans(spans_b, length, "coder B")
    coded_a = sum(e - s for s, e in a)
    coded_b = sum(e - s for s, e in b)
    # Depth sweep: how many codings cover each stretch, without visiting characters.
    events: list[tuple[int, int]] = [(s, 1) for s, _ in a + b] + [(e, -1) for _, e in a + b]
    events.sort()
    by_depth: Counter[int] = Counter()
    depth = 0
    prev = 0
    for pos, step in events:
        if pos > prev:
            by_depth[depth] += pos - prev
            prev = pos
        depth += step
    by_depth[0] += length - prev
    dual, single, uncoded = by_depth[2], by_depth[1], by_depth[0]
    # The float expressions below follow QualCoder's operation order on purpose, so the
    # rounded figures match its report digit for digit.
    agreement = round(100 * (dual + uncoded) / length, 2)
    unique = coded_a + coded_b - dual
    po_pct: float | None = None
    kappa: float | None = None
    if unique != 0:
        po = dual / unique
        p_yes = coded_a / unique * coded_b / unique
        p_no = (unique - coded_a) / unique * (unique - coded_b) / unique
        pe = p_yes * p_no
        po_pct = round(100 * po, 2)
        kappa = round((po - pe) / (1 - pe), 4) if pe != 1 else None
    return QualCoderAgreement(
        characters=length,
        dual_coded=dual,
        single_coded=single,
        uncoded=uncoded,
        coded_a=coded_a,
        coded_b=coded_b,
        agreement_pct=agreement,
        coded_only_agreement_pct=po_pct,
        kappa=kappa,
    )
