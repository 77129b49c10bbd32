"""Plain data records the services hand to the CLI and the TUI.

Repositories convert ORM rows into these frozen dataclasses so that no caller outside
``codebench.storage`` ever holds a live database row.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

ROLES: tuple[str, ...] = ("veileder", "IA-rådgiver", "mentor", "arbeidsgiver", "other")
"""Informant roles, in the order reports list them."""

ROLE_ALIASES: dict[str, str] = {
    "veileder": "veileder",
    "nav-veileder": "veileder",
    "ia-rådgiver": "IA-rådgiver",
    "ia-radgiver": "IA-rådgiver",
    "ia": "IA-rådgiver",
    "mentor": "mentor",
    "arbeidsgiver": "arbeidsgiver",
    "leder": "arbeidsgiver",
    "other": "other",
    "annen": "other",
}


def normalise_role(value: str) -> str:
    """Return the canonical role name for ``value`` or raise ValueError."""
    key = value.strip().casefold()
    if key not in ROLE_ALIASES:
        raise ValueError(f"unknown role {value!r}; use one of: {', '.join(ROLES)}")
    return ROLE_ALIASES[key]


@dataclass(frozen=True)
class TurnInfo:
    """One speaker turn of a stored document."""

    seq: int
    speaker: str | None
    start: int
    end: int
    body_start: int
    t_start: float | None = None
    t_end: float | None = None


@dataclass(frozen=True)
class ParticipantInfo:
    """A pseudonymous case: an informant, a group, or a survey respondent."""

    id: int
    pid: str
    role: str
    site: str | None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentInfo:
    """A stored document without its text."""

    id: int
    uuid: str
    name: str
    source_name: str
    source_format: str
    sha256: str
    imported_at: datetime
    length: int
    word_count: int
    turn_count: int | None
    """None where the listing did not count them (the project view does not show them)."""
    round: int | None
    participant: ParticipantInfo | None
    import_notes: tuple[str, ...] = ()
    import_warnings: tuple[str, ...] = ()
    """What the importer tolerated, each naming the file and line (a bad cue kept without times …)."""
    source_meta: dict[str, Any] = field(default_factory=dict)
    """What the importer read about the document besides its text (VTT header, language, title …)."""


@dataclass(frozen=True)
class CodeInfo:
    """A category or code of the project's code tree."""

    id: int
    uuid: str
    kind: str  # "category" | "code"
    name: str
    parent_id: int | None
    position: int
    description: str | None = None
    inclusion: str | None = None
    exclusion: str | None = None
    examples: tuple[str, ...] = ()
    colour: str | None = None
    shortcut: str | None = None
    origin: str = "codebook"
    core: bool = False
    memo: str | None = None
    version: int = 1


@dataclass(frozen=True)
class CodingInfo:
    """One coded span."""

    uuid: str
    document_id: int
    code_id: int
    coder: str
    start: int
    end: int
    text_sha256: str
    created_at: datetime
    updated_at: datetime
    memo: str | None = None
    flag: str | None = None
    """Set when the text under the coding changed (see ``codebench.domain.editing.FLAGS``): the coder checks it."""


class Quote(NamedTuple):
    """A coded segment with what a reader needs to place it.

    A NamedTuple rather than a frozen dataclass: retrieval builds tens of thousands of these
    per query, and tuple construction is several times cheaper.
    """

    coding_uuid: str
    code: str
    category: str | None
    coder: str
    document_id: int
    document: str
    participant: str | None
    role: str | None
    round: int | None
    start: int
    end: int
    text: str
    speaker: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One line of the append-only log of coding and codebook operations."""

    id: int
    at: datetime
    coder: str | None
    action: str
    payload: dict[str, Any]


def code_snapshot(info: CodeInfo) -> dict[str, Any]:
    """A code as the audit log keeps it, so that undo can bring it back exactly."""
    return {
        "uuid": info.uuid, "kind": info.kind, "name": info.name, "parent_id": info.parent_id,
        "position": info.position, "description": info.description, "inclusion": info.inclusion,
        "exclusion": info.exclusion, "examples": list(info.examples), "colour": info.colour,
        "shortcut": info.shortcut, "origin": info.origin, "core": info.core, "memo": info.memo,
    }


# Anonymisation: the repository hands these to the services (never the ORM rows).


@dataclass(frozen=True)
class EntityRecord:
    """One identified person, place, workplace or number; holds the pseudonym, never the original."""

    id: int
    uuid: str
    kind: str
    pseudonym: str
    direct: bool


class NewEntity(NamedTuple):
    """An entity to store (it gets its id from the database)."""

    kind: str
    pseudonym: str
    direct: bool


class MentionRecord(NamedTuple):
    """One mention of an entity in a document, with its review decision and the entity's pseudonym.

    A NamedTuple: renditions and detection read every mention of a project at once.
    """

    id: int
    document_id: int
    start: int
    end: int
    status: str
    detector: str
    score: float
    entity_id: int
    kind: str
    pseudonym: str


class NewMention(NamedTuple):
    """A mention to store; detection stores thousands with one insert."""

    document_id: int
    entity_id: int
    start: int
    end: int
    status: str
    detector: str
    score: float


class KeyMention(NamedTuple):
    """What the pseudonym key is written from: one mention with its entity's stable id and pseudonym."""

    entity_uuid: str
    pseudonym: str
    kind: str
    document_id: int
    start: int
    end: int
    status: str


def text_sha256(text: str) -> str:
    """SHA-256 of a document text (UTF-8): the identity of its content.

    Codings keep the hash of the text they were made on, so that a merge or an import made
    against another version of a transcript is recognised instead of coding the wrong words.
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
