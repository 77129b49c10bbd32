"""The search query language, folding and matching, without a database."""

from __future__ import annotations

import pytest

from codebench.domain.search import (
    IndexToken, Matcher, MatchOptions, PseudonymFinder, SearchQueryError, context, index_plan, keeps_pseudonyms_whole,
    parse_query, pseudonym_cores, sides_need_questions, speaker_sides, widen,
)


def found(query: str, text: str, **options: bool) -> list[str]:
    """The words a query finds in a text."""
    return [text[s:e] for s, e in Matcher(parse_query(query), MatchOptions(**options)).find(text)]


TEXT = "Mentoren fikk mentortilskudd, men Mentor-rollen? Lønnstilskudd og tillit. Tillitsvalgte i Ålesund og Tromsø."


def test_a_word_is_found_whole_in_any_case():
    assert found("mentor", TEXT) == ["Mentor"]
    assert found("MENTOREN", TEXT) == ["Mentoren"]
    assert found("tillit", TEXT) == ["tillit"]


def test_a_prefix_finds_compound_words():
    assert found("mentor*", TEXT) == ["Mentoren", "mentortilskudd", "Mentor"]
    assert found("tillit*", TEXT) == ["tillit", "Tillitsvalgte"]


def test_wildcards_anywhere_in_a_word():
    assert found("*tilskudd", TEXT) == ["mentortilskudd", "Lønnstilskudd"]
    assert found("m?ntoren", TEXT) == ["Mentoren"]
    assert found("men*skudd", TEXT) == ["mentortilskudd"]


def test_a_question_mark_ending_a_word_is_punctuation():
    assert found("rollen?", TEXT) == ["rollen"]


def test_a_phrase_keeps_its_order_across_punctuation():
    assert found('"mentortilskudd men"', TEXT) == ["mentortilskudd, men"]
    assert found('"men mentortilskudd"', TEXT) == []
    assert found('"mentor rollen"', TEXT) == ["Mentor-rollen"]


def test_accents_are_ignored_by_default_but_ø_and_æ_are_letters():
    assert found("alesund", TEXT) == ["Ålesund"]
    assert found("cafe", "en café") == ["café"]
    assert found("tromso", TEXT) == []
    assert found("alesund", TEXT, accent_sensitive=True) == []
    assert found("Ålesund", TEXT, accent_sensitive=True) == ["Ålesund"]


def test_case_sensitive_search():
    assert found("mentor*", TEXT, case_sensitive=True) == ["mentortilskudd"]
    assert found("Mentor*", TEXT, case_sensitive=True) == ["Mentoren", "Mentor"]


def test_nordic_spellings_are_one_and_positions_stay_in_the_text():
    text = "Fra Aalesund til Ålesund, fra Tromsoe til Tromsø og Tromsö; Aere og Ære."
    assert found("Ålesund", text, nordic=True) == ["Aalesund", "Ålesund"]
    assert found("tromsø", text, nordic=True) == ["Tromsoe", "Tromsø", "Tromsö"]
    assert found("aere", text, nordic=True) == ["Aere", "Ære"]
    assert found("troms*", text, nordic=True) == ["Tromsoe", "Tromsø", "Tromsö"]


def test_a_regular_expression_ignores_case_and_accents_unless_asked():
    assert found("/tillit\\w*/", TEXT) == ["tillit", "Tillitsvalgte"]
    assert found("/ålesund|tromsø/", TEXT) == ["Ålesund", "Tromsø"]
    assert found("/Tillit/", TEXT, case_sensitive=True) == ["Tillit"]


def test_several_terms_find_either():
    assert found("tillit mentoren", TEXT) == ["Mentoren", "tillit"]
    assert found("tillit OR mentoren", TEXT) == ["Mentoren", "tillit"]


def test_a_pseudonym_in_brackets_is_a_phrase():
    query = parse_query("[Mentor 2] tid")
    assert [t.words for t in query.terms] == [("Mentor", "2"), ("tid",)]


def test_filters_are_read_from_the_query():
    query = parse_query('tillit role:mentor round:2 doc:M01 speaker:informant in:"god mentor" is:uncoded')
    assert [t.text for t in query.terms] == ["tillit"]
    f = query.filters
    assert (f.roles, f.rounds, f.documents, f.speaker, f.in_codes, f.uncoded) == (
        ("mentor",), (2,), ("M01",), "informant", ("god mentor",), True)
    assert f.describe() == 'role:mentor round:2 doc:M01 speaker:informant in:"god mentor" is:uncoded'


@pytest.mark.parametrize(("query", "message"), [
    ('"naturlig bistand', "no closing"),
    ("/tillit", "no closing /"),
    ("/(tillit/", "not a regular expression"),
    ("round:to tillit", "a round is a number"),
    ("speaker:kari tillit", "speaker:interviewer or speaker:informant"),
    ("is:coded tillit", "is:uncoded"),
    ("role:mentor", "nothing to search for"),
    ("* ?", "nothing to search for"),
    ("", "nothing to search for"),
])
def test_a_query_that_cannot_be_read_says_why(query, message):
    with pytest.raises(SearchQueryError, match=message):
        parse_query(query)


def test_the_index_plan_narrows_by_words_and_prefixes():
    plan = index_plan(parse_query('mentor* "naturlig bistand" Tillit'))
    assert plan is not None
    assert plan.alternatives == (
        (IndexToken(("mentor",), prefix=True),),
        (IndexToken(("naturlig",)), IndexToken(("bistand",))),
        (IndexToken(("tillit",)),),
    )
    wild = index_plan(parse_query("*tilskudd"))
    assert wild is not None and wild.alternatives[0][0].pattern is not None and wild.alternatives[0][0].like == "%%tilskudd%"
    assert index_plan(parse_query("/tillit/")) is None  # a regular expression reads every turn


def test_the_nordic_plan_lists_the_spellings_the_index_may_hold():
    plan = index_plan(parse_query("Tromsø"), MatchOptions(nordic=True))
    assert plan is not None and set(plan.alternatives[0][0].texts) == {"tromsoe", "tromsø", "tromso"}


def test_widening_a_hit():
    text = "R: Det var travelt. Vi hadde altfor lite tid, sa hun. Så ble det bedre."
    body = (3, len(text))
    start = text.index("lite")
    assert widen(text, start + 1, start + 3, "word", body) == (start, start + 4)
    sentence = widen(text, start, start + 4, "sentence", body)
    assert text[slice(*sentence)] == "Vi hadde altfor lite tid, sa hun."
    assert text[slice(*widen(text, start, start + 4, "turn", body))] == text[3:]
    assert widen(text, start, start + 4, "hit", body) == (start, start + 4)


def test_context_keeps_the_hit_on_its_line():
    text = "først\n\nDet var altfor lite tid\ni uka"
    start = text.index("lite")
    assert context(text, start, start + 4, 12) == ("var altfor ", "lite", " tid i uka")


def test_who_is_the_interviewer():
    assert speaker_sides({"I": 20, "R": 19}) == {"I": "interviewer", "R": "informant"}
    named = {"Ingrid": 10, "Kari": 9, None: 1}
    assert sides_need_questions(named)
    assert speaker_sides(named, {"Ingrid": 12, "Kari": 1}) == {"Ingrid": "interviewer", "Kari": "informant", None: "unknown"}
    assert speaker_sides({"motiv_fritekst": 1}, survey=True) == {"motiv_fritekst": "informant"}
    assert not sides_need_questions({"Intervjuer": 3, "Informant": 3})


def test_a_turn_opening_as_a_question_without_a_question_mark():
    """Speech recognition writes no question marks: the opening says who asks."""
    from codebench.domain.search import opens_like_a_question

    for asked in ("kan du fortelle litt om deg selv", "eh hvordan ble du mentor", "ja og korleis var det",
                  "fortell om en vanlig dag", "har dere fått tilskudd", "kva tenkte du då"):
        assert opens_like_a_question(asked), asked
    for said in ("ja jeg har vært mentor i tre år", "han kan du stole på", "det er fint", "hvordansomhelst ord"):
        assert not opens_like_a_question(said), said


def test_pseudonyms_are_found_whole_only():
    shown = "han sa at [Mentor 2]s kollega og [Person 1] var der"
    cores = pseudonym_cores(shown, [(shown.index("[Mentor"), shown.index("s kollega") + 1),
                                    (shown.index("[Person"), shown.index("] var") + 1)])
    assert [shown[s:e] for s, e in cores] == ["Mentor 2", "Person 1"]
    mentor = shown.index("Mentor")
    assert not keeps_pseudonyms_whole(mentor, mentor + 6, cores)  # "mentor" alone
    assert keeps_pseudonyms_whole(mentor, mentor + 8, cores)  # "Mentor 2"
    assert keeps_pseudonyms_whole(0, 2, cores)
    assert PseudonymFinder(parse_query("[Mentor 2]")).finds("[Mentor 2]")
    assert PseudonymFinder(parse_query('"sa Mentor 2 nei"')).finds("[Mentor 2]")
    assert not PseudonymFinder(parse_query("mentor")).finds("[Mentor 2]")
    assert PseudonymFinder(parse_query("Hilde")).finds("[Hilde Lunde]")  # a replacement name shows by its parts
