"""The one pattern that finds a project's known names in every text: forms that share their
beginning ("kari", "kari holm", "karin") are found whole, the longest that ends a word first."""

from codebench.anonymise.gazetteer import find_names, name_pattern


def _found(text: str, names: list[str]) -> list[str]:
    return [d.text for d in find_names(text, names)]


def test_the_longest_form_said_is_found_where_several_share_a_beginning() -> None:
    names = ["kari", "kari holm", "karin", "liv berg", "liv"]
    assert _found("da kari holm kom sa karin hei til kari", names) == ["kari holm", "karin", "kari"]


def test_a_form_is_found_only_as_whole_words_and_with_its_possessive() -> None:
    names = ["kari", "kari holm"]
    assert _found("karianne og kari holms bil", names) == ["kari holms"]
    assert _found("Kari Holmen ringte", names) == ["Kari"]  # (Holmen is another word)


def test_words_of_a_form_may_be_split_by_any_run_of_spaces_and_any_case() -> None:
    assert _found("LIV  Berg var der", ["liv berg"]) == ["LIV  Berg"]


def test_a_form_hundreds_of_letters_long_still_makes_a_pattern() -> None:
    long_form = " ".join(["ord"] * 400)
    pattern = name_pattern([long_form, "kari"])
    assert pattern is not None and pattern.search("her er kari") is not None
