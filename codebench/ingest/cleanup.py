"""Clean turns for typed transcripts: a header block and inline timestamps leave the text.

Typists open a transcript with a header ("Intervju med …", ``Dato: …``, ``Intervjuer: …``,
``Sted: …``, ``Lydfil: …``) and sprinkle timestamps through it (``[00:03:12]``, ``{00:03:12}``,
``#00:02:14-6#``, ``(00:03:12)``). Neither is speech: left in the stored text they become
speakerless turns, turns labelled "Dato", or noise in every quote. Here they are taken out:

* the header becomes ``meta["header"]`` (a dict, e.g. ``{"title": …, "dato": …}``);
* a timestamp becomes its turn's ``t_start`` / ``t_end``;
* every removed piece is kept in ``meta["removed"]`` as ``[offset in the stored text, string]``
  in text order, so that :func:`restore_original` gives back the text as the file had it.

Header values and the header entry in ``meta["removed"]`` can hold names (the informant's, the
interviewer's): they are identifiers, so neither may be printed or exported; only the count of
moved lines goes into the notes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from codebench.ingest.base import ImportedTurn
from codebench.ingest.speakers import KNOWN_LABELS, parse_timestamp

_SPEAKER_KEYS = {
    "intervjuer", "intervjuar", "interviewer", "informant", "respondent", "deltaker", "deltakar",
    "deltakere", "deltakarar", "participant", "participants", "moderator",
}
"""Header keys that are also speaker labels: a header line only when the value is a name."""

_OTHER_KEYS = {
    "dato": "dato", "intervjudato": "dato", "date": "date", "sted": "sted", "stad": "stad",
    "place": "place", "location": "location", "varighet": "varighet", "varigheit": "varigheit",
    "lengde": "lengde", "duration": "duration", "length": "length", "lydfil": "lydfil",
    "lydopptak": "lydopptak", "opptak": "opptak", "audio": "audio", "audio file": "audio",
    "audiofil": "audio", "recording": "recording", "fil": "fil", "file": "file", "tid": "tid",
    "time": "time", "klokkeslett": "tid", "tittel": "title", "title": "title", "prosjekt": "prosjekt",
    "project": "project", "transkribert av": "transkribert_av", "transkribør": "transkribert_av",
    "transcribed by": "transcribed_by", "transcriber": "transcribed_by", "runde": "runde",
    "round": "round",
}
"""Header keys that never open a speaker turn, by their casefolded spelling."""

_KEYED = re.compile(r"^[ \t]*\**[ \t]*(?P<key>[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+)?)[ \t]*\**(?:[ \t]*:[ \t]*\**|\t+)[ \t]*(?P<value>.*?)[ \t]*$")
_TITLE_MAX = 120

# One timestamp token, as in speakers.py, with its bracket style named: the parenthesised one
# counts only at a turn's start or end, where it cannot be a time said in a sentence.
_STAMP = re.compile(
    r"\[\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\]"
    r"|\{\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\}"
    r"|#\d{1,2}:\d{2}:\d{2}(?:[-.,]\d+)?#"
    r"|(?P<paren>\(\d{1,2}:\d{2}(?::\d{2})?\))"
)


@dataclass
class Header:
    """A header block found at the top of a text."""

    values: dict[str, str]
    removed: str
    """The exact text taken off the top (header lines and the blank lines after them)."""
    lines: int
    """How many non-blank header lines were moved."""


def split_header(text: str) -> Header | None:
    """The header block at the top of ``text``, or ``None`` when it does not open with one.

    A header block is: an optional title line, then lines of ``Key: value`` with known keys
    (``Dato``, ``Sted``, ``Lydfil`` …), blank lines allowed between, ending at the first
    other line. ``Intervjuer:`` / ``Informant:`` lines belong to it only when their value is
    a name rather than speech, and a block made only of those needs full names, so that an
    interview opening ``Intervjuer: Hei.`` keeps its first turn.
    """
    lines = text.split("\n")
    values: dict[str, str] = {}
    count = 0
    keyed_other = False
    speaker_values: list[str] = []
    end_line = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        entry = _header_entry(line)
        if entry is not None:
            keyed_other = keyed_other or entry[0] not in _SPEAKER_KEYS
        elif count == 0 and _is_title(line, lines[i + 1:]):
            entry = ("title", line.strip().lstrip("#").strip())
        else:
            break
        key, value = entry
        values[key] = f"{values[key]}; {value}" if values.get(key) and value else value or values.get(key, "")
        if key in _SPEAKER_KEYS:
            speaker_values.append(value)
        count += 1
        end_line = i + 1
    if count == 0 or not (keyed_other or (speaker_values and all(len(v.split()) >= 2 for v in speaker_values))):
        return None
    # The blank lines after the block go with it, so the text starts at its first turn.
    while end_line < len(lines) and not lines[end_line].strip():
        end_line += 1
    if end_line >= len(lines):
        return None  # a file that is all header has nothing else to keep it apart from
    removed = "\n".join(lines[:end_line]) + "\n"
    if not text[len(removed):].strip():
        return None
    return Header(values, removed, count)


def _header_entry(line: str) -> tuple[str, str] | None:
    """``(key, value)`` when ``line`` is a header line."""
    match = _KEYED.match(line)
    if not match:
        return None
    key = match.group("key").casefold()
    value = match.group("value")
    if key in _OTHER_KEYS:
        return _OTHER_KEYS[key], value
    if key in _SPEAKER_KEYS and _is_name(value):
        return key, value
    return None


def _is_name(value: str) -> bool:
    """Whether a value reads as names or codes ("Kari Nordmann", "IA02", "Ola og Kari (K)")."""
    if not value or len(value) > 80 or re.search(r"[?!…]", value):
        return False
    tokens = [t for t in re.split(r"[\s,;/]+", value) if t and t.casefold() not in {"og", "and", "&", "-", "–"}]
    if not tokens or len(tokens) > 6:
        return False
    if value.rstrip().endswith(".") and len(tokens[-1]) > 2:  # "Ja." is speech; "Kari N." is a name
        return False
    return all(t[0].isupper() or t[0].isdigit() or t[0] == "(" for t in tokens)


def _is_title(line: str, rest: Sequence[str]) -> bool:
    """The first line is a title when it is short, not a speaker turn, and header lines follow."""
    stripped = line.strip().lstrip("#").strip()
    if not stripped or len(stripped) > _TITLE_MAX:
        return False
    head = re.match(r"^([^\W\d_][\w.]*)[ \t]*(?::|\t)", stripped)
    if head and head.group(1).casefold() in KNOWN_LABELS:
        return False
    following = next((l for l in rest if l.strip()), None)
    return following is not None and _header_entry(following) is not None


@dataclass
class _Removal:
    start: int
    end: int
    seconds: float | None


@dataclass
class CleanText:
    """The result of :func:`remove_timestamps`."""

    text: str
    turns: list[ImportedTurn]
    removed: list[list[Any]] = field(default_factory=list)
    """``[offset in text, removed string]`` per removal, in text order."""


def remove_timestamps(text: str, turns: Sequence[ImportedTurn]) -> CleanText:
    """Take inline timestamps out of ``text`` and give their times to the turns.

    A timestamp at a turn's start (before or after its label) is its ``t_start``; one at the
    turn's end is its ``t_end`` and, the f4/f5 way, the next turn's start when that has no
    time of its own; of those in the middle, the first is ``t_start`` when nothing else gives
    one. Each removal takes the spaces that separated the timestamp from the words, and a
    timestamp alone on its line takes the line break too.
    """
    removals: list[_Removal] = []
    times: list[tuple[float | None, float | None, float | None]] = []  # leading, trailing, first middle
    for turn in turns:
        leading = trailing = middle = None
        for match in _STAMP.finditer(text, turn.start, turn.end):
            at_start = match.start() < turn.body_start or not text[turn.body_start:match.start()].strip()
            at_end = not text[match.end():turn.end].strip()
            if match.group("paren") and not (at_start or at_end):
                continue
            seconds = parse_timestamp(match.group())
            removals.append(_span(text, match.start(), match.end(), turn, seconds))
            if at_start and leading is None:
                leading = seconds
            elif at_end:
                trailing = seconds
            elif middle is None:
                middle = seconds
        times.append((leading, trailing, middle))
    if not removals:
        return CleanText(text, list(turns))

    starts = [r.start for r in removals]
    shifts: list[int] = []  # characters removed before and including removal i
    total = 0
    for r in removals:
        total += r.end - r.start
        shifts.append(total)

    def mapped(pos: int) -> int:
        i = bisect_right(starts, pos) - 1
        if i < 0:
            return pos
        r = removals[i]
        before = shifts[i - 1] if i > 0 else 0
        return r.start - before if pos < r.end else pos - shifts[i]

    pieces: list[str] = []
    removed: list[list[Any]] = []
    pos = 0
    for r in removals:
        pieces.append(text[pos:r.start])
        removed.append([mapped(r.start), text[r.start:r.end]])
        pos = r.end
    pieces.append(text[pos:])
    cleaned = "".join(pieces)

    result: list[ImportedTurn] = []
    carried: float | None = None  # the end time of the turn before, the f4 way
    for turn, (leading, trailing, middle) in zip(turns, times):
        start, end, body = mapped(turn.start), mapped(turn.end), mapped(turn.body_start)
        # A removed line can leave a line break at either edge; a turn covers words only.
        while end > max(start, body) and cleaned[end - 1].isspace():
            end -= 1
        if body == start:
            while start < end and cleaned[start].isspace():
                start += 1
            body = start
        t_start = next((t for t in (leading, turn.t_start, carried, middle) if t is not None), None)
        t_end = trailing if trailing is not None else turn.t_end
        carried = trailing
        if not cleaned[start:end].strip():
            carried = trailing if trailing is not None else t_start  # a turn that was only a time
            continue
        result.append(replace(turn, start=start, end=end, body_start=min(body, end), t_start=t_start, t_end=t_end))
    return CleanText(cleaned, result, removed)


def _span(text: str, start: int, end: int, turn: ImportedTurn, seconds: float | None) -> _Removal:
    """The stretch to remove for the timestamp at ``[start, end)``: with its separating spaces."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    left = start
    while left > line_start and text[left - 1] in " \t":
        left -= 1
    right = end
    while right < line_end and text[right] in " \t":
        right += 1
    if left == line_start and right == line_end:  # alone on its line: the line goes
        if line_start > turn.start:
            return _Removal(line_start - 1, line_end, seconds)
        if line_end < len(text):
            return _Removal(line_start, line_end + 1, seconds)
        return _Removal(line_start, line_end, seconds)
    if right == line_end:  # at a line's end: the spaces before it go
        return _Removal(left, right, seconds)
    if left == line_start or left < start or start == turn.body_start:
        return _Removal(start, right, seconds)  # the spaces after it go, one gap stays
    return _Removal(start, end, seconds)  # glued to the word before: only the timestamp goes


def restore_original(text: str, removed: Sequence[Sequence[Any]]) -> str:
    """The text as it was before clean-up: each removed string put back at its offset."""
    pieces: list[str] = []
    pos = 0
    for offset, piece in removed:
        pieces.append(text[pos:offset])
        pieces.append(piece)
        pos = offset
    pieces.append(text[pos:])
    return "".join(pieces)
