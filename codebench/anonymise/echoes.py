"""Names said again: the pieces and sound-alikes of a name an interview has just named.

Informants repeat a name so that the interviewer hears it ("berivan eh beri van", "khaled al
masri eh kaled"), and speech recognition writes each saying differently. The detectors find the
first saying and leave the second, because its pieces are ordinary words ("hall dor", "ha bib")
or because it is a word no list holds ("krisjtof" beside "krzysztof nowak"). What the document
has found already tells the rest:

- two or three words that, run together, sound like a name word found in the same document are
  that name ("beri van" ~ "berivan", "a sad" ~ "azad");
- a word that is no ordinary word and sounds like a name word found in the same document is that
  name ("kaled" ~ "khaled", "vasil" ~ "vasyl");
- a person's name runs on over the words after it that, run together, make a surname ("ingebjørg
  skjerv heim", "pawel kowal ski", "eirik sol heim").

Only caseless (ASR) text is read, and only words the document's own person mentions vouch for:
a name found in one interview says nothing about a word in another. Pure Python and rapidfuzz;
used by :func:`codebench.anonymise.completion.complete_names`.
"""

from __future__ import annotations

import re
from typing import Sequence

from rapidfuzz import fuzz, process

from codebench.anonymise.detections import PER, Detection
from codebench.anonymise.gazetteer import (
    LISTLESS_NOUNS, NOT_NAMES, PRONOUNS, SPOKEN_VERBS, is_common_word, is_finite_verb, is_noun_or_adjective, is_ordinary_compound,
    is_unknown_word, lexicon,
)
from codebench.anonymise.policy import is_public

SEED = 0.5
"""A person mention at least this sure vouches for its words."""
SCORE = 0.6
"""What a name said again scores: above ``--auto``'s threshold, as sure as a lexicon rule."""
SOUND_MATCH = 85.0
"""How close (rapidfuzz ratio of the sound keys) a lone word must sound to a name word."""
ECHO_WINDOW = 15
"""How many words from where a name is said a lone word may echo it ("vasil frå ukraina eh vasja
kallar dei han vasyl": the three sayings lie within eight words)."""
FILLERS = frozenset("eh ehm em øh øhm hm mm altså eller nei ja liksom jo e da".split())
"""Words between a name and its repetition ("berivan eh beri van", "solheim eller sol heim")."""
# Word endings that make a surname of the word before them ("skjerv heim", "kowal ski").
SURNAME_TAILS = frozenset(
    "heim vik berg land dal dahl stad rud lund haug nes set seth sæter seter by bø gård gaard holm "
    "ski ska sky skyj vich vitsj vić enko uk chuk tsjuk".split())
_WORD = re.compile(r"[^\W\d_]+")


# The subject pronouns, which PRONOUNS leaves out (they are names too: "Han", "Ho").
_SUBJECT_PRONOUNS = frozenset("han hun ho hu".split())


def name_echoes(text: str, dets: Sequence[Detection], stop: frozenset[str]) -> list[Detection]:
    """``dets`` with the names said again added and person mentions run on over a split surname.

    ``stop``: words no name is (function words, fillers, pronouns; as completion uses them).
    """
    from codebench.anonymise.linking import sound_key

    persons = [d for d in dets if d.kind == PER and d.score >= SEED]
    if not persons:
        return list(dets)
    words = [(m.start(), m.end(), m.group().casefold()) for m in _WORD.finditer(text)]
    if not words:
        return list(dets)
    taken = bytearray(len(text) + 1)
    for d in dets:
        taken[d.start:d.end] = b"\x01" * (d.end - d.start)

    def free(start: int, end: int) -> bool:
        return taken.find(1, start, end) == -1

    def joined(i: int, j: int) -> bool:
        """Words i..j stand side by side on one line, a space apart."""
        return all(text[words[k][1]:words[k + 1][0]] == " " for k in range(i, j))

    def surname_after(last: int) -> int:
        """The index of the last word of a name said again: a surname that is no ordinary word
        after it goes with it ("senait sena it ghebre", "filmon film on hapte")."""
        nxt = last + 1
        if (nxt < len(words) and joined(last, nxt) and free(words[nxt][0], words[nxt][1])
                and len(words[nxt][2]) >= 4 and words[nxt][2] not in stop and is_unknown_word(words[nxt][2])
                and not is_ordinary_compound(words[nxt][2]) and not is_public(words[nxt][2])):
            return nxt
        return last

    # The name words this document vouches for, by how they sound; a lone word said again only
    # echoes a listed name or a sure mention's word (a weak guess at an unknown word, common in
    # ASR, must not take every word that sounds like it: "permitert", "foreldrane").
    names = lexicon()
    given = names.female | names.male
    own: dict[str, str] = {}
    sure: dict[str, str] = {}
    for d in persons:
        parts = d.text.casefold().split()
        if d.detector == "rules:spelled":
            parts = ["".join(parts)]  # "m b u y i": the name spelled is "mbuyi"
        for w in parts:
            if len(w) >= 4 and w not in stop and not is_common_word(w) and w.isalpha():
                own.setdefault(sound_key(w), w)
                if (d.score >= 0.7 or d.detector == "rules:spelled" or w in names.female or w in names.male
                        or w in names.surnames):
                    sure.setdefault(sound_key(w), w)
    out = list(dets)
    extended: dict[int, Detection] = {}
    starts = {w[0]: i for i, w in enumerate(words)}
    ends = {w[1]: i for i, w in enumerate(words)}

    # A person's name run on over a surname heard in pieces, and a one-word mention over the
    # piece before or after it that makes it a name word of the document ("som chai" where the
    # model took "chai" of Somchai, "mari sel" of Marisel).
    for n, d in enumerate(out):
        if d.kind != PER or d.score < SEED or d.end not in ends or d.start not in starts:
            continue
        first, last = starts[d.start], ends[d.end]
        start, end = d.start, d.end
        tail = _split_surname(words, last, joined, free, stop, names.surnames, own, sound_key)
        if tail is not None:
            end = words[tail][1]
        else:
            word = words[first][2]
            before = words[first - 1][2] if first > 0 else ""
            # (or a listed given name the piece before makes: "jus tyna visnievska" of Justyna)
            after = words[last + 1][2] if last + 1 < len(words) else ""
            if (len(before) >= 2 and before not in stop and before not in SPOKEN_VERBS and joined(first - 1, first)
                    and free(words[first - 1][0], words[first - 1][1])
                    and sound_key(before + word) != sound_key(word)
                    and (sound_key(before + word) in own or (before + word in given and len(before) <= 4))):
                start = words[first - 1][0]
            elif (first == last and after and after not in stop and joined(last, last + 1)
                  and free(words[last + 1][0], words[last + 1][1]) and sound_key(word + after) in own
                  and sound_key(word + after) != sound_key(word)):
                end = words[last + 1][1]
        if (start, end) != (d.start, d.end):
            end = words[surname_after(ends[end])][1]
            extended[n] = d._replace(start=start, end=end, text=text[start:end])
            taken[start:end] = b"\x01" * (end - start)
    for n, d in extended.items():
        out[n] = d
    if not own:
        return out

    keys = list(sure)
    mention_words = {i for d in out if d.kind == PER and d.score >= SEED
                     for i in range(starts.get(d.start, len(words)), ends.get(d.end, -1) + 1)}
    # Where each sure name word is said: a lone word echoes it only near there.
    said_at: dict[str, list[int]] = {}
    for i in sorted(mention_words):
        key = sound_key(words[i][2])
        if key in sure:
            said_at.setdefault(key, []).append(i)
    # Where a full name a detector was sure of begins: its given name said just before it is a
    # false start of the same name ("det e per eh per kristian fjell", "det va hans på nav hans
    # kristian"; testers' Sunnmøre and Lofoten interviews).
    full_starts = {starts[d.start] for d in out if d.kind == PER and d.score >= 0.7 and d.start in starts
                   and " " in d.text.strip()}
    added: list[Detection] = []
    i = 0
    while i < len(words):
        found = None
        w = words[i][2]
        if (w in given and free(words[i][0], words[i][1])
                and any(k in full_starts and words[k][2] == w for k in range(i + 1, min(i + 5, len(words))))):
            found = i
        # A name spelled out right after it is said ("ieva i e v a"): single letters that run
        # together are a name word of the document said beside them.
        j = i
        while j + 1 < len(words) and len(words[j + 1][2]) == 1 and joined(j, j + 1):
            j += 1
        if (len(words[i][2]) == 1 and j - i >= 2 and free(words[i][0], words[j][1])
                and sound_key("".join(w[2] for w in words[i:j + 1])) in own and _beside(words, i, j, mention_words)):
            found = j
        # Two or three words that run together are a name word of the document.
        for k in (3, 2) if found is None else ():
            j = i + k - 1
            if j >= len(words) or not joined(i, j) or not free(words[i][0], words[j][1]):
                continue
            parts = [w[2] for w in words[i:j + 1]]
            run = "".join(parts)
            if len(run) < 4 or any(len(p) > 7 for p in parts) or sound_key(run) not in own:
                continue
            if any(sound_key(p) == sound_key(run) for p in parts):
                continue  # "krisse e": the name and a word after it (doubled letters sound as one)
            all_words = all(is_common_word(p) or p in stop for p in parts)
            beside = _beside(words, i, j, mention_words)
            if (all_words or len(run) < 5) and (any(p in PRONOUNS for p in parts) or not beside):
                continue  # "jo han" after Johan is the pronoun unless it repeats the name there
            if all_words and any(p in _SUBJECT_PRONOUNS for p in parts):
                continue  # "ailu han e tjuetre år": the pronoun and its verb, never Hanne (a tester's)
            found = j
            break
        if found is None:
            exact = sound_key(w) in sure and any(abs(at - i) <= 3 for at in said_at.get(sound_key(w), ()))
            if (len(w) >= 4 and w not in stop and w not in NOT_NAMES and w not in LISTLESS_NOUNS
                    and free(words[i][0], words[i][1]) and not is_public(w)
                    # a word that sounds exactly like the name said right beside it is that name
                    # heard as a word ("varsame eh nei warsame"); otherwise no ordinary word
                    and (exact or (is_unknown_word(w) and not is_ordinary_compound(w)))):
                key = sound_key(w)
                match = key if key in sure else None
                if match is None:
                    best = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=SOUND_MATCH)
                    match = best[0] if best and best[0][:1] == key[:1] else None
                # (the same word again is the propagation's to find, where the name is corroborated;
                # a word heard like a name far from where the name is said is most often a word
                # misheard: "trone" pages after a "tron")
                if (match is not None and sure[match] != w
                        and any(abs(at - i) <= ECHO_WINDOW for at in said_at.get(match, ()))):
                    found = i
        if found is not None:
            start, end = words[i][0], words[found][1]
            found = surname_after(found)
            end = words[found][1]
            added.append(Detection(start, end, PER, "linked:echo", SCORE, text[start:end]))
            taken[start:end] = b"\x01" * (end - start)
            i = found + 1
        else:
            i += 1
    return sorted(out + added, key=lambda d: d.start)


def _beside(words: Sequence[tuple[int, int, str]], i: int, j: int, mention_words: set[int]) -> bool:
    """Words i..j stand right after or before a person mention, fillers between at most two."""
    for step, edge in ((-1, i), (1, j)):
        k = edge + step
        skipped = 0
        while 0 <= k < len(words) and words[k][2] in FILLERS and skipped < 2:
            k += step
            skipped += 1
        if k in mention_words:
            return True
    return False


def _split_surname(words, last: int, joined, free, stop: frozenset[str], surnames: frozenset[str],
                   own: dict[str, str], sound_key) -> int | None:
    """The index of the last word of a surname said in pieces right after word ``last``, if any.

    "kowal ski" after "pawel kowal": the name's last word and the next make a surname; "skjerv
    heim" after "ingebjørg": two words make one (a listed surname, or a word that is none and a
    surname's ending).
    """
    nxt = last + 1
    if nxt >= len(words) or not joined(last, nxt) or not free(words[nxt][0], words[nxt][1]):
        return None
    w1 = words[nxt][2]
    if w1 in stop or w1 in NOT_NAMES or len(w1) < 2:
        return None
    with_last = words[last][2] + w1
    # (the piece must be heard: "bente e" sounds as "bente", doubled letters being one)
    if (len(w1) <= 4 and (with_last in surnames or sound_key(with_last) in own) and not is_common_word(with_last)
            and sound_key(with_last) != sound_key(words[last][2])):
        return nxt
    nxt2 = nxt + 1
    if nxt2 >= len(words) or not joined(nxt, nxt2) or not free(words[nxt2][0], words[nxt2][1]):
        return None
    w2 = words[nxt2][2]
    run = w1 + w2
    if len(w1) < 3 or is_common_word(run) or is_public(run):
        return None
    # The tail may be a word no name runs on over alone ("heim"): together they are a surname.
    # (a first piece that is a rare word of no word class the lists know, "skjerv", will do:
    # a noun or a verb before "heim" is the sentence going on, "bo heim", "hus heim")
    if run in surnames or sound_key(run) in own or (w2 in SURNAME_TAILS and (not is_common_word(w1) or (
            is_unknown_word(run) and not is_noun_or_adjective(w1) and not is_finite_verb(w1) and len(w1) >= 4))):
        return nxt2
    return None


CORRECTION_FILLERS = frozenset("eh ehm æh øh nei eller altså".split())
"""Words between a name and the speaker's own correction of it ("test fai nei tesfay")."""
CORRECTION_MATCH = 72.0
"""How close (rapidfuzz ratio of the sound keys) a corrected saying must sound to the name."""
_CORRECTION = re.compile(r"[ ,.]+(eh|ehm|æh|øh|nei|eller|altså)(?:[ ,]+(?:eh|ehm|nei|altså))?[ ,]+", re.IGNORECASE)


def corrected_sayings(text: str, dets: Sequence[Detection], stop: frozenset[str]) -> list[Detection]:
    """``dets`` with the other saying of a name the speaker corrects: one to three words right
    before or after a sure person mention, a filler or "nei"/"eller" between, that run together
    sound like the mention's name ("test fai nei tesfay", "mebrahtu eh me bra tu", "ruta eller
    rutta", "yil mas eller yılmaz"). Round 11's testers found seven such sayings in clear beside
    the masked name; a word that sounds like no name there ("per eller pål") is left."""
    from codebench.anonymise.linking import sound_key

    persons = [d for d in dets if d.kind == PER and d.score >= SEED]
    if not persons:
        return list(dets)
    # Only what is no person blocks a saying: a piece of it the detectors took as a name of its
    # own ("test [fai] eh tesfay", "[emre yil] mas eller yılmaz") goes into it.
    taken = bytearray(len(text) + 1)
    for d in dets:
        if d.kind != PER:
            taken[d.start:d.end] = b"\x01" * (d.end - d.start)
    added: list[Detection] = []

    def keys(name: str) -> list[str]:
        # the name's own words, or all of them run together ("mebrahtu" of "helen mebrahtu")
        return [sound_key(w) for w in (*name.split(), name.replace(" ", "")) if len(w) >= 3]

    def closeness(parts: list[str], name: str) -> float:
        """How like the name the words sound (0: not a saying of it)."""
        run = "".join(parts)
        if (len(parts) == 1 and " " in name and parts[0] == name.split()[-1] and len(run) >= 3
                and parts[0] not in stop and parts[0] not in NOT_NAMES):
            return 100.0  # the surname alone, then the name in full: "så var det fjell eller solveig fjell"
        if (len(run) < 3 or not all(p.isalpha() for p in parts) or any(p in NOT_NAMES for p in parts)
                or any(p in name.split() for p in parts)
                # a clause after the name is no piece of it ("kari eh kari sa")
                or any(p in stop or p in SPOKEN_VERBS or is_finite_verb(p) for p in parts[1:])
                or (len(parts) > 1 and (is_finite_verb(parts[0]) or parts[0] in SPOKEN_VERBS
                                        or (parts[0] in stop and parts[0] not in PRONOUNS)))):
            return 0.0
        if len(parts) == 1 and (parts[0] in stop or parts[0] in PRONOUNS):
            # a function word heard for the name ("min nei minh"): only if it sounds just so
            heard = sound_key(run)
            return 100.0 if any(k == heard or (k.startswith(heard) and len(k) - len(heard) <= 1)
                                for k in keys(name)) else 0.0
        best = max((fuzz.ratio(sound_key(run), k) for k in keys(name)), default=0.0)
        # a pronoun among the pieces ("me bra tu" of Mebrahtu) only when the whole sounds close
        if any(p in PRONOUNS for p in parts) and best < 80:
            return 0.0
        return best if best >= CORRECTION_MATCH else 0.0

    def best_run(runs: list[tuple[list[str], int, int]], name: str) -> tuple[int, int] | None:
        scored = [(closeness(parts, name), len(parts), start, end) for parts, start, end in runs
                  if taken.find(1, start, end) == -1 and not any(
                      o.kind == PER and o.start <= start and end <= o.end for o in (*dets, *added))]
        scored = [s for s in scored if s[0] > 0]
        if not scored:
            return None
        _, _, start, end = max(scored)
        return start, end

    def add(start: int, end: int) -> None:
        for other in dets:
            if other.kind == PER and other.start < end and start < other.end:
                start, end = min(start, other.start), max(end, other.end)
        added.append(Detection(start, end, PER, "lexicon:corrected", SCORE, text[start:end]))
        taken[start:end] = b"\x01" * (end - start)

    for d in persons:
        name = d.text.casefold()
        after = _CORRECTION.match(text, d.end)
        if after is not None:
            words = list(_WORD.finditer(text, after.end(), min(len(text), after.end() + 40)))
            runs = [([m.group().casefold() for m in words[:k]], words[0].start(), words[k - 1].end())
                    for k in (1, 2, 3) if len(words) >= k
                    and all(text[a.end():b.start()] == " " for a, b in zip(words[:k], words[1:k]))]
            found = best_run(runs, name)
            if found is not None:
                add(*found)
        head = text[max(0, d.start - 60):d.start]
        before = re.search(r"((?:[^\W\d_]+[ ]){0,2}[^\W\d_]+)" + _CORRECTION.pattern + r"\Z", " " + head, re.IGNORECASE)
        if before is not None:
            offset = d.start - len(head) - 1
            run_words = list(_WORD.finditer(before.group(1)))
            base = offset + before.start(1)
            runs = [([m.group().casefold() for m in run_words[-k:]], base + run_words[-k].start(), base + run_words[-1].end())
                    for k in (1, 2, 3) if len(run_words) >= k]
            found = best_run(runs, name)
            if found is not None:
                add(*found)
    return list(dets) + added
