"""Rule-based detectors of Norwegian identifiers: numbers, contact details, addresses, NAV offices.

These rules catch what a statistical model is bad at: identifiers whose shape is fixed by a
format or a checksum (fødselsnummer, organisasjonsnummer, phone numbers, e-mail addresses,
URLs, street addresses) and the one kind of organisation name that follows a strict pattern
("NAV Asker").  They also flag ages and dates, which are indirect identifiers that the researcher
reviews rather than something to replace automatically.

Everything here is pure Python and :mod:`re`; the regexes are compiled once at import, and each
starts with something the engine can skip ahead to (a digit, an ``@``, the word "NAV", a capital
letter), so the rules together scan several megabytes of transcript per second.

Offsets are Unicode code points into the text given, half-open ``[start, end)``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterator

from codebench.anonymise.detections import (
    ADDRESS,
    EMAIL,
    FNR,
    INDIRECT,
    NAV_OFFICE,
    ORGNR,
    PHONE,
    URL,
    Detection,
)

__all__ = ["find_identifiers", "valid_fnr", "valid_orgnr"]

# When two rules claim overlapping text the longer match wins; on equal length the more specific
# kind wins (a checksum beats a format, a format beats a word pattern).
_RANK = {FNR: 0, ORGNR: 1, EMAIL: 2, URL: 3, PHONE: 4, ADDRESS: 5, NAV_OFFICE: 6, INDIRECT: 7}


# ---------------------------------------------------------------------------------------------
# Checksums
# ---------------------------------------------------------------------------------------------

_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_ORGNR_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
_DAYS_IN_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# Residues of (weighted sum of the nine first digits + k1) mod 11 that make k1 valid.
# Classic rule: only 0, i.e. k1 = 11 - (S mod 11), 11 -> 0, 10 -> number discarded.
# Rule for numbers issued from 1 January 2032 (Skatteetaten, "Nytt fødselsnummer fra 2032",
# skatteetaten.github.io/folkeregisteret-api-dokumentasjon/nytt-fodselsnummer-fra-2032/ and
# skatteetaten.no/deling/opplysninger/folkeregisteropplysninger/pid/): the rest after the modulus
# check of k1 may be 0, 1, 2 or 3 (k1 = {11, 12, 13, 14} - (S mod 11), still discarded when that
# gives 10), so k1 is no longer unique; k2 is computed exactly as before, with k1 as its 10th digit.
_K1_RESIDUES_2032 = frozenset({0, 1, 2, 3})


def _fnr_rule(digits: str) -> str | None:
    """Which control-digit rule an 11-digit string satisfies: "classic", "2032" or None."""
    values = [ord(c) - 48 for c in digits]
    residue = (sum(w * d for w, d in zip(_K1_WEIGHTS, values)) + values[9]) % 11
    if residue not in _K1_RESIDUES_2032:
        return None
    # Adding k2 with weight 1 turns "k2 = 11 - (S mod 11), 11 -> 0, 10 invalid" into "sum ≡ 0".
    if (sum(w * d for w, d in zip(_K2_WEIGHTS, values)) + values[10]) % 11 != 0:
        return None
    return "classic" if residue == 0 else "2032"


def _valid_birth_date(digits: str) -> bool:
    """DDMMYY is a calendar date, allowing D-nummer (day + 40) and H-nummer (month + 40)."""
    day, month, year = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    if day > 40:  # D-nummer
        day -= 40
    elif month > 40:  # H-nummer (never both: a D-nummer keeps its real month)
        month -= 40
    if not 1 <= month <= 12 or day < 1:
        return False
    # The century is not known (and from 2032 the individual number no longer tells it), so
    # 29 February is accepted in every year divisible by four, 00 included.
    limit = 28 if month == 2 and year % 4 else _DAYS_IN_MONTH[month]
    return day <= limit


def valid_fnr(value: str) -> bool:
    """True if ``value`` (digits, separators ignored) is a valid fødselsnummer, D- or H-nummer.

    Checks the date part and both control digits, accepting the classic rule and the rule for
    numbers issued from 2032 (where several first control digits are valid).
    """
    digits = "".join(c for c in value if c.isdigit())
    return len(digits) == 11 and digits.isascii() and _valid_birth_date(digits) and _fnr_rule(digits) is not None


def valid_orgnr(value: str) -> bool:
    """True if ``value`` (digits, separators ignored) is a 9-digit organisasjonsnummer with a valid mod-11 check digit."""
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) != 9 or not digits.isascii():
        return False
    values = [ord(c) - 48 for c in digits]
    return (sum(w * d for w, d in zip(_ORGNR_WEIGHTS, values)) + values[8]) % 11 == 0


# ---------------------------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------------------------
# Speed: Python's regex engine skips ahead quickly only when a pattern starts with a literal or a
# character class, so every pattern below starts with one (a digit, "@", ".", "NAV", a capital)
# and checks "not inside a word" with a lookbehind *after* that first character ("[0-9](?<!\w.)").
# Case-insensitive matching is confined to short windows, since re.IGNORECASE over a whole text
# costs ten times more.  Digits are ASCII [0-9], not \d, which also matches other scripts.

# FNR: DDMMYY then the five-digit personnummer, contiguous or split the ways people type it.
_FNR = re.compile(
    r"[0-9](?<![\w+].)(?:[0-9]{5}|[0-9] [0-9]{2} [0-9]{2})[ .\-]?(?:[0-9]{5}|[0-9]{3} [0-9]{2})(?!\w)"
)

# Phone: eight digits starting 2-9 in one of the usual groupings, one separator used throughout
# (mixed separators are what clock-time ranges and dates look like), optionally after +47.
_PHONE_BODY = r"""(?:[0-9]{7}
      | [0-9]{2}(?P<s1>[ .\-])[0-9]{2}(?P=s1)[0-9]{3}
      | [0-9](?P<s2>[ .\-])[0-9]{2}(?P=s2)[0-9]{2}(?P=s2)[0-9]{2}
      | [0-9]{3}(?P<s3>[ .\-])[0-9]{4}
    )(?!\w)"""
_PHONE = re.compile(rf"[2-9](?<![\w+].){_PHONE_BODY}", re.VERBOSE)
_PHONE_PREFIXED = re.compile(rf"(?:\+47|0047|\(\+?47\))[ .\-]?[2-9]{_PHONE_BODY}", re.VERBOSE)
# ASR output groups digits as they were spoken ("9 13 45 678", "41 2 34 567"): one to three digits
# per group, single spaces, eight digits in all.
_PHONE_SPOKEN_GROUPS = re.compile(r"[2-9](?<![\w+].)[0-9]{0,2}(?:[ ][0-9]{1,3}){2,7}(?![0-9])(?!\w)")
_TYPED_GROUPINGS = frozenset({(3, 2, 3), (2, 2, 2, 2)})
_PHONE_SEPARATOR = re.compile(r"[ .\-]")
_DIGIT_BEFORE = re.compile(r"(?:[0-9][ .,\-]?|\w-)\Z")
_DIGIT_AFTER = re.compile(r"[ .,\-]?[0-9]|-\w")
# Checksummed numbers only refuse digits glued on ("9" + fnr, "fnr,5"): a following " 12. mars"
# is another number, and the checksum already makes a chance match rare.
_GLUED_BEFORE = re.compile(r"[0-9][.,\-]?\Z")
_GLUED_AFTER = re.compile(r"[.,\-]?[0-9]")
_AMOUNT_BEFORE = re.compile(r"(?:\bkr\.?|\bNOK|\bkroner|\bbeløp(?:et)?|[€$£])\s*\Z", re.IGNORECASE)
_AMOUNT_AFTER = re.compile(r"\s*(?:kr\b|kroner|NOK\b|,-|mill|milliard|prosent|%|euro|dollar)", re.IGNORECASE)
_CLOCK_BEFORE = re.compile(r"\b(?:kl|klokka|klokken|klokkja)\.?\s*\Z", re.IGNORECASE)
_PHONE_CONTEXT = re.compile(r"\b(?:tlf|telefon\w*|mobil\w*|nummer\w*|nr|ring\w*|sms)\b", re.IGNORECASE)

# Norwegian number words as ASR writes them (bokmål and nynorsk), for phone numbers read out
# digit by digit or in pairs, and for spelled-out ages.
_UNITS = {"null": "0", "nul": "0", "en": "1", "én": "1", "ein": "1", "eitt": "1", "ett": "1", "to": "2", "tre": "3",
          "fire": "4", "fem": "5", "seks": "6", "sju": "7", "syv": "7", "åtte": "8", "ni": "9"}
_TEENS = {"ti": "10", "elleve": "11", "elve": "11", "tolv": "12", "tretten": "13", "fjorten": "14",
          "femten": "15", "seksten": "16", "sytten": "17", "atten": "18", "nitten": "19"}
_TENS = {"tjue": "2", "tjuge": "2", "tyve": "2", "tretti": "3", "tredve": "3", "førti": "4", "firti": "4",
         "femti": "5", "seksti": "6", "sytti": "7", "åtti": "8", "nitti": "9"}


def _alternation(words: Collection[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _word_start_alternation(words: Collection[str]) -> str:
    """An alternation of whole words that starts with a cheap test.

    Grouping the words by first letter and checking "not inside a word" right after that letter
    makes the engine give up after one character almost everywhere; a flat alternation would try
    every word at every matching letter.  Measured on the sample corpus: three to four times faster.
    """
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    return "(?:" + "|".join(
        rf"{re.escape(first)}(?<!\w.)(?:{_alternation(rests)})" for first, rests in groups.items()
    ) + ")"


_NONZERO_UNITS = _alternation([w for w in _UNITS if w != "null"])
# The old count, still heard in dialect and from older speakers, says the unit first: "niognitti"
# (99), "femogtjue" (25).
_OLD_COUNT = rf"(?:{_NONZERO_UNITS})og(?:{_alternation(_TENS)})"
_NUMBER_WORD = (
    rf"(?:{_OLD_COUNT}|(?:{_alternation(_TENS)})(?:{_NONZERO_UNITS})?|{_alternation(_TEENS)}|{_alternation(_UNITS)})"
)
_NUMBER_TOKEN = re.compile(rf"(?P<old>(?P<ounit>{_NONZERO_UNITS})og(?P<otens>{_alternation(_TENS)}))(?!\w)"
                           rf"|(?P<tens>{_alternation(_TENS)})(?P<unit>{_NONZERO_UNITS})?(?!\w)|(?P<word>\w+)")
# Four or more number words in a row (each word gives one or two digits, so eight digits need at
# least four).  Lower case only: this is for ASR output; typed transcripts write digits.
_ALL_NUMBER_WORDS = [*_UNITS, *_TEENS, *_TENS, *(t + u for t in _TENS for u in _UNITS if u != "null"),
                     *(u + "og" + t for t in _TENS for u in _UNITS if u != "null")]
_SPOKEN_PHONE = re.compile(
    rf"{_word_start_alternation(_ALL_NUMBER_WORDS)}(?:[ ,\-]+{_NUMBER_WORD}){{3,}}(?!\w)"
)
_SPOKEN_PREFIX = re.compile(r"pluss[ ,\-]+\Z")
# How many digits a run of number words may spell and still be a phone number when a word such
# as "ring" or "nummeret" comes just before it (see _spoken_phone).
_SPOKEN_NEAR_EIGHT = (7, 10)
# Those words: a bare "nummer" is not one ("forslag nummer åtte ti tretten seksten", a list in
# the Storting's ASR), "nummeret" ("nummeret mitt er") is.
_PHONE_CUE = re.compile(r"\b(?:tlf|telefon\w*|mobil\w*|ring\w*|sms|nummeret)\b", re.IGNORECASE)
_ARTICLES = frozenset({"en", "én", "ein", "ett", "eitt"})

_EMAIL_LOCAL = re.compile(r"(?<![\w.%+\-])[\w%+\-](?:[\w.%+\-]*[\w%+\-])?\Z")
# An address read aloud and transcribed ("ola punktum nordmann krøllalfa nav punktum no"): the
# local part and the domain are words joined by "punktum"/"prikk", around the spoken "@".
_SPOKEN_DOT = r"(?:[ ]+(?:punktum|punkt|prikk|dot)[ ]+[\w\-]+)"
# Digits read after the dotted words belong to the local part ("hodan punktum warsame åttiseks
# at hotmail punktum com" is hodan.warsame86@…): without them the person's name before the
# number was left as a name, and a person of its own.
# A word of the local part may be heard as two ("tonje punkt ofte dal krøll …" for tonje.oftedal@):
# the local part, unlike the domain, is closed by the spoken "@" after it.
_SPOKEN_LOCAL = rf"[\w\-]+(?:[ ]+(?:punktum|punkt|prikk|dot)[ ]+[\w\-]+(?:[ ]+[\w\-]+)?)*(?:[ ]+(?:{_NUMBER_WORD}|[0-9]+))*"
_SPOKEN_EMAIL = re.compile(
    rf"(?<![\w\-]){_SPOKEN_LOCAL}[ ]+(?i:krøllalfa|krøll-alfa|krøll|alfakrøll|snabel-a|at-tegn)[ ]+[\w\-]+"
    # a domain said as words ("overhalla betong punktum no")
    rf"(?:[ ]+[\w\-]+){{0,2}}?{_SPOKEN_DOT}+(?![\w\-])"
)
# The English "at" read for "@" ("post at strandror punktum no", "mari at ia vestland punktum no"):
# "at" is also a Norwegian word, so only with a spoken dot and a top-level domain after it, and
# a domain of at most three words.
_SPOKEN_EMAIL_AT = re.compile(
    rf"(?<![\w\-]){_SPOKEN_LOCAL}[ ]+at(?:[ ]+[\w\-]+){{1,3}}?[ ]+(?:punktum|punkt|prikk|dot)[ ]+"
    r"(?:no|com|org|net|se|dk|eu|nu)(?![\w\-])", re.IGNORECASE)
_EMAIL_DOMAIN = re.compile(r"[^\W_](?:[\w\-]*[^\W_])?(?:\.[^\W_](?:[\w\-]*[^\W_])?)*\.[^\W\d_]{2,}(?![\w\-@])")
_URL_EXPLICIT = re.compile(r"""(?:https?://|www\.|Www\.|WWW\.)[^\s<>"«»\[\]{}|]+""")
# Top-level domains common enough in Norwegian interviews that "firma.no" is a web address.
_BARE_TLD = re.compile(r"\.(?:no|com|org|net|se|dk|fi|eu|io|info|nu|uk|de|is)(?![\w@\-])")
_DOMAIN_TAIL = re.compile(r"(?<![\w.@/\-])[^\W_](?:[\w\-]*[^\W_])?(?:\.[^\W_](?:[\w\-]*[^\W_])?)*\Z")
_URL_PATH = re.compile(r"""/[^\s<>"«»\[\]{}|]*""")
_TRAILING = ".,;:!?'\"»›)]}’”…-"

_ORGNR = re.compile(r"[0-9](?<![\w+].)[0-9]{2}( ?)[0-9]{3}\1[0-9]{3}(?!\w)")
_ORGNR_CONTEXT = re.compile(
    r"\b(?:org(?:anisasjons)?\.?[ \t]*-?[ \t]*(?:nr|nummer(?:et)?)|foretaks(?:nr|nummer(?:et)?|registeret)|orgnr)\b",
    re.IGNORECASE,
)
_MVA_AFTER = re.compile(r"[ \t]*MVA\b")

# Addresses.  Single-word street names are checked against the suffix list in Python (cheaper and
# clearer than an alternation tried inside every capitalised word); multi-word ones end in a
# separate lower-case street word ("Kong Oscars gate", "Nedre Eikås vei").
_STREET_SUFFIXES = (
    "veien", "vegen", "vei", "veg", "gata", "gaten", "gate", "stien", "stigen", "bakken", "plassen", "plass",
    "allé", "alléen", "alle", "alleen", "brygga", "bryggen", "torget", "torg", "lia", "haugen", "kroken",
    "svingen", "tunet", "åsen", "løkka", "løkken", "kaia", "kaien", "ringen", "terrassen", "jordet", "grenda",
    "berget",
)
_STREET_WORDS = (
    "gate|gata|gaten|vei|veg|veien|vegen|allé|plass|plassen|torg|torget|sti|stien|bakke|bakken|"
    "brygge|brygga|terrasse|ring"
)
_HOUSE = (
    r"(?P<number>[1-9][0-9]{0,3}(?![0-9])(?:[A-Za-z](?!\w)|[ ][A-H](?!\w))?(?:-[1-9][0-9]{0,3}(?![0-9]))?)"
    r"(?!\w)(?![.,][0-9])"
)
_POSTCODE = (
    r"(?P<post>(?:,[ \t]*|[ \t]*\n[ \t]*|[ \t]+)(?:NO?-)?[0-9]{4}[ \t]+"
    r"[A-ZÆØÅ][A-ZÆØÅa-zæøåéü]+(?:-[A-ZÆØÅ][A-ZÆØÅa-zæøåéü]+)?(?![\w\-]))?"
)
_ADDRESS = re.compile(
    rf"""[A-ZÆØÅ](?<!\w.)
    (?:(?P<multi>[\w'.\-]*[ ](?:[A-ZÆØÅ][\w'.\-]*[ ]){{0,2}}(?:{_STREET_WORDS}))
      |(?P<single>[^\W\d_]+)
    )[ ]+{_HOUSE}{_POSTCODE}""",
    re.VERBOSE,
)
# Capitalised words ending like a street that are usually something else: women's names and
# countries in -lia, and the work-inclusion vocabulary in -plass ("Praksisplass 2").
# Words that belong to the street name in front of a one-word street ("Øvre Ålgårdsvei 7").
_STREET_QUALIFIERS = frozenset(
    "øvre nedre nordre søndre vestre østre store lille gamle nye indre ytre midtre kong dronning prins".split()
)
_WORD_BEFORE = re.compile(r"(?<!\w)[A-ZÆØÅ][^\W\d_]+[ ]\Z")
_NOT_STREET_ENDINGS = ("ilia", "elia", "alia", "julia")
_NOT_STREET_STEMS = (
    "arbeids", "praksis", "tiltaks", "lærling", "studie", "parkerings", "sitte", "skole", "jobb", "barnehage",
    "omve", "bive", "karriere", "utdannings", "kunnskaps", "gang", "sykkel", "motor", "riks", "fylkes",
)
# A house number followed by one of these is a count ("Bakken 3 ganger"), not an address.
_NOT_HOUSE_AFTER = re.compile(
    r"[ \t]*(?:%|prosent|år\b|ganger|gonger|gang\b|timer|timar|time\b|dager|dagar|dag\b|uker|veker|måneder|"
    r"månader|kroner|kr\b|mill|minutter|min\b|stk|personer|folk\b|barn\b|ansatte|tilsette|kandidat|stykker)",
    re.IGNORECASE,
)
# "1234 Place" alone on a line: the second line of an address block.
_POSTCODE_LINE = re.compile(
    r"\n[ \t]*(?P<line>[0-9]{4}[ \t]+[A-ZÆØÅ][A-ZÆØÅa-zæøåéü]+(?:-[A-ZÆØÅ][A-ZÆØÅa-zæøåéü]+)?)[ \t]*(?=\n|\Z)"
)

# NAV offices.  The words after "NAV" decide: a capitalised place name (up to three words) or,
# in lower-case ASR text, a place the caller knows.
_NAV = re.compile(
    r"(?:NAV|Nav|nav)(?<!\w...)(?P<kontor>[\- ]?kontor(?:et)?[ \t]+(?:i|på|for)[ \t]+|[ \t]+)(?=\w)"
)
_NAV_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*(?![\w\-])")
# Words that start a new sentence or clause when punctuation is missing ("NAV Jeg vet ikke"), so
# they end an office name; the same list trims a sentence start off a street name.
_CLAUSE_WORDS = frozenset("""
jeg eg e æ vi me du dere de dei han hun ho den det dette disse der her da då så og men eller som at
om for til fra frå med på i av hos etter før under over ikke ikkje ja nei har hadde er var kan kunne
skal skulle vil ville må måtte blir ble vart sin sitt sine hva kva hvem kven hvor kor når hvorfor
kvifor hvordan korleis alle mange noen nokon ingen hvis viss dersom altså også sånn liksom jo vel
bare berre nå no uansett tja eh ehm mhm mm ok okei hei takk the a an ring ringte sa sier mente
""".split())

# The first word of place names made of two ("Østre Toten", "Midtre Namdal", "Indre Østfold").
_PLACE_PREFIXES = frozenset("""
østre vestre nordre søndre sørre midtre indre ytre øvre nedre nord sør øst vest øystre austre søre
""".split())

# Indirect identifiers: specific dates and ages.
_MONTHS = (
    "januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember|"
    r"jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|okt\.?|nov\.?|des\.?"
)
# Spoken and transcribed without the day's dot ("fødd 12 mai 1996"): full month names only.
_FULL_MONTHS = "januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember"
_YEAR = r"(?:[ ](?:1[89]|20)[0-9]{2}(?![0-9]))?"
_DATE = re.compile(
    rf"""[0-9](?<![\w.,/\-].)(?:
        (?P<d0>[0-9]?)\.[ ]?(?i:{_MONTHS})(?!\w){_YEAR}
      | (?P<d3>[0-9]?)[ ](?i:{_FULL_MONTHS})(?!\w){_YEAR}
      | (?P<d1>[0-9]?)\.(?P<m1>[0-9]{{1,2}})\.(?:[0-9]{{4}}|[0-9]{{2}})(?![0-9])(?!\.[0-9])
      | (?P<d2>[0-9]?)/(?P<m2>[0-9]{{1,2}})[\-/.](?:[0-9]{{4}}|[0-9]{{2}})(?![0-9/])
      | (?P<iso>[0-9]{{3}})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])(?![0-9\-])
    )""",
    re.VERBOSE,
)
# Ordinals as bokmål and nynorsk write them (and "tredde", heard in dialect): the months "første"
# to "tolvte", the days up to "trettiførste", also in the old count ("treogtjuende").
_MONTH_ORDINALS = (
    "første fyrste andre tredje tredde fjerde femte sjette sjuende sjuande syvende åttende åttande niende niande "
    "tiende tiande ellevte elvte tolvte"
).split()
_UNIT_ORDINALS = [w for w in _MONTH_ORDINALS if w not in ("tiende", "tiande", "ellevte", "elvte", "tolvte")]
_ORDINALS = [
    *_MONTH_ORDINALS,
    *"""trettende trettande fjortende fjortande femtende femtande sekstende sekstande syttende syttande attende
    attande nittende nittande tjuende tjuande tjugande trettiende trettiande tredevte""".split(),
    *(tens + unit for tens in ("tjue", "tjuge", "tretti") for unit in _UNIT_ORDINALS
      if tens != "tretti" or unit in ("første", "fyrste")),
    *(unit + "ogtjuende" for unit in "en to tre fire fem seks sju syv åtte ni".split()), "enogtrettiende",
]
# A year said in words after a spoken date: "nittenåttifire", "åttiåtte", "totusenogfem".
_SPOKEN_YEAR = (rf"(?:[ ](?:(?:(?:nitten|atten)[ ]?)?(?:{_alternation(_TENS)})(?:{_NONZERO_UNITS})?"
                rf"|to[ ]?tusen(?:[ ]?og[ ]?)?(?:{_NUMBER_WORD})?|tjue(?:{_NUMBER_WORD}))(?!\w))?")
_ORDINAL_DATE = re.compile(
    rf"{_word_start_alternation(_ORDINALS + [w.capitalize() for w in _ORDINALS])}[ ](?:{_MONTHS})(?!\w)"
    rf"(?:{_YEAR[3:-2]}|{_SPOKEN_YEAR[3:-2]})?"
)
# The day and the month both as ordinals, "the twelfth in the eighth": "tolvte i åttende nittini",
# "tjuetredje i sjuande sekstiåtte". "første i andre" can be something else ("den første i andre
# etasje"), so _indirect wants a year after it, a birth word before it, or "den" before it and no
# noun after it (an ordinal adjective has its noun; a month is followed by a year or a new clause).
_ORDINAL_MONTH_DATE = re.compile(
    rf"{_word_start_alternation(_ORDINALS + [w.capitalize() for w in _ORDINALS])}[ ]i[ ]"
    rf"(?:{_alternation(_MONTH_ORDINALS)})(?!\w)(?P<year>{_YEAR[3:-2]}|{_SPOKEN_YEAR[3:-2]})?")
_BIRTH_CUE_BEFORE = re.compile(
    r"(?<!\w)(?:født|fødd|fødde|føddes|bursdag|fødselsdag|fødselsdagen|bursdagen)(?:[ ]+(?:er|var|den|på|i))*[ ]+\Z",
    re.IGNORECASE)
_DEN_BEFORE = re.compile(r"(?<!\w)den[ ]+\Z", re.IGNORECASE)
_WORD_AFTER = re.compile(r"[ ]+(\w+)")

# After "født"/"fødd" a day said as a plain number is a birth date too: "fødd elleve november åttiseks".
_BIRTH_SPOKEN = re.compile(
    rf"(?<![\w-])(?:født|fødd|fødde|føddes)(?:[ ]+(?:den|i|på))?[ ]+(?P<date>(?:{_NUMBER_WORD})[ ](?:{_FULL_MONTHS})"
    rf"(?!\w)(?:{_YEAR[3:-2]}|{_SPOKEN_YEAR[3:-2]})?)",
    re.IGNORECASE)
# A date of birth said as numbers, without dots ("fødd 4 11 2003"): only after "født"/"fødd".
_BIRTH_NUMBERS = re.compile(
    r"(?<![\w-])(?:født|fødd|fødde)(?:[ ]+(?:den|i|på))?[ ]+(?P<date>(?P<d>[0-9]{1,2})[ ](?P<m>[0-9]{1,2})[ ](?:19|20)[0-9]{2})(?![0-9])",
    re.IGNORECASE)
# A birth year after "født i": "født i 1984", "fødd i nittensyttiåtte", "født i to tusen og to",
# "født i sekstini" (a year said by its last two digits). The year with the cue identifies as a
# date of birth does; "i" is needed ("født åttisju" may be a count).
_BIRTH_YEAR = re.compile(
    rf"(?<![\w-])(?:født|fødd|fødde|føddes)[ ]+i[ ]+(?P<year>(?:19|20)[0-9]{{2}}(?![0-9])"
    rf"|(?:nitten|atten)[ ]?(?:{_alternation(_TENS)})(?:[ ]?(?:{_NONZERO_UNITS}))?"
    rf"|to[ ]?tusen(?:[ ]?og)?(?:[ ]?(?:{_NUMBER_WORD}))?"
    rf"|(?:{_alternation(_TENS)})(?:[ ]?(?:{_NONZERO_UNITS}))?)(?!\w)",
    re.IGNORECASE)
# Ages: anchored on "år gammel" / "-åring", the number is looked for just before.
_AGE_ANCHOR = re.compile(r"år(?:[ ]+gam(?:mel|al|le)|ing(?:en|er|ene|ar|ane)?)(?!\w)")
_AGE_NUMBER = re.compile(
    rf"(?:(?<![\w.,])(?P<n>[0-9]{{1,3}})|(?<!\w)(?i:{_NUMBER_WORD}))(?:[ \-]?)\Z"
)
# "er 23 år": the verb (and the subject before it) are checked in a short window.
_AGE_YEARS = re.compile(r"[0-9](?<![\w.,].)[0-9]{0,2}[ ]år(?!\w)")
_AGE_VERB_BEFORE = re.compile(
    r"(?<!\w)(?P<before>\w+)[ ]+(?:(?P<fyller>fyller|fylte|fylt|fyllte|fyll)|er|var|blir|ble|vart|e|va)[ ]+\Z",
    re.IGNORECASE,
)
# "det er 3 år siden", "han var 5 år i NAV": durations, not ages.
_NOT_AGE_AFTER = re.compile(
    r"[ \t]+(?:siden|sidan|sia|til|igjen|fram|frem|etter|før|i|på|med|mellom|av|og|eller|som|der|her|"
    r"no|nå|tidlegare|tidligere|seinare|senere|gammel|gamal|gamle|inn|ut|unna|borte|lenger|lengre|fast)\b",
    re.IGNORECASE,
)
_NOT_AGE_SUBJECT = frozenset({"det", "dette", "da", "då", "nå", "no", "som", "der", "her", "den"})
# An age said in words, as ASR writes it: "han e tjuefem år nå", "hu e trettiåtte nå".
_SPOKEN_AGE = re.compile(
    r"(?<![\w-])(?P<before>\w+)[ ]+(?:(?P<fyller>fyller|fylte|fylt|fyll)|er|e|var|va|blir|ble|vart)[ ]+"
    rf"(?P<age>(?P<n>{_NUMBER_WORD})(?P<years>[ ]+år)?)(?![\w-])", re.IGNORECASE)
# One person as the subject: "vi var fire" is a count, "hu e trettiåtte" an age.
_PERSON_SUBJECTS = frozenset("jeg eg æ je du han hun ho hu mor mora far faren kona mannen "
                             "sønnen dattera datteren gutten jenta".split())
_NOW_AFTER = re.compile(r"[ ]+(?:nå|no|nu|i år|snart|og|så|men|til høsten|til våren|i dag"
                        # "eg er førtiåtte fødd i ...", "æ e sekstiåtte ha ha" (testers' interviews)
                        r"|fødd|født|eh|ehm|altså|da|ha|haha|hehe"
                        # corrected, or a new clause ("æ e førtisju nei førtiåtte", "eg e femtisju
                        # eg vart …"), or when ("æ blir trettini i mai"; testers 20-21)
                        r"|nei|eller|jeg|eg|æ|je|i[ ]+(?:januar|februar|mars|april|mai|juni|juli|august|september"
                        r"|oktober|november|desember|sommer|sommar|sommern|haust|høst|høsten|hausten|vinter|vår|jula|påska))"
                        r"(?![\w-])|[ ]*(?:$|\n)",
                        re.IGNORECASE)
# After the years a spoken age may go on with "nå" ("han e tjuefem år nå"); a duration goes on so.
_DURATION_AFTER = re.compile(r"[ ]+(?:siden|sidan|sia|til|igjen|i|på|med|fram|frem|etter|før)(?![\w-])",
                             re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Detectors
# ---------------------------------------------------------------------------------------------


def _in_digit_run(text: str, start: int, end: int) -> bool:
    """True when [start, end) continues a longer number on either side."""
    return bool(_DIGIT_BEFORE.search(text, max(0, start - 2), start) or _DIGIT_AFTER.match(text, end))


def _glued_to_digits(text: str, start: int, end: int) -> bool:
    return bool(_GLUED_BEFORE.search(text, max(0, start - 2), start) or _GLUED_AFTER.match(text, end))


def _fnr(text: str) -> Iterator[Detection]:
    for m in _FNR.finditer(text):
        start, end = m.span()
        if _glued_to_digits(text, start, end):
            continue  # part of a longer number (an account number, a list of numbers)
        digits = "".join(c for c in m.group() if c.isdigit())
        if not _valid_birth_date(digits):
            continue
        rule = _fnr_rule(digits)
        if rule is None:
            continue
        # The 2032 rule accepts four residues, so a random 11-digit string passes it four times as
        # often: still a checksum, but slightly weaker evidence.
        yield Detection(start, end, FNR, "rules:fnr", 1.0 if rule == "classic" else 0.9, m.group())


def _looks_like_date(digits: str) -> bool:
    """DDMMYYYY or YYYYMMDD in 1900-2099: eight digits that are more likely a date than a phone."""
    for day, month, year in ((digits[0:2], digits[2:4], digits[4:8]), (digits[6:8], digits[4:6], digits[0:4])):
        if year[:2] in ("19", "20") and 1 <= int(month) <= 12 and 1 <= int(day) <= _DAYS_IN_MONTH[int(month)]:
            return True
    return False


def _counting(groups: list[str]) -> bool:
    """Groups that step evenly ("20 30 40 50", "2 3 4 5 6 7 8 9"): counting, not a phone number."""
    values = [int(g) for g in groups]
    step = values[1] - values[0]
    return len(values) >= 3 and step != 0 and all(b - a == step for a, b in zip(values, values[1:]))


def _not_a_phone_context(text: str, start: int, end: int) -> bool:
    """Amounts, clock times and longer numbers around eight digits that look like a phone number."""
    if _in_digit_run(text, start, end):
        return True  # a piece of a longer digit run: amount, account number, fødselsnummer, +47 ...
    before = text[max(0, start - 12):start]
    # "kr 12345678", "12345678 kroner", "kl. 22 30 23 45"
    return bool(_AMOUNT_BEFORE.search(before) or _AMOUNT_AFTER.match(text, end) or _CLOCK_BEFORE.search(before))


def _phone(text: str) -> Iterator[Detection]:
    for m in _PHONE_PREFIXED.finditer(text):
        start, end = m.span()
        if (start and (text[start - 1].isalnum() or text[start - 1] == "+")) or _DIGIT_AFTER.match(text, end):
            continue
        yield Detection(start, end, PHONE, "rules:phone", 0.95, m.group())
    for m in _PHONE.finditer(text):
        start, end = m.span()
        if _not_a_phone_context(text, start, end):
            continue
        number = m.group()
        digits = number.replace(" ", "").replace(".", "").replace("-", "")
        if m.group("s3") and 1900 <= int(digits[:4]) <= 2099 and 1900 <= int(digits[4:]) <= 2099:
            continue  # "2019-2021", a range of years
        if len(number) == 8 and _looks_like_date(digits):
            continue  # "24031990", "20210312"
        if (m.group("s2") and _counting(_PHONE_SEPARATOR.split(number))
                and not _PHONE_CONTEXT.search(text, max(0, start - 40), start)):
            continue  # "20 30 40 50", unless a phone word goes before ("ring 23 45 67 89")
        if _PHONE_CONTEXT.search(text, max(0, start - 40), start):
            score = 0.95
        elif number[0] in "49":  # mobile numbers start with 4 or 9
            score = 0.85
        else:
            score = 0.75
        yield Detection(start, end, PHONE, "rules:phone", score, number)
    for m in _PHONE_SPOKEN_GROUPS.finditer(text):
        groups = m.group().split(" ")
        shape = tuple(len(g) for g in groups)
        if sum(shape) != 8 or shape in _TYPED_GROUPINGS:
            continue  # not eight digits, or a typed format already handled above
        if all(n == 3 for n in shape[1:]):
            continue  # "12 345 678": thousands separators, an amount
        if _counting(groups) or _not_a_phone_context(text, m.start(), m.end()):
            continue
        yield Detection(m.start(), m.end(), PHONE, "rules:phone", 0.5, m.group())


def _spoken_digits(run: str) -> str:
    """The digits a run of Norwegian number words spells ("nittien førti to" -> "9142")."""
    return "".join(_spoken_groups(run))


def _spoken_groups(run: str) -> list[str]:
    """The digits of each number said in a run of number words ("nittien førti to" -> ["91", "42"])."""
    out: list[str] = []
    bare_tens = False  # the last token was a tens word alone, so a unit word after it joins it
    for tok in _NUMBER_TOKEN.finditer(run):
        if tok.group("old"):
            out.append(_TENS[tok.group("otens")] + _UNITS[tok.group("ounit")])
            bare_tens = False
            continue
        if tok.group("tens"):
            unit = tok.group("unit")
            out.append(_TENS[tok.group("tens")] + (_UNITS[unit] if unit else "0"))
            bare_tens = unit is None
            continue
        word = tok.group("word")
        if bare_tens and word in _UNITS and word != "null":
            out[-1] = out[-1][0] + _UNITS[word]  # "førti to", written apart, is spoken 42
        elif word in _TEENS:
            out.append(_TEENS[word])
        elif word in _UNITS:
            out.append(_UNITS[word])
        bare_tens = False
    return out


def _spoken_phone(text: str) -> Iterator[Detection]:
    """Phone numbers read out as words in ASR output ("ni en tre førtifem seks sju åtte")."""
    for m in _SPOKEN_PHONE.finditer(text):
        start, end = m.span()
        run = m.group()
        digits = _spoken_digits(run)
        if len(digits) == 9 and run.rsplit(None, 1)[-1] in _ARTICLES:
            # "... sju åtte en gang til": the trailing article is not a digit
            run = run.rsplit(None, 1)[0].rstrip(" ,-")
            end = start + len(run)
            digits = digits[:8]
        prefix = _SPOKEN_PREFIX.search(text, max(0, start - 12), start)
        if prefix and digits.startswith("47") and len(digits) == 10:
            start, digits = prefix.start(), digits[2:]  # "pluss førtisju ..."
        elif digits.startswith("0047") and len(digits) == 12:
            digits = digits[4:]  # "null null førti sju ..."
        if _counting(_spoken_groups(text[start:end])):
            continue  # "to tre fire fem seks sju åtte ni"
        # Exactly eight digits starting 2-9 is a strong shape.
        if len(digits) == 8 and digits[0] not in "01":
            yield Detection(start, end, PHONE, "rules:phone-words", 0.6, text[start:end])
        elif _SPOKEN_NEAR_EIGHT[0] <= len(digits) <= _SPOKEN_NEAR_EIGHT[1] and _PHONE_CUE.search(
                text, max(0, start - 40), start):
            # Said after "ring", "nummeret", "mobil": a run of number words a digit or two off
            # eight is a phone number all the same. Speakers slip, and ASR adds, drops or joins a
            # word ("nittini" for "ni ni"): a tester's "ringje nittini åtte sju tre to null fem
            # fire" spells nine digits and was left in clear. It identifies as much as eight.
            yield Detection(start, end, PHONE, "rules:phone-words", 0.6, text[start:end])


def _trim_url(value: str) -> str:
    """Drop sentence punctuation after a URL, keeping a closing bracket that has its opener."""
    while value and value[-1] in _TRAILING:
        if value[-1] == ")" and value.count("(") >= value.count(")"):
            break
        value = value[:-1]
    return value


# "e-post ås hild punktum strand …": after the word that announces an address, a word before the
# dotted local part belongs to it (ASR split "åshild" in two).
_ADDRESS_CUE_BEFORE = re.compile(r"(?<![\w-])(?:e-post|epost|e-posten|eposten|mail|mailen|e-postadressa|e-postadressen|"
                                 r"e-postadresse|mailadressa|mailadressen|adressa|adressen)[ ]+([\w\-]+)[ ]+\Z",
                                 re.IGNORECASE)


_NOT_LOCAL = frozenset("til på er e var va det den ho han hun hu meg mæ deg dæ oss min mi mitt din di sin si "
                       "hans hennes hennar er og eller".split())


def _spoken_local_start(text: str, start: int) -> int:
    cue = _ADDRESS_CUE_BEFORE.search(text, max(0, start - 60), start)
    return cue.start(1) if cue and cue.group(1).casefold() not in _NOT_LOCAL else start


def _email_and_url(text: str) -> Iterator[Detection]:
    at = text.find("@")
    while at != -1:
        # The domain is anchored at the "@" and so cheap to test first; the local part needs a
        # search over a short window (at most 64 characters, the limit for a local part).
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        local = _EMAIL_LOCAL.search(text, max(0, at - 64), at) if domain else None
        if local and domain:
            yield Detection(local.start(), domain.end(), EMAIL, "rules:email", 0.95, text[local.start():domain.end()])
        at = text.find("@", at + 1)
    lowered = text.casefold()
    if "krøll" in lowered or "snabel" in lowered or "at-tegn" in lowered:
        for m in _SPOKEN_EMAIL.finditer(text):
            start = _spoken_local_start(text, m.start())
            yield Detection(start, m.end(), EMAIL, "rules:email", 0.9, text[start:m.end()])
    if " at " in lowered and ("punkt" in lowered or "prikk" in lowered or " dot " in lowered):
        for m in _SPOKEN_EMAIL_AT.finditer(text):
            start = _spoken_local_start(text, m.start())
            yield Detection(start, m.end(), EMAIL, "rules:email", 0.8, text[start:m.end()])
    for m in _URL_EXPLICIT.finditer(text):
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "@."):
            continue
        value = _trim_url(m.group())
        if "." not in value.split("://", 1)[-1].strip("./"):
            continue  # "https://" or "www." with nothing after it
        yield Detection(start, start + len(value), URL, "rules:url", 0.95, value)
    for m in _BARE_TLD.finditer(text):
        domain = _DOMAIN_TAIL.search(text, max(0, m.start() - 128), m.start())
        if domain is None:
            continue
        start, end = domain.start(), m.end()
        if text.startswith(("www.", "Www.", "WWW."), start):
            continue  # already found, with a higher score, by the explicit pattern
        path = _URL_PATH.match(text, end)
        if path:
            end = start + len(_trim_url(text[start:path.end()]))
        # With a path ("nav.no/mentor") it is surely an address; a bare "firma.no" a bit less so.
        yield Detection(start, end, URL, "rules:url", 0.8 if end > m.end() else 0.6, text[start:end])


def _orgnr(text: str) -> Iterator[Detection]:
    for m in _ORGNR.finditer(text):
        start, end = m.span()
        if _glued_to_digits(text, start, end) or not valid_orgnr(m.group()):
            continue
        # Nine digits pass the mod-11 check by chance about one time in eleven, so a number is
        # reported only with a context word before it (or the "MVA" of a VAT number after it).
        if _ORGNR_CONTEXT.search(text, max(0, start - 40), start) or _MVA_AFTER.match(text, end):
            yield Detection(start, end, ORGNR, "rules:orgnr", 1.0, m.group())


def _looks_like_street(word: str) -> bool:
    """A lower-cased single word that ends like a street name ("torggata", not "gata" or "julia")."""
    if word.endswith(_NOT_STREET_ENDINGS) or word.startswith(_NOT_STREET_STEMS):
        return False
    return any(word.endswith(suffix) and len(word) > len(suffix) + 1 for suffix in _STREET_SUFFIXES)


def _address(text: str) -> Iterator[Detection]:
    for m in _ADDRESS.finditer(text):
        start = m.start()
        if m.group("single") is not None:
            word = text[start:m.end("single")]
            # With a postcode after the number any name will do ("Holmvika 12, 6800 Førde");
            # without one, the word must end like a street and not be a known look-alike.
            if not m.group("post") and word != "Postboks" and not _looks_like_street(word.lower()):
                continue
            qualifier = _WORD_BEFORE.search(text, max(0, start - 12), start)
            if qualifier and qualifier.group().strip().lower() in _STREET_QUALIFIERS:
                start = qualifier.start()
        else:
            # A sentence may start right before the street name ("Vi Kong Oscars gate 12").
            words = text[start:m.end("multi")].split(" ")
            while len(words) > 2 and words[0].lower() in _CLAUSE_WORDS:
                start += len(words[0]) + 1
                words = words[1:]
        if _NOT_HOUSE_AFTER.match(text, m.end("number")):
            continue
        end = m.end()
        yield Detection(start, end, ADDRESS, "rules:address", 0.9 if m.group("post") else 0.8, text[start:end])
    for m in _POSTCODE_LINE.finditer(text):
        # Only under a short non-empty line, as in an address block ("Storgata 3\n0150 Oslo").
        line_start = m.start()
        previous = text[text.rfind("\n", 0, line_start) + 1:line_start].strip()
        if previous and len(previous) <= 60:
            yield Detection(m.start("line"), m.end("line"), ADDRESS, "rules:address", 0.6, m.group("line"))


# In ASR text a street is said without capitals and its number in words: "i hundvågveien tolv",
# "på tøyen bakeri i hagegata".
# "fire hundre og tolv", "hundre og tolv": house numbers in the hundreds.
_HUNDREDS = rf"(?:(?:{_NONZERO_UNITS})[ ]?)?hundre(?:[ ]?og)?(?:[ ]?{_NUMBER_WORD})?"
_SPOKEN_STREET = re.compile(
    r"(?<![\w-])(?:i|på|fra|frå|til|ved|nedi|oppi|borti|inni|utpå|oppå"
    # "adressa er hydrovegen femtifem": the address said, no preposition
    r"|adressa(?:[ ]+mi)?[ ]+(?:er|e|va|var)|adressen(?:[ ]+min)?[ ]+(?:er|var)|adresse[ ]+(?:er|e))[ ]+"
    r"(?P<street>(?:(?:gamle|nye|øvre|nedre|nordre|søndre|vestre|østre|store|lille|indre|ytre)[ ]+)?"
    # "tordenskjolds gate", "kirsten flagstads vei": a name (one or two words) and the street word
    r"(?:(?P<first>[^\W\d_]{3,})(?:[ ]+(?P<second>[^\W\d_]{3,}s))?[ ]+"
    r"(?:gate|gata|gaten|gt|vei|veg|veien|vegen|allé|plass|terrasse)(?![\w-])"
    r"|[^\W\d_]{6,}))"
    rf"(?P<number>[ ]+(?:[1-9][0-9]{{0,3}}(?:[ ]?[a-h])?|{_HUNDREDS}|{_NUMBER_WORD})"
    r"(?:[ ][abcdfgh](?![\w-]))?(?![\w-]))?", re.IGNORECASE)


# A street and its house number in words, whatever goes before: "det e furuflatveien tjueto",
# "adressen her er saggrendveien førtito", "i ole tobias olsens gate tjueto" (testers' addresses;
# the rule above wants a preposition or "adressa er" right before the street).
_NUMBERED_STREET = re.compile(
    r"(?<![\w-])(?:(?P<named>[^\W\d_]{3,}s)[ ]+(?:gate|gata|gaten|gt|vei|veg|veien|vegen|allé|plass|terrasse)"
    r"|(?P<word>[^\W\d_]{6,}))"
    rf"[ ]+(?:[1-9][0-9]{{0,3}}(?:[ ]?[a-h])?|{_HUNDREDS}|{_NUMBER_WORD})(?:[ ][abcdfgh](?![\w-]))?(?![\w-])",
    re.IGNORECASE)
_NAME_WORD_BEFORE = re.compile(r"([^\W\d_]{2,})[ ]+\Z")


def _numbered_street(text: str) -> Iterator[Detection]:
    """In ASR text, a street followed by its house number (see ``_NUMBERED_STREET``): one word
    that ends like a street and is no ordinary word, or a genitive name and the street word, with
    up to two more words of the name before it ("ole tobias olsens gate")."""
    from codebench.anonymise.gazetteer import is_caseless, is_common_word, is_inflected_word

    if not is_caseless(text):
        return
    for m in _NUMBERED_STREET.finditer(text):
        if m.group("word"):
            word = m.group("word").casefold()
            if not _looks_like_street(word) or is_common_word(word) or is_inflected_word(word):
                continue
            start = m.start()
        else:
            named = m.group("named").casefold()
            if len(named) < 5 or is_common_word(named[:-1]) or named[:-1] in _CLAUSE_WORDS:
                continue
            start = m.start()
            for _ in range(2):
                before = _NAME_WORD_BEFORE.search(text, max(0, start - 30), start)
                if before is None or before.group(1).casefold() in _CLAUSE_WORDS or is_common_word(before.group(1)):
                    break
                start = before.start(1)
        yield Detection(start, m.end(), ADDRESS, "rules:address", 0.7, text[start:m.end()])


def _spoken_street(text: str) -> Iterator[Detection]:
    """A street name said in lower-case ASR text after a preposition of place, with its house
    number when one follows: one word that ends like a street and is no ordinary word ("skoleveien"
    and "motorveien" are words; "hundvågveien" is a street)."""
    from codebench.anonymise.gazetteer import is_caseless, is_common_word, is_inflected_word

    if not is_caseless(text):
        return
    for m in _SPOKEN_STREET.finditer(text):
        word = m.group("street").casefold()
        if m.group("first"):
            first = m.group("first").casefold()
            named = (m.group("second") or m.group("first")).casefold()
            # "tordenskjolds gate førti": a name and the street word ("i den gata" is no street)
            genitive = named.endswith("s") and len(named) >= 5 and not is_common_word(named[:-1])
            if first in _CLAUSE_WORDS or (is_common_word(first) and not genitive) or (
                    m.group("second") and not genitive):
                continue
        else:
            last = word.split()[-1]
            if not _looks_like_street(last) or is_common_word(last) or is_inflected_word(last):
                continue
        yield Detection(m.start("street"), m.end(), ADDRESS, "rules:address", 0.7, text[m.start("street"):m.end()])


def _unknown_place_word(word: str) -> bool:
    from codebench.anonymise.gazetteer import NOT_NAMES, is_common_word, is_inflected_word

    folded = word.casefold()
    return (word.islower() and len(folded) >= 3 and folded not in _CLAUSE_WORDS and folded not in NOT_NAMES
            and not is_common_word(folded)
            and not is_inflected_word(folded))


def _nav_office(text: str, places: frozenset[str]) -> Iterator[Detection]:
    from codebench.anonymise.gazetteer import is_caseless, norwegian_places

    caseless = is_caseless(text)
    # After "nav" a Norwegian place is the office's, even one that is also a word ("nav fana").
    # (Two lookups, not one union: the union of the place list cost a copy per text.)
    known = norwegian_places()
    for m in _NAV.finditer(text):
        start, pos = m.start(), m.end()
        words: list[tuple[int, int, str]] = []
        while len(words) < 3:
            w = _NAV_WORD.match(text, pos)
            if w is None:
                break
            words.append((w.start(), w.end(), w.group()))
            pos = w.end()
            while pos < len(text) and text[pos] in " \t":
                pos += 1
            if pos == w.end():
                break  # punctuation or a line end closes the name
        end = None
        score = 0.8
        # A place the caller knows, in any case (the only way for lower-case ASR text).
        for n in range(len(words), 0, -1):
            said = " ".join(text[words[0][0]:words[n - 1][1]].split()).casefold()
            if said in places or said in known:
                end, score = words[n - 1][1], 0.9
                break
        if (end is None and caseless and text[start] == "n" and len(words) >= 2
                and words[0][2].casefold() in _PLACE_PREFIXES and words[1][2].casefold() not in _CLAUSE_WORDS):
            # "nav østre toten", "nav midtre namdal": a place named with its quarter or part.
            end, score = words[1][1], 0.7
        if end is None and caseless and text[start] == "n" and words and _unknown_place_word(words[0][2]):
            # Lower-case ASR: "nav sørvik" is an office when the word after "nav" is no ordinary
            # word (a place the lists do not know); the model would make a person of it.
            end, score = words[0][1], 0.7
        if end is None and text[start] == "N":
            # A capitalised office name, ending at a word that starts a new clause.
            taken = 0
            for _, _, word in words:
                if not word[0].isupper() or word.casefold() in _CLAUSE_WORDS:
                    break
                if "-" in word and not all(part[:1].isupper() for part in word.split("-")):
                    break  # "NAV IA-rådgiver": a compound noun, not a place
                taken += 1
            if taken:
                end = words[taken - 1][1]
        if end is None:
            continue
        if m.group("kontor").strip():
            score = max(score, 0.85)  # "NAV-kontoret i Asker" leaves little doubt
        yield Detection(start, end, NAV_OFFICE, "rules:nav", score, text[start:end])


def _valid_day_month(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month]


def _indirect(text: str) -> Iterator[Detection]:
    for m in _DATE.finditer(text):
        first = text[m.start()]
        if m.group("iso") is not None:
            if first + m.group("iso")[0] not in ("19", "20"):
                continue
        elif m.group("d1") is not None:
            if not _valid_day_month(int(first + m.group("d1")), int(m.group("m1"))):
                continue
        elif m.group("d2") is not None:
            if not _valid_day_month(int(first + m.group("d2")), int(m.group("m2"))):
                continue
        elif not 1 <= int(first + (m.group("d0") if m.group("d0") is not None else m.group("d3"))) <= 31:
            continue
        yield Detection(m.start(), m.end(), INDIRECT, "rules:date", 0.5, m.group())
    for m in _ORDINAL_DATE.finditer(text):
        yield Detection(m.start(), m.end(), INDIRECT, "rules:date", 0.5, m.group())
    for m in _ORDINAL_MONTH_DATE.finditer(text):
        if not m.group("year") and not _BIRTH_CUE_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            if not _DEN_BEFORE.search(text, max(0, m.start() - 4), m.start()):
                continue
            after = _WORD_AFTER.match(text, m.end())
            if after and after.group(1).casefold() not in _CLAUSE_WORDS:
                continue  # "den første i andre etasje"
        yield Detection(m.start(), m.end(), INDIRECT, "rules:date", 0.5, m.group())
    for m in _BIRTH_SPOKEN.finditer(text):
        yield Detection(m.start("date"), m.end("date"), INDIRECT, "rules:date", 0.5, m.group("date"))
    for m in _BIRTH_YEAR.finditer(text):
        yield Detection(m.start("year"), m.end("year"), INDIRECT, "rules:date", 0.5, m.group("year"))
    for m in _BIRTH_NUMBERS.finditer(text):
        if _valid_day_month(int(m.group("d")), int(m.group("m"))):
            yield Detection(m.start("date"), m.end("date"), INDIRECT, "rules:date", 0.5, m.group("date"))
    for m in _AGE_ANCHOR.finditer(text):
        number = _AGE_NUMBER.search(text, max(0, m.start() - 16), m.start())
        if number is None:
            continue
        if number.group("n") is not None and not 1 <= int(number.group("n")) <= 110:
            continue
        start, end = number.start(), m.end()
        yield Detection(start, end, INDIRECT, "rules:age", 0.4, text[start:end])
    for m in _SPOKEN_AGE.finditer(text):
        before, end = m.group("before").casefold(), m.end("age")
        if not 1 <= int(_spoken_digits(m.group("n").casefold()) or 0) <= 110:
            continue
        if m.group("years"):
            # "han e tjuefem år": an age, unless a duration ("det var fem år siden")
            if not m.group("fyller") and (before in _NOT_AGE_SUBJECT or (
                    _DURATION_AFTER.match(text, end) if before in _PERSON_SUBJECTS else _NOT_AGE_AFTER.match(text, end))):
                continue
        elif not (m.group("fyller") or (before in _PERSON_SUBJECTS and _NOW_AFTER.match(text, end))):
            continue  # without "år" only "hu e trettiåtte nå", "han fyller femti"
        yield Detection(m.start("age"), end, INDIRECT, "rules:age", 0.4, text[m.start("age"):end])
    for m in _AGE_YEARS.finditer(text):
        start, end = m.span()
        verb = _AGE_VERB_BEFORE.search(text, max(0, start - 30), start)
        if verb is None:
            continue
        if not verb.group("fyller") and (
            verb.group("before").lower() in _NOT_AGE_SUBJECT or _NOT_AGE_AFTER.match(text, end)
        ):
            continue  # a duration: "det er 3 år siden", "han var 5 år i NAV" ("fyller 50 år i mai" is an age)
        if not 1 <= int(text[start:end - 3]) <= 110:
            continue
        yield Detection(start, end, INDIRECT, "rules:age", 0.4, text[start:end])


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


# An age or a year corrected or said again right after it: "æ e førtisju nei førtiåtte", "født i
# syttien nei syttito", "eg er trettifire år ja trettifire" (testers 20-21).
_SAID_AGAIN = re.compile(
    rf"[ ,]+(?:(?:eh|ehm)[ ,]+)?(?:nei|eller|ja|altså)[ ,]+(?:(?:eh|ehm)[ ,]+)?(?P<n>(?:{_NUMBER_WORD})(?:[ ]?(?:{_NONZERO_UNITS}))?)"
    r"(?P<years>[ ]+år)?(?![\w-])", re.IGNORECASE)


# The answer to "how old are you": the number that opens the next turn ("og kor gammal e du /
# SPEAKER_01: førtisju eh æ e født i …"; a tester's Senja interview).
_AGE_QUESTION = re.compile(
    r"(?<![\w-])(?:hvor|kor|koss|ka)[ ]+gam(?:mel|mal|al|le)[ ]+(?:er|e|æ|blir|ble|vart)[ ]+"
    r"(?:du|dokker|dere|dykk|han|ho|hun|hu)(?![\w-])[^\n]{0,40}\n+(?:[^\n:]{1,40}:[ ]*)?"
    r"(?:(?:ja|jo|eh|ehm|nei|altså|eg|æ|jeg|je|er|e|æ|ble|vart|blir|fyller|han|ho|hun|hu)[ ,]+){0,4}"
    rf"(?P<n>(?:{_NUMBER_WORD})(?:[ ]?(?:{_NONZERO_UNITS}))?|[0-9]{{1,3}})(?P<years>[ ]+år)?(?![\w-])",
    re.IGNORECASE)


def _with_corrections(text: str, found: list[Detection]) -> list[Detection]:
    """``found`` (ages and dates) with the number said again or corrected right after each,
    and the number that answers "how old are you"."""
    out = list(found)
    for answer in _AGE_QUESTION.finditer(text):
        digits = answer.group("n") if answer.group("n").isdigit() else _spoken_digits(
            answer.group("n").casefold().replace(" ", ""))
        start, end = answer.start("n"), answer.end()
        if 1 <= int(digits or 0) <= 110 and not any(d.start < end and start < d.end for d in out):
            det = Detection(start, end, INDIRECT, "rules:age", 0.4, text[start:end])
            out.append(det)
            found = [*found, det]
    for det in found:
        if det.detector not in ("rules:age", "rules:date"):
            continue
        again = _SAID_AGAIN.match(text, det.end)
        if again is None or not 1 <= int(_spoken_digits(again.group("n").casefold().replace(" ", "")) or 0) <= 110:
            continue
        start, end = again.start("n"), again.end()
        if not any(d.start < end and start < d.end for d in out):
            out.append(Detection(start, end, det.kind, det.detector, det.score, text[start:end]))
    return out


def _resolve(candidates: list[Detection]) -> list[Detection]:
    """Keep the longest (then most specific) detection wherever candidates overlap."""
    ordered = sorted(candidates, key=lambda d: (d.start - d.end, _RANK[d.kind], d.start))
    starts: list[int] = []
    kept: list[Detection] = []
    for det in ordered:
        i = bisect.bisect_left(starts, det.start)
        if i > 0 and kept[i - 1].end > det.start:
            continue
        if i < len(kept) and kept[i].start < det.end:
            continue
        starts.insert(i, det.start)
        kept.insert(i, det)
    return kept


def find_identifiers(text: str, *, places: Collection[str] = ()) -> list[Detection]:
    """Find Norwegian identifiers in ``text`` by rule.

    Direct identifiers: fødselsnummer / D- / H-nummer (checksum-verified, classic and 2032 rules),
    phone numbers, e-mail addresses and street addresses.  Indirect ones, flagged for review:
    URLs, organisasjonsnummer (with a context word), NAV offices, ages and specific dates.

    Args:
        text: the document's stored text.
        places: place names the caller knows (from the project's sites or a gazetteer),
            compared case-insensitively.  Only these let lower-case ASR text such as
            "nav sørvik" count as a NAV office; capitalised office names need no list.

    Returns:
        Detections sorted by start, never overlapping (where rules compete for the same text
        the longer, then the more specific, match is kept).  Offsets are code points,
        half-open, and ``text`` of each detection equals ``text[start:end]``.
    """
    known = frozenset(" ".join(p.split()).casefold() for p in places if p and not p.isspace())
    candidates: list[Detection] = []
    candidates.extend(_fnr(text))
    candidates.extend(_orgnr(text))
    candidates.extend(_phone(text))
    candidates.extend(_spoken_phone(text))
    candidates.extend(_email_and_url(text))
    candidates.extend(_address(text))
    candidates.extend(_spoken_street(text))
    candidates.extend(_numbered_street(text))
    candidates.extend(_nav_office(text, known))
    candidates.extend(_with_corrections(text, list(_indirect(text))))
    return _resolve(candidates)
