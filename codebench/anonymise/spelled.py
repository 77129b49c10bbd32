"""Names spelled out letter by letter: "det er m j e l d e", "eilertsen med t s e n på slutten".

An informant asked how a name is written spells it, and ASR writes each letter as a word. The
letters identify as much as the name, yet no name list or model knows "h o d a n": a run of
three or more single letters is taken as a person's name. Pure Python and :mod:`re`.

Single letters are also words in Norwegian speech — "i", "å", "e" (dialect "er"), "o", "a"
(dialect "ho"), "æ" (northern "jeg") — so a run must hold at least two other letters ("æ e i
a" is "jeg er i a…"), and a vowel (a run of consonants is an abbreviation read out: "n r k").
Abbreviations with a vowel ("u d i", "n a v") and the alphabet recited ("a b c d") are no name.

Offsets are Unicode code points into the text given, half-open ``[start, end)``.
"""

from __future__ import annotations

import re

from codebench.anonymise.detections import PER, Detection

__all__ = ["find_spelled_names"]

# A letter said alone, then two or more, each after one space or a hyphen ("m-j-e-l-d-e").
# One case throughout: lower case in ASR text, capitals where a typist wrote "H O D A N".
_RUN = re.compile(
    r"(?<![\w\-])(?:[a-zæøå](?:[ \-][a-zæøå]){2,}|[A-ZÆØÅ](?:[ \-][A-ZÆØÅ]){2,})(?![\w\-])"
)
# Single letters that are words of their own in speech and dialect.
_LETTER_WORDS = frozenset("iåeoaæ")
_VOWELS = frozenset("aeiouyæøå")
_ALPHABET = "abcdefghijklmnopqrstuvwxyzæøå"
# Abbreviations said letter by letter that hold a vowel, as they come up in Norwegian interviews
# on work and welfare (bodies, benefits, schools, parties, everyday ones).
_ABBREVIATIONS = frozenset("""
nav udi imdi nho aap krle bup ntnu uib uio uit hvl nhh sfo usa eu oecd ia ipt ips ikt it ok lo
fhi nsd obs ssb kiwi vgs adhd add ppt dps ap sv kfu kfum ks ys unn ous hus ahus tv pc
""".split())
# What tells three letters are a spelling: "med n e s på slutten", "det er n e s", "stavet …".
_CUE_BEFORE = re.compile(r"(?<![\w-])(?:med|er|e|heter|heiter|stavet|stava|staves|skrives|skrivast|altså)[ ,]+\Z",
                         re.IGNORECASE)
_CUE_AFTER = re.compile(r"[ ,.]+(?:på[ ]+slutten|til[ ]+slutt|på[ ]+enden)", re.IGNORECASE)

SCORE = 0.8
"""Strong enough for ``--auto``: letters spelling a word are a name far more often than not."""


# Right after "heter" a run of letters is the name spelled, even one made mostly of the letters
# that are dialect words ("æ heter e i n o": Eino, a tester's northern interview).
_NAMED_BEFORE = re.compile(r"(?<![\w-])(?:heter|heiter|het|heite|hete|heitte)(?:[ ]+(?:bare|berre))?[ ,]+\Z",
                           re.IGNORECASE)


def _is_spelling(letters: str, named: bool = False) -> bool:
    """Whether a run of single letters (joined, lower case) spells a word rather than something
    else; ``named``: right after "heter", where four letters with one that is no word will do."""
    others = sum(1 for c in letters if c not in _LETTER_WORDS)
    if (others < 2 and not (named and others >= 1 and len(letters) >= 4)) or not any(c in _VOWELS for c in letters):
        return False
    if letters in _ABBREVIATIONS:
        return False
    return letters not in _ALPHABET  # "a b c", "x y z": the alphabet, in order


def find_spelled_names(text: str) -> list[Detection]:
    """Runs of three or more single letters that spell a word, as person names (kind PER).

    Args:
        text: the document's stored text.

    Returns:
        Detections sorted by start, detector ``rules:spelled``, score :data:`SCORE`; ``text`` of
        each equals ``text[start:end]`` (the letters as written, not the word they spell).
    """
    found = []
    for m in _RUN.finditer(text):
        letters = m.group()[::2].casefold()
        if len(set(m.group()[1::2])) != 1:
            continue  # "a-b c": one separator throughout, as a spelling is said
        if len(letters) == 3 and not (_CUE_BEFORE.search(text, max(0, m.start() - 30), m.start())
                                      or _CUE_AFTER.match(text, m.end())):
            continue  # three letters alone are as often ASR noise ("andre enn t d a vore"): a cue says it is spelled
        if _is_spelling(letters, bool(_NAMED_BEFORE.search(text, max(0, m.start() - 20), m.start()))):
            found.append(Detection(m.start(), m.end(), PER, "rules:spelled", SCORE, m.group()))
    return found
