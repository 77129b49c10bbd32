"""Span arithmetic and offset maps: the positions every coding and pseudonym rests on."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from codebench.domain.spans import (
    OffsetMap, Span, apply_replacements, code_point_to_utf8_byte, merge_spans, subtract_spans,
    total_length, utf16_offsets_to_code_points,
)


def test_overlap_is_half_open():
    assert Span(0, 5).overlaps(Span(4, 6))
    assert not Span(0, 5).overlaps(Span(5, 6))  # touching is not overlapping
    assert Span(2, 8).contains(Span(2, 8)) and not Span(2, 8).contains(Span(1, 3))
    assert Span(0, 10).intersection(Span(5, 20)) == Span(5, 10)
    assert Span(0, 3).intersection(Span(3, 4)) is None
    assert Span(0, 10).overlap_length(Span(8, 12)) == 2 and Span(0, 10).union_length(Span(8, 12)) == 12


def test_invalid_spans_are_refused():
    with pytest.raises(ValueError):
        Span(5, 4)
    with pytest.raises(ValueError):
        Span(-1, 3)


def test_merge_and_subtract():
    assert merge_spans([Span(5, 8), Span(0, 3), Span(2, 4), Span(8, 9)]) == [Span(0, 4), Span(5, 9)]
    assert merge_spans([Span(0, 3), Span(3, 5)], join_touching=False) == [Span(0, 3), Span(3, 5)]
    assert total_length([Span(0, 3), Span(2, 6), Span(10, 11)]) == 7
    assert subtract_spans(Span(0, 10), [Span(2, 4), Span(3, 5), Span(9, 12)]) == [Span(0, 2), Span(5, 9)]


def test_offset_map_pseudonym_replacement():
    text = "Jeg snakket med Kristine Holm i går, og Kristine var glad."
    first = text.index("Kristine Holm")
    second = text.index("Kristine var")
    new, mapping = apply_replacements(text, [(Span(first, first + 13), "[Veileder 1]"), (Span(second, second + 8), "[Veileder 1]")])
    assert new == "Jeg snakket med [Veileder 1] i går, og [Veileder 1] var glad."
    # a coding on "i går" moves with the text
    span = Span(text.index("i går"), text.index("i går") + 5)
    moved = mapping.span_to_target(span)
    assert new[moved.start:moved.end] == "i går"
    assert mapping.span_to_source(moved) == span
    # a coding that starts inside a name widens to the whole pseudonym instead of cutting it
    inside = mapping.span_to_target(Span(first + 3, first + 20))
    assert new[inside.start:inside.end].startswith("[Veileder 1]")


def test_offset_map_rejects_overlapping_edits():
    with pytest.raises(ValueError):
        OffsetMap(10, [(Span(0, 5), 2), (Span(4, 6), 1)])


@given(st.text(alphabet="abc ", min_size=1, max_size=60), st.data())
def test_offset_map_round_trips_outside_replacements(text, data):
    n = len(text)
    cuts = sorted(data.draw(st.lists(st.integers(0, n), min_size=0, max_size=6, unique=True)))
    edits = []
    for a, b in zip(cuts[::2], cuts[1::2]):
        edits.append((Span(a, b), data.draw(st.text(alphabet="XY", max_size=5))))
    new, mapping = apply_replacements(text, edits)
    assert mapping.target_length == len(new)
    covered = set()
    for span, _ in edits:
        covered.update(range(span.start, span.end))
    for pos in range(n):
        if pos not in covered:
            target = mapping.to_target(pos)
            assert new[target] == text[pos]
            assert mapping.to_source(target) == pos


def test_unit_conversions_at_the_edges():
    text = "a😀b"
    assert utf16_offsets_to_code_points(text) == [0, 1, 1, 2, 3]
    assert code_point_to_utf8_byte("æøå", 2) == 4
