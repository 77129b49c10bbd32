"""Tests of codebench.domain.agreement (the statistics codebench reports) and of
codebench.domain.agreement_reference (the textbook coefficients they are cross-checked with)
against published values and naive references."""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codebench.domain.agreement import (
    CharAgreement,
    SegmentAgreement,
    aggregate_char_agreement,
    aggregate_segment_agreement,
    char_agreement,
    segment_agreement,
    unitized_alpha,
)
from codebench.domain.agreement_reference import (
    contingency_table,
    krippendorff_alpha,
    multi_rater_kappa,
    qualcoder_char_agreement,
    table_agreement,
)

TOL = 5e-5
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------------------
# Reference values
# --------------------------------------------------------------------------------------


def _reference_path() -> Path:
    # shared/ lies beside the repository checkout, both here and in CI's fresh clone.
    # A missing file fails the tests rather than skipping them.
    path = Path(__file__).resolve().parents[3].parent / "shared" / "agreement" / "reference_values.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: shared/ belongs beside the repository")
    return path


@pytest.fixture(scope="module")
def ref() -> dict:
    return json.loads(_reference_path().read_text(encoding="utf-8"))


# Every entry of the reference file, mapped to the tests that use it.
USED_ENTRIES = {
    "krippendorff_2011_4coders_12units_missing": "test_krippendorff_4coders_missing",
    "krippendorff_2011_binary_2coders_10units": "test_krippendorff_binary_2coders",
    "krippendorff_2011_nominal_2coders_12units": "test_krippendorff_nominal_letters",
    "atlasti_v9_manual_percent_agreement": "test_atlasti_manual",
    "cohen_wikipedia_50": "test_cohen_wikipedia_50",
    "cohen_wikipedia_paradox1": "test_cohen_paradoxes",
    "cohen_wikipedia_paradox2": "test_cohen_paradoxes",
    "fleiss_1971_wikipedia": "test_fleiss_wikipedia",
    "char_span_fixture": "test_char_span_fixture*",
    "krippendorff_2019_fig_12_11_unitizing": "test_fig_12_11*",
    "unitizing_same_boundaries_one_code_differs": "test_unitizing_same_boundaries",
}


def test_every_reference_entry_is_used(ref: dict) -> None:
    assert set(ref) == set(USED_ENTRIES)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_krippendorff_4coders_missing(ref: dict, level: str) -> None:
    entry = ref["krippendorff_2011_4coders_12units_missing"]
    got = krippendorff_alpha(entry["data_rows_coders"], level=level)
    assert got == pytest.approx(entry["expected"][level], abs=TOL)


def test_krippendorff_binary_2coders(ref: dict) -> None:
    entry = ref["krippendorff_2011_binary_2coders_10units"]
    assert krippendorff_alpha(entry["data"]) == pytest.approx(entry["expected"]["nominal"], abs=TOL)


def test_krippendorff_nominal_letters(ref: dict) -> None:
    entry = ref["krippendorff_2011_nominal_2coders_12units"]
    data = [list(row) for row in entry["data_letters"]]
    assert krippendorff_alpha(data) == pytest.approx(entry["expected"]["nominal"], abs=TOL)


def test_atlasti_manual(ref: dict) -> None:
    entry = ref["atlasti_v9_manual_percent_agreement"]
    a, b = entry["data"]
    _, table = contingency_table(a, b)
    result = table_agreement(table)
    assert result.percent_agreement == pytest.approx(
        entry["expected"]["percent_agreement"], abs=TOL
    )
    assert result.krippendorff_alpha == pytest.approx(entry["expected"]["alpha_nominal"], abs=TOL)
    assert krippendorff_alpha(entry["data"]) == pytest.approx(
        entry["expected"]["alpha_nominal"], abs=TOL
    )


def test_cohen_wikipedia_50(ref: dict) -> None:
    entry = ref["cohen_wikipedia_50"]
    exp = entry["expected"]
    r = table_agreement(entry["table_AxB"])
    assert r.cohen_kappa == pytest.approx(exp["kappa"], abs=TOL)
    assert r.po == pytest.approx(exp["po"], abs=TOL)
    assert r.pe == pytest.approx(exp["pe"], abs=TOL)
    assert r.n_categories == 2
    assert r.brennan_prediger == pytest.approx(exp["brennan_prediger_q2"], abs=TOL)
    assert r.gwet_ac1 == pytest.approx(exp["gwet_ac1"], abs=TOL)
    assert r.scott_pi == pytest.approx(exp["scott_pi"], abs=TOL)
    assert r.krippendorff_alpha == pytest.approx(exp["kripp_alpha"], abs=TOL)


@pytest.mark.parametrize("name", ["cohen_wikipedia_paradox1", "cohen_wikipedia_paradox2"])
def test_cohen_paradoxes(ref: dict, name: str) -> None:
    entry = ref[name]
    assert table_agreement(entry["table_AxB"]).cohen_kappa == pytest.approx(
        entry["expected"]["kappa"], abs=TOL
    )


def test_fleiss_wikipedia(ref: dict) -> None:
    entry = ref["fleiss_1971_wikipedia"]
    r = multi_rater_kappa(entry["counts_subject_x_category"])
    assert (r.n_subjects, r.n_raters, r.n_categories) == (10, 14, 5)
    assert r.fleiss_kappa == pytest.approx(entry["expected"]["fleiss_kappa"], abs=TOL)
    assert r.randolph_kappa == pytest.approx(entry["expected"]["randolph_free_marginal"], abs=TOL)


def _spans(units: list) -> list[tuple[int, int]]:
    return [(s, e) for s, e, _ in units]


def test_char_span_fixture_counts_and_standard_statistics(ref: dict) -> None:
    entry = ref["char_span_fixture"]
    exp = entry["expected"]
    r = char_agreement(entry["L"], _spans(entry["coderA"]), _spans(entry["coderB"]))
    assert (r.both, r.a_only, r.b_only, r.neither) == (
        exp["both"],
        exp["A_only"],
        exp["B_only"],
        exp["neither"],
    )
    assert r.percent_agreement == pytest.approx(exp["percent_agreement"], abs=TOL)
    assert r.cohen_kappa == pytest.approx(exp["cohen_kappa"], abs=TOL)
    assert r.krippendorff_alpha == pytest.approx(exp["kripp_alpha_nominal_per_char"], abs=TOL)


def test_char_span_fixture_unitizing(ref: dict) -> None:
    entry = ref["char_span_fixture"]
    exp = entry["expected"]
    units = [[tuple(u) for u in entry["coderA"]], [tuple(u) for u in entry["coderB"]]]
    r = unitized_alpha(entry["L"], units)
    assert r.u_alpha == pytest.approx(exp["u_alpha_nominal"], abs=TOL)
    assert r.u_alpha_binary == pytest.approx(exp["u_alpha_binary"], abs=TOL)


def test_char_span_fixture_qualcoder(ref: dict) -> None:
    entry = ref["char_span_fixture"]
    exp = entry["expected"]
    r = qualcoder_char_agreement(entry["L"], _spans(entry["coderA"]), _spans(entry["coderB"]))
    assert r.agreement_pct == pytest.approx(exp["qualcoder_agreement_pct"], abs=TOL)
    assert r.coded_only_agreement_pct == pytest.approx(
        exp["qualcoder_agree_coded_only_pct"], abs=TOL
    )
    assert r.kappa == pytest.approx(exp["qualcoder_kappa"], abs=TOL)


def _fig_12_11(entry: dict) -> dict[str, list[tuple[int, int, str]]]:
    # The book numbers positions 1..L inclusive; convert to half-open 0-based spans.
    return {
        name: [(s - 1, e, v) for s, e, v in units] for name, units in entry["observers"].items()
    }


def test_fig_12_11_computed_values(ref: dict) -> None:
    entry = ref["krippendorff_2019_fig_12_11_unitizing"]
    exp = entry["expected"]["computed_here"]
    r = unitized_alpha(entry["L"], _fig_12_11(entry))
    assert r.n_observers == 3
    assert r.u_alpha == pytest.approx(exp["u_alpha_nominal"], abs=TOL)
    assert r.u_alpha_binary == pytest.approx(exp["u_alpha_binary"], abs=TOL)
    assert r.cu_alpha == pytest.approx(exp["cu_alpha"], abs=TOL)


def test_fig_12_11_book_values(ref: dict) -> None:
    # The book prints two or three digits; check each to the precision printed. The book's
    # cuα (0.724) is reproduced by the "mean" pairable length (0.72417), not by "union".
    entry = ref["krippendorff_2019_fig_12_11_unitizing"]
    exp = entry["expected"]
    r = unitized_alpha(entry["L"], _fig_12_11(entry), cu_pairable="mean")
    assert r.u_alpha == pytest.approx(exp["u_alpha_nominal_book"], abs=0.005)
    assert r.u_alpha_binary == pytest.approx(exp["u_alpha_binary_book"], abs=0.001)
    assert r.cu_alpha == pytest.approx(exp["cu_alpha_book"], abs=0.0005)


def test_unitizing_same_boundaries(ref: dict) -> None:
    entry = ref["unitizing_same_boundaries_one_code_differs"]
    exp = entry["expected"]
    r = unitized_alpha(entry["L"], [[tuple(u) for u in entry["A"]], [tuple(u) for u in entry["B"]]])
    assert r.u_alpha == pytest.approx(exp["u_alpha_nominal"], abs=TOL)
    assert r.cu_alpha == pytest.approx(exp["cu_alpha"], abs=TOL)
    assert str(exp["u_alpha_binary"]).startswith("undefined")
    assert r.u_alpha_binary is None


# --------------------------------------------------------------------------------------
# Examples and edge cases
# --------------------------------------------------------------------------------------


def test_undefined_values_are_none() -> None:
    assert table_agreement([[10, 0], [0, 0]]).cohen_kappa is None
    assert table_agreement([[0, 0], [0, 0]]).po is None
    assert krippendorff_alpha([[1, 1, 1], [1, 1, 1]]) is None
    assert krippendorff_alpha([[1, None], [None, 2]]) is None
    r = char_agreement(10, [], [])
    assert (r.neither, r.cohen_kappa, r.krippendorff_alpha) == (10, None, None)
    assert r.percent_agreement == 1.0
    assert char_agreement(0, [], []).percent_agreement is None
    assert multi_rater_kappa([[3, 0], [3, 0]]).fleiss_kappa is None
    assert segment_agreement([(0, 5)], [(0, 5)]).kappa is None  # no q given
    assert segment_agreement([], []).percent_agreement is None
    u = unitized_alpha(10, [[], []])
    assert (u.u_alpha, u.u_alpha_binary, u.cu_alpha) == (None, None, None)
    assert unitized_alpha(0, [[], []]).u_alpha is None


def test_spans_accept_objects_with_start_and_end() -> None:
    class S:
        def __init__(self, start: int, end: int) -> None:
            self.start, self.end = start, end

    assert char_agreement(20, [S(2, 10)], [S(5, 15)]) == char_agreement(20, [(2, 10)], [(5, 15)])
    assert segment_agreement([S(0, 10)], [(0, 9)]).agreements == 2


def test_char_agreement_unites_overlapping_spans_of_one_coder() -> None:
    r = char_agreement(20, [(0, 5), (3, 8), (8, 10), (4, 4)], [(0, 10)])
    assert (r.both, r.a_only, r.b_only, r.neither) == (10, 0, 0, 10)
    assert r.cohen_kappa == 1.0 and r.krippendorff_alpha == 1.0


def test_invalid_inputs_raise() -> None:
    with pytest.raises(ValueError):
        char_agreement(10, [(5, 11)], [])
    with pytest.raises(ValueError):
        char_agreement(10, [(6, 5)], [])
    with pytest.raises(ValueError):
        unitized_alpha(10, [[(0, 5, "a"), (4, 8, "b")], []])
    with pytest.raises(ValueError):
        unitized_alpha(10, [[(0, 5, "a")]])
    with pytest.raises(ValueError):
        table_agreement([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ValueError):
        multi_rater_kappa([[2, 1], [1, 1]])
    with pytest.raises(ValueError):
        krippendorff_alpha([[1, 2], [1]])
    with pytest.raises(ValueError):
        krippendorff_alpha([["a", "b"], ["a", "a"]], level="interval")
    with pytest.raises(ValueError):
        segment_agreement([(0, 1)], [(0, 1)], threshold=1.5)


def test_aggregate_char_agreement_pools_counts() -> None:
    r1 = char_agreement(20, [(2, 10)], [(5, 15)])
    r2 = char_agreement(30, [(0, 30)], [(0, 30)])
    pooled = aggregate_char_agreement([r1, r2])
    assert pooled == CharAgreement(both=35, a_only=3, b_only=5, neither=7)
    assert pooled.length == 50
    assert pooled.percent_agreement == pytest.approx(42 / 50)
    assert aggregate_char_agreement([]).length == 0


def test_segment_agreement_threshold_is_intersection_over_union() -> None:
    # IoU = 9/10 exactly: agrees at the default 0.9 (exact comparison, no float slop).
    r = segment_agreement([(0, 10)], [(0, 9)], n_codes=4)
    assert (r.matched_a, r.matched_b, r.agreements, r.disagreements) == (1, 1, 2, 0)
    assert r.percent_agreement == 1.0 and r.kappa == 1.0
    # A short segment inside a long one: IoU = 5/20.
    r = segment_agreement([(0, 20)], [(5, 10)], threshold=0.9)
    assert (r.agreements, r.disagreements) == (0, 2)
    r = segment_agreement([(0, 20)], [(5, 10)], threshold=0.25)
    assert r.agreements == 2
    # Touching segments never agree, not even at threshold 0.
    assert segment_agreement([(0, 5)], [(5, 9)], threshold=0).agreements == 0


def test_segment_agreement_counts_both_coders_and_bp_kappa() -> None:
    a = [(0, 10), (20, 30), (40, 50)]
    b = [(0, 10), (21, 30), (60, 70), (80, 90)]
    r = segment_agreement(a, b, n_codes=3)
    assert (r.matched_a, r.unmatched_a, r.matched_b, r.unmatched_b) == (2, 1, 2, 2)
    assert r.total == 7 and r.percent_agreement == pytest.approx(4 / 7)
    assert r.chance_agreement == pytest.approx(1 / 3)
    assert r.kappa == pytest.approx((4 / 7 - 1 / 3) / (2 / 3))
    pooled = aggregate_segment_agreement([r, segment_agreement([(0, 5)], [(0, 5)])], n_codes=2)
    assert pooled == SegmentAgreement(3, 1, 3, 2, n_codes=2)
    assert pooled.kappa == pytest.approx((6 / 9 - 0.5) / 0.5)


def test_contingency_table_skips_missing_and_orders_categories() -> None:
    cats, table = contingency_table(["b", "a", None, "a"], ["b", "b", "a", "a"])
    assert cats == ("a", "b")
    assert table == ((1, 1), (0, 1))
    cats, table = contingency_table([1], [1], categories=[1, 2, 3])
    assert table_agreement(table).n_categories == 3


def test_krippendorff_nan_is_missing() -> None:
    assert krippendorff_alpha([[1, 2, float("nan")], [1, 2, 3]]) == krippendorff_alpha(
        [[1, 2, None], [1, 2, 3]]
    )


def test_qualcoder_quirks_are_reproduced() -> None:
    # A character coded twice by one coder counts as "dual coded" in QualCoder.
    r = qualcoder_char_agreement(10, [(0, 4), (2, 6)], [])
    assert (r.dual_coded, r.single_coded, r.uncoded, r.coded_a, r.coded_b) == (2, 4, 4, 8, 0)
    assert qualcoder_char_agreement(10, [], []).kappa is None
    with pytest.raises(ValueError):
        qualcoder_char_agreement(0, [], [])


def test_unitized_none_value_is_an_explicit_gap() -> None:
    a = [(0, 5, "x"), (5, 8, None)]
    b = [(0, 6, "x")]
    assert unitized_alpha(10, [a, b]) == unitized_alpha(10, [[(0, 5, "x")], b])


# --------------------------------------------------------------------------------------
# Naive references for the property tests
# --------------------------------------------------------------------------------------


def naive_char_counts(length: int, spans_a, spans_b) -> tuple[int, int, int, int]:
    a = [False] * length
    b = [False] * length
    for s, e in spans_a:
        for x in range(s, e):
            a[x] = True
    for s, e in spans_b:
        for x in range(s, e):
            b[x] = True
    both = sum(1 for x in range(length) if a[x] and b[x])
    a_only = sum(1 for x in range(length) if a[x] and not b[x])
    b_only = sum(1 for x in range(length) if b[x] and not a[x])
    return both, a_only, b_only, length - both - a_only - b_only


GAP = "<gap>"


def naive_unitized(length: int, observers, pairable: str = "union"):
    """uα, |uα and cuα from per-character arrays and the full ε matrix of the book."""
    m = len(observers)
    per_char = []
    sections = []
    for units in observers:
        row = [GAP] * length
        secs = []
        cursor = 0
        for s, e, v in sorted(units):
            if s > cursor:
                secs.append((cursor, s, GAP))
            secs.append((s, e, v))
            cursor = e
            for x in range(s, e):
                row[x] = v
        if cursor < length:
            secs.append((cursor, length, GAP))
        per_char.append(row)
        sections.append(secs)
    ell = defaultdict(float)
    for i in range(m):
        for j in range(m):
            if i != j:
                for x in range(length):
                    ell[(per_char[i][x], per_char[j][x])] += 1 / (m - 1)
    values = sorted({c for c, _ in ell})
    row = {c: sum(ell[(c, k)] for k in values) for c in values}
    total = sum(row.values())
    corr = defaultdict(float)
    for secs in sections:
        for s, e, v in secs:
            corr[v] += (e - s) if v == GAP else (e - s) ** 2
    big_c = sum(corr.values())

    def eps(c, k, row, total, corr, big_c):
        return total * (row[c] * row[k] - (corr[c] if c == k else 0)) / (total**2 - big_c)

    def alpha(do, de):
        return None if abs(de) < 1e-12 else 1 - do / de

    do = sum(ell[(c, k)] for c in values for k in values if c != k)
    de = sum(eps(c, k, row, total, corr, big_c) for c in values for k in values if c != k)
    u = alpha(do, de)

    def grp(c):
        return c == GAP

    do_b = sum(ell[(c, k)] for c in values for k in values if grp(c) != grp(k))
    de_b = sum(
        eps(c, k, row, total, corr, big_c) for c in values for k in values if grp(c) != grp(k)
    )
    ub = alpha(do_b, de_b)

    vals = [v for v in values if v != GAP]
    row_s = {c: sum(ell[(c, k)] for k in vals) for c in vals}
    total_s = sum(row_s.values())
    cu = None
    if total_s > 0:
        corr_s = defaultdict(float)
        for i, secs in enumerate(sections):
            for s, e, v in secs:
                if v == GAP:
                    continue
                if pairable == "union":
                    p = sum(
                        1
                        for x in range(s, e)
                        if any(per_char[j][x] != GAP for j in range(m) if j != i)
                    )
                else:
                    p = sum(
                        1 for j in range(m) if j != i for x in range(s, e) if per_char[j][x] != GAP
                    ) / (m - 1)
                corr_s[v] += p * p
        big_cs = sum(corr_s.values())
        if total_s**2 - big_cs > 0:
            do_s = sum(ell[(c, k)] for c in vals for k in vals if c != k)
            de_s = sum(
                eps(c, k, row_s, total_s, corr_s, big_cs) for c in vals for k in vals if c != k
            )
            cu = alpha(do_s, de_s)
    return u, ub, cu


def naive_segment_counts(a, b, threshold: float):
    def matched(xs, ys):
        n = 0
        for s, e in xs:
            for t, f in ys:
                inter = min(e, f) - max(s, t)
                union = max(e, f) - min(s, t)
                if inter > 0 and inter / union >= threshold - 1e-12:
                    n += 1
                    break
        return n

    a = [(s, e) for s, e in a if e > s]
    b = [(s, e) for s, e in b if e > s]
    ma, mb = matched(a, b), matched(b, a)
    return ma, len(a) - ma, mb, len(b) - mb


def naive_qualcoder(length, a, b):
    char_list = [0] * length
    coded0 = coded1 = 0
    for s, e in a:
        for x in range(s, e):
            char_list[x] += 1
            coded0 += 1
    for s, e in b:
        for x in range(s, e):
            char_list[x] += 1
            coded1 += 1
    uncoded = char_list.count(0)
    single = char_list.count(1)
    dual = char_list.count(2)
    agreement = round(100 * (dual + uncoded) / length, 2)
    unique = coded0 + coded1 - dual
    if unique == 0:
        return dual, single, uncoded, agreement, None
    po = dual / unique
    pe = (coded0 / unique * coded1 / unique) * (
        (unique - coded0) / unique * (unique - coded1) / unique
    )
    return dual, single, uncoded, agreement, round((po - pe) / (1 - pe), 4)


# --------------------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------------------


@st.composite
def doc_and_spans(draw, max_len: int = 60, n_coders: int = 2):
    length = draw(st.integers(min_value=1, max_value=max_len))
    span = st.tuples(
        st.integers(min_value=0, max_value=length), st.integers(min_value=0, max_value=length)
    ).map(lambda t: (min(t), max(t)))
    coders = [draw(st.lists(span, max_size=6)) for _ in range(n_coders)]
    return length, coders


@st.composite
def unitizations(draw, max_len: int = 40, values: str = "abc"):
    length = draw(st.integers(min_value=1, max_value=max_len))
    m = draw(st.integers(min_value=2, max_value=4))
    observers = []
    for _ in range(m):
        cuts = (
            sorted(draw(st.sets(st.integers(min_value=1, max_value=length - 1), max_size=6)))
            if length > 1
            else []
        )
        bounds = [0, *cuts, length]
        units = []
        for s, e in pairwise(bounds):
            v = draw(st.sampled_from([None, *values]))
            if v is not None:
                units.append((s, e, v))
        observers.append(units)
    return length, observers


def _approx_or_none(got, expected):
    if expected is None:
        return got is None
    return got is not None and got == pytest.approx(expected, abs=1e-9)


# --------------------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------------------


@PROPS
@given(doc_and_spans())
def test_char_sweep_equals_per_character_count(case) -> None:
    length, (a, b) = case
    r = char_agreement(length, a, b)
    assert (r.both, r.a_only, r.b_only, r.neither) == naive_char_counts(length, a, b)
    assert r.length == length


@PROPS
@given(doc_and_spans())
def test_char_statistics_match_generic_formulas(case) -> None:
    length, (a, b) = case
    r = char_agreement(length, a, b)
    table = [[r.both, r.a_only], [r.b_only, r.neither]]
    t = table_agreement(table)
    assert _approx_or_none(r.cohen_kappa, t.cohen_kappa)
    assert _approx_or_none(r.krippendorff_alpha, t.krippendorff_alpha)
    # Per-character alpha equals the generic coincidence-matrix alpha on 0/1 data.
    both, a_only, b_only, neither = naive_char_counts(length, a, b)
    rows = [
        [1] * both + [1] * a_only + [0] * b_only + [0] * neither,
        [1] * both + [0] * a_only + [1] * b_only + [0] * neither,
    ]
    assert _approx_or_none(r.krippendorff_alpha, krippendorff_alpha(rows))


@PROPS
@given(doc_and_spans())
def test_char_agreement_is_symmetric(case) -> None:
    length, (a, b) = case
    ab, ba = char_agreement(length, a, b), char_agreement(length, b, a)
    assert (ab.both, ab.a_only, ab.b_only, ab.neither) == (
        ba.both,
        ba.b_only,
        ba.a_only,
        ba.neither,
    )
    assert ab.cohen_kappa == ba.cohen_kappa
    assert ab.krippendorff_alpha == ba.krippendorff_alpha


@PROPS
@given(doc_and_spans())
def test_identical_codings_agree_perfectly(case) -> None:
    length, (a, _) = case
    r = char_agreement(length, a, a)
    assert r.percent_agreement == 1.0
    # Undefined exactly when there is nothing to disagree about: no character coded, or all.
    coded = naive_char_counts(length, a, a)[0]
    expected = 1.0 if 0 < coded < length else None
    assert r.cohen_kappa == expected
    assert r.krippendorff_alpha == expected


@PROPS
@given(doc_and_spans())
def test_qualcoder_matches_a_port_of_its_loop(case) -> None:
    length, (a, b) = case
    r = qualcoder_char_agreement(length, a, b)
    dual, single, uncoded, agreement, kappa = naive_qualcoder(length, a, b)
    assert (r.dual_coded, r.single_coded, r.uncoded) == (dual, single, uncoded)
    assert r.agreement_pct == agreement
    assert r.kappa == kappa


@PROPS
@given(unitizations())
def test_unitized_sweep_equals_naive(case) -> None:
    length, observers = case
    for mode in ("union", "mean"):
        r = unitized_alpha(length, observers, cu_pairable=mode)
        u, ub, cu = naive_unitized(length, observers, mode)
        assert _approx_or_none(r.u_alpha, u)
        assert _approx_or_none(r.u_alpha_binary, ub)
        assert _approx_or_none(r.cu_alpha, cu)


@PROPS
@given(unitizations(), st.randoms(use_true_random=False))
def test_unitized_is_invariant_to_observer_order(case, rnd) -> None:
    length, observers = case
    shuffled = list(observers)
    rnd.shuffle(shuffled)
    r1, r2 = unitized_alpha(length, observers), unitized_alpha(length, shuffled)
    assert _approx_or_none(r1.u_alpha, r2.u_alpha)
    assert _approx_or_none(r1.u_alpha_binary, r2.u_alpha_binary)
    assert _approx_or_none(r1.cu_alpha, r2.cu_alpha)


@PROPS
@given(unitizations())
def test_unitized_identical_observers_give_one(case) -> None:
    length, observers = case
    r = unitized_alpha(length, [observers[0]] * 3)
    # Each alpha is 1 where it is defined and None exactly where the continuum offers no
    # variation for it: uα needs two section values (a gap counts as one), |uα both a unit
    # and a gap, cuα two unit values.
    units = observers[0]
    values = {v for _, _, v in units}
    covered = sum(e - s for s, e, _ in units)
    has_gap = covered < length
    expected = {
        "u_alpha": len(values) + has_gap >= 2,
        "u_alpha_binary": 0 < covered < length,
        "cu_alpha": len(values) >= 2,
    }
    for name, defined in expected.items():
        value = getattr(r, name)
        if defined:
            assert value == pytest.approx(1.0), name
        else:
            assert value is None, name


@PROPS
@given(unitizations())
def test_cu_pairable_modes_agree_for_two_observers(case) -> None:
    length, observers = case
    pair = observers[:2]
    r1 = unitized_alpha(length, pair, cu_pairable="union")
    r2 = unitized_alpha(length, pair, cu_pairable="mean")
    assert _approx_or_none(r1.cu_alpha, r2.cu_alpha)


@PROPS
@given(doc_and_spans())
def test_binary_unitizing_of_one_code_is_between_coders_symmetric(case) -> None:
    length, (a, b) = case

    # A code's codings, united per coder, are a binary unitization of the document.
    def units(spans):
        merged = []
        for s, e in sorted(x for x in spans if x[1] > x[0]):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        return [(s, e, "X") for s, e in merged]

    r1 = unitized_alpha(length, [units(a), units(b)])
    r2 = unitized_alpha(length, [units(b), units(a)])
    assert _approx_or_none(r1.u_alpha, r2.u_alpha)
    # With a single value, uα and |uα coincide.
    assert _approx_or_none(r1.u_alpha, r1.u_alpha_binary)


@PROPS
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=8, max_size=8),
        min_size=2,
        max_size=4,
    ),
    st.sampled_from(["nominal", "ordinal", "interval", "ratio"]),
    st.randoms(use_true_random=False),
)
def test_krippendorff_invariant_to_coder_and_unit_order(data, level, rnd) -> None:
    base = krippendorff_alpha(data, level)
    coders = list(data)
    rnd.shuffle(coders)
    order = list(range(8))
    rnd.shuffle(order)
    permuted = [[row[u] for u in order] for row in coders]
    assert _approx_or_none(krippendorff_alpha(permuted, level), base)


@PROPS
@given(
    st.lists(st.lists(st.integers(0, 4), min_size=6, max_size=6), min_size=2, max_size=4),
    st.sampled_from(["nominal", "ordinal", "interval", "ratio"]),
)
def test_krippendorff_identical_coders_give_one(data, level) -> None:
    same = [data[0]] * len(data)
    # With no missing values alpha is undefined only when a single value occurs throughout.
    expected = None if len(set(data[0])) == 1 else 1.0
    assert krippendorff_alpha(same, level) == expected


@PROPS
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=30))
def test_table_statistics_symmetric_and_consistent(pairs) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    cats = [0, 1, 2, 3]
    _, t_ab = contingency_table(a, b, cats)
    _, t_ba = contingency_table(b, a, cats)
    r1, r2 = table_agreement(t_ab), table_agreement(t_ba)
    for name in (
        "po",
        "pe",
        "cohen_kappa",
        "scott_pi",
        "brennan_prediger",
        "gwet_ac1",
        "krippendorff_alpha",
    ):
        assert _approx_or_none(getattr(r1, name), getattr(r2, name))
    # Nominal alpha from the table equals the generic alpha on the same ratings.
    assert _approx_or_none(r1.krippendorff_alpha, krippendorff_alpha([a, b]))
    # Two raters: Fleiss' kappa is Scott's pi and Randolph's kappa is Brennan–Prediger's.
    counts = [[int(x == c) + int(y == c) for c in cats] for x, y in pairs]
    f = multi_rater_kappa(counts)
    assert _approx_or_none(f.fleiss_kappa, r1.scott_pi)
    assert _approx_or_none(f.randolph_kappa, r1.brennan_prediger)


@PROPS
@given(doc_and_spans(max_len=80), st.sampled_from([0.0, 0.3, 0.5, 0.9, 1.0]))
def test_segment_agreement_equals_naive(case, threshold) -> None:
    _, (a, b) = case
    r = segment_agreement(a, b, threshold=threshold)
    assert (r.matched_a, r.unmatched_a, r.matched_b, r.unmatched_b) == naive_segment_counts(
        a, b, threshold
    )
    swapped = segment_agreement(b, a, threshold=threshold)
    assert (swapped.agreements, swapped.disagreements) == (r.agreements, r.disagreements)
    if any(e > s for s, e in a):
        identical = segment_agreement(a, a, threshold=threshold, n_codes=5)
        assert identical.percent_agreement == 1.0 and identical.kappa == 1.0


@PROPS
@given(doc_and_spans(max_len=80))
def test_segment_agreements_fall_as_threshold_rises(case) -> None:
    _, (a, b) = case
    counts = [segment_agreement(a, b, threshold=t).agreements for t in (0.0, 0.25, 0.5, 0.75, 1.0)]
    assert counts == sorted(counts, reverse=True)


# --------------------------------------------------------------------------------------
# Speed: interval arithmetic, not per-character loops
# --------------------------------------------------------------------------------------


def test_speed_100_codes_2m_characters() -> None:
    rnd = random.Random(20240611)
    length = 2_000_000
    codes = [f"code{i}" for i in range(100)]

    def random_spans(n: int) -> list[tuple[int, int]]:
        out = []
        for _ in range(n):
            s = rnd.randrange(length - 5000)
            out.append((s, s + rnd.randint(1, 5000)))
        return out

    coder_a = {c: random_spans(250) for c in codes}
    # Coder B partly copies A with jitter, partly codes elsewhere.
    coder_b = {
        c: [
            (max(0, s - rnd.randint(0, 50)), min(length, e + rnd.randint(0, 50)))
            for s, e in spans[:200]
        ]
        + random_spans(50)
        for c, spans in coder_a.items()
    }
    assert sum(len(v) for v in coder_a.values()) + sum(len(v) for v in coder_b.values()) == 50_000

    started = time.perf_counter()
    char_results = [char_agreement(length, coder_a[c], coder_b[c]) for c in codes]
    overall = aggregate_char_agreement(char_results)
    seg_results = [segment_agreement(coder_a[c], coder_b[c]) for c in codes]
    seg_overall = aggregate_segment_agreement(seg_results, n_codes=len(codes))
    unitized = []
    for c in codes:
        per_coder = []
        for spans in (coder_a[c], coder_b[c]):
            # Unitizing needs disjoint units, so each coder's codings are united first.
            union: list[list[int]] = []
            for s, e in sorted(spans):
                if union and s <= union[-1][1]:
                    union[-1][1] = max(union[-1][1], e)
                else:
                    union.append([s, e])
            per_coder.append([(s, e, c) for s, e in union])
        unitized.append(unitized_alpha(length, per_coder))
    elapsed = time.perf_counter() - started

    assert overall.length == length * len(codes)
    assert overall.cohen_kappa is not None and 0 < overall.cohen_kappa < 1
    assert seg_overall.total == 50_000
    assert len(unitized) == len(codes)
    assert all(u.u_alpha is not None for u in unitized)
    assert elapsed < 5.0, f"agreement took {elapsed:.2f} s"
