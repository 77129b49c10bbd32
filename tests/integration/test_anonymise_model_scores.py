"""The name model's own scores (#15): how likely it holds a word to be part of a person's name
where it stands, and the residual review list that asks it about words that are both names and
ordinary words (the shipped model, read from disk)."""

from __future__ import annotations

from codebench.anonymise.ner import _WORD, person_probabilities
from codebench.anonymise.residual import residual_candidates

SENTENCES = {
    "speaker": "representanten hans andreas limi har ordet",
    "possessive": "det var hans bil som sto der",
    "cased": "Da kom Berge inn og sa at vi skulle gå.",
    "minister": "statsråd bjørn arild gram overtar",
}


def _scores(texts: dict[str, str]) -> dict[str, dict[str, float]]:
    spans = {key: [m.span() for m in _WORD.finditer(text)] for key, text in texts.items()}
    found = person_probabilities(texts, spans)
    return {key: {texts[key][s:e]: found[(key, s)] for s, e in spans[key]} for key in texts}


def test_the_model_tells_a_name_from_the_same_word_used_as_a_word() -> None:
    scores = _scores(SENTENCES)
    assert scores["speaker"]["hans"] > 0.5 > 0.05 > scores["possessive"]["hans"]
    assert scores["speaker"]["limi"] > 0.5 and scores["minister"]["gram"] > 0.5
    assert scores["cased"]["Berge"] > 0.5
    for key, words in (("speaker", ("representanten", "har", "ordet")), ("possessive", ("det", "bil", "sto"))):
        assert all(scores[key][w] < 0.05 for w in words), scores[key]


def test_the_residual_list_asks_the_model_about_a_name_that_is_also_a_word() -> None:
    text = ("det var hans bil som sto der og vi kjørte hjem\n"
            "representanten hans andreas limi har ordet\n"
            "ja det var hans sak")
    without = {c.form for c in residual_candidates({1: text}, {})}
    assert "hans" not in without, "an ordinary word is not listed on the lists' signs alone"
    ranked = residual_candidates({1: text}, {}, person_scores=person_probabilities)
    hans = next(c for c in ranked if c.form == "hans")
    assert "model" in hans.reasons
    # Only the occurrence where it is a name is listed, not the possessive ones.
    assert [o.start for o in hans.occurrences] == [text.index("hans andreas")]
    assert ranked[0].form in ("limi", "andreas")


def test_the_workbench_remembers_the_model_scores_per_document_text() -> None:
    from codebench.services.anonymisation.residual import _model_scores

    texts = {1: SENTENCES["speaker"], 2: SENTENCES["possessive"]}
    spans = {key: [m.span() for m in _WORD.finditer(text)] for key, text in texts.items()}
    first = _model_scores(texts, spans)
    assert first == {k: v for k, v in person_probabilities(texts, spans).items() if k[0] in texts}
    # The same texts under other keys (documents renumbered), asked for fewer words: the same
    # scores, each text's own.
    again = _model_scores({7: texts[2], 8: texts[1]}, {7: spans[2][2:3], 8: spans[1][1:2]})
    assert again[(8, spans[1][1][0])] == first[(1, spans[1][1][0])] > 0.5
    assert again[(7, spans[2][2][0])] == first[(2, spans[2][2][0])] < 0.05


def test_in_cased_text_an_ordinary_word_opening_a_sentence_is_not_listed_on_the_models_doubt() -> None:
    text = ("Jeg lar henne prøve selv. Bestillinger, datovarer, frukt og grønt. "
            "Hun bruker jo tid på dette. Da kom Brødtrønn innom.")
    ranked = {c.form: c for c in residual_candidates({1: text}, {}, person_scores=person_probabilities)}
    assert "bestillinger" not in ranked
    assert "brødtrønn" in ranked, "an unknown capitalised word inside a sentence is still listed"
