"""Documents, their turns and participants: queries that take and return ``codebench.domain`` records.

The read queries are :class:`~codebench.storage.reads.documents.DocumentReads`, shared with the
read-only path; this module adds what writes.
"""

from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy import select

from codebench.domain.records import ParticipantInfo
from codebench.errors import StorageError
from codebench.storage.base import ProjectRepository
from codebench.storage.orm import Document, Participant, Turn
from codebench.storage.reads.documents import DocumentReads
from codebench.storage.search import indexing_in_bulk


def participant_info(row: Participant) -> ParticipantInfo:
    """Record of a participant row."""
    return ParticipantInfo(row.id, row.pid, row.role, row.site, dict(row.attributes or {}))


class DocumentRepository(ProjectRepository, DocumentReads):
    """Documents, their turns and participants of one project, inside one transaction."""

    def add(self, *, name: str, source_name: str, source_format: str, text: str, sha256: str, word_count: int,
            round: int | None, participant_id: int | None, meta: dict[str, Any], turns: Sequence[Any]) -> int:
        """Store one document with its turns (anything with speaker, start, end, body_start, t_start, t_end); returns its id."""
        row = Document(
            project_id=self.project_id, name=name, source_name=source_name, source_format=source_format, text=text,
            sha256=sha256, length=len(text), word_count=word_count, round=round, participant_id=participant_id,
            meta=meta,
        )
        self.session.add(row)
        self.session.flush()
        with indexing_in_bulk(self.session, {row.id: text}):
            self.session.add_all(
                Turn(document_id=row.id, seq=i, speaker=t.speaker, start=t.start, end=t.end, body_start=t.body_start,
                     t_start=t.t_start, t_end=t.t_end)
                for i, t in enumerate(turns)
            )
            self.session.flush()
        return row.id

    def _participant_row(self, pid: str) -> Participant | None:
        return self.session.scalar(
            select(Participant).where(Participant.project_id == self.project_id, Participant.pid == pid)
        )

    def participant(self, pid: str) -> ParticipantInfo | None:
        """A participant by pseudonymous id."""
        row = self._participant_row(pid)
        return participant_info(row) if row is not None else None

    def add_participant(self, pid: str, role: str, site: str | None, attributes: dict[str, Any]) -> ParticipantInfo:
        """Store a new participant (case)."""
        row = Participant(project_id=self.project_id, pid=pid, role=role, site=site, attributes=attributes)
        self.session.add(row)
        self.session.flush()
        return participant_info(row)

    def update_participant(self, pid: str, **values: Any) -> ParticipantInfo:
        """Change a participant's role, site or attributes."""
        row = self._participant_row(pid)
        if row is None:
            raise StorageError(f"no participant {pid!r}")
        for key, value in values.items():
            if key not in ("role", "site", "attributes"):
                raise StorageError(f"a participant's {key} cannot be changed")
            setattr(row, key, value)
        self.session.flush()
        return participant_info(row)
