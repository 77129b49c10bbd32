"""Typed transcripts a tester wrote and the anonymiser had never seen (#15): header labels,
sentence-initial words that are also names, a rota, surname particles, initials and double
given names. The model's output is written out as detections; linking decides the rest."""

from __future__ import annotations

from codebench.anonymise.detections import DEFAULT_THRESHOLD, PER, Detection
from codebench.anonymise.gazetteer import looks_like_name
from codebench.anonymise.linking import link


def _det(text: str, surface: str, *, nth: int = 0, score: float = 0.9, detector: str = "ner") -> Detection:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Detection(start, start + len(surface), PER, detector, score, surface)


def _persons(texts: dict[int, str], dets: dict[int, list[Detection]]) -> list[list[str]]:
    """Per person: the texts of its masked mentions, in order."""
    out = []
    for cluster in link(texts, dets):
        if cluster.kind == PER:
            shown = [det.text for _, det in cluster.mentions if det.score >= DEFAULT_THRESHOLD]
            if shown:
                out.append(shown)
    return out


def test_a_label_that_is_an_ordinary_word_names_no_one() -> None:
    assert not looks_like_name("Notat") and not looks_like_name("Merknad") and not looks_like_name("Sted")
    assert looks_like_name("Lange") and looks_like_name("Sol") and looks_like_name("Roger Eilertsen")


def test_a_header_flattened_into_one_line_keeps_its_labels_out_of_the_names() -> None:
    # A PDF's header came in as one line; the model read "Magnus Vik Informant" as one name, and
    # every "Informant:" label of the project then became the interviewer's pseudonym.
    header = "Intervjuer: Magnus Vik Informant: Ahmad Al-Khatib Sted: Lørenskog"
    other = "Informant: Ja, jeg heter Tor-Arne.\nInformant: Det gikk fint."
    found = _persons({1: header, 2: other}, {1: [_det(header, "Magnus Vik Informant"),
                                                 _det(header, "Ahmad Al-Khatib Sted")], 2: []})
    assert ["Magnus Vik"] in found and ["Ahmad Al-Khatib"] in found
    assert not any("Informant" in m for person in found for m in person)


def test_per_and_hans_opening_a_sentence_before_a_noun_are_words_and_names_before_a_verb() -> None:
    text = ("Hans Johansen jobber på lageret. Per i dag er jeg oppe i fem dager. Hans oppgave er å passe på. "
            "Hans kom i går. Hans' kone jobber på legekontoret. Per Olsen ringte. Per sa det.")
    dets = [_det(text, "Hans Johansen"), _det(text, "Per", nth=0, score=0.6), _det(text, "Hans", nth=1, score=0.6),
            _det(text, "Hans", nth=2, score=0.6), _det(text, "Hans'", score=0.6), _det(text, "Per Olsen"),
            _det(text, "Per", nth=2, score=0.6)]
    masked = {det.start for c in link({1: text}, {1: dets}) for _, det in c.mentions if det.score >= DEFAULT_THRESHOLD}
    assert text.index("Per i dag") not in masked and text.index("Hans oppgave") not in masked
    assert text.index("Hans kom") in masked and text.index("Hans' kone") in masked and text.index("Per sa") in masked


def test_a_weekday_in_a_rota_is_no_one() -> None:
    text = "Tor Vik er vaktsjef.\nTurnus:\n- Ons. 15–22:30\n- Tor. 07–15\n- Fre. fri\nTor ringte i går."
    dets = [_det(text, "Tor Vik"), _det(text, "Tor", nth=1, score=0.85), _det(text, "Tor", nth=2, score=0.85)]
    masked = [(det.start, det.text) for c in link({1: text}, {1: dets}) for _, det in c.mentions
              if det.score >= DEFAULT_THRESHOLD]
    assert (text.index("Tor ringte"), "Tor") in masked
    assert all(start != text.index("Tor. 07") for start, _ in masked)


def test_surname_particles_belong_to_the_name_and_a_sentence_may_open_with_them() -> None:
    text = ("Liv Berg sitter i kassa. Vi satte ham sammen med Jan Erik van der Berg. "
            "Van der Berg har vært her i tjuefem år.")
    found = _persons({1: text}, {1: [_det(text, "Liv Berg"), _det(text, "Jan Erik"), _det(text, "Berg", nth=1),
                                     _det(text, "Berg", nth=2)]})
    assert ["Jan Erik van der Berg", "Van der Berg"] in found, found
    assert ["Liv Berg"] in found, "Liv Berg is someone else"


def test_initials_join_the_person_named_in_full() -> None:
    texts = {1: "IA-rådgiver Kasper Lund kom. Kasper Lund sa at K. Lund følger opp. Lund var opptatt av det.",
             2: "Yonas Tesfamariam Gebremedhin er lærling. Yonas T. Gebremedhin signerte. Yonas kom."}
    dets = {1: [_det(texts[1], "Kasper Lund"), _det(texts[1], "Kasper Lund", nth=1), _det(texts[1], "K. Lund"),
                _det(texts[1], "Lund", nth=3, score=0.85)],
            2: [_det(texts[2], "Yonas Tesfamariam Gebremedhin"), _det(texts[2], "Yonas T. Gebremedhin"),
                _det(texts[2], "Yonas", nth=2, score=0.85)]}
    found = _persons(texts, dets)
    assert len(found) == 2, found


def test_what_a_person_is_called_is_one_name_even_if_its_first_part_is_someone_elses() -> None:
    texts = {1: "Tor Vik var veileder.", 2: "Han heitte Tor Inge, eg hugsar ikkje etternamnet."}
    found = _persons(texts, {1: [_det(texts[1], "Tor Vik")], 2: [_det(texts[2], "Tor Inge")]})
    assert ["Tor Inge"] in found and ["Tor Vik"] in found


def test_what_follows_a_place_like_is_a_place() -> None:
    text = "Når du er ute av jobb på et sted som Bjørkelangen, så vet folk det. Det var Kari som ringte."
    clusters = link({1: text}, {1: [_det(text, "Bjørkelangen", score=0.85), _det(text, "Kari", score=0.85)]})
    kinds = {det.text: c.kind for c in clusters for _, det in c.mentions}
    assert kinds == {"Bjørkelangen": "LOC", "Kari": PER}


def test_a_sentence_opening_with_a_given_name_that_is_a_word_and_a_verb_is_the_name() -> None:
    from codebench.anonymise.ner import _score

    text = "Han har jobba der i femten år. Sol sa at eg skulle spørje om alt. Sol og vind hele dagen. Liv er viktig."
    assert _score(text, text.index("Sol sa"), "Sol", PER) >= DEFAULT_THRESHOLD
    assert _score(text, text.index("Sol og"), "Sol", PER) < DEFAULT_THRESHOLD
    assert _score(text, text.index("Liv er"), "Liv", PER) < DEFAULT_THRESHOLD
