"""WebVTT transcripts from Whisper, WhisperX, noScribe, Microsoft Teams, Zoom and YouTube."""

from __future__ import annotations

from pathlib import Path

from codebench.ingest.base import ImportedDocument
from codebench.ingest.subtitles import import_subtitles


def import_vtt(path: Path, *, merge_cues: bool = True) -> ImportedDocument:
    """Import a .vtt file; speakers and tolerated flaws as in :mod:`codebench.ingest.subtitles`.

    Args:
        path: the file.
        merge_cues: join consecutive cues of one speaker into one turn; ``False`` keeps each cue apart.
    """
    return import_subtitles(path, "vtt", merge_cues=merge_cues)
