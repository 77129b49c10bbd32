"""REFI-QDA import and export in bulk: the queries behind :mod:`codebench.services.interchange`.

An export reads every coding of a project (50,000 in the benchmark) and an import may write as
many, so the reads here are plain-tuple queries, the lists of ids go in chunks, and the writes are
one statement per table. Everything comes back as :mod:`codebench.domain` records or the small
records below, never as ORM rows.

GUIDs. Documents, codings and memos keep the GUID a file gives them, so that the next export hands
the other tool the same ids. Their ``uuid`` columns are unique across the whole database (a team
server holds several projects), which is why the ``*_owners`` queries say which project an id
belongs to rather than whether this project has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Sequence

from sqlalchemy import insert, select

from codebench.domain.records import TurnInfo
from codebench.storage.base import ProjectRepository
from codebench.storage.codings import counted_in_bulk
from codebench.storage.orm import Coding, Document, Memo, Project as ProjectRow, Turn, new_uuid, utcnow
from codebench.storage.reads.interchange import CodingSpan, InterchangeReads, MemoRecord  # noqa: F401 (re-exported)
from codebench.storage.search import indexing_in_bulk

_CHUNK = 500  # ids per IN list: well under SQLite's and PostgreSQL's parameter limits


@dataclass(frozen=True)
class StoredText:
    """A document of the project with its stored text: what codings of an import are placed on."""

    id: int
    name: str
    sha256: str
    text: str


@dataclass(frozen=True)
class DocumentDraft:
    """A document an import is about to store, with its turns (``uuid`` None: a fresh one)."""

    name: str
    source_name: str
    source_format: str
    text: str
    sha256: str
    word_count: int
    round: int | None
    participant_id: int | None
    meta: dict[str, Any]
    turns: tuple[TurnInfo, ...] = ()
    uuid: str | None = None


class InterchangeRepository(ProjectRepository, InterchangeReads):
    """What REFI-QDA import and export read and write beyond the other repositories, in bulk."""

    @staticmethod
    def now() -> datetime:
        """The time stamp of a row written now, as the database stores times (UTC)."""
        return utcnow()

    # -- import ----------------------------------------------------------------------------

    def remember_guids(self, users: dict[str, str], cases: dict[str, str]) -> None:
        """Keep a file's user and case GUIDs; those recorded earlier win, so exports stay stable."""
        row = self.session.get(ProjectRow, self.project_id)
        assert row is not None
        settings = dict(row.settings or {})
        recorded = dict(settings.get("refi", {}))
        merged_users = {**users, **recorded.get("users", {})}
        merged_cases = {**cases, **recorded.get("cases", {})}
        if merged_users != recorded.get("users", {}) or merged_cases != recorded.get("cases", {}):
            settings["refi"] = {**recorded, "users": merged_users, "cases": merged_cases}
            row.settings = settings  # a new dict: JSON change tracking

    def documents_by_hash(self, hashes: Iterable[str]) -> dict[str, StoredText]:
        """The project's documents whose text has one of these SHA-256 hashes, by hash."""
        wanted = sorted(set(hashes))
        found: dict[str, StoredText] = {}
        for i in range(0, len(wanted), _CHUNK):
            rows = self.session.execute(
                select(Document.id, Document.name, Document.sha256, Document.text)
                .where(Document.project_id == self.project_id, Document.sha256.in_(wanted[i:i + _CHUNK]))
            ).all()
            found.update((row.sha256, StoredText(*row)) for row in rows)
        return found

    def document_uuid_owners(self, uuids: Sequence[str]) -> dict[str, int]:
        """Which of ``uuids`` are document ids already, with the project each belongs to."""
        return self._owners(Document.uuid, Document.project_id, uuids)

    def add_documents(self, drafts: Sequence[DocumentDraft]) -> list[StoredText]:
        """Store documents and their turns: one flush for the documents, one insert for all turns.

        Returns:
            The stored documents, in the order of ``drafts``.
        """
        rows = [
            Document(
                project_id=self.project_id, name=d.name, source_name=d.source_name, source_format=d.source_format,
                text=d.text, sha256=d.sha256, length=len(d.text), word_count=d.word_count, round=d.round,
                participant_id=d.participant_id, meta=d.meta, **({"uuid": d.uuid} if d.uuid is not None else {}),
            )
            for d in drafts
        ]
        self.session.add_all(rows)
        self.session.flush()
        turns = [{"document_id": row.id, "seq": t.seq, "speaker": t.speaker, "start": t.start, "end": t.end,
                  "body_start": t.body_start, "t_start": t.t_start, "t_end": t.t_end}
                 for row, draft in zip(rows, drafts) for t in draft.turns]
        if turns:
            with indexing_in_bulk(self.session, {row.id: row.text for row in rows}):
                self.session.execute(insert(Turn.__table__), turns)  # Core executemany: no ORM bookkeeping per row
        return [StoredText(row.id, row.name, row.sha256, row.text) for row in rows]

    def coding_keys(self, document_ids: Iterable[int]) -> set[tuple[int, int, int, int, int]]:
        """``(document, code, coder, start, end)`` of every coding on these documents."""
        ids = sorted(set(document_ids))
        keys: set[tuple[int, int, int, int, int]] = set()
        for i in range(0, len(ids), _CHUNK):
            keys.update(tuple(row) for row in self.session.execute(
                select(Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end)
                .where(Coding.document_id.in_(ids[i:i + _CHUNK]))).all())
        return keys

    def coding_uuid_owners(self, uuids: Sequence[str]) -> dict[str, int]:
        """Which of ``uuids`` are coding ids already, with the project each belongs to."""
        return self._owners(Coding.uuid, Document.project_id, uuids, (Document, Document.id == Coding.document_id))

    def add_codings(self, rows: Sequence[dict[str, Any]]) -> None:
        """Store many codings in one Core statement; each row has every column but ``id``.

        Core ``executemany`` rather than an ORM bulk insert: for 25,000 codings the ORM's
        bookkeeping took longer (3.8 s) than the database did (1.4 s).
        """
        if rows:
            self.session.flush()  # rows added one by one before are counted by the trigger, not skipped
            with counted_in_bulk(self.session.connection(),
                                 [(row["document_id"], row["code_id"], row["coder_id"]) for row in rows]):
                self.session.execute(insert(Coding.__table__), rows)

    def memo_uuid_owners(self, uuids: Sequence[str]) -> dict[str, int]:
        """Which of ``uuids`` are memo ids already, with the project each belongs to."""
        return self._owners(Memo.uuid, Memo.project_id, uuids)

    def add_memo(self, *, target_type: str, target_id: int | None, text: str, title: str | None = None,
                 author: str | None = None, created_at: datetime | None = None, uuid: str | None = None) -> None:
        """Store one memo; its times are ``created_at`` (now when None), its id ``uuid`` (fresh when None)."""
        when = created_at or utcnow()
        self.session.add(Memo(
            uuid=uuid or new_uuid(), project_id=self.project_id, target_type=target_type, target_id=target_id,
            title=title, text=text, author=author, created_at=when, updated_at=when,
        ))

    def _owners(self, column: Any, project_column: Any, uuids: Sequence[str], join: Any = None) -> dict[str, int]:
        found: dict[str, int] = {}
        for i in range(0, len(uuids), _CHUNK):
            query = select(column, project_column).where(column.in_(uuids[i:i + _CHUNK]))
            if join is not None:
                query = query.join(*join)
            found.update(dict(self.session.execute(query).all()))  # type: ignore[arg-type]
        return found


__all__ = ["CodingSpan", "DocumentDraft", "InterchangeRepository", "MemoRecord", "StoredText"]
