"""What every importer returns, and the one error type they raise."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codebench.errors import IngestError

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest transcript file accepted (a 4-hour verbatim transcript is well under 2 MB)."""




@dataclass
class ImportedTurn:
    """A speaker turn: ``[start, end)`` covers the whole paragraph(s), label included."""

    speaker: str | None
    start: int
    end: int
    body_start: int
    t_start: float | None = None
    t_end: float | None = None


@dataclass
class ImportedDocument:
    """A parsed document, ready to store: normalised text (NFC, LF) and its turns."""

    source_name: str
    source_format: str
    text: str
    turns: list[ImportedTurn]
    notes: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    """Problems tolerated because the content was clear, each ``file:line: message`` (see :func:`warn`)."""
    name: str | None = None  # display name; defaults to the file stem
    participant_hint: dict[str, Any] | None = None  # e.g. a survey respondent's attributes

    @property
    def word_count(self) -> int:
        """Number of whitespace-separated words in the text."""
        return len(self.text.split())


def warn(warnings: list[str], file: str | Path, message: str, line: int | None = None) -> None:
    """Record a tolerated problem in the same shape as an :class:`IngestError` message."""
    where = f"{file}:{line}" if line is not None else str(file)
    warnings.append(f"{where}: {message}")


class TextBuilder:
    """Builds a document text turn by turn, recording each turn's offsets as it goes."""

    def __init__(self, separator: str = "\n\n") -> None:
        self._parts: list[str] = []
        self._length = 0
        self._separator = separator
        self.turns: list[ImportedTurn] = []

    def add_turn(self, speaker: str | None, body: str, *, label: str | None = None,
                 t_start: float | None = None, t_end: float | None = None) -> None:
        """Append one turn; ``label`` (default: the speaker) is written as ``label: body``."""
        if self._parts:
            self._append(self._separator)
        start = self._length
        shown = label if label is not None else speaker
        if shown:
            self._append(f"{shown}: ")
        body_start = self._length
        self._append(body)
        self.turns.append(ImportedTurn(speaker, start, self._length, body_start, t_start, t_end))

    def _append(self, piece: str) -> None:
        self._parts.append(piece)
        self._length += len(piece)

    def text(self) -> str:
        """The text built so far."""
        return "".join(self._parts)


def normalise_text(text: str, notes: list[str]) -> str:
    """LF line ends and NFC composition; records in ``notes`` what was changed."""
    if "\r" in text:
        crlf = text.count("\r\n")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append(f"line ends normalised to LF ({crlf} CRLF)" if crlf else "line ends normalised to LF (CR)")
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        notes.append("Unicode composed to NFC")
    # Characters that would corrupt a terminal or an XML export; tabs and newlines stay.
    cleaned = "".join(ch for ch in nfc if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    if cleaned != nfc:
        notes.append(f"removed {len(nfc) - len(cleaned)} control character(s)")
    return cleaned


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a file, refusing empty and oversized ones with a clear message."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(path, f"cannot read the file ({exc.strerror})") from None
    if size == 0:
        raise IngestError(path, "the file is empty")
    if size > limit:
        raise IngestError(path, f"the file is {size / 1e6:.0f} MB; the limit is {limit / 1e6:.0f} MB")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(path, f"cannot read the file ({exc.strerror})") from None
