"""REFI-QDA records: what codebench reads from and writes to QDPX projects and QDC codebooks.

Plain dataclasses that know neither the XML nor the database; positions in them are code points of
the text as codebench stores it (LF, NFC, no control characters), ``[start, end)``.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterator

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

GUID_NAMESPACE = uuid.UUID("99d789bb-37bd-4dbe-9972-7e9d4518447c")
"""Namespace of GUIDs derived from names (users, cases, variables, selections): the same name
gives the same GUID in every export, so another tool sees the same user or case each time."""

VARIABLE_TYPES = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")
HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
"""A colour as QDA-XML writes it (``#rrggbb`` or ``#rgb``); anything else is dropped, read or written."""


_NAMESPACE_BYTES = GUID_NAMESPACE.bytes


def derived_guid(kind: str, key: str) -> str:
    """A GUID that depends only on ``kind`` and ``key`` (stable across exports): a UUID version 5.

    Spelled out rather than ``uuid.uuid5`` because an export derives one per coding and the
    UUID object costs four times the hashing.
    """
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + f"{kind}:{key}".encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass
class QdaUser:
    """A person who made codings or notes."""

    guid: str
    name: str


@dataclass
class QdaCode:
    """A node of the codebook; codes with children are what codebench calls categories."""

    guid: str
    name: str
    codable: bool = True
    colour: str | None = None
    description: str | None = None
    note_guids: list[str] = field(default_factory=list)
    children: list[QdaCode] = field(default_factory=list)
    line: int | None = None

    def walk(self, parent: QdaCode | None = None) -> Iterator[tuple[QdaCode, QdaCode | None]]:
        """Yield ``(node, parent)`` for this node and every node below it, parents first."""
        yield self, parent
        for child in self.children:
            yield from child.walk(self)


@dataclass
class QdaCoding:
    """A code on ``[start, end)`` of a source (code points of the stored text)."""

    guid: str
    code_guid: str
    start: int
    end: int
    user_guid: str | None = None
    created: datetime | None = None
    memo: str | None = None
    selection_guid: str | None = None
    line: int | None = None
    note_guids: list[str] = field(default_factory=list)


@dataclass
class QdaVariable:
    """A case or source attribute; ``kind`` is one of :data:`VARIABLE_TYPES`."""

    guid: str
    name: str
    kind: str = "Text"


@dataclass
class QdaSource:
    """A text source: its text (LF, NFC), codings, notes and variable values."""

    guid: str
    name: str
    text: str
    codings: list[QdaCoding] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # variable guid -> value
    created: datetime | None = None
    user_guid: str | None = None
    changes: list[str] = field(default_factory=list)  # what reading did to the text (encoding, line ends)
    line: int | None = None


@dataclass
class QdaCase:
    """A case (a participant) with its variable values and sources."""

    guid: str
    name: str
    values: dict[str, Any] = field(default_factory=dict)  # variable guid -> value
    source_guids: list[str] = field(default_factory=list)
    description: str | None = None
    line: int | None = None


@dataclass
class QdaNote:
    """A note (a memo)."""

    guid: str
    text: str
    name: str | None = None
    user_guid: str | None = None
    created: datetime | None = None
    line: int | None = None


@dataclass
class QdaProject:
    """Everything codebench reads from or writes to a QDPX project."""

    name: str
    origin: str | None = None
    users: list[QdaUser] = field(default_factory=list)
    codes: list[QdaCode] = field(default_factory=list)
    variables: list[QdaVariable] = field(default_factory=list)
    cases: list[QdaCase] = field(default_factory=list)
    sources: list[QdaSource] = field(default_factory=list)
    notes: list[QdaNote] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)  # notes on the project as a whole
    created: datetime | None = None
    warnings: list[str] = field(default_factory=list)
    description: str | None = None
    """The project's Description: codebench says there whether the file is anonymised."""

    def all_codes(self) -> Iterator[tuple[QdaCode, QdaCode | None]]:
        """Every code of the codebook with its parent, parents first."""
        for root in self.codes:
            yield from root.walk()


@dataclass
class QdaCodebook:
    """A QDC codebook."""

    origin: str | None
    codes: list[QdaCode]
    warnings: list[str] = field(default_factory=list)
