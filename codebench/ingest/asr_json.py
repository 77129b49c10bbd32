"""ASR JSON transcripts: WhisperX, faster-whisper, NB-Whisper (transformers pipeline).

Accepted shapes:

- ``{"segments": [{"start", "end", "text", "speaker"?, "words"?: [{"word", "start"?, "end"?}]}],
  "language"?: "no"}`` (WhisperX, whisper, faster-whisper written with ``json.dump``);
- a top-level list of such segments;
- ``{"text", "chunks": [{"timestamp": [start, end], "text"}]}`` (the transformers pipeline that
  NB-Whisper is usually run through).

Segments become cues and go through the same grouping as WebVTT/SRT
(:func:`codebench.ingest.subtitles.cues_to_document`), so a speaker's consecutive segments form one
turn and unlabelled segments form paragraphs at pauses. Word timings are kept in
``meta["word_times"]`` as ``[offset, t_start, t_end]`` (offset in code points of the stored text)
so that a player can seek to any word.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codebench.ingest.base import ImportedDocument, IngestError, normalise_text, read_limited, warn
from codebench.ingest.encoding import decode_bytes
from codebench.ingest.subtitles import Cue, cues_to_document

_SHAPE = "expected a WhisperX/faster-whisper JSON with segments"


@dataclass
class _Word:
    text: str
    start: float | None
    end: float | None


@dataclass
class _Segment:
    number: int  # 1-based, for messages: JSON has no useful line per segment
    text: str
    start: float | None
    end: float | None
    speaker: str | None
    words: list[_Word] = field(default_factory=list)


def _seconds(value: Any) -> float | None:
    """A time in seconds, or None for anything that is not a finite, non-negative number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return float(value)


def _load(path: Path, notes: list[str]) -> Any:
    text = decode_bytes(read_limited(path), path, notes)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(path, f"not valid JSON ({exc.msg}, column {exc.colno})", exc.lineno) from None
    except RecursionError:
        raise IngestError(path, "not a transcript: the JSON is nested too deeply") from None


def _raw_segments(path: Path, data: Any) -> tuple[list[Any], str | None]:
    """The list of segment objects and the language, whichever shape the tool wrote."""
    language: Any = None
    if isinstance(data, list):
        raw = data
    elif isinstance(data, dict):
        language = data.get("language")
        info = data.get("info")
        if language is None and isinstance(info, dict):
            language = info.get("language")  # faster-whisper's TranscriptionInfo dumped beside
        if isinstance(data.get("segments"), list):
            raw = data["segments"]
        elif isinstance(data.get("chunks"), list):
            raw = [_chunk_as_segment(c) for c in data["chunks"]]
        else:
            raise IngestError(path, _SHAPE)
    else:
        raise IngestError(path, _SHAPE)
    if not all(isinstance(s, dict) for s in raw) or (raw and not any("text" in s for s in raw)):
        raise IngestError(path, _SHAPE)
    return raw, language.strip() if isinstance(language, str) and language.strip() else None


def _chunk_as_segment(chunk: Any) -> Any:
    if not isinstance(chunk, dict):
        return chunk
    stamp = chunk.get("timestamp")
    start, end = (stamp[0], stamp[1]) if isinstance(stamp, (list, tuple)) and len(stamp) == 2 else (None, None)
    return {"text": chunk.get("text"), "start": start, "end": end}


def _segments(path: Path, raw: list[Any], notes: list[str], warnings: list[str]) -> list[_Segment]:
    segments: list[_Segment] = []
    untimed_words = 0
    for number, item in enumerate(raw, 1):
        text = item.get("text")
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise IngestError(path, f"segment {number}: 'text' is not a string ({_SHAPE})")
        words: list[_Word] = []
        raw_words = item.get("words")
        if isinstance(raw_words, list):
            for w in raw_words:
                if not isinstance(w, dict) or not isinstance(w.get("word"), str):
                    continue
                start, end = _seconds(w.get("start")), _seconds(w.get("end"))
                if start is None or end is None or end < start:
                    start = end = None
                    untimed_words += 1
                words.append(_Word(normalise_text(w["word"], []).strip(), start, end))
        speaker = item.get("speaker")
        if not isinstance(speaker, str) or not speaker.strip():
            # WhisperX sometimes labels the words but not the segment; take the majority.
            said = Counter(w["speaker"] for w in raw_words or [] if isinstance(w, dict) and isinstance(w.get("speaker"), str))
            speaker = said.most_common(1)[0][0] if said else None
        start, end = _seconds(item.get("start")), _seconds(item.get("end"))
        if start is None or end is None:
            warn(warnings, path, f"segment {number} has no usable start/end time; its times are dropped, its text kept")
            start = end = None
        elif end < start:
            warn(warnings, path, f"segment {number} ends ({end:.3f} s) before it starts ({start:.3f} s); its times are dropped, its text kept")
            start = end = None
        segments.append(_Segment(number, normalise_text(text, notes), start, end, speaker.strip() if speaker else None, words))
    if untimed_words:
        notes.append(f"{untimed_words} word(s) without timings (numbers and symbols are often left untimed)")
    return segments


def _span(segment: _Segment) -> tuple[float | None, float | None]:
    """A segment's times, made exact by its first and last word where those are timed.

    An untimed first or last word (WhisperX leaves numbers untimed) keeps the segment's own
    time on that side, which covers it.
    """
    words = [w for w in segment.words if w.text]
    start, end = segment.start, segment.end
    if words and words[0].start is not None:
        start = words[0].start
    if words and words[-1].end is not None:
        end = words[-1].end
    if start is not None and end is not None and end < start:
        return segment.start, segment.end
    return start, end


def import_asr_json(path: Path) -> ImportedDocument:
    """Import a WhisperX, faster-whisper or NB-Whisper JSON transcript.

    Raises:
        IngestError: for a file that is not JSON (with the line), not one of these shapes, or
            holds no text.
    """
    notes: list[str] = []
    warnings: list[str] = []
    raw, language = _raw_segments(path, _load(path, notes))
    segments = _segments(path, raw, notes, warnings)
    if not any(s.text.strip() for s in segments):
        raise IngestError(path, "the file holds no transcript text")
    # Deduplicate normalisation notes: each segment was normalised on its own.
    notes[:] = list(dict.fromkeys(notes))

    cues: list[Cue] = []
    last_end = 0.0
    for segment in segments:
        start, end = _span(segment)
        # Untimed segments need some time for the pause rule: "no pause" keeps them in their paragraph.
        cue_start = start if start is not None else last_end
        cue_end = end if end is not None else cue_start
        last_end = cue_end
        cues.append(Cue(cue_start, cue_end, segment.text, segment.number, segment.speaker))
    document = cues_to_document(path, "json", cues, notes)
    document.warnings.extend(warnings)
    _place(document, cues, segments)
    if language:
        document.meta["language"] = language
    return document


def _place(document: ImportedDocument, cues: list[Cue], segments: list[_Segment]) -> None:
    """Set turn times from the timed segments in each turn and record word offsets.

    ``cues_to_document`` joins each turn's cue texts with single spaces after its label, so walking
    the turns with a cursor finds every cue's exact offset in the stored text.
    """
    text, turns = document.text, document.turns
    word_times: list[list[float | int]] = []
    times: list[list[tuple[float, float]]] = [[] for _ in turns]
    index, cursor = 0, turns[0].body_start
    for cue, segment in zip(cues, segments):
        if not cue.text:
            continue
        if cursor > turns[index].end:
            index += 1
            cursor = turns[index].body_start
        if not text.startswith(cue.text, cursor):  # pragma: no cover - would be a bug in the grouping
            raise AssertionError(f"segment {segment.number} not where the grouping put it")
        start, end = _span(segment)
        if start is not None and end is not None:
            times[index].append((start, end))
        word_cursor = 0
        for word in segment.words:
            if not word.text:
                continue
            found = cue.text.find(word.text, word_cursor)
            if found < 0:
                continue  # the word was part of a stripped speaker prefix, or changed by clean-up
            word_cursor = found + len(word.text)
            if word.start is not None and word.end is not None:
                word_times.append([cursor + found, round(word.start, 3), round(word.end, 3)])
        cursor += len(cue.text) + 1
    for turn, spans in zip(turns, times):
        turn.t_start = spans[0][0] if spans else None
        turn.t_end = max(e for _, e in spans) if spans else None
    if word_times:
        document.meta["word_times"] = word_times
