"""Contact details and dates said aloud, as three testers' unseen ASR interviews had them (#15,
testers 13–15): house numbers in words and in the hundreds, streets named after people, a
street said after "adressa er", birth years after "født i", phone numbers with the dialect's
"firti", an e-mail address whose local part was heard as two words."""

from __future__ import annotations

import pytest

from codebench.anonymise.detections import ADDRESS, EMAIL, INDIRECT, PHONE
from tests.unit.anonymise.mentions import found as _found


@pytest.mark.parametrize("text, street", [
    ("og så e kontoret i gamle kongevei tjueåtte på orkanger", "gamle kongevei tjueåtte"),
    ("vi holder til i tevlingveien tjueåtte b på furuset", "tevlingveien tjueåtte b"),
    ("adressa er hydrovegen femtifem på herøya", "hydrovegen femtifem"),
    ("vi sitter i trondheimsveien fire hundre og tolv nå", "trondheimsveien fire hundre og tolv"),
    ("kontoret ligger i michael krohns gate femten", "michael krohns gate femten"),
    ("vi er i kirsten flagstads vei fjorten", "kirsten flagstads vei fjorten"),
])
def test_a_street_said_with_its_house_number_is_an_address(text: str, street: str) -> None:
    assert street in _found(text, ADDRESS)


def test_a_street_word_after_an_ordinary_word_is_no_address() -> None:
    assert _found("vi gikk i den gata to ganger og i store gate var det folk", ADDRESS) == []


@pytest.mark.parametrize("text, year", [
    ("no æ e født i nittenåttifire så æ e førti i år", "nittenåttifire"),
    ("eg er fødd i nittensyttiåtte og kom hit", "nittensyttiåtte"),
    ("han er født i to tusen og to og går på skolen", "to tusen og to"),
    ("æ e født i sekstini og har jobba her lenge", "sekstini"),
    ("han ble født i 1984 i bergen", "1984"),
])
def test_a_birth_year_after_fodt_i_is_flagged(text: str, year: str) -> None:
    assert year in _found(text, INDIRECT)


def test_born_last_year_names_no_year() -> None:
    assert _found("hun ble født i fjor og han født i bergen", INDIRECT) == []


@pytest.mark.parametrize("text", [
    "telefonnummeret mitt er firtiåtte tjueto trettiein ni ni",
    "du kan ringe meg på ni ein tre firti tjueseks sju",
])
def test_a_phone_number_with_the_dialects_firti_is_a_phone_number(text: str) -> None:
    assert _found(text, PHONE) == [text.split(" er ")[-1] if " er " in text else text.split(" på ")[-1]]


def test_an_email_whose_local_part_was_heard_as_two_words_is_one_address() -> None:
    text = "e-posten min e tonje punkt ofte dal alfakrøll nav punkt no så kan du skrive"
    assert _found(text, EMAIL) == ["tonje punkt ofte dal alfakrøll nav punkt no"]


def test_the_northern_nul_is_a_digit_of_a_phone_number() -> None:
    text = "og nummeret er ni nul fire tre en to sju åtte"
    assert _found(text, PHONE) == ["ni nul fire tre en to sju åtte"]


@pytest.mark.parametrize("text, age", [
    ("no eg er førtiåtte fødd fjortande mars", "førtiåtte"),
    ("og æ e sekstiåtte ha ha så e det", "sekstiåtte"),
])
def test_an_age_said_as_a_bare_number_before_fodd_or_laughter_is_flagged(text: str, age: str) -> None:
    assert age in _found(text, INDIRECT)


def test_a_count_said_by_a_group_is_no_age() -> None:
    assert _found("vi var fire da og det var fem eh seks", INDIRECT) == []
