"""Transcript importers, one module per format, chosen by file extension."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from codebench.ingest.base import ImportedDocument, ImportedTurn, IngestError

SUPPORTED = (".txt", ".md", ".docx", ".odt", ".vtt", ".srt")
SURVEY = (".csv", ".xlsx")


def _importer(suffix: str) -> Callable[[Path], ImportedDocument]:
    # Imported lazily so that reading a .txt never pays for python-docx or lxml.
    if suffix in (".txt", ".md"):
        from codebench.ingest.text import import_text
        return import_text
    if suffix == ".docx":
        from codebench.ingest.docx import import_docx
        return import_docx
    if suffix == ".odt":
        from codebench.ingest.odt import import_odt
        return import_odt
    if suffix == ".vtt":
        from codebench.ingest.vtt import import_vtt
        return import_vtt
    if suffix == ".srt":
        from codebench.ingest.srt import import_srt
        return import_srt
    raise KeyError(suffix)


def import_file(path: str | Path) -> ImportedDocument:
    """Parse one transcript file into an :class:`ImportedDocument`.

    Raises:
        IngestError: with the file name (and line, where known) for any problem.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in SURVEY:
        raise IngestError(path, "survey files need the free-text columns named: use `codebench import-survey`")
    if suffix == ".doc":
        raise IngestError(path, "old Word .doc files are not supported; save as .docx and import again")
    try:
        importer = _importer(suffix)
    except KeyError:
        raise IngestError(path, f"unsupported file type {suffix or '(none)'}; supported: {', '.join(SUPPORTED)}") from None
    if not path.is_file():
        raise IngestError(path, "no such file")
    return importer(path)


__all__ = ["ImportedDocument", "ImportedTurn", "IngestError", "import_file", "SUPPORTED", "SURVEY"]
