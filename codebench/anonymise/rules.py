"""Rule-based detectors of Norwegian identifiers: numbers, contact details, addresses, NAV offices.

These rules catch what a statistical model is bad at: identifiers whose shape is fixed by a
format or a checksum (fødselsnummer, organisasjonsnummer, phone numbers, e-mail addresses,
URLs, street addresses) and the one kind of organisation name that follows a strict pattern
("NAV Asker").  They also flag ages and dates, which are indirect identifiers that the researcher
reviews rather than something to replace automatically.

Everything here is pure Python and :mod:`re`; the regexes are compiled once at import, and every
pattern is anchored on something rare (a digit, an ``@``, the word "NAV", a street suffix) so a
whole corpus can be scanned in a fraction of a second.

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

# FNR: DDMMYY then the five-digit personnummer, contiguous or split the ways people type it.
_FNR = re.compile(
    r"(?<![\w+])(?:\d{6}|\d\d \d\d \d\d)[ .\-]?(?:\d{5}|\d{3} \d\d)(?!\w)"
)

# Phone: an optional country code, then eight digits in one of the usual groupings, with one
# separator used throughout (mixing separators is how clock-time ranges and dates look).
_PHONE = re.compile(
    r"""(?<![\w+])
    (?P<prefix>(?:\+|00)47[ .\-]?|\(\+?47\)[ ]?)?
    (?P<number>
        [2-9]\d{7}
      | [2-9]\d\d(?P<s1>[ .\-])\d\d(?P=s1)\d{3}
      | [2-9]\d(?P<s2>[ .\-])\d\d(?P=s2)\d\d(?P=s2)\d\d
      | [2-9]\d{3}(?P<s3>[ .\-])\d{4}
    )
    (?!\w)""",
    re.VERBOSE,
)
_DIGIT_BEFORE = re.compile(r"(?:\d[ .,\-]?|\w-)$")
_DIGIT_AFTER = re.compile(r"[ .,\-]?\d|-\w")
_AMOUNT_BEFORE = re.compile(r"(?:\bkr\.?|\bNOK|\bkroner|\bbeløp(?:et)?|[€$£])\s*$", re.IGNORECASE)
_AMOUNT_AFTER = re.compile(r"\s*(?:kr\b|kroner|NOK\b|,-|mill|milliard|prosent|%|euro|dollar)", re.IGNORECASE)
_CLOCK_BEFORE = re.compile(r"\b(?:kl|klokka|klokken|klokkja)\.?\s*$", re.IGNORECASE)
_PHONE_CONTEXT = re.compile(r"\b(?:tlf|telefon\w*|mobil\w*|nummer\w*|nr|ring\w*|sms)\b", re.IGNORECASE)

# Norwegian number words, as ASR writes them (bokmål and nynorsk).  Used for phone numbers
# read out digit by digit or in pairs, and for spelled-out ages.
_UNITS = {"null": "0", "en": "1", "én": "1", "ein": "1", "eitt": "1", "ett": "1", "to": "2", "tre": "3",
          "fire": "4", "fem": "5", "seks": "6", "sju": "7", "syv": "7", "åtte": "8", "ni": "9"}
_TEENS = {"ti": "10", "elleve": "11", "elve": "11", "tolv": "12", "tretten": "13", "fjorten": "14",
          "femten": "15", "seksten": "16", "sytten": "17", "atten": "18", "nitten": "19"}
_TENS = {"tjue": "2", "tjuge": "2", "tyve": "2", "tretti": "3", "tredve": "3", "førti": "4", "femti": "5",
         "seksti": "6", "sytti": "7", "åtti": "8", "nitti": "9"}


def _alternation(words: Collection[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_NONZERO_UNITS = _alternation([w for w in _UNITS if w != "null"])
_NUMBER_WORD = (
    rf"(?:(?:{_alternation(_TENS)})(?:{_NONZERO_UNITS})?|{_alternation(_TEENS)}|{_alternation(_UNITS)})"
)
_NUMBER_TOKEN = re.compile(rf"(?P<tens>{_alternation(_TENS)})(?P<unit>{_NONZERO_UNITS})?|(?P<word>\w+)")
_SPOKEN_PHONE = re.compile(
    rf"(?<!\w)(?P<prefix>pluss[ ,\-]+(?:førtisju|førti[ \-]sju|fire[ \-]sju)[ ,\-]+)?"
    rf"{_NUMBER_WORD}(?:[ ,\-]+{_NUMBER_WORD}){{2,}}(?!\w)",
    re.IGNORECASE,
)
_ARTICLES = frozenset({"en", "én", "ein", "ett", "eitt"})

_EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w%+\-](?:[\w.%+\-]*[\w%+\-])?@[^\W_](?:[\w\-]*[^\W_])?(?:\.[^\W_](?:[\w\-]*[^\W_])?)*\.[^\W\d_]{2,}(?![\w\-@])"
)
# Top-level domains common enough in Norwegian interviews that "firma.no" is a web address.
_BARE_TLDS = "no|com|org|net|se|dk|fi|eu|io|info|nu|uk|de|is"
_URL = re.compile(
    rf"""(?:https?://|www\.)[^\s<>"«»\[\]{{}}|]+
    | (?<![\w.@/\-])[^\W_](?:[\w\-]*[^\W_])?(?:\.[^\W_](?:[\w\-]*[^\W_])?)*\.(?:{_BARE_TLDS})(?![\w@\-])(?:/[^\s<>"«»\[\]{{}}|]*)?""",
    re.VERBOSE,
)
_TRAILING = ".,;:!?'\"»›)]}’”…-"

_ORGNR = re.compile(r"(?<![\w+])\d{3}( ?)\d{3}\1\d{3}(?!\w)")
_ORGNR_CONTEXT = re.compile(
    r"\b(?:org(?:anisasjons)?\.?[ \t]*-?[ \t]*(?:nr|nummer)|foretaks(?:nr|nummer|registeret)|orgnr)\b\.?",
    re.IGNORECASE,
)
_MVA_AFTER = re.compile(r"[ \t]*MVA\b")

# Addresses.  Single-word street names are checked against the suffix list in Python (cheaper
# and clearer than a regex alternation tried at every capital letter); multi-word ones end in a
# separate lower-case street word ("Kong Oscars gate", "Nedre Eikås vei").
_STREET_SUFFIXES = (
    "veien", "vegen", "vei", "veg", "gata", "gaten", "gate", "stien", "stigen", "bakken", "plassen", "plass",
    "allé", "alléen", "alle", "alleen", "brygga", "bryggen", "torget", "torg", "lia", "haugen", "kroken",
    "svingen", "tunet", "åsen", "løkka", "løkken", "kaia", "kaien", "ringen", "terrassen", "jordet", "grenda",
)
_STREET_WORDS = "gate|gata|gaten|vei|veg|veien|vegen|allé|plass|plassen|torg|torget|sti|stien|bakke|bakken|brygge|brygga|terrasse|ring"
_HOUSE = r"(?P<number>[1-9]\d{0,3}(?!\d)(?:[A-Za-z](?!\w)|[ ][A-H](?!\w))?(?:-[1-9]\d{0,3}(?!\d))?)(?!\w)(?![.,]\d)"
_POSTCODE = r"(?P<post>(?:,[ \t]*|[ \t]*\n[ \t]*|[ \t]+)(?:N(?:O)?-)?\d{4}[ \t]+[A-ZÆØÅ][A-ZÆØÅa-zæøåéü]+(?:-[A-ZÆØÅ][A-ZÆØÅa-zæøå]+)?(?![\w\-]))?"
_ADDRESS = re.compile(
    rf"""(?P<street>
        (?:[A-ZÆØÅ][\w'.\-]*[ ]){{1,3}}(?:{_STREET_WORDS})
      | (?P<single>[A-ZÆØÅ][^\W\d_]+)
      | Postboks|Pb\.
    )[ ]+{_HOUSE}{_POSTCODE}""",
    re.VERBOSE,
)
# A house number followed by one of these is a count ("Bakken 3 ganger"), not an address.
_NOT_HOUSE_AFTER = re.compile(
    r"[ \t]*(?:%|prosent|år|ganger|gonger|gang|timer|timar|time|dager|dagar|dag|uker|veker|måneder|månader|"
    r"kroner|kr\b|mill|minutter|min\b|stk|personer|folk|barn|ansatte|tilsette|kandidater|kandidatar|stykker)",
    re.IGNORECASE,
)
_POSTCODE_LINE = re.compile(r"(?m)^[ \t]*(\d{4}[ \t]+[A-ZÆØÅ][A-ZÆØÅa-zæøå]+(?:-[A-ZÆØÅ][A-ZÆØÅa-zæøå]+)?)[ \t]*$")

# NAV offices.  The word after "NAV" decides: a capitalised place name (up to three words) or,
# in lower-case ASR text, a place the caller knows.
_NAV = re.compile(
    r"\b(?:NAV|Nav|nav)(?P<kontor>[\- ]?kontor(?:et)?[ \t]+(?:i|på|for)[ \t]+|[ \t]+)(?=\w)"
)
_NAV_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*(?![\w\-:])")
# Words that follow "NAV" at the start of a new sentence or clause when punctuation is missing,
# and so are not part of an office name.
_NAV_STOP = frozenset("""
jeg eg e æ vi me du dere de dei han hun ho den det dette disse der her da då så og men eller som at
om for til fra frå med på i av hos etter før under over ikke ikkje ja nei har hadde er var kan kunne
skal skulle vil ville må måtte blir ble vart sin sitt sine hva kva hvem kven hvor kor når hvorfor
kvifor hvordan korleis alle mange noen nokon ingen hvis viss dersom altså også sånn liksom jo vel
bare berre nå no uansett tja eh ehm mhm mm ok okei hei takk the a an ring ringte sa sier mente
""".split())

# Indirect identifiers: ages and specific dates.
_MONTHS = (
    "januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember|"
    r"jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|okt\.?|nov\.?|des\.?"
)
_ORDINALS = (
    "første|fyrste|andre|tredje|fjerde|femte|sjette|sjuende|syvende|åttende|niende|tiende|ellevte|tolvte|"
    "trettende|fjortende|femtende|sekstende|syttende|attende|nittende|tjuende|tjuefyrste|tjueførste|"
    "tjueandre|tjuetredje|tjuefjerde|tjuefemte|tjuesjette|tjuesjuende|tjuesyvende|tjueåttende|tjueniende|"
    "trettiende|trettiførste|trettifyrste"
)
_DATE = re.compile(
    rf"""(?<![\w.])(?P<day>[0-3]?\d)\.[ ]?(?P<month_name>{_MONTHS})(?![\w])(?:[ ](?P<year>(?:1[89]|20)\d\d)(?!\d))?
    | (?<![\w.])(?P<ordinal>{_ORDINALS})[ ](?:{_MONTHS})(?![\w])(?:[ ](?:1[89]|20)\d\d(?!\d))?
    | (?<![\d.,/])(?P<d1>[0-3]?\d)\.(?P<m1>[01]?\d)\.(?:\d{{4}}|\d\d)(?![\d])(?!\.\d)
    | (?<![\d.,/])(?P<d2>[0-3]?\d)/(?P<m2>[01]?\d)[\-/.](?:\d{{4}}|\d\d)(?![\d/])
    | (?<![\d\-])(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\d\-])""",
    re.VERBOSE | re.IGNORECASE,
)
_AGE = re.compile(
    rf"""(?<![\w.,])(?P<n1>\d{{1,3}})[ ]?år[ ]+gam(?:mel|al|le)(?!\w)
    | (?<![\w.,])(?P<n2>\d{{1,3}})[ \-]?åring(?:en|er|ene|ar|ane)?(?!\w)
    | \b{_NUMBER_WORD}(?:[ ]?år[ ]+gam(?:mel|al|le)|-?åring(?:en|er|ene|ar|ane)?)(?!\w)""",
    re.VERBOSE | re.IGNORECASE,
)
# "er 23 år": a separate pattern, so that it cannot swallow the "42 år" of "er 42 år gammel".
_AGE_VERB = re.compile(
    r"\b(?P<before>\w+)[ ]+(?:er|var|blir|ble|vart|fyller|fylte|fylt|fyllte|e|va)[ ]+(?P<n3>\d{1,3})[ ]år(?!\w)",
    re.IGNORECASE,
)
# "det er 3 år siden" is a duration; a bare "er 23 år" only counts as an age when no such word follows.
_NOT_AGE_AFTER = re.compile(
    r"[ \t]+(?:siden|sidan|sia|til|igjen|fram|frem|etter|før|i|på|med|mellom|av|og|eller|som|der|her|"
    r"no|nå|tidlegare|tidligere|seinare|senere|gammel|gamal|gamle|inn|ut|unna|borte|lenger|lengre|fast)\b",
    re.IGNORECASE,
)
_NOT_AGE_SUBJECT = frozenset({"det", "dette", "da", "då", "nå", "no", "som", "der", "her", "den"})


# ---------------------------------------------------------------------------------------------
# Detectors
# ---------------------------------------------------------------------------------------------


def _fnr(text: str) -> Iterator[Detection]:
    for m in _FNR.finditer(text):
        start, end = m.span()
        if _DIGIT_BEFORE.search(text, max(0, start - 2), start) or _DIGIT_AFTER.match(text, end):
            continue  # part of a longer number (account number, list of numbers)
        digits = re.sub(r"\D", "", m.group())
        if not _valid_birth_date(digits):
            continue
        rule = _fnr_rule(digits)
        if rule is None:
            continue
        # The 2032 rule accepts four residues, so a random 11-digit string passes it four times as
        # often; still a checksum, but slightly weaker evidence.
        yield Detection(start, end, FNR, "rules:fnr", 1.0 if rule == "classic" else 0.9, m.group())


def _looks_like_date(digits: str) -> bool:
    """DDMMYYYY or YYYYMMDD in 1900-2099: eight digits that are more likely a date than a phone."""
    for day, month, year in ((digits[0:2], digits[2:4], digits[4:8]), (digits[6:8], digits[4:6], digits[0:4])):
        if year[:2] in ("19", "20") and 1 <= int(month) <= 12 and 1 <= int(day) <= _DAYS_IN_MONTH[int(month)]:
            return True
    return False


def _phone(text: str) -> Iterator[Detection]:
    for m in _PHONE.finditer(text):
        start, end = m.span()
        prefix, number = m.group("prefix"), m.group("number")
        if _DIGIT_BEFORE.search(text, max(0, start - 2), start) or _DIGIT_AFTER.match(text, end):
            continue  # a piece of a longer digit run: amount, account number, fødselsnummer
        before = text[max(0, start - 12):start]
        if not prefix:
            if _AMOUNT_BEFORE.search(before) or _AMOUNT_AFTER.match(text, end):
                continue  # "kr 12345678", "12 345 678 kroner"
            if _CLOCK_BEFORE.search(before):
                continue  # "kl. 22 30 23 45" read as times
            digits = re.sub(r"\D", "", number)
            if m.group("s3") and 1900 <= int(digits[:4]) <= 2099 and 1900 <= int(digits[4:]) <= 2099:
                continue  # "2019-2021", a range of years
            if len(number) == 8 and _looks_like_date(digits):
                continue  # "24031990", "20210312"
        if prefix or _PHONE_CONTEXT.search(text, max(0, start - 40), start):
            score = 0.95
        elif number[0] in "49":  # mobile numbers start with 4 or 9
            score = 0.85
        else:
            score = 0.75
        yield Detection(start, end, PHONE, "rules:phone", score, m.group())


def _spoken_digits(run: str) -> str:
    """The digits a run of Norwegian number words spells ("nittien førti to" -> "9142")."""
    out: list[str] = []
    pending_tens = False  # last token was a bare tens word, so a following unit joins it
    for tok in _NUMBER_TOKEN.finditer(run.lower()):
        if tok.group("tens"):
            unit = tok.group("unit")
            out.append(_TENS[tok.group("tens")] + (_UNITS[unit] if unit else "0"))
            pending_tens = unit is None
            continue
        word = tok.group("word")
        if pending_tens and word in _UNITS and word != "null":
            out[-1] = out[-1][0] + _UNITS[word]  # "førti to" spoken as 42
        elif word in _TEENS:
            out.append(_TEENS[word])
        elif word in _UNITS:
            out.append(_UNITS[word])
        elif word not in ("pluss",):
            pass
        pending_tens = False
    return "".join(out)


def _spoken_phone(text: str) -> Iterator[Detection]:
    """Phone numbers read out as words in ASR output ("ni en tre førtifem seks sju åtte")."""
    for m in _SPOKEN_PHONE.finditer(text):
        start, end = m.span()
        body = m.group()
        prefix = m.group("prefix")
        if prefix:
            body = body[len(prefix):]
        digits = _spoken_digits(body)
        if len(digits) == 9 and body.rsplit(None, 1)[-1].lower() in _ARTICLES:
            # "... sju åtte en gang til": the trailing article is not a digit
            body = body.rsplit(None, 1)[0].rstrip(" ,-")
            end = start + (len(prefix) if prefix else 0) + len(body)
            digits = digits[:8]
        # Exactly eight digits starting 2-9 is a strong shape; counting ("en to tre") never gets there.
        if len(digits) != 8 or digits[0] in "01":
            continue
        yield Detection(start, end, PHONE, "rules:phone-words", 0.6, text[start:end])


def _trim_url(value: str) -> str:
    """Drop sentence punctuation after a URL, keeping a closing bracket that has its opener."""
    while value and value[-1] in _TRAILING:
        if value[-1] == ")" and value.count("(") >= value.count(")"):
            break
        value = value[:-1]
    return value


def _email_and_url(text: str) -> Iterator[Detection]:
    if "@" in text:
        for m in _EMAIL.finditer(text):
            yield Detection(m.start(), m.end(), EMAIL, "rules:email", 0.95, m.group())
    for m in _URL.finditer(text):
        value = _trim_url(m.group())
        if "." not in value.split("://", 1)[-1].rstrip("/"):
            continue
        start = m.start()
        explicit = value.lower().startswith(("http://", "https://", "www."))
        score = 0.95 if explicit else 0.8 if "/" in value else 0.6
        yield Detection(start, start + len(value), URL, "rules:url", score, value)


def _orgnr(text: str) -> Iterator[Detection]:
    for m in _ORGNR.finditer(text):
        start, end = m.span()
        if _DIGIT_BEFORE.search(text, max(0, start - 2), start) or _DIGIT_AFTER.match(text, end):
            continue
        if not valid_orgnr(m.group()):
            continue
        # Nine digits with a mod-11 check happen by chance one time in eleven, so the number is
        # reported only with a context word before it (or the "MVA" suffix of a VAT number).
        if _ORGNR_CONTEXT.search(text, max(0, start - 40), start) or _MVA_AFTER.match(text, end):
            yield Detection(start, end, ORGNR, "rules:orgnr", 1.0, m.group())


def _address(text: str) -> Iterator[Detection]:
    for m in _ADDRESS.finditer(text):
        single = m.group("single")
        if single is not None:
            lowered = single.lower()
            if not any(lowered.endswith(s) and len(lowered) > len(s) + 1 for s in _STREET_SUFFIXES):
                continue
        if _NOT_HOUSE_AFTER.match(text, m.end("number")):
            continue
        start = m.start()
        street = m.group("street")
        if single is None and " " in street:
            # A sentence may start right before the street name ("Vi Kong Oscars gate 12").
            words = street.split(" ")
            while len(words) > 2 and words[0].lower() in _NAV_STOP:
                start += len(words[0]) + 1
                words = words[1:]
        end = m.end()
        score = 0.9 if m.group("post") else 0.8
        yield Detection(start, end, ADDRESS, "rules:address", score, text[start:end])
    # A line holding only "postcode Place" right under a short line: the second line of an
    # address block whose street line may not have matched.
    for m in _POSTCODE_LINE.finditer(text):
        line_start = m.start()
        if line_start == 0:
            continue
        prev_end = line_start - 1
        prev_start = text.rfind("\n", 0, prev_end) + 1
        previous = text[prev_start:prev_end].strip()
        if previous and len(previous) <= 60:
            yield Detection(m.start(1), m.end(1), ADDRESS, "rules:address", 0.6, m.group(1))


def _nav_office(text: str, places: frozenset[str]) -> Iterator[Detection]:
    for m in _NAV.finditer(text):
        start = m.start()
        pos = m.end()
        words: list[tuple[int, int, str]] = []
        while len(words) < 3:
            w = _NAV_WORD.match(text, pos)
            if w is None:
                break
            words.append((w.start(), w.end(), w.group()))
            gap = pos = w.end()
            while pos < len(text) and text[pos] in " \t":
                pos += 1
            if pos == gap:
                break
        end = None
        # A place the caller knows, in any case (the only way for lower-case ASR text).
        for n in range(len(words), 0, -1):
            name = text[words[0][0]:words[n - 1][1]].casefold()
            if name in places:
                end = words[n - 1][1]
                score = 0.9
                break
        if end is None and text[start] == "N":
            # Capitalised office names, stopping at a word that starts a new clause.
            taken = 0
            for _w_start, _w_end, word in words:
                if not word[0].isupper() or word.casefold() in _NAV_STOP:
                    break
                if "-" in word and not all(part[:1].isupper() for part in word.split("-")):
                    break  # "NAV IA-rådgiver": a compound noun, not a place
                taken += 1
            if taken:
                end = words[taken - 1][1]
                score = 0.8
        if end is None:
            continue
        if m.group("kontor").strip():
            score = max(score, 0.85)
        yield Detection(start, end, NAV_OFFICE, "rules:nav", score, text[start:end])


def _valid_day_month(day: str, month: str) -> bool:
    d, mo = int(day), int(month)
    return 1 <= mo <= 12 and 1 <= d <= _DAYS_IN_MONTH[mo]


def _indirect(text: str) -> Iterator[Detection]:
    for m in _DATE.finditer(text):
        if m.group("day") is not None:
            if not 1 <= int(m.group("day")) <= 31:
                continue
        elif m.group("d1") is not None:
            if not _valid_day_month(m.group("d1"), m.group("m1")):
                continue
        elif m.group("d2") is not None:
            if not _valid_day_month(m.group("d2"), m.group("m2")):
                continue
        yield Detection(m.start(), m.end(), INDIRECT, "rules:date", 0.5, m.group())
    for m in _AGE.finditer(text):
        number = m.group("n1") or m.group("n2")
        if number is not None and not 1 <= int(number) <= 110:
            continue
        yield Detection(m.start(), m.end(), INDIRECT, "rules:age", 0.4, m.group())
    for m in _AGE_VERB.finditer(text):
        end = m.end()
        if m.group("before").lower() in _NOT_AGE_SUBJECT or _NOT_AGE_AFTER.match(text, end):
            continue  # "det er 3 år siden", "han var 5 år i NAV": a duration
        if not 1 <= int(m.group("n3")) <= 110:
            continue
        start = m.start("n3")
        yield Detection(start, end, INDIRECT, "rules:age", 0.4, text[start:end])


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


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
    """Find Norwegian identifiers in ``text`` with rules: numbers, contact details, addresses, NAV offices, ages and dates.

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
    known = frozenset(p.casefold().strip() for p in places if p and p.strip())
    candidates: list[Detection] = []
    candidates.extend(_fnr(text))
    candidates.extend(_orgnr(text))
    candidates.extend(_phone(text))
    candidates.extend(_spoken_phone(text))
    candidates.extend(_email_and_url(text))
    candidates.extend(_address(text))
    candidates.extend(_nav_office(text, known))
    candidates.extend(_indirect(text))
    return _resolve(candidates)
