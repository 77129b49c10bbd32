"""Speaker turns from labelled transcript text.

Typed transcripts mark turns with a label at the start of a paragraph: ``I:``, ``R:``,
``Intervjuer:``, ``Informant:``, a name (``Kristine:``), ``SPEAKER_00:``; sometimes after a
timestamp (``[00:12:31] R: ...``) or separated by a tab instead of a colon. Timestamps also
appear at a paragraph's end (``#00:01:23-4#``, f4/f5 style) or in braces (``{00:34:20}``).

The text itself is never changed here; turns are offsets into it. Typed transcripts then go
through :mod:`codebench.ingest.cleanup`, which takes the header and inline timestamps out of
the stored text, keeping what it removed so the original stays recoverable.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from codebench.ingest.base import ImportedTurn

KNOWN_LABELS = {
    "i", "r", "int", "intervjuer", "intervjuar", "informant", "info", "moderator", "mod",
    "spørsmål", "svar", "q", "a", "interviewer", "respondent", "resp", "forsker", "deltaker",
    "deltakar",
}

_TS = r"(?:\[\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\]|\{\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\}|#\d{1,2}:\d{2}:\d{2}(?:[-.,]\d+)?#|\(\d{1,2}:\d{2}(?::\d{2})?\))"
_LEADING = re.compile(
    rf"^(?P<ts>{_TS})?[ \t]*"
    r"(?P<label>SPEAKER_\d+|S\d{1,3}|[^\W\d_][\w.'’\-]*(?: [^\W\d_][\w.'’\-]*){0,3})"
    r"(?P<sep>[ \t]*:[ \t]*|\t+)"
)
_TRAILING_TS = re.compile(rf"[ \t]*(?P<ts>{_TS})[ \t]*$", re.MULTILINE)
_LEADING_TS = re.compile(rf"(?P<ts>{_TS})[ \t]*")
_ZOOM_HEADER = re.compile(r"^\[(?P<label>[^\]\n]{1,60})\][ \t]+(?P<ts>\d{1,2}:\d{2}(?::\d{2})?)[ \t]*$")


def parse_timestamp(token: str) -> float | None:
    """Seconds from a timestamp token such as ``[00:12:31]``, ``{12:31}`` or ``#00:01:23-4#``."""
    match = re.fullmatch(r"(\d+(?::\d+)+)(?:[-.,](\d+))?", token.strip().strip("[]{}()#"))
    if not match:
        return None
    seconds = 0
    for part in match.group(1).split(":"):
        seconds = seconds * 60 + int(part)
    fraction = float("0." + match.group(2)) if match.group(2) else 0.0
    return seconds + fraction


@dataclass
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append(_Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return lines


def _is_label(label: str, counts: Counter[str]) -> bool:
    key = label.casefold()
    if key in KNOWN_LABELS or re.fullmatch(r"speaker_\d+|s\d{1,3}", key):
        return True
    words = label.split()
    # A name-like label: capitalised words, seen at the start of at least two paragraphs.
    return counts[label] >= 2 and len(words) <= 3 and all(w[0].isupper() for w in words)


def label_counts(lines: Iterable[str]) -> Counter[str]:
    """How many lines open with each speaker-label-like word group ("I:", "Ahmad:")."""
    counts: Counter[str] = Counter()
    for line in lines:
        match = _LEADING.match(line)
        if match:
            counts[match.group("label")] += 1
    return counts


def opens_with_label(line: str, counts: Counter[str]) -> bool:
    """Whether ``line`` opens with a speaker label: a known one ("I:", "Informant:") or a name
    that opens at least two lines of the document (``label_counts``)."""
    match = _LEADING.match(line)
    return bool(match) and _is_label(match.group("label"), counts)


@dataclass
class _Label:
    label: str
    body_offset: int  # from the line start; past the end of the line for a header line
    t_start: float | None
    forced: bool  # known from formatting (bold run, table cell), not guessed from text


def _line_label(line: _Line) -> _Label | None:
    zoom = _ZOOM_HEADER.match(line.text)
    if zoom:
        return _Label(zoom.group("label"), len(line.text) + 1, parse_timestamp(zoom.group("ts")), False)
    match = _LEADING.match(line.text)
    if not match:
        return None
    t_start = parse_timestamp(match.group("ts")) if match.group("ts") else None
    if t_start is None:
        inner = _LEADING_TS.match(line.text, match.end())
        if inner:
            t_start = parse_timestamp(inner.group("ts"))
    return _Label(match.group("label"), match.end(), t_start, False)


def segment_turns(text: str, hints: dict[int, tuple[str, int]] | None = None) -> list[ImportedTurn]:
    """Split ``text`` into speaker turns; unlabelled text becomes paragraph turns.

    A labelled paragraph starts a turn; following unlabelled lines continue it. Text before
    the first label, or a whole transcript without labels, is split into paragraphs at blank
    lines (or at line ends when there are no blank lines).

    Args:
        text: the normalised document text.
        hints: labels known from formatting, by line index: ``(label, body offset in line)``.
    """
    hints = hints or {}
    lines = _lines(text)
    found: list[_Label | None] = []
    counts: Counter[str] = Counter()
    for i, line in enumerate(lines):
        if i in hints:
            label, offset = hints[i]
            inner = _LEADING_TS.match(line.text, offset)
            found.append(_Label(label, offset, parse_timestamp(inner.group("ts")) if inner else None, True))
        else:
            found.append(_line_label(line) if line.text.strip() else None)
        if found[-1] is not None:
            counts[found[-1].label] += 1
    labelled = [i for i, f in enumerate(found) if f is not None and (f.forced or _is_label(f.label, counts))]
    if len(labelled) < 2 and not any(f is not None and f.forced for f in found):
        return paragraph_turns(text)

    turns: list[ImportedTurn] = []
    labelled_set = set(labelled)
    if labelled[0] > 0:
        head_end = max((l.end for l in lines[: labelled[0]] if l.text.strip()), default=0)
        if head_end > 0:
            turns.extend(paragraph_turns(text[:head_end]))
    for n, i in enumerate(labelled):
        next_i = labelled[n + 1] if n + 1 < len(labelled) else len(lines)
        info = found[i]
        assert info is not None
        line = lines[i]
        last = i
        for j in range(i + 1, next_i):
            if lines[j].text.strip() and j not in labelled_set:
                last = j
        end = lines[last].end
        while end > line.start and text[end - 1] in " \t":
            end -= 1
        body_start = min(line.start + info.body_offset, end)
        # f4/f5 put the time at the end of a paragraph; the last one in the turn is its end.
        trailing = list(_TRAILING_TS.finditer(text, body_start, end)) if end > body_start else []
        t_end = parse_timestamp(trailing[-1].group("ts")) if trailing else None
        turns.append(ImportedTurn(info.label, line.start, end, body_start, info.t_start, t_end))
    return turns


def paragraph_turns(text: str) -> list[ImportedTurn]:
    """Turns without speakers: blocks between blank lines, or single lines if there are none."""
    lines = _lines(text)
    has_blank = any(not l.text.strip() for l in lines[:-1]) and sum(1 for l in lines if l.text.strip()) > 1
    turns: list[ImportedTurn] = []
    block: list[_Line] = []

    def flush() -> None:
        if block:
            start, end = block[0].start, block[-1].end
            while start < end and text[start] in " \t":
                start += 1
            while end > start and text[end - 1] in " \t":
                end -= 1
            if end > start:
                turns.append(ImportedTurn(None, start, end, start))
            block.clear()

    for line in lines:
        if not line.text.strip():
            flush()
        elif has_blank:
            block.append(line)
        else:
            block.append(line)
            flush()
    flush()
    return turns


def bold_label(text: str, lead: str, max_length: int = 40) -> tuple[str, int] | None:
    """A speaker label set in bold at the start of a paragraph, as ``(label, body offset)``.

    Args:
        text: the whole paragraph.
        lead: the bold text it starts with ("I:", "Intervjuer", "Kari: ").
        max_length: longer bold openings are emphasis, not labels.
    """
    label = lead.strip().rstrip(":").strip()
    if not label or len(lead) >= len(text.rstrip()) or len(label) > max_length or len(label.split()) > 4:
        return None
    offset = len(lead)
    rest = text[offset:]
    stripped = rest.lstrip(" \t")
    if stripped.startswith(":"):  # the colon may sit in the plain run after the bold label
        offset += len(rest) - len(stripped) + 1
    tail = text[offset:]
    offset += len(tail) - len(tail.lstrip(" \t"))
    return label, offset
