"""Names that open a line of typed text, before a dash, colon, comma or bracket.

A participant list ("- Kasper Ullsfjord, Universitetet i Tromsø"), a heading over a turn
("Eilert Asbjørnson Saint – til oppfølgingsspørsmål.") or a signature puts a full name first on
its line.  There the model has little context and no sentence to read, and the first word's
capital says nothing, so it often leaves the name or takes the surname only.  The line's own
shape is the evidence: two to four capitalised words that are names or no ordinary word, then
punctuation that ends a label.
"""

from __future__ import annotations

import re

from codebench.anonymise.detections import PER, Detection
from codebench.anonymise.gazetteer import (
    NOT_NAMES,
    ends_in_given_name,
    is_common_word,
    is_compound_word,
    is_inflected_word,
    is_role_word,
    lexicon,
)
from codebench.anonymise.policy import NOT_IDENTIFYING, is_public

_WORD = r"[A-ZÆØÅ][^\W\d_]+(?:-[A-ZÆØÅ][^\W\d_]+)*"
_INITIAL = r"[A-ZÆØÅ]\."
# Optional list marker, then two to four name words (initials allowed inside), then the label's end.
_LINE_NAME = re.compile(
    rf"^[ \t]*(?:[-–•*][ ]+|\d{{1,2}}[.)][ ]+)?"
    rf"((?:{_WORD})(?:[ ](?:{_WORD}|{_INITIAL})){{1,3}})"
    r"[ ]*(?:[–—:,(]|-[ ])",
    re.MULTILINE,
)


def _name_word(word: str, first: bool) -> bool:
    """A word a name can hold: one the name lists know, or no ordinary word of any kind.  A
    surname may be a compound ("Ullsfjord", "Solbakken" are farm names); a given name rarely is,
    unless it ends in one ("Frederikke")."""
    if len(word) == 2 and word.endswith("."):
        return True  # an initial
    if word.isupper():
        return False  # an acronym ("NAV", "LO"), not a name
    folded = word.casefold()
    names = lexicon()
    if folded in names.female or folded in names.male or folded in names.surnames:
        return True
    from codebench.anonymise.linking import FUNCTION_WORDS

    parts = folded.split("-")
    return not any(is_common_word(p) or is_inflected_word(p) or p in FUNCTION_WORDS or p in NOT_NAMES
                   or p in NOT_IDENTIFYING or is_public(p) or is_role_word(p) for p in parts) and not (
        first and is_compound_word(folded) and not ends_in_given_name(folded))


def find_line_names(text: str) -> list[Detection]:
    """Full names that open a line of cased text before a label's punctuation ("Kari Holm –",
    "- Kasper Ullsfjord, Universitetet i Tromsø"): persons, scored so that --auto masks them."""
    found = []
    for match in _LINE_NAME.finditer(text):
        words = match.group(1).split(" ")
        if words[-1].endswith(".") or not all(_name_word(w, k == 0) for k, w in enumerate(words)):
            continue
        start, end = match.span(1)
        found.append(Detection(start, end, PER, "lexicon:line", 0.7, text[start:end]))
    return found
