"""Pieces of a text change, their offset map, and where coded spans go."""

from __future__ import annotations

import random

import pytest

from codebench.domain.editing import (
    Piece, SpanFollower, apply_pieces, diff_pieces, follow_chain, invert_pieces, word_at,
)

OLD = "R: Jeg snakket med Lishagen om grønsene i går, og det var fint."
NEW = "R: Jeg snakket med Lieshagen om grensene i går, og det var fint."


def test_two_fixed_words_are_two_small_pieces_of_whole_words():
    pieces = diff_pieces(OLD, NEW)
    assert [(p.old, p.new) for p in pieces] == [("Lishagen", "Lieshagen"), ("grønsene", "grensene")]
    assert apply_pieces(OLD, pieces) == NEW
    assert apply_pieces(NEW, invert_pieces(pieces)) == OLD


def test_a_span_between_two_changes_keeps_its_words_and_is_not_touched():
    follower = SpanFollower(len(OLD), diff_pieces(OLD, NEW))
    start = OLD.index("om")
    fate = follower.follow(start, start + 2)
    assert not fate.touched and not fate.lost
    assert NEW[fate.start:fate.end] == "om"
    tail = OLD.index("og det")
    fate = follower.follow(tail, len(OLD))
    assert (NEW[fate.start:fate.end], fate.touched) == ("og det var fint.", False)


def test_a_span_the_change_overlaps_widens_over_the_new_words_and_is_touched():
    follower = SpanFollower(len(OLD), diff_pieces(OLD, NEW))
    start = OLD.index("med Lisha")
    fate = follower.follow(start, start + len("med Lisha"))  # cuts the changed word in half
    assert fate.touched and not fate.lost
    assert NEW[fate.start:fate.end] == "med Lieshagen"


def test_a_span_whose_words_were_all_deleted_is_lost_at_the_place_they_were():
    old, new = "a b c d", "a d"
    follower = SpanFollower(len(old), diff_pieces(old, new))
    fate = follower.follow(2, 3)  # "b"
    assert fate.lost and fate.start == fate.end == 2
    assert word_at(new, fate.start) == (0, 1)  # kept on the word before it


def test_an_insertion_at_a_span_boundary_does_not_touch_it_but_one_inside_does():
    text = "ord en ord to"
    inserted_before = [Piece(4, 4, "", "ekstra ")]
    follower = SpanFollower(len(text), inserted_before)
    fate = follower.follow(4, 6)  # "en"
    assert (fate.touched, fate.start, fate.end) == (False, 11, 13)
    inside = SpanFollower(len(text), [Piece(5, 5, "", "X")])
    assert inside.follow(4, 6).touched
    at_end = SpanFollower(len(text), [Piece(6, 6, "", " og")])
    fate = at_end.follow(4, 6)
    assert (fate.touched, fate.start, fate.end) == (False, 4, 6)


def test_pieces_that_no_longer_fit_the_text_are_refused():
    with pytest.raises(ValueError):
        apply_pieces("annen tekst", [Piece(0, 5, "hallo", "hei")])


def test_random_word_changes_round_trip_and_untouched_words_stay_the_same():
    rng = random.Random(7)
    words = [rng.choice(["mentor", "veileder", "tid", "og", "det", "var", "Lishagen", ","]) for _ in range(400)]
    old = " ".join(words)
    changed = list(words)
    for i in rng.sample(range(len(changed)), 25):
        changed[i] = rng.choice(["", "Lieshagen", "tidspress", "ikke"])
    new = " ".join(w for w in changed if w)
    pieces = diff_pieces(old, new)
    assert apply_pieces(old, pieces) == new
    assert apply_pieces(new, invert_pieces(pieces)) == old
    follower = SpanFollower(len(old), pieces)
    position = 0
    for word in words:
        fate = follower.follow(position, position + len(word))
        if not fate.touched:
            assert new[fate.start:fate.end] == word
        position += len(word) + 1


def test_following_several_changes_in_a_row():
    first = "Jeg bor i Sørvik."
    second = "Jeg bor nå i Sørvik."
    third = "Jeg bor nå i Sørvika."
    changes = [(len(first), diff_pieces(first, second)), (len(second), diff_pieces(second, third))]
    fate = follow_chain(changes, 0, 7)  # "Jeg bor"
    assert (third[fate.start:fate.end], fate.touched) == ("Jeg bor", False)
    fate = follow_chain(changes, 10, 16)  # "Sørvik"
    assert fate.touched and third[fate.start:fate.end] == "Sørvika"
