"""Held-out testers 65–67 (#15): names left in clear after ``--auto`` and ordinary words masked
as people, each measured on the code before its fix. Lower-case ASR, as the testers wrote it."""

from __future__ import annotations

import re

import pytest

from codebench.anonymise.pipeline import anonymise_text


def _masked_words(original: str, masked: str) -> set[str]:
    """The words of ``original`` that the masked text no longer holds (a pseudonym took them)."""
    left = set(re.findall(r"[^\W\d_]+", re.sub(r"\[[^\]]+\]", " ", masked)))
    return {w for w in re.findall(r"[^\W\d_]+", original) if w not in left}


@pytest.mark.parametrize("text, name", [
    # the eastern dialects' object pronouns after "kaller"
    ("ja for n mindaugas eller min dau gas som det heter vi kaller'n minde", "minde"),
    ("men alle kaller a noi og ho jobber i kantina", "noi"),
    # short pieces after a person's "heter"
    ("og kona hass e fra thailand ho heter su ni sa men alle kaller a noi", "su ni sa"),
    # a double name's first heard in two pieces, the second piece a word
    ("mora hans bir et inga ho ringte mæ faktisk første gangen", "bir et inga"),
    # a short word that makes a longer given name with the one after it, before a surname
    ("formannen på linja e ei russisk dame ok sana petrova og ho har vært her lenge", "ok sana petrova"),
    # a kin word and its possessive, then a word the pronoun takes up at once
    ("ja altså kona mi nok hun e fra thailand", "nok"),
    # a Sámi surname heard as two words after the given name (testers 27, 58)
    ("ja det va ande eh ande som by han jobbe på lageret", "som by"),
    ("nillas som by han e fra tårstad og han", "som by"),
    # an old Norwegian given name the lists lacked, said alone beside the full name (tester 62)
    ("og der vart hallgerd\nmentoren hans hallgerd hestenes ho er hjelpepleiar\n"
     "det fungerte veldig godt eigentleg eh hallgerd er ei flink dame", "hallgerd"),
])
def test_a_name_the_testers_found_in_clear_is_masked(text: str, name: str) -> None:
    masked = anonymise_text(text)
    assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", masked), masked


def test_a_name_misheard_with_aa_for_o_is_masked_beside_the_name_said_right() -> None:
    text = ("ja det e jo det alltid altså eg hadde ein kurdisk kar råjda nei det va ei dame rojda heiter ho "
            "ho begynte på ein butikk men det gjekk ikkje for rojda var sjuk")
    assert "råjda" not in anonymise_text(text)


@pytest.mark.parametrize("text, words", [
    # dialect forms of "vært" and "kan" (a tester's "vørri" was a person eight times)
    ("je har vørri her sia je e oppvokst på svullrya. at det skal være som det alltid har vørri og han syns "
     "minde tok for mange snarveier", {"vørri"}),
    ("så e har sagt til hu at hu kæin sende sms og så ringer e tilbake", {"kæin"}),
    # the dialect possessive is no part of the name after it
    ("og je tror kona hass noi har begynt på et norskkurs", {"hass"}),
    # a word that is no name after "heter": how the name is written, or a comparison
    ("tomas kas lauskas kazlauskas heiter han med zet i midten han er sveisar", {"med", "midten"}),
    ("hva heter han mer enn hansen da", {"mer", "enn"}),
    ("om vinteren hu heter pra ni æ tror det skrives pranee og hu e", {"æ", "tror"}),
    # words said before a given name as themselves, and adverbs after a kin word
    ("ja nina petrova kom i går", {"ja"}),
    ("mora mi også ho var sjuk", {"også"}),
    ("dattera mi eldste ho er sju", {"eldste"}),
    ("ho e som by e flest", {"som", "by"}),
])
def test_ordinary_words_beside_names_stay(text: str, words: set[str]) -> None:
    masked = anonymise_text(text)
    assert not (_masked_words(text, masked) & words), masked


def test_a_birth_date_said_in_words_is_no_person() -> None:
    # "mai" is a given name, and a number said in words is in no word list: the date had
    # become [Person 30], its day [Opplysning 19] (tester 65)
    from codebench.anonymise.pipeline import detect_text

    found = detect_text("æ e femtiåtte født fjerde mai nittensekstisju æ har vært her", use_model=False)
    assert not [d for d in found if d.kind == "PER"], found



@pytest.mark.parametrize("text, identifier, pseudonym", [
    # a street and its house number in words, whatever goes before (the number had been read as
    # an unknown surname; once number words were no unknown words, four testers' addresses lost it)
    ("ja det e furuflatveien tjueto ni tusen sekstitre", "furuflatveien tjueto", "[Adresse 1]"),
    ("og adressen her er saggrendveien førtito hvis du vil komme", "saggrendveien førtito", "[Adresse 1]"),
    ("heimeadressa fannestrandvegen førtiåtte på bolsønes det går fint", "fannestrandvegen førtiåtte", "[Adresse 1]"),
    ("vi har kjøpt hus i fjor i ole tobias olsens gate tjueto så vi blir nok her", "ole tobias olsens gate tjueto",
     "[Adresse 1]"),
    # workplaces (testers 38-67: the place was masked and "skule", "rema tusen", "kiwi", "og vilt" left)
    ("han er på stord vidaregåande skule", "stord vidaregåande skule", "[Arbeidsplass 1]"),
    ("eg var på rema tusen hundvåg i går", "rema tusen hundvåg", "[Arbeidsplass 1]"),
    ("han jobber på kiwi vadsø", "kiwi vadsø", "[Arbeidsplass 1]"),
    ("på coop marked lyngseidet", "coop marked lyngseidet", "[Arbeidsplass 1]"),
    ("ho jobbar på vestad bo og aktivitetssenter", "vestad bo og aktivitetssenter", "[Arbeidsplass 1]"),
    ("han jobba på valdres kjøtt og vilt", "valdres kjøtt og vilt", "[Arbeidsplass 1]"),
    ("han er lærling på leirvik sveis og montasje", "leirvik sveis og montasje", "[Arbeidsplass 1]"),
])
def test_an_address_or_a_workplace_is_masked_whole(text: str, identifier: str, pseudonym: str) -> None:
    masked = anonymise_text(text)
    assert pseudonym in masked and not (set(identifier.split()) & set(masked.split())), masked


@pytest.mark.parametrize("text", ["han kjørte motorveien tjue mil", "han bodde i den gata to år"])
def test_a_road_word_before_a_count_is_no_address(text: str) -> None:
    assert anonymise_text(text) == text


@pytest.mark.parametrize("text", [
    "vi handla på kiwi og rema i går",
    "kiwi har billig mat",
    "muligheter for norsk næringsliv og for økt handel",
])
def test_a_chain_alone_and_trade_as_a_word_stay(text: str) -> None:
    assert anonymise_text(text) == text
