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


def test_the_place_list_reads_no_day_the_evaluation_sets_come_from() -> None:
    from codebench.anonymise.training.build_places import source_days
    from codebench.anonymise.training.storting_silver import split_days

    root = shared_dir("storting")
    read = {p.stem for p in source_days(root)}
    evaluated = {day for days in split_days().values() for day in days}
    assert read and not read & evaluated
    assert not read & {p.stem for p in (root / "asr").glob("*.tsv")}


def test_a_small_place_said_after_a_preposition_is_a_place_in_asr_text() -> None:
    """Found by using it: "på biri", "på raufoss", "fra moelv" stayed in clear in ASR transcripts;
    large cities stay (public by policy), and a listed place is not taken where no preposition
    of place goes before it."""
    from codebench.anonymise.detections import LOC
    from codebench.anonymise.gazetteer import find_place_names

    text = "han jobber på lageret her på biri og kom fra moelv men bor i oslo nå\nbiri er fint"
    assert [(d.text, d.kind) for d in find_place_names(text)] == [("biri", LOC), ("moelv", LOC)]
