"""How the NER training data is built from NorNE sentences (no spaCy needed)."""

from __future__ import annotations

import random

from codebench.anonymise.training.convert_norne import asr_copy, name_swap_copy

SENTENCE = (
    ["Det", "går", "bra", ",", "sier", "Kari", "Holm", "til", "Bertelsens", "kontor", "i", "Oslo", "."],
    [True, True, False, True, True, True, True, True, True, True, True, False, False],
    ["O", "O", "O", "O", "O", "B-PER", "I-PER", "O", "B-PER", "O", "O", "B-LOC", "O"],
)


def test_a_name_swap_copy_gives_the_people_other_names_and_keeps_everything_else() -> None:
    words, spaces, tags = name_swap_copy(SENTENCE, random.Random(3), ["Ingrid"], ["Solbakk"])
    assert tags == SENTENCE[2] and spaces == SENTENCE[1]
    assert words[5:7] == ["Ingrid", "Solbakk"]
    assert words[8] in ("Ingrids", "Solbakks"), "a possessive before a noun stays possessive"
    assert [w for i, w in enumerate(words) if i not in (5, 6, 8)] == [w for i, w in enumerate(SENTENCE[0]) if i not in (5, 6, 8)]


def test_a_sentence_without_people_gets_no_name_swap_copy() -> None:
    sentence = (["Vi", "bor", "i", "Oslo"], [True, True, True, False], ["O", "O", "O", "B-LOC"])
    assert name_swap_copy(sentence, random.Random(0), ["Ingrid"], ["Solbakk"]) is None


def test_the_asr_copy_is_lower_case_without_punctuation_and_keeps_the_entities_aligned() -> None:
    words, _, tags = asr_copy(SENTENCE)
    assert words == ["det", "går", "bra", "sier", "kari", "holm", "til", "bertelsens", "kontor", "i", "oslo"]
    assert tags == ["O", "O", "O", "O", "B-PER", "I-PER", "O", "B-PER", "O", "O", "B-LOC"]
