"""Cues from ASR subtitle files (WebVTT and SRT) turned into speaker turns.

Both formats are parsed here by hand rather than by a subtitle library, because researchers'
files break the standard in known ways (old Teams ``0:0:0.0`` times, GUID cue ids, missing
blank lines) and a bad file must be reported with its line number.

Speakers come from, in order: a voice tag ``<v Name>`` (Teams, noScribe), a WhisperX prefix
``[SPEAKER_00]:``, or a ``Name:`` prefix (Zoom) seen on at least two cues. Consecutive cues of
one speaker form one turn; without speakers, cues are grouped into paragraphs at pauses.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from codebench.ingest.base import ImportedDocument, IngestError, TextBuilder, normalise_text, read_limited
from codebench.ingest.encoding import decode_bytes
from codebench.ingest.speakers import KNOWN_LABELS

_TIME = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$")
_ARROW = re.compile(r"^\s*(?P<a>\S+)\s+-->\s+(?P<b>\S+)(?P<settings>\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]+)*\s+([^>]+)>")
_WHISPERX = re.compile(r"^\[(?P<label>[^\]]{1,60})\]:\s*")
_PREFIX = re.compile(r"^(?P<label>[^\W\d_][\w.'’\-]*(?: [^\W\d_][\w.'’\-]*){0,3}|SPEAKER_\d+|S\d{1,3}):\s+")
_TAG = re.compile(r"</?[^>\s][^>]*>")
_PARAGRAPH_PAUSE = 2.0  # seconds of silence that start a new paragraph when there are no speakers
_PARAGRAPH_WORDS = 150


@dataclass
class Cue:
    """One subtitle cue: times in seconds, raw text, and the line it started on."""

    start: float
    end: float
    text: str
    line: int
    speaker: str | None = None


def parse_time(token: str, file: Path, line: int) -> float:
    """Seconds from ``hh:mm:ss.mmm``, ``mm:ss.mmm`` or old Teams ``h:m:s.f``."""
    match = _TIME.match(token)
    if not match:
        raise IngestError(file, f"bad cue time {token!r} (expected hh:mm:ss.mmm)", line)
    hours, minutes, seconds, fraction = match.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        raise IngestError(file, f"bad cue time {token!r} (minutes and seconds must be below 60)", line)
    value = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    if fraction:
        value += int(fraction) / 10 ** len(fraction)
    return value


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks with the 1-based line number each starts on."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 1
    for number, line in enumerate(text.split("\n"), 1):
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


def parse_cues(text: str, file: Path, *, kind: str) -> tuple[list[Cue], str]:
    """Parse WebVTT (``kind="vtt"``) or SRT text into cues; returns ``(cues, header)``."""
    header = ""
    blocks = _blocks(text)
    if kind == "vtt":
        if not blocks or not blocks[0][1][0].lstrip("\ufeff").startswith("WEBVTT"):
            raise IngestError(file, "not a WebVTT file: the first line must start with WEBVTT", 1)
        first_line, first = blocks[0]
        header = first[0][6:].strip(" -\t")
        # Cues may follow the header without a blank line in sloppy files.
        blocks[0] = (first_line + 1, first[1:])
    cues: list[Cue] = []
    for start_line, lines in blocks:
        if not lines:
            continue
        if kind == "vtt" and lines[0].split(" ", 1)[0] in {"NOTE", "STYLE", "REGION"} and "-->" not in lines[0]:
            continue
        timing_index = next((i for i, l in enumerate(lines[:3]) if "-->" in l), None)
        if timing_index is None:
            raise IngestError(file, "a cue without a timing line (expected 'start --> end')", start_line)
        line_no = start_line + timing_index
        match = _ARROW.match(lines[timing_index])
        if not match:
            raise IngestError(file, f"bad timing line {lines[timing_index].strip()!r}", line_no)
        begin = parse_time(match.group("a"), file, line_no)
        end = parse_time(match.group("b"), file, line_no)
        if end < begin:
            raise IngestError(file, f"cue ends ({match.group('b')}) before it starts ({match.group('a')})", line_no)
        body = lines[timing_index + 1 :]
        # A second timing line in the body means a missing blank line; that cue is malformed.
        for k, line in enumerate(body):
            if _ARROW.match(line):
                raise IngestError(file, "two timing lines in one cue (missing blank line?)", line_no + 1 + k)
        cues.append(Cue(begin, end, "\n".join(body), line_no))
    if not cues:
        raise IngestError(file, "the file holds no cues")
    return cues, header


def _clean(text: str) -> str:
    text = _TAG.sub("", text)
    text = html.unescape(text).replace("\u200e", "").replace("\u200f", "").replace("\xa0", " ")
    return " ".join(text.split())


def assign_speakers(cues: list[Cue]) -> None:
    """Set each cue's speaker and strip the marker from its text."""
    prefixes: Counter[str] = Counter()
    for cue in cues:
        voice = _VOICE.search(cue.text)
        if voice:
            cue.speaker = _clean(voice.group(1))
            cue.text = _clean(cue.text)
            continue
        cue.text = _clean(cue.text)
        whisperx = _WHISPERX.match(cue.text)
        if whisperx:
            cue.speaker = whisperx.group("label").strip()
            cue.text = cue.text[whisperx.end():]
            continue
        prefix = _PREFIX.match(cue.text)
        if prefix:
            prefixes[prefix.group("label")] += 1
    # Zoom-style "Name: text" only counts as a speaker when the name recurs.
    for cue in cues:
        if cue.speaker is None:
            prefix = _PREFIX.match(cue.text)
            if prefix:
                label = prefix.group("label")
                words = label.split()
                if label.casefold() in KNOWN_LABELS or (prefixes[label] >= 2 and all(w[0].isupper() for w in words)):
                    cue.speaker = label
                    cue.text = cue.text[prefix.end():]


def cues_to_document(path: Path, source_format: str, cues: list[Cue], notes: list[str]) -> ImportedDocument:
    """Merge cues into turns and build the stored text ``Speaker: words`` per turn."""
    assign_speakers(cues)
    builder = TextBuilder()
    group: list[Cue] = []

    def flush() -> None:
        if group:
            body = " ".join(c.text for c in group if c.text)
            if body:
                builder.add_turn(group[0].speaker, body, t_start=group[0].start, t_end=group[-1].end)
            group.clear()

    words = 0
    for cue in cues:
        if group:
            same = cue.speaker == group[0].speaker
            if not same or (cue.speaker is None and (cue.start - group[-1].end >= _PARAGRAPH_PAUSE or words >= _PARAGRAPH_WORDS)):
                flush()
                words = 0
        group.append(cue)
        words += len(cue.text.split())
    flush()
    text = builder.text()
    if not text.strip():
        raise IngestError(path, "the cues hold no text")
    speakers = sorted({t.speaker for t in builder.turns if t.speaker})
    notes.append(f"{len(cues)} cues → {len(builder.turns)} turns" + (f", speakers: {len(speakers)}" if speakers else ", no speaker labels"))
    return ImportedDocument(path.name, source_format, text, builder.turns, notes)


def import_subtitles(path: Path, kind: str) -> ImportedDocument:
    """Import a .vtt or .srt file."""
    notes: list[str] = []
    text = normalise_text(decode_bytes(read_limited(path), path, notes), notes)
    cues, header = parse_cues(text, path, kind=kind)
    document = cues_to_document(path, kind, cues, notes)
    if header:
        document.meta["header"] = header
    return document
