"""Names speech recognition heard as several words (#15, testers 56–58): "sena it" (Senait),
"oksana ko valenko", "dmitrij volk of eller volkov", "pra ni … det skrives pranee", "min dau
gas" (Mindaugas). Each piece was left in clear after ``--auto``; two ordinary words side by side
must stay what they are."""

from __future__ import annotations

import re

import pytest

from codebench.anonymise.pipeline import anonymise_text


@pytest.mark.parametrize("text, pieces", [
    ("og så har vi en eritreisk dame til sena it som kom via nav", ["sena", " it "]),
    ("så hun hjelper alle med papirer og sånn oksana ko valenko hun heter", ["oksana", " ko ", "valenko"]),
    ("og så hadde vi en mann samtidig dmitrij volk of eller volkov da han e fra arkhangelsk",
     ["volk", " of ", "volkov"]),
    ("ja det e ei dame fra thailand hu heter pra ni æ tror det skrives pranee og hu e blid",
     ["pra", " ni ", "pranee"]),
    ("ja det e han min dau gas pet rauskas han e fra litauen", [" min ", "dau", "gas", "rauskas"]),
    ("ja oksana i vanova eh ivanova heite ho", ["oksana", " i ", "vanova", "ivanova"]),
    ("hvem ble mentor det ble ruta kas laus kiene hun er fra litauen", ["ruta", "kas", "laus", "kiene"]),
])
def test_the_pieces_of_a_name_heard_as_several_words_are_masked(text: str, pieces: list[str]) -> None:
    masked = anonymise_text(text)
    assert not [p for p in pieces if p in masked], masked


@pytest.mark.parametrize("text, kept", [
    ("turismen på svalbard og alaska øker", "og alaska øker"),
    ("tilskudd som ikke er berørt av esadomstolen vil de tilskuddsordningene fortsette", "esadomstolen vil de"),
    ("fange opp rådgivning gitt av prbyråer til de personer og organisasjoner", "prbyråer til de"),
    ("det kan dreie seg om uønska utlegging av bilder", "seg om uønska"),
    ("det e avklart med leder at mentoren ska bruke tid på det", "mentoren ska"),
    ("vi går på tur saman av og til oppover lia bak fjellstova", "lia bak fjellstova"),
])
def test_ordinary_words_side_by_side_are_no_pieces_of_a_name(text: str, kept: str) -> None:
    # (each was masked as a name's pieces by a first version of the rule, on the Stortinget tune
    # days or the testers' interviews; Svalbard is a place of its own)
    assert kept in anonymise_text(text), anonymise_text(text)


def test_a_word_said_between_pieces_and_the_name_stays_in_clear() -> None:
    # "jo mar ja" is Jomar, then "yes"; "halvor der eh halvor fuglesteg" is Halvor, there.
    masked = anonymise_text("han startet med jomar som er fra filippinene jo mar ja han er flink")
    assert "mar" not in masked and " ja han er flink" in masked, masked
    masked = anonymise_text("det er halvor der eh halvor fuglesteg og han gjer sitt")
    assert "halvor" not in masked and " der eh " in masked, masked


def test_round_17s_pieces_said_again_spelled_or_named_elsewhere_and_across_commas() -> None:
    # Testers 59–61: "ifjor a hmad ahmad al hassan" (said again at once), "mange som skriv det
    # ante jomma" (how others write it), "det e test fai som æ sa" (Tesfay named before), and
    # Teams' commas inside the phrase ("kanskje agnes ka, eh, agnieszka").
    masked = anonymise_text("så hadde vi en sommervikar fra syria ifjor a hmad ahmad al hassan som var flink")
    assert " a " not in masked and "hmad" not in masked, masked
    masked = anonymise_text("æ heite ánte jåma men det e mange som skriv det ante jomma og det bryr æ mæ itj om")
    assert "jomma" not in masked and "ante" not in masked, masked
    masked = anonymise_text("tesfay kom i fjor og han e flink\nfire eller fem av tretti det e test fai som æ sa")
    assert "test fai" not in masked and masked.count("[Person 1]") == 2, masked
    masked = anonymise_text("og så må vi finne mentorer. kanskje agnes ka, eh, agnieszka, hun er også fra polen")
    assert "agnes" not in masked and " ka," not in masked, masked
    for text, kept in (("vi skriv det ned", "skriv det ned"),
                       ("han er kokk frå afghanistan, frå herat, han har vore her i sju år", "herat"),
                       ("tilskot til hepatitt s femti prosent", "hepatitt s")):
        assert kept in anonymise_text(text), anonymise_text(text)


def test_pieces_that_begin_with_a_particle_or_sound_like_a_listed_name() -> None:
    # Four testers' "som chai" (Somchai: "som" was left), four testers' "mari sel" (Maricel),
    # "svetlana i vanova", and a pronoun piece of the very form said after it ("ho dan eh hodan").
    for text, gone in (("ja me har ein kar frå thailand som chai han har vore her lenge", ("som", "chai")),
                       ("ja vi har fire fra filippinene det er mari sel og jomar", ("mari", "sel")),
                       ("ja svetlana i vanova heite ho og ho kom for to år sia", ("svetlana", " i ", "vanova")),
                       ("ja ho eine heter ho dan eh hodan heter ho", ("dan", "hodan"))):
        masked = anonymise_text(text)
        assert not [g for g in gone if re.search(rf"(?<!\w){g.strip()}(?!\w)", masked)], masked
    # What those rules must leave: a verb after a name ("odd var" is no Oddvar), a verb before
    # one ("si cel" is no Sissel), a preposition before a name or at a name's end ("i johan
    # feyers gate", "frist rud i barnehage"), where someone is from ("han thailandske som tsjai").
    for text, kept in (("og odd var jo en av dem", " var jo en av dem"),
                       ("og hun vil at vi skal si cel hun har jobba som au pair", "skal si "),
                       ("og han bur på hybel i johan feyers gate", "på hybel i "),
                       ("når det gjeld frist rud i barnehage", " i barnehage"),
                       ("og han thailandske som tsjai som kjøre truck", "han thailandske "),
                       ("han har fått en god kamerat i jonas eh yonas tesfay", "kamerat i ")):
        assert kept in anonymise_text(text), anonymise_text(text)
