"""Text search: the query language, folding, matching in a text, widening hits, speaker sides.

Pure Python, shared by every backend. The full-text index (SQLite FTS5 or PostgreSQL) only
narrows the search to *candidate* turns: :func:`index_plan` says what the index must find, a
superset of the hits. :class:`Matcher` then finds the exact hits in each candidate turn's text
as the reader sees it (the anonymised rendition or the original), so what is counted is
exactly what is shown.

Query language (see the README)::

    tillit                 the word (any case, any accents: "Tillit", "tíllit")
    tillit*                words starting with it ("mentor*" finds "mentortilskudd")
    *tilskudd  m?ntor      wildcards anywhere in a word (* any letters, ? one letter)
    "naturlig bistand"     the words in this order
    [Mentor 2]             a pseudonym, whole (the word mentor alone does not find it)
    /tillit|trygg\\w+/      a regular expression
    tillit trygghet        hits of either (OR is accepted between terms)
    role:mentor round:2 doc:M01 speaker:informant in:"god mentor" is:uncoded    filters

Folding is by default case- and accent-insensitive (é=e, å=a, ü=u, ö=o); ø and æ are letters
of their own. With the Nordic option å=aa, ø=ö=oe and æ=ä=ae, so "Aalesund" finds "Ålesund"
and "Tromsoe" finds "Tromsø".
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Mapping, NamedTuple, Sequence

WORD_CHAR = r"[^\W_]"
"""A letter or digit: what words (index tokens) are made of; everything else separates them."""
_SEPARATOR = r"[\W_]+"
_WILDCARDS = "*?"
_WORD_BOUNDARY_BEFORE = rf"(?<!{WORD_CHAR})"
_WORD_BOUNDARY_AFTER = rf"(?!{WORD_CHAR})"

FILTER_KEYS = ("role", "round", "doc", "speaker", "in", "is")
SPEAKER_SIDES = ("interviewer", "informant")
WIDEN_UNITS = ("hit", "word", "sentence", "turn")
"""How far a hit is widened before it is coded: the matched words, whole words, the sentence, the turn."""
MAX_QUERY = 1000
_MAX_VARIANTS = 16


class SearchQueryError(ValueError):
    """A query that cannot be searched for; the message says what to change."""


# -- folding -------------------------------------------------------------------------------


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table built lazily: each character folded once, then looked up."""

    def __init__(self, lower: bool, strip: bool) -> None:
        super().__init__()
        self.lower = lower
        self.strip = strip

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint)
        folded = char
        if self.lower:
            low = char.lower()
            folded = low if len(low) == 1 else char  # 'İ' lowers to two code points: keep positions
        if self.strip:
            decomposed = unicodedata.normalize("NFD", folded)
            if len(decomposed) > 1 and all(unicodedata.combining(c) for c in decomposed[1:]):
                folded = decomposed[0]
        self[codepoint] = folded
        return folded


_TABLES = {(lower, strip): _FoldTable(lower, strip) for lower in (False, True) for strip in (False, True)}


def fold(text: str, *, case_sensitive: bool = False, accent_sensitive: bool = False) -> str:
    """``text`` with case and/or accents folded, one character for one (positions are kept).

    Accents are what Unicode decomposes into a base letter and combining marks (é, å, ü, ö);
    ø, æ and ß have no such decomposition and stay as they are.
    """
    if case_sensitive and accent_sensitive:
        return text
    return text.translate(_TABLES[(not case_sensitive, not accent_sensitive)])


def index_fold(text: str) -> str:
    """The folding the full-text index applies to words: lower case, accents removed."""
    return text.translate(_TABLES[(True, True)])


NORDIC = {"å": "aa", "ø": "oe", "ö": "oe", "æ": "ae", "ä": "ae",
          "Å": "Aa", "Ø": "Oe", "Ö": "Oe", "Æ": "Ae", "Ä": "Ae"}
"""The Nordic option's spellings: what each letter stands for when å/aa, ø/oe, æ/ae are one."""


def fold_nordic(text: str, *, case_sensitive: bool = False, accent_sensitive: bool = False) -> tuple[str, list[int]]:
    """``text`` with å→aa, ø/ö→oe, æ/ä→ae, then folded; with the original position of each character.

    Returns:
        ``(folded, origin)`` where ``origin[i]`` is the position in ``text`` of folded
        character ``i``, and ``origin[len(folded)] == len(text)``.
    """
    out: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        spelled = NORDIC.get(char, char)
        out.append(spelled)
        origin.extend([i] * len(spelled))
    origin.append(len(text))
    return fold("".join(out), case_sensitive=case_sensitive, accent_sensitive=accent_sensitive), origin


@dataclass(frozen=True)
class MatchOptions:
    """How letters compare: case- and accent-insensitive by default."""

    case_sensitive: bool = False
    accent_sensitive: bool = False
    nordic: bool = False
    """å=aa, ø=ö=oe, æ=ä=ae (old and foreign spellings of Norwegian names and places)."""

    def describe(self) -> str:
        """The options that differ from the default, for status lines and saved searches."""
        parts = [name for name, on in (("case-sensitive", self.case_sensitive), ("accent-sensitive", self.accent_sensitive),
                                       ("å=aa ø=oe æ=ae", self.nordic)) if on]
        return ", ".join(parts)


# -- the query language ----------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One thing to find: a word pattern, a phrase of word patterns, or a regular expression."""

    text: str
    """As typed (for messages)."""
    words: tuple[str, ...] = ()
    """The word patterns in order; one for a word, several for a phrase; ``*`` and ``?`` wildcards."""
    regex: str | None = None


@dataclass(frozen=True)
class QueryFilters:
    """Filters written into the query (``role:mentor``); empty means no filter."""

    roles: tuple[str, ...] = ()
    rounds: tuple[int, ...] = ()
    documents: tuple[str, ...] = ()
    speaker: str | None = None
    """``interviewer`` or ``informant``."""
    in_codes: tuple[str, ...] = ()
    uncoded: bool = False

    def merged(self, other: QueryFilters) -> QueryFilters:
        """Both sets of filters (command-line flags added to the query's own)."""
        if self.speaker and other.speaker and self.speaker != other.speaker:
            raise SearchQueryError(f"speaker:{self.speaker} and speaker:{other.speaker} exclude each other")
        return QueryFilters(
            roles=_unique(self.roles + other.roles), rounds=_unique(self.rounds + other.rounds),
            documents=_unique(self.documents + other.documents), speaker=self.speaker or other.speaker,
            in_codes=_unique(self.in_codes + other.in_codes), uncoded=self.uncoded or other.uncoded,
        )

    def describe(self) -> str:
        """The filters as query words, e.g. ``role:mentor speaker:informant``."""
        parts = [f"role:{_quoted(r)}" for r in self.roles] + [f"round:{r}" for r in self.rounds]
        parts += [f"doc:{_quoted(d)}" for d in self.documents]
        parts += [f"speaker:{self.speaker}"] if self.speaker else []
        parts += [f"in:{_quoted(c)}" for c in self.in_codes] + (["is:uncoded"] if self.uncoded else [])
        return " ".join(parts)


def _unique(values: Sequence) -> tuple:  # type: ignore[type-arg]
    return tuple(dict.fromkeys(values))


def _quoted(value: str) -> str:
    return f'"{value}"' if any(c.isspace() for c in value) else value


@dataclass(frozen=True)
class ParsedQuery:
    """A query split into terms (any of which is a hit) and filters."""

    text: str
    terms: tuple[Term, ...]
    filters: QueryFilters = field(default_factory=QueryFilters)


def parse_query(text: str) -> ParsedQuery:
    """Read a query (see the module docstring for the language).

    Raises:
        SearchQueryError: an unclosed quote or regular expression, an unknown filter value, a
            regular expression that does not compile, or nothing to search for.
    """
    if len(text) > MAX_QUERY:
        raise SearchQueryError(f"the query is {len(text):,} characters long; at most {MAX_QUERY:,}")
    terms: list[Term] = []
    filters: dict[str, list] = {key: [] for key in FILTER_KEYS}  # type: ignore[type-arg]
    pos = 0
    n = len(text)
    while pos < n:
        if text[pos].isspace():
            pos += 1
            continue
        if text[pos] == '"':
            close = text.find('"', pos + 1)
            if close == -1:
                raise SearchQueryError(f'the phrase starting at «{text[pos:pos + 20]}» has no closing "')
            phrase = text[pos + 1:close]
            words = tuple(phrase.split())
            if words and any(_has_word(w) for w in words):
                terms.append(Term(text[pos:close + 1], words=tuple(w for w in words if _has_word(w))))
            pos = close + 1
            continue
        if text[pos] == "[" and "]" in text[pos:]:
            # A pseudonym as the rendition writes it: [Mentor 2] is the phrase "Mentor 2".
            close = text.index("]", pos)
            words = tuple(w for w in text[pos + 1:close].split() if _has_word(w))
            if words:
                terms.append(Term(text[pos:close + 1], words=words))
            pos = close + 1
            continue
        if text[pos] == "/":
            close = _regex_end(text, pos + 1)
            if close == -1:
                raise SearchQueryError(f"the regular expression starting at «{text[pos:pos + 20]}» has no closing /")
            pattern = text[pos + 1:close]
            if not pattern:
                raise SearchQueryError("an empty regular expression (//) finds nothing")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise SearchQueryError(f"/{pattern}/ is not a regular expression: {exc}") from None
            terms.append(Term(text[pos:close + 1], regex=pattern))
            pos = close + 1
            continue
        match = re.match(r"(\w+):", text[pos:])
        if match and match.group(1).lower() in FILTER_KEYS:
            key = match.group(1).lower()
            pos += match.end()
            value, pos = _filter_value(text, pos, key)
            filters[key].append(value)
            continue
        end = pos
        while end < n and not text[end].isspace():
            end += 1
        word = text[pos:end]
        pos = end
        if word == "OR":
            continue  # "tillit OR trygghet" reads as it is meant: either of them
        if _has_word(word):
            terms.append(Term(word, words=(word,)))
    parsed_filters = _filters(filters)
    if not terms:
        raise SearchQueryError("nothing to search for: type a word, a \"phrase\", a prefix* or a /regular expression/")
    return ParsedQuery(text, tuple(terms), parsed_filters)


def _has_word(word: str) -> bool:
    """A query word holds at least one letter or digit (a lone * or ? finds nothing useful)."""
    return re.search(WORD_CHAR, word) is not None


def _regex_end(text: str, pos: int) -> int:
    """The index of the / closing a regular expression opened before ``pos`` (-1: none).

    A / inside the expression is written \\/; the closing one ends the query or a word.
    """
    i = pos
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "/" and (i + 1 == len(text) or text[i + 1].isspace()):
            return i
        i += 1
    return -1


def _filter_value(text: str, pos: int, key: str) -> tuple[str, int]:
    if pos < len(text) and text[pos] == '"':
        close = text.find('"', pos + 1)
        if close == -1:
            raise SearchQueryError(f'{key}:" has no closing "')
        value, pos = text[pos + 1:close], close + 1
    else:
        end = pos
        while end < len(text) and not text[end].isspace():
            end += 1
        value, pos = text[pos:end], end
    if not value.strip():
        raise SearchQueryError(f"{key}: needs a value, e.g. {_EXAMPLES[key]}")
    return value.strip(), pos


_EXAMPLES = {"role": "role:mentor", "round": "round:2", "doc": "doc:M01", "speaker": "speaker:informant",
             "in": 'in:"god mentor"', "is": "is:uncoded"}


def _filters(values: Mapping[str, list[str]]) -> QueryFilters:
    rounds = []
    for value in values["round"]:
        if not value.isdigit():
            raise SearchQueryError(f"round:{value} — a round is a number, e.g. round:2")
        rounds.append(int(value))
    speakers = {v.lower() for v in values["speaker"]}
    for value in speakers:
        if value not in SPEAKER_SIDES:
            raise SearchQueryError(f"speaker:{value} — use speaker:interviewer or speaker:informant")
    if len(speakers) > 1:
        raise SearchQueryError("speaker:interviewer and speaker:informant exclude each other; give one")
    for value in values["is"]:
        if value.lower() != "uncoded":
            raise SearchQueryError(f"is:{value} — the only one is is:uncoded (text no coding covers)")
    return QueryFilters(roles=_unique(values["role"]), rounds=_unique(rounds), documents=_unique(values["doc"]),
                        speaker=next(iter(speakers), None), in_codes=_unique(values["in"]), uncoded=bool(values["is"]))


# -- matching ------------------------------------------------------------------------------


def _word_tokens(word: str) -> list[str]:
    """The index tokens of one query word, wildcards kept: "IA-råd*" → ["IA", "råd*"].

    A ? at the end of a word is punctuation ("hvorfor?"), not a wildcard.
    """
    tokens = re.findall(rf"(?:{WORD_CHAR}|[*?])+", word)
    cleaned = []
    for token in tokens:
        token = token.rstrip("?") if not token.endswith("*") else token
        token = re.sub(r"\*+", "*", token)
        if _has_word(token) or (token and cleaned):
            cleaned.append(token)
    return [t for t in cleaned if _has_word(t)]


def _token_regex(token: str) -> str:
    parts = []
    for char in token:
        if char == "*":
            parts.append(f"{WORD_CHAR}*")
        elif char == "?":
            parts.append(WORD_CHAR)
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def _fold_regex(pattern: str, options: MatchOptions) -> str:
    """A user's regular expression with the accents of its letters removed (escapes untouched)."""
    if options.accent_sensitive:
        return pattern
    out = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        out.append(fold(pattern[i], case_sensitive=True))
        i += 1
    return "".join(out)


def _accent_variants() -> dict[str, str]:
    """Letter → every letter that folds to it by losing its accents ("a" → "aàáâãäåā…")."""
    variants: dict[str, str] = {}
    for low, high in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for codepoint in range(low, high):
            char = chr(codepoint)
            base = fold(char, case_sensitive=True)
            if base != char and len(base) == 1:
                variants[base] = variants.get(base, base) + char
    return variants


_VARIANTS = _accent_variants()


class Matcher:
    """Finds a query's hits in texts: ``(start, end)`` spans, in the text's own positions.

    The text is not folded letter by letter (slow in Python): it is lower-cased (fast, and
    position-preserving), and each letter of the query becomes the class of its accented forms
    ("tid" → ``t[iìíîï…]d``). The Nordic option spells letters out (å → aa) and so folds the text.
    """

    def __init__(self, query: ParsedQuery, options: MatchOptions = MatchOptions()) -> None:
        self.query = query
        self.options = options
        words: list[tuple[int, str]] = []
        regexes: list[re.Pattern[str]] = []
        for term in query.terms:
            if term.regex is not None:
                flags = 0 if options.case_sensitive else re.IGNORECASE
                regexes.append(re.compile(_fold_regex(term.regex, options), flags))
                continue
            tokens = [t for w in term.words for t in _word_tokens(self._fold(w))]
            if tokens:
                words.append((len(tokens), self._term_regex(tokens)))
        # One alternation for all word terms: one pass over the text however many terms. Longer
        # phrases first: where two terms start at one word, the hit is the longer one.
        words.sort(key=lambda w: -w[0])
        self._words = re.compile("|".join(f"(?:{w})" for _, w in words)) if words else None
        self._regexes = regexes

    def _fold(self, text: str) -> str:
        o = self.options
        if o.nordic:
            return fold_nordic(text, case_sensitive=o.case_sensitive, accent_sensitive=o.accent_sensitive)[0]
        return fold(text, case_sensitive=o.case_sensitive, accent_sensitive=o.accent_sensitive)

    def _letter(self, char: str) -> str:
        if char == "*":
            return f"{WORD_CHAR}*"
        if char == "?":
            return WORD_CHAR
        if self.options.accent_sensitive or char not in _VARIANTS:
            return re.escape(char)
        return "[" + _VARIANTS[char] + "]"

    def _term_regex(self, tokens: list[str]) -> str:
        """One term as a regular expression over whole words.

        The first word's letters come first and the "no letter before" check after them: the
        regular expression engine then skips ahead to where those letters are, instead of
        trying the check at every position (three to six times faster on a transcript).
        """
        first = tokens[0]
        fixed = 0
        while fixed < len(first) and first[fixed] not in _WILDCARDS:
            fixed += 1
        rest = "".join(self._letter(c) for c in first[fixed:])
        tail = "".join(_SEPARATOR + "".join(self._letter(c) for c in token) for token in tokens[1:])
        if fixed:
            head = "".join(self._letter(c) for c in first[:fixed]) + rf"(?<!{WORD_CHAR}[\s\S]{{{fixed}}})"
        else:
            head = _WORD_BOUNDARY_BEFORE
        return head + rest + tail + _WORD_BOUNDARY_AFTER

    def _searchable(self, text: str) -> str:
        """The text the word patterns run over, letter for letter where ``text`` has them."""
        if self.options.case_sensitive:
            return text
        lowered = text.lower()
        # A handful of letters lower-case into two ('İ'): fold those one for one instead.
        return lowered if len(lowered) == len(text) else fold(text, accent_sensitive=True)

    def find(self, text: str) -> list[tuple[int, int]]:
        """Every hit in ``text``, by position; identical spans once, empty matches never."""
        spans: list[tuple[int, int]] = []
        if self._words is not None:
            o = self.options
            if o.nordic:
                # å, ø, æ (and ä, ö) spelled out; where they stood, positions shift by one each.
                where = [m.start() for m in _NORDIC_LETTERS.finditer(text)]
                spelled = self._searchable(text.translate(_NORDIC_TABLE))
                shifted = [p + k for k, p in enumerate(where)]
                spans += [(_unspelled(m.start(), where, shifted, end=False), _unspelled(m.end(), where, shifted, end=True))
                          for m in self._words.finditer(spelled)]
            else:
                spans += [m.span() for m in self._words.finditer(self._searchable(text))]
        if self._regexes:
            accentless = text if self.options.accent_sensitive or text.isascii() else fold(text, case_sensitive=True)
            for regex in self._regexes:
                spans += [m.span() for m in regex.finditer(accentless) if m.end() > m.start()]
            spans = sorted(set(spans))
        return spans


_NORDIC_LETTERS = re.compile("[" + "".join(NORDIC) + "]")
_NORDIC_TABLE = str.maketrans(NORDIC)


def _unspelled(position: int, where: list[int], shifted: list[int], *, end: bool) -> int:
    """A position in the text with å, ø, æ spelled out, back in the text as written.

    ``where`` are the positions of the spelled-out letters in the text, ``shifted`` theirs in the
    spelled text. A position between the two letters of one spelling (the second a of "aa" for å)
    is the letter's start, or its end for the end of a match.
    """
    k = bisect.bisect_left(shifted, position)  # spellings that start before the position
    if k and position == shifted[k - 1] + 1:
        return where[k - 1] + (1 if end else 0)
    return position - k


# -- what the index must find ----------------------------------------------------------------


class IndexToken(NamedTuple):
    """One word the full-text index must hold for a turn to be a candidate.

    ``texts`` are alternatives, folded as the index folds (:func:`index_fold`); with ``prefix``
    any word starting with one of them counts. ``pattern`` (a regular expression the whole
    index word must match) and ``like`` (an SQL LIKE pattern over the folded text) narrow a
    word with a wildcard inside; a backend uses what it can. A token with no ``texts``,
    ``pattern`` or ``like`` constrains nothing.
    """

    texts: tuple[str, ...]
    prefix: bool = False
    pattern: str | None = None
    like: str | None = None

    @property
    def constrains(self) -> bool:
        """Whether the token narrows the candidates at all."""
        return bool(self.texts) or self.pattern is not None or self.like is not None


@dataclass(frozen=True)
class IndexPlan:
    """Turns holding any alternative (all of its tokens, in order where the backend can) are candidates."""

    alternatives: tuple[tuple[IndexToken, ...], ...]


def index_plan(query: ParsedQuery, options: MatchOptions = MatchOptions()) -> IndexPlan | None:
    """What the full-text index must find: a superset of the turns holding hits.

    Returns:
        the plan, or None when only reading every turn can answer (a regular expression, or a
        term made only of wildcards the index cannot narrow).
    """
    alternatives = []
    for term in query.terms:
        if term.regex is not None:
            return None
        tokens = []
        for word in term.words:
            for token in _word_tokens(word):
                tokens.append(_nordic_token(token) if options.nordic else _plain_token(token))
        if not any(t.constrains for t in tokens):
            return None
        alternatives.append(tuple(tokens))
    return IndexPlan(tuple(alternatives))


def _plain_token(token: str) -> IndexToken:
    folded = index_fold(token)
    first = min((folded.find(w) for w in _WILDCARDS if w in folded), default=-1)
    if first == -1:
        return IndexToken((folded,))
    literal = folded[:first]
    if first == len(folded) - 1 and folded.endswith("*"):
        return IndexToken((literal,), prefix=True)
    like = "%" + "".join("%" if c == "*" else "_" if c == "?" else _like_escape(c) for c in folded) + "%"
    return IndexToken((literal,) if literal else (), prefix=True,
                      pattern=_token_regex(folded), like=like)


def _like_escape(char: str) -> str:
    return "\\" + char if char in "%_\\" else char


def _nordic_token(token: str) -> IndexToken:
    """The index words a Nordic-folded query word may stand for (å is indexed as a, ø as ø, …)."""
    canonical = index_fold(fold_nordic(token)[0])
    first = min((canonical.find(w) for w in _WILDCARDS if w in canonical), default=-1)
    literal = canonical if first == -1 else canonical[:first]
    prefix = first != -1
    variants = _spelling_variants(literal)
    if variants is None:  # too many to list: the part before the first ambiguous spelling
        cut = min((literal.find(d) for d in _DIGRAPHS if d in literal), default=len(literal))
        literal, prefix, variants = literal[:cut], True, [literal[:cut]]
    if not literal:
        return IndexToken(())
    return IndexToken(tuple(variants), prefix=prefix)


_DIGRAPHS = {"aa": ("aa", "a"), "oe": ("oe", "ø", "o"), "ae": ("ae", "æ", "a")}


def _spelling_variants(word: str) -> list[str] | None:
    """Index spellings a Nordic spelling may come from ("tromsoe" → tromsoe, tromsø, tromso)."""
    results = [""]
    i = 0
    while i < len(word):
        pair = word[i:i + 2]
        if pair in _DIGRAPHS:
            results = [r + v for r in results for v in _DIGRAPHS[pair]]
            i += 2
        else:
            results = [r + word[i] for r in results]
            i += 1
        if len(results) > _MAX_VARIANTS:
            return None
    return list(dict.fromkeys(results))


# -- hits ------------------------------------------------------------------------------------


class SearchHit(NamedTuple):
    """One place where a query matched, as a keyword-in-context line.

    ``start``/``end`` and the turn bounds are positions in the stored (original) text, so a hit
    is coded and jumped to there; ``left``, ``match`` and ``right`` are as the reader sees them
    (the anonymised rendition unless originals are shown), one line each, made only when read:
    a common word has thousands of hits and a screen shows twenty.
    """

    document_id: int
    document: str
    participant: str | None
    role: str | None
    round: int | None
    turn: int
    """The turn's number in its document, from 1."""
    speaker: str | None
    side: str
    """``interviewer``, ``informant`` or ``unknown`` (see :func:`speaker_sides`)."""
    start: int
    end: int
    turn_start: int
    """Where the turn's words start (after the speaker label)."""
    turn_end: int
    text_sha256: str
    """The document text the positions belong to."""
    shown: str
    """The turn's words as the reader sees them (the anonymised rendition, or the original)."""
    shown_start: int
    """Where the hit is in ``shown``."""
    shown_end: int

    def context(self, width: int = 60) -> tuple[str, str, str]:
        """Keyword in context: the words before, the hit, the words after (``width`` characters either side)."""
        return context(self.shown, self.shown_start, self.shown_end, width)

    @property
    def left(self) -> str:
        """The words before the hit, as shown."""
        return self.context()[0]

    @property
    def match(self) -> str:
        """The hit, as shown."""
        return " ".join(self.shown[self.shown_start:self.shown_end].split())

    @property
    def right(self) -> str:
        """The words after the hit, as shown."""
        return self.context()[2]


# -- widening and context ----------------------------------------------------------------------


_SENTENCE_END = re.compile(r"[.!?…]+[»”\"')\]]*(?=\s|$)|\n")


def widen(text: str, start: int, end: int, unit: str, bounds: tuple[int, int]) -> tuple[int, int]:
    """A hit ``[start, end)`` widened to whole words, its sentence or its turn (within ``bounds``).

    Args:
        text: the document's (original) text.
        unit: one of :data:`WIDEN_UNITS`.
        bounds: ``(body start, end)`` of the hit's turn: nothing is widened past it.

    Returns:
        the span, without white space at either end.
    """
    lo, hi = bounds
    if unit == "hit":
        pass
    elif unit == "word":
        while start > lo and _word_char(text[start - 1]):
            start -= 1
        while end < hi and _word_char(text[end]):
            end += 1
    elif unit == "sentence":
        sentence_start = lo
        for match in _SENTENCE_END.finditer(text, lo, start):
            sentence_start = match.end()
        found = _SENTENCE_END.search(text, max(end, start), hi)
        # A hit that ends a sentence ("… tid.") keeps its stop.
        start, end = sentence_start, found.end() if found else hi
    elif unit == "turn":
        start, end = lo, hi
    else:
        raise ValueError(f"widen to one of {', '.join(WIDEN_UNITS)}, not {unit!r}")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _word_char(char: str) -> bool:
    return char.isalnum()


def context(text: str, start: int, end: int, width: int) -> tuple[str, str, str]:
    """Keyword in context: up to ``width`` characters either side of ``[start, end)``, one line each.

    Where the context is cut, it is cut at a space: no half word at either end.
    """
    before = text[max(0, start - width):start]
    if start - width > 0 and " " in before:
        before = before[before.index(" "):]
    after = text[end:end + width]
    if end + width < len(text) and " " in after:
        after = after[:after.rindex(" ")]
    left = " ".join(before.split())
    right = " ".join(after.split())
    # Keep the spaces that touch the hit: "det er [tid] nok", not "det er[tid]nok".
    if start > 0 and text[start - 1].isspace() and left:
        left += " "
    if end < len(text) and text[end].isspace() and right:
        right = " " + right
    return left, " ".join(text[start:end].split()), right


# -- who speaks ------------------------------------------------------------------------------


INTERVIEWER_LABELS = frozenset({"i", "int", "intervjuer", "intervjuar", "interviewer", "moderator", "mod",
                                "spørsmål", "q", "forsker", "researcher"})
INFORMANT_LABELS = frozenset({"r", "informant", "info", "respondent", "resp", "svar", "a", "deltaker",
                              "deltakar", "participant"})


def _label_side(speaker: str) -> str | None:
    key = re.sub(r"[\s\d.:_-]+$", "", speaker.strip().casefold())
    if key in INTERVIEWER_LABELS:
        return "interviewer"
    if key in INFORMANT_LABELS:
        return "informant"
    return None


# How an interviewer's turn opens when speech recognition wrote no question mark: a question
# word or an inverted verb and "du"/"dere", after a filler or two ("eh kan du fortelle").
_QUESTION_OPENING = re.compile(
    r"^(?:(?:eh|ehm|ehh|øh|mm|mhm|ja|jaha|okei|ok|og|men|så|da|nei|javel|akkurat|fint)[ ,.]+){0,3}"
    r"(?:hva|hvordan|hvorfor|hvem|hvor|hvilke|hvilken|hvilket|når|kva|korleis|kvifor|kven|kor|kordan|åssen|ka|kæ"
    r"|fortell|fortel|beskriv"
    r"|(?:kan|kunne|vil|ville|har|hadde|er|var|tenker|synes|syns|opplever|merker|føler|veit|vet|jobber|jobbar)"
    r"[ ]+(?:du|dere|de|dykk|dokker|det))(?![\w-])",
    re.IGNORECASE,
)


def opens_like_a_question(body: str) -> bool:
    """A turn that opens as a question does, without a question mark ("kan du fortelle litt om …")."""
    return _QUESTION_OPENING.match(body.lstrip()) is not None


def sides_need_questions(speakers: Iterable[str | None], *, survey: bool = False) -> bool:
    """Whether :func:`speaker_sides` needs the question counts (labels alone do not say who asks)."""
    return not survey and any(s is not None and _label_side(s) is None for s in speakers)


def speaker_sides(turns: Mapping[str | None, int], questions: Mapping[str | None, int] | None = None, *,
                  survey: bool = False) -> dict[str | None, str]:
    """Whether each speaker of one document is the interviewer, an informant, or unknown.

    Args:
        turns: speaker label (None: unlabelled text) → number of turns.
        questions: speaker label → question marks in their turns (needed only when
            :func:`sides_need_questions` says so).
        survey: the document is a survey respondent's answers: every turn is the informant's.

    Labels say it where they can (``I:``, ``Intervjuer:``, ``R:``, ``Informant:``). Otherwise
    (names, ``SPEAKER_00``) the speaker asking most questions per turn is the interviewer and
    the others are informants. Unlabelled text is unknown.
    """
    sides: dict[str | None, str] = {}
    named: list[str] = []
    for speaker in turns:
        if speaker is None:
            sides[speaker] = "unknown"
        elif survey:
            sides[speaker] = "informant"
        else:
            side = _label_side(speaker)
            if side is None:
                named.append(speaker)
            else:
                sides[speaker] = side
    if named:
        asked = questions or {}
        has_interviewer = "interviewer" in sides.values()
        asking = max(named, key=lambda s: (asked.get(s, 0) / max(turns[s], 1), asked.get(s, 0)))
        for speaker in named:
            interviewer = not has_interviewer and len(turns) > 1 and speaker == asking and asked.get(speaker, 0) > 0
            sides[speaker] = "interviewer" if interviewer else "informant"
    return sides


# -- pseudonyms in the rendition ---------------------------------------------------------------


def pseudonym_cores(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The words of each pseudonym the rendition ``text`` shows at ``spans``: "Mentor 2" of "[Mentor 2]s"."""
    cores = []
    for start, end in spans:
        shown = text[start:end]
        core_start = start + 1 if shown.startswith("[") else start
        close = shown.rfind("]")
        cores.append((core_start, start + close if close > 0 else end))
    return cores


class PseudonymFinder:
    """Which pseudonyms a query can find whole (they are in no index row: the index holds the originals)."""

    def __init__(self, query: ParsedQuery, options: MatchOptions = MatchOptions()) -> None:
        # Every run of consecutive query words: a phrase may hold a pseudonym inside it.
        runs = []
        for term in query.terms:
            tokens = [t for w in term.words for t in _word_tokens(w)]
            runs += [Term(" ".join(tokens[i:j]), words=tuple(tokens[i:j]))
                     for i in range(len(tokens)) for j in range(i + 1, min(len(tokens), i + 8) + 1)]
        self._matcher = Matcher(ParsedQuery(query.text, tuple(runs)), options) if runs else None

    def finds(self, pseudonym: str) -> bool:
        """Whether some hit could hold the whole pseudonym (or one word of it, as a name part shows)."""
        if self._matcher is None:
            return False
        core = pseudonym.strip().removeprefix("[").split("]")[0]
        pieces = [(0, len(core))]
        if not re.search(r"\d$", core):  # a replacement name ([Hilde Lunde]) may show one part ([Hilde])
            pieces += [m.span() for m in re.finditer(r"\S+", core)]
        spans = self._matcher.find(core)
        return any(s <= a and b <= e for a, b in pieces for s, e in spans)


def keeps_pseudonyms_whole(start: int, end: int, cores: Sequence[tuple[int, int]]) -> bool:
    """A hit may touch a pseudonym only by holding all of its words.

    "[Mentor 2]" stands for a name: the word mentor alone must not find it (a theme search would
    fill with replaced names), while "Mentor 2" or [Mentor 2] does.
    """
    return all(end <= s or e <= start or (start <= s and e <= end) for s, e in cores)


# -- coverage (only uncoded / only inside a code) ----------------------------------------------


def covered(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether some span of ``spans`` (sorted by start) overlaps ``[start, end)``."""
    return any(s < end and start < e for s, e in _near(spans, end))


def inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether some span of ``spans`` (sorted by start) contains ``[start, end)`` whole."""
    return any(s <= start and end <= e for s, e in _near(spans, end))


def _near(spans: Sequence[tuple[int, int]], end: int) -> Iterable[tuple[int, int]]:
    import bisect

    stop = bisect.bisect_left(spans, (end, -1))
    return itertools.islice(spans, 0, stop)
