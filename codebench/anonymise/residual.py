"""The residual review list: words left unmasked that may still be names, ranked for reading.

Detection cannot promise to find every name, least of all in lower-case ASR text.  What it is
unsure of must reach the researcher, so this module ranks every word the anonymisation leaves
in place by how much it looks like a name:

- it is the same word as a masked name elsewhere ("sørvik" left once where "Sørvik" is masked);
- it is a name in the name lists (a given name, a surname);
- it is no ordinary Norwegian word and no filler (an unknown surname, a misheard name);
- it is capitalised inside a sentence, or opens one without being an ordinary word;
- it stands right next to a masked person (the rest of a name: "[Person 1] holmeset");
- it ends like a Norwegian surname (-sen, -stad, -rud …);
- in ASR text, it sounds like a masked person's name word ("putings" beside a masked "putin"),
  or, an ordinary word right beside a masked person, like any name ("[Person 1] mor" for Moe);
  or it is a given name run together with a surname ("annebrekke"); and an unknown word ranks
  higher the less it resembles any ordinary word (ASR is full of misheard ones: "hepatitte");
- the name model gave it a fair chance of being (part of) a person's name where it stands,
  although it did not mark it (``person_scores``, :func:`codebench.anonymise.ner.person_probabilities`);
  an ordinary word that is also a name ("per", "line", "andre") is listed only then, and only
  with the occurrences the model doubts about.

Entries are word forms, not occurrences: reading "holmeset (3×)" once settles every
occurrence.  Pure Python over the texts and the masked spans; no storage.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import AbstractSet as Set, Callable, Hashable, Iterable, Mapping, NamedTuple, Sequence

from codebench.anonymise.detections import LOC, NAV_OFFICE, ORG, PER
from codebench.anonymise.gazetteer import (
    FINITE_VERBS, LISTLESS_NOUNS, NOT_NAMES, POSSESSIVES, PRONOUNS, SENTENCE_ADVERBS, after_role, in_subject_position,
    is_common_word, is_compound_word, is_finite_verb, is_generic_label, is_inflected_word, is_noun_or_adjective, is_role_word, lexicon, name_likelihood,
    _word_classes, reads_as_person, reads_as_word, is_given_name,
)
from codebench.anonymise.linking import FUNCTION_WORDS, TITLES
from codebench.anonymise.policy import NOT_IDENTIFYING, is_public

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(?:^|[.!?:\n\t«»\"]|[-–•*]\s)\s*$")
# Endings of Norwegian surnames and farm names (a surname the lists lack still has one).
SURNAME_ENDINGS = (
    "sen", "ssen", "son", "stad", "rud", "heim", "land", "nes", "næs", "dal", "dahl", "berg", "vik", "haug",
    "seth", "set", "sæter", "seter", "bø", "lie", "aas", "ås", "mo", "by", "gaard", "gård", "holm", "eng",
    "li", "lund", "rød", "stø", "voll", "bakk", "bakken", "hagen", "strand", "myr", "myhr", "rem", "øy",
)
REASONS = {
    "masked-elsewhere": "masked elsewhere",
    "name-list": "in the name lists",
    "unknown": "not an ordinary word",
    "word-name": "a name that is also a word",
    "compound": "a compound the word list lacks",
    "capitalised": "capitalised inside a sentence",
    "opens-sentence": "opens a sentence",
    "next-to-name": "next to a masked name",
    "name-context": "after a word that goes before names (han, heter, a role …)",
    "surname-ending": "ends like a surname",
    "sounds-like-name": "sounds like a name",
    "fused-name": "a given name run together with a surname",
    "unlike-words": "unlike any ordinary word",
    "place-context": "where a place or workplace is named (på, hos, ved …)",
    "model": "the name model thinks it may be a name here",
}
WEIGHTS = {
    "masked-elsewhere": 4.0, "name-list": 2.0, "unknown": 2.0, "capitalised": 2.0, "opens-sentence": 1.0,
    "next-to-name": 1.5, "surname-ending": 1.0, "name-context": 2.0,
    "model": 6.0,  # times the model's probability that the word is part of a person's name
    "sounds-like-name": 1.5,
    "fused-name": 1.5,
    "unlike-words": 0.6,  # times how unlike the nearest ordinary word it is
    "place-context": 1.0,
}
# Where speech names a place or a workplace: "mentor på fjordkjøkken", "jobber hos kystmat".
_PLACE_BEFORE = re.compile(r"(?<![\w-])(?:på|hos|ved|oppi|nedi|utpå|borti)[ ]+\Z", re.IGNORECASE)
# How close (rapidfuzz ratio) a word beside a masked name must be to a name to sound like it
# ("toppar"/"toppe" 73, "mor"/"moe" 67): tuned on the tune days, where 72 listed 4 fewer leaks.
SOUNDS_LIKE = 65.0
# ... and a word with nothing else for it, to a masked name of the project ("putings"/"putin").
SOUNDS_LIKE_ALONE = 80.0
NAME_KINDS = frozenset({PER, ORG, LOC, NAV_OFFICE})
# Words that stand right before a name in speech: the pronoun before a name in many dialects
# ("han Per", "ho Kari"), naming and saying verbs.
NAME_CONTEXT = frozenset(
    "han hun ho hu heter het heiter kalt kalla sa sier seier spurte ringte fru herr onkel tante".split())
# Words beside a name that are never part of it (function words, saying verbs, titles).
_NEVER_BESIDE = frozenset(
    "og eller men som at i på til fra frå for med om av er var har hadde sa sier seier skal vil kan må "
    "det den de dei han hun ho seg så da då når der her også bare berre ikke ikkje jo nå no "
    "representanten statsråd statsråden president presidenten takk igjen altså liksom veldig ganske litt "
    "mye også bare heller kanskje aldri alltid".split()) | PRONOUNS
_PREVIOUS = re.compile(r"(?<![\w-])([^\W\d_]+)[ ,]{1,2}\Z")
# Candidates scoring below this are ordinary enough not to be listed at all.
MIN_SCORE = 2.0
# A model probability below this says nothing (the model is sure it is no name).
MODEL_MIN = 0.05
# An ordinary word that is also a name is listed where the model gives it at least this.
AMBIGUOUS_MIN = 0.1
# Any other word the model read is listed where it gives it at least this.
MODEL_ONLY_MIN = 0.34
PersonScores = Callable[[Mapping[Hashable, str], Mapping[Hashable, list[tuple[int, int]]]],
                        Mapping[tuple[Hashable, int], float]]


class Occurrence(NamedTuple):
    """One unmasked word in one document."""

    document: Hashable
    start: int
    end: int


class Candidate(NamedTuple):
    """One word form for the researcher to read, with where it occurs and why it is listed."""

    form: str
    score: float
    reasons: tuple[str, ...]
    occurrences: tuple[Occurrence, ...]

    @property
    def count(self) -> int:
        """How often the form occurs unmasked."""
        return len(self.occurrences)


def _covered(spans: Sequence[tuple[int, int]], starts: Sequence[int], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, mostly disjoint ``spans``."""
    k = bisect.bisect_right(starts, start) - 1
    return any(s < end and start < e for s, e in spans[max(0, k - 3):k + 2])


def residual_candidates(
    texts: Mapping[Hashable, str],
    masked: Mapping[Hashable, Iterable[tuple[int, int, str]]],
    *,
    caseless: Mapping[Hashable, bool] | None = None,
    ignore: Iterable[str] = (),
    limit: int | None = None,
    person_scores: PersonScores | None = None,
) -> list[Candidate]:
    """Unmasked words that may be names, best candidates first.

    Args:
        texts: document key -> its original text.
        masked: document key -> (start, end, kind) of every span the rendition replaces or that
            waits for review (an open suggestion is in the review list already).
        caseless: document key -> whether it is caseless (ASR) text; computed when not given.
        ignore: word forms the researcher has already read and kept (lower case).
        limit: at most this many candidates.
        person_scores: (texts, key -> word spans) -> {(key, start): probability that the word
            is part of a person's name}, from the name model; None ranks without it.
    """
    from codebench.anonymise.gazetteer import is_caseless

    names = lexicon()
    ignored = {w.casefold() for w in ignore}
    masked_forms: set[str] = set()
    person_words: set[str] = set()
    here_forms: dict[Hashable, set[str]] = {}  # words of the persons each document masks
    for key, spans in masked.items():
        text = texts.get(key, "")
        for start, end, kind in spans:
            if kind in NAME_KINDS:
                words = [w.casefold() for w in _WORD.findall(text[start:end])]
                # "og" of "Sørvik Bil og Dekk" is masked with the workplace, not as a name; so
                # are the workplace's ordinary words ("bil").  A person's are names ("bakke").
                masked_forms.update(w for w in words if w not in FUNCTION_WORDS and (
                    kind == PER or len(words) == 1 or not is_common_word(w)))
            if kind == PER:
                person_words.update(w.casefold() for w in _WORD.findall(text[start:end]) if len(w) >= 3)
                here_forms.setdefault(key, set()).update(
                    w.casefold() for w in _WORD.findall(text[start:end]) if w.casefold() not in FUNCTION_WORDS)
    sounds = _SoundsLike(person_words, names)
    # Every unmasked word with some sign of a name: (key, start, end, form, reasons, score, ambiguous).
    seen: list[tuple[Hashable, int, int, str, list[str], float, bool]] = []
    covered: dict[Hashable, tuple[list[tuple[int, int]], list[int]]] = {}
    cased: set[Hashable] = set()
    for key, text in texts.items():
        spans = sorted((s, e) for s, e, _ in masked.get(key, ()))
        persons = sorted((s, e) for s, e, k in masked.get(key, ()) if k == "PER")
        starts = [s for s, _ in spans]
        covered[key] = (spans, starts)
        no_case = caseless.get(key) if caseless is not None else None
        if no_case is None:
            no_case = is_caseless(text)
        if not no_case:
            cased.add(key)
        for match in _WORD.finditer(text):
            start, end = match.span()
            word = match.group()
            folded = word.casefold()
            if (folded in ignored or folded in NOT_NAMES or folded in NOT_IDENTIFYING or len(folded) < 2
                    or is_generic_label(word) or (spans and _covered(spans, starts, start, end))
                    or is_public(folded)):  # a country or large city is kept by policy, not missed
                continue
            reasons, score = _reasons(text, start, end, word, folded, no_case, masked_forms, persons, names, sounds,
                                      here_forms.get(key, frozenset()))
            # An ordinary word that is also a name ("per", "line", "andre"): only the model can
            # tell the name from the word, so it is asked about every such occurrence.
            ambiguous = score < MIN_SCORE and person_scores is not None and _is_name_word(folded, names)
            if score >= MIN_SCORE or ambiguous or (person_scores is not None and score > 0):
                seen.append((key, start, end, folded, reasons, score, ambiguous))
    probability: Mapping[tuple[Hashable, int], float] = {}
    if person_scores is not None and seen:
        asked: dict[Hashable, list[tuple[int, int]]] = {}
        for key, start, end, *_ in seen:
            asked.setdefault(key, []).append((start, end))
        probability = person_scores(texts, asked)
    if probability:
        # Words the model read beside the asked ones and holds for likely names, though nothing
        # else marks them ("runar" heard as "runder" before an unknown surname).
        asked_at = {(key, start) for key, start, *_ in seen}
        for (key, start), p in probability.items():
            if p < MODEL_ONLY_MIN or (key, start) in asked_at:
                continue
            text = texts[key]
            match = _WORD.match(text, start)
            if match is None or (start and (text[start - 1].isalnum() or text[start - 1] in "-'’")):
                continue
            folded = match.group().casefold()
            spans, starts = covered[key]
            if (folded in ignored or folded in NOT_NAMES or folded in NOT_IDENTIFYING or len(folded) < 2
                    or is_generic_label(match.group()) or (spans and _covered(spans, starts, start, match.end()))
                    or is_public(folded)):  # "fra addis": a city kept by policy, whatever the model thinks
                continue

            if key in cased and _ordinary_opener(text, start, match.group(), folded):
                continue
            seen.append((key, start, match.end(), folded, [], 0.0, False))
    found: dict[str, dict] = {}
    for key, start, end, folded, reasons, score, ambiguous in seen:
        if (folded in PRONOUNS or folded in FUNCTION_WORDS or folded in TITLES
                or (is_role_word(folded) and not is_given_name(folded))):
            continue  # "hun", "dæm", "kona", "bror", "fru", "dr": whatever the model says, never a name
        p = probability.get((key, start), 0.0)
        if key in cased and _ordinary_opener(texts[key], start, texts[key][start:end], folded):
            # The model half takes any capitalised sentence opener for a name ("Hun", "Der",
            # "Bestillinger"); for an ordinary word there the capital, not a name, explains it.
            p = 0.0
        if p >= MODEL_MIN:
            reasons = reasons + ["model"]
            score += WEIGHTS["model"] * p
        if score < MIN_SCORE or (ambiguous and p < AMBIGUOUS_MIN):
            continue
        entry = found.setdefault(folded, {"score": 0.0, "reasons": set(), "at": []})
        entry["score"] = max(entry["score"], score)
        entry["reasons"].update(reasons)
        # How the sentence reads the word comes first, the model's doubt second: "datteren vår
        # liv" (the possessive) must not hide "og så vår selvfølgelig" however sure the model is.
        entry["at"].append((_as_a_name(texts[key], start, end, folded) + p / 2, Occurrence(key, start, end)))
    ranked = [
        Candidate(form, round(e["score"] + 0.25 * min(4, len(e["at"]) - 1), 2),
                  tuple(r for r in REASONS if r in e["reasons"]),
                  # The occurrences the model doubts most about first: they are the ones shown.
                  tuple(o for _, o in sorted(e["at"], key=lambda po: -po[0])))
        for form, e in found.items()
    ]
    ranked.sort(key=lambda c: (-c.score, -c.count, c.form))
    return ranked[:limit] if limit is not None else ranked


def _fixed_pair(text: str, end: int, folded: str) -> bool:
    """The word opens a fixed pair ("liv og helse", "sol og sommer")."""
    from codebench.anonymise.linking import _BINOMIAL, _BINOMIALS

    pair = _BINOMIAL.match(text, end)
    return pair is not None and pair.group(1).casefold() in _BINOMIALS.get(folded, ())


# After "per" as a preposition: "per måned", "per time" (a name is followed by a verb or a clause).
_PER_UNITS = frozenset("måned månad time timen dag døgn uke veke år stykk person gang gong kilo krone".split())
_NEXT_WORD_AFTER = re.compile(r"[ ]+([^\W\d_]+)")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ ]+\Z")


def _as_a_name(text: str, start: int, end: int, folded: str) -> float:
    """How much more an occurrence of a word that is both a name and a word reads as the name,
    for the order its occurrences are shown in (the list shows the first): the subject of a
    clause ("altså hans tok inn folk") before the possessive after a noun ("broren hans") or the
    preposition ("tusenlapper per måned"), which the model alone put first for a tester."""
    after = _NEXT_WORD_AFTER.match(text, end)
    following = after.group(1).casefold() if after is not None else ""
    if folded in POSSESSIVES:
        before = _WORD_BEFORE.search(text, max(0, start - 30), start)
        if before is not None and before.group(1).casefold() not in FUNCTION_WORDS and (
                is_noun_or_adjective(before.group(1)) or is_role_word(before.group(1))
                # a compound noun too ("sorteringsmaskina vår", "sveiseren vår": testers read these first)
                or is_compound_word(before.group(1))):
            # "broren hans var syk": the possessive after its noun (the verb is the noun's). Below
            # any name use whatever the model thinks: a tester's list showed "kona hans er" first.
            return -1.0
        if is_noun_or_adjective(following) and following not in SENTENCE_ADVERBS:
            return -1.0  # "om hans brukere": the possessive before its noun ("vår selvfølgelig" is none)
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    preceding = before.group(1).casefold() if before is not None else ""
    if preceding in _BEFORE_THE_WORD:
        return -1.0  # "nå i vår har det vært", "et nytt liv": the season, the noun (a tester read these first)
    if in_subject_position(text, start, end) or is_finite_verb(following) or reads_as_person(text, start, end):
        return 0.5  # "hans tok inn folk", "det per gjør", "takk skal du ha vår"
    if _fixed_pair(text, end, folded) or (reads_as_word(text, start, end) and _word_classes().get(folded) != "F"):
        return -1.0  # "liv og helse", "full storm", "eit godt liv" (a tester read these first)
    if folded == "per" and following in _PER_UNITS:
        return -1.0
    if after_role(text, start) or preceding in ("og", "med", "hos", "sammen") or following in ("og", "sin", "si", "sitt"):
        return 0.25  # "datteren vår liv", "med liv i helgene", "sol sin mann"
    return 0.0


# Words after which a name that is also a word is the word: a preposition of time, an article,
# an adjective ("i vår", "et nytt liv", "hele livet").
_BEFORE_THE_WORD = frozenset("i et eit ei en ein nytt nye ny hele heile eget eige mitt ditt sitt vårt godt".split())


def _ordinary_opener(text: str, start: int, word: str, folded: str) -> bool:
    """A capitalised ordinary word opening a sentence (or a turn) in cased text."""
    return (word[:1].isupper() and is_common_word(folded) and not is_given_name(folded)
            and bool(_SENTENCE_END.search(text[max(0, start - 4):start])))


def _is_name_word(folded: str, names) -> bool:
    """A given name or surname of the lists, or a word NorNE has seen as a name."""
    return folded in names.female or folded in names.male or folded in names.surnames or name_likelihood(folded) > 0


class _SoundsLike:
    """How a word sounds like a name (memoised): 2 like a word of a masked person's name in the
    project, 1 like a name of the lists only, 0 like neither."""

    def __init__(self, person_words: set[str], names) -> None:
        self.project = sorted(w for w in person_words if len(w) >= 3)
        self.lists = sorted(w for w in names.female | names.male | names.surnames if " " not in w and len(w) >= 3)
        self.memo: dict[tuple[str, float], int] = {}

    def __call__(self, folded: str, cutoff: float = SOUNDS_LIKE) -> int:
        if (folded, cutoff) not in self.memo:
            from rapidfuzz import fuzz, process

            level = 0
            if len(folded) >= 3:
                if self.project and process.extractOne(folded, self.project, scorer=fuzz.ratio,
                                                       score_cutoff=cutoff) is not None:
                    level = 2
                elif process.extractOne(folded, self.lists, scorer=fuzz.ratio, score_cutoff=cutoff) is not None:
                    level = 1
            self.memo[(folded, cutoff)] = level
        return self.memo[(folded, cutoff)]


def _reasons(text: str, start: int, end: int, word: str, folded: str, caseless: bool, masked_forms: set[str],
             persons: Sequence[tuple[int, int]], names, sounds: _SoundsLike | None = None,
             here: Set[str] = frozenset()) -> tuple[list[str], float]:
    """Why a word may be a name, and how strongly (0 for an ordinary word)."""
    reasons: list[str] = []
    score = 0.0
    # An inflected form of an ordinary word ("mentoren") is as ordinary as the word.
    common = is_common_word(folded) or is_inflected_word(folded)
    capital = word[:1].isupper() and not word.isupper()
    given = folded in names.female or folded in names.male
    listed = given or folded in names.surnames or name_likelihood(folded) >= 0.3
    if common and not listed:
        # An ordinary word is what every sentence is made of: listed only when it was masked
        # as a name elsewhere and is capitalised here (or the text has no capitals at all) ...
        if folded in masked_forms and (capital or caseless):
            # A word of a person this very document masks ("hang" of Pham Thu Hang, "min" of Tran
            # Van Minh) outranks an ordinary word that merely sounds like a name beside one: a
            # tester's two were at ranks 44 and 45, under "fordi" and "dette".
            if folded in here and len(folded) >= 3:
                return ["masked-elsewhere"], WEIGHTS["masked-elsewhere"] * 0.9
            return ["masked-elsewhere"], WEIGHTS["masked-elsewhere"] / 2
        # ... or, in ASR text, when it stands beside a masked person and sounds like a name:
        # the rest of a name heard as a word ("[Person 1] mor" for Moe, "vidare [Person 2]").
        # A short word sounds like some listed name far too easily ("kom"/Tom, "heter"/Peter):
        # a verb, a pronoun or a role never counts, and a short word only right after a name (the
        # surname's place: "tyna bru") or sounding like a masked name of the project ("mor"/Moe).
        heard = sounds(folded) if sounds is not None else 0
        if (caseless and heard and folded not in _NEVER_BESIDE and folded not in FINITE_VERBS
                and len(folded) >= 3 and not is_role_word(folded) and _next_to(persons, text, start, end)
                and (heard == 2 or len(folded) >= 5 or _right_after(persons, text, start))):
            return ["next-to-name", "sounds-like-name"], WEIGHTS["next-to-name"] + WEIGHTS["sounds-like-name"] * heard / 2
        # ... or, in ASR text, where a name goes: right after a role or "heter" ("representanten
        # hell" for Helleland). In cased text a name there would have its capital.
        if caseless and folded not in _NEVER_BESIDE and len(folded) >= 3 and after_role(text, start):
            return ["name-context"], WEIGHTS["name-context"]
        return [], 0.0
    if folded in masked_forms:
        reasons.append("masked-elsewhere")
        score += WEIGHTS["masked-elsewhere"] if not common or capital or caseless else 1.0
    if listed:
        reasons.append("name-list")
        score += WEIGHTS["name-list"] if not common or capital else 1.0
    if not common:
        # Said as it is: "per", "storm", "tone" are words the list leaves out because they are
        # names too, "kjempeflink" a compound; a tester read "not an ordinary word" beside them.
        if listed and (folded in LISTLESS_NOUNS or folded in ("per",) or is_noun_or_adjective(folded)):
            reasons.append("word-name")
        elif is_compound_word(folded):
            reasons.append("compound")
        else:
            reasons.append("unknown")
        # A compound of ordinary words ("mentortilskuddet") is most often just that.
        score += WEIGHTS["unknown"] / 2 if is_compound_word(folded) else WEIGHTS["unknown"]
        if caseless:
            # ASR text is full of misheard ordinary words ("statsminsten", "hepatitte"): the
            # further an unknown word is from every ordinary word, the likelier a name.
            unlike = _unlike_words(folded)
            if unlike >= 0.5:
                reasons.append("unlike-words")
            score += WEIGHTS["unlike-words"] * unlike
        if folded.endswith(SURNAME_ENDINGS) and len(folded) > 4:
            reasons.append("surname-ending")
            score += WEIGHTS["surname-ending"]
        if caseless and _fused_name(folded, names, masked_forms):
            reasons.append("fused-name")
            score += WEIGHTS["fused-name"]
        if caseless and is_compound_word(folded) and _PLACE_BEFORE.search(text, max(0, start - 8), start):
            # A workplace named with ordinary words run together ("fjordkjøkken") is found by
            # nothing else; where a place goes, it is listed (low).
            reasons.append("place-context")
            score += WEIGHTS["place-context"]
    if not caseless and capital:
        opens = bool(_SENTENCE_END.search(text[max(0, start - 4):start]))
        if not opens:
            reasons.append("capitalised")
            score += WEIGHTS["capitalised"]
        elif not common and not is_compound_word(folded):
            reasons.append("opens-sentence")
            score += WEIGHTS["opens-sentence"]
    previous = _PREVIOUS.search(text, max(0, start - 20), start)
    if (previous is not None and previous.group(1).casefold() in NAME_CONTEXT) or (caseless and after_role(text, start)):
        reasons.append("name-context")
        score += WEIGHTS["name-context"]
    if _next_to(persons, text, start, end):
        reasons.append("next-to-name")
        score += WEIGHTS["next-to-name"]
    if caseless and sounds is not None and not given and folded not in masked_forms and sounds(folded, SOUNDS_LIKE_ALONE) == 2:
        # Only a masked name of the project: an unknown word in ASR text sounds like one of the
        # thousands of listed names far too often to tell anything.
        reasons.append("sounds-like-name")
        score += WEIGHTS["sounds-like-name"]
    return reasons, score


@lru_cache(maxsize=1)
def _words_by_shape() -> dict[tuple[str, int], list[str]]:
    """The ordinary words by first letter and length (a near word is looked for among few)."""
    from codebench.anonymise.gazetteer import _common_words

    out: dict[tuple[str, int], list[str]] = {}
    for word in _common_words():
        out.setdefault((word[:1], len(word)), []).append(word)
    return out


@lru_cache(maxsize=65536)
def _unlike_words(folded: str) -> float:
    """0 for a word within one or two letters of an ordinary word, up to 1 for a word unlike
    any (rapidfuzz ratio to the nearest ordinary word of the same first letter and about the
    same length: 90 or more gives 0, 70 or less gives 1)."""
    from rapidfuzz import fuzz, process

    shapes = _words_by_shape()
    near = [w for n in range(max(1, len(folded) - 2), len(folded) + 3) for w in shapes.get((folded[:1], n), ())]
    found = process.extractOne(folded, near, scorer=fuzz.ratio, score_cutoff=70) if near else None
    return 1.0 if found is None else max(0.0, min(1.0, (90 - found[1]) / 20))


def _fused_name(folded: str, names, masked_forms: set[str]) -> bool:
    """ASR runs a name together ("annebrekke", "heidinordby"): a given name of the lists
    (no ordinary word), then a masked name word or a surname of the lists."""
    for cut in range(3, len(folded) - 3):
        head, rest = folded[:cut], folded[cut:]
        # A given name that is also a word ("over", "per", "dag") opens too many words.
        if head not in names.female and head not in names.male or is_common_word(head) or name_likelihood(head) < 0.5:
            continue
        # The rest must be a name too: any unknown rest would take in every word that happens
        # to open with the letters of a name ("ove" + "rføringsmekanismen").
        if len(rest) >= 4 and (rest in masked_forms or rest in names.surnames):
            return True
    return False


def _right_after(persons: Sequence[tuple[int, int]], text: str, start: int) -> bool:
    """The word at ``start`` follows a masked person directly (one space)."""
    k = bisect.bisect_right([s for s, _ in persons], start) - 1
    return k >= 0 and persons[k][1] == start - 1 and text[start - 1] == " "


def _next_to(persons: Sequence[tuple[int, int]], text: str, start: int, end: int) -> bool:
    """Right before or right after a masked person, with only spaces or a hyphen between."""
    if not persons:
        return False
    k = bisect.bisect_left(persons, (start, start))
    for j in (k - 1, k):
        if 0 <= j < len(persons):
            s, e = persons[j]
            if e <= start and text[e:start].strip(" -") == "" and start - e <= 2:
                return True
            if end <= s and text[end:s].strip(" -") == "" and s - end <= 2:
                return True
    return False


def review_burden(candidates: Sequence[Candidate], leaked: Iterable[tuple[Hashable, int, int]],
                  top: int = 25) -> dict:
    """How far down the list a researcher reads before every leaked name word has been seen.

    Args:
        candidates: the ranked list.
        leaked: (document, start, end) of the name words left unmasked.
        top: also count the leaks seen in this many entries from the top.

    Returns:
        ``{"leaked_words": n, "listed": m, "entries_to_read": k, "candidates": len,
        "in_top": t}``: the entries to read to reach every listed leak (``k``), how many leaks
        the list holds, and how many of them the first ``top`` entries show.
    """
    where: dict[tuple[Hashable, int], int] = {}
    for rank, cand in enumerate(candidates, 1):
        for occ in cand.occurrences:
            where.setdefault((occ.document, occ.start), rank)
    ranks = []
    total = 0
    for doc, start, _end in leaked:
        total += 1
        if (doc, start) in where:
            ranks.append(where[(doc, start)])
    return {"leaked_words": total, "listed": len(ranks), "entries_to_read": max(ranks) if ranks else 0,
            "candidates": len(candidates), "in_top": sum(1 for r in ranks if r <= top)}
