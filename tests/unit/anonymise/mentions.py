"""Helpers of the anonymiser's unit tests: a detection where the model would give one, and the
people linking makes of a text (rules, lexicon and linking; no NER model)."""

from __future__ import annotations

import re

from codebench.anonymise.detections import DEFAULT_THRESHOLD, PER, Detection
from codebench.anonymise.linking import link
from codebench.anonymise.pipeline import detect_text


def model_det(text: str, surface: str, *, nth: int = 0, score: float = 0.9) -> Detection:
    """A person detection of the ``nth`` occurrence of ``surface``, as the NER model gives one."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Detection(start, start + len(surface), PER, "ner", score, surface)


def clusters(text: str, dets: list[Detection] | None = None) -> list[list[Detection]]:
    """Each person linking makes of ``text``: the mentions --auto would mask, in text order."""
    found = detect_text(text, use_model=False) + list(dets or [])
    return [[d for _, d in sorted(c.mentions, key=lambda m: m[1].start) if d.score >= DEFAULT_THRESHOLD]
            for c in link({1: text}, {1: found}, people="circle") if c.kind == PER]


def people(text: str, dets: list[Detection] | None = None) -> list[list[str]]:
    """The words of each person's mentions --auto would mask, in text order."""
    return [[text[d.start:d.end] for d in c] for c in clusters(text, dets)]


def left_in_clear(text: str, dets: list[Detection] | None, word: str) -> int:
    """How many times ``word`` stands in ``text`` outside every mention --auto would mask."""
    spans = [(d.start, d.end) for c in clusters(text, dets) for d in c]
    return sum(1 for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text)
               if not any(s < m.end() and m.start() < e for s, e in spans))


def found(text: str, kind: str) -> list[str]:
    """The words of each detection of ``kind`` in ``text`` (rules, lexicon and linking; no model)."""
    return [text[d.start:d.end] for d in detect_text(text, use_model=False) if d.kind == kind]
