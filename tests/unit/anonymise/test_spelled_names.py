"""Names spelled out letter by letter in ASR text ("det er h o d a n") are person names."""

from __future__ import annotations

import pytest

from codebench.anonymise.detections import PER
from codebench.anonymise.spelled import find_spelled_names


def spelled(text: str) -> list[str]:
    found = find_spelled_names(text)
    assert all(d.text == text[d.start:d.end] and d.kind == PER and d.detector == "rules:spelled" for d in found)
    return [d.text for d in found]


@pytest.mark.parametrize(("text", "expected"), [
    ("ja eg heter gunnhild brekkvoll altså det er b r e k k v o l l brekkvoll", "b r e k k v o l l"),
    ("etternavnet er sund med d på slutten altså s u n d", "s u n d"),
    ("olsen med s e n på slutten", "s e n"),
    ("det skrives k-j-e-l-b-u", "k-j-e-l-b-u"),  # typed with hyphens
    ("Navnet er T O R V I K, med k.", "T O R V I K"),  # in capitals
])
def test_a_run_of_single_letters_spelling_a_word_is_a_name(text: str, expected: str) -> None:
    # A tester's "m j e l d e", "h o d a n" and "t s e n" were left in clear: no list or model
    # knows a name written as letters, and they identify as much as the name.
    assert spelled(text) == [expected]
    assert find_spelled_names(text)[0].score >= 0.5  # strong enough for --auto


@pytest.mark.parametrize("text", [
    "æ e i a sånn men",  # northern dialect: "jeg er i ..."; "e" for "er", "a" for "ho", "å" for "og"
    "så sa e å e i o a på det",
    "det var n r k og t v to",  # abbreviations read out: no vowel
    "han jobba på n a v og u d i før",  # abbreviations with one
    "a b c d og så videre",  # the alphabet
    "han sa e e e nei",
    "vi tar a b og c",  # two letters only on either side of "og"
    "a-b c d",  # mixed separators
])
def test_single_letters_that_spell_nothing_are_left(text: str) -> None:
    assert spelled(text) == []


def test_three_letters_need_a_cue_that_they_are_spelled() -> None:
    # Storting ASR: "andre enn t d a vore" is noise; a tester's "med n e s på slutten" is a spelling.
    from codebench.anonymise.spelled import find_spelled_names

    assert not find_spelled_names("gjennom konsulentselskapet og andre enn t d a vore direkte dialog")
    assert [d.text for d in find_spelled_names("tveitnes med n e s på slutten")] == ["n e s"]
    assert [d.text for d in find_spelled_names("det er h o d a n jeg er fra somalia")] == ["h o d a n"]
