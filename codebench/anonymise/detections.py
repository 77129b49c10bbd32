"""What a detector reports: a typed span of the original text with its evidence.

Every detector (rules, gazetteer, NER, linking) returns :class:`Detection` records over the
document's stored text (code points, half-open), so the pipeline can merge them without knowing
where they came from.  Pure Python: no spaCy, no storage.
"""

from __future__ import annotations

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
