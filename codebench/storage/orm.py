"""SQLAlchemy 2.0 typed ORM: the tables of a codebench project store.

One database may hold several projects (a team's PostgreSQL server); every row hangs off a
project. Text positions are code points into ``Document.text``; spans are half-open.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON, Boolean, CheckConstraint, DateTime, Float, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """Timezone-aware now, the one clock every table uses."""
    return datetime.now(timezone.utc)


def new_uuid() -> str:
    """A fresh UUID4 as text (portable across SQLite and PostgreSQL)."""
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    """Declarative base; naming convention keeps Alembic batch migrations on SQLite sane."""

    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


Base.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Participant(Base):
    """A pseudonymous case: informant, group, or survey respondent."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("project_id", "pid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    pid: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(40))
    site: Mapped[str | None] = mapped_column(String(200))
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("project_id", "sha256"), UniqueConstraint("project_id", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), default=new_uuid, unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    source_name: Mapped[str] = mapped_column(String(500))
    source_format: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64))
    length: Mapped[int] = mapped_column(Integer)
    word_count: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    round: Mapped[int | None] = mapped_column(Integer)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"), index=True)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Last on purpose: SQLite reads columns in order, and a 60 kB text spills into overflow
    # pages that every join reading a later column (round, participant) would have to walk.
    text: Mapped[str] = mapped_column(Text)

    participant: Mapped[Participant | None] = relationship(lazy="joined")
    turns: Mapped[list[Turn]] = relationship(cascade="all, delete-orphan", order_by="Turn.seq", passive_deletes=True)


class Turn(Base):
    __tablename__ = "turns"
    # Covering index: finding the speaker of a quote is an index-only seek.
    __table_args__ = (Index("ix_turns_doc_start", "document_id", "start", "speaker"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str | None] = mapped_column(String(200))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    body_start: Mapped[int] = mapped_column(Integer)
    t_start: Mapped[float | None]
    t_end: Mapped[float | None]


class Code(Base):
    """A node of the code tree: a category or a code."""

    __tablename__ = "codes"
    __table_args__ = (
        UniqueConstraint("project_id", "name_key"),
        CheckConstraint("kind in ('category', 'code')", name="kind"),
        CheckConstraint("origin in ('codebook', 'open', 'in-vivo')", name="origin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), default=new_uuid)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("codes.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))  # casefolded name: names are unique ignoring case
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str | None] = mapped_column(Text)
    inclusion: Mapped[str | None] = mapped_column(Text)
    exclusion: Mapped[str | None] = mapped_column(Text)
    examples: Mapped[list[str]] = mapped_column(JSON, default=list)
    colour: Mapped[str | None] = mapped_column(String(7))
    shortcut: Mapped[str | None] = mapped_column(String(1))
    origin: Mapped[str] = mapped_column(String(10), default="codebook")
    core: Mapped[bool] = mapped_column(Boolean, default=False)
    memo: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Coder(Base):
    __tablename__ = "coders"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Coding(Base):
    """A code applied to ``[start, end)`` of a document by one coder."""

    __tablename__ = "codings"
    # The table's key starts with the code so that SQLite (a WITHOUT ROWID table is stored in key
    # order) keeps each code's codings together: retrieving a category reads a few contiguous
    # pages instead of thousands of scattered rows. The coding's identity is still its uuid.
    __table_args__ = (
        PrimaryKeyConstraint("code_id", "document_id", "start", "uuid"),
        UniqueConstraint("uuid"),
        CheckConstraint("start >= 0 AND \"end\" > start", name="span"),
        Index("ix_codings_doc_start", "document_id", "start"),
        {"sqlite_with_rowid": False},
    )
    __mapper_args__ = {"primary_key": ["uuid"]}

    uuid: Mapped[str] = mapped_column(String(36), default=new_uuid)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="RESTRICT"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id", ondelete="RESTRICT"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text_sha256: Mapped[str] = mapped_column(String(64))  # the document text the span was made against
    memo: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    quote: Mapped[str] = mapped_column(Text)  # copy of the coded words: retrieval needs no text slicing
    # Set when the text under the coding changed (an edit, a corrected file): the coder checks it.
    flag: Mapped[str | None] = mapped_column(String(20))


class CodingCountByDocument(Base):
    """How many codings one coder has in one document: kept by triggers (migration 0005), read by
    the project view and stats instead of counting the codings table."""

    __tablename__ = "coding_counts_by_document"
    __table_args__ = (PrimaryKeyConstraint("document_id", "coder_id"), {"sqlite_with_rowid": False})

    document_id: Mapped[int] = mapped_column(Integer)
    coder_id: Mapped[int] = mapped_column(Integer)
    codings: Mapped[int] = mapped_column(Integer)


class CodingCountByCode(Base):
    """How many codings one coder has with one code: kept by triggers (migration 0005)."""

    __tablename__ = "coding_counts_by_code"
    __table_args__ = (PrimaryKeyConstraint("code_id", "coder_id"), {"sqlite_with_rowid": False})

    code_id: Mapped[int] = mapped_column(Integer)
    coder_id: Mapped[int] = mapped_column(Integer)
    codings: Mapped[int] = mapped_column(Integer)


class Memo(Base):
    """A memo on the project, a code or a document."""

    __tablename__ = "memos"
    __table_args__ = (CheckConstraint("target_type in ('project', 'code', 'document')", name="target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), default=new_uuid, unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    target_type: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditLog(Base):
    """Append-only log of coding and codebook operations (undo and merge read it)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    coder: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AnonEntity(Base):
    """One identified person, place, workplace or number: a cluster of mentions.

    Holds the pseudonym but never the original name: the link original ↔ pseudonym is the
    pseudonym key, kept in a separate owner-only file (see ``anonymise/key.py``).
    """

    __tablename__ = "anon_entities"
    __table_args__ = (UniqueConstraint("project_id", "pseudonym"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), default=new_uuid, unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    pseudonym: Mapped[str] = mapped_column(String(200))
    gender: Mapped[str | None] = mapped_column(String(1))
    direct: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnonMention(Base):
    """One place in a document where an entity is mentioned, with the review decision.

    ``status`` is suggested / accepted / rejected / manual; only accepted and manual mentions
    are replaced in the anonymised rendition.  Offsets are code points into the original text.
    """

    __tablename__ = "anon_mentions"
    __table_args__ = (
        UniqueConstraint("document_id", "start", "end"),
        CheckConstraint("status in ('suggested', 'accepted', 'rejected', 'manual')", name="status"),
        CheckConstraint('"end" > start', name="span"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("anon_entities.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="suggested")
    detector: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float, default=1.0)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column()


class DocumentRevision(Base):
    """One change of a document's text (an edit of a turn, a corrected file imported over it).

    The text before is kept as the pieces the change replaced (``[start, end, old, new]`` in the
    text before), so every earlier version can be rebuilt from the current text and the change
    can be taken back; the hashes before and after let a merge match a coder's copy made
    against any version. ``turns_before`` keeps the turn layout the change replaced.
    """

    __tablename__ = "document_revisions"
    __table_args__ = (UniqueConstraint("document_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), default=new_uuid, unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    before_sha256: Mapped[str] = mapped_column(String(64))
    after_sha256: Mapped[str] = mapped_column(String(64))
    pieces: Mapped[list[Any]] = mapped_column(JSON, default=list)
    turns_before: Mapped[list[Any]] = mapped_column(JSON, default=list)
    turn_seq: Mapped[int | None] = mapped_column(Integer)
    author: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class SavedSearch(Base):
    """A text search kept with its query and options (re-run it; list them for the methods section)."""

    __tablename__ = "saved_searches"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[str] = mapped_column(Text)
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    coder: Mapped[str | None] = mapped_column(String(100))
    hits: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
