"""In-vivo code names: the same selection gives the same name in the CLI and the workbench."""

from __future__ import annotations

from hypothesis import given, strategies as st

from codebench.domain.codebook import IN_VIVO_NAME_LENGTH, in_vivo_name


def test_white_space_and_line_breaks_are_folded():
    assert in_vivo_name("  Å være der\n  når det\tbrenner  ") == "Å være der når det brenner"


def test_surrounding_quotes_punctuation_and_dashes_are_stripped():
    assert in_vivo_name("«det jeg egentlig ble veileder for»") == "det jeg egentlig ble veileder for"
    assert in_vivo_name("– Det er jo sånn, liksom.") == "Det er jo sånn, liksom"
    assert in_vivo_name("“travle dager”!") == "travle dager"
    assert in_vivo_name('"lederen spurte meg"...') == "lederen spurte meg"


def test_inner_punctuation_and_brackets_are_kept():
    assert in_vivo_name("IA-rådgiveren, altså") == "IA-rådgiveren, altså"
    assert in_vivo_name("(ler) det var tøft") == "(ler) det var tøft"


def test_a_selection_without_words_gives_no_name():
    assert in_vivo_name(" …, ") == ""
    assert in_vivo_name("") == ""


def test_long_selections_are_cut_after_a_whole_word():
    words = "jeg tror egentlig at det handler om å bli sett av noen som har tid til deg hver eneste dag på jobben"
    name = in_vivo_name(words)
    assert len(name) <= IN_VIVO_NAME_LENGTH
    assert words.startswith(name) and words[len(name)] == " "
    assert in_vivo_name("ett to tre fire", max_length=7) == "ett to"
    assert in_vivo_name("ett to, tre", max_length=7) == "ett to"  # the comma before the cut goes too
    assert in_vivo_name("ett to tre", max_length=6) == "ett to"  # the word ending at the limit fits


def test_one_word_longer_than_the_limit_is_cut_at_the_limit():
    assert in_vivo_name("a" * 100) == "a" * IN_VIVO_NAME_LENGTH


@given(st.text(alphabet=st.sampled_from("ab æø«»,.!– \n\t"), max_size=200), st.integers(1, 100))
def test_names_are_trimmed_folded_and_within_the_limit(text, limit):
    name = in_vivo_name(text, max_length=limit)
    assert len(name) <= limit
    assert name == name.strip() and "  " not in name and "\n" not in name and "\t" not in name
    assert in_vivo_name(name, max_length=limit) == name  # naming a name changes nothing
