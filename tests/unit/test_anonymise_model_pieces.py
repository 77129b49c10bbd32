"""Which parts of a text the NER model reads (in cased text the sentences that can hold a name,
in caseless text the words that are not plain ordinary words, with their neighbours), and
words it must not take for names."""

from __future__ import annotations

from codebench.anonymise.ner import model_pieces

INTERVIEW = (
    "Intervjuer:\tHvordan gikk det i starten? Jeg tenker på de første ukene.\n"
    "Informant:\tDet var tungt. Vi hadde ikke noen plan.\n"
    "Informant:\tMen så kom Kari Nordmann inn, og da løsnet det.\n"
    "Intervjuer:\tHva gjorde hun?\n"
    "Informant:\tHun snakket med sjefen. Når jeg ser emilie nå, er hun en annen.\n"
    "Informant:\tPer sa det samme. Ja, det var bra.\n"
)


def _read(text: str) -> list[str]:
    pieces = list(model_pieces(text))
    for offset, piece in pieces:
        assert text[offset:offset + len(piece)] == piece  # offsets point into the original
    return [piece for _, piece in pieces]


def test_cased_text_sends_only_sentences_that_can_hold_a_name() -> None:
    read = " ".join(_read(INTERVIEW))
    assert "Kari Nordmann" in read
    assert "emilie" in read, "a given name typed in lower case must still reach the model"
    assert "Per sa det samme" in read, "a sentence opening with a given name must reach the model"
    for skipped in ("Det var tungt", "Vi hadde ikke noen plan", "Hva gjorde hun", "Ja, det var bra"):
        assert skipped not in read


def test_caseless_asr_text_reads_every_possible_name_with_its_context() -> None:
    filler = "ja det var jo tungt i starten vi hadde ikke noen plan og det var ikke så lett "
    asr = filler * 3 + "men så kom kari inn og da løsnet det sa kvande til oss " + filler * 3
    read = _read(asr)
    # A given name and an unknown word (a surname the lexicon has never seen) both reach the
    # model, each with at least four words either side: the model's view of a token spans four.
    for name in ("kari", "kvande"):
        piece = next(p for p in read if f" {name} " in p)
        before, after = piece.split(f" {name} ", 1)
        assert len(before.split()) >= 4 and len(after.split()) >= 4
    # Long stretches of plain words with no name in them are not read.
    assert sum(len(p.split()) for p in read) < len(asr.split()) / 2


def test_caseless_text_of_only_plain_words_is_not_read() -> None:
    assert _read("ja det var jo tungt i starten vi hadde ikke noen plan " * 30) == []


def test_jo_before_a_comparative_is_the_conjunction_not_the_name() -> None:
    from codebench.anonymise.ner import jo_before_comparative

    for sentence in ("Jo større byene blir, jo mindre blir menneskene.", "Jo høyere husene stikker, jo verre.",
                     "Jo mer vi snakket, desto bedre gikk det."):
        assert jo_before_comparative(sentence, 0, "Jo"), sentence
    for sentence in ("Jo kom hjem i går.", "Jo Nesbø skriver bøker.", "Jo sa at hun ville."):
        assert not jo_before_comparative(sentence, 0, "Jo"), sentence
    assert not jo_before_comparative("Per mer enn før", 0, "Per")


def test_a_speaker_label_and_the_first_word_of_its_turn_are_never_one_name() -> None:
    from codebench.anonymise.ner import name_pieces

    text = "Hva tror du?\nTone: Sara har fått fast stilling.\nIntervjuer\tHvordan gikk det kl. 10:30?"
    start = text.index("Tone")
    assert name_pieces(text, start, start + len("Tone: Sara")) == [(start, "Tone"), (start + 6, "Sara")]
    tab = text.index("Intervjuer")
    assert [s for _, s in name_pieces(text, tab, tab + len("Intervjuer\tHvordan"))] == ["Intervjuer", "Hvordan"]
    clock = text.index("10:30")
    assert name_pieces(text, clock, clock + 5) == [(clock, "10:30")]
    assert name_pieces(text, 0, len("Hva tror")) == [(0, "Hva tror")]
