"""What a detector reports: a typed span of the original text with its evidence.

Every detector (rules, gazetteer, NER, linking) returns :class:`Detection` records over the
document's stored text (code points, half-open), so the pipeline can merge them without knowing
where they came from.  Pure Python: no spaCy, no storage.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Kinds of identifier.  Direct identifiers name or reach a person; indirect ones narrow down who
# it is and are flagged for the researcher rather than replaced automatically.
PER = "PER"
ORG = "ORG"
LOC = "LOC"
NAV_OFFICE = "NAV_OFFICE"
FNR = "FNR"            # fødselsnummer or D-nummer (checksum-valid)
PHONE = "PHONE"
EMAIL = "EMAIL"
URL = "URL"
ADDRESS = "ADDRESS"    # street address, optionally with postcode and place
ORGNR = "ORGNR"        # organisasjonsnummer (9 digits, mod-11), only with a context word
INDIRECT = "INDIRECT"  # job title, diagnosis, age, date: flagged, never auto-replaced

DIRECT_KINDS = frozenset({PER, FNR, PHONE, EMAIL, ADDRESS})
INDIRECT_KINDS = frozenset({ORG, LOC, NAV_OFFICE, URL, ORGNR, INDIRECT})
KINDS = DIRECT_KINDS | INDIRECT_KINDS

# The rest of the vocabulary the front ends name (kept here, in a module that imports nothing
# heavy, so that the command line can build its options without loading the detectors).
# Suggestions at or above this score are accepted by --auto; below it they wait for review.
DEFAULT_THRESHOLD = 0.5
# Kinds that are flagged for the researcher but never accepted automatically.
REVIEW_ONLY = frozenset({INDIRECT})
# Pseudonym styles: bracketed role labels or realistic names (see ``pseudonyms``).
STYLES = ("labels", "names")
# How far a first name or surname said alone reaches (services.anonymisation.scope): the
# project's one person of that name, or only a person of the same interview or participant.
PEOPLE_SCOPES = ("circle", "project", "interview")


class Detection(NamedTuple):
    """One suggested identifier.

    Attributes:
        start: first code point, into the document's stored text.
        end: one past the last code point.
        kind: one of :data:`KINDS`.
        detector: which detector found it ("rules:phone", "ner", "known-name", "linked", ...).
        score: confidence in [0, 1]; rules with a checksum give 1.0.
        text: the matched text (kept for linking and review; never logged).
    """

    start: int
    end: int
    kind: str
    detector: str
    score: float
    text: str


# What str.splitlines() breaks at: a transcript line, and so a speaker turn, ends at any of them.
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_PIECE = re.compile(f"[^{re.escape(LINE_BREAKS)}]+")


def line_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of ``text[start:end]`` on each line, without the whitespace around them.

    A replacement must never take a line break with it: a name written across a line end
    ("Aksel\\nLund Svindal") is two mentions, one on each line. Parts without a letter or digit
    (a lone hyphen) identify nobody and are left out. A span within one line comes back whole.
    """
    span = text[start:end]
    if not any(c in LINE_BREAKS for c in span):
        return [(start, end)]
    pieces = []
    for match in _LINE_PIECE.finditer(span):
        piece = match.group()
        left = len(piece) - len(piece.lstrip())
        right = len(piece.rstrip())
        if any(c.isalnum() for c in piece):
            pieces.append((start + match.start() + left, start + match.start() + right))
    return pieces


def split_at_line_breaks(det: Detection) -> list[Detection]:
    """A detection as one detection per line it touches (itself when it keeps to one line).

    The parts keep the kind, detector and score; their offsets stay offsets into the document.
    """
    pieces = line_pieces(det.text, 0, len(det.text))
    if pieces == [(0, len(det.text))]:
        return [det]
    return [det._replace(start=det.start + s, end=det.start + e, text=det.text[s:e]) for s, e in pieces]
