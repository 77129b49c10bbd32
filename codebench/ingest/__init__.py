"""Transcript importers, one module per format, chosen by file extension."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from codebench.ingest.base import ImportedDocument, ImportedTurn, IngestError, refuse_long_turns

SUPPORTED = (".txt", ".md", ".docx", ".odt", ".vtt", ".srt", ".json", ".html", ".htm", ".pdf")
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
    if suffix == ".json":
        from codebench.ingest.asr_json import import_asr_json
        return import_asr_json
    if suffix in (".html", ".htm"):
        from codebench.ingest.noscribe_html import import_noscribe_html
        return import_noscribe_html
    if suffix == ".pdf":
        from codebench.ingest.pdf import import_pdf
        return import_pdf
    raise KeyError(suffix)


def import_file(path: str | Path, *, strict: bool = False) -> ImportedDocument:
    """Parse one transcript file into an :class:`ImportedDocument`.

    Args:
        path: the file.
        strict: refuse a file the importer would take with warnings (a bad cue, say).

    Raises:
        IngestError: with the file name (and line, where known) for any problem; with
            ``strict``, for the first warning too.
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
    document = importer(path)
    refuse_long_turns(document, path)
    if strict and document.warnings:
        more = f" (and {len(document.warnings) - 1} more warning(s))" if len(document.warnings) > 1 else ""
        raise IngestError(path, f"refused under --strict: {document.warnings[0]}{more}")
    return document


__all__ = ["ImportedDocument", "ImportedTurn", "IngestError", "import_file", "SUPPORTED", "SURVEY"]
