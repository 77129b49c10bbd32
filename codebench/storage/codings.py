"""Codings, coders and quotes: queries that take and return ``codebench.domain`` records.

The read queries (counts, quotes) are :class:`~codebench.storage.reads.codings.CodingReads`, shared
with the read-only path. A transcript's codings use a Core select that fetches tuples, not ORM objects.
"""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Sequence

from sqlalchemy import bindparam, delete, func, insert, select

from codebench.domain.records import CodingInfo
from codebench.errors import StorageError
from codebench.storage.base import ProjectRepository
from codebench.storage.orm import Coder, Coding, Document, new_uuid, utcnow
from codebench.storage.reads.codings import CodingReads


def coding_info(row: Coding, coder: str) -> CodingInfo:
    """Record of a coding row."""
    return CodingInfo(
        uuid=row.uuid, document_id=row.document_id, code_id=row.code_id, coder=coder,
        start=row.start, end=row.end, text_sha256=row.text_sha256, created_at=row.created_at,
        updated_at=row.updated_at, memo=row.memo, flag=row.flag,
    )


def coding_snapshot(row: Coding) -> dict[str, Any]:
    """A coding as the audit log keeps it, so that undo can bring it back exactly."""
    return {
        "uuid": row.uuid, "document_id": row.document_id, "code_id": row.code_id, "coder_id": row.coder_id,
        "start": row.start, "end": row.end, "text_sha256": row.text_sha256, "memo": row.memo,
        "created_at": row.created_at.isoformat() if row.created_at else None,
    }


#: The count tables (migration 0005) and the column of a coding each counts by, beside its coder.
COUNT_TABLES = {"coding_counts_by_document": 0, "coding_counts_by_code": 1}
INSERT_TRIGGER = "coding_counted"


@contextmanager
def counted_in_bulk(connection: Any, keys: Iterable[tuple[int, int, int]]) -> Iterator[None]:
    """Insert many codings inside the block; their counts are added in one go at its end.

    ``keys`` are the ``(document, code, coder)`` of exactly the codings the block inserts. On
    SQLite the per-row count trigger would cost a merge of 100,000 codings more than the insert
    itself (a trigger program per row, even one that decides to do nothing), so the block runs
    without it: it is dropped and created again from its own stored definition inside this
    transaction. Nobody else writes meanwhile (the transaction holds the write lock), readers
    keep the schema of their snapshot, and a failure rolls the drop back with everything else.
    PostgreSQL counts once per statement anyway, so there the trigger is left to it.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    keys = list(keys)
    coders = [key[2] for key in keys]
    # Counted by Counter's own loop over zipped columns: a Python loop was a tenth of a merge.
    counts = {table: Counter(zip([key[column] for key in keys], coders)) for table, column in COUNT_TABLES.items()}
    trigger = connection.exec_driver_sql(
        f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = '{INSERT_TRIGGER}'").scalar()
    if trigger is None:
        raise StorageError(f"the project's database lacks its coding count trigger {INSERT_TRIGGER}")
    connection.exec_driver_sql(f"DROP TRIGGER {INSERT_TRIGGER}")
    try:
        yield
        for table, column in COUNT_TABLES.items():
            name = ("document_id", "code_id")[column]
            connection.exec_driver_sql(
                f"INSERT INTO {table} ({name}, coder_id, codings) VALUES (?, ?, ?) "
                f"ON CONFLICT ({name}, coder_id) DO UPDATE SET codings = codings + excluded.codings",
                [(key, coder, n) for (key, coder), n in counts[table].items()])
    finally:
        connection.exec_driver_sql(trigger)


class CodingRepository(ProjectRepository, CodingReads):
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
        self.session.flush()  # rows added one by one before are counted by the trigger, not skipped
        connection = self.session.connection()
        with counted_in_bulk(connection, [(row["document_id"], row["code_id"], row["coder_id"]) for row in rows]):
            self.session.execute(insert(Coding), [{"memo": None, "created_at": now, "updated_at": now, **row} for row in rows])

    def update(self, uuid: str, **values: Any) -> CodingInfo | None:
        """Change a coding's code (``code_id``), ``memo``, ``flag`` or coder (``coder_id``, when a
        coder takes another's coding over); None when the coding is gone."""
        row = self._row(uuid)
        if row is None:
            return None
        for key, value in values.items():
            if key not in ("code_id", "memo", "flag", "coder_id"):
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

    def recent_code_ids(self, coder: str, limit: int) -> list[int]:
        """The codes this coder applied most recently, newest first (each once)."""
        query = (
            select(Coding.code_id).join(Coder, Coder.id == Coding.coder_id)
            .where(Coder.project_id == self.project_id, Coder.name == coder)
            .group_by(Coding.code_id).order_by(func.max(Coding.created_at).desc(), Coding.code_id).limit(limit)
        )
        return list(self.session.scalars(query))

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
                   Coding.text_sha256, Coding.created_at, Coding.updated_at, Coding.memo, Coding.flag)
            .join(Document, Document.id == Coding.document_id).where(Document.project_id == self.project_id)
        )
        if document_id is not None:
            query = query.where(Coding.document_id == document_id)
        if code_ids is not None:
            query = query.where(Coding.code_id.in_(list(code_ids)))
        rows = self.session.connection().execute(query.order_by(Coding.document_id, Coding.start, Coding.end)).all()
        return [
            CodingInfo(uuid, doc, code, coders[coder], start, end, sha, created, updated, memo, flag)
            for uuid, doc, code, coder, start, end, sha, created, updated, memo, flag in rows
        ]

    # -- following a change of text --------------------------------------------------------------

    def positions(self, document_id: int) -> list[tuple[str, int, int, str | None]]:
        """``(uuid, start, end, flag)`` of every coding of one document, by position."""
        return [tuple(row) for row in self.session.execute(  # type: ignore[misc]
            select(Coding.uuid, Coding.start, Coding.end, Coding.flag)
            .where(Coding.document_id == document_id).order_by(Coding.start, Coding.end, Coding.uuid)
        ).all()]

    def move_many(self, document_id: int, moves: Sequence[tuple[str, int, int, str, str | None]], sha256: str) -> None:
        """Put codings of one document on new spans after its text changed.

        Args:
            moves: ``(uuid, start, end, quote, flag)`` of each coding that moved or changed.
            sha256: the document's new text hash, which every coding of it now names.
        """
        # Core statements on the table (one executemany): a thousand codings move in one round trip.
        table = Coding.__table__
        connection = self.session.connection()
        if moves:
            connection.execute(
                table.update().where(table.c.uuid == bindparam("u")).values(
                    start=bindparam("s"), end=bindparam("e"), quote=bindparam("q"), flag=bindparam("f")),
                [{"u": u, "s": s, "e": e, "q": q, "f": f} for u, s, e, q, f in moves],
            )
        connection.execute(table.update().where(table.c.document_id == document_id).values(text_sha256=sha256))
        self.session.expire_all()

    def flagged(self, document_id: int | None = None) -> list[CodingInfo]:
        """Codings whose words changed under them and that no coder has checked yet, by position."""
        return [c for c in self.ordered(document_id) if c.flag]
