"""Completing names in caseless (ASR) text from the names the project already knows.

Speech recognition hears a name differently each time it is said: "kjersti toppe" in one
sentence is "kjersti toppar" in the next, "trine skei grande" becomes "trine seig rande", and a
surname alone comes out as "grandan".  The detectors find the given name and stop at the word
they do not recognise as a name, because it is an ordinary word or no word at all.  What the
project has found elsewhere tells the rest:

- a person mention runs on over the next one or two words, or back over the one or two before
  it, when together they sound like a full name the project knows ("kjersti toppar" ~
  "kjersti toppe", "torget knag fylkesnes" ~ "torgeir knag fylkesnes");
- an unknown word (no ordinary word) that sounds like a word of a known person's name is a
  mention of that name ("grandan" ~ "grande", "putings" ~ "putin").

Only caseless text is completed: in cased text a capital already tells where a name goes on.
Pure Python and rapidfuzz; used by :func:`codebench.anonymise.linking.link`.
"""

from __future__ import annotations

import re
from typing import Hashable, Iterable, Mapping, Sequence

from rapidfuzz import fuzz, process

from codebench.anonymise.detections import PER, Detection
from codebench.anonymise.echoes import corrected_sayings, name_echoes
from codebench.anonymise.policy import is_public
from codebench.anonymise.gazetteer import (
    LISTLESS_NOUNS, NOT_NAMES, PRONOUNS, is_common_word, is_finite_verb, is_inflected_word, is_noun_or_adjective,
    is_ordinary_compound, is_role_word, is_unknown_word, lexicon,
)

# A mention's own words must match the known name's words this closely (spelling variants).
WORD_MATCH = 85.0
# An added word must sound like the known name's word it stands for ("toppar"/"toppe" 73,
# "mor"/"moe" 67), and the whole run like the whole name.
ADDED_WORD = 60.0
WHOLE_NAME = 82.0
# An unknown word and a known name word (five letters or more) at least this close are one name.
LONE_WORD = 80.0
SEED = 0.5
# A word before a surname this close to a given name is that given name, heard differently.
GIVEN_MATCH = 72.0
GIVEN_MATCH_WORD = 73.0
SCORE = 0.6

_NEXT = re.compile(r"[ ]([^\W\d_]+)")
_BEFORE = re.compile(r"([^\W\d_]+)[ ]\Z")
_UNKNOWN_CANDIDATE = re.compile(r"(?<![\w-])[^\W\d_]{5,}(?![\w-])")


# Titles and roles before a name are no part of it ("utenriksminister brende").
ROLE_ENDINGS = ("minister", "ministeren", "statsråd", "statsråden", "representanten", "presidenten",
                "sekretær", "sekretæren", "ordfører", "ordføreren", "leder", "lederen", "leiar", "leiaren")


def _stop_words() -> frozenset[str]:
    from codebench.anonymise.linking import NEVER_SURNAMES, BRIDGE_STOP, FUNCTION_WORDS

    from codebench.anonymise.gazetteer import DIALECT_WORDS, SENTENCE_ADVERBS

    # A sentence adverb goes on with the clause ("det var geir ove faktisk som ringte"); a dialect
    # pronoun is no surname ("og thanh dom sto": they, not a Mr Dom).
    return (FUNCTION_WORDS | BRIDGE_STOP | NOT_NAMES | PRONOUNS | SENTENCE_ADVERBS | NEVER_SURNAMES
            | DIALECT_WORDS | frozenset({"du", "dere", "dykk"}))


def _stops(word: str, stop: frozenset[str]) -> bool:
    """A word no name runs on over: a function word, a filler, a pronoun, a title, a role or kin
    word ("geir mannen hennes": her husband Geir), a single letter."""
    return len(word) < 2 or word in stop or word.endswith(ROLE_ENDINGS) or is_role_word(word)


def complete_names(
    resolved: Mapping[Hashable, Sequence[Detection]],
    texts: Mapping[Hashable, str],
    caseless: Mapping[Hashable, bool],
) -> dict[Hashable, list[Detection]]:
    """The detections of every document, person mentions in caseless text completed (see the
    module docstring); cased documents are returned as they are."""
    # Only names that look like full names (a known given name first) teach anything: a
    # detection of "espeland fangeleir" or "statsråd lysbakken" as a person must not spread.
    names = lexicon()
    given = names.female | names.male
    full: set[tuple[str, ...]] = set()
    for dets in resolved.values():
        for det in dets:
            if det.kind == PER and det.score >= SEED:
                words = tuple(det.text.casefold().split())
                if len(words) >= 2 and words[0] in given:
                    full.add(words)
    person_words = {w for f in full for w in f[1:] if len(w) >= 5 and not is_common_word(w)}
    vocabulary = sorted({w for f in full for w in f})
    where: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for name in full:
        for at, word in enumerate(name):
            where.setdefault(word, []).append((name, at))
    out: dict[Hashable, list[Detection]] = {}
    stop = _stop_words()
    person_list = sorted(person_words)
    sounds_cache: dict[str, bool] = {}
    for doc, dets in resolved.items():
        text = texts.get(doc, "")
        if not caseless.get(doc):
            out[doc] = sorted(list(dets) + _coordinated(text, dets, False), key=lambda d: d.start)
            continue
        dets = sorted(dets, key=lambda d: d.start)
        taken = Taken(text, dets)
        completed = []
        for det in dets:
            # (a name spelled out is all its letters: "det staves i d i l" is no "staves i d i l")
            if det.kind == PER and det.score >= SEED and det.detector != "rules:spelled":
                if full:
                    det = _run_on(det, text, where, vocabulary, taken, stop)
                det = _name_slots(det, text, taken, stop, given)
            completed.append(det)
        completed += _lone_words(text, completed, person_list, stop, sounds_cache)
        completed = name_echoes(text, completed, stop)
        completed = corrected_sayings(text, completed, stop)
        completed = _pieces_of_names_here(text, completed, _SURE_NAME)
        completed = _particle_surnames(text, completed, stop)
        completed = _article_surnames(text, completed)
        completed = _across_particles(text, completed, stop)
        completed = _given_name_said_twice(text, completed, stop)
        completed = _surname_after_spelling(text, completed, stop)
        completed += _coordinated(text, completed, True)
        out[doc] = sorted(completed, key=lambda d: d.start)
    return out


_SURE_NAME = 0.7  # (a name the rules or the model found surely, not a word it doubted)


def _pieces_of_names_here(text: str, dets: list[Detection], seed: float) -> list[Detection]:
    # (split_names reads the linking module's word lists, which imports this one)
    from codebench.anonymise.split_names import pieces_of_names_here

    return pieces_of_names_here(text, dets, seed)


class Taken:
    """Which characters of a text some detection covers (a byte per character: a look-up is a
    search in a few bytes, however many detections a long transcript has)."""

    def __init__(self, text: str, dets: Iterable[Detection]) -> None:
        self.mask = bytearray(len(text) + 1)
        for det in dets:
            self.add(det.start, det.end)

    def add(self, start: int, end: int) -> None:
        self.mask[start:end] = b"\x01" * (end - start)

    def free(self, start: int, end: int) -> bool:
        return self.mask.find(1, start, end) == -1


def _free(start: int, end: int, taken: Taken) -> bool:
    return taken.free(start, end)


def _words_after(text: str, end: int, taken, stop: frozenset[str], n: int = 2) -> list[re.Match[str]]:
    out = []
    while len(out) < n:
        match = _NEXT.match(text, end)
        if match is None or _stops(match.group(1).casefold(), stop) or not _free(match.start(1), match.end(1), taken):
            break
        out.append(match)
        end = match.end(1)
    return out


def _words_before(text: str, start: int, taken, stop: frozenset[str], n: int = 2) -> list[re.Match[str]]:
    out = []
    while len(out) < n:
        match = _BEFORE.search(text, max(0, start - 40), start)
        # A finite verb before a name is no given name heard differently ("heter" ~ Peter).
        if (match is None or _stops(match.group(1).casefold(), stop) or is_finite_verb(match.group(1))
                or not _free(match.start(1), match.end(1), taken)):
            break
        out.insert(0, match)
        start = match.start(1)
    return out


def _canonical(word: str, vocabulary: Sequence[str]) -> str | None:
    """The known name word this mention word is (itself, or a close spelling), if any."""
    if word in vocabulary:
        return word
    if len(word) < 4:
        return None
    found = process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_MATCH)
    return found[0] if found else None


def _sounds_like(run: Sequence[str], name: Sequence[str], added: Sequence[int]) -> bool:
    return (all(fuzz.ratio(run[k], name[k]) >= ADDED_WORD and run[k] != name[k] or run[k] == name[k] for k in added)
            and fuzz.ratio(" ".join(run), " ".join(name)) >= WHOLE_NAME)


def _run_on(det: Detection, text: str, where: Mapping[str, list[tuple[tuple[str, ...], int]]], vocabulary: Sequence[str],
            taken: Taken, stop: frozenset[str]) -> Detection:
    """``det`` taken on over the words after and before it that complete a known full name."""
    own = det.text.casefold().split()
    canon = [_canonical(w, vocabulary) for w in own]
    if not own or any(c is None for c in canon):
        return det
    after = _words_after(text, det.end, taken, stop)
    before = _words_before(text, det.start, taken, stop)
    best: tuple[int, int] | None = None
    if not after and not before:
        return det
    for name, at in where.get(canon[0], ()):
        if list(name[at:at + len(canon)]) != canon:
            continue
        for n_after in range(min(len(after), len(name) - at - len(canon)), -1, -1):
            for n_before in range(min(len(before), at), -1, -1):
                if n_after == n_before == 0:
                    continue
                run = ([m.group(1).casefold() for m in before[len(before) - n_before:]] + own
                       + [m.group(1).casefold() for m in after[:n_after]])
                target = name[at - n_before:at + len(canon) + n_after]
                added = list(range(n_before)) + list(range(n_before + len(own), len(run)))
                if _sounds_like(run, target, added) and (best is None or n_after + n_before > sum(best)):
                    best = (n_before, n_after)
    if best is None:
        return det
    start = before[len(before) - best[0]].start(1) if best[0] else det.start
    end = after[best[1] - 1].end(1) if best[1] else det.end
    return det._replace(start=start, end=end, text=text[start:end])


def _name_slots(det: Detection, text: str, taken: Taken, stop: frozenset[str],
                given: frozenset[str]) -> Detection:
    """A name's missing given name or surname by the shape of the name.

    - Two or more given names and nothing after them: the next word is the surname, whatever
      it sounds like ("bjørn arild gram", "hanne dyveke støtter").
    - A name that opens with a surname: the word before it is its given name when it sounds
      like a given name ("vidare ulriksen" ~ Vidar, "snøre serigstad valen" ~ Snorre), and a
      given name before that is the first of two ("liv single navarsete").
    """
    own = det.text.casefold().split()
    if not own:
        return det
    others = taken
    start, end = det.start, det.end
    # The last two words decide: the model may have taken a misheard word before them in too
    # ("bjør al bjørn arild").
    if len(own) >= 2 and all(w in given for w in own[-2:]):
        after = _words_after(text, det.end, others, stop, n=1)
        # ... unless it is one of the commonest verbs or a spoken form: in an interview the
        # name is the subject far more often ("hans olav tok han med", "anne grethe sie at").
        if after and after[0].group(1).casefold() not in given and not _spoken_verb(after[0].group(1).casefold()):
            end = after[0].end(1)
    if end == det.end:
        end = _noun_bound_pair_after(det, text, others)
    if end == det.end and all(w in given for w in own):
        end = _surname_heard_as_word(det, text, others, stop, given)
    # Only a name that is surely one: several words, or a word that is no ordinary word.
    # Only a name that is surely one, and surely lacks its given name: several words that are
    # no ordinary words, found by the model or a name list, the first no given name; or one
    # unknown word with a patronymic ending ("ulriksen").
    surely = (len(own) >= 2 and not is_common_word(own[-1])
              and (det.score >= 0.7 or det.detector == "lexicon:shape")) or (
        len(own[0]) >= 7 and own[0].endswith(("sen", "son")) and not own[0].endswith("tusen")
        and is_unknown_word(own[0]) and not is_ordinary_compound(own[0]))
    if own[0] not in given and surely:
        before = _words_before(text, det.start, others, stop, n=2)
        word = before[-1].group(1).casefold() if before else ""
        # A name opening with something like a given name takes only a given name before it
        # (a double given name: "tale benedikta jordbakke"); a patronymic is like its given
        # name by nature ("ulriksen", Ulrik) and takes any word heard for one ("vidare").
        # A patronymic sounds like its given name by nature ("ulriksen", Ulrik): not given-like.
        given_like = (len(own) >= 2 and not own[0].endswith(("sen", "son"))
                      and _sounds_given(own[0], given, GIVEN_MATCH_WORD))
        if word and (word in given if given_like else _sounds_given(word, given)):
            start = before[-1].start(1)
            if len(before) == 2 and before[0].group(1).casefold() in given:
                start = before[0].start(1)
    if start == det.start and len(own) >= 2 and own[0] in given:
        start = _given_word_before(text, det.start, given, start)
    if (start, end) == (det.start, det.end):
        return det
    return det._replace(start=start, end=end, text=text[start:end])


_THREE_BEFORE = re.compile(r"(?:([^\W\d_]+)[ ])?([^\W\d_]+)[ ]([^\W\d_]+)[ ]\Z")
_KIN_POSSESSIVES = frozenset("min mi mitt sin si sitt hans hennes hennar vår dykkar deira".split())


def _given_word_before(text: str, start: int, given: frozenset[str], default: int) -> int:
    """Where a name of a given name and more starts when a given name that is also a word stands
    before it, right after a role or a kin word: "avdelingsleder grim ove skaaret", "sønnen sin
    jo arne skjølberg" (the detectors began the name at the second given name)."""
    match = _THREE_BEFORE.search(text, max(0, start - 80), start)
    if match is None:
        return default
    word = match.group(3).casefold()
    if word not in given or word in PRONOUNS or word in NOT_NAMES or word in _KIN_POSSESSIVES:
        return default  # "mentoren hans jan erik": the possessive, not Hans
    prev, prev2 = match.group(2).casefold(), (match.group(1) or "").casefold()

    def role(w: str) -> bool:
        return bool(w) and (is_role_word(w) or w.endswith(ROLE_ENDINGS))

    if role(prev) or (prev in _KIN_POSSESSIVES and role(prev2)):
        return match.start(3)
    return default


def _spoken_verb(word: str) -> bool:
    from codebench.anonymise.gazetteer import _BEEN_AT_WORK, DIALECT_WORDS, FINITE_VERBS
    from codebench.anonymise.linking import CLITIC

    # (a participle too, "det har hans petter gjort han ringe", and a verb with its spoken
    # pronoun on it, "dilovan heter'n")
    return (word in FINITE_VERBS or word in DIALECT_WORDS or word in _BEEN_AT_WORK
            or CLITIC.fullmatch(word) is not None)


# Adverbs that put the verb before the subject ("da var kari syk"): a name after them and their
# verb is the subject, and the word after it the rest of the clause.
_INVERTING = frozenset("da då så nå no her der sist plutselig igjen først etterpå derfor likevel ofte alltid "
                       "heldigvis dessverre i".split())
_PRONOUN_AFTER = re.compile(r"(?:[ ]+(?:eh|ehm|øh|altså))?[ ]+(?:ho|hu|hun|han)[ ]+([^\W\d_]+)", re.IGNORECASE)
_TWO_BEFORE = re.compile(r"(?:([^\W\d_]+)[ ])?([^\W\d_]+)[ ]\Z")
_NEXT_WORD = re.compile(r"[ ]+([^\W\d_]+)")
# "kona mi elle sida nittifem": "since" after a name, no surname (it is also a noun, the side)
_SINCE = frozenset("sida sia siden sidan".split())
_OBJECT_OPENERS = frozenset("en ei et ein eit den det dei de dem han ho henne ham hu oss meg mæ deg dæ alle".split())
_PERFECT_AFTER = re.compile(r"[ ]+(?:har|hadde)[ ]+([^\W\d_]+)", re.IGNORECASE)


def _been_at_work() -> frozenset[str]:
    """Participles after "har" of what a person has done ("vært", "jobba")."""
    from codebench.anonymise.gazetteer import _BEEN_AT_WORK

    return _BEEN_AT_WORK


# Adjectives that point into the noun after them ("amina hele tida", "per neste uke").
_NOT_SURNAMES = frozenset(
    "hele heile halve selve samme same eneste einaste neste førre forrige første fyrste siste andre "
    "egen eigen eget eige egne eigne "
    # what one gets or is given, the object after a name the verb made its subject ("så fikk
    # mannen hennes sergej jobb her", a tester's)
    "jobb arbeid plass beskjed hjelp svar lov tid".split())


# Words that stand only before a noun ("same dag", "samme sted").
_NOUN_BOUND = frozenset("same samme selve".split())
# ... and what cannot be that noun: a pronoun, "heter", a filler, "eller", a line's end.
_NO_NOUN_AFTER = re.compile(r"[ ]*(?:\n|\Z)|[ ]+(?:han|ho|hun|hu|heter|heiter|het|eh|ehm|eller|og|fra|frå)(?![\w-])",
                            re.IGNORECASE)


def _noun_bound_pair_after(det: Detection, text: str, taken: Taken) -> int:
    """Where a name ends that ASR went on as two words, the second one that only stands before a
    noun, with no noun after it: "abdi rahman var same han e fra somalia" (Warsame)."""
    first = _NEXT.match(text, det.end)
    second = first and _NEXT.match(text, first.end(1))
    if (second and second.group(1).casefold() in _NOUN_BOUND and first.group(1).casefold() not in PRONOUNS
            and len(first.group(1)) >= 2 and taken.free(first.start(1), second.end(1))
            and _NO_NOUN_AFTER.match(text, second.end(1))):
        return second.end(1)
    return det.end


def _surname_heard_as_word(det: Detection, text: str, taken: Taken, stop: frozenset[str],
                           given: frozenset[str]) -> int:
    """Where a mention of given names only ends, taken on over a surname heard as an ordinary word.

    Speech recognition writes a surname it does not know as the nearest word ("sverre mulig" for
    Sverre Myrli, "ida sunn" for Ida Sundet).  After a given name, a noun or an adjective is
    seldom the rest of the sentence, while a verb, pronoun or preposition is ("kari sa", "ida
    og"): the noun or adjective is taken as the surname, when the treebank's sentences showed it
    as one (a verb form they never showed, "samtykker", is no evidence).  Not within two words
    after a finite verb ("da var kari syk", "der var butikksjefen hanne positiv").  Not after a finite verb ("da var kari
    syk"): there the name is the subject after its verb and the word is the rest of the clause.
    """
    after = _words_after(text, det.end, taken, stop, n=1)
    if not after:
        return det.end
    word = after[0].group(1).casefold()
    # The verb may stand a word further back, before a title: "der var butikksjefen hanne positiv".
    before = _TWO_BEFORE.search(text, max(0, det.start - 60), det.start)
    verb_before = before is not None and any(is_finite_verb(w) for w in before.groups() if w)
    # The word before the pronoun that takes the name up again is the name's surname, whatever
    # else it means: "det er kjellaug fiske ho er femti", "leiaren vår er randi bø eh ho randi
    # har". Not after a verb that makes the name its subject ("da var kari syk ho hadde feber");
    # "det er", "her e" present the name.
    taken_up = _PRONOUN_AFTER.match(text, after[0].end(1))
    inverted = verb_before and (before.group(1) or "").casefold() in _INVERTING
    if (taken_up and word not in given and len(word) >= 2 and not is_finite_verb(word) and word not in PRONOUNS
            and not inverted and (is_finite_verb(taken_up.group(1)) or taken_up.group(1).casefold() in given)):
        return after[0].end(1)
    # A verb form before a perfect the name is the subject of is no verb: "men mari sel har vært
    # litt mentor" (Maricel; "sel" is nynorsk's "sells"). Two finite verbs do not stand in a row.
    if (is_finite_verb(word) and word not in given and word not in PRONOUNS and len(word) >= 3
            and not verb_before and (perfect := _PERFECT_AFTER.match(text, after[0].end(1))) is not None
            and perfect.group(1).casefold() in _been_at_work()):
        return after[0].end(1)
    # "og olaus gamle olaus vi kalle han": the adjective goes with the name said again after it;
    # "og meseret kjente en tante": a past tense, with its object after it, is the verb
    again = _NEXT_WORD.match(text, after[0].end(1))
    if again is not None and (again.group(1).casefold() == text[det.start:det.end].split()[0].casefold()
                              or (word.endswith(("te", "de")) and again.group(1).casefold() in _OBJECT_OPENERS)):
        return det.end
    if (len(word) < 3 or word in given or not is_noun_or_adjective(word) or word in _NOT_SURNAMES or word in _SINCE
            or is_public(word) or verb_before or _spoken_verb(word)):
        return det.end
    return after[0].end(1)


def sounds_given(word: str, given: frozenset[str] | None = None, cutoff: float | None = None) -> bool:
    """A given name, or a word heard in place of one ("vidare" for Vidar, "snøre" for Snorre)."""
    if given is None:
        names = lexicon()
        given = names.female | names.male
    return _sounds_given(word, given, cutoff)


def _sounds_given(word: str, given: frozenset[str], cutoff: float | None = None) -> bool:
    """A given name, or a word heard in place of one ("vidare" for Vidar, "torget" for Torgeir)."""
    if word in given:
        return True
    if len(word) < 5:
        return False  # short words are too near too many names ("hvor"/Tor)
    # An ordinary word must come closer ("torget"/Torgeir 77, "snøre"/Snorre 73).
    cutoff = cutoff or (GIVEN_MATCH_WORD if is_common_word(word) else GIVEN_MATCH)
    return process.extractOne(word, given, scorer=fuzz.ratio, score_cutoff=cutoff) is not None


_AND_AFTER = re.compile(r"(?:[ ]og|[ ]eller|,)[ ]([^\W\d_]{4,})(?![\w-])")
_AND_BEFORE = re.compile(r"(?<![\w-])([^\W\d_]{4,})(?:[ ]og|[ ]eller|,)[ ]\Z")
_CAPITAL_BEFORE = re.compile(r"(?:^|(?<=[ ]))([A-ZÆØÅ][^\W\d_]+)[ ]\Z", re.MULTILINE)

# Endings of plurals, participles and abstract nouns ("partiklane", "assorterte", "hvitvasking").
WORD_ENDINGS = ("ene", "ane", "ar", "er", "ing", "te", "de", "het", "else", "skap", "sjon")


def _coordinated(text: str, dets: Sequence[Detection], caseless: bool) -> list[Detection]:
    """A lone name word joined to a person by "og", "eller" or a comma is a person too:
    "skei grande og tenden", "Skei Grande og Tenden", "tetzschner og skei grande".

    The word must be no ordinary word (in any form) and, in cased text, capitalised.
    """
    persons = [d for d in dets if d.kind == PER and d.score >= SEED]
    if not persons:
        return []
    taken = Taken(text, dets)
    found: list[Detection] = []
    for person in persons:
        candidates = [m for m in [_AND_AFTER.match(text, person.end)] if m]
        before = _AND_BEFORE.search(text, max(0, person.start - 40), person.start)
        if before:
            candidates.append(before)
        for match in candidates:
            word = match.group(1)
            start, end = match.start(1), match.end(1)
            if not _free(start, end, taken):
                continue
            if not _name_like(word, caseless) or _after_place_word(text, start):
                continue
            if not caseless:
                # Its given name before it, capitalised and no ordinary word ("Olov Grøtting,").
                given = _CAPITAL_BEFORE.search(text, max(0, start - 30), start)
                if given and _free(given.start(1), given.end(1), taken) and _name_like(given.group(1), False):
                    start = given.start(1)
            found.append(Detection(start, end, PER, "linked:and", SCORE, text[start:end]))
            taken.add(start, end)
    return found


# Words before a place's name: "frå Nedre Eikås, Torbjørn" names a place, then a person.
_PLACE_BEFORE = re.compile(
    r"(?:^|(?<=[\s(]))(?:i|på|fra|frå|til|ved|mot|over|gjennom|nordre|søndre|øvre|nedre|vestre|østre|indre|ytre|"
    r"midtre|store|lille|gamle|nye)[ ]\Z", re.IGNORECASE)


def _after_place_word(text: str, start: int) -> bool:
    """The word at ``start`` follows a place preposition or qualifier ("i", "frå", "Nedre")."""
    return _PLACE_BEFORE.search(text, max(0, start - 12), start) is not None


def _name_like(word: str, caseless: bool) -> bool:
    folded = word.casefold()
    if caseless != word.islower() or (not caseless and not word[:1].isupper()) or word.isupper():
        return False
    if caseless and folded.endswith(WORD_ENDINGS):
        return False  # without capitals, a word shaped like a plural or a participle is one
    # Farm names are compounds of words ("Grøtting", "Solbakken"): in cased text the capital
    # and the person beside it say enough; without capitals a compound is most often a word.
    return (is_unknown_word(folded) and not (caseless and is_ordinary_compound(folded))
            and not is_inflected_word(folded) and not is_public(folded))


def _lone_words(text: str, dets: Sequence[Detection], person_words: Sequence[str],
                stop: frozenset[str], cache: dict[str, bool]) -> list[Detection]:
    """Unknown words that sound like a word of a person's name the project found."""
    if not person_words:
        return []
    taken = Taken(text, dets)
    found: list[Detection] = []
    for match in _UNKNOWN_CANDIDATE.finditer(text):
        word = match.group().casefold()
        if word in stop or word in LISTLESS_NOUNS or not _free(match.start(), match.end(), taken):
            continue  # "litt storm i starten" sounds like Storm and is the weather
        if word not in cache:
            cache[word] = (is_unknown_word(word) and not is_ordinary_compound(word)
                           and process.extractOne(word, person_words, scorer=fuzz.ratio, score_cutoff=LONE_WORD)
                           is not None)
        if cache[word]:
            found.append(Detection(match.start(), match.end(), PER, "linked:sounds", SCORE, match.group()))
    return found


# Particles of foreign surnames, longest first ("van der velde", "de lange", "el idrissi").
_PARTICLES = ("van der", "van den", "van de", "von der", "von dem", "de la", "de los", "de las", "da silva", "van",
              "von", "de", "dela", "del", "della", "di", "dos", "das", "du", "el", "al", "bin", "ben", "ibn", "abu", "ter",
              "ten", "le", "la", "mac", "mc", "o",
              # Vietnamese middle names as ASR writes them ("nguyen thi lan", "ngujen van tan")
              "thi", "ti")
_PARTICLE_AFTER = re.compile(
    r"[ ](" + "|".join(re.escape(p) for p in _PARTICLES if " " in p) + r"|"
    + "|".join(re.escape(p) for p in _PARTICLES if " " not in p) + r")[ ]([^\W\d_]{3,})(?![\w-])")
# Particles that are also common Norwegian words: the word after must look like a surname.
_WORDLIKE_PARTICLES = frozenset("de la le du di o ten".split())


def _particle_surnames(text: str, dets: Sequence[Detection], stop: frozenset[str]) -> list[Detection]:
    """Person mentions run on over a surname's particle and the surname ("ingrid de lange", "dag
    henning van der velde", "amina el idrissi"): in ASR text the detectors stop at the particle,
    a word of its own ("de", "van"), and leave the surname in clear; a surname found apart from
    its name ("maria van" and "berg") becomes part of the one mention."""
    out = sorted(dets, key=lambda d: d.start)
    names = lexicon()
    given = names.female | names.male
    gone: set[int] = set()
    for n in range(len(out)):
        det = out[n]
        if n in gone or det.kind != PER or det.score < SEED or not det.text.split():
            continue
        words = det.text.casefold().split()
        start_at = det.end
        # A mention that took the particle in already ("maria van") goes on over the rest.
        if len(words) >= 2 and words[-1] in ("van", "von") and words[0] in given:
            start_at = det.end - len(det.text.split()[-1]) - 1
        match = _PARTICLE_AFTER.match(text, start_at)
        if match is None:
            continue
        # Between two person mentions the particle is part of one name ("ngujen van tan": a
        # tester's Vietnamese name, given name misheard); else only after a given name ("sa til
        # de lange" is no name).
        between = any(k != n and out[k].kind == PER and out[k].score >= SEED and out[k].start == match.start(2)
                      for k in range(len(out)))
        if not between and (words[-1] not in given and not (len(words) >= 2 and words[0] in given)
                            or match.group(1).casefold() in ("ti", "thi")):
            continue
        particle, surname = match.group(1).casefold(), match.group(2).casefold()
        if surname in stop or is_finite_verb(surname) or surname in PRONOUNS or surname in _NOT_SURNAMES:
            continue  # (nor an article and its adjective: "uten haider de første ukene")
        if particle in _WORDLIKE_PARTICLES and not (
                surname in names.surnames or is_unknown_word(surname) or is_noun_or_adjective(surname)):
            continue
        end = match.end(2)
        # The surname may be a mention of its own already: it joins this one.
        swallowed = [k for k, d in enumerate(out) if k != n and k not in gone and det.end <= d.start < end]
        if any(out[k].end > end or out[k].kind != PER for k in swallowed):
            continue
        out[n] = det._replace(end=end, text=text[det.start:end])
        gone.update(swallowed)
    return [d for k, d in enumerate(out) if k not in gone]


# An Arabic surname with its article, as a hyphenated word: "al-saadi", "el-amin", "abu-bakr".
_ARTICLE_SURNAME = re.compile(r"[ ]+((?:al|el|abu|abd|bin|ben|ibn)-[^\W\d_]{3,})(?![\w-])", re.IGNORECASE)


def _article_surnames(text: str, dets: Sequence[Detection]) -> list[Detection]:
    """A person mention runs on over the hyphenated Arabic surname after it ("hans haider
    al-saadi fra irak": the detectors took the given names and left the surname)."""
    out = []
    absorbed: set[int] = set()
    for det in dets:
        if det.kind == PER and det.score >= SEED:
            match = _ARTICLE_SURNAME.match(text, det.end)
            if match is not None:
                det = det._replace(end=match.end(1), text=text[det.start:match.end(1)])
                absorbed.add(match.start(1))  # the surname found alone is this mention now
        out.append(det)
    return [d for d in out if not (d.start in absorbed and d.kind == PER)]


_GAP_WORD = re.compile(r"[^\W\d_]+")
_JOINING_PARTICLES = frozenset({"de", "la", "dela", "del", "della", "da", "di", "dos", "das", "van", "von", "der",
                                "den", "el", "al", "bin", "ibn", "ter", "ten"})


def _across_particles(text: str, dets: Sequence[Detection], stop: frozenset[str]) -> list[Detection]:
    """Two person mentions with a particle and at most one short piece between them are one
    name ("mari sel dela krus", "mari sell de la krus" for Maricel Dela Cruz): the particle
    rule above needs the particle right after the first mention, and ASR puts a piece of the
    given name before it."""
    out = sorted(dets, key=lambda d: d.start)
    merged: list[Detection] = []
    for det in out:
        prev = merged[-1] if merged else None
        if (prev is not None and prev.kind == det.kind == PER and prev.score >= SEED and det.score >= SEED
                and prev.end <= det.start and "\n" not in text[prev.end:det.start]):
            gap = _GAP_WORD.findall(text[prev.end:det.start])
            if (gap and len(gap) <= 3 and len(text[prev.end:det.start]) <= 16
                    and any(w.casefold() in _JOINING_PARTICLES for w in gap)
                    and all(w.casefold() in _JOINING_PARTICLES or (len(w) <= 4 and w.casefold() not in stop)
                            for w in gap)
                    and not re.search(r"[.,;:!?]", text[prev.end:det.start])):
                merged[-1] = prev._replace(end=det.end, text=text[prev.start:det.end], score=max(prev.score, det.score))
                continue
        merged.append(det)
    return merged


_TWICE_BEFORE = re.compile(r"(?<![\w-])([^\W\d_]{3,})[ ]+\1[ ]+\Z", re.IGNORECASE)


def _given_name_said_twice(text: str, dets: Sequence[Detection], stop: frozenset[str]) -> list[Detection]:
    """A word said twice right before a person's surname is the given name ("ei dame frå litauen
    rasa rasa kass lauskiene": the detectors took the foreign surname and left "rasa", a word
    too, in clear twice)."""
    from codebench.anonymise.gazetteer import (
        FINITE_VERBS, FOREIGN_SURNAME_ENDINGS, NOT_NAMES, PRONOUNS, is_public, is_role_word, is_unknown_word,
    )

    names = lexicon()
    out = []
    taken = [(d.start, d.end) for d in dets]
    for det in dets:
        if det.kind == PER and det.score >= SEED:
            twice = _TWICE_BEFORE.search(text, max(0, det.start - 40), det.start)
            word = twice.group(1).casefold() if twice else ""
            last = det.text.split()[-1].casefold() if det.text.split() else ""
            # a given name, a word no list holds, or any word before a foreign surname ("rasa rasa
            # kass lauskiene"); never a stutter before a title or a misheard word ("statsråd
            # statsråd bjørnar", "gjort gjort tilsaad": Stortinget's ASR)
            name_like = (word in names.female or word in names.male or is_unknown_word(word)
                         or last.endswith(FOREIGN_SURNAME_ENDINGS))
            if (twice is not None and name_like and word not in stop and word not in PRONOUNS and word not in NOT_NAMES
                    and word not in FINITE_VERBS and not is_public(word) and not is_role_word(word)
                    and not any(s < det.start and twice.start() < e for s, e in taken)):
                det = det._replace(start=twice.start(1), text=text[twice.start(1):det.end])
        out.append(det)
    return out


def _surname_after_spelling(text: str, dets: Sequence[Detection], stop: frozenset[str]) -> list[Detection]:
    """The surname said right after a given name spelled out ("han heter r a m i haddad"): the
    spelling ends the detectors' span, and the surname, a word no list holds, stayed in clear."""
    from codebench.anonymise.gazetteer import is_unknown_word

    names = lexicon()
    taken = [(d.start, d.end) for d in dets]
    out = []
    for det in dets:
        if det.kind == PER and det.detector == "rules:spelled":
            nxt = _NEXT.match(text, det.end)
            if nxt is not None:
                word = nxt.group(1).casefold()
                if ((is_unknown_word(word) or word in names.surnames) and word not in stop and len(word) >= 3
                        and not any(s < nxt.end(1) and nxt.start(1) < e for s, e in taken)):
                    det = det._replace(end=nxt.end(1), text=text[det.start:nxt.end(1)])
        out.append(det)
    return out

