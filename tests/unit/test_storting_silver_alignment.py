"""The silver set's alignment rule (#15): which ASR words count as a person's name."""

from __future__ import annotations

from collections import defaultdict

from codebench.anonymise.training.storting_silver import label_segment, sounds_like, tokens


def _label(asr: str, proceedings: list[tuple[str, str | None]]):
    proc_words = [w for w, _ in proceedings]
    proc_labels = [label for _, label in proceedings]
    proc_case = ["l" if w.islower() else "c" for w in proc_words]
    proc_words = [w.casefold() for w in proc_words]
    index = defaultdict(list)
    for p in range(len(proc_words) - 2):
        index[(proc_words[p], proc_words[p + 1], proc_words[p + 2])].append(p)
    return label_segment(asr.split(), proc_words, proc_labels, proc_case, dict(index))


def test_a_function_word_beside_a_misheard_name_is_not_part_of_it() -> None:
    # "Borten Moe" heard as "bortemo er": "er" is in "borten" as letters, not as a sound
    proceedings = [("mitt", None), ("spørsmål", None), ("til", None), ("representanten", None),
                   ("Borten", "borten moe"), ("Moe", "borten moe"), ("fornøyd", None), ("med", None),
                   ("den", None), ("utviklingen", None)]
    tags, ents, _ = _label("mitt spørsmål til representanten bortemo er fornøyd med den utviklingen", proceedings)
    assert tags[4] == "N" and ents[4] == "borten moe"
    assert tags[5] == "U" and ents[5] is None


def test_each_misheard_word_takes_the_person_it_sounds_like() -> None:
    # "Bente Thorsen, Dagrun Eriksen" heard as "bente tosen dag dunn eriksen"
    proceedings = [("på", None), ("vegne", None), ("av", None), ("Bente", "bente thorsen"),
                   ("Thorsen", "bente thorsen"), ("Dagrun", "dagrun eriksen"), ("Eriksen", "dagrun eriksen"),
                   ("og", None), ("meg", None), ("selv", None)]
    tags, ents, _ = _label("på vegne av bente tosen dag dunn eriksen og meg selv", proceedings)
    assert ents[3:8] == ["bente thorsen", "bente thorsen", "dagrun eriksen", "dagrun eriksen", "dagrun eriksen"]


def test_sounds_like_needs_a_short_word_to_begin_as_the_name() -> None:
    names = [("borten", "borten moe"), ("moe", "borten moe")]
    assert sounds_like("er", names) is None
    assert sounds_like("mor", names) == "borten moe"
    assert sounds_like("alankurdi", [("alan", "alan kurdi"), ("kurdi", "alan kurdi")]) == "alan kurdi"


def test_a_lost_line_break_between_two_words_splits_them() -> None:
    assert [t.text for t in tokens("Are HelsethFor Buskerud fylke, McDonald")] == [
        "Are", "Helseth", "For", "Buskerud", "fylke", "McDonald"]
