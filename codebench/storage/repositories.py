"""Queries over one project, returning the plain records of ``codebench.domain.records``.

A :class:`Repository` wraps one session (one transaction) and one project. Hot paths (quote
retrieval) use Core selects that fetch tuples, not ORM objects.
"""

from __future__ import annotations

import gc
from operator import itemgetter
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Sequence

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from codebench.domain.records import (
    AuditEntry, CodeInfo, CodingInfo, DocumentInfo, ParticipantInfo, Quote, TurnInfo,
)
from codebench.storage.orm import AuditLog, Code, Coder, Coding, Document, Participant, Turn, utcnow


def participant_info(row: Participant) -> ParticipantInfo:
    """Record of a participant row."""
    return ParticipantInfo(row.id, row.pid, row.role, row.site, dict(row.attributes or {}))


def code_info(row: Code) -> CodeInfo:
    """Record of a code-tree row."""
    return CodeInfo(
        id=row.id, uuid=row.uuid, kind=row.kind, name=row.name, parent_id=row.parent_id,
        position=row.position, description=row.description, inclusion=row.inclusion,
        exclusion=row.exclusion, examples=tuple(row.examples or ()), colour=row.colour,
        shortcut=row.shortcut, origin=row.origin, core=row.core, memo=row.memo, version=row.version,
    )


def coding_info(row: Coding, coder: str) -> CodingInfo:
    """Record of a coding row."""
    return CodingInfo(
        uuid=row.uuid, document_id=row.document_id, code_id=row.code_id, coder=coder,
        start=row.start, end=row.end, text_sha256=row.text_sha256, created_at=row.created_at,
        updated_at=row.updated_at, memo=row.memo,
    )


def coding_snapshot(row: Coding) -> dict[str, Any]:
    """A coding as the audit log keeps it, so that undo can bring it back exactly."""
    return {
        "uuid": row.uuid, "document_id": row.document_id, "code_id": row.code_id, "coder_id": row.coder_id,
        "start": row.start, "end": row.end, "text_sha256": row.text_sha256, "memo": row.memo,
        "created_at": row.created_at.isoformat() if row.created_at else None,
    }


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building thousands of acyclic tuples.

    Each allocation burst otherwise triggers full collections over everything the process
    holds (a TUI with a corpus loaded), which doubled retrieval time in the benchmark.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Repository:
    """Reads and writes of one project inside one session."""

    def __init__(self, session: Session, project_id: int) -> None:
        self.session = session
        self.project_id = project_id

    # -- documents -------------------------------------------------------------------------

    def document_infos(self, ids: Iterable[int] | None = None) -> list[DocumentInfo]:
        """Documents of the project (without text), in import order."""
        counting = select(Turn.document_id, func.count()).join(Document, Document.id == Turn.document_id)
        query = select(Document).where(Document.project_id == self.project_id).order_by(Document.id)
        if ids is not None:
            ids = list(ids)
            # Count only what was asked for: opening one document must not count 200 documents' turns.
            counting = counting.where(Turn.document_id.in_(ids))
            query = query.where(Document.id.in_(ids))
        turn_counts = dict(
            self.session.execute(counting.where(Document.project_id == self.project_id).group_by(Turn.document_id)).all()
        )
        # Only the light columns: the text of 200 transcripts is not needed for a listing.
        from sqlalchemy.orm import defer

        rows = self.session.scalars(query.options(defer(Document.text))).all()
        return [self._document_info(row, turn_counts.get(row.id, 0)) for row in rows]

    @staticmethod
    def _document_info(row: Document, turn_count: int) -> DocumentInfo:
        return DocumentInfo(
            id=row.id, uuid=row.uuid, name=row.name, source_name=row.source_name,
            source_format=row.source_format, sha256=row.sha256, imported_at=row.imported_at,
            length=row.length, word_count=row.word_count, turn_count=turn_count, round=row.round,
            participant=participant_info(row.participant) if row.participant else None,
            import_notes=tuple(row.meta.get("notes", ())),
        )

    def find_document(self, ref: str | int) -> Document | None:
        """A document by id, exact name, source file name, or unique name prefix."""
        base = select(Document).where(Document.project_id == self.project_id)
        text_ref = str(ref)
        if text_ref.isdigit():
            row = self.session.scalar(base.where(Document.id == int(text_ref)))
            if row is not None:
                return row
        for column in (Document.name, Document.source_name):
            rows = self.session.scalars(base.where(column == text_ref)).all()
            if len(rows) == 1:
                return rows[0]
        rows = self.session.scalars(base.where(Document.name.startswith(text_ref, autoescape=True))).all()
        return rows[0] if len(rows) == 1 else None

    def document_by_hash(self, sha256: str) -> Document | None:
        """The document with this text hash, if the project has it."""
        return self.session.scalar(
            select(Document).where(Document.project_id == self.project_id, Document.sha256 == sha256)
        )

    def turns(self, document_id: int) -> list[TurnInfo]:
        """Speaker turns of a document in order."""
        rows = self.session.execute(
            select(Turn.seq, Turn.speaker, Turn.start, Turn.end, Turn.body_start, Turn.t_start, Turn.t_end)
            .where(Turn.document_id == document_id).order_by(Turn.seq)
        ).all()
        return [TurnInfo(*row) for row in rows]

    def participant(self, pid: str) -> Participant | None:
        """A participant by pseudonymous id."""
        return self.session.scalar(
            select(Participant).where(Participant.project_id == self.project_id, Participant.pid == pid)
        )

    def participants(self) -> list[ParticipantInfo]:
        """All participants, ordered by id."""
        rows = self.session.scalars(
            select(Participant).where(Participant.project_id == self.project_id).order_by(Participant.pid)
        ).all()
        return [participant_info(r) for r in rows]

    # -- code tree -------------------------------------------------------------------------

    def code_rows(self) -> list[Code]:
        """All nodes of the code tree, ordered by parent then position."""
        return list(self.session.scalars(
            select(Code).where(Code.project_id == self.project_id).order_by(Code.parent_id, Code.position, Code.id)
        ).all())

    def code_by_name(self, name: str) -> Code | None:
        """A category or code by name, ignoring case."""
        return self.session.scalar(
            select(Code).where(Code.project_id == self.project_id, Code.name_key == name.strip().casefold())
        )

    def code_by_uuid(self, uuid: str) -> Code | None:
        """A category or code by its stable id."""
        return self.session.scalar(select(Code).where(Code.project_id == self.project_id, Code.uuid == uuid))

    def next_position(self, parent_id: int | None) -> int:
        """Position after the last child of ``parent_id``."""
        value = self.session.scalar(
            select(func.max(Code.position)).where(Code.project_id == self.project_id, Code.parent_id.is_(parent_id) if parent_id is None else Code.parent_id == parent_id)
        )
        return 0 if value is None else value + 1

    # -- coders and codings ----------------------------------------------------------------

    def coder(self, name: str, *, create: bool = True) -> Coder | None:
        """The coder called ``name``; created on first use when ``create``."""
        row = self.session.scalar(select(Coder).where(Coder.project_id == self.project_id, Coder.name == name))
        if row is None and create:
            row = Coder(project_id=self.project_id, name=name)
            self.session.add(row)
            self.session.flush()
        return row

    def coder_names(self) -> dict[int, str]:
        """Coder names by id."""
        return dict(self.session.execute(select(Coder.id, Coder.name).where(Coder.project_id == self.project_id)).all())

    def coding(self, uuid: str) -> Coding | None:
        """A coding of this project by id (a unique prefix of at least 8 characters works too)."""
        query = select(Coding).join(Document, Document.id == Coding.document_id).where(Document.project_id == self.project_id)
        row = self.session.scalar(query.where(Coding.uuid == uuid))
        if row is None and len(uuid) >= 8:
            rows = self.session.scalars(query.where(Coding.uuid.startswith(uuid, autoescape=True)).limit(2)).all()
            row = rows[0] if len(rows) == 1 else None
        return row

    def codings(self, document_id: int | None = None, code_ids: Sequence[int] | None = None) -> list[CodingInfo]:
        """Codings, optionally of one document and/or some codes, ordered by position."""
        coders = self.coder_names()
        # Core tuples, not ORM objects: a transcript view asks for a thousand of these at a time.
        query = (
            select(Coding.uuid, Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end,
                   Coding.text_sha256, Coding.created_at, Coding.updated_at, Coding.memo)
            .join(Document, Document.id == Coding.document_id).where(Document.project_id == self.project_id)
        )
        if document_id is not None:
            query = query.where(Coding.document_id == document_id)
        if code_ids is not None:
            query = query.where(Coding.code_id.in_(list(code_ids)))
        rows = self.session.connection().execute(query.order_by(Coding.document_id, Coding.start, Coding.end)).all()
        return [
            CodingInfo(uuid, doc, code, coders[coder], start, end, sha, created, updated, memo)
            for uuid, doc, code, coder, start, end, sha, created, updated, memo in rows
        ]

    def quotes(
        self,
        code_ids: Sequence[int] | None,
        code_names: dict[int, tuple[str, str | None]],
        *,
        roles: Sequence[str] | None = None,
        rounds: Sequence[int] | None = None,
        document_ids: Sequence[int] | None = None,
        coders: Sequence[str] | None = None,
        with_speakers: bool = True,
    ) -> list[Quote]:
        """Coded segments with their context, ordered by document and position.

        The codings are read alone, driven by the code index, and joined to the (few hundred)
        documents and coders in Python: letting SQLite join documents first makes it walk
        every coding of every document.

        Args:
            code_ids: codes to include (None: all).
            code_names: ``code id -> (code name, main category name)``.
        """
        doc_query = (
            select(Document.id, Document.name, Participant.pid, Participant.role, Document.round)
            .outerjoin(Participant, Participant.id == Document.participant_id)
            .where(Document.project_id == self.project_id)
        )
        if roles:
            doc_query = doc_query.where(Participant.role.in_(list(roles)))
        if rounds:
            doc_query = doc_query.where(Document.round.in_(list(rounds)))
        if document_ids:
            doc_query = doc_query.where(Document.id.in_(list(document_ids)))
        connection = self.session.connection()
        documents = {row[0]: row[1:] for row in connection.execute(doc_query)}
        coder_names = self.coder_names()
        speaker = (
            select(Turn.speaker)
            .where(Turn.document_id == Coding.document_id, Turn.start <= Coding.start)
            .order_by(Turn.start.desc()).limit(1).correlate(Coding).scalar_subquery()
        )
        query = select(
            Coding.uuid, Coding.code_id, Coding.coder_id, Coding.document_id, Coding.start, Coding.end,
            Coding.quote, speaker if with_speakers else literal(None),
        )
        if code_ids is not None:
            query = query.where(Coding.code_id.in_(list(code_ids)))
        if code_ids is None or roles or rounds or document_ids:
            query = query.where(Coding.document_id.in_(list(documents)))
        if coders:
            wanted = [i for i, name in coder_names.items() if name in set(coders)]
            query = query.where(Coding.coder_id.in_(wanted))
        # .all() fetches in one call; iterating a result fetches row by row at twice the cost.
        with _collector_paused():
            rows = connection.execute(query).all()
            return self._quote_records(rows, code_ids is not None and not (roles or rounds or document_ids),
                                       documents, code_names, coder_names)

    @staticmethod
    def _quote_records(rows: list[Any], all_in_documents: bool, documents: dict[int, Any],
                       code_names: dict[int, tuple[str, str | None]], coder_names: dict[int, str]) -> list[Quote]:
        """Quotes from raw coding rows, sorted by document and position."""
        # Position first; coder, code and id break ties, so two coders' identical spans always
        # come in the same order (a stable list for the reader and for snapshot tests).
        position = itemgetter(3, 4, 5, 2, 1, 0)
        if all_in_documents:
            rows.sort(key=position)
        else:
            rows = sorted((row for row in rows if row[3] in documents), key=position)
        make = Quote._make
        return [
            make((uuid, *code_names.get(code_id, ("?", None)), coder_names[coder_id], doc_id, *documents[doc_id],
                  start, end, text, turn_speaker))
            for uuid, code_id, coder_id, doc_id, start, end, text, turn_speaker in rows
        ]

    # -- audit log -------------------------------------------------------------------------

    def log(self, action: str, coder: str | None, payload: dict[str, Any]) -> AuditLog:
        """Append one entry to the audit log (never updated or deleted afterwards)."""
        entry = AuditLog(project_id=self.project_id, at=utcnow(), coder=coder, action=action, payload=payload)
        self.session.add(entry)
        self.session.flush()
        return entry

    def audit(self, limit: int | None = None) -> list[AuditEntry]:
        """Audit entries, newest first."""
        query = select(AuditLog).where(AuditLog.project_id == self.project_id).order_by(AuditLog.id.desc())
        if limit:
            query = query.limit(limit)
        return [AuditEntry(r.id, r.at, r.coder, r.action, dict(r.payload)) for r in self.session.scalars(query)]
