"""Codings, coders and quotes: queries that take and return ``codebench.domain`` records.

Hot paths (quote retrieval, a transcript's codings) use Core selects that fetch tuples, not ORM
objects.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from operator import itemgetter
from typing import Any, Iterator, Sequence

from sqlalchemy import delete, func, insert, literal, select

from codebench.domain.records import CodingInfo, Quote
from codebench.storage.base import ProjectRepository
from codebench.storage.orm import Coder, Coding, Document, Participant, Turn, new_uuid, utcnow


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


class CodingRepository(ProjectRepository):
    """Codings, coders and quotes of one project, inside one transaction."""

    @staticmethod
    def new_id() -> str:
        """A fresh coding id (for bulk inserts that need the ids before writing)."""
        return new_uuid()

    def coder_id(self, name: str, *, create: bool = True) -> int | None:
        """The id of the coder called ``name``; created on first use when ``create``."""
        row = self.session.scalar(select(Coder).where(Coder.project_id == self.project_id, Coder.name == name))
        if row is None and create:
            row = Coder(project_id=self.project_id, name=name)
            self.session.add(row)
            self.session.flush()
        return row.id if row is not None else None

    def coder_names(self) -> dict[int, str]:
        """Coder names by id."""
        return dict(self.session.execute(select(Coder.id, Coder.name).where(Coder.project_id == self.project_id)).all())

    def _row(self, uuid: str) -> Coding | None:
        query = select(Coding).join(Document, Document.id == Coding.document_id).where(Document.project_id == self.project_id)
        row = self.session.scalar(query.where(Coding.uuid == uuid))
        if row is None and len(uuid) >= 8:
            rows = self.session.scalars(query.where(Coding.uuid.startswith(uuid, autoescape=True)).limit(2)).all()
            row = rows[0] if len(rows) == 1 else None
        return row

    def get(self, uuid: str) -> CodingInfo | None:
        """A coding of this project by id (a unique prefix of at least 8 characters works too)."""
        row = self._row(uuid)
        return coding_info(row, self.coder_names()[row.coder_id]) if row is not None else None

    def snapshot(self, uuid: str) -> dict[str, Any] | None:
        """The coding as the audit log keeps it (see :func:`coding_snapshot`)."""
        row = self._row(uuid)
        return coding_snapshot(row) if row is not None else None

    def exists(self, document_id: int, code_id: int, coder_id: int, start: int, end: int) -> bool:
        """Whether this coder already has this code on exactly this span."""
        return self.session.scalar(select(Coding.uuid).where(
            Coding.document_id == document_id, Coding.code_id == code_id, Coding.coder_id == coder_id,
            Coding.start == start, Coding.end == end,
        ).limit(1)) is not None

    def add(self, *, document_id: int, code_id: int, coder_id: int, start: int, end: int, text_sha256: str,
            quote: str, memo: str | None = None, uuid: str | None = None) -> dict[str, Any]:
        """Store one coding; returns its snapshot (what the audit log records)."""
        now = utcnow()
        row = Coding(uuid=uuid or new_uuid(), document_id=document_id, code_id=code_id, coder_id=coder_id, start=start,
                     end=end, text_sha256=text_sha256, quote=quote, memo=memo, created_at=now, updated_at=now)
        self.session.add(row)
        self.session.flush()
        return coding_snapshot(row)

    def add_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """Store many codings in one statement; each row has the keys of :meth:`add` (uuid included)."""
        if not rows:
            return
        now = utcnow()
        self.session.execute(insert(Coding), [{"memo": None, "created_at": now, "updated_at": now, **row} for row in rows])

    def update(self, uuid: str, **values: Any) -> CodingInfo | None:
        """Change a coding's code (``code_id``) or ``memo``; None when the coding is gone."""
        row = self._row(uuid)
        if row is None:
            return None
        for key, value in values.items():
            if key not in ("code_id", "memo"):
                raise ValueError(f"a coding's {key} cannot be changed")
            setattr(row, key, value)
        row.updated_at = utcnow()
        self.session.flush()
        return coding_info(row, self.coder_names()[row.coder_id])

    def delete(self, uuid: str) -> None:
        """Remove a coding if it is still there."""
        row = self._row(uuid)
        if row is not None:
            self.session.delete(row)
            self.session.flush()

    def delete_many(self, uuids: Sequence[str]) -> int:
        """Remove many codings of this project by id in a few statements (undo of coding search hits); returns how many."""
        removed = 0
        project_documents = select(Document.id).where(Document.project_id == self.project_id).scalar_subquery()
        for i in range(0, len(uuids), 500):
            result = self.session.execute(delete(Coding).where(Coding.uuid.in_(list(uuids[i:i + 500])),
                                                               Coding.document_id.in_(project_documents)))
            removed += result.rowcount  # type: ignore[attr-defined]
        return removed

    def snapshots_of_code(self, code_id: int) -> list[dict[str, Any]]:
        """Every coding with this code, as audit snapshots."""
        return [coding_snapshot(row) for row in self.session.scalars(select(Coding).where(Coding.code_id == code_id))]

    def span_keys(self, *, code_id: int | None = None, coder_id: int | None = None) -> set[tuple[int, int, int, int]]:
        """``(document, code or coder, start, end)`` of the codings of one code (keyed by coder) or one coder (keyed by code)."""
        if code_id is not None:
            query = select(Coding.document_id, Coding.coder_id, Coding.start, Coding.end).where(Coding.code_id == code_id)
        elif coder_id is not None:
            query = select(Coding.document_id, Coding.code_id, Coding.start, Coding.end).where(Coding.coder_id == coder_id)
        else:
            raise ValueError("give a code or a coder")
        return {tuple(row) for row in self.session.execute(query).all()}  # type: ignore[misc]

    def counts_by_coder_and_code(self) -> dict[tuple[str, int], int]:
        """Number of codings per ``(coder name, code id)``, in one pass over the coder index.

        The coder index holds the table's key (code, document, start, uuid), so the count reads
        neither the codings' quotes nor the documents: grouped in the index's order, it streams.
        """
        coders = self.coder_names()
        if not coders:
            return {}
        rows = self.session.execute(
            select(Coding.coder_id, Coding.code_id, func.count()).where(Coding.coder_id.in_(list(coders)))
            .group_by(Coding.coder_id, Coding.code_id)
        ).all()
        return {(coders[coder_id], code_id): count for coder_id, code_id, count in rows}

    def counts_by_code(self) -> dict[int, int]:
        """Number of codings per code id."""
        counts: dict[int, int] = {}
        for (_coder, code_id), count in self.counts_by_coder_and_code().items():
            counts[code_id] = counts.get(code_id, 0) + count
        return counts

    def counts_by_document(self) -> dict[int, int]:
        """Number of codings per document id (documents without codings are left out).

        An index-only count: the ``(document, start)`` index holds the table's key.
        """
        project_documents = select(Document.id).where(Document.project_id == self.project_id).scalar_subquery()
        return dict(self.session.execute(  # type: ignore[arg-type]
            select(Coding.document_id, func.count()).where(Coding.document_id.in_(project_documents))
            .group_by(Coding.document_id)
        ).all())

    def recent_code_ids(self, coder: str, limit: int) -> list[int]:
        """The codes this coder applied most recently, newest first (each once)."""
        query = (
            select(Coding.code_id).join(Coder, Coder.id == Coding.coder_id)
            .where(Coder.project_id == self.project_id, Coder.name == coder)
            .group_by(Coding.code_id).order_by(func.max(Coding.created_at).desc(), Coding.code_id).limit(limit)
        )
        return list(self.session.scalars(query))

    def counts_by_coder(self) -> dict[str, int]:
        """Number of codings per coder name (coders without codings are left out)."""
        counts: dict[str, int] = {}
        for (coder, _code_id), count in self.counts_by_coder_and_code().items():
            counts[coder] = counts.get(coder, 0) + count
        return counts

    def spans(self, coders: Sequence[str]) -> list[tuple[str, int, int, str, int, int]]:
        """``(uuid, document id, code id, coder, start, end)`` of every coding by these coders."""
        query = (
            select(Coding.uuid, Coding.document_id, Coding.code_id, Coder.name, Coding.start, Coding.end)
            .join(Coder, Coder.id == Coding.coder_id).join(Document, Document.id == Coding.document_id)
            .where(Document.project_id == self.project_id, Coder.name.in_(list(coders)))
        )
        return [tuple(row) for row in self.session.connection().execute(query).all()]  # type: ignore[misc]

    def ordered(self, document_id: int | None = None, code_ids: Sequence[int] | None = None) -> list[CodingInfo]:
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
