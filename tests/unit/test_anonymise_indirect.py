"""Indirect identifiers: job titles with their workplace, rare diagnoses — flagged, never direct."""

from __future__ import annotations

from codebench.anonymise.detections import INDIRECT
from codebench.anonymise.indirect import find_indirect
from codebench.anonymise.pipeline import DEFAULT_THRESHOLD, REVIEW_ONLY


def test_job_title_with_workplace_is_one_flag() -> None:
    text = "Jeg er daglig leder på Holmvika Trelast, og har vært det i ti år."
    (found,) = find_indirect(text)
    assert found.kind == INDIRECT and text[found.start:found.end] == "daglig leder på Holmvika Trelast"
    assert found.score < DEFAULT_THRESHOLD and INDIRECT in REVIEW_ONLY  # flagged, never auto-accepted


def test_title_alone_and_definite_workplace() -> None:
    text = "Verkstedlederen var skeptisk. Rektor på skolen sa ja. Butikksjefen også."
    spans = [text[d.start:d.end] for d in find_indirect(text)]
    assert spans == ["Rektor på skolen"]  # inflected titles are ordinary nouns here


def test_diagnoses_in_capitals_or_full_words_only() -> None:
    text = "Han har ADHD og litt autisme. Vi må add en rad, sa hun, og ms er bare en forkortelse."
    spans = [text[d.start:d.end] for d in find_indirect(text)]
    assert spans == ["ADHD", "autisme"]
