"""Linking decisions that need no model: detections are built by hand over real sentences."""

from __future__ import annotations

from codebench.anonymise.detections import LOC, ORG, PER, Detection
from codebench.anonymise.linking import link


def _det(text: str, surface: str, kind: str, *, nth: int = 0, detector: str = "ner", score: float = 0.9) -> Detection:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Detection(start, start + len(surface), kind, detector, score, surface)


def _kinds(clusters, doc) -> dict[str, str]:
    return {det.text: det.kind for cluster in clusters for d, det in cluster.mentions if d == doc}


def test_a_title_stays_outside_the_person_span() -> None:
    texts = {1: "Vi snakket med Dr. Donsbach i går, og fru Holm var også der."}
    dets = {1: [_det(texts[1], "Dr. Donsbach", PER), _det(texts[1], "fru Holm", PER)]}
    spans = {texts[1][det.start:det.end] for c in link(texts, dets) for _, det in c.mentions}
    assert "Donsbach" in spans and "Holm" in spans
    assert not any(s.startswith(("Dr", "fru")) for s in spans)


def test_a_place_named_after_a_given_name_stays_a_place_when_the_model_keeps_calling_it_one() -> None:
    texts = {
        1: "Jan Hansen var på Jan Mayen i fjor.",
        2: "Stasjonen på Jan Mayen ble bygd om.",
        3: "Ingen bor fast på Jan Mayen.",
    }
    dets = {
        1: [_det(texts[1], "Jan Hansen", PER), _det(texts[1], "Jan Mayen", LOC)],
        2: [_det(texts[2], "Jan Mayen", LOC)],
        3: [_det(texts[3], "Jan Mayen", LOC)],
    }
    clusters = link(texts, dets)
    assert all(_kinds(clusters, doc)["Jan Mayen"] == LOC for doc in texts)
    assert _kinds(clusters, 1)["Jan Hansen"] == PER


def test_a_person_the_model_once_called_a_workplace_is_still_a_person() -> None:
    texts = {
        1: "Tobias Berg begynte i butikken i mai.",
        2: "Tobias Berg fikk fast stilling til slutt.",
        3: "Jeg ringte til Tobias Berg om turnusen.",
    }
    dets = {
        1: [_det(texts[1], "Tobias Berg", PER)],
        2: [_det(texts[2], "Tobias Berg", PER)],
        3: [_det(texts[3], "Tobias Berg", ORG)],
    }
    clusters = link(texts, dets)
    assert {_kinds(clusters, doc)["Tobias Berg"] for doc in texts} == {PER}
    assert len({id(c) for c in clusters for _, det in c.mentions if det.text == "Tobias Berg"}) == 1


def test_a_one_word_name_the_model_repeatedly_calls_a_workplace_follows_its_person_evidence() -> None:
    texts = {
        1: "Elsa sa at hun trivdes.",
        2: "Vi har snakket med Elsa om det.",
        3: "Elsa ville ikke mer.",
        4: "Jeg spurte Elsa igjen.",
    }
    dets = {
        1: [_det(texts[1], "Elsa", PER)],
        2: [_det(texts[2], "Elsa", ORG)],
        3: [_det(texts[3], "Elsa", ORG)],
        4: [_det(texts[4], "Elsa", ORG)],
    }
    clusters = link(texts, dets)
    assert {_kinds(clusters, doc)["Elsa"] for doc in texts} == {PER}
