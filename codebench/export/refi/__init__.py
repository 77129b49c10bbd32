"""REFI-QDA exchange files (QDA-XML 1.0): QDPX projects and QDC codebooks, in and out.

Plain records in, plain records out: this package knows the XML and the archive layout and
nothing about the database; :mod:`codebench.services.interchange` maps the records to and from
a project.

- :mod:`~codebench.export.refi.records`      the ``Qda*`` dataclasses and derived GUIDs
- :mod:`~codebench.export.refi.description`  codebench's code fields in one Description
- :mod:`~codebench.export.refi.text`         source text and positions (UTF-16/CRLF ↔ code points)
- :mod:`~codebench.export.refi.reader`       ``read_qdpx``, ``read_qdc``
- :mod:`~codebench.export.refi.writer`       ``project_xml``, ``codebook_xml``, ``write_qdpx``, ``write_qdc``

Positions. The standard counts Unicode code points, 0-based, and the end is exclusive in practice.
Files written here use code points over LF text, UTF-8 without BOM, ``internal://<guid>.txt``.
Files read here may come from tools that do otherwise (NVivo for Windows counts UTF-16 code units
over CRLF text), so the reader converts every position into code points of the text as codebench
stores it (LF, NFC, no control characters); callers never see another unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from codebench.export.refi.description import compose_description, parse_description
from codebench.export.refi.records import (
    CODEBOOK_NS,
    GUID_NAMESPACE,
    HEX_COLOUR,
    PROJECT_NS,
    VARIABLE_TYPES,
    QdaCase,
    QdaCode,
    QdaCodebook,
    QdaCoding,
    QdaNote,
    QdaProject,
    QdaSource,
    QdaUser,
    QdaVariable,
    derived_guid,
)
from codebench.export.refi.text import SourceText, counts_utf16_over_crlf, normalise_with_map
from codebench.export.refi.writer import codebook_xml, project_xml, write_qdc, write_qdpx

if TYPE_CHECKING:
    from codebench.export.refi.reader import read_qdc, read_qdpx


def __getattr__(name: str) -> Any:
    # The reader (and the importers it uses) loads on first use: an export never reads a file,
    # and loading it took a tenth of ``export qdpx``'s time on a small project.
    if name in ("read_qdc", "read_qdpx"):
        from codebench.export.refi import reader

        return getattr(reader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CODEBOOK_NS", "GUID_NAMESPACE", "HEX_COLOUR", "PROJECT_NS", "VARIABLE_TYPES",
    "QdaCase", "QdaCode", "QdaCodebook", "QdaCoding", "QdaNote", "QdaProject", "QdaSource", "QdaUser", "QdaVariable",
    "SourceText", "codebook_xml", "compose_description", "counts_utf16_over_crlf", "derived_guid", "normalise_with_map",
    "parse_description", "project_xml", "read_qdc", "read_qdpx", "write_qdc", "write_qdpx",
]
