"""SubRip (.srt) transcripts, as written by Whisper and most ASR tools."""

from __future__ import annotations

from pathlib import Path

from codebench.ingest.base import ImportedDocument
from codebench.ingest.subtitles import import_subtitles


def import_srt(path: Path) -> ImportedDocument:
    """Import an .srt file; cue numbers are ignored, speakers found as in WebVTT."""
    return import_subtitles(path, "srt")
