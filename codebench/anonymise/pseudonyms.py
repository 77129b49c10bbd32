"""Pseudonyms: a visible, consistent replacement for every entity, and how each mention reads.

Two styles.  ``labels`` (the default, what Norwegian reports use): "[Mentor 2]", "[Person 3]",
"[Arbeidsplass 1]", "[Sted 4]", "[NAV-kontor 1]", "[Telefon 1]".  ``names``: a realistic
Norwegian name of the same gender where the given name tells it, in brackets so a reader sees
it was replaced ("[Hilde Lunde]"); a first name alone becomes the replacement's first name.
"""

from __future__ import annotations

import hashlib
from typing import Iterable

from codebench.anonymise.detections import (
    ADDRESS, EMAIL, FNR, INDIRECT, LOC, NAV_OFFICE, ORG, ORGNR, PER, PHONE, STYLES, URL,
)
from codebench.anonymise.gazetteer import lexicon

KIND_LABELS = {
    PER: "Person", ORG: "Arbeidsplass", LOC: "Sted", NAV_OFFICE: "NAV-kontor", PHONE: "Telefon",
    EMAIL: "E-post", URL: "Nettadresse", ADDRESS: "Adresse", FNR: "Fødselsnummer", ORGNR: "Org.nr.",
    INDIRECT: "Opplysning",
}
ROLE_LABELS = {"veileder": "Veileder", "IA-rådgiver": "IA-rådgiver", "mentor": "Mentor",
               "arbeidsgiver": "Arbeidsgiver"}


def label(kind: str, number: int, role: str | None = None) -> str:
    """A bracketed label such as "[Mentor 2]" or "[Sted 1]"."""
    base = ROLE_LABELS.get(role or "", None) if kind == PER else None
    return f"[{base or KIND_LABELS.get(kind, 'Opplysning')} {number}]"


def next_label(kind: str, taken: Iterable[str], role: str | None = None) -> str:
    """The first free label of this kind (numbers are never reused within a project)."""
    used = set(taken)
    number = 1
    while label(kind, number, role) in used:
        number += 1
    return label(kind, number, role)


def new_pseudonym(seed: str, kind: str, forms: Iterable[str], taken: Iterable[str], *, style: str = "labels",
                  role: str | None = None, avoid: Iterable[str] = ()) -> str:
    """The pseudonym for a new entity: the next free label, or (names style, persons) a
    realistic name of the gender its given name suggests, unused and unlike any original form.

    Args:
        seed: a stable text for the entity (its linking key), so names do not change by run.
        forms: the entity's own normalised forms (the first word of the longest is the given name).
        taken: pseudonyms already in use in the project.
        avoid: every original form in the project (a replacement must not be a real name here).
    """
    used = set(taken)
    if style == "names" and kind == PER:
        forms = list(forms)
        first = max(forms, key=len).split()[0] if forms else ""
        banned = set(avoid) | {t[1:-1].casefold() for t in used}
        name = replacement_name(seed, lexicon().gender(first), banned)
        while name in used:
            name = replacement_name(seed + name, None, banned)
        return name
    return next_label(kind, used, role)


def replacement_name(seed: str, gender: str | None, avoid: Iterable[str]) -> str:
    """A deterministic realistic name for an entity, never one of the names in ``avoid``."""
    names = lexicon()
    pool = sorted(names.female if gender == "f" else names.male if gender == "m" else names.female | names.male)
    surnames = sorted(names.surnames)
    banned = {a.casefold() for a in avoid}
    # A replacement must not even contain an original name ("Karim" would show "Kari").
    banned_words = {w for a in banned for w in a.split() if len(w) >= 3}

    def clashes(word: str) -> bool:
        return word in banned or any(b in word for b in banned_words)

    digest = int(hashlib.sha256(seed.encode()).hexdigest(), 16)
    for attempt in range(len(pool) * 4):
        first = pool[(digest + attempt) % len(pool)]
        last = surnames[(digest // 7 + attempt * 3) % len(surnames)]
        full = f"{first.title()} {last.title()}"
        if not clashes(first) and not clashes(last) and full.casefold() not in banned and " " not in first:
            return f"[{full}]"
    return f"[Person {digest % 1000}]"


def is_replacement_name(pseudonym: str) -> bool:
    """Whether a pseudonym is a realistic name the names style makes: "[Given Surname]".

    Only such a name may be shortened for a mention of a given name or surname alone.  A label
    ("[Mentor 2]") or a pseudonym the researcher typed ("[Kollega K]") is one unit: cutting it
    would make one entity read as two ("[Kollega K]" and "[Kollega]").
    """
    words = pseudonym.strip("[]").split()
    if len(words) < 2:
        return False
    names = lexicon()
    given, surname = words[0].casefold(), " ".join(words[1:]).casefold()
    return given in (names.female | names.male) and surname in names.surnames


def mention_text(pseudonym: str, surface: str, *, possessive: bool, part: str = "full") -> str:
    """How one mention reads: the pseudonym (or its first/last name) plus a kept possessive -s.

    Args:
        pseudonym: the entity's pseudonym, e.g. "[Mentor 2]" or "[Hilde Lunde]".
        surface: the original mention (only its shape is used, never copied).
        possessive: the mention ended in a possessive -s.
        part: "first" or "last" for a lone given name or surname; only a replacement name of
            the names style (:func:`is_replacement_name`) is shortened, anything else stays whole.
    """
    text = pseudonym
    if part in ("first", "last") and is_replacement_name(pseudonym):
        words = pseudonym[1:-1].split()
        text = f"[{words[0] if part == 'first' else ' '.join(words[1:])}]"
    return text + ("s" if possessive else "")
