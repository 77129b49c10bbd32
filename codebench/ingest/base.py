"""What every importer returns, and the one error type they raise."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codebench.errors import IngestError

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest transcript file accepted by default (a 4-hour verbatim transcript is well under 2 MB)."""
MAX_FILE_VARIABLE = "CODEBENCH_MAX_FILE_MB"

MAX_XML_BYTES = 20 * 1024 * 1024
"""Largest document XML inside a .docx or .odt, unzipped, read by default. Its tree takes about
twenty times its size in memory (40 MB took 830 MB), so this keeps an import under 500 MB; a
4-hour transcript's document.xml is a few MB."""
MAX_XML_VARIABLE = "CODEBENCH_MAX_XML_MB"

MAX_TURN_BYTES = 8 * 1024 * 1024
"""Longest single turn (a paragraph, a cue, a speaker's run) accepted by default, in characters. A
two-hour interview is about 0.1 MB in all; a text without line breaks makes one turn of the whole
file, and indexing one turn of 50 MB for search took over 500 MB of memory."""
MAX_TURN_VARIABLE = "CODEBENCH_MAX_TURN_MB"


def _limit(variable: str, default: int) -> int:
    """A size limit in bytes: ``$variable`` (in MB) when set to a number, else ``default``."""
    raw = os.environ.get(variable, "").strip()
    try:
        return int(float(raw) * 1024 * 1024) if raw else default
    except ValueError:
        raise IngestError(variable, f"{raw!r} is not a number of megabytes") from None


def max_file_bytes() -> int:
    """Largest transcript file to read (``CODEBENCH_MAX_FILE_MB``, default 64)."""
    return _limit(MAX_FILE_VARIABLE, MAX_FILE_BYTES)


def max_xml_bytes() -> int:
    """Largest unzipped document XML of a .docx or .odt to read (``CODEBENCH_MAX_XML_MB``, default 20)."""
    return _limit(MAX_XML_VARIABLE, MAX_XML_BYTES)


def max_turn_chars() -> int:
    """Longest single turn to take (``CODEBENCH_MAX_TURN_MB``, default 8, counted in characters)."""
    return _limit(MAX_TURN_VARIABLE, MAX_TURN_BYTES)


def refuse_long_turns(document: "ImportedDocument", path: Path) -> None:
    """Refuse a document one of whose turns is longer than :func:`max_turn_chars` (one line, with the line)."""
    limit = max_turn_chars()
    for number, turn in enumerate(document.turns, 1):
        if turn.end - turn.start > limit:
            line = document.text.count("\n", 0, turn.start) + 1
            raise IngestError(path, too_large(f"turn {number} (one paragraph without a line break)",
                                              turn.end - turn.start, limit, MAX_TURN_VARIABLE), line=line)


def too_large(what: str, size: int, limit: int, variable: str) -> str:
    """The one line for an input past a size limit: the sizes, and how to raise the limit."""
    return f"{what} is {_mb(size)}; codebench reads at most {_mb(limit)} (set {variable}=MB to raise the limit)"


def _mb(size: int) -> str:
    value = size / 1048576
    return f"{value:.1f} MB" if value < 10 and round(value, 1) != round(value) else f"{value:.0f} MB"




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


# Unicode's control characters (category Cc: U+0000–U+001F, U+007F–U+009F) but tab and newline;
# one regular expression instead of a test per character (a 50 MB line took seconds).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


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
    cleaned = _CONTROL.sub("", nfc)
    if cleaned != nfc:
        notes.append(f"removed {len(nfc) - len(cleaned)} control character(s)")
    return cleaned


def read_limited(path: Path, limit: int | None = None) -> bytes:
    """Read a file, refusing empty and oversized ones with a clear message.

    Args:
        limit: the most bytes to accept; default :func:`max_file_bytes`.
    """
    limit = max_file_bytes() if limit is None else limit
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(path, f"cannot read the file ({exc.strerror})") from None
    if size == 0:
        raise IngestError(path, "the file is empty")
    if size > limit:
        raise IngestError(path, too_large("the file", size, limit, MAX_FILE_VARIABLE))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(path, f"cannot read the file ({exc.strerror})") from None
