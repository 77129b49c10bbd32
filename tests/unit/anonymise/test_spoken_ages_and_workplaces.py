"""Ages said without "år", corrected or given as an answer, and workplaces named in speech
(#15, testers 20-22): the shapes three testers' unseen ASR interviews left in clear, and the
ordinary phrases beside them that must stay."""

from __future__ import annotations

import pytest

from codebench.anonymise.detections import INDIRECT, LOC, ORG, PER, Detection
from codebench.anonymise.linking import resolve_overlaps
from tests.unit.anonymise.mentions import found as _found


@pytest.mark.parametrize("text, age", [
    ("så æ e førtisju nei førtiåtte til sommern", "førtiåtte"),   # corrected
    ("æ e trettiåtte eh æ blir trettini i mai", "trettini"),      # when
    ("eg e femtisju eg vart femtisju no i vår", "femtisju"),      # a new clause after it
    ("eg er trettifire år ja trettifire og så", "trettifire"),    # said again
    ("SPEAKER_00: og kor gammal e du no\nSPEAKER_01: førtisju eh æ e født i mai", "førtisju"),  # the answer
])
def test_an_age_said_without_years_is_flagged(text: str, age: str) -> None:
    found = " | ".join(_found(text, INDIRECT))
    assert found.count(age) == text.count(age), found


@pytest.mark.parametrize("text, year", [
    ("æ e femtito født i syttien nei syttito haha", "syttito"),
    ("førtisju eh æ e født i sytti sju ja", "sytti sju"),
])
def test_a_birth_year_in_two_words_or_corrected_is_flagged(text: str, year: str) -> None:
    assert year in _found(text, INDIRECT)


def test_counts_and_durations_stay() -> None:
    for text in ("vi var fire på jobb i går", "det er fem år siden nei seks", "eg var der i tjue minutt"):
        assert _found(text, INDIRECT) == [], text


@pytest.mark.parametrize("text, firm", [
    ("æ e daglig leder her på ballstad fisk og sjømat eh", "ballstad fisk og sjømat"),
    ("og eg driv opedal frukt og sider saman med kona", "opedal frukt og sider"),
    ("fikk jobb på alta kraftlag så de flytta", "alta kraftlag"),
    ("han va i jobb på senja avfall på lageret", "senja avfall"),
    ("før det var je hr-sjef på glommen emballasje i tjue år", "glommen emballasje"),
    ("så har ho kontakt med han på vinstra næringshage som", "vinstra næringshage"),
    ("ja ho hadde jobba på sydvaranger på kjøkkenet der", "sydvaranger"),
    # the fifteenth session's testers: a trade after a county's name, and trades not listed before
    ("ho jobbar på telemark frukt no", "telemark frukt"),
    ("han e på haugen trebruk på lageret", "haugen trebruk"),
    ("vi fekk han inn på nordbyen kontorpark", "nordbyen kontorpark"),
])
def test_a_workplace_named_in_speech_is_found(text: str, firm: str) -> None:
    assert firm in _found(text, ORG), _found(text, ORG)


def test_ordinary_workplaces_and_phrases_stay() -> None:
    for text in ("han jobber på lageret og trives", "regjeringa ordninga med tilbakeverkande kraft",
                 "vi bur på ein gard og han jobbar på gard", "ho jobba på eit bakeri før"):
        assert _found(text, ORG) == [], text


@pytest.mark.parametrize("text, place", [
    ("vi bur på drevvatnet litt utafor byen", "drevvatnet"),
    ("til en kunde på vikdalen en hel pall", "vikdalen"),
    ("eg har mange brukarar frå skudeneshavn og sånn", "skudeneshavn"),
])
def test_a_small_place_no_list_holds_is_found_by_its_shape(text: str, place: str) -> None:
    assert place in _found(text, LOC)


def test_ordinary_compounds_after_a_preposition_are_no_places() -> None:
    for text in ("han sitter på arbeidsplassen", "ein test landa ved universitetssjukehuset i byen",
                 "internt i mellominntektslandet", "koppen står på kjøkkenbenken"):
        assert _found(text, LOC) == [], text


def test_a_listed_place_after_a_preposition_is_a_place_though_the_model_says_person() -> None:
    text = "æ tar ferja fra rørvik kvar morgon"
    start = text.index("rørvik")
    model = Detection(start, start + 6, PER, "ner", 0.8, "rørvik")
    listed = Detection(start, start + 6, LOC, "lexicon:place", 0.6, "rørvik")
    assert [d.kind for d in resolve_overlaps([model, listed])] == [LOC]
