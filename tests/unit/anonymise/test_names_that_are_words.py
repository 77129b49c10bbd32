"""Given names that are also ordinary words ("liv", "sol", "vår", "hans", "per"), where the
sentence of a spoken interview makes them people, and where it does not (#15, a tester's five
unseen ASR interviews). Rules and linking only: no NER model."""

from __future__ import annotations

import pytest

from codebench.anonymise.detections import DEFAULT_THRESHOLD
from codebench.anonymise.linking import link
from codebench.anonymise.pipeline import detect_texts


def _masked(text: str) -> list[str]:
    """The words --auto would replace in ``text`` (rules, lexicon and linking)."""
    found = detect_texts({1: text}, use_model=False)
    return sorted(det.text for c in link({1: text}, found) for _, det in c.mentions if det.score >= DEFAULT_THRESHOLD)


@pytest.mark.parametrize("text, name", [
    ("og fakturaer og sånn sol er den som egentlig bestemmer", "sol"),      # the one who
    ("ja og sol sin mann jobber også i bransjen", "sol"),                    # a sin-possessive
    ("folk som eva og hans og per som har gjort forskjellen", "hans"),      # a list of given names
    ("folk som eva og hans og per som har gjort forskjellen", "per"),
    ("sammen med samboeren min vår og datteren vår liv som er fire", "vår"),  # kin word + possessive
    ("sammen med samboeren min vår og datteren vår liv som er fire", "liv"),
    ("og pappa han heter også hans faktisk han var jo glad", "hans"),        # heter + adverb
    ("og så er det liv som seier at eg må ta det med ro", "liv"),            # a cleft after "så"
])
def test_a_name_that_is_a_word_is_masked_where_the_sentence_makes_it_a_person(text: str, name: str) -> None:
    assert name in _masked(text)


@pytest.mark.parametrize("text, word", [
    ("eva og hans kone kom på besøk i går", "hans"),          # his wife
    ("kona hans sa at det gikk fint", "hans"),                 # his wife said
    ("det er sola sin skyld at vi kom for seint", "sola"),     # no given name
    ("to ganger per uke i vår og i sommer", "per"),
    ("to ganger per uke i vår og i sommer", "vår"),
    ("med liv og lyst så gikk jeg på jobb hver dag", "liv"),
    ("datteren vår liv som er fire", "vår"),                   # the daughter's possessive stays a word
])
def test_the_same_words_as_words_are_left(text: str, word: str) -> None:
    assert word not in _masked(text)


@pytest.mark.parametrize("text, masked, left", [
    # a time word before a given name is no first of two given names
    ("ja vi må ha en plan i dag jostein me finner ut av det", "jostein", "dag"),
    # a sentence adverb after two given names is no surname
    ("og da var det geir ove faktisk som ringte og ordna alt", "geir ove", "faktisk"),
    # initials as a nickname
    ("eh alle kaller han hp på jobb og det var hp som fant på det", "hp", "jobb"),
])
def test_a_name_stops_where_the_clause_goes_on(text: str, masked: str, left: str) -> None:
    found = _masked(text)
    assert masked in found and not any(left in m.split() for m in found), found


def test_a_workplace_called_by_its_name_word_alone_is_the_workplace() -> None:
    from codebench.anonymise.detections import ORG, Detection

    text = "eg fekk stilling på fjordtun omsorgssenter frå januar og eg kan halde fram på fjordtun til eg blir pensjonist"
    start = text.index("fjordtun omsorgssenter")
    found = {1: [Detection(start, start + 22, ORG, "ner", 0.9, "fjordtun omsorgssenter")]}
    spans = [det.text for c in link({1: text}, found) for _, det in c.mentions if det.score >= DEFAULT_THRESHOLD]
    assert spans.count("fjordtun") == 1 and "fjordtun omsorgssenter" in spans


def test_a_known_persons_word_name_is_taken_where_the_sentence_reads_it_as_the_person() -> None:
    # A tester's interview: Per Dal is named in full, then "per" ten times, each left open at 0.35.
    from codebench.anonymise.detections import PER, Detection

    text = ("det er per dal som er mekaniker der\nper sa bare at det koster en eike\n"
            "hvordan jobber per og tor sammen\ndet var faktisk per som foreslo det\n"
            "to ganger per uke\nsitter vi eva og jeg og per på bakrommet\nalle burde få en per")
    start = text.index("per dal")
    # The model named him in full once, and called a lone "per" a person once at a doubtful score.
    lone = text.index("per", text.index("faktisk"))
    found = {1: [Detection(start, start + 7, PER, "ner", 0.9, "per dal"), Detection(lone, lone + 3, PER, "ner", 0.45, "per")]}
    taken = sorted(det.start for c in link({1: text}, found) for _, det in c.mentions if det.score >= DEFAULT_THRESHOLD)
    for said in ("per sa", "per og tor", "og per på"):
        at = text.index(said) + (said.index("per") if not said.startswith("per") else 0)
        assert at in taken, said
    assert text.index("per uke") not in taken and text.rindex("per") not in taken


def test_the_agency_is_no_part_of_a_name() -> None:
    from codebench.anonymise.detections import PER, Detection

    text = "det var veilederen min på nav eva eva lind på nav sagene som fant den plassen"
    start = text.index("nav eva")
    found = {1: [Detection(start, start + 16, PER, "ner", 0.9, text[start:start + 16])]}
    # the name said twice is masked whole; "nav" stays the agency
    assert [det.text for c in link({1: text}, found) for _, det in c.mentions if c.kind == PER] == ["eva eva lind"]


# Testers 25–67's interviews: where a person of a word-name is named in full, these readings of
# the lone word were left in clear; the word uses after them stay words.
_NAMED = {"vår": "vår strand", "hans": "hans lie", "stein": "stein hansen", "per": "per dal"}


def _taken_beside(full: str, said: str) -> tuple[set[int], str]:
    """Where --auto masks in ``said``, after a line that names ``full`` twice (the model sure)."""
    from codebench.anonymise.detections import PER, Detection

    text = f"det er {full} som er kontaktpersonen og {full} er flink\n{said}"
    first, second = text.index(full), text.index(full, text.index(full) + 1)
    found = {1: [Detection(at, at + len(full), PER, "ner", 0.9, full) for at in (first, second)]}
    return {det.start for c in link({1: text}, found) for _, det in c.mentions if det.score >= DEFAULT_THRESHOLD}, text


@pytest.mark.parametrize("said, name", [
    ("og hans betalte for kurset", "hans"),                       # a finite verb after a possessive
    ("han kjenner roser bedre enn du hans ler og det", "hans"),
    ("og det har vår hjelpt meg med", "vår"),                      # "har" and a participle
    ("eg har sagt det til vår etterpå og ho var einig", "vår"),    # a preposition and no noun
    ("det er viktig med kontinuitet for hans\nja", "hans"),
    ("det va feil så æ tok det opp med hans kristian og vi", "hans"),
    ("då sa vår at då skal vi finne eit anna opplegg", "vår"),     # "sa X at"
    ("eller hvis per bytter jobb så er det mye papir", "per"),     # a clause opener and a verb
    ("og da tok æ en prat med stein og sa at det går", "stein"),   # "med X og" a verb after
    ("og han kom hit gjennom per også", "per"),
    ("ha ha hvem er per", "per"),                                  # the interviewer asks who
])
def test_a_named_persons_word_name_is_taken_where_no_noun_could_follow(said: str, name: str) -> None:
    taken, text = _taken_beside(_NAMED[name], said)
    line = text.index("\n") + 1
    at = line + said.index(f"{name} ") if f"{name} " in said else line + said.index(name)
    assert at in taken, said


@pytest.mark.parametrize("said, name", [
    ("det er for hans del vi gjer det", "hans"),
    ("det er for hans egen skyld", "hans"),
    ("det gjeld med hans og hennes barn", "hans"),
    ("vi snakka om vår situasjon", "vår"),
    ("det går fra høst til vår og da er det stille", "vår"),
    ("han kasta med stein og grus", "stein"),
    ("kona hans ler av det", "hans"),
    ("han sa at hans dør alltid e åpen", "hans"),           # a verb form that is a noun too
    ("det har vi jo alltid per i dag har vi fire ledige vakter", "per"),
])
def test_the_same_word_before_its_noun_or_after_its_noun_stays(said: str, name: str) -> None:
    taken, text = _taken_beside(_NAMED[name], said)
    line = text.index("\n") + 1
    assert not [s for s in taken if s >= line], said
