"""Documents, their turns and participants: queries that take and return ``codebench.domain`` records."""

from __future__ import annotations

from itertools import islice
from typing import Any, Iterable, Sequence

from sqlalchemy import func, insert, select

from codebench.domain.records import DocumentInfo, ParticipantInfo, TurnInfo
from codebench.errors import StorageError
from codebench.storage.base import ProjectRepository
from codebench.storage.orm import Document, Participant, Turn
from codebench.storage.search import indexing_in_bulk


def participant_info(row: Participant) -> ParticipantInfo:
    """Record of a participant row."""
    return ParticipantInfo(row.id, row.pid, row.role, row.site, dict(row.attributes or {}))


class DocumentRepository(ProjectRepository):
    """Documents, their turns and participants of one project, inside one transaction."""


    def infos(self, ids: Iterable[int] | None = None) -> list[DocumentInfo]:
        """Documents of the project (without text), in import order.

        Core tuples, not ORM objects: the project view lists a thousand documents at 10 M words.
        """
        query = (
            select(Document.id, Document.uuid, Document.name, Document.source_name, Document.source_format,
                   Document.sha256, Document.imported_at, Document.length, Document.word_count, Document.round,
                   Document.meta, Participant.id, Participant.pid, Participant.role, Participant.site,
                   Participant.attributes)
            .outerjoin(Participant, Participant.id == Document.participant_id)
            .where(Document.project_id == self.project_id).order_by(Document.id)
        )
        if ids is not None:
            ids = list(ids)
            # Count only what was asked for: opening one document must not count 200 documents' turns.
            counting = select(Turn.document_id, func.count()).where(Turn.document_id.in_(ids))
            query = query.where(Document.id.in_(ids))
        else:
            counting = select(Turn.document_id, func.count()).where(Turn.document_id.in_(self._document_ids()))
        # Grouped in the (document, start) index's order: the count streams, without a sort.
        turn_counts = dict(self.session.execute(counting.group_by(Turn.document_id)).all())
        participants: dict[int, ParticipantInfo] = {}
        found = []
        for (doc_id, uuid, name, source_name, source_format, sha256, imported_at, length, word_count, round_, meta,
             participant_id, pid, role, site, attributes) in self.session.execute(query):
            participant = None
            if participant_id is not None:
                participant = participants.get(participant_id)
                if participant is None:
                    participant = participants[participant_id] = ParticipantInfo(
                        participant_id, pid, role, site, dict(attributes or {}))
            meta = meta or {}
            found.append(DocumentInfo(
                id=doc_id, uuid=uuid, name=name, source_name=source_name, source_format=source_format, sha256=sha256,
                imported_at=imported_at, length=length, word_count=word_count, turn_count=turn_counts.get(doc_id, 0),
                round=round_, participant=participant,
                import_notes=tuple(meta.get("notes", ())), import_warnings=tuple(meta.get("warnings", ())),
                source_meta={k: v for k, v in meta.items() if k not in ("notes", "warnings")},
            ))
        return found

    def hashes(self) -> dict[int, str]:
        """The text hash of every document of the project, by id."""
        return dict(self.session.execute(  # type: ignore[arg-type]
            select(Document.id, Document.sha256).where(Document.project_id == self.project_id)
        ).all())

    def find(self, ref: str | int) -> DocumentInfo | None:
        """A document by id, exact name, source file name, or unique name prefix."""
        row = self._find_row(ref)
        return self.infos([row.id])[0] if row is not None else None

    def _find_row(self, ref: str | int) -> Document | None:
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

    def name_by_hash(self, sha256: str) -> str | None:
        """The name of the document with this text hash, if the project has it."""
        return self.session.scalar(
            select(Document.name).where(Document.project_id == self.project_id, Document.sha256 == sha256)
        )

    def names(self) -> set[str]:
        """Every document name in the project."""
        return set(self.session.scalars(select(Document.name).where(Document.project_id == self.project_id)))

    def text(self, document_id: int) -> str:
        """The stored (original) text of one document."""
        text = self.session.scalar(
            select(Document.text).where(Document.project_id == self.project_id, Document.id == document_id)
        )
        if text is None:
            raise StorageError(f"document {document_id} is not in this project")
        return text

    def texts(self, document_ids: Iterable[int] | None = None) -> dict[int, str]:
        """``{document id: stored text}`` of some documents (all when None)."""
        query = select(Document.id, Document.text).where(Document.project_id == self.project_id)
        if document_ids is not None:
            query = query.where(Document.id.in_(list(document_ids)))
        return dict(self.session.execute(query).all())  # type: ignore[arg-type]

    def turn_starts(self) -> dict[int, list[int]]:
        """``{document id: sorted turn starts}`` for every document of the project, in one query."""
        starts: dict[int, list[int]] = {}
        rows = self.session.execute(
            select(Turn.document_id, Turn.start).join(Document, Document.id == Turn.document_id)
            .where(Document.project_id == self.project_id).order_by(Turn.document_id, Turn.start)
        ).all()
        for document_id, start in rows:
            starts.setdefault(document_id, []).append(start)
        return starts

    def page_starts(self) -> dict[int, list[int]]:
        """``{document id: sorted page starts}`` of the project's paged documents (PDF reports)."""
        rows = self.session.execute(
            select(Document.id, Document.meta)
            .where(Document.project_id == self.project_id, Document.source_format == "pdf")
        ).all()
        return {doc_id: list(meta["pages"]) for doc_id, meta in rows if isinstance((meta or {}).get("pages"), list)}

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

    def turns(self, document_id: int) -> list[TurnInfo]:
        """Speaker turns of a document in order."""
        rows = self.session.execute(
            select(Turn.seq, Turn.speaker, Turn.start, Turn.end, Turn.body_start, Turn.t_start, Turn.t_end)
            .where(Turn.document_id == document_id).order_by(Turn.seq)
        ).all()
        return [TurnInfo(*row) for row in rows]

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

    def participants(self) -> list[ParticipantInfo]:
        """All participants, ordered by id."""
        rows = self.session.scalars(
            select(Participant).where(Participant.project_id == self.project_id).order_by(Participant.pid)
        ).all()
        return [participant_info(r) for r in rows]

    def counts(self) -> tuple[int, int, int]:
        """``(documents, words, turns)`` of the project."""
        docs, words = self.session.execute(
            select(func.count(), func.coalesce(func.sum(Document.word_count), 0)).where(Document.project_id == self.project_id)
        ).one()
        turns = self.session.scalar(select(func.count()).where(Turn.document_id.in_(self._document_ids()))) or 0
        return int(docs), int(words), int(turns)

    def _document_ids(self) -> Any:
        """The project's document ids as a subquery (read from the project index, not the text-bearing rows)."""
        return select(Document.id).where(Document.project_id == self.project_id).scalar_subquery()

    def participants_by_role(self) -> dict[str, int]:
        """Number of participants per role."""
        return dict(self.session.execute(  # type: ignore[arg-type]
            select(Participant.role, func.count()).where(Participant.project_id == self.project_id)
            .group_by(Participant.role)
        ).all())

    def documents_by_role(self) -> dict[str, int]:
        """Number of documents per participant role (``(none)`` for documents without a participant)."""
        return dict(self.session.execute(  # type: ignore[arg-type]
            select(func.coalesce(Participant.role, "(none)"), func.count()).select_from(Document)
            .outerjoin(Participant, Participant.id == Document.participant_id)
            .where(Document.project_id == self.project_id).group_by(Participant.role)
        ).all())
