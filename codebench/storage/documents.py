"""Documents, their turns and participants: queries that take and return ``codebench.domain`` records."""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import defer

from codebench.domain.records import DocumentInfo, ParticipantInfo, TurnInfo
from codebench.storage.base import ProjectRepository
from codebench.storage.orm import Document, Participant, Turn


def participant_info(row: Participant) -> ParticipantInfo:
    """Record of a participant row."""
    return ParticipantInfo(row.id, row.pid, row.role, row.site, dict(row.attributes or {}))


class DocumentRepository(ProjectRepository):
    """Documents, their turns and participants of one project, inside one transaction."""


    def infos(self, ids: Iterable[int] | None = None) -> list[DocumentInfo]:
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
        rows = self.session.scalars(query.options(defer(Document.text))).all()
        return [self._info(row, turn_counts.get(row.id, 0)) for row in rows]

    @staticmethod
    def _info(row: Document, turn_count: int) -> DocumentInfo:
        return DocumentInfo(
            id=row.id, uuid=row.uuid, name=row.name, source_name=row.source_name,
            source_format=row.source_format, sha256=row.sha256, imported_at=row.imported_at,
            length=row.length, word_count=row.word_count, turn_count=turn_count, round=row.round,
            participant=participant_info(row.participant) if row.participant else None,
            import_notes=tuple(row.meta.get("notes", ())),
        )

    def find(self, ref: str | int) -> Document | None:
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

    def by_hash(self, sha256: str) -> Document | None:
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
