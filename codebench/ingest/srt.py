"""SubRip (.srt) transcripts, as written by Whisper and most ASR tools."""

from __future__ import annotations

from pathlib import Path

from codebench.ingest.base import ImportedDocument
from codebench.ingest.subtitles import import_subtitles


def import_srt(path: Path, *, merge_cues: bool = True) -> ImportedDocument:
    """Import an .srt file; cue numbers are ignored, speakers found as in WebVTT.

    Args:
        path: the file.
        merge_cues: join consecutive cues of one speaker into one turn; ``False`` keeps each cue apart.
    """
    return import_subtitles(path, "srt", merge_cues=merge_cues)
