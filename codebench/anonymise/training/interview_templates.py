"""Interview-like ASR utterances with names planted where informants say them (#15).

The real ASR of the Stortinget days teaches the model how speech is transcribed, but members of
parliament name people in a few fixed frames ("representanten …", "statsråd …").  Informants
name their adviser, their mentor, their sister, their colleague on the warehouse floor: after
kin words and roles, after every preposition, as subjects of reported speech, in lists.  The
templates in ``templates/`` are utterances written for this project (lower case, no
punctuation, fillers, bokmål, nynorsk and dialect), each with slots where a name stands:

    {F} {M} {G}   a woman's, a man's, any given name     {S}        a surname alone
    {FS} {MS}     a woman's, a man's full name            {FIRMA}    a workplace   {STED}  a small place

``negatives.txt`` holds utterances without names in which words that are also names ("liv",
"per", "vår", "bakke", "sol") are ordinary words, in the positions names like to stand: the
model must learn the difference from the context, not from the word.

Every template is filled ``copies`` times.  A share of the given names and surnames drawn are
also ordinary words (the leaks testers found: "med liv og to unger", "hos per"), the rest come
from the same pools as ``asr_training`` (never the evaluation pool).  Some names are misheard
by a letter or run together, as ASR does.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from codebench.anonymise.training.convert_norne import Sentence

TEMPLATES = Path(__file__).resolve().parent / "templates"
SLOT = re.compile(r"\{(F|M|G|S|FS|MS|FIRMA|STED)\}")
_TRADES = ("bygg", "rør", "transport", "elektro", "regnskap", "maskin", "bil", "trelast", "auto", "service",
           "renhold", "eiendom", "entreprenør", "mekaniske", "snekkeri", "bakeri", "frisør", "blomster")
_INSTITUTIONS = ("barnehage", "sykehjem", "skole", "omsorgssenter", "bo og servicesenter", "helsesenter")
_CHAINS = ("rema tusen", "kiwi", "coop extra", "coop prix", "meny", "bunnpris", "joker", "spar", "europris",
           "clas ohlson", "jula", "biltema", "elkjøp", "xxl")


class NamePools:
    """Names by kind for the slots, with the ordinary-word names apart so their share is set."""

    def __init__(self, female: list[str], male: list[str], surnames: list[str], places: list[str],
                 is_word, exclude: set[str]):
        def split(names: list[str]) -> tuple[list[str], list[str]]:
            names = sorted({n.casefold() for n in names if n.isalpha() and len(n) > 1 and n.casefold() not in exclude})
            return [n for n in names if not is_word(n)], [n for n in names if is_word(n)]

        self.female, self.female_words = split(female)
        self.male, self.male_words = split(male)
        self.surnames, self.surname_words = split(surnames)
        self.places = sorted({p.casefold() for p in places if p.isalpha() and p.casefold() not in exclude})


def _given(pool: list[str], words: list[str], rng: random.Random, word_share: float) -> str:
    if not pool or not words:
        return rng.choice(pool or words)
    return rng.choice(words if rng.random() < word_share else pool)


def fill(template: str, pools: NamePools, rng: random.Random, *, word_share: float = 0.3,
         noise: float = 0.06, fuse: float = 0.03) -> Sentence:
    """One filled copy of ``template`` as (words, spaces, IOB tags); the same slot spelled the
    same way twice in one utterance is one person (the second {F} repeats the first)."""
    chosen: dict[str, list[str]] = {}
    words: list[str] = []
    tags: list[str] = []
    pos = 0
    for match in SLOT.finditer(template):
        words += template[pos:match.start()].split()
        tags += ["O"] * (len(words) - len(tags))
        slot = match.group(1)
        if slot not in chosen:
            chosen[slot] = _filled(slot, pools, rng, word_share)
        name = list(chosen[slot])
        kind = {"FIRMA": "ORG", "STED": "LOC"}.get(slot, "PER")
        if kind == "PER":
            name = [_misheard(w, rng) if rng.random() < noise else w for w in name]
            if len(name) >= 2 and rng.random() < fuse:
                name = name[:-2] + ["".join(name[-2:])]
        words += name
        tags += [f"B-{kind}"] + [f"I-{kind}"] * (len(name) - 1)
        pos = match.end()
    words += template[pos:].split()
    tags += ["O"] * (len(words) - len(tags))
    return words, [True] * len(words), tags


def _filled(slot: str, pools: NamePools, rng: random.Random, word_share: float) -> list[str]:
    female = lambda: _given(pools.female, pools.female_words, rng, word_share)  # noqa: E731
    male = lambda: _given(pools.male, pools.male_words, rng, word_share)  # noqa: E731
    surname = lambda: _given(pools.surnames, pools.surname_words, rng, word_share)  # noqa: E731
    if slot == "F":
        return [female()]
    if slot == "M":
        return [male()]
    if slot == "G":
        return [female() if rng.random() < 0.5 else male()]
    if slot == "S":
        return [surname()]
    if slot in ("FS", "MS"):
        given = female if slot == "FS" else male
        middle = [given()] if rng.random() < 0.15 else []
        double = [surname()] if rng.random() < 0.1 else []
        return [given(), *middle, *double, surname()]
    if slot == "STED":
        return [rng.choice(pools.places)] if pools.places and rng.random() < 0.7 else [surname()]
    # A workplace: a family firm, a public institution of a place, or a chain's shop.
    r = rng.random()
    if r < 0.45:
        return [surname(), *rng.choice(_TRADES).split()]
    if r < 0.75:
        place = rng.choice(pools.places) if pools.places else surname()
        return [place, *rng.choice(_INSTITUTIONS).split()]
    return [*rng.choice(_CHAINS).split(), *([rng.choice(pools.places)] if pools.places and rng.random() < 0.5 else [])]


def _misheard(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return rng.choice((word[:i] + word[i + 1:], word[:i] + word[i] + word[i:],
                       word[:i] + rng.choice("aeioulnrstdkgmbv") + word[i + 1:]))


def load(folder: Path = TEMPLATES) -> tuple[list[str], list[str]]:
    """(templates with slots, negatives) from ``folder``; blank lines and ``#`` lines skipped."""
    def lines(name: str) -> list[str]:
        path = folder / name
        if not path.exists():
            return []
        return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]

    slotted = [t for name in ("slots_nb.txt", "slots_nn.txt") for t in lines(name)]
    for n, template in enumerate(slotted, 1):
        rest = SLOT.sub("", template)
        if "{" in rest or "}" in rest:
            raise ValueError(f"{folder}: template {n} has an unknown slot: {template!r}")
    return slotted, lines("negatives.txt")


def sentences(pools: NamePools, rng: random.Random, *, copies: int = 12, negative_copies: int = 2,
              folder: Path = TEMPLATES, word_share: float = 0.3) -> list[Sentence]:
    """Every template filled ``copies`` times and every negative ``negative_copies`` times."""
    slotted, negatives = load(folder)
    out = [fill(t, pools, rng, word_share=word_share) for t in slotted for _ in range(copies)]
    for line in negatives:
        words = line.split()
        out += [(words, [True] * len(words), ["O"] * len(words))] * negative_copies
    return out
