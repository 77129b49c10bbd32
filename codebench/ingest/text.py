"""Plain-text transcripts (.txt, .md): decode, normalise, find speaker turns."""

from __future__ import annotations

from pathlib import Path

from codebench.ingest.base import ImportedDocument, IngestError, normalise_text, read_limited
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
    turns = segment_turns(text)
    labelled = sum(1 for t in turns if t.speaker)
    notes.append(f"{labelled} labelled turn(s)" if labelled else "no speaker labels found: imported as paragraphs")
    return ImportedDocument(path.name, source_format, text, turns, notes)


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
    turns = segment_turns(text, hints)
    labelled = sum(1 for t in turns if t.speaker)
    notes.append(f"{labelled} labelled turn(s)" if labelled else "no speaker labels found: imported as paragraphs")
    return ImportedDocument(path.name, source_format, text, turns, notes)
