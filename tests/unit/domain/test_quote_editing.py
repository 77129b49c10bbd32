"""Quotes edited for a report: transcription marks, shortening, attribution by role, choice of examples."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from codebench.domain.quote_editing import (
    OMISSION, attribution, distinct_passages, edit_quote, short_examples, trim_quote, without_time_marks, workplace_of,
)
from codebench.domain.records import Quote


def quote(code: str, *, doc: int = 1, start: int = 0, end: int = 10, role: str | None = "veileder",
          participant: str | None = "V01", round: int | None = 1, coder: str = "ingrid", text: str = "tekst",
          speaker: str | None = None) -> Quote:
    return Quote(f"{code}-{doc}-{start}-{end}-{coder}", code, "veileder", coder, doc, f"Dokument {doc}",
                 participant, role, round, start, end, text, speaker)


def test_edit_quote_removes_transcription_marks_but_keeps_other_speakers():
    text = "R: Han var helt (.) ja [00:12:31] ikke i form (...) , sa han. #00:01:23-4#\nI: Mhm?\nR: Han sa «nei».//"
    assert edit_quote(text, "R") == "Han var helt ja ikke i form, sa han. I: Mhm? Han sa ‘nei’."
    assert edit_quote("Kari: hei", None) == "Kari: hei"  # unknown speaker: nothing guessed away


def test_trim_quote_keeps_short_quotes_and_leaves_out_the_middle_of_long_ones():
    short = "Det er jo sånn det er."
    assert trim_quote(short, 20) == (short, False)
    assert trim_quote(short, None) == (short, False)
    text = "Første setning er her. Andre setning er lengre enn den første. Tredje kommer så. Fjerde og siste setning."
    trimmed, changed = trim_quote(text, 10)
    assert changed and trimmed == f"Første setning er her. {OMISSION} Fjerde og siste setning."
    words = "en to tre fire fem seks sju åtte ni ti elleve tolv tretten fjorten femten seksten"
    trimmed, changed = trim_quote(words, 10)
    assert changed and trimmed == f"en to tre fire fem seks {OMISSION} tretten fjorten femten seksten"


@given(st.lists(st.sampled_from(["ja", "nei", "altså", "jobb.", "mentor!", "NAV?", "tid", "–"]), min_size=1, max_size=80),
       st.integers(5, 40))
@settings(max_examples=100, deadline=None)
def test_trimmed_quotes_fit_the_budget_and_keep_the_first_and_last_words(words, budget):
    text = " ".join(words)
    trimmed, changed = trim_quote(text, budget)
    kept = [w for w in trimmed.split() if w != OMISSION]
    assert changed == (len(words) > budget)
    assert len(kept) <= budget
    if changed:
        head, _, tail = trimmed.partition(f" {OMISSION}")
        assert text.startswith(head)
        assert text.endswith(tail.strip())


def test_attribution_by_role_only():
    assert attribution("mentor", workplace="butikk", round=2) == "(mentor, butikk, runde 2)"
    assert attribution("veileder", round=1, group=True) == "(veileder, gruppeintervju, runde 1)"
    assert attribution("arbeidsgiver", workplace="varehandel", round=None, survey=True) == \
        "(arbeidsgiver, varehandel, spørreundersøkelse)"
    assert attribution(None) == attribution("other") == "(informant)"


def test_workplace_comes_from_a_workplace_attribute_never_a_place():
    assert workplace_of({"kommune": "Holmvika", "site": "Sørvik", "Bransje": "  bygg og  anlegg "}) == "bygg og anlegg"
    assert workplace_of({"kommune": "Holmvika", "site": "Sørvik", "group": True}) is None
    assert workplace_of({"sector": "retail", "arbeidsplass": "butikk"}) == "butikk"


def test_distinct_passages_keep_the_longest_of_overlapping_codings_of_one_code():
    a = quote("kapasitet", start=0, end=50, coder="ingrid")
    b = quote("kapasitet", start=10, end=80, coder="per")      # overlaps a: longer, kept
    c = quote("kapasitet", start=75, end=90, coder="kari")     # chains onto b: same passage
    d = quote("kapasitet", start=90, end=95, coder="ola")      # touches only: its own passage
    e = quote("jobbmatch", start=0, end=50)                    # other code
    f = quote("kapasitet", doc=2, start=0, end=50)              # other document
    # the passage's quote names everyone who coded it
    assert distinct_passages([a, b, c, d, e, f]) == [b._replace(coder="ingrid, kari, per"), d, e, f]


def test_short_examples_prefer_telling_length_and_different_people():
    long = " ".join(["ord"] * 60)
    quotes = [
        quote("kapasitet", participant="V01", start=0, end=5, text="Ja."),
        quote("kapasitet", participant="V01", start=10, end=20, text=" ".join(["a"] * 20)),
        quote("kapasitet", participant="V01", start=30, end=40, text=" ".join(["b"] * 19)),
        quote("kapasitet", participant="M01", start=50, end=60, text=" ".join(["c"] * 12)),
        quote("kapasitet", participant="A01", start=70, end=80, text=long),
    ]
    chosen = short_examples(quotes, 2)
    assert [q.participant for q in chosen] == ["V01", "M01"] and chosen[0].text.startswith("a")
    assert short_examples(quotes, 2) == chosen
    assert short_examples(quotes, 0) == []
    assert len(short_examples(quotes, 9)) == 5


def test_quotes_lose_the_time_marks_of_their_transcript():
    assert without_time_marks("Det gikk fint {00:01:02} men så #00:02:14-6# ble det [00:12:31] vanskelig.") == (
        "Det gikk fint men så ble det vanskelig.")
    assert without_time_marks("Det var ille. (00:03:00)\n[Kari Holm] 11:02:09\nJa, det stemmer.") == (
        "Det var ille.\nJa, det stemmer.")  # a Zoom header line goes whole; the line breaks stay
    assert without_time_marks("Ja.\n[[Person 1]] 11:02:09\nNei.") == "Ja.\nNei."  # the header in the rendition
    assert without_time_marks("tekst [00:05.240 --> 00:08.640] mer\n00:00:05.000 --> 00:00:08.000\nneste") == (
        "tekst mer\nneste")
    for kept in ("Vi møttes klokka 10:30 på kontoret.", "vi møttes (10:30) der", "R: et svar: uten tid",
                 "[Person 5] sa det\n\nI: Mhm."):
        assert without_time_marks(kept) == kept  # times said in a sentence, labels, pseudonyms, blank lines
    # A mark at the very start, a one-digit hour; a colon and digits without an hour are no time.
    assert without_time_marks("{00:01:02} Ja.") == "Ja." and without_time_marks("9:05\nJa.") == "Ja."
    assert without_time_marks(":05 ja") == ":05 ja"
