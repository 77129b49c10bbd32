"""Name evidence without the model: the lexicon and the words around a name in ASR text."""

from __future__ import annotations

from codebench.anonymise.gazetteer import find_lexicon_names, find_reported_speakers, lexicon


def test_the_unknown_word_after_a_verb_of_saying_is_taken_for_the_speaker_in_asr_text() -> None:
    text = ("det gikk bedre etter hvert sier solbakk og så sa veilederen at det var greit "
            "mens mentoren sa okei og spurte jeg hva vi gjør nå forklarer tveitnes")
    assert [d.text for d in find_reported_speakers(text)] == ["solbakk", "tveitnes"]


def test_a_listed_surname_that_is_an_ordinary_word_only_continues_a_name() -> None:
    names = lexicon()
    assert "strand" in names.surnames
    asr = "vi gikk ned til strand og bading og så kom hanne strand bort til oss"
    found = [d.text for d in find_lexicon_names(asr, caseless=True)]
    assert found == ["hanne strand"]
