"""Adjudication regions and decisions, and merge name suggestions: pure rules, no database."""

from __future__ import annotations

import pytest

from codebench.domain.adjudication import RegionCoding, agrees, decide, open_disagreements, regions
from codebench.domain.merge_report import MergeReport, name_suggestions


def _c(coder: str, code: str, start: int, end: int) -> RegionCoding:
    return RegionCoding(f"{coder}-{code}-{start}", coder, code, start, end)


def test_overlapping_codings_form_one_region_and_separate_ones_do_not():
    found = regions([
        (1, "kari", _c("ingrid", "tillit", 0, 10)),
        (1, "kari", _c("per", "tillit", 5, 20)),
        (1, "kari", _c("per", "mentor", 20, 30)),  # touches, does not overlap: a new region
        (2, "ola", _c("ingrid", "tillit", 0, 10)),
    ])
    assert [(r.document_id, r.start, r.end, len(r.codings)) for r in found] == [(1, 0, 20, 2), (1, 20, 30, 1),
                                                                              (2, 0, 10, 1)]
    assert found[0].key == "1:0-20"
    assert found[0].codes_of("per") == ["tillit"]


def test_agreement_needs_the_same_code_on_matching_spans_from_both_coders():
    same = regions([(1, "d", _c("a", "x", 0, 100)), (1, "d", _c("b", "x", 2, 100))])[0]
    shifted = regions([(1, "d", _c("a", "x", 0, 100)), (1, "d", _c("b", "x", 50, 150))])[0]
    other_code = regions([(1, "d", _c("a", "x", 0, 100)), (1, "d", _c("b", "y", 0, 100))])[0]
    alone = regions([(1, "d", _c("a", "x", 0, 100))])[0]
    assert agrees(same, "a", "b", 0.9)
    assert not agrees(shifted, "a", "b", 0.9)
    assert not agrees(other_code, "a", "b", 0.9)
    assert not agrees(alone, "a", "b", 0.9)
    assert open_disagreements([same, shifted, alone], "a", "b", 0.9, decided={alone.key}) == [shifted]


def test_decisions_pick_codings_without_doubles():
    region = regions([(1, "d", _c("a", "x", 0, 10)), (1, "d", _c("b", "x", 0, 10)), (1, "d", _c("b", "y", 2, 8))])[0]
    assert [(c.code, c.start) for c in decide(region, "keep-a", "a", "b")] == [("x", 0)]
    assert sorted((c.code, c.start) for c in decide(region, "keep-b", "a", "b")) == [("x", 0), ("y", 2)]
    assert sorted((c.code, c.start) for c in decide(region, "both", "a", "b")) == [("x", 0), ("y", 2)]
    assert decide(region, "neither", "a", "b") == []
    with pytest.raises(ValueError, match="unknown decision"):
        decide(region, "maybe", "a", "b")


def test_name_suggestions_catch_inflections_but_not_shared_words():
    found = name_suggestions(["tidspresset", "inkludering"], ["tidspress", "sosial inkludering"])
    assert [(a, b) for a, b, _ in found] == [("tidspresset", "tidspress")]
    assert found[0][2] >= 80
    assert name_suggestions(["Tidspress"], ["tidspress"]) == []  # the same name in another case is a match
    assert [(a, b) for a, b, _ in name_suggestions(["tidspress", "tidspresset"], [])] == [("tidspress", "tidspresset")]


def test_an_empty_merge_report_says_nothing_changed():
    report = MergeReport(source="ingrid")
    assert not report.changed
    assert report.lines()[0] == "merged ingrid: coders (none)"
    report.codings_added = 3
    assert report.changed
