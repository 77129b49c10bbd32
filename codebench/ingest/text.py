"""Plain-text transcripts (.txt, .md): decode, normalise, find speaker turns, clean them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codebench.ingest.base import (
    ImportedDocument,
    IngestError,
    normalise_text,
    read_limited,
)
from codebench.ingest.cleanup import remove_timestamps, split_header
from codebench.ingest.encoding import decode_bytes
from codebench.ingest.speakers import segment_turns


def import_text(path: Path) -> ImportedDocument:
    """Import a .txt or .md transcript."""
    notes: list[str] = []
    text = normalise_text(decode_bytes(read_limited(path), path, notes), notes)
    return document_from_text(path, text, "md" if path.suffix.lower() == ".md" else "txt", notes)


def document_from_text(path: Path, text: str, source_format: str, notes: list[str]) -> ImportedDocument:
    """Wrap already-normalised text as a document, refusing text with no words in it."""
    if not text.strip():
        raise IngestError(path, "the file holds no text")
    return clean_document(path, source_format, text, {}, notes)


def document_from_lines(path: Path, source_format: str, lines: list[str],
                        hints: dict[int, tuple[str, int]], notes: list[str]) -> ImportedDocument:
    """Assemble a document from extracted paragraph lines and formatting-based label hints.

    Lines are normalised one by one so that each hint's offset stays valid within its line;
    leading and trailing blank lines are dropped.
    """
    changed: list[str] = []
    normalised = [normalise_text(line, changed) for line in lines]
    hints = {i: (label, len(normalise_text(lines[i][:offset], []))) for i, (label, offset) in hints.items()}
    if changed:
        notes.append("text normalised: " + "; ".join(sorted(set(changed))))
    while normalised and not normalised[0].strip():
        normalised.pop(0)
        hints = {i - 1: v for i, v in hints.items() if i > 0}
    while normalised and not normalised[-1].strip():
        normalised.pop()
    text = "\n".join(normalised)
    if not text.strip():
        raise IngestError(path, "the document holds no text")
    return clean_document(path, source_format, text, hints, notes)


def clean_document(path: Path, source_format: str, text: str,
                   hints: dict[int, tuple[str, int]], notes: list[str]) -> ImportedDocument:
    """Segment a typed transcript into turns, with its header and inline timestamps taken out.

    The header goes to ``meta["header"]``, timestamps to the turns' times; what was removed is
    kept in ``meta["removed"]`` (see :mod:`codebench.ingest.cleanup`), so nothing is lost.
    """
    meta: dict[str, Any] = {}
    removed: list[list[Any]] = []
    header = split_header(text)
    if header is not None:
        text = text[len(header.removed):]
        shift = header.removed.count("\n")  # hints are by line: the header's lines are gone
        hints = {i - shift: v for i, v in hints.items() if i >= shift}
        meta["header"] = header.values
        removed.append([0, header.removed])
        notes.append(f"{header.lines} header line(s) moved to the document's attributes")
    clean = remove_timestamps(text, segment_turns(text, hints))
    if clean.removed:
        removed.extend(clean.removed)
        notes.append(f"{len(clean.removed)} inline timestamp(s) moved to turn times")
    if removed:
        meta["removed"] = removed
    labelled = sum(1 for t in clean.turns if t.speaker)
    notes.append(f"{labelled} labelled turn(s)" if labelled else "no speaker labels found: imported as paragraphs")
    return ImportedDocument(path.name, source_format, clean.text, clean.turns, notes, meta=meta)
