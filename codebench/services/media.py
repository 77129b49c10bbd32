"""A transcript's recording: linking a document to its audio (or video) file, and the turn times to play.

Only the path is stored (in the document's metadata, key ``media``), never the audio: recordings
are large and are kept where the project's data management plan says. A path may name the
informant, so it is shown only where original names may be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from codebench.domain.records import TurnInfo
from codebench.errors import ServiceError
from codebench.services.documents import find_document
from codebench.services.project import Project

MEDIA_KEY = "media"
"""The key of a document's metadata that holds its recording's path."""

MEDIA_EXTENSIONS = (".m4a", ".mp3", ".wav", ".ogg", ".opus", ".flac", ".aac", ".wma", ".mp4", ".m4v", ".mkv", ".webm",
                    ".mov")
"""Recordings looked for beside a transcript, in this order."""


@dataclass(frozen=True)
class Linked:
    """A document's recording."""

    document_id: int
    path: str

    @property
    def exists(self) -> bool:
        """Whether the file is still where it was linked."""
        return Path(self.path).is_file()


def find_beside(transcript: Path, named: str | None = None) -> Path | None:
    """The recording next to a transcript with the same name (``intervju.vtt`` → ``intervju.m4a``).

    noScribe and WhisperX name their output after the audio, so the pair shares a stem; a
    transcript whose name adds to the audio's (``intervju.m4a.vtt``) is found too.

    Args:
        transcript: the transcript file.
        named: the recording's file name as the transcript's header gives it (noScribe's
            "Audio source: intervju 4.m4a"); only its last part counts, looked for beside the
            transcript, and first.
    """
    if named:
        candidate = transcript.parent / named.replace("\\", "/").rsplit("/", 1)[-1]
        if candidate.suffix.lower() in MEDIA_EXTENSIONS and candidate.is_file():
            return candidate.resolve()
    stem = transcript.with_suffix("")
    if stem.suffix.lower() in MEDIA_EXTENSIONS and stem.is_file():
        return stem.resolve()  # intervju.m4a.vtt names intervju.m4a itself
    for extension in MEDIA_EXTENSIONS:
        for variant in (extension, extension.upper()):
            candidate = stem.with_name(stem.name + variant)
            if candidate.is_file():
                return candidate.resolve()
    return None


def link_media(project: Project, document: str | int, path: Path | None, *, coder: str | None = None) -> Linked | None:
    """Link a document to its recording (None forgets the link).

    Raises:
        ServiceError: no such document, or the file is not there.
    """
    if path is not None:
        path = Path(path).expanduser()
        if not path.is_file():
            raise ServiceError(f"{path}: no such file")
        if path.suffix.lower() not in MEDIA_EXTENSIONS:
            raise ServiceError(f"{path}: not a recording codebench knows ({', '.join(MEDIA_EXTENSIONS)})")
        path = path.resolve()
    with project.transaction() as store:
        doc = find_document(store, document)
        store.documents.set_meta(doc.id, MEDIA_KEY, str(path) if path is not None else None)
        store.audit.log("media_link", coder, {"document_id": doc.id, "linked": path is not None})
    return Linked(doc.id, str(path)) if path is not None else None


def media_of(project: Project, document: str | int) -> Linked | None:
    """The recording a document is linked to, if any."""
    with project.transaction(write=False) as store:
        doc = find_document(store, document)
    value = doc.source_meta.get(MEDIA_KEY)
    return Linked(doc.id, str(value)) if isinstance(value, str) and value else None


def turn_times(turns: Sequence[TurnInfo], index: int) -> tuple[float, float | None] | None:
    """Where turn ``index`` (0-based) lies in the recording: ``(start, end)`` in seconds.

    A turn without a time of its own borrows from its neighbours: its start is the end of the
    nearest earlier turn that has one, its end the start of the next turn that has one (None:
    play on to the end). None when no turn before or at it has any time.
    """
    turn = turns[index]
    start = turn.t_start
    if start is None:
        for earlier in reversed(turns[:index]):
            if earlier.t_end is not None or earlier.t_start is not None:
                start = earlier.t_end if earlier.t_end is not None else earlier.t_start
                break
    if start is None:
        return None
    end = turn.t_end
    if end is None:
        end = next((t.t_start for t in turns[index + 1:] if t.t_start is not None), None)
    if end is not None and end <= start:
        end = None
    return start, end


def turn_at_time(turns: Sequence[TurnInfo], seconds: float) -> int | None:
    """The index of the turn being spoken at ``seconds`` (the last turn starting at or before it)."""
    found = None
    for i in range(len(turns)):
        times = turn_times(turns, i)
        if times is None:
            continue
        if times[0] <= seconds:
            found = i
        else:
            break
    return found
