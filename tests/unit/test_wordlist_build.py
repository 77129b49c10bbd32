"""The ordinary-word list never read the proceedings of the Stortinget test days (#15): the
over-redaction and names-left figures measured on those days would otherwise be flattered."""

from __future__ import annotations

from codebench.anonymise.gazetteer import is_common_word
from codebench.anonymise.training.build_wordlist import proceedings_days
from codebench.anonymise.training.storting_silver import split_days
from tests.conftest import shared_dir


def test_the_word_list_reads_every_proceedings_day_but_the_test_days() -> None:
    folder = shared_dir("storting", "proceedings")
    test = set(split_days()["test"])
    read = {p.stem for p in proceedings_days(folder)}
    assert len(test) == 22
    assert not read & test
    assert read | test == {p.stem for p in folder.glob("*.txt")}


def test_words_only_the_test_days_write_are_not_in_the_shipped_list() -> None:
    # Lower case at least twice in the test days' proceedings, never in any other day's, nor in NorNE.
    for word in ("alunskifer", "akebakke", "artillerilokaliseringsradarer"):
        assert not is_common_word(word), word
    # Words the other days write are still there.
    for word in ("vedtak", "årsmøte", "kommune"):
        assert is_common_word(word), word
