"""Which parts of a text the NER model reads: everything in caseless text, in cased text only
the sentences that can hold a name."""

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


def test_caseless_asr_text_is_read_whole() -> None:
    asr = "ja det var jo tungt i starten vi hadde ikke noen plan men så kom kari inn og da løsnet det " * 20
    assert "".join(_read(asr)).replace(" ", "") == asr.replace(" ", "")
