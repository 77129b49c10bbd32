"""Testers' leaks read again at stop 41 (#15): names left in clear after ``--auto`` and words
suggested as people, each measured on the code before its fix. Lower-case ASR, as the testers
wrote it."""

from __future__ import annotations

import re

import pytest

from codebench.anonymise.gazetteer import weather_here
from codebench.anonymise.linking import link
from codebench.anonymise.pipeline import anonymise_text, detect_texts
from tests.unit.anonymise.test_round_nineteen import _masked_words


@pytest.mark.parametrize("text, name", [
    # a given name that is also a word, taken up at once by the pronoun of its gender and a verb
    ("å gjere og mentoren som vart peika ut stig han slutta etter to månader så", "stig"),
    ("det var ein som var litt sur i byrjinga storm han er lærling og ung", "storm"),
    # a farm name after a word-name ("vår" as her name: no possessive stands before a surname)
    ("det var veiledaren hans på nav vår øksnevad ho ringde meg ein dag", "vår øksnevad"),
    # a name's short last piece before an inverted "heter ho"
    ("kristoffer ringte mæ og masa trine rø heter ho", "rø"),
    # a surname said alone, then corrected to the name in full
    ("det var gjennom introduksjonsprogrammet og så var det fjell eller solveig fjell", "fjell"),
    # names of immigrant background the lists lacked (round 20: Kirkenes, Karasjok, Tromsø)
    ("så e det en eldre kar sergej som snakker nesten ikke norsk", "sergej"),
    ("anieska sier vi ho e på båten og tomek og så e det", "tomek"),
    ("da ble æ gående hjemme og mihkkal mannen min han jobbe jo i", "mihkkal"),
    ("máret eira heter ho egentlig men alle sie mara ho\nog mara hadde ikkje møtt på tre dagar", "mara"),
])
def test_a_name_the_testers_found_in_clear_is_masked(text: str, name: str) -> None:
    masked = anonymise_text(text)
    assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", masked), masked


@pytest.mark.parametrize("text, words", [
    # the noun after a preposition or determiner, a possessive, an adverb, a month
    ("vi var på hytta i helga ho og eg", {"helga"}),
    ("i helga ho kom heim att", {"helga"}),
    ("vi fann ein stein han hadde gøymt", {"stein"}),
    ("han tek fagbrev og kona hans ho har òg byrja å jobbe", {"hans"}),
    ("han e i full jobb fra mai han fikk fast stilling", {"mai"}),
    # the weather
    ("i vinter då det var storm ho sa at me måtte bli", {"storm"}),
    # the word before a name said in pieces before "heter": a country, an institution, an adverb
    ("ung gut frå vietnam tan thanh heiter han og han e flink", {"vietnam"}),
    ("en fra inkluderingssenteret tan thanh heter han som", {"inkluderingssenteret"}),
    ("eg at tomasz sa difor heitte ho det", {"sa"}),
    # what goes on after a given name: a verb's past in -a, an object, an article and adjective,
    # people in general, a subjunction
    ("boller fra bakeriet og sa at sergej savna mæ det va fint", {"savna"}),
    ("og så fikk mannen hennes sergej jobb her i alta", {"jobb"}),
    ("jeg hadde ikke klart det uten haider de første ukene", {"de", "første"}),
    ("han er fra eritrea men ingen slekt av semhar folk tror det hele tida", {"folk"}),
    ("takk sjølv og helsing til ingebjørg viss du møter ho", {"viss"}),
])
def test_a_word_the_rules_could_take_for_a_name_stays(text: str, words: set[str]) -> None:
    assert not _masked_words(text, anonymise_text(text)) & words


def test_the_weather_is_not_suggested_as_a_person_of_that_name_in_another_interview() -> None:
    # A tester's apprentice Storm, named in one interview; the storm of the winter in another
    # had been suggested as him four times, masked in an unreviewed export.
    texts = {
        "a": "det var ein som var litt sur i byrjinga storm han er lærling og ung og han meinte",
        "b": "ho var her ein gong i vinter då det var storm og me sat fast\n"
             "når det e storm så e det storm ingen bli sint for det",
    }
    clusters = link(texts, detect_texts(texts))
    storms = [(doc, det.text) for c in clusters for doc, det in c.mentions if det.text == "storm"]
    assert ("a", "storm") in storms
    assert not [m for m in storms if m[0] == "b"]


def test_a_person_introducing_herself_is_not_the_weather() -> None:
    text = "ja jeg er sol eller solveig berg og jeg er"
    start = text.index("sol")
    assert not weather_here(text, start, start + 3)
    text = "det er sol og varmt i dag"
    assert weather_here(text, text.index("sol"), text.index("sol") + 3)


def test_a_name_announced_by_its_noun_ends_where_the_clause_goes_on() -> None:
    # "etternavnet er petrauskas men …": the announced name had taken "men" (but) with it.
    from codebench.anonymise.pipeline import detect_text

    text = "det er litauisk og etternavnet er petrauskas men vi kaller han bare minde på lageret"
    announced = [d.text for d in detect_text(text, use_model=False) if d.detector == "lexicon:announced"]
    assert announced == ["petrauskas"]
