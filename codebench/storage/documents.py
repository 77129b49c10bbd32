"""Documents, their turns and participants: queries that take and return ``codebench.domain`` records.

The read queries are :class:`~codebench.storage.reads.documents.DocumentReads`, shared with the
read-only path; this module adds what writes.
"""

from __future__ import annotations

from datetime import datetime
from itertools import islice
from typing import Any, Iterable, Sequence

from sqlalchemy import bindparam, func, insert, select

from codebench.domain.editing import Piece, RevisionInfo
from codebench.domain.records import ParticipantInfo, TurnInfo
from codebench.errors import StorageError
from codebench.storage.base import ProjectRepository
from codebench.storage.orm import Document, DocumentRevision, Participant, Turn
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
        # Core inserts in slices: an ORM object per turn took 1.3 GB and a minute for 400,000 turns.
        values = ({"document_id": row.id, "seq": i, "speaker": t.speaker, "start": t.start, "end": t.end,
                   "body_start": t.body_start, "t_start": t.t_start, "t_end": t.t_end} for i, t in enumerate(turns))
        with indexing_in_bulk(self.session, {row.id: text}):
            connection, statement = self.session.connection(), insert(Turn.__table__)  # Core: no ORM bookkeeping
            while chunk := list(islice(values, 5_000)):
                connection.execute(statement, chunk)
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

    # -- changing a text (edits, corrected files) ------------------------------------------------
    # The search index (when there is one) is kept in step here: every change of a document's
    # text goes through replace_text.

    def replace_text(self, document_id: int, *, text: str, sha256: str, word_count: int,
                     turns: Sequence[Any]) -> None:
        """Give a document a new text and turn layout (the caller keeps the revision history).

        Args:
            turns: anything with speaker, start, end, body_start, t_start, t_end, in order.
        """
        row = self.session.scalar(select(Document).where(Document.project_id == self.project_id,
                                                         Document.id == document_id))
        if row is None:
            raise StorageError(f"document {document_id} is not in this project")
        row.text, row.sha256, row.length, row.word_count = text, sha256, len(text), word_count
        self.session.flush()  # the text first: the search index's triggers read it when turns move
        self.set_turns(document_id, turns)

    def set_turns(self, document_id: int, turns: Sequence[Any]) -> None:
        """Give a document the turns ``turns`` (speaker labels, offsets and times), in order.

        Rows are updated in place where a turn is still there (an edit moves offsets), so turn
        ids stay the same; only a change of the turn count (a corrected file) adds or removes rows.
        """
        existing = self.session.execute(
            select(Turn.id, Turn.speaker, Turn.start, Turn.end, Turn.body_start, Turn.t_start, Turn.t_end)
            .where(Turn.document_id == document_id).order_by(Turn.seq)
        ).all()
        table = Turn.__table__
        connection = self.session.connection()
        changed = []
        for row, t in zip(existing, turns):
            wanted = (t.speaker, t.start, t.end, t.body_start, t.t_start, t.t_end)
            if tuple(row[1:]) != wanted:
                changed.append({"i": row[0], "sp": t.speaker, "s": t.start, "e": t.end, "b": t.body_start,
                                "ts": t.t_start, "te": t.t_end})
        if changed:
            connection.execute(table.update().where(table.c.id == bindparam("i")).values(
                speaker=bindparam("sp"), start=bindparam("s"), end=bindparam("e"), body_start=bindparam("b"),
                t_start=bindparam("ts"), t_end=bindparam("te")), changed)
        if len(existing) > len(turns):
            connection.execute(table.delete().where(table.c.id.in_([row[0] for row in existing[len(turns):]])))
        elif len(turns) > len(existing):
            # Many new turns (a corrected file): indexed for search in one go, not one trigger each.
            with indexing_in_bulk(self.session, {document_id: self.text(document_id)}):
                connection.execute(table.insert(), [
                    {"document_id": document_id, "seq": i, "speaker": t.speaker, "start": t.start, "end": t.end,
                     "body_start": t.body_start, "t_start": t.t_start, "t_end": t.t_end}
                    for i, t in enumerate(turns) if i >= len(existing)
                ])
        self.session.expire_all()

    def set_meta(self, document_id: int, key: str, value: Any) -> None:
        """Set (or with None remove) one entry of a document's import metadata (e.g. its recording)."""
        row = self.session.scalar(select(Document).where(Document.project_id == self.project_id,
                                                         Document.id == document_id))
        if row is None:
            raise StorageError(f"document {document_id} is not in this project")
        meta = dict(row.meta or {})
        if value is None:
            meta.pop(key, None)
        else:
            meta[key] = value
        row.meta = meta  # a new dict: JSON change tracking
        self.session.flush()

    def add_revision(self, document_id: int, *, kind: str, before_sha256: str, after_sha256: str,
                     pieces: Sequence[Piece], turns_before: Sequence[TurnInfo], turn_seq: int | None,
                     author: str | None, uuid: str | None = None, at: datetime | None = None) -> RevisionInfo:
        """Append one change to a document's revision history."""
        seq = (self.session.scalar(select(func.max(DocumentRevision.seq))
                                   .where(DocumentRevision.document_id == document_id)) or 0) + 1
        row = DocumentRevision(
            document_id=document_id, seq=seq, kind=kind, before_sha256=before_sha256, after_sha256=after_sha256,
            pieces=[p.to_json() for p in pieces],
            turns_before=[[t.speaker, t.start, t.end, t.body_start, t.t_start, t.t_end] for t in turns_before],
            turn_seq=turn_seq, author=author, **({"uuid": uuid} if uuid else {}), **({"at": at} if at else {}),
        )
        self.session.add(row)
        self.session.flush()
        return _revision_info(row)

    def revisions(self, document_ids: Iterable[int] | None = None) -> dict[int, list[RevisionInfo]]:
        """``{document id: its changes, oldest first}`` (documents never changed are left out)."""
        query = (select(DocumentRevision).join(Document, Document.id == DocumentRevision.document_id)
                 .where(Document.project_id == self.project_id))
        if document_ids is not None:
            query = query.where(DocumentRevision.document_id.in_(list(document_ids)))
        found: dict[int, list[RevisionInfo]] = {}
        for row in self.session.scalars(query.order_by(DocumentRevision.document_id, DocumentRevision.seq)):
            found.setdefault(row.document_id, []).append(_revision_info(row))
        return found


def _revision_info(row: DocumentRevision) -> RevisionInfo:
    return RevisionInfo(
        id=row.id, uuid=row.uuid, document_id=row.document_id, seq=row.seq, kind=row.kind,
        before_sha256=row.before_sha256, after_sha256=row.after_sha256,
        pieces=tuple(Piece.from_json(p) for p in row.pieces or ()),
        turns_before=tuple(TurnInfo(i, *t) for i, t in enumerate(row.turns_before or ())),
        turn_seq=row.turn_seq, author=row.author, at=row.at,
    )
