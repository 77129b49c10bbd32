"""The people a transcript's header names: "Informant: Solveig Brattbakk", "Intervjuer: Hans Dahle".

A typed transcript often opens with a header block; import moves it to the document's
attributes (``meta["header"]``), out of the text detection reads.  The names in it are the
surest evidence a project has: they are the informant's and the interviewer's full names.
Detection uses them three ways: as names to find in every text (their own words alone too),
as the full name that joins "Solveig" and "Brattbakk" said apart in the interview into one
person, and, for the informant, as the role that names the pseudonym ("[Mentor 1]").
"""

from __future__ import annotations

import re
from typing import Sequence

from codebench.anonymise.detections import PER, Detection
from codebench.anonymise.gazetteer import is_common_word, lexicon, looks_like_name
from codebench.domain.records import DocumentInfo

INFORMANT_KEYS = frozenset({"informant", "respondent", "deltaker", "deltakar", "deltakere", "deltakarar",
                            "participant", "participants"})
OTHER_KEYS = frozenset({"intervjuer", "intervjuar", "interviewer", "moderator"})
_SPLIT = re.compile(r"\s*(?:[,;/&]|\bog\b|\band\b)\s*")
_BRACKETS = re.compile(r"\s*[(\[][^)\]]*[)\]]")


def header_people(info: DocumentInfo) -> list[tuple[str, bool]]:
    """``(name, is_informant)`` for each person the document's header names, as written."""
    header = (info.source_meta or {}).get("header")
    if not isinstance(header, dict):
        return []
    found: list[tuple[str, bool]] = []
    given = lexicon().female | lexicon().male
    for key, value in header.items():
        if key not in INFORMANT_KEYS and key not in OTHER_KEYS or not isinstance(value, str):
            continue
        for n, part in enumerate(_SPLIT.split(_BRACKETS.sub("", value))):
            name = " ".join(part.split())
            # The value goes on with who the person is: "Solveig Dal, NAV Lier", "Per Hansen,
            # mentor". A part after the first is a name only when it opens with a given name.
            if _is_person(name) and (n == 0 or name.split()[0].casefold() in given):
                found.append((name, key in INFORMANT_KEYS))
    return found


def _is_person(name: str) -> bool:
    """A person's name: capitalised words, no code ("IA02"), no acronym ("NAV Lier", "Bakke AS"),
    and unless it opens with a given name ("Ola Nordmann"), no ordinary word ("Daglig leder")."""
    words = name.split()
    if not (1 <= len(words) <= 5 and looks_like_name(name) and not any(ch.isdigit() for ch in name)
            and not any(w.isupper() and len(w) > 1 for w in words)):
        return False
    given = lexicon().female | lexicon().male
    return words[0].casefold() in given or not any(is_common_word(w) and w.casefold() not in given for w in words)


def header_texts(infos: Sequence[DocumentInfo]) -> tuple[dict[str, str], dict[str, list[Detection]]]:
    """One small text per document with a header naming people, and the names in it as persons.

    Linking reads them beside the transcripts, so a full name known only from a header joins the
    given name and the surname the interview says apart.  The keys are strings ("header:12"), never
    a document id: their mentions are evidence and are not stored.
    """
    texts: dict[str, str] = {}
    dets: dict[str, list[Detection]] = {}
    for info in infos:
        people = header_people(info)
        if not people:
            continue
        key = f"header:{info.id}"
        text, found = "", []
        for name, _informant in people:
            found.append(Detection(len(text), len(text) + len(name), PER, "header", 1.0, name))
            text += name + "\n"
        texts[key], dets[key] = text, found
    return texts, dets


def is_header_key(doc: object) -> bool:
    """Whether a linking key is one of :func:`header_texts`' texts rather than a document."""
    return isinstance(doc, str) and doc.startswith("header:")
