"""Cues from ASR subtitle files (WebVTT and SRT) turned into speaker turns.

Both formats are parsed here by hand rather than by a subtitle library, because researchers'
files break the standard in known ways (old Teams ``0:0:0.0`` times, GUID cue ids, missing
blank lines, a cue whose end comes before its start) and every problem must be reported with
its line number.

Tolerance: a file is refused only where its content would otherwise be lost or guessed at —
it is not WebVTT at all, or it holds no timed cue. Everything else is imported and reported in
``ImportedDocument.warnings`` as ``file:line: message`` (never quoting transcript text):

* a cue with impossible times (end before start, a time that cannot be read on a line that
  clearly is a timing line) keeps its text without times;
* a missing blank line between two cues is read as two cues;
* a block without a timing line is skipped when it is only a cue number or id, and otherwise
  its text is joined to the cue above (or kept untimed when no cue came before).

The WebVTT header (the ``WEBVTT`` line up to the first blank line) is read as the spec says;
its ``Language:`` and ``Kind:`` fields (YouTube, yt-dlp) land in ``document.meta["language"]``
and ``document.meta["kind"]``, any other header text in ``meta["header"]``.

Speakers come from, in order: a voice tag ``<v Name>`` (Teams, noScribe); a Zoom
"transcript with timestamps" line ``[Name] 11:02:09`` heading the cue (the clock time is
dropped); a WhisperX prefix ``[SPEAKER_00]:``; a subtitle-style mark ``[Alba]``, ``[ALBA]`` or
``- [Alba]`` seen on at least two cues (sound notes such as ``[latter]`` or ``[inaudible]`` stay
text; a cue without a mark continues the speaker before it, as subtitles only mark a change);
or a ``Name:`` prefix (Zoom) seen on at least two cues.

Consecutive cues of one speaker form one turn; without speakers, cues are grouped into
paragraphs at pauses. ``merge_cues=False`` (on :func:`import_subtitles`, ``import_vtt`` and
``import_srt``) keeps every cue as a turn of its own, for analyses that need cue-level times.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from codebench.ingest.base import (
    ImportedDocument, IngestError, TextBuilder, normalise_text, read_limited, warn,
)
from codebench.ingest.encoding import decode_bytes
from codebench.ingest.speakers import KNOWN_LABELS

_TIME = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$")
# Spaces around the arrow are optional in the WebVTT parser, and some tools leave them out.
_ARROW = re.compile(r"^\s*(?P<a>\S+?)\s*-->\s*(?P<b>\S+)(?P<settings>\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]+)*\s+([^>]+)>")
_WHISPERX = re.compile(r"^\[(?P<label>[^\]]{1,60})\]:\s*")
_PREFIX = re.compile(r"^(?P<label>[^\W\d_][\w.'’\-]*(?: [^\W\d_][\w.'’\-]*){0,3}|SPEAKER_\d+|S\d{1,3}):\s+")
_BRACKET_MARK = re.compile(r"^(?:[-–]\s*)?\[(?P<label>[^\[\]]{1,40})\]\s*")
_NAME = re.compile(r"[^\W\d_][\w.'’\-]*(?: [^\W\d_][\w.'’\-]*){0,3}")
_ZOOM_CLOCK = re.compile(r"^\s*\[(?P<label>[^\[\]]{1,60})\]\s+\d{1,2}:\d{2}(?::\d{2})?\s*$")
_CUE_ID = re.compile(r"^\s*(?:\d+|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?:/[\w-]+)?)\s*$")
_HEADER_FIELD = re.compile(r"^(?P<key>[A-Za-z][\w-]*)\s*:\s*(?P<value>\S.*?)\s*$")
_SKIPPED_BLOCK = re.compile(r"^(?:NOTE|STYLE|REGION)(?:[ \t]|$)")
_TAG = re.compile(r"</?[^>\s][^>]*>")
_PARAGRAPH_PAUSE = 2.0  # seconds of silence that start a new paragraph when there are no speakers
_PARAGRAPH_WORDS = 150

NON_SPEAKER_MARKS = frozenset({
    "latter", "ler", "humrer", "pause", "uhørbart", "uhørlig", "utydelig", "uklart", "musikk",
    "kremt", "kremter", "hoster", "sukk", "sukker", "stillhet", "støy", "avbrudd", "overlapp",
    "samtidig", "snakker", "inaudible", "unintelligible", "indistinct", "music", "crosstalk",
    "laughter", "laughs", "laughing", "chuckles", "applause", "silence", "noise", "coughs",
    "sighs", "overlapping", "background", "playing",
})
"""Words that mark a sound, not a speaker, in ``[brackets]``: such marks stay in the text."""


@dataclass
class Cue:
    """One subtitle cue: times in seconds (``None`` when unusable), raw text, its timing line."""

    start: float | None
    end: float | None
    text: str
    line: int
    speaker: str | None = None


def parse_time(token: str) -> float | None:
    """Seconds from ``hh:mm:ss.mmm``, ``mm:ss.mmm`` or old Teams ``h:m:s.f``; ``None`` if unreadable."""
    match = _TIME.match(token)
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        return None
    value = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    if fraction:
        value += int(fraction) / 10 ** len(fraction)
    return value


def _shown(token: str) -> str:
    # A warning may name a time but never words: quote only tokens that are mostly digits.
    if len(token) <= 16 and sum(ch.isdigit() for ch in token) >= 4:
        return repr(token)
    return "a time"


def _read_timing(line: str, file: Path, line_no: int, warnings: list[str]) -> tuple[float | None, float | None]:
    """The times of a line holding ``-->``; ``(None, None)`` with a warning when they are unusable."""
    match = _ARROW.match(line)
    if not match:
        warn(warnings, file, "timing line cannot be read (expected 'start --> end'); the cue's text is kept without times", line_no)
        return None, None
    a, b = match.group("a"), match.group("b")
    start, end = parse_time(a), parse_time(b)
    if start is None or end is None:
        bad = a if start is None else b
        warn(warnings, file, f"cue time {_shown(bad)} cannot be read (expected hh:mm:ss.mmm, minutes and seconds below 60); "
             "the cue's text is kept without times", line_no)
        return None, None
    if end < start:
        warn(warnings, file, f"cue ends ({b}) before it starts ({a}); its text is kept without times", line_no)
        return None, None
    return start, end


def _read_header(lines: list[str], file: Path) -> tuple[dict[str, str], int]:
    """The WebVTT header as meta, and the index of the first line after it."""
    index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if index is None or not lines[index].lstrip("\ufeff").startswith("WEBVTT"):
        raise IngestError(file, "not a WebVTT file: the first line must start with WEBVTT", 1 if index is None else index + 1)
    pieces = [lines[index].lstrip("\ufeff")[6:].strip(" -\t")]
    end = index + 1
    # Header lines run to the first blank line; a sloppy file may start its first cue instead.
    while end < len(lines) and lines[end].strip() and "-->" not in lines[end]:
        end += 1
    header_lines = lines[index + 1 : end]
    if end < len(lines) and "-->" in lines[end] and header_lines and not _HEADER_FIELD.match(header_lines[-1]):
        end -= 1  # the line before the timing line is that cue's id
        header_lines.pop()
    meta: dict[str, str] = {}
    other: list[str] = []
    for piece in [*pieces, *header_lines]:
        field = _HEADER_FIELD.match(piece.strip())
        if field and field.group("key").casefold() in ("language", "kind"):
            meta[field.group("key").casefold()] = field.group("value")
        elif piece.strip():
            other.append(piece.strip())
    if other:
        meta["header"] = "; ".join(other)
    return meta, end


def _blocks(lines: list[str], first: int) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks from ``lines[first:]`` with the 1-based line each starts on."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = first + 1
    for number, line in enumerate(lines[first:], first + 1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _untimed_block(cues: list[Cue], start_line: int, lines: list[str], file: Path, warnings: list[str]) -> None:
    """A block without a timing line: skip a bare cue id, keep any text with the cue above."""
    text = [line for line in lines if not _CUE_ID.match(line)]
    if not text:
        warn(warnings, file, "a cue number or id without a timing line; skipped", start_line)
    elif cues:
        cues[-1].text += "\n" + "\n".join(text)
        warn(warnings, file, f"text without a timing line; joined to the cue above (line {cues[-1].line})", start_line)
    else:
        cues.append(Cue(None, None, "\n".join(text), start_line))
        warn(warnings, file, "text without a timing line before the first cue; kept without times", start_line)


def parse_cues(text: str, file: Path, *, kind: str, warnings: list[str] | None = None) -> tuple[list[Cue], dict[str, str]]:
    """Parse WebVTT (``kind="vtt"``) or SRT text into cues; returns ``(cues, header meta)``.

    Raises:
        IngestError: not a WebVTT file (for ``vtt``), or no timed cue in the file.
    """
    warnings = [] if warnings is None else warnings
    lines = text.split("\n")
    header: dict[str, str] = {}
    first = 0
    if kind == "vtt":
        header, first = _read_header(lines, file)
    cues: list[Cue] = []
    timed = False
    for start_line, block in _blocks(lines, first):
        if kind == "vtt" and _SKIPPED_BLOCK.match(block[0]) and "-->" not in block[0]:
            continue
        arrows = [i for i, line in enumerate(block) if "-->" in line]
        if not arrows:
            _untimed_block(cues, start_line, block, file, warnings)
            continue
        timed = True
        # WebVTT allows one id line of any text before the timing line; more is stray text.
        lead = block[: arrows[0]]
        ids = 1 if kind == "vtt" and len(lead) == 1 else 0
        while ids < len(lead) and _CUE_ID.match(lead[len(lead) - 1 - ids]):
            ids += 1
        if len(lead) > ids:
            _untimed_block(cues, start_line, lead[: len(lead) - ids], file, warnings)
        for n, at in enumerate(arrows):
            line_no = start_line + at
            stop = arrows[n + 1] if n + 1 < len(arrows) else len(block)
            if n + 1 < len(arrows) and stop - 1 > at and _CUE_ID.match(block[stop - 1]):
                stop -= 1  # the next cue's id, written without a blank line before it
            if n:
                warn(warnings, file, "no blank line before this timing line; read as the start of a new cue", line_no)
            begin, end = _read_timing(block[at], file, line_no, warnings)
            cues.append(Cue(begin, end, "\n".join(block[at + 1 : stop]), line_no))
    if not timed:
        raise IngestError(file, "the file holds no cues")
    return cues, header


def _clean(text: str) -> str:
    text = _TAG.sub("", text)
    text = html.unescape(text).replace("\u200e", "").replace("\u200f", "").replace("\xa0", " ")
    return " ".join(text.split())


def _is_sound(label: str) -> bool:
    words = label.casefold().replace("-", " ").split()
    return not words or any(w.strip(".…!?") in NON_SPEAKER_MARKS for w in words)


def _speaker_mark(line: str) -> re.Match[str] | None:
    """A ``[Name]`` mark at the start of a cleaned line, when it looks like a name, not a sound."""
    match = _BRACKET_MARK.match(line)
    if not match:
        return None
    label = match.group("label").strip()
    if not _NAME.fullmatch(label) or not all(w[0].isupper() for w in label.split()) or _is_sound(label):
        return None
    return match


def _spelling(counts: Counter[str]) -> str:
    # Subtitles shout names for emphasis ([ALBA]); the ordinary spelling names the speaker.
    ordinary = Counter({k: v for k, v in counts.items() if not k.isupper()})
    return (ordinary or counts).most_common(1)[0][0]


def _bracket_speakers(cues: list[Cue]) -> list[Cue]:
    """Split and label cues by recurring ``[Name]`` marks; cues without speakers are cleaned."""
    spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for cue in cues:
        if cue.speaker is None:
            for line in cue.text.split("\n"):
                mark = _speaker_mark(_clean(line))
                if mark:
                    spellings[mark.group("label").strip().casefold()][mark.group("label").strip()] += 1
    # One ordinary bracket is not a naming scheme: a mark must recur to count.
    names = {key: _spelling(c) for key, c in spellings.items() if sum(c.values()) >= 2}
    result: list[Cue] = []
    current: str | None = None
    for cue in cues:
        if cue.speaker is not None or not names:
            if cue.speaker is None:
                cue.text = _clean(cue.text)
            current = cue.speaker if names else None
            result.append(cue)
            continue
        # The cue object itself carries its first part: callers (asr_json) read texts back from it.
        lines = cue.text.split("\n")
        cue.text, cue.speaker = "", current
        parts = [cue]
        for n, line in enumerate(lines):
            cleaned = _clean(line)
            mark = _speaker_mark(cleaned)
            key = mark.group("label").strip().casefold() if mark else None
            if mark and key in names:
                current = names[key]
                if n:
                    parts.append(Cue(cue.start, cue.end, "", cue.line, current))
                parts[-1].speaker, cleaned = current, cleaned[mark.end():]
            parts[-1].text = f"{parts[-1].text} {cleaned}".strip()
        result.extend(parts)
    return result


def assign_speakers(cues: list[Cue]) -> list[Cue]:
    """Each cue's speaker, with the marker stripped from its text; a cue may split in two.

    Returns the cues in order, their text cleaned of tags and entities.
    """
    for cue in cues:
        if cue.speaker is not None:  # set by the caller (ASR JSON segments)
            cue.text = _clean(cue.text)
            continue
        voice = _VOICE.search(cue.text)
        if voice:
            cue.speaker = _clean(voice.group(1))
            cue.text = _clean(cue.text)
            continue
        first, _, rest = cue.text.partition("\n")
        zoom = _ZOOM_CLOCK.match(_clean(first))
        if zoom and not _is_sound(zoom.group("label")):
            cue.speaker = zoom.group("label").strip()
            cue.text = _clean(rest)
            continue
        whisperx = _WHISPERX.match(_clean(cue.text))
        if whisperx:
            cue.speaker = whisperx.group("label").strip()
            cue.text = _clean(cue.text)[whisperx.end():]
    cues = _bracket_speakers(cues)
    prefixes: Counter[str] = Counter()
    for cue in cues:
        prefix = _PREFIX.match(cue.text) if cue.speaker is None else None
        if prefix:
            prefixes[prefix.group("label")] += 1
    # Zoom-style "Name: text" only counts as a speaker when the name recurs — or when most cues
    # carry a recurring name, so that someone who speaks once in a Zoom file is not lost.
    open_cues = [c for c in cues if c.speaker is None]
    recurring = sum(count for count in prefixes.values() if count >= 2)
    needed = 1 if open_cues and recurring * 2 >= len(open_cues) else 2
    for cue in open_cues:
        prefix = _PREFIX.match(cue.text)
        if prefix:
            label = prefix.group("label")
            words = label.split()
            if label.casefold() in KNOWN_LABELS or (prefixes[label] >= needed and len(words) <= 3 and all(w[0].isupper() for w in words)):
                cue.speaker = label
                cue.text = cue.text[prefix.end():]
    return cues


def cues_to_document(path: Path, source_format: str, cues: list[Cue], notes: list[str],
                     warnings: list[str] | None = None, *, merge_cues: bool = True) -> ImportedDocument:
    """Merge cues into turns and build the stored text ``Speaker: words`` per turn.

    A turn's times are the first usable start and the last usable end of its cues, so one
    cue without times does not take them from the others.
    """
    cues = assign_speakers(cues)
    builder = TextBuilder()
    group: list[Cue] = []

    def flush() -> None:
        if group:
            body = " ".join(c.text for c in group if c.text)
            if body:
                starts = [c.start for c in group if c.start is not None]
                ends = [c.end for c in group if c.end is not None]
                builder.add_turn(group[0].speaker, body, t_start=starts[0] if starts else None,
                                 t_end=ends[-1] if ends else None)
            group.clear()

    def last_end() -> float | None:
        return next((c.end for c in reversed(group) if c.end is not None), None)

    words = 0
    for cue in cues:
        if group:
            ended = last_end()
            pause = cue.start is not None and ended is not None and cue.start - ended >= _PARAGRAPH_PAUSE
            same = cue.speaker == group[0].speaker
            if not merge_cues or not same or (cue.speaker is None and (pause or words >= _PARAGRAPH_WORDS)):
                flush()
                words = 0
        group.append(cue)
        words += len(cue.text.split())
    flush()
    text = builder.text()
    if not text.strip():
        raise IngestError(path, "the cues hold no text")
    speakers = sorted({t.speaker for t in builder.turns if t.speaker})
    notes.append(f"{len(cues)} cues → {len(builder.turns)} turns" + (f", speakers: {len(speakers)}" if speakers else ", no speaker labels")
                 + ("" if merge_cues else " (cues kept apart)"))
    return ImportedDocument(path.name, source_format, text, builder.turns, notes, warnings=list(warnings or []))


def import_subtitles(path: Path, kind: str, *, merge_cues: bool = True) -> ImportedDocument:
    """Import a .vtt (``kind="vtt"``) or .srt (``kind="srt"``) file.

    Args:
        path: the file.
        kind: ``"vtt"`` or ``"srt"``.
        merge_cues: join consecutive cues of one speaker into one turn (the default); with
            ``False`` every cue is a turn of its own.

    Raises:
        IngestError: the file is unreadable, not WebVTT, or holds no timed cue or no text.
    """
    notes: list[str] = []
    warnings: list[str] = []
    text = normalise_text(decode_bytes(read_limited(path), path, notes), notes)
    cues, header = parse_cues(text, path, kind=kind, warnings=warnings)
    document = cues_to_document(path, kind, cues, notes, warnings, merge_cues=merge_cues)
    document.meta.update(header)
    return document
