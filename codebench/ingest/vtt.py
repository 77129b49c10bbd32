"""WebVTT transcripts from Whisper, WhisperX, noScribe, Microsoft Teams and Zoom."""

from __future__ import annotations

from pathlib import Path

from codebench.ingest.base import ImportedDocument
from codebench.ingest.subtitles import import_subtitles


def import_vtt(path: Path) -> ImportedDocument:
    """Import a .vtt file; speakers come from voice tags, ``[SPEAKER_00]:`` or ``Name:``."""
    return import_subtitles(path, "vtt")
