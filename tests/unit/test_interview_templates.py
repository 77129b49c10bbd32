"""Interview templates for the NER training data (#15): names planted in their slots with the
right tags, one slot one person, ordinary-word names drawn at the share asked, the evaluation
pool never drawn, and a template with a misspelt slot refused with its line."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from codebench.anonymise.training.interview_templates import NamePools, fill, load, sentences

WORDS = {"liv", "per", "bakke"}


def _pools(exclude: set[str] = frozenset()) -> NamePools:
    return NamePools(["Ingrid", "Liv"], ["Sander", "Per"], ["Holmeset", "Bakke"], ["sørvik"],
                     lambda w: w in WORDS, set(exclude))


def test_a_slot_becomes_a_tagged_name_and_the_same_slot_is_the_same_person() -> None:
    words, spaces, tags = fill("ja {F} sa at {MS} og {F} jobber på {FIRMA} på {STED}", _pools(),
                               random.Random(3), noise=0.0, fuse=0.0)
    assert len(words) == len(tags) == len(spaces)
    first = words[1]
    assert tags[1] == "B-PER" and first in ("ingrid", "liv")
    persons = [i for i, t in enumerate(tags) if t == "B-PER"]
    assert len(persons) == 3 and words[persons[2]] == first, "the second {F} is the first one's name"
    assert tags[persons[1] + 1] == "I-PER", "a full name is one span"
    assert "B-ORG" in tags and tags[-1] == "B-LOC" and words[-1] == "sørvik"
    assert [w for w, t in zip(words, tags) if t == "O"][:3] == ["ja", "sa", "at"]


def test_the_share_of_names_that_are_also_words_is_what_is_asked() -> None:
    rng = random.Random(0)
    drawn = [fill("hos {G}", _pools(), rng, word_share=0.3, noise=0.0)[0][1] for _ in range(2000)]
    share = sum(w in WORDS for w in drawn) / len(drawn)
    assert 0.25 < share < 0.35
    none = [fill("hos {G}", _pools(), rng, word_share=0.0, noise=0.0)[0][1] for _ in range(200)]
    assert not WORDS & set(none)


def test_evaluation_names_are_never_planted() -> None:
    pools = _pools({"ingrid", "sander", "holmeset"})
    rng = random.Random(1)
    for _ in range(300):
        words, _, tags = fill("{FS} og {MS} og {S}", pools, rng, noise=0.0, fuse=0.0)
        assert not {"ingrid", "sander", "holmeset"} & {w for w, t in zip(words, tags) if t != "O"}


def test_negatives_are_all_outside_and_a_bad_slot_is_refused(tmp_path: Path) -> None:
    (tmp_path / "slots_nb.txt").write_text("# comment\nhos {G} i dag\n", encoding="utf-8")
    (tmp_path / "negatives.txt").write_text("et nytt liv per dag\n", encoding="utf-8")
    out = sentences(_pools(), random.Random(0), copies=2, negative_copies=1, folder=tmp_path)
    assert len(out) == 3 and out[-1][2] == ["O"] * 5
    (tmp_path / "slots_nn.txt").write_text("eg ringde {Fornavn}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown slot"):
        load(tmp_path)


def test_the_shipped_templates_have_slots_and_negatives() -> None:
    slotted, negatives = load()
    assert len(slotted) >= 400 and len(negatives) >= 200
