"""Names speech recognition heard as several words ("sena it" for Senait, "ko valenko" for
Kovalenko, "dmitrij volk of eller volkov").

A name the recogniser does not know comes out as the nearest run of short words, some of them
ordinary ("it", "of", "som by"). Read one at a time, no piece looks like a name; put together,
the pieces make a name the lists know, a foreign surname's shape, or the form the speaker gives
next ("eller volkov", "det skrives pranee"). Only in caseless text, and only where one piece (or
the word before them) is no Norwegian word: two ordinary words side by side ("til de", "å se")
are what they say.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from codebench.anonymise.detections import PER, Detection
from codebench.anonymise.gazetteer import (
    FOREIGN_SURNAME_ENDINGS, NOT_NAMES, POSSESSIVES, PRONOUNS, _foreign_surname_shape, is_common_word, is_given_name, is_role_word, is_unknown_word, lexicon,
)
from codebench.anonymise.gazetteer import FINITE_VERBS
from codebench.anonymise.linking import FUNCTION_WORDS
from codebench.anonymise.policy import is_public

_WORD = re.compile(r"(?<![\w-])[^\W\d_]+(?![\w-])")
# What the speaker says the name is after its pieces: "eller volkov", "det skrives pranee".
# (or said again at once, with no word between: "ifjor a hmad ahmad al hassan")
_SAID_AS = re.compile(r"(?:[ ]+(eller|altså|eh|ehm|øh))?[ ]+([^\W\d_]{4,})(?![\w-])", re.IGNORECASE)
# Answers and fillers are said between names, never inside one ("jo mar ja han er": Jomar, yes).
# (and however long the transcriber drew them out: "eee", "ehh", "mmm", "øøh")
_FILLER_SHAPE = re.compile(r"[eæøa]{2,}h*|[eæøa]h+|h?m{2,}|hm+")
# The function words names begin with, never end with ("som chai" Somchai, "i vanova" Ivanova,
# "de la krus"; "frist rud i barnehage" is no Rudi):
# pieces of a name the lists hold as written, beside pieces that are no words and no names
# ("odd var" is Odd, then a verb; "si cel" says Cel).
_NAME_PARTICLES = frozenset("som i de la da di van von el al le du ben bin abu abd ter ten".split())
_THIRD_PERSON = frozenset("han hun ho".split())
_FILLERS = frozenset("ja jaa jo nei neida jada joda eh ehm øh hm hmm mhm mm ok okei".split())
# (and "mange som skriv det ante jomma": how others write it, the given name and the surname)
_SPELLED = re.compile(
    r"(?<![\w-])(?:skrives|skrivast|skrivst|staves|stavast|skrevet|skrive|(?:skriv|skriver|staver|stavar)[ ]+det)"
    r"[ ]+([^\W\d_]{4,})(?:[ ]+([^\W\d_]{4,}))?(?![\w-])", re.IGNORECASE)
# "ho heter su ni sa men alle kaller a noi": after a person's "heter", short words run together
# are the name's pieces (a tester's Thai colleague Sunisa, in clear; the rule for one word after
# "heter" wants three letters).
_PIECES_AFTER_HETER = re.compile(
    r"(?<![\w-])(?:(?:han|ho|hun|hu)[ ]+(?:heter|heiter|heite|hete|het)|(?:heter|heiter|heite|hete)[ ]+(?:han|ho|hun|hu))"
    r"[ ]+((?:[^\W\d_]{1,3}[ ]+){1,2}[^\W\d_]{1,3})(?![\w-])", re.IGNORECASE)
# Words that end the pieces: a clause goes on ("heter li og han").
_ENDS_THE_PIECES = frozenset(
    "og men eller som så e er va var å i på at med til han ho hun hu det den de dei ja nei eh ehm æ eg jeg je "
    "vi me du dem dom".split())
# Short words said before a given name as themselves ("ja nina hansen", "og ann berg").
_NEVER_BEFORE_A_NAME = frozenset(
    "ja jo nei og men så at å i på en ei et de du da dei me vi eg æ je han ho hun hu til fra frå med om for har var er e va".split())
# How close the pieces must come to the form the speaker gives ("volkof"/"volkov" 83, "prani"/"pranee" 73).
_SAID_MATCH = 80
_SAID_AGAIN_MATCH = 90
_SPELLED_MATCH = 70


def _name_of_pieces(parts: list[str]) -> bool:
    """Whether words run together make a name: one the lists know, or a foreign surname's shape
    that the last piece alone has not, where the ending reaches over the pieces or those before
    the last are no words ("kas laus kiene", "ko valenko"; not "lia bak fjellstova")."""
    joined = "".join(parts)
    if len(joined) < 5 or is_common_word(joined) or joined in NOT_NAMES or is_public(joined):
        return False
    return (_listed(joined, parts)
            or (_foreign_surname_shape(joined) and is_unknown_word(joined) and not _foreign_surname_shape(parts[-1])
                and (_ending_across(joined, parts[-1]) or not any(is_common_word(p) for p in parts[:-1]))))


def _listed(joined: str, parts: list[str] | None = None) -> bool:
    """A name the lists hold, as written or as it sounds ("mari sel" of Maricel, "tess fai" of
    Tesfay; by sound only where no piece is a word of two letters: "si cel" is no Sissel)."""
    from codebench.anonymise.linking import sound_key

    return joined in lexicon().surnames or is_given_name(joined) or (
        sound_key(joined) in _listed_sounds() and all(len(p) >= 3 or _unknown(p) for p in parts or [joined]))


@lru_cache(maxsize=1)
def _listed_sounds() -> frozenset[str]:
    from codebench.anonymise.linking import sound_key

    names = lexicon()
    return frozenset(sound_key(n) for n in names.female | names.male | names.surnames if len(n) >= 5 and n.isalpha())


def _sounds_apart(joined: str, rest: list[str]) -> bool:
    """Whether the particle changes how the name sounds ("i johan" sounds as "johan" does)."""
    from codebench.anonymise.linking import sound_key

    return sound_key(joined) != sound_key("".join(rest))


def _ending_across(joined: str, last: str) -> bool:
    """Whether the foreign surname's ending of the joined pieces reaches over into the piece
    before the last ("kas laus kiene": -auskiene)."""
    ending = max((e for e in FOREIGN_SURNAME_ENDINGS if joined.endswith(e)), key=len, default="")
    return len(ending) > len(last)


def find_split_names(text: str) -> list[Detection]:
    """In caseless text, the runs of two or three words that together make a name (see the
    module's docstring), and the form of it the speaker gives after them."""
    words = list(_WORD.finditer(text))
    folded = [w.group().casefold() for w in words]
    found: list[Detection] = []
    taken_until = -1
    # Only runs that hold a word no list knows can be pieces: look at those alone (most of a
    # transcript is words, and this runs on each one).
    unknown = [_unknown(w) for w in folded]
    starts = sorted({i for u, flag in enumerate(unknown) if flag for i in range(max(0, u - 2), u + 1)}
                    # (and a particle after a given name: "ande som by", a surname in pieces)
                    | {i for i in range(1, len(folded)) if folded[i] in _NAME_PARTICLES and is_given_name(folded[i - 1])})
    for i in starts:
        if i >= len(words) - 1 or words[i].start() < taken_until:
            continue
        for n in (3, 2):
            parts = folded[i:i + n]
            # (the cheap look first: each word's own verdict is cached)
            if len(parts) < n or not _adjacent(text, words[i:i + n]):
                continue
            joined = "".join(parts)
            # (after a given name, a listed surname's pieces may be words: "ande som by han jobbe",
            # "nillas som by han e" (Somby, in four testers' Sámi interviews)
            surname_after_given = (parts[0] in _NAME_PARTICLES and i > 0 and is_given_name(folded[i - 1])
                                   and joined in lexicon().surnames and _adjacent(text, words[i - 1:i + 1])
                                   and all(_may_be_piece(p) for p in parts))
            if not (surname_after_given or _may_be_pieces(parts, pronouns=True)):
                continue
            said = _SAID_AS.match(text, words[i + n - 1].end())
            # "ho dan eh hodan heter ho": a pronoun is a piece only of the very form said after it
            if any(p in _THIRD_PERSON for p in parts) and not (
                    said is not None and said.group(1) and said.group(2).casefold() == joined):
                continue
            said_form = said is not None and is_unknown_word(said.group(2)) and _nearer_together(
                parts, said.group(2).casefold(), _SAID_MATCH if said.group(1) else _SAID_AGAIN_MATCH)
            # Without the form said after them, a piece that is a word binding a sentence is one
            # only of a name the lists hold, beside pieces that are no words: "svalbard og alaska"
            # are two places, "esadomstolen vil de" is no Vilde; "fra thailand som chai han" is
            # Somchai, "svetlana i vanova" Ivanova.
            binding = [p for p in parts if len(p) < 2 or p in FUNCTION_WORDS or p in FINITE_VERBS]
            # A double name's first, its last piece a word, and the second name after it: "mora
            # hans bir et inga" (Biret Inga, a tester's Sámi mother; "frist rud i barnehage" stays).
            double = (n == 2 and binding == parts[1:] and _unknown(parts[0]) and not is_given_name(parts[0])
                      and is_given_name(joined) and not is_common_word(joined) and len(joined) >= 5
                      and i + 2 < len(words) and is_given_name(folded[i + 2]) and _adjacent(text, words[i + 1:i + 3]))
            if not (said_form or (not binding and _name_of_pieces(parts)) or (
                    binding and all(p in _NAME_PARTICLES for p in binding) and parts[-1] not in binding
                    and (surname_after_given or all(_unknown(p) and not is_given_name(p) for p in parts if p not in binding))
                    and _listed(joined, parts) and _sounds_apart(joined, [p for p in parts if p not in binding]))
                    or double):
                continue
            start, end = words[i].start(), words[i + (n if double else n - 1)].end()
            if i > 0 and folded[i - 1] == joined and _adjacent(text, words[i - 1:i + 1]):
                break  # the name said whole, then in pieces ("somchai som chai"): its echo, for linking
            if i > 0 and is_given_name(folded[i - 1]) and _adjacent(text, words[i - 1:i + 1]):
                start = words[i - 1].start()  # with the given name before: "sol skjegge stad"
            found.append(Detection(start, end, PER, "lexicon:pieces", 0.6, text[start:end]))
            if said_form:
                found.append(Detection(said.start(2), said.end(2), PER, "lexicon:pieces", 0.6, said.group(2)))
            taken_until = end
            break
    for i in starts:
        # "ei russisk dame ok sana petrova": a short word before a given name and a surname that
        # the two make a longer given name with ("oksana"; a tester's colleague, "ok" left in clear)
        if i + 2 >= len(words) or words[i].start() < taken_until or not _adjacent(text, words[i:i + 3]):
            continue
        short, given, surname = folded[i:i + 3]
        joined = short + given
        if (len(short) <= 3 and short not in _NEVER_BEFORE_A_NAME and is_given_name(given) and is_given_name(joined)
                and len(joined) >= 5 and not is_common_word(joined) and _sounds_apart(joined, [given])
                and (_unknown(surname) or surname in lexicon().surnames) and not is_given_name(surname)):
            found.append(Detection(words[i].start(), words[i + 2].end(), PER, "lexicon:pieces", 0.6,
                                   text[words[i].start():words[i + 2].end()]))
            taken_until = words[i + 2].end()
    for spelled in _SPELLED.finditer(text) if "skriv" in text or "stav" in text else ():
        # "hu heter pra ni æ tror det skrives pranee": the written form, and the pieces heard
        form = spelled.group(1).casefold()
        if not (is_unknown_word(form) or is_given_name(form)) or form in PRONOUNS:
            continue
        end = spelled.end(1)
        if spelled.group(2) and is_unknown_word(spelled.group(2)):
            end = spelled.end(2)
        found.append(Detection(spelled.start(1), end, PER, "lexicon:pieces", 0.6, text[spelled.start(1):end]))
        before = [w for w in words if spelled.start() - 80 <= w.start() and w.end() <= spelled.start()]
        for n in (2, 3):
            for k in range(len(before) - n + 1):
                run = before[k:k + n]
                parts = [w.group().casefold() for w in run]
                if _adjacent(text, run) and _may_be_pieces(parts) and _nearer_together(parts, form, _SPELLED_MATCH):
                    found.append(Detection(run[0].start(), run[-1].end(), PER, "lexicon:pieces", 0.6,
                                           text[run[0].start():run[-1].end()]))
    for after in _PIECES_AFTER_HETER.finditer(text) if "he" in text else ():
        pieces = after.group(1).split()
        said = next((k for k, piece in enumerate(pieces) if piece.casefold() in _ENDS_THE_PIECES), len(pieces))
        pieces = pieces[:said]
        joined = "".join(pieces).casefold()
        if (len(pieces) < 2 or len(joined) < 5 or is_common_word(joined) or joined in NOT_NAMES
                or pieces[0].casefold() in FUNCTION_WORDS or all(is_common_word(p) for p in pieces)):
            continue  # ("kazlauskas heiter han med zet i midten": how it is written, not a name)
        start = after.start(1)
        end = start + len(" ".join(pieces)) if text[start:].startswith(" ".join(pieces)) else after.end(1)
        found.append(Detection(start, end, PER, "lexicon:pieces", 0.6, text[start:end]))
    return found


def _may_be_pieces(parts: list[str], pronouns: bool = False) -> bool:
    """Words that can be pieces of one name: short or no words, one at least no word, and none a
    pronoun (unless ``pronouns``), a filler or a role ("polsk vis njevska" is Polish Visnjevska,
    "jo mar ja" Jomar)."""
    return all(_may_be_piece(p) or (pronouns and p in _THIRD_PERSON) for p in parts) and any(_unknown(p) for p in parts)


@lru_cache(maxsize=65536)
def _unknown(word: str) -> bool:
    return is_unknown_word(word)


@lru_cache(maxsize=65536)
def _may_be_piece(word: str) -> bool:
    return (word not in PRONOUNS and word not in _THIRD_PERSON and word not in _FILLERS and not _FILLER_SHAPE.fullmatch(word)
            and not is_role_word(word)
            and (len(word) <= 4 or is_unknown_word(word)))


def _nearer_together(parts: list[str], form: str, cutoff: float) -> bool:
    """The pieces run together come near the form said of them, each piece bringing it nearer:
    in "det ble ruta eh ruuta" the "ble" does not, in "halvor der eh halvor fuglesteg" the "der"."""
    score = fuzz.ratio("".join(parts), form)
    return score >= cutoff and score > max(fuzz.ratio("".join(parts[1:]), form), fuzz.ratio("".join(parts[:-1]), form))


def _adjacent(text: str, run: list[re.Match[str]]) -> bool:
    """Words one space apart: pieces of one name are said together, not across a comma or a line."""
    return all(text[a.end():b.start()] == " " for a, b in zip(run, run[1:]))


# How near the pieces' sound must come to a name the document gives elsewhere ("test fai" and
# Tesfay 92; "men ka" and Menka would be 100, but "men" binds a sentence and is no piece).
_NAMED_HERE_MATCH = 88


def pieces_of_names_here(text: str, dets: list[Detection], sure: float) -> list[Detection]:
    """``dets`` with the runs of two words that sound like a name one of its person mentions scored
    ``sure`` or more gives, said apart from it ("det e test fai som æ sa", where Tesfay is named a
    minute before; not "hepartit s" beside the model's doubtful "hepatits")."""
    from rapidfuzz import process

    from codebench.anonymise.linking import sound_key

    keys = {sound_key(w) for d in dets if d.kind == PER and d.score >= sure
            for w in d.text.casefold().split() if len(w) >= 5 and w.isalpha()}
    if not keys:
        return dets
    taken = sorted((d.start, d.end) for d in dets)
    words = list(_WORD.finditer(text))
    folded = [w.group().casefold() for w in words]
    added: list[Detection] = []
    for i in sorted({i for u, w in enumerate(folded) if _unknown(w) for i in (u - 1, u) if 0 <= i < len(words) - 1}):
        parts = folded[i:i + 2]
        if (not _adjacent(text, words[i:i + 2]) or not _may_be_pieces(parts)
                or any(len(p) < 2 or p in FUNCTION_WORDS or p in FINITE_VERBS or p in POSSESSIVES for p in parts)):
            continue
        start, end = words[i].start(), words[i + 1].end()
        if any(s < end and start < e for s, e in taken) or any(a.start < end and start < a.end for a in added):
            continue
        joined = sound_key("".join(parts))
        best = process.extractOne(joined, keys, scorer=fuzz.ratio, score_cutoff=_NAMED_HERE_MATCH)
        if best is not None and all(fuzz.ratio(sound_key(p), best[0]) < best[1] for p in parts):
            added.append(Detection(start, end, PER, "lexicon:pieces", 0.6, text[start:end]))
    return dets + added if added else dets
