"""Linking: group every mention of one person, place or workplace into one cluster, corpus-wide.

The detectors see one text at a time and miss things; linking is what makes pseudonyms
consistent and recall high:

1. overlapping detections are resolved (the most specific, longest wins);
2. full names ("Kristine Holm") become person clusters; spelling variants join them when
   rapidfuzz says they are close ("Ole Bjørnstadt" ~ "Ole Bjørnstad");
3. a first name or surname alone joins the full name it belongs to — in the same document
   first, then in the whole project when only one person carries it; misspelt short forms
   ("Kristin" for "Kristine") join by fuzzy match;
4. every form of every cluster is then searched for in every document, so a name the model
   found once is found everywhere, in any case and with possessive endings.

Pure Python (rapidfuzz for string similarity); the result is plain data.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Hashable, Iterable, Mapping, Sequence

from rapidfuzz import fuzz, process

from codebench.anonymise.completion import complete_names, sounds_given
from codebench.anonymise.policy import NOT_IDENTIFYING, is_public
from codebench.anonymise.echoes import CORRECTION_MATCH
from codebench.anonymise.detections import INDIRECT, LOC, NAV_OFFICE, ORG, PER, Detection, split_at_line_breaks
from codebench.anonymise.gazetteer import (
    DIALECT_WORDS, FOREIGN_SURNAME_ENDINGS, VIETNAMESE_SURNAMES, LISTLESS_NOUNS, NAME_NOUNS, NOT_NAMES, WORD_NAMES, PRONOUNS, SPOKEN_VERBS,
    extend_into_unknown, is_caseless, is_common_word, is_compound_word, is_generic_label,
    POSSESSIVES, after_role, in_subject_position, is_role_word, is_inflected_word, is_ordinary_compound, lexicon, name_likelihood,
    a_time_word, place_names, name_pattern, ends_in_given_name, _not_after_heter, is_finite_verb, FINITE_VERBS, SENTENCE_ADVERBS, reads_as_person, reads_as_word, weather_here,
    is_given_name, is_unknown_word, ROLE_ENDINGS, SPOKEN_NUMBER, _word_classes,
)

# Tuned on the sample corpus gold (bench/anonymise.py sweeps it): 85 joins "Kristin"/"Kristine"
# and "Bjørnstadt"/"Bjørnstad" but keeps "Hanne"/"Hanna"-style pairs of different people apart
# only when both occur as full names with different surnames.
FUZZY_THRESHOLD = 85.0
SEED_THRESHOLD = 0.5

# Which detector to believe when two overlap and are equally long: rules know numbers, the
# researcher's names are certain, then the model, then the lexicon.
PRIORITY = {"rules": 5, "known-name": 4, "known-place": 4, "manual": 6, "ner": 3, "linked": 2, "lexicon": 1}
NAME_KINDS = (ORG, LOC, NAV_OFFICE)

# Field names of a transcript's header that the model may take into a name beside them.
HEADER_FIELDS = frozenset("sted dato tid tidspunkt prosjekt varighet transkribent transkribert lydfil opptak "
                          "kommune alder yrke stilling notat merknad intervjuer intervjuar informant informanten "
                          "deltaker deltakar moderator forsker forskar respondent interviewer".split())

# Titles the model includes in a person span; they stay visible in the rendition.
TITLES = frozenset({"dr", "prof", "professor", "fru", "frk", "herr", "hr", "advokat", "pastor", "sokneprest"})
# Abbreviations that end in a full stop inside a name ("St. Olavs", "Jr.").
ABBREVIATIONS = frozenset({"st", "jr", "sr", "mr", "mrs", "ms", "nr", "ca", "dvs", "osv"})
# Words that never end or open the name of a place or workplace: the model sometimes runs a
# name on into the next word ("Sander av").
FUNCTION_WORDS = frozenset({
    "av", "og", "på", "i", "til", "med", "for", "fra", "som", "om", "at", "men", "eller", "så",
    "det", "den", "de", "dei", "han", "hun", "ho", "seg", "er", "var", "har", "hadde", "sa",
    "ikke", "ikkje", "en", "ein", "et", "eit", "ei", "jo", "da", "då", "når", "der", "her",
    "hos", "ved", "mot", "etter", "under", "over", "uten", "utan", "bare", "berre", "også",
})


@dataclass
class Cluster:
    """One entity: its kind, normalised forms and every mention found."""

    key: str
    kind: str
    forms: set[str] = field(default_factory=set)
    mentions: list[tuple[Hashable, Detection]] = field(default_factory=list)

    @property
    def full_forms(self) -> list[str]:
        return [f for f in self.forms if " " in f]

    @property
    def public(self) -> bool:
        """A country, county, large city or national body: kept by default (see ``policy``)."""
        return self.kind in (LOC, ORG) and bool(self.forms) and all(is_public(f) for f in self.forms)


def normalise(surface: str) -> str:
    """Case-folded, single-spaced, without a possessive ending ("Kristines" -> "kristine")."""
    form = " ".join(surface.split()).casefold().strip(" .,:;!?()[]«»\"")
    for suffix in ("'s", "’s", "'", "’"):
        if form.endswith(suffix):
            return form[: -len(suffix)]
    if form.endswith("s") and len(form) > 3:
        stem = form[:-1]
        last = stem.split()[-1]
        # Strip the -s only when the stem is a known name word and the whole is not ("Hans" stays,
        # and so does a listed name ending in s: "Tønnes" had been rendered "[Person 26]s")
        whole = form.split()[-1]
        names = lexicon()
        # NorNE counts a possessive as a name as often as its stem ("Hansens" 1.0 like "Hansen"):
        # a stem the lists hold wins a tie ("kari hansens bil" had rendered "[Person 1] bil")
        listed = last in names.surnames or last in names.female or last in names.male
        if ((name_likelihood(last) > name_likelihood(whole)
             or (listed and name_likelihood(last) >= name_likelihood(whole) > 0))
                and whole not in names.female and whole not in names.male and whole not in names.surnames
                # in lower case an ordinary word whole is no possessive: "ragnvald hus" is no
                # "Ragnvald Hu's", nynorsk "elles" (otherwise) no "Elle's" (a tester read
                # "arbeidsgjevarane [Person 85]s"); "Livs mor" in typed text is Liv's
                and not (surface.strip().islower() and is_common_word(whole))
                # in a full name the last word is a surname: "kristian sannes" is no "Kristian Sanne's"
                # (a tester read "[Person 35]s"): a stem that is a given name is no surname
                and (" " not in form or last in names.surnames
                     or (last not in names.female and last not in names.male))):
            return stem
    return form


def _priority(detection: Detection) -> int:
    if detection.detector in ("lexicon:place", "lexicon:place-shape"):
        # A place the list knows (or shaped like one), said after "på", "i", "frå": above the
        # model's guess of a person there ("på rørvik", "i tromsdalen" had become [Person N]).
        return PRIORITY["ner"] + 1
    return PRIORITY.get(detection.detector.split(":")[0], 0)


def resolve_overlaps(detections: Iterable[Detection]) -> list[Detection]:
    """Non-overlapping detections: longest first, then by detector priority and score.

    Review-only flags (job titles, ages) never push out a name or a workplace: they are placed
    last and cut back to the words before whatever they overlap ("daglig leder" of
    "daglig leder på Holmvika Trelast").
    """
    detections = list(detections)
    flags = [d for d in detections if d.kind == INDIRECT]
    chosen = _longest_first([d for d in detections if d.kind != INDIRECT])
    for flag in flags:
        clash = [d.start for d in chosen if d.start < flag.end and flag.start < d.end]
        if clash:
            cut = flag.text[:min(clash) - flag.start].rstrip()
            cut = re.sub(r"\s+(?:på|i|ved|hos|for)$", "", cut)
            if not cut or min(clash) <= flag.start:
                continue
            flag = flag._replace(end=flag.start + len(cut), text=cut)
        chosen.append(flag)
    return sorted(chosen, key=lambda d: d.start)


def _longest_first(detections: Iterable[Detection]) -> list[Detection]:
    ranked = sorted(detections, key=lambda d: (-(d.end - d.start), -_priority(d), -d.score, d.start))
    taken: list[Detection] = []
    occupied: list[tuple[int, int]] = []
    for det in ranked:
        clash = [(s, e) for s, e in occupied if det.start < e and s < det.end]
        if clash and det.kind == PER:
            # A name that runs past the one already taken keeps its words outside it: "anders
            # amundsen" beside a longer "… hanekamhaug anders" still masks "amundsen".
            det = _outside(det, clash)
            clash = [] if det is not None else clash
        if clash or det is None:
            continue
        taken.append(det)
        occupied.append((det.start, det.end))
    return taken


def _outside(det: Detection, clash: Sequence[tuple[int, int]]) -> Detection | None:
    """The words of ``det`` before or after every span of ``clash`` (the longer side), if any."""
    words = [w for w in _words(det) if not any(det.start + w[0] < e and s < det.start + w[1] for s, e in clash)]
    if not words:
        return None
    # Only one contiguous run: the words on one side of the clash.
    run = [words[0]]
    for w in words[1:]:
        if any(s < det.start + w[0] and det.start + run[-1][1] <= s for s, _ in clash):
            break
        run.append(w)
    return _narrowed(det, run)


_CAPITALISED_BEFORE = re.compile(r"(?:^|(?<=[\s(«\"]))([A-ZÆØÅ][^\W\d_]+(?:-[A-ZÆØÅ][^\W\d_]+)*)[ ]\Z", re.MULTILINE)


def _extended(det: Detection, text: str, caseless: bool) -> Detection:
    """A person's name with the words the detectors left off it.

    In caseless text the name runs on into the unknown words after it.  In cased text a
    capitalised word right before it that is no ordinary word is its given name: in a list
    line ("- Jorodd Ullsfjord, Universitetet i Tromsø") the model often takes the surname only.
    """
    if det.kind != PER or det.detector.split(":")[0] not in ("ner", "lexicon", "known-name"):
        return det
    if caseless:
        return extend_into_unknown(text, det, limit=3)
    before = _CAPITALISED_BEFORE.search(text, max(0, det.start - 40), det.start)
    if before is None:
        return det
    word = before.group(1)
    folded = word.casefold()
    names = lexicon()
    if folded in names.female or folded in names.male or (
            not is_common_word(folded) and not (is_compound_word(folded) and not ends_in_given_name(folded))
            and folded not in FUNCTION_WORDS
            and folded not in NOT_IDENTIFYING and not is_public(folded)):
        return det._replace(start=before.start(1), text=text[before.start(1):det.end])
    return det


def _as_heard(det: Detection, caseless: bool, text: str) -> Detection:
    """In ASR text, one word the model calls a person that is a compound of ordinary words or an
    inflected ordinary word ("usikkerhetsanalysen", "radiologer") is only a suggestion: without
    capitals the model takes rare long words for surnames.  Not after a role or "heter", where
    a name goes ("representanten hageseter"), and not a word the name lists know."""
    if not caseless or det.kind != PER or det.detector != "ner" or " " in det.text.strip():
        return det
    form = normalise(det.text)
    if not (is_ordinary_compound(form) or is_inflected_word(form)) or after_role(text, det.start):
        return det
    names = lexicon()
    if form in names.female or form in names.male or form in names.surnames or name_likelihood(form) >= 0.3:
        return det
    return det._replace(score=min(det.score, 0.45))


def _as_typed(det: Detection, caseless: bool) -> Detection:
    """A lower-case "person" in properly written text that is one ordinary word ("sprengte vi ut
    berg") is the word, not the name: only a suggestion for review, scored as a propagated
    mention of such a word is.  A lower-case word that is no ordinary word ("hei kristine" in a
    quoted message) keeps the model's score: typed transcripts do hold a few of those.  A noun of
    the landscape ("berg", "bakke") counts as an ordinary word here, though the word list leaves it
    out because the proceedings wrote it more often as a surname."""
    if caseless or det.kind != PER or " " in det.text.strip() or not det.text.islower():
        return det
    form = normalise(det.text)
    if not is_common_word(form) and form not in LISTLESS_NOUNS:
        return det
    return det._replace(score=min(det.score, 0.45 if name_likelihood(form) >= 0.5 else 0.25))


def _prepared(det: Detection, text: str, caseless: bool) -> Detection | None:
    """A detection as linking takes it: scored by the evidence of its own words, trimmed to the
    name, or None when it names nothing."""
    trimmed = _trim_span(_as_heard(_as_typed(det, caseless), caseless, text), caseless)
    if trimmed is not None and caseless:
        trimmed = _without_kin_possessive(trimmed, text)
    if trimmed is None or not _usable(trimmed) or _capital_of_the_sentence(trimmed, text, caseless):
        return None
    if (trimmed.kind == PER and " " not in trimmed.text.strip()
            and _A_PLACE_LIKE.search(text, max(0, trimmed.start - 24), trimmed.start)):
        names = lexicon()
        form = normalise(trimmed.text)
        if form not in names.female and form not in names.male:
            return trimmed._replace(kind=LOC)  # "på et sted som Bjørkelangen": a place, whatever the model says
    return trimmed


# "et sted som", "ein stad som", "ei bygd som": what follows is a place.
_A_PLACE_LIKE = re.compile(r"(?<![\w-])(?:sted|stad|plass|bygd|bygda|tettsted|tettstad|kommune|småby)[ ]+som[ ]+\Z",
                           re.IGNORECASE)


# Short forms of given names that are not a beginning of them (those are found by prefix).
NICKNAMES = {
    "sasha": ("oleksandr", "aleksandr", "alexander", "aleksander", "oleksander"),
    "sasja": ("oleksandr", "aleksandr", "alexander", "aleksander"),
    "pelle": ("per", "petter", "peder"), "kaja": ("karianne", "katrine", "karin"),
    "toffen": ("kristoffer",), "bitten": ("birgitte",), "lisa": ("elisabeth",), "lise": ("elisabeth",),
    "beate": ("elisabeth",), "hansi": ("hans",), "mikke": ("mikkel",), "tommy": ("tom", "thomas"),
    "misha": ("mikhail", "mykhailo"), "kolja": ("mykola", "nikolai"), "dima": ("dmytro", "dmitrij"),
    "vova": ("volodymyr", "vladimir"), "tanja": ("tetiana", "tatiana"), "kasia": ("katarzyna",),
    "gosia": ("malgorzata",), "basia": ("barbara",), "tomek": ("tomasz",),
}


def _short_form_of(short: str, given: str) -> bool:
    """``short`` is a short form of the given name ``given``: a known nickname of it, or its
    beginning of four letters or more ("kris" of "kristoffer"), not the whole name."""
    if short == given or len(short) < 3:
        return False
    if given in NICKNAMES.get(short, ()):
        return True
    # Not an ordinary word ("bort" of "borten moe" is the adverb) and only of a given name.
    names = lexicon()
    return (len(short) >= 4 and given.startswith(short) and len(given) >= len(short) + 2
            and not is_common_word(short) and (given in names.female or given in names.male))


_NAMING_VERBS = frozenset("heter het heiter kalt kalla kaller kalte kallar kalle heite heitte hete".split())
_KIN_POSSESSIVE = re.compile(r"(?P<kin>[^\W\d_]+)[ ]+\Z")


def _without_kin_possessive(det: Detection, text: str) -> Detection | None:
    """ "kona hans gro", "mora hans hege": after a kin or role word the possessive is the
    word's ("his wife Gro"), not the first of two given names: the model's "hans gro" is Gro."""
    if det.kind != PER:
        return det
    words = det.text.split()
    if len(words) < 2 or words[0].casefold() not in POSSESSIVES:
        return det
    kin = _KIN_POSSESSIVE.search(text, max(0, det.start - 30), det.start)
    if kin is None or not is_role_word(kin.group("kin")) or kin.group("kin").casefold() in _NAMING_VERBS:
        return det  # "som heter hans moen": after "heter" comes the name, given name and all
    start = det.start + det.text.index(words[1], len(words[0]))
    return det._replace(start=start, text=text[start:det.end])


_FILLERS = frozenset("eh ehm ehh øh øhm hm hmm mm mhm".split())
_WORD_SPAN = re.compile(r"\S+")


def _split_at_fillers(det: Detection) -> list[Detection]:
    """A person span the model ran over a filler is two mentions: "kjell arne eh kjellarne
    kjell arne" is Kjell Arne said, then said again (one span had made a person of its own)."""
    if det.kind != PER or " " not in det.text:
        return [det]
    words = [(m.start(), m.end()) for m in _WORD_SPAN.finditer(det.text)]
    folded = [det.text[a:b].casefold().strip(",.") for a, b in words]
    # A word that is the next two run together is the name said twice ("kjellarne kjell arne").
    repeated = {i for i in range(len(folded) - 2) if folded[i] == folded[i + 1] + folded[i + 2]}
    if repeated:
        cut = min(repeated)
        head, tail = words[:cut + 1], words[cut + 1:]
        return [p for run in (head, tail) for p in _split_at_fillers(
            det._replace(start=det.start + run[0][0], end=det.start + run[-1][1], text=det.text[run[0][0]:run[-1][1]]))]
    if not any(f in _FILLERS for f in folded):
        return [det]
    parts: list[Detection] = []
    run: list[tuple[int, int]] = []
    for a, b in [*words, (-1, -1)]:
        if a < 0 or det.text[a:b].casefold().strip(",.") in _FILLERS:
            if run:
                start, end = run[0][0], run[-1][1]
                parts.append(det._replace(start=det.start + start, end=det.start + end, text=det.text[start:end]))
            run = []
        else:
            run.append((a, b))
    return parts


def _usable(det: Detection) -> bool:
    form = normalise(det.text)
    if len(form) < 2 or form in NOT_IDENTIFYING or not any(c.isalpha() for c in form) and det.kind in (PER, *NAME_KINDS):
        return False
    if det.kind in (PER, *NAME_KINDS):
        # A speaker label ("SPEAKER_01") names no one and no place, whatever the model says;
        # nor does a function word in transcription marks ("//Han sa at//").
        letters = "".join(c for c in form if c.isalpha() or c == " ")
        # (two letters after "alle kaller han" are what he is called, "pk", not a label)
        if (is_generic_label(det.text) and det.detector != "lexicon:called") or letters in FUNCTION_WORDS:
            return False
        # Laughter, fillers and pronouns, however many ("haha haha" was a person at 0.90 and
        # then every "haha" of five interviews; "mamma hu ble bekymra" made "hu" a person).
        if all(w in NOT_NAMES or w in PRONOUNS or w in DIALECT_WORDS or w in NAME_NOUNS or _CLITIC.fullmatch(w)
               for w in form.split()):
            # (a dialect's pronoun too: the model took Nordmøre's "hainn" for a person; and the
            # word "etternavnet" that announces a name, which it took for a workplace)
            return False
        if det.kind == PER and all(_NUMBER_WORD.fullmatch(w) for w in letters.split()):
            return False  # "hun er førtito": an age said in words names no one
        if (det.kind == PER and det.detector == "ner" and form in POSSESSIVES and not is_given_name(form)
                and form not in lexicon().surnames):
            return False  # "kona hass e fra thailand": a possessive no one is called ("hans" is a name)
    return True


# A participle's shape ("gjort", "sagt", "hjulpet", "ringt"), for a word a verb form too.
_PARTICIPLE = re.compile(r"[^\W\d_]+(?:t|et|dd|tt)")
# A word with a spoken pronoun cliticised on it ("heter'n", "hadde'n", "ble'n"): no name.
CLITIC = _CLITIC = re.compile(r"[^\W\d_]+['’](?:n|a|u|en|em|om|dæ|mæ|sæ|e)")
# A number said in words, as ASR writes it: no person's name.
_NUMBER_WORD = SPOKEN_NUMBER


# What goes before the first word of a sentence, a turn or a list item ("f) ", "- ").
_OPENS_BEFORE = re.compile(r"(?:^|[.!?:\n\t«»\"(]|[-–•*][ ]|(?<![\w])[a-zA-Z0-9]\))[ ]*\Z")


def _capital_of_the_sentence(det: Detection, text: str, caseless: bool) -> bool:
    """One capitalised ordinary word (or an inflection of one) opening a sentence, a turn or a
    list item, that the model took for a name ("f) Kandidatenes egne erfaringer"): the capital is
    the sentence's.  Words the name lists know stay ("Per", "Liv", "Strand")."""
    if caseless or det.detector != "ner" or " " in det.text.strip():
        return False
    word = det.text.strip()
    folded = normalise(word)
    if not word[:1].isupper() or word.isupper() or not (is_common_word(folded) or is_inflected_word(folded)):
        return False
    names = lexicon()
    if folded in names.female or folded in names.male or folded in names.surnames or name_likelihood(folded) >= 0.3:
        return False
    return _OPENS_BEFORE.search(text, max(0, det.start - 6), det.start) is not None


def link(
    texts: Mapping[Hashable, str],
    detections: Mapping[Hashable, Sequence[Detection]],
    *,
    fuzzy: float = FUZZY_THRESHOLD,
    seed: float = SEED_THRESHOLD,
    propagate: bool = True,
    groups: Mapping[Hashable, str] | None = None,
    people: str = "project",
) -> list[Cluster]:
    """Cluster all detections of a project and find every further mention of each cluster.

    Args:
        texts: document key -> stored text.
        detections: document key -> what the detectors found in it.
        fuzzy: rapidfuzz ratio (0–100) at which two spellings are one name.
        seed: detections below this score do not found clusters, but may join one.
        propagate: search every document for every form (off only for evaluation).
        groups: document key -> series (e.g. the participant): interviews of one informant
            speak of the same people, so a lone first name prefers a person of its series.
        people: how far a first name or surname said alone reaches (the project's setting,
            ``services.anonymisation.scope``): ``project``, the one person of the project who
            carries it (one site); ``interview``, a person named in the same document or series,
            else another person of it (independent informants); ``circle``, the series that
            share a person named in full with its own (interviews naming the same adviser in
            full speak of the same people; the others need not).
    """
    scoped = people != "project"
    caseless = {doc: is_caseless(texts.get(doc, "")) for doc in detections}
    resolved = {doc: resolve_overlaps(_workplace_shape(_extended(t, texts.get(doc, ""), caseless[doc]), caseless[doc])
                                      for d in dets for part in _split_at_fillers(d)
                                      for t in [_prepared(part, texts.get(doc, ""), caseless[doc])] if t)
                for doc, dets in detections.items()}
    resolved = {doc: _firm_names(_bridged(dets, texts.get(doc, ""), caseless[doc]), texts.get(doc, ""))
                for doc, dets in resolved.items()}
    # What the project calls each form, over all documents: one mistake of the model is
    # outvoted by the many times it got the same words right.
    votes = _kind_votes(resolved)
    resolved = {doc: [_as_voted(d, votes, caseless[doc]) for d in dets] for doc, dets in resolved.items()}
    # Places the project names (its participants' sites) and words it calls a place far more
    # often than a person stay places: "Holmvika" is not a person because the model said so
    # in a few sentences, and "Holmvika Trelast" is a workplace.
    places = _place_forms(resolved, votes)
    resolved = {doc: [_as_place(d, places, caseless[doc]) for d in dets] for doc, dets in resolved.items()}
    # A place the project names that a longer person span had swallowed comes back once that
    # span has let go of it ("sørvik hannes" → Sørvik and Hanne).
    for doc, dets in detections.items():
        kept = resolved.get(doc, [])
        back = [d for d in dets if d.detector == "known-place"
                and not any(d.start < k.end and k.start < d.end for k in kept)]
        if back:
            resolved[doc] = sorted(kept + back, key=lambda d: d.start)
    # The model sometimes calls a first name a place or a workplace ("Tobias" as ORG); when the
    # same words are a person elsewhere, they are that person here too.
    # Unless the project calls these words a place or workplace again and again ("Jan Mayen"
    # starts with a given name but is an island every time it occurs).
    person_forms = _person_forms(resolved)
    resolved = {doc: [d._replace(kind=PER) if d.kind in (ORG, LOC) and _is_person_name(d.text, person_forms)
                      and not _mostly_not_person(normalise(d.text), votes) and normalise(d.text) not in places
                      and d.detector != "known-place" else _possessive_person(d, person_forms)
                      for d in dets]
                for doc, dets in resolved.items()}
    clusters: list[Cluster] = []
    person_full: list[Cluster] = []
    by_key: dict[str, Cluster] = {}

    def new_cluster(key: str, kind: str) -> Cluster:
        cluster = Cluster(key, kind)
        clusters.append(cluster)
        by_key[key] = cluster
        return cluster

    resolved = _split_name_pairs(resolved, texts)
    # In ASR text a name the project knows is heard differently elsewhere: complete it there.
    resolved = complete_names(resolved, texts, caseless)

    # A name heard in pieces is the one word it makes: "odd bjørn" and "hatle vik" beside
    # "oddbjørn hatlevik", "h o d a n" beside "hodan warsame" (else each piece pair became a
    # person with a first and last name of its own).
    apart = _heard_apart(resolved)

    # 1. Full person names, most frequent spelling first so variants join the common one.
    counts: dict[str, int] = defaultdict(int)
    for doc, dets in resolved.items():
        for det in dets:
            if det.kind == PER and " " in normalise(det.text) and (doc, normalise(det.text)) not in apart:
                # Confident detections count double, so they become the main spelling.
                counts[normalise(det.text)] += 2 if det.score >= seed else 1
    for form in sorted(counts, key=lambda f: (-counts[f], f)):
        target = by_key.get(f"PER:{form}")
        if target is None:
            for cluster in person_full:
                if any(_same_full_name(form, other, fuzzy) or _particle_tail(form, other) or _initials_of(form, other)
                       for other in cluster.full_forms):
                    target = cluster
                    break
        if target is None:
            target = new_cluster(f"PER:{form}", PER)
            person_full.append(target)
        target.forms.add(form)
        by_key[f"PER:{form}"] = target

    # Which full-name clusters carry a given first name or surname, and where they occur.
    carriers: dict[str, list[Cluster]] = defaultdict(list)
    for cluster in person_full:
        words = {w for f in cluster.full_forms for w in (f.split()[0], f.split()[-1])}
        # ... and the whole name run together, as ASR writes it ("abdirahman" of Abdi Rahman).
        words |= {f.replace(" ", "") for f in cluster.full_forms if len(f.replace(" ", "")) >= _APART_MIN}
        words |= {run for f in cluster.full_forms for run in _given_names_run_together(f)}
        words |= {part for f in cluster.full_forms for part in _inner_parts(f)}
        for word in words:
            carriers[word].append(cluster)
    carrier_words = [w for w in carriers if len(w) >= 4]
    docs_of: dict[int, set[Hashable]] = defaultdict(set)
    for doc, dets in resolved.items():
        for det in dets:
            cluster = by_key.get(f"PER:{normalise(det.text)}")
            if cluster is not None:
                docs_of[id(cluster)].add(doc)

    def series(doc: Hashable) -> Hashable:
        return groups.get(doc) or doc if groups else doc

    # Circles: series joined by a person named in full in both (union-find over series).
    parent: dict[Hashable, Hashable] = {}

    def find(x: Hashable) -> Hashable:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    if people == "circle":
        for cluster in person_full:
            found_in = sorted({series(d) for d in docs_of[id(cluster)]}, key=str)
            for other in found_in[1:]:
                a, b = find(found_in[0]), find(other)
                if a != b:
                    parent[b] = a

    def scope(doc: Hashable) -> Hashable:
        """Where a lone name's person is looked for when the informants are independent: the
        document's series, or with ``circle`` the series that share people named in full."""
        return find(series(doc)) if people == "circle" else series(doc)

    def in_scope(cluster: Cluster, doc: Hashable) -> bool:
        return any(scope(d) == scope(doc) for d in docs_of[id(cluster)])

    def lone_key(form: str, doc: Hashable) -> str:
        # Independent informants: the same lone name in two series is two people.
        return f"PER1:{form}" if not scoped else f"PER1:{form}\x00{scope(doc)}"

    def person_for(word: str, doc: Hashable) -> Cluster | None:
        """The full-name cluster a lone first name or surname in ``doc`` refers to."""
        found = carriers.get(word, [])
        if not found and len(word) >= 4:
            # A misheard form of a name, not another name: "hanne" is not Anne Lise Moen (a
            # tester's two people had shared one pseudonym).
            listed = _is_listed_given(word)
            # (rapidfuzz's own loop over the carriers: a name-noise text has hundreds of them)
            near = [w for w, _, _ in process.extract(word, carrier_words, scorer=fuzz.ratio, score_cutoff=fuzzy,
                                                     limit=None)]
            found = [c for w in near if not (listed and _other_given_name(word, w)) for c in carriers[w]]
            found = list({id(c): c for c in found}.values())
        if scoped:
            found = [c for c in found if in_scope(c, doc)]
        if not found:
            # A short form of a given name the same document names in full ("kris" of Kristoffer
            # Haugland, "sasha" of Oleksandr): the one person of this document it can be.
            nicknamed = NICKNAMES.get(word, ())
            short = [c for w, cs in carriers.items() if (w in nicknamed or w.startswith(word)) and _short_form_of(word, w)
                     for c in cs if doc in docs_of[id(c)] and any(f.split()[0] == w for f in c.full_forms)]
            short = list({id(c): c for c in short}.values())
            if len(short) == 1:
                return short[0]
            # Initials as a nickname ("hp" of Hans Petter Rong, "kaller han hp"): the one person
            # of this document whose name they are.
            if 2 <= len(word) <= 3 and word.isalpha():
                initialled = [c for c in person_full if doc in docs_of[id(c)]
                              and any(_initials(f, len(word)) == word for f in c.full_forms)]
                if len(initialled) == 1:
                    return initialled[0]
        if len(found) == 1:
            return found[0]
        here = [c for c in found if doc in docs_of[id(c)]]
        if len(here) == 1:
            return here[0]
        if groups and groups.get(doc):
            series = [c for c in found if any(groups.get(d) == groups[doc] for d in docs_of[id(c)])]
            if len(series) == 1:
                return series[0]
        # One person carrying the name far more often than anyone else is the likely one.
        ranked = sorted(found, key=lambda c: -len(docs_of[id(c)]) * 100 - len(c.forms))
        if len(ranked) >= 2 and len(docs_of[id(ranked[0])]) >= 3 * max(1, len(docs_of[id(ranked[1])])):
            return ranked[0]
        return None

    def cluster_for(det: Detection, doc: Hashable) -> Cluster:
        form = normalise(det.text)
        form = apart.get((doc, form), form)
        if det.kind == PER:
            if " " in form:
                cluster = by_key.get(f"PER:{form}")
                if cluster is not None:
                    return cluster
            else:
                # A nickname of a person named in full, or its possessive ("Toffens idé").
                cluster = by_key.get(lone_key(form, doc)) or (
                    by_key.get(lone_key(form[:-1], doc)) if form.endswith("s") else None)
                if cluster is not None and not cluster.key.startswith("PER1:"):
                    cluster.forms.add(form)
                    return cluster
                cluster = person_for(form, doc)
                if cluster is not None:
                    cluster.forms.add(form)
                    return cluster
                key = lone_key(form, doc)
                if key not in by_key:
                    for other in [c for c in clusters if c.key.startswith("PER1:")]:
                        other_form, _, other_scope = other.key[5:].partition("\x00")
                        if scoped and other_scope != str(scope(doc)):
                            continue
                        if len(form) >= 4 and ((fuzz.ratio(form, other_form) >= fuzzy
                                                and not _other_given_name(form, other_form))
                                               or _voicing_variant(form, other_form)):
                            by_key[key] = other
                            break
                cluster = by_key.get(key) or new_cluster(key, PER)
                cluster.forms.add(form)
                return cluster
        group = "NUM" if det.kind not in (PER, *NAME_KINDS) else det.kind
        # "Moen Rør AS" and "Moen Rør" are one workplace: the company form is no part of its name.
        named = _COMPANY_FORM.sub("", form) if det.kind == ORG else form
        key = f"{group}:{det.kind}:{_number_key(form) if group == 'NUM' else named or form}"
        cluster = by_key.get(key) or new_cluster(key, det.kind)
        cluster.forms.add(form)
        return cluster

    # A nickname the text gives a named person ("jeg heter tor arne men alle kaller meg toffen")
    # is that person: one pseudonym, wherever the nickname occurs.
    for nick, (target, doc) in _nicknames(resolved, texts).items():
        if lone_key(nick, doc) in by_key:
            continue
        owner = by_key.get(f"PER:{target}") if " " in target else (
            person_for(target, doc) or by_key.get(lone_key(target, doc)) or new_cluster(lone_key(target, doc), PER))
        if owner is not None:
            by_key[lone_key(nick, doc)] = owner

    # 2. Every detection joins a cluster; weak ones only join existing persons.
    for doc, dets in resolved.items():
        for det in dets:
            cluster = cluster_for(det, doc)
            cluster.mentions.append((doc, det))

    if propagate:
        # Independent informants: a lone name found where its person is not named is another
        # person of that document (or series), not the one of another interview.
        _propagate(texts, resolved, clusters,
                   elsewhere=(lambda form, doc: by_key.get(lone_key(form, doc)) or new_cluster(lone_key(form, doc), PER),
                              scope) if scoped else None)
    for cluster in list(clusters):
        if cluster.kind == PER:
            cluster.mentions = [(doc, det) for doc, det in cluster.mentions
                                if not _a_word_here(det, texts.get(doc, ""))]
            cluster.mentions = _known_forms_trusted(cluster.mentions, caseless)
            # "ute på moen", "på Haugen": a surname that names a place where a place goes is the
            # place (or the workplace named after it), not the person (Kari Moen).
            here = [(doc, det) for doc, det in cluster.mentions if _place_here(det, texts.get(doc, ""))]
            if here and len(here) < len(cluster.mentions):
                cluster.mentions = [m for m in cluster.mentions if m not in here]
                for doc, det in here:
                    key = f"LOC:{normalise(det.text)}"
                    place = by_key.get(key) or new_cluster(key, LOC)
                    place.forms.add(normalise(det.text))
                    place.mentions.append((doc, det._replace(kind=LOC)))
        # Linking reads a name across a line end as one name (its form joins the entity), but a
        # mention never crosses a line or turn boundary: each line gets its own, same entity.
        cluster.mentions = [(doc, part) for doc, det in cluster.mentions for part in split_at_line_breaks(det)]
        cluster.mentions.sort(key=lambda m: (str(m[0]), m[1].start))
    return [c for c in clusters if c.mentions]


_NAMED_AS = re.compile(r"(?<![\w-])(?:heter|het|heiter|heitte|hette)[ ]+\Z", re.IGNORECASE)
_CALLED_AS = re.compile(r"(?<![\w-])(?:(?:kaller|kallar|kalte|kalla|kalle|kaille|kalt)"
                        r"(?:[ ]+(?:vi|me|alle|dei|de|folk|dem|dæm|dom))?"
                        r"[ ]+(?P<who>meg|ham|han|henne|ho|hun|hu|mæ|seg|sæ)"
                        # "siriporn som alle kaller nok", "men alle seier nok": the one just named
                        r"|som[ ]+(?:vi|me|alle|dei|de|folk|dem|dæm|dom)[ ]+(?:kaller|kallar|kalle|kalla)"
                        r"|(?:vi|me|alle|dei|de|folk)[ ]+(?:sier|seier|sir|sie|seie))[ ]+"
                        r"(?:(?:bare|berre|for|alltid|gjerne|heller|ofte|helst|mest)[ ]+)?\Z", re.IGNORECASE)
_OR_BETWEEN = re.compile(r"[ ]+(?:(?:eh|ehm|altså)[ ]+)?(?:eller|også|òg)[ ]+", re.IGNORECASE)
_CALLED_BETWEEN = re.compile(r"[ ]+som[ ]+(?:vi|me|alle|de|dei|folk|dem|dæm|dom|mange)[ ]+(?:kaller|kalle|kallar|kalte|kalla)"
                             r"[ ]+(?:han|ho|hun|henne|ham|hu)[ ]+", re.IGNORECASE)
_HER = frozenset({"henne", "ho", "hun", "hu"})
_FOR_BETWEEN = re.compile(r"[ ]+for[ ]+", re.IGNORECASE)
_OR_ONLY_BETWEEN = re.compile(r"[ ]+eller[ ]+", re.IGNORECASE)
_CALLS_BEFORE = re.compile(r"(?<![\w-])(?:kaller|kalle|kallar|kalte|kalla)[ ]+\Z", re.IGNORECASE)


# A mention this sure (above --auto's DEFAULT_THRESHOLD) vouches for the same form of its person
# elsewhere, which is then trusted at this score.
_SURE = 0.6


def _initials(form: str, n: int) -> str:
    """The first letters of a name's first ``n`` words, or of its given names and surname:
    "hans petter rong" -> "hp" (n=2) or "hpr" (n=3)."""
    words = form.split()
    return "".join(w[0] for w in words[:n]) if len(words) >= n else ""


def _inner_parts(form: str) -> tuple[str, ...]:
    """What a name of three words or more is also called by: a middle name ("resa" of Mohammed
    Resa Hosseini) and the surname said as one word ("srisuk" of Kanya Sri Suk); only words no
    ordinary word is, of four letters or more."""
    words = form.split()
    if len(words) < 3:
        return ()
    # a middle name the lists know as a given name: a model's "full name" made of three ordinary
    # words ("ato atombombe slippene") has none
    parts = [w for w in words[1:-1] if len(w) >= 4 and not is_common_word(w) and _is_listed_given(w)]
    surname = "".join(words[1:]) if len(words) == 3 else "".join(words[-2:])
    if (len(surname) >= _APART_MIN and not is_common_word(surname) and not is_ordinary_compound(surname)
            and not is_inflected_word(surname)):  # "atom bombe" is no surname said in two
        parts.append(surname)
    return tuple(parts)


# "eva kari og per": a list said without its commas goes on with "og"; no double name.
_LIST_GOES_ON = re.compile(r"[ ,]+(?:og|eller|å)[ ]", re.IGNORECASE)


def _one_gender(a: str, b: str) -> bool:
    """Two listed given names of one gender only, the same: "pål" and "arne", not "per" and "eva"."""
    names = lexicon()

    def gender(word: str) -> str | None:
        female, male = word in names.female, word in names.male
        return "f" if female and not male else "m" if male and not female else None

    return gender(a) is not None and gender(a) == gender(b)


def _is_listed_given(word: str) -> bool:
    names = lexicon()
    return word in names.female or word in names.male


def _other_given_name(a: str, b: str) -> bool:
    """Two listed given names that start differently are two names ("hanne" and "anne"), however
    alike; with the same start they may be one spelled two ways ("kristin", "kristine")."""
    return a[:1] != b[:1] and _is_listed_given(a) and _is_listed_given(b)


def _given_names_run_together(form: str) -> tuple[str, ...]:
    """A full name's given names written as one word and hyphenated: "anne lise moen" ->
    ("annelise", "anne-lise"), "jan erik" (two given names only) -> ("janerik", "jan-erik");
    nothing for a name with one given name."""
    words = form.split()
    if len(words) == 2 and all(_is_listed_given(w) for w in words):
        given = words
    elif len(words) >= 3:
        given = words[:-1]
    else:
        return ()
    if len("".join(given)) < _APART_MIN:
        return ()
    return "".join(given), "-".join(given)


# The shortest word a name heard in pieces may make: "li an" is not "lian" of someone's name.
_APART_MIN = 5


_PIECES_MATCH = 85.0


def _heard_apart(resolved: Mapping[Hashable, Sequence[Detection]]) -> dict[tuple[Hashable, str], str]:
    """(document, form) -> word, for a person's name of several words that is, run together,
    a word of another name the same document gives ("hatle vik" of Oddbjørn Hatlevik).

    Only within one document: elsewhere "odd bjørn" may well be a man of that name."""
    apart: dict[tuple[Hashable, str], str] = {}
    for doc, dets in resolved.items():
        fulls = {normalise(d.text) for d in dets if d.kind == PER and " " in normalise(d.text)}
        parts = {w for f in fulls for w in f.split() if len(w) >= _APART_MIN}
        spelled = {normalise(d.text) for d in dets if d.kind == PER and d.detector == "rules:spelled"}
        # (a name spelled out is also the lone name said beside it: "jeg heter aram a r a m")
        short_parts = {w for f in fulls for w in f.split() if len(w) >= 3} | {
            normalise(d.text) for d in dets if d.kind == PER and " " not in normalise(d.text) and len(d.text) >= 3}
        for form in fulls:
            compact = form.replace(" ", "")
            if (len(compact) >= _APART_MIN and compact in parts) or (form in spelled and compact in short_parts):
                # (a name spelled out letter by letter may be short: "i d i l" of Idil Farah)
                apart[(doc, form)] = compact
        # A name said again (completion's echoes: "a ram" after "aram", "kaled" after "khaled al
        # masri") is the name word it sounds like.
        # A saying the speaker corrects ("test fai nei tesfay") is the name it corrects, as close
        # as the correction rule found it.
        echoes = {normalise(d.text): 85.0 for d in dets if d.kind == PER and d.detector == "linked:echo"}
        echoes.update({normalise(d.text): CORRECTION_MATCH for d in dets if d.kind == PER and d.detector == "lexicon:corrected"})
        # So are a name's pieces ("test fai" of Tesfay, "volk of" of Volkov said after it).
        echoes.update({normalise(d.text): _PIECES_MATCH for d in dets
                       if d.kind == PER and d.detector == "lexicon:pieces" and " " in d.text})
        if echoes:
            heard = {sound_key(w): w for w in sorted(short_parts, key=len, reverse=True)}
            for form, cutoff in echoes.items():
                compact = form.replace(" ", "")
                word = compact if compact in short_parts else heard.get(sound_key(compact))
                if word is None:
                    near = process.extractOne(sound_key(compact), list(heard), scorer=fuzz.ratio, score_cutoff=cutoff)
                    word = heard[near[0]] if near else None
                if word is not None and word != form:
                    apart[(doc, form)] = word
    return apart


def _known_forms_trusted(mentions: list[tuple[Hashable, Detection]], caseless: Mapping[Hashable, bool]
                         ) -> list[tuple[Hashable, Detection]]:
    """A capitalised mention in typed text of a form the same person has at a sure score
    elsewhere is as sure: "Toffen kjenner nesten alle" opening a sentence (a noun's ending,
    so a mere suggestion) after "Alle kaller ham Toffen", or "Semhar hadde ingen" after "Semhar
    Tekle".  Never an ordinary word ("Liv er viktig" beside Liv Hansen)."""
    sure: set[str] = set()
    for doc, det in mentions:
        if det.score >= _SURE and not caseless.get(doc):
            form = normalise(det.text)
            sure.add(form)
            if " " in form:
                sure.add(form.split()[0])
    if not sure:
        return mentions
    out = []
    for doc, det in mentions:
        form = normalise(det.text)
        if (det.score < _SURE and not caseless.get(doc) and det.text[:1].isupper() and form in sure
                and not is_common_word(form) and form not in LISTLESS_NOUNS):
            det = det._replace(score=_SURE)
        out.append((doc, det))
    return out


def _nicknames(resolved: Mapping[Hashable, Sequence[Detection]], texts: Mapping[Hashable, str]
               ) -> dict[str, tuple[str, Hashable]]:
    """Nickname form -> (the name form it stands for, the document saying so): a person after
    "heter" and then, on the same line and within a few words, one after "kaller meg" ("jeg
    heter Tor-Arne, men alle her kaller meg Toffen"), or a person and right after, on the same
    line, one after "kaller henne/ham" ("Kari Håland. Vi kaller henne bare Kaja")."""
    out: dict[str, tuple[str, Hashable]] = {}
    for doc, dets in resolved.items():
        text = texts.get(doc, "")
        # A "person" after "fra" or "i" is most often a place the model misread ("fra Gdańsk"):
        # it does not stand between a name and the nickname given to it.
        persons = sorted((d for d in dets if d.kind == PER
                          and not _FROM_PLACE.search(text, max(0, d.start - 10), d.start)), key=lambda d: d.start)
        for name, nick in zip(persons, persons[1:]):
            # "per kristian eller pk som dæm kalle han": the name, then "or" the nickname.
            if (_OR_BETWEEN.fullmatch(text, name.end, nick.start) and _CALLED_BETWEEN.match(text, nick.end)
                    and " " not in normalise(nick.text) and normalise(nick.text) != normalise(name.text)):
                out.setdefault(normalise(nick.text), (normalise(name.text), doc))
        for name, nick in zip(persons, persons[1:]):
            # "han kaller pavel for pavlo eller pav": the name, "for", what he is called, and
            # "eller" another form of it
            if (_FOR_BETWEEN.fullmatch(text, name.end, nick.start)
                    and _CALLS_BEFORE.search(text, max(0, name.start - 12), name.start)
                    and " " not in normalise(nick.text) and normalise(nick.text) != normalise(name.text)):
                out.setdefault(normalise(nick.text), (normalise(name.text), doc))
                following = next((d for d in persons if d.start > nick.end), None)
                if (following is not None and _OR_ONLY_BETWEEN.fullmatch(text, nick.end, following.start)
                        and " " not in normalise(following.text)):
                    out.setdefault(normalise(following.text), (normalise(name.text), doc))
        for nick, name in zip(persons, persons[1:]):
            # "solla som vi kalle ho solbjørg hansen": the nickname first, then the name.
            if (_CALLED_BETWEEN.fullmatch(text, nick.end, name.start) and " " not in normalise(nick.text)
                    and normalise(nick.text) != normalise(name.text)):
                out.setdefault(normalise(nick.text), (normalise(name.text), doc))
        for name, nick in zip(persons, persons[1:]):
            between = text[name.end:nick.start]
            called = _CALLED_AS.search(text, max(0, nick.start - 30), nick.start)
            if "\n" in between or called is None:
                continue
            who = (called.group("who") or "").casefold()
            if who in ("meg", "mæ"):
                # "jeg heter Tor-Arne, men alle her kaller meg Toffen"
                if len(between) > 40 or not _NAMED_AS.search(text, max(0, name.start - 10), name.start):
                    continue
            elif len(between) > 200 or (who not in ("", "seg", "sæ") and not _agrees(name.text, who)):
                # "Det er Kari Håland. Vi kaller henne Kaja.": the person named last (no other
                # person between, a sentence or two before), of the pronoun's gender where the
                # given name tells it
                continue
            nick_form, name_form = normalise(nick.text), normalise(name.text)
            if " " not in nick_form and nick_form != name_form:
                out.setdefault(nick_form, (name_form, doc))
    return out


_COMPANY_FORM = re.compile(r"[ ]+(?:as|asa|ans|da|sa|ba|ks|enk|nuf)\Z")
_FROM_PLACE = re.compile(r"(?<![\w-])(?:fra|frå|på|i|ved)[ ]+\Z", re.IGNORECASE)
_PLACE_PREPOSITION = re.compile(r"(?<![\w-])(?:på|i|ved|utenfor|utanfor)[ ]+\Z", re.IGNORECASE)


def _place_here(det: Detection, text: str) -> bool:
    """A one-word mention that is no given name, right after "på", "i" or "ved" ("på moen")."""
    form = normalise(det.text)
    names = lexicon()
    return (" " not in form and form not in names.female and form not in names.male
            and _PLACE_PREPOSITION.search(text, max(0, det.start - 10), det.start) is not None)


def _agrees(name: str, pronoun: str) -> bool:
    """Whether a third-person pronoun may stand for the person named (by the given name's gender)."""
    gender = lexicon().gender(name.split()[0].casefold()) if name.split() else None
    return gender is None or (gender == "f") == (pronoun in _HER)


# Words that never stand right before a person's name: articles, neuter and quantifying words
# ("et helt nytt liv", "en line", "mye berg").  Not "lille", "gamle", "stakkars": they do.
NEVER_BEFORE_A_NAME = frozenset(
    "en ei et ett eit nytt nye eget eige sitt mitt ditt vårt hele heile helt heilt mye mykje litt noe noko "
    "mange godt stort fint hard hardt røff".split())
_WORD_BEFORE = re.compile(r"(?<![\w-])([^\W\d_]+)[ ]+\Z")


# Given names that are also nouns of time: after "i", "per", "hver" they are the time.
_TIME_NAMES = frozenset("dag mai vår".split())
# Fixed pairs a name-word opens ("liv og helse"): the word, not a person.
_BINOMIALS = {"liv": frozenset("helse lyst lære død røre".split()), "sol": frozenset("sommer regn vind varme".split()),
              "by": frozenset("land bygd".split()), "storm": frozenset("stille regn".split()),
              "dag": frozenset("natt".split()), "berg": frozenset("dal".split()), "stein": frozenset("grus".split())}
_SAID_AGAIN_BEFORE = re.compile(r"(?<![\w-])([^\W\d_]+)[ ]+(?:for|etter|på|til|og)[ ]+\Z", re.IGNORECASE)
_SUCH_A = re.compile(r"(?<![\w-])(?:en|ein|ei|et|eit|litt|noe|noko|ingen)[ ]+(?:sånn|slik|sånt|slikt)[ ]+\Z", re.IGNORECASE)
_LIKE_A_THING = re.compile(r"(?<![\w-])(?:hard|hardt|tung|tungt|kald|kaldt|fast|stiv|sterk|sterkt|rolig|stille)[ ]+som[ ]+\Z",
                           re.IGNORECASE)
# Words that make a name-word before them the ordinary word.
_PHRASES_AFTER = {"lie": frozenset("ned nede stille våken vaken sjuk syk".split()), "dag": frozenset("for etter".split()),
                  "stein": frozenset("på".split()), "storm": frozenset("i".split()), "sand": frozenset("og".split())}
_BINOMIAL = re.compile(r"[ ]+og[ ]+([^\W\d_]+)")
# Given names that are also prepositions: before a noun they are the preposition ("per uke").
PREPOSITION_NAMES = frozenset({"per"})
# Given names that are also determiners: before a noun they are the determiner ("å gje inga tid").
DETERMINER_NAMES = frozenset({"inga"})
# Weekdays shortened in a rota or a plan ("Tor. 07–15", "Fre 08:00"): Tor and Fre are no one.
_WEEKDAY_SHORT = frozenset("man tir tirs ons tor tors fre lør søn".split())
_WEEKDAY_AFTER = re.compile(r"\.?[ ]*(?:\d|[-–][ ]*\d|kl\b|fri\b)", re.IGNORECASE)
# What "per" is followed by as a preposition: "per i dag", "per nå", "per 1. mars", "per uke".
_PER_AS_WORD = re.compile(r"[ ]+(?:i[ ]+(?:dag|år|fjor|går|morgen)|nå|no|dags[ ]+dato|\d)", re.IGNORECASE)
_WORD_AFTER = re.compile(r"[ ]+([^\W\d_]+)")


def _a_word_here(det: Detection, text: str) -> bool:
    """A one-word person mention that is an ordinary word where it stands: right after a word no
    name follows ("et helt nytt liv" where Liv Berg is a participant); in lower case, the first
    part of a compound ("strand-promenaden"), or "per" or a possessive before a noun ("to timer
    per uke", "hans kone"), not before a verb ("per sa", "hans kom"); in typed text a possessive
    in lower case anywhere ("kona hans")."""
    if " " in det.text.strip() or det.detector == "manual":
        return False
    form = normalise(det.text)
    if (det.text[:1].isupper() and (form in POSSESSIVES or form in PREPOSITION_NAMES)
            and text[det.end:det.end + 1] not in ("'", "’") and not det.text.endswith(("'", "’"))  # "Hans' kone"
            and _OPENS_BEFORE.search(text, max(0, det.start - 6), det.start) is not None):
        # Typed text, a sentence's first word: "Hans oppgave er …" (his task), "Per i dag er
        # jeg …"; a verb after it makes it the name again ("Hans kom", "Per sa").
        after = _WORD_AFTER.match(text, det.end)
        if after is not None and (_noun_like(after.group(1).casefold())
                                  or (form == "per" and _PER_AS_WORD.match(text, det.end))):
            return True
    if form == "per" and det.text.islower() and _PER_AS_WORD.match(text, det.end):
        return True  # "det har vi jo alltid per i dag": as of today, in ASR text too
    if form in _WEEKDAY_SHORT and _WEEKDAY_AFTER.match(text, det.end):
        return True  # a rota: "- Tor. 07–15" is Thursday, not Tor
    if det.text.islower():
        if text[det.end:det.end + 1] == "-" and text[det.end + 1:det.end + 2].islower():
            return True
        if form in POSSESSIVES and det.text.strip() == form and not is_caseless(text):
            # In typed text the name is written with a capital: "kona hans" is his wife.
            return True
        after = _WORD_AFTER.match(text, det.end)
        if (after is not None and (form in POSSESSIVES or form in DETERMINER_NAMES
                                   or (form in PREPOSITION_NAMES and det.text.strip() == form))
                # (the name said again is no noun: "æ heite vår vår lie")
                and _noun_like(after.group(1).casefold()) and after.group(1).casefold() != form):
            return True
    if not (is_common_word(form) or form in LISTLESS_NOUNS):
        return False
    if form in _TIME_NAMES and a_time_word(text, det.start):
        return True  # "en time per dag", "startet i mai", "hver vår"
    pair = _BINOMIAL.match(text, det.end)
    if pair is not None and pair.group(1).casefold() in _BINOMIALS.get(form, ()):
        return True  # "liv og helse", "sol og sommer": a fixed pair of words
    if _SUCH_A.search(text, max(0, det.start - 20), det.start):
        return True  # "ein sånn dag", "litt sånn storm" (but "og sånn sol er den som": a filler)
    if form in WORD_NAMES and _LIKE_A_THING.search(text, max(0, det.start - 30), det.start):
        return True  # "hard som stein", "kald som is": a likeness, not a person
    again = _SAID_AGAIN_BEFORE.search(text, max(0, det.start - 30), det.start)
    if again is not None and again.group(1).casefold() == form:
        following = _WORD_AFTER.match(text, det.end)
        goes_on = following.group(1).casefold() if following is not None else ""
        # "dag for dag", "stein på stein": the second of a repeated word; but "kåre dal og dal han
        # e formann" is the surname said again, taken up by its pronoun or its verb
        if not (again.group(0).rstrip().casefold().endswith("og") and (goes_on in _EDGE_PRONOUNS or goes_on in FINITE_VERBS)):
            return True
    after = _WORD_AFTER.match(text, det.end)
    if after is not None and after.group(1).casefold() in _PHRASES_AFTER.get(form, ()):
        return True  # "lie ned", "dag for dag", "stein på stein", "storm i et vannglass"
    before = _WORD_BEFORE.search(text, max(0, det.start - 20), det.start)
    return before is not None and before.group(1).casefold() in NEVER_BEFORE_A_NAME


def _noun_like(word: str) -> bool:
    """An ordinary word that is no verb form and no function word: what a preposition or a
    possessive goes before."""
    # (nor a word the tagged corpus reads mostly as a finite verb or a participle: "per bytter
    # jobb", "og hans betalte", "det har vår hjelpt", testers' names left in clear)
    return ((is_common_word(word) or is_inflected_word(word)) and word not in FINITE_VERBS and word not in FUNCTION_WORDS
            and word not in SENTENCE_ADVERBS and word not in _NO_NOUN and word not in PRONOUNS
            and _word_classes().get(word) not in ("V", "F"))


# "for vår å komme inn", "at vår sjøl sa": the infinitive mark and "self" follow no possessive.
_NO_NOUN = frozenset("å sjøl selv sjølv sjæl sæl hvis viss om når fordi "
                     # an answer or a filler: "som heter hans ja hans er" (a tester's)
                     "ja jaa nei neida jada joda ok okei".split())


_Word = tuple[int, int, str]  # start and end within the detection's text, the word


def _words(det: Detection) -> list[_Word]:
    return [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", det.text)]


def _narrowed(det: Detection, words: Sequence[_Word]) -> Detection | None:
    """The detection cut down to ``words`` (a run of its own words); None if none is left."""
    if not words:
        return None
    start, end = det.start + words[0][0], det.start + words[-1][1]
    if (start, end) == (det.start, det.end):
        return det
    return det._replace(start=start, end=end, text=det.text[words[0][0]:words[-1][1]])


def _ends_sentence(word: str, following: str) -> bool:
    """A word that closes a sentence inside a detected span ("Kim." before "Det var ..."), as
    opposed to an initial ("H."), an abbreviation ("Dr.", "St.", "Chr. Michelsen").  Only an
    ordinary word after the full stop ("Det", "Og") shows that a new sentence began."""
    if word[-1:] not in ".!?" or not following[:1].isupper():
        return False
    if not is_common_word(following) or name_likelihood(following) >= 0.3:
        return False
    stem = word.rstrip(".!?")
    if not stem or "." in stem or stem.casefold() in TITLES or stem.casefold() in ABBREVIATIONS:
        return False
    return not (len(stem) == 1 or stem.isupper())


# How close a word the model put first in a name must sound to a given name ("snøre"/Snorre 72.7).
GIVEN_HEARD = 72.0


# Personal pronouns, the subject forms too: never the first or last word of a name in ASR text.
_EDGE_PRONOUNS = PRONOUNS | frozenset("han hun ho".split())


def _trim_span(det: Detection, caseless: bool) -> Detection | None:
    """Cut words off a detected name that are not part of it.

    - A sentence that ends inside the span ends the name: "Kim. Det" is Kim.
    - A person: lower-case words in properly written text ("Bjørn skjønner"), ordinary words
      in ASR text ("lo sara"), and a title before the name ("Dr. Holm"), which identifies
      nobody and reads better kept.
    - A place or workplace: function words at either end ("Sander av"); lower-case words
      inside stay ("Bakeriet på Torget") and so do words like "kommune" at the end.
    """
    if det.kind not in (PER, ORG, LOC) or " " not in det.text.strip() or det.detector in ("rules:spelled", "rules:vietnamese", "lexicon:announced", "lexicon:pieces"):
        return det  # a name spelled out letter by letter, or heard as pieces: every piece is the name's
    words = _words(det)
    for i in range(len(words) - 1):
        if _ends_sentence(words[i][2], words[i + 1][2]):
            start, _, word = words[i]
            words = words[:i] + [(start, start + len(word.rstrip(".!?")), word.rstrip(".!?"))]
            break

    def foreign(word: str) -> bool:
        if det.kind != PER:
            return word.casefold() in FUNCTION_WORDS
        if word.lower().rstrip(".") in TITLES:
            return True
        if word.casefold() in NOT_IDENTIFYING:
            return True  # "veilederen min på nav eva lind": the agency is no part of her name
        if word.rstrip(":").casefold() in HEADER_FIELDS:
            # A header flattened into one line ("Intervjuer: Magnus Vik Informant: Ahmad …
            # Sted: …"): a label is no part of a name, or every "Informant:" becomes a person.
            return True
        if caseless and word.casefold() in _EDGE_PRONOUNS:
            # "altså kari hu var liksom den første": a pronoun after a name is no surname, and
            # a bogus "Kari Hu" made every lone "kari" of the interview a person of its own.
            return True
        if caseless and is_public(word.casefold()) and word.casefold() not in lexicon().surnames:
            return True  # "fra polen kasia nowak": a country or large city is no part of a name
        if caseless and word.casefold() in DIALECT_WORDS | SPOKEN_VERBS:
            return True  # "marit sku", "per va": a spoken verb after a name ends it
        if caseless and (word.casefold() in NOT_NAMES or word.casefold() in NEVER_SURNAMES):
            return True  # "roy arne hehe", "sjæl stig rune": laughter and "himself" are no name's
        if caseless and _CLITIC.fullmatch(word.casefold()):
            return True  # "dilovan heter'n": a verb with the spoken "han" on it
        if caseless:
            # (or a verb's inflected form: "hans petter gjort han ringe")
            return ((is_common_word(word) or (is_inflected_word(word) and word.casefold().endswith(("t", "te", "de"))))
                    and name_likelihood(word) < 0.3 and not _given_before_name(word)
                    and word.casefold() not in lexicon().surnames and not _heard_given_name(word))
        return not word[:1].isupper()

    def _given_before_name(word: str) -> bool:
        # "hans olav syversen", "dag terje andersen": a given name that is also a word opens
        # the name when a name word follows it.
        names = lexicon()
        folded = word.casefold()
        if folded not in names.female and folded not in names.male:
            return False
        index = next((i for i, w in enumerate(words) if w[2] == word), -1)
        # (said twice before the surname: "æ heite vår vår lie")
        while 0 <= index < len(words) - 2 and words[index + 1][2].casefold() == folded:
            index += 1
        following = words[index + 1][2].casefold() if 0 <= index < len(words) - 1 else ""
        # (a word no list knows after it, where "heter" named it: "je heter hans grinaker")
        return bool(following) and (name_likelihood(following) >= 0.5 or following in names.surnames
                                    or (det.detector == "lexicon:role" and is_unknown_word(following)))

    def _heard_given_name(word: str) -> bool:
        # The model's own three-word name opening with a word heard in place of a given name
        # ("snøre serigstad valen", Snorre): the word is the given name, not the sentence's.
        return (det.detector == "ner" and len(words) >= 3 and word == words[0][2]
                and sounds_given(word.casefold(), cutoff=GIVEN_HEARD))

    while words and foreign(words[0][2]):
        words.pop(0)
    # "butikksjefen mona rasmussen": a role opening the span is no part of the name.
    if caseless and det.kind == PER and len(words) > 1 and words[0][2].casefold().endswith(ROLE_ENDINGS) \
            and words[0][2].casefold() not in lexicon().surnames and not _is_listed_given(words[0][2].casefold()):
        words.pop(0)
    # "fra kåfjord ailo": a place opening the span is no part of the name after it (a place at
    # the end may well be the surname: many are farm names).
    if (caseless and det.kind == PER and len(words) > 1 and words[0][2].casefold() in place_names()
            and not _is_listed_given(words[0][2].casefold())):
        words.pop(0)
    while words and foreign(words[-1][2]) and not _surname_after_given_names(words, caseless, det.detector):
        words.pop()
    # "rami mentoren": a role closing the span is no part of the name either (the model's "rami
    # mentoren" had made every lone "mentoren" of two testers' interviews Rami, by sound)
    if caseless and det.kind == PER and len(words) > 1 and words[-1][2].casefold().endswith(ROLE_ENDINGS) \
            and words[-1][2].casefold() not in lexicon().surnames and not _is_listed_given(words[-1][2].casefold()):
        words.pop()
    # "dagny e kjempeflink": the dialect's copula inside a person span ends the name before it.
    if caseless and det.kind == PER:
        cut = next((i for i in range(1, len(words) - 1) if words[i][2].casefold() in _SPAN_VERBS), None)
        if cut is not None:
            words = words[:cut]
    # A definite noun opening a capitalised "person" names a workplace ("Nærbutikken Eikås",
    # "Bakeriet Holm"); any other ordinary word opening it is the sentence's, not the name's:
    # "Hei Marit", "Lille Emma", "Kjære Ola".
    if det.kind == PER and not caseless and len(words) > 1 and words[0][2][:1].isupper() \
            and _not_a_name_word(words[0][2]) and words[0][2].casefold().endswith(DEFINITE_ENDINGS) \
            and len(words[0][2]) > 5 and det.detector in ("ner", "lexicon"):
        return _narrowed(det, words)._replace(kind=ORG) if _narrowed(det, words) else None
    while det.kind == PER and not caseless and len(words) > 1 and _ordinary_not_name(words[0][2]):
        words.pop(0)
    return _narrowed(det, words)


# Verbs that end a name when the model runs a span over them ("bente e sykepleier").
_SPAN_VERBS = SPOKEN_VERBS | frozenset("er var æ ær".split())
# Adverbs of place and manner that follow a name in a clause and are no surname.
NEVER_SURNAMES = frozenset("hjem heim hjemme heime ut inn opp ned fram frem tilbake igjen att "
                            "direkte straks sjøl selv sjølv sjæl sæl alene aleine også "
                            # words of degree before an adjective: "sjefen bjørn tore veldig flink"
                            # made "veldig" a surname masked seventeen times (a tester's), "storm mest"
                            "veldig ganske svært skikkelig utrolig fryktelig kjempe altfor mest mer meir litt "
                            "mye mykje helt heilt "
                            # people in general, before what they think: "av semhar folk tror det
                            # hele tida" made "folk" her surname, masked in four interviews
                            "folk folka mange alle andre fleire flere begge ingen nokon noen "
                            # a subjunction opens a clause: "helsing til ingebjørg viss du møter ho"
                            "viss hvis dersom fordi mens medan".split())


def _surname_after_given_names(words: Sequence[_Word], caseless: bool, detector: str) -> bool:
    """The model's last word after given names only is the surname, even if it is also a word:
    "bjørn arild gram", "anne tingelstad veien" (a name needs its surname); so is the word after
    a given name said after "heter" where the introduction goes on ("eg heiter oddvar vie og")."""
    if not caseless or detector not in ("ner", "lexicon:heter", "lexicon:surname-clause") \
            or len(words) < (3 if detector == "ner" else 2):
        return False
    last = words[-1][2].casefold()
    if (last in NEVER_SURNAMES or last in SENTENCE_ADVERBS or last in FUNCTION_WORDS or last in NOT_NAMES
            or last in SPOKEN_VERBS or len(last) < 2 or _CLITIC.fullmatch(last)
            or (is_finite_verb(last) and last not in lexicon().surnames)
            or (_PARTICIPLE.fullmatch(last) and is_inflected_word(last) and last not in lexicon().surnames)):
        # "kjørte per erik hjem", "ringe bjørn direkte", "roy arne hehe", "det har hans petter
        # gjort": the clause goes on
        return False
    names = lexicon()
    return all(w[2].casefold() in names.female or w[2].casefold() in names.male for w in words[:-1][:2])


def _bridged(dets: list[Detection], text: str, caseless: bool) -> list[Detection]:
    """In caseless text, a given name and a surname with one word between them are one name:
    the word is a middle name the lists do not know as one ("helge andre njåstad").  In cased
    text, two capitalised person spans one space apart are one name the model cut in two
    ("Anders B." and "Molander")."""
    if len(dets) < 2:
        return dets
    if not caseless:
        return _joined(dets, text)
    names = lexicon()
    out: list[Detection] = []
    for det in sorted(dets, key=lambda d: d.start):
        previous = out[-1] if out else None
        if previous is not None and previous.kind == PER and det.kind == PER:
            gap = text[previous.end:det.start]
            middle = gap.strip()
            last = previous.text.split()[-1].casefold() if previous.text.split() else ""
            first = det.text.split()[0].casefold() if det.text.split() else ""
            if (gap.count(" ") == 2 and middle.isalpha() and len(middle) <= 8 and "\n" not in gap
                    and middle.casefold() not in FUNCTION_WORDS and middle.casefold() not in BRIDGE_STOP
                    and middle.casefold() not in _FILLERS
                    and (last in names.female or last in names.male)
                    and first not in names.female and first not in names.male):
                out[-1] = previous._replace(end=det.end, text=text[previous.start:det.end],
                                            score=max(previous.score, det.score))
                continue
            if (gap == " " and (last in names.female or last in names.male) and len(det.text.split()) == 1
                    and first not in names.female and first not in names.male and first not in _FILLERS
                    and first not in PRONOUNS and previous.text.casefold().split()[-1] != first):
                # "kjell arne" and "strand" found apart, side by side: one name
                out[-1] = previous._replace(end=det.end, text=text[previous.start:det.end],
                                            score=max(previous.score, det.score))
                continue
            given = previous.text.casefold().split()
            if (gap == " " and len(given) == 1 and len(det.text.split()) == 1 and first != given[0]
                    and _one_gender(given[0], first) and not _LIST_GOES_ON.match(text, det.end)):
                # "pål" and "arne" found apart: a double given name ("hans petter" and "mai
                # linn", side by side in a list of people, are two: not of one gender)
                out[-1] = previous._replace(end=det.end, text=text[previous.start:det.end],
                                            score=max(previous.score, det.score))
                continue
        out.append(det)
    return out


# Particles of surnames ("Jan Erik van der Berg", "Maria de la Cruz", "Omar bin Laden"): a name
# runs on over them; at a sentence start the first is capitalised ("Van der Berg har vært her").
_PARTICLES = r"(?:van|von|der|den|de|da|di|du|del|della|la|le|ter|ten|al|el|bin|ibn|af|zu)"
_BETWEEN_PARTICLES = re.compile(r"[ ](?:" + _PARTICLES + r"[ ])+\Z")
_PARTICLES_BEFORE = re.compile(r"(?:^|(?<=[\s(«\"]))(" + _PARTICLES + r"(?:[ ]" + _PARTICLES + r")+)[ ]\Z",
                               re.IGNORECASE)


def _initials_of(a: str, b: str) -> bool:
    """One full name writes some of the other's given names as initials: "k. lund" of "kasper
    lund", "yonas t. gebremedhin" of "yonas tesfamariam gebremedhin" (normalised forms; the
    surname written out in both)."""
    x, y = a.split(), b.split()
    if len(x) != len(y) or x[-1] != y[-1] or x == y:
        return False
    initial = False
    for p, q in zip(x[:-1], y[:-1]):
        if p == q:
            continue
        short, full = sorted((p, q), key=len)
        if len(short.rstrip(".")) != 1 or len(full) < 2 or not full.startswith(short.rstrip(".")):
            return False
        initial = True
    return initial


def _particle_tail(a: str, b: str) -> bool:
    """One full name is the other's surname with its particles: "van der berg" of "jan erik van
    der berg" (normalised forms)."""
    short, long = sorted((a, b), key=len)
    return (short != long and long.endswith(" " + short) and len(short.split()) >= 2
            and re.fullmatch(_PARTICLES, short.split()[0]) is not None)


def _joined(dets: list[Detection], text: str) -> list[Detection]:
    out: list[Detection] = []
    for det in sorted(dets, key=lambda d: d.start):
        previous = out[-1] if out else None
        if det.kind == PER and det.text[:1].isupper():
            # "Van der Berg": capitalised particles right before a surname belong to it.
            before = _PARTICLES_BEFORE.search(text, max(0, det.start - 20), det.start)
            if (before is not None and before.group(1)[:1].isupper()
                    and (previous is None or previous.end <= before.start())):
                det = det._replace(start=before.start(), text=text[before.start():det.end])
        if (previous is not None and previous.kind == PER and det.kind == PER
                and (text[previous.end:det.start] == " " or _BETWEEN_PARTICLES.fullmatch(text[previous.end:det.start]))
                and previous.text[:1].isupper() and det.text[:1].isupper()):
            out[-1] = previous._replace(end=det.end, text=text[previous.start:det.end],
                                        score=max(previous.score, det.score))
            continue
        out.append(det)
    return out


def _firm_names(dets: list[Detection], text: str) -> list[Detection]:
    """"Øya Sag og Høvleri", "Sørvik Bil og Dekk": a lone capitalised word after a workplace and
    "og" that no name list knows continues the workplace's name; it is not a person.

    The workplace need not have been found: capitalised words before the "og", no person's, the
    last of them no name a list knows ("Øya Sag", "Sørvik Bil") are a firm's name."""
    out: list[Detection] = []
    for det in sorted(dets, key=lambda d: d.start):
        previous = out[-1] if out else None
        lone = det.kind == PER and " " not in det.text and det.text[:1].isupper() and _not_a_name_word(det.text)
        if (lone and previous is not None and previous.kind == ORG
                and text[previous.end:det.start] == " og "):
            out[-1] = previous._replace(end=det.end, text=text[previous.start:det.end])
            continue
        firm = _FIRM_BEFORE_AND.search(text, max(0, det.start - 60), det.start) if lone else None
        if (firm is not None and _firm_words(firm.group(1).split())
                and not any(d.kind == PER and d.start < firm.end(1) and firm.start(1) < d.end for d in dets)):
            start = firm.start(1)
            out.append(det._replace(kind=ORG, start=start, text=text[start:det.end]))
            continue
        out.append(det)
    return out


def _firm_words(words: Sequence[str]) -> bool:
    """Capitalised words before "og" that read as a firm's name: no given name first (that is a
    person: "Kari Grøtting og Åmland"), the last word no name any list knows."""
    names = lexicon()
    first = words[0].casefold()
    return (first not in names.female and first not in names.male and _not_a_name_word(words[-1])
            and words[-1].casefold() not in FUNCTION_WORDS)


# Capitalised words, the last one not the first of its sentence, then " og " ("Øya Sag og ").
_FIRM_BEFORE_AND = re.compile(
    r"(?:^|(?<=[\s(«\"]))((?:[A-ZÆØÅ][^\W\d_]+[ ])+?([A-ZÆØÅ][^\W\d_]+))[ ]og[ ]\Z")


# Words that end one name and begin no other (a middle name is none of these).
BRIDGE_STOP = frozenset("sa sier seier og eller men fra frå til med hos ved var er har hadde kom ble vart skal vil "
                        "kan må ringte spurte svarte mente meinte takk president".split())


def _ordinary_not_name(word: str) -> bool:
    """An ordinary word that no name list knows as a name ("hei", "lille", "kjære", "mekaniske")."""
    folded = word.casefold().rstrip(".,:;!?")
    if not is_common_word(folded) or name_likelihood(folded) >= 0.3:
        return False
    names = lexicon()
    return folded not in names.female and folded not in names.male and folded not in names.surnames


DEFINITE_ENDINGS = ("en", "et", "a", "ene", "ane")
def _not_a_name_word(word: str) -> bool:
    """An ordinary word, or an unknown word, that no name list knows."""
    folded = word.casefold().rstrip(".,:;!?")
    names = lexicon()
    return (name_likelihood(folded) < 0.3 and folded not in names.female and folded not in names.male
            and folded not in names.surnames)


# Words that open the name of a place, not of a person ("Nordre Lia", "Lille Eikås").
PLACE_QUALIFIERS = frozenset(
    "nordre søndre øvre nedre vestre østre indre ytre midtre store lille gamle nye".split())


def _workplace_shape(det: Detection, caseless: bool) -> Detection:
    """A capitalised "person" of several words that ends in an ordinary word ("Holmvika Trelast",
    "Berg Mekaniske", "Sørvik Bil") or opens with a place qualifier ("Nordre Lia") is a workplace
    or a place: a person's name ends in a name."""
    if det.kind != PER or det.detector not in ("ner", "lexicon") or " " not in det.text.strip():
        return det
    words = det.text.split()
    if caseless:
        # In ASR text the trade or the institution tells it: "meldal trevare", "skogly sykehjem".
        from codebench.anonymise.gazetteer import FIRM_TRADES, INSTITUTIONS

        names = lexicon()
        last, first = words[-1].casefold(), words[0].casefold()
        if (last in FIRM_TRADES or last in INSTITUTIONS) and first not in names.female and first not in names.male:
            return det._replace(kind=ORG)
        return det
    if words[0].casefold() in PLACE_QUALIFIERS:
        return det._replace(kind=LOC)
    names = lexicon()
    first = words[0].casefold()
    if words[-1][:1].isupper() and _ordinary_not_name(words[-1]) and first not in names.female \
            and first not in names.male:
        return det._replace(kind=ORG)
    return det


def _as_voted(det: Detection, votes: Mapping[str, Counter[str]], caseless: bool) -> Detection:
    """A model detection read against what the project calls the same words elsewhere."""
    if det.detector != "ner":
        return det
    if det.kind in (ORG, LOC):
        return _majority_kind(det, votes)
    if det.kind == PER and caseless:
        return _without_place_words(det, votes)
    return det


def _majority_kind(det: Detection, votes: Mapping[str, Counter[str]]) -> Detection:
    """A place or workplace the project calls the other kind more often takes that kind, so
    "Sørvik Bil" gets one pseudonym, not a workplace one here and a place one there."""
    vote = votes.get(normalise(det.text))
    other = LOC if det.kind == ORG else ORG
    return det._replace(kind=other) if vote is not None and vote[other] > vote[det.kind] else det


def _without_place_words(det: Detection, votes: Mapping[str, Counter[str]]) -> Detection:
    """A person's name in caseless (ASR) text without the place the model ran into it.

    With no capitals to tell where a name ends, a word at either end that the project calls a
    place or workplace again and again, and never a person, is that place: "sørvik hannes" is
    the place Sørvik and Hanne.  Only caseless text: in written text a run of capitalised words
    is trusted.  A lone word is left alone: the model calling "Elsa" a workplace three times is
    a repeated mistake.
    """
    words = _words(det)
    while len(words) > 1 and _is_place_word(normalise(words[0][2]), votes):
        words.pop(0)
    while len(words) > 1 and _is_place_word(normalise(words[-1][2]), votes):
        words.pop()
    return _narrowed(det, words) or det


def _is_place_word(form: str, votes: Mapping[str, Counter[str]]) -> bool:
    """One word the project calls a place or workplace at least three times and never a
    person, and which is neither a given name nor mostly a name."""
    vote = votes.get(form)
    if vote is None or vote[PER] or vote[LOC] + vote[ORG] < 3:
        return False
    names = lexicon()
    return form not in names.female and form not in names.male and name_likelihood(form) < 0.5


def _place_forms(resolved: Mapping[Hashable, Sequence[Detection]], votes: Mapping[str, Counter[str]]) -> set[str]:
    """Single words the project calls places: participants' sites (detector "known-place"), and
    words the model calls a place or workplace at least three times and more than twice as often
    as a person, when the name lists do not know them as given names or names."""
    sites = {normalise(d.text) for dets in resolved.values() for d in dets if d.detector == "known-place"}
    # The place of a NAV office ("nav sørvik" → "sørvik"), unless the name lists know it as a name.
    names = lexicon()
    sites |= {form for dets in resolved.values() for d in dets if d.kind == NAV_OFFICE
              for form in [" ".join(normalise(d.text).split()[1:])]
              if form and " " not in form and form not in names.female and form not in names.male
              and name_likelihood(form) < 0.5}
    forms = set(sites) | {form for form in votes if " " not in form and is_public(form)}
    # The surname of someone the project names in full is that person's ("Ove Kjell Hole" and
    # then "Hole sier …"), even where the model calls the same word a place elsewhere.
    surnames = {form.split()[-1] for dets in resolved.values() for d in dets if d.kind == PER
                for form in [normalise(d.text)] if " " in form}
    # A firm named after its place ("Sørvik Bil", "Holmvika Trelast"): the first word is the
    # place, unless the name lists know it as a person's name.
    for form, vote in votes.items():
        words = form.split()
        if len(words) == 2 and vote[ORG] > vote[PER] and _not_a_name_word(words[0]) and is_common_word(words[1]):
            forms.add(words[0])
    for form, vote in votes.items():
        if " " in form or form in names.female or form in names.male or name_likelihood(form) >= 0.5:
            continue
        if vote[LOC] + vote[ORG] >= 3 and vote[LOC] + vote[ORG] > 2 * vote[PER] and form not in surnames:
            forms.add(form)
    return forms


def _as_place(det: Detection, places: set[str], caseless: bool = False) -> Detection:
    """A person detection of a place's name made a place, or a workplace when the place opens a
    longer name ("Sørvik Bil", "Holmvika Trelast")."""
    if det.kind != PER or det.detector in ("manual", "known-name"):
        return det
    words = normalise(det.text).split()
    if not words or words[0] not in places and words[-1] not in places:
        return det
    if len(words) == 1:
        return det._replace(kind=LOC)
    names = lexicon()
    rest = words[1:] if words[0] in places else words[:-1]
    if any(g in names.female or g in names.male for w in rest for g in (w, w[:-1] if w.endswith("s") else w)):
        if not caseless or words[0] not in places:
            # "Ove Kjell Hole", "kari sørvik": a given name and then a place's name is a person
            # whose surname is the place's (a common thing in Norway).
            return det
        # "sørvik hannes" in caseless text is the place Sørvik and Hanne: the person keeps
        # her words, the place is left to its own detection.
        pieces = _words(det)
        return _narrowed(det, pieces[1:] if words[0] in places else pieces[:-1]) or det
    return det._replace(kind=ORG)


def _split_name_pairs(resolved: Mapping[Hashable, Sequence[Detection]], texts: Mapping[Hashable, str] | None = None
                      ) -> dict[Hashable, list[Detection]]:
    """Two people the model ran together ("spurte Liv Stian rett der"): a two-word name seen
    once in the corpus, made of two given names, one of which belongs to another full name
    elsewhere, is two mentions. Double given names ("Per Fredrik") recur and stay whole."""
    names = lexicon()
    given = names.female | names.male
    counts: Counter[str] = Counter()
    for dets in resolved.values():
        counts.update(normalise(d.text) for d in dets if d.kind == PER)
    firsts = Counter(f.split()[0] for f in counts if " " in f)
    # "Per Olav" where "Per Olav Bakke" is known: the start of one person's name, not two people.
    starts = {" ".join(f.split()[:2]) for f in counts if len(f.split()) >= 3}
    out: dict[Hashable, list[Detection]] = {}
    for doc, dets in resolved.items():
        kept: list[Detection] = []
        for det in dets:
            words = normalise(det.text).split()
            pieces = list(re.finditer(r"\S+", det.text))
            if (det.kind == PER and len(words) == 2 and len(pieces) == 2 and counts[" ".join(words)] == 1
                    and all(w in given for w in words) and (firsts[words[0]] > 1 or firsts[words[1]] > 0)
                    and " ".join(words) not in starts
                    # "han heitte Tor Inge": what a person is called is one name
                    and not _NAMED_AS.search((texts or {}).get(doc, ""), max(0, det.start - 10), det.start)):
                for piece in pieces:
                    kept.append(det._replace(start=det.start + piece.start(), end=det.start + piece.end(),
                                             text=piece.group()))
            else:
                kept.append(det)
        out[doc] = kept
    return out


_POSSESSIVE_START = re.compile(r"([^\W\d_]{3,})s(?=[ ][a-zæøå]|$)")


def _possessive_person(det: Detection, person_forms: set[str]) -> Detection:
    """A place or workplace the model read into a known person's possessive is that person:
    "Gregs" alone, or "Kjetils poeng" (the person and a noun), where Greg and Kjetil are persons
    elsewhere.  The person keeps the -s, as every possessive mention does."""
    if det.kind not in (ORG, LOC) or det.detector != "ner" or not det.text[:1].isupper():
        return det
    match = _POSSESSIVE_START.match(det.text)
    if match is None or match.group(1).casefold() not in person_forms:
        return det
    end = det.start + match.end()
    return det._replace(kind=PER, end=end, text=det.text[:match.end()])


def _is_person_name(surface: str, person_forms: set[str]) -> bool:
    """An ORG/LOC detection that is really a person: the same words were a person elsewhere,
    a full name starting with a known given name, or a lone well-known given name."""
    form = normalise(surface)
    words = form.split()
    if form in person_forms and all(w in person_forms for w in words):
        return True
    if len(words) >= 2 and words[0] in person_forms and surface.split()[-1][:1].isupper():
        names = lexicon()
        # A given name the lists know, or one the project found as a person on its own, before
        # a surname that is no ordinary word ("Mulugeta Haile"; not "Haugen Mekaniske").
        return (words[0] in names.female or words[0] in names.male
                or (words[0] not in names.surnames and not is_common_word(words[0])
                    and not any(is_common_word(w) or w in LISTLESS_NOUNS for w in words[1:])))
    if len(words) == 1:
        names = lexicon()
        return (form in names.female or form in names.male) and not is_common_word(form)
    return False


def _kind_votes(resolved: Mapping[Hashable, Sequence[Detection]]) -> dict[str, Counter[str]]:
    """How often each normalised form was detected as a person and as a place or workplace."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for dets in resolved.values():
        for det in dets:
            if det.kind in (PER, ORG, LOC):
                votes[normalise(det.text)][det.kind] += 1
    return votes


def _mostly_not_person(form: str, votes: Mapping[str, Counter[str]]) -> bool:
    """A name of several words called a place or workplace at least twice and more often than a
    person.  A single word is left to the other evidence: the model calling "Elsa" an ORG again
    and again is a repeated mistake, while a given name opening a place's name is not a person."""
    vote = votes.get(form)
    return (vote is not None and " " in form and vote[ORG] + vote[LOC] >= 2
            and vote[ORG] + vote[LOC] > vote[PER])


_VOICING = ({"d", "t"}, {"g", "k"}, {"b", "p"})


def _voicing_variant(a: str, b: str) -> bool:
    """Two spellings of one name that differ only in a voiced or voiceless last letter, as names
    are heard and written ("Ahmed"/"Ahmet", "Sigrid"/"Sigrit")."""
    return (len(a) == len(b) >= 4 and a[:-1] == b[:-1] and a[-1] != b[-1]
            and any({a[-1], b[-1]} == pair for pair in _VOICING))


@lru_cache(maxsize=262144)
def _same_full_name(a: str, b: str, fuzzy: float) -> bool:
    """Two full-name spellings of one person: close spelling with the same initial, or one is
    contained in the other word for word ("per fredrik" in "per fredrik nilsen"; "tor arne" as
    ASR hears "Tor-Arne Bakke")."""
    if fuzz.ratio(a, b) >= fuzzy and a.split()[0][:1] == b.split()[0][:1] and _surnames_agree(a, b):
        return True
    # A foreign name written as it sounds in Norwegian ("tomas kovalsjik" for Tomasz Kowalczyk,
    # "jonas tesfai" for Yonas Tesfay): the same name once spelling is taken out.
    if len(a.split()) == len(b.split()) >= 2:
        ka, kb = sound_key(a), sound_key(b)
        if ka.split()[0][:1] == kb.split()[0][:1] and fuzz.ratio(ka, kb) >= fuzzy and _surnames_agree(ka, kb):
            return True
    if "-" in a or "-" in b:
        a, b = a.replace("-", " "), b.replace("-", " ")
    short, long = sorted((a.split(), b.split()), key=len)
    # From the start only: "arne moen" inside "kjell arne moen" is the father, not the son.
    return len(short) >= 2 and long[:len(short)] == short


# Two surnames this unlike are two families, however alike the whole names are ("synnøve lid"
# and "synnøve eide" had one pseudonym: a long shared given name outweighed the short surnames).
SURNAME_MATCH = 70.0


def _surnames_agree(a: str, b: str) -> bool:
    """The last words of two full names are one surname, spelt or heard differently."""
    wa, wb = a.split(), b.split()
    if len(wa) < 2 or len(wb) < 2 or wa[-1] == wb[-1]:
        return True
    return fuzz.ratio(wa[-1], wb[-1]) >= SURNAME_MATCH


_SOUNDS = (("sch", "sj"), ("sh", "sj"), ("cz", "tsj"), ("ch", "tsj"), ("tch", "tsj"), ("ck", "k"), ("ph", "f"),
           ("th", "t"), ("qu", "kv"), ("w", "v"), ("z", "s"),
           # before e and i a c is heard as s ("maricel" is "mari sel", "cecilie" "sesilie")
           ("ce", "se"), ("ci", "si"), ("cy", "si"), ("c", "k"), ("x", "ks"), ("y", "i"), ("j", "i"),
           # (an "å" is heard as the "o" before a consonant pair: "råjda" was a tester's Rojda)
           ("aa", "å"), ("å", "o"), ("ay", "ai"), ("ei", "ai"), ("ie", "i"),
           # Finnish, Kven and Sámi letters as Norwegian ears (and ASR) write them: "hämäläinen"
           # is heard "hemelainen", "ánte" "ante"
           ("ä", "e"), ("ö", "ø"), ("ü", "i"), ("á", "a"), ("č", "tsj"), ("š", "sj"), ("đ", "d"), ("ŧ", "t"))


@lru_cache(maxsize=65536)
def sound_key(form: str) -> str:
    """A name as Norwegian ears hear it: spellings of one sound made one ("w" and "v", "z" and
    "s", "cz" and "tsj", "y" and "j" and "i"), doubled letters single."""
    key = form
    for written, heard in _SOUNDS:
        key = key.replace(written, heard)
    return re.sub(r"(\w)\1+", r"\1", key)


def _person_forms(resolved: Mapping[Hashable, Sequence[Detection]]) -> set[str]:
    """Every person-name word and full name the detectors saw."""
    forms: set[str] = set()
    for dets in resolved.values():
        for det in dets:
            if det.kind == PER:
                form = normalise(det.text)
                forms.add(form)
                forms.update(form.split())
    return forms


def _number_key(form: str) -> str:
    digits = re.sub(r"\D", "", form)
    return digits[-8:] if len(digits) >= 8 and "@" not in form else form


def _propagate(
    texts: Mapping[Hashable, str],
    resolved: Mapping[Hashable, Sequence[Detection]],
    clusters: list[Cluster],
    elsewhere: tuple[Callable[[str, Hashable], Cluster], Callable[[Hashable], Hashable]] | None = None,
) -> None:
    """Find every further occurrence of every cluster's forms in every document.

    ``elsewhere`` (independent informants): the person a lone form stands for in a document
    whose series names no person of that form, and the series of a document.
    """
    in_doc: dict[Hashable, set[int]] = defaultdict(set)
    sure_here: dict[Hashable, set[int]] = defaultdict(set)  # persons --auto takes in the document
    for cluster in clusters:
        for doc, det in cluster.mentions:
            in_doc[doc].add(id(cluster))
            if det.score >= SEED_THRESHOLD:
                sure_here[doc].add(id(cluster))
    in_scope: dict[Hashable, set[int]] = defaultdict(set)
    if elsewhere is not None:
        for doc, ids in in_doc.items():
            in_scope[elsewhere[1](doc)] |= ids
    # Only entities with some corroboration are searched for everywhere: one weak model guess
    # ("Mhm") must not turn into fifty suggestions.
    sources = [c for c in clusters if _corroborated(c)]
    owners: dict[str, list[Cluster]] = defaultdict(list)
    for cluster in sources:
        if cluster.kind not in (PER, *NAME_KINDS):
            continue
        for form in cluster.forms:
            if len(form) < 2 or form in NOT_IDENTIFYING:
                continue
            if cluster.kind != PER and " " not in form and is_common_word(form):
                continue  # a place or workplace called "Det" by mistake must not spread
            owners[form].append(cluster)
    # A full name's surname that is also a word ("bakke", "berg") is searched for too, but taken
    # only where a clause makes it the subject ("ja bakke ringer"): a bare noun is seldom one.
    subject_only: set[str] = set()
    capitalised_only: set[str] = set()
    names = lexicon()
    for cluster in sources:
        if cluster.kind != PER:
            continue
        for full in cluster.full_forms:
            surname = full.split()[-1]
            # Only a surname that is also a word: one that is no word is found by the detectors.
            if ((is_common_word(surname) or surname in LISTLESS_NOUNS)
                    # (never a question or function word: "ngujen ti hva" made every "hva" Hoa)
                    and surname not in NOT_NAMES and surname not in FUNCTION_WORDS and surname not in PRONOUNS
                    and surname not in _not_after_heter()
                    and len(surname) >= 3 and surname not in cluster.forms and surname not in owners
                    and surname not in names.female and surname not in names.male and surname not in NOT_IDENTIFYING):
                owners[surname].append(cluster)
                subject_only.add(surname)
            elif (len(surname) >= 3 and not is_common_word(surname) and surname not in LISTLESS_NOUNS
                  and surname not in names.female and surname not in names.male and surname not in NOT_IDENTIFYING
                  and not is_public(surname) and (surname not in owners or surname in capitalised_only)):
                # A surname that is no word is the person's alone; in typed text the detectors do
                # not always find it alone ("Brattli-kontoret": the model reads one word), so it
                # spreads there, capitalised.  Not in ASR text: there a "full name" the detectors
                # made up ends in words the word list lacks ("sykehusa", "permitert").
                owners[surname].append(cluster)
                capitalised_only.add(surname)
    # In ASR text a full name's given name or surname that is no ordinary word ("rasha" of Rasha
    # Haddad, "kazlauskiene") is searched for alone in the documents that name the person: the
    # detectors find the full name and leave the lone words said a line later (a tester found
    # three "rasha" in clear beside a masked "rasha haddad"). Only there: elsewhere a foreign
    # given name may be someone else's.
    from codebench.anonymise.residual import _unlike_words

    local_parts: dict[str, list[Cluster]] = defaultdict(list)
    word_given: set[str] = set()
    sure_fulls = {normalise(det.text) for cluster in sources if cluster.kind == PER
                  for _, det in cluster.mentions if det.score >= 0.7 and " " in normalise(det.text)}
    org_heads: set[str] = set()
    for cluster in sources:
        if cluster.kind != PER:
            continue
        # What the text says a named person is called ("kjell storm … alle kaller han stormen") is
        # that person in the documents that name them, a word or not; a word only where the
        # sentence reads a person ("nu stormen har tatt han med", not "storm og snøfokk").
        for _, det in cluster.mentions:
            form = normalise(det.text)
            if (det.detector == "lexicon:called" and cluster.full_forms and " " not in form and len(form) >= 3
                    and (form not in owners or form in capitalised_only) and form not in NOT_IDENTIFYING
                    and form not in NOT_NAMES and cluster not in local_parts[form]):
                local_parts[form].append(cluster)
                if is_common_word(form) or form in LISTLESS_NOUNS or form in POSSESSIVES:
                    word_given.add(form)
        for full in cluster.full_forms:
            first, last = full.split()[0], full.split()[-1]
            # Two given names said as one ("annelise" of Anne Lise Moen, "dag-inge" of Dag Inge
            # Brattli) in the documents that name the person.
            for run in (*_given_names_run_together(full), *_inner_parts(full)):
                if run not in owners and not is_common_word(run) and cluster not in local_parts[run]:
                    local_parts[run].append(cluster)
            # A surname unlike any ordinary word vouches for the given name before it ("rasha
            # haddad": "rasha" alone sits near "rask", "haddad" near nothing).
            foreign = (last not in names.surnames and (_unlike_words(last) >= 0.75 or last.endswith(FOREIGN_SURNAME_ENDINGS))
                       and not is_common_word(last) and len(last) >= 4)
            # A given name that is also a word ("vår" of Vår Strand, "per" of Per Dal) is taken
            # alone where the person is named and the sentence reads it as a person: "takk skal du
            # ha vår", "per sa at" (not "i vår", "per uke").
            if (first != last and (first in names.female or first in names.male) and first not in owners
                    and (is_common_word(first) or first in POSSESSIVES or first in PREPOSITION_NAMES
                         or first in LISTLESS_NOUNS)  # "tone" of Tone Gundersen: a noun no list holds
                    and first not in NOT_IDENTIFYING and cluster not in local_parts[first]):
                local_parts[first].append(cluster)
                word_given.add(first)
            # A Vietnamese name is said by its last word ("lan" of Nguyen Thi Lan, "hang" of Pham
            # Thu Hang): a tester found six "lan" in clear beside the masked full name.
            # ... and by the family name alone, in any spelling the lists give it ("fam" of Pham Van
            # Tuan: a tester's "og fam tok resten" was left)
            family = full.split()[0]
            if family in VIETNAMESE_SURNAMES and len(full.split()) >= 3:
                for spelling in {w for w in VIETNAMESE_SURNAMES if sound_key(w) == sound_key(family)} | {family}:
                    if (len(spelling) >= 3 and spelling not in owners and spelling not in NOT_NAMES
                            and spelling not in FUNCTION_WORDS and not is_common_word(spelling)
                            and cluster not in local_parts[spelling]):
                        local_parts[spelling].append(cluster)
            called = last if any(w in VIETNAMESE_SURNAMES for w in full.split()[:-1]) else None
            if called and len(called) >= 3 and (called not in owners or called in capitalised_only) \
                    and called not in NOT_IDENTIFYING and called not in NOT_NAMES and called not in FUNCTION_WORDS \
                    and cluster not in local_parts[called]:
                local_parts[called].append(cluster)
                if is_common_word(called) or called in LISTLESS_NOUNS:
                    word_given.add(called)  # "hang", "min": only where the sentence reads a person
            for part in {first, last}:
                # (a three-letter surname of a name a detector was sure of too: "aga var redd" of
                # Sjur Aga, a tester's, left beside the masked full name)
                if (len(part) >= (3 if part == last and full in sure_fulls else 4) and (part not in owners or part in capitalised_only) and part not in NOT_NAMES
                        and part not in NEVER_SURNAMES and not is_common_word(part) and not is_inflected_word(part)
                        and part not in LISTLESS_NOUNS and part not in NOT_IDENTIFYING and not is_public(part)
                        and cluster not in local_parts[part]
                        # a listed name, or a word unlike any ordinary word (not a dialect or
                        # nynorsk form of one: "eineste", "eigare" in names the detectors made up)
                        and (part in names.female or part in names.male or part in names.surnames
                             or _unlike_words(part) >= 0.75 or (part == first and foreign)
                             # a listed surname vouches for the given name before it too
                             # ("semhar tekle", "idil farah": five "semhar" left beside them)
                             or (part == first and last in names.surnames and last != first)
                             # and a listed given name vouches for the surname after it, in a name
                             # a detector was sure of ("paula sotto", "kaled hamvi": "kjempeflink
                             # sotto har jobbet" was left)
                             or (part == last and last != first and full in sure_fulls
                                 and (first in names.female or first in names.male or name_likelihood(first) >= 0.5)))):
                    local_parts[part].append(cluster)
    # A lone name found once by a rule that reads the sentence ("kona hans rojda", "sol ho tok
    # over") is searched for again in its own document, though nothing corroborates it enough to
    # spread further: a tester found "og rojda kona til rahim" in clear two lines after the
    # masked "rojda". Only a word no ordinary word is (or a listed given name the sentence must
    # read as a person, as above): one weak guess must not mask a word fifty times.
    for cluster in clusters:
        if cluster.kind != PER or cluster in sources or cluster.full_forms:
            continue
        if not any(det.score >= 0.6 and det.detector.split(":")[0] in ("lexicon", "rules") for _, det in cluster.mentions):
            continue
        # What the text says someone is called ("som vi kaller snurre", "alle kaller han pk") is
        # that person's name in the document, a word or not.
        called = {normalise(det.text) for _, det in cluster.mentions
                  if det.detector in ("lexicon:called", "lexicon:announced")}
        for form in cluster.forms:
            if (" " in form or len(form) < 3 and form not in called or form in owners or form in NOT_IDENTIFYING
                    or form in NOT_NAMES):
                continue
            listed = form in names.female or form in names.male or form in called
            if is_common_word(form) or form in POSSESSIVES:
                if listed and (form not in LISTLESS_NOUNS or form in called) and cluster not in local_parts[form]:
                    local_parts[form].append(cluster)
                    word_given.add(form)
                continue
            if (len(form) >= 4 and not is_inflected_word(form) and form not in LISTLESS_NOUNS and not is_public(form)
                    and (listed or form in names.surnames or _unlike_words(form) >= 0.75)
                    and cluster not in local_parts[form]):
                local_parts[form].append(cluster)
    # A workplace named by a word and what it is ("fjordtun omsorgssenter", "strand rør") is
    # called by the word alone a line later ("halde fram på fjordtun"): searched for in the
    # documents that name the workplace, when the word is no ordinary word (a tester found it
    # three times in clear beside the masked full name).
    from codebench.anonymise.gazetteer import FIRM_TRADES, INSTITUTIONS

    for cluster in sources:
        if cluster.kind != ORG:
            continue
        for form in cluster.forms:
            words = form.split()
            head = words[0] if len(words) == 2 and (words[1] in INSTITUTIONS or words[1] in FIRM_TRADES) else ""
            if (len(head) >= 4 and head not in owners and not is_common_word(head) and not is_inflected_word(head)
                    and not is_public(head) and head not in NOT_IDENTIFYING and head not in names.female
                    and head not in names.male and cluster not in local_parts[head]):
                local_parts[head].append(cluster)
                org_heads.add(head)
    # One pattern for the whole project; who a shared form belongs to is decided per document.
    # The surnames found only capitalised are looked up word by word instead: a long
    # alternation of them made the pattern slower on every text.
    pattern = name_pattern([form for form in owners if form not in capitalised_only] + list(local_parts))
    if pattern is None and not capitalised_only:
        return
    mentions_by_doc: dict[Hashable, list[tuple[Cluster, Detection]]] = defaultdict(list)
    for cluster in clusters:
        for d, det in cluster.mentions:
            mentions_by_doc[d].append((cluster, det))
    sole_owner = {form: candidates[0] for form, candidates in owners.items() if len(candidates) == 1}
    shared = {form: candidates for form, candidates in owners.items() if len(candidates) > 1}

    def owner(form: str, doc: Hashable) -> Cluster | None:
        if form in local_parts and form not in owners:
            if form not in org_heads and not is_caseless(texts.get(doc, "")):
                return None
            here = [c for c in local_parts[form] if id(c) in in_doc[doc]]
            return here[0] if len(here) == 1 else None
        found = sole_owner.get(form)
        if found is None and form in shared:
            # Two entities share this form: it is only propagated where exactly one of them is
            # already known to be present.
            here = [c for c in shared[form] if id(c) in in_doc[doc]]
            found = here[0] if len(here) == 1 else None
            if found is None and len(here) > 1:
                # A lone "dal" found apart from "kåre dal" of the same document is his until the
                # two are joined: the one there whose full name holds the word takes it ("og dal
                # han e formann" was left beside both).
                whole = [c for c in here if any(form in full.split() for full in c.full_forms)]
                found = whole[0] if len(whole) == 1 else None
            if found is None and elsewhere is not None and " " not in form:
                series = [c for c in shared[form] if id(c) in in_scope[elsewhere[1](doc)]]
                found = series[0] if len(series) == 1 else None
                if not series and all(c.kind == PER and form in c.forms for c in shared[form]):
                    found = elsewhere[0](form, doc)
        elif (found is not None and elsewhere is not None and found.kind == PER and " " not in form
              and id(found) not in in_scope[elsewhere[1](doc)]):
            found = elsewhere[0](form, doc) if form in found.forms else None
        return found

    for doc, text in texts.items():
        caseless = is_caseless(text)
        placed = [(det.start, det.end, cluster, det) for cluster, det in mentions_by_doc.get(doc, ())]
        found = list(pattern.finditer(text)) if pattern is not None else []
        if capitalised_only and not caseless:
            found = sorted(found + _capitalised_forms(text, capitalised_only), key=lambda m: m.start())
        for match in found:
            start, end = match.start(), match.end()
            hit = [p for p in placed if p[0] < end and start < p[1]]
            if hit:
                # A longer form ("Liv Berg") may absorb shorter detections it contains ("Liv").
                if not all(start <= s0 and e0 <= end and e0 - s0 < end - start for s0, e0, _, _ in hit):
                    continue
            surface = match.group()
            form = normalise(surface)
            cluster = owner(form, doc) or owner(" ".join(surface.casefold().split()), doc)
            if cluster is None:
                continue
            if (form in shared and is_common_word(form) and sum(id(c) in in_doc[doc] for c in shared[form]) > 1
                    and not (caseless and (in_subject_position(text, start, end) or reads_as_person(text, start, end)))):
                continue  # (a word the two share is the person's only where the sentence reads one)
            if (caseless and form in POSSESSIVES and not in_subject_position(text, start, end)
                    and not ((form in word_given or id(cluster) in sure_here[doc]) and reads_as_person(text, start, end))):
                continue  # "mora hans", "kollegaen hans": the possessive, not Hans
            if form in subject_only and (not caseless or not (
                    in_subject_position(text, start, end)
                    # (or, where the person is surely named, as a person: "hjelpe-alle-typen han fjell")
                    or (id(cluster) in sure_here[doc] and (reads_as_person(text, start, end)
                                                           # (a surname as surnames go: "storm",
                                                           # "strand"; not a word any name swap
                                                           # could make one, "grunn")
                                                           or ((form in names.surnames or name_likelihood(form) > 0)
                                                               and not reads_as_word(text, start, end)))))):
                continue
            if form in word_given and form not in owners and (
                    not caseless or not (in_subject_position(text, start, end) or reads_as_person(text, start, end)
                                         # where the person is surely named, a given name that is
                                         # also a word is theirs unless the sentence makes it the
                                         # word ("då måtte liv ta ein prat", not "eit godt liv")
                                         or (id(cluster) in sure_here[doc] and form not in POSSESSIVES
                                             and form not in PREPOSITION_NAMES and form not in _TIME_NAMES
                                             and not reads_as_word(text, start, end)))):
                continue
            if (caseless and cluster.kind == PER and form in owners and " " not in form and is_common_word(form)
                    and not is_given_name(form) and form not in names.surnames and name_likelihood(form) == 0.0
                    and not (in_subject_position(text, start, end) or reads_as_person(text, start, end)
                             or _alone_on_line(text, end) or _beside_a_person(text, start, end, placed))):
                # A nickname that is an ordinary word and in no list ("nok", a Thai colleague's):
                # hers only where the sentence reads a person ("og nok var veldig god"), not in
                # "greit nok" or "vi har nok folk" (a tester's traps, masked as her).
                continue
            if form in capitalised_only and (caseless or not surface[:1].isupper()) and not (
                    caseless and any(id(c) in in_doc[doc] for c in local_parts.get(form, ()))):
                continue  # (in ASR text only where the person is named: local_parts)
            if caseless and cluster.kind == PER and not hit and weather_here(text, start, end):
                # The weather ("då det var storm og", "det e storm så e det storm"): no suggestion
                # for the reviewer to reject, wherever a person of that name is.
                continue
            for item in hit:
                placed.remove(item)
                item[2].mentions = [m for m in item[2].mentions if not (m[0] == doc and m[1] is item[3])]
            score = _propagated_score(surface, form, cluster.kind, caseless, text, start, bool(cluster.full_forms),
                                      here=id(cluster) in sure_here[doc])
            if hit:
                score = max(score, max(item[3].score for item in hit))
            det = Detection(start, end, cluster.kind, "linked", score, surface)
            cluster.mentions.append((doc, det))
            placed.append((start, end, cluster, det))


# A line that is one word, a filler or "ja" around it ("nok?" asked back): an address or a name.
_ALONE_ON_LINE = re.compile(r"[ ]*(?:(?:ja|eh|ehm|og)[ ]+)?([^\W\d_]+)[ ]*[?.!]?[ ]*(?:\n|\Z)", re.IGNORECASE)
_AND_BETWEEN = re.compile(r"[ ]+(?:og|eller)[ ]+", re.IGNORECASE)


def _alone_on_line(text: str, end: int) -> bool:
    """The word ending at ``end`` is all its line says (a filler or "ja" aside)."""
    alone = _ALONE_ON_LINE.match(text, text.rfind("\n", 0, end) + 1)
    return alone is not None and alone.end(1) == end


def _beside_a_person(text: str, start: int, end: int, placed: Sequence[tuple]) -> bool:
    """The word is joined by "og"/"eller" to a person's mention: "sveinis og nok"."""
    return any(cluster.kind == PER and (_AND_BETWEEN.fullmatch(text, e0, start) or _AND_BETWEEN.fullmatch(text, end, s0))
               for s0, e0, cluster, _ in placed)


_CAPITALISED_WORD = re.compile(r"(?<![\w-])[A-ZÆØÅ][^\W\d_]+(?:['’]s?)?(?![\w])")


def _capitalised_forms(text: str, forms: set[str]) -> list[re.Match[str]]:
    """Capitalised words of ``text`` that are one of ``forms``, possessive or not ("Brattlis",
    "Brattli-kontoret")."""
    out = []
    for match in _CAPITALISED_WORD.finditer(text):
        folded = match.group().casefold().rstrip("'’")
        if folded in forms or folded.endswith("s") and folded[:-1] in forms:
            out.append(match)
    return out


def _corroborated(cluster: Cluster) -> bool:
    """A full name, two independent detections, a strong detector or a confident one."""
    if cluster.full_forms or sum(det.score >= 0.6 for _, det in cluster.mentions) >= 2:
        return True
    if cluster.kind == LOC and any(det.detector in ("lexicon:place", "lexicon:place-shape") for _, det in cluster.mentions):
        return True  # a place said after "på", "i", "frå" is that place wherever it is said ("Storøya")
    return any(det.score >= 0.8 or det.detector.split(":")[0] in ("known-name", "manual", "rules")
               for _, det in cluster.mentions)


_ARTICLE_BEFORE = re.compile(r"(?<![\w-])(?:en|ein|ei|et|eit|ett|eitt)[ ]+\Z", re.IGNORECASE)


def _propagated_score(surface: str, form: str, kind: str, caseless: bool, text: str, start: int,
                      known_person: bool = False, here: bool = False) -> float:
    """How sure a propagated mention is: full names and capitalised words are safe; a lower-case
    word that is also an ordinary word ("liv", "berg") is only a suggestion for review, unless
    the person is surely named in the same document (``here``) and the sentence reads the word
    as a person (``gazetteer.reads_as_person``: "per sa bare", "eva og jeg og per")."""
    if " " in form:
        return 0.9
    if kind != PER:
        return 0.85 if surface[:1].isupper() or caseless else 0.55
    likelihood = name_likelihood(form)
    if surface[:1].isupper():
        sentence_start = start == 0 or bool(re.search(r"[.!?:\n]\s*$", text[max(0, start - 3):start]))
        return 0.9 if not sentence_start or likelihood >= 0.5 else 0.6
    if caseless:
        if _ARTICLE_BEFORE.search(text, max(0, start - 8), start):
            return 0.35  # "han bur i ein dal": an article makes the word a noun, whatever else it is
        # Unknown words get the benefit of the doubt: a detector already called them a name;
        # so does a name that is also a word where a clause makes it the subject ("ja bakke
        # ringer" after Per Olav Bakke).
        if ((likelihood == 0.0 and not is_common_word(form)) or likelihood >= 0.5
                or in_subject_position(text, start, start + len(surface))):
            return 0.8
        if here and reads_as_person(text, start, start + len(surface)):
            return 0.6
        # (only for a name the lists or the corpus know: "nok", a Thai nickname, is an adverb in
        # every other sentence, and only a sentence that reads it as a person makes it hers)
        if here and (likelihood > 0.0 or is_given_name(form)) and not reads_as_word(text, start, start + len(surface)):
            # The person is surely named in this document and nothing makes the word the
            # ordinary word: testers' "då måtte liv ta", "hos storm", "ho e god ho sol" were left
            # in clear three times as often as "full storm" and "dei same" were rightly kept.
            return 0.55
        return 0.35
    # In a properly written text a lower-case name is a typo ("hei kristine" in a quoted text
    # message) or an ordinary word ("bjørn", a bear): a name that is no word is masked, a name
    # that is also a word waits for the researcher.
    if known_person and not is_common_word(form) and likelihood >= 0.95:
        return 0.7
    return 0.45 if likelihood >= 0.5 else 0.25
