"""Memos on codes, documents and the project, and the memos codings carry: queries that take and
return plain records."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select

from codebench.storage.base import ProjectRepository
from codebench.storage.orm import Code, Coder, Coding, Document, Memo, utcnow


class CodingMemoRow(NamedTuple):
    """A coding that carries a memo, with what the memo list shows of it."""

    uuid: str
    code_id: int
    coder: str
    document_id: int
    start: int
    end: int
    quote: str
    memo: str
    created_at: datetime
    updated_at: datetime


class MemoRepository(ProjectRepository):
    """The memos of one project, inside one transaction."""

    def add(self, *, target_type: str, target_id: int | None, text: str, title: str | None,
            author: str | None, uuid: str | None = None, created_at: datetime | None = None) -> tuple[int, str]:
        """Store a memo (under ``uuid`` when one is given: undo brings a memo back as it was);
        returns its ``(id, uuid)``."""
        now = utcnow()
        memo = Memo(project_id=self.project_id, target_type=target_type, target_id=target_id, title=title,
                    text=text, author=author, created_at=created_at or now, updated_at=now)
        if uuid is not None:
            memo.uuid = uuid
        self.session.add(memo)
        self.session.flush()
        return memo.id, memo.uuid

    def _row(self, uuid: str) -> Memo | None:
        return self.session.scalar(select(Memo).where(Memo.project_id == self.project_id, Memo.uuid == uuid))

    def get(self, uuid: str) -> dict[str, Any] | None:
        """One memo as a dictionary (the keys of :meth:`all`), None when there is none by that id."""
        row = self._row(uuid)
        return _as_dict(row) if row is not None else None

    def update(self, uuid: str, *, text: str, title: str | None = None) -> bool:
        """Change a memo's text (and title); False when it is gone."""
        row = self._row(uuid)
        if row is None:
            return False
        row.text, row.title, row.updated_at = text, title, utcnow()
        self.session.flush()
        return True

    def delete(self, uuid: str) -> bool:
        """Remove a memo; False when it was gone already."""
        row = self._row(uuid)
        if row is None:
            return False
        self.session.delete(row)
        self.session.flush()
        return True

    def retarget(self, target_type: str, uuids_or_source: list[str] | int, target_id: int) -> list[str]:
        """Point memos at another target: the memos on ``target_type`` ``source`` (an id), or the
        memos with these ids; returns the ids of the memos moved (a merge moves a code's memos)."""
        query = select(Memo).where(Memo.project_id == self.project_id, Memo.target_type == target_type)
        if isinstance(uuids_or_source, int):
            query = query.where(Memo.target_id == uuids_or_source)
        else:
            query = query.where(Memo.uuid.in_(list(uuids_or_source)))
        moved = []
        for row in self.session.scalars(query).all():
            row.target_id = target_id
            moved.append(row.uuid)
        self.session.flush()
        return moved

    def all(self) -> list[dict[str, Any]]:
        """Every memo as a dictionary (id, uuid, target, title, text, author, times), oldest first."""
        rows = self.session.scalars(select(Memo).where(Memo.project_id == self.project_id).order_by(Memo.id)).all()
        return [_as_dict(m) for m in rows]

    def coding_memos(self) -> list[CodingMemoRow]:
        """Every coding that carries a memo, by document and position."""
        query = (
            select(Coding.uuid, Coding.code_id, Coder.name, Coding.document_id, Coding.start, Coding.end, Coding.quote,
                   Coding.memo, Coding.created_at, Coding.updated_at)
            .join(Coder, Coder.id == Coding.coder_id).join(Document, Document.id == Coding.document_id)
            .join(Code, Code.id == Coding.code_id)
            .where(Document.project_id == self.project_id, Coding.memo.is_not(None), Coding.memo != "")
            .order_by(Coding.document_id, Coding.start, Coding.end)
        )
        return [CodingMemoRow(*row) for row in self.session.execute(query).all()]


def _as_dict(m: Memo) -> dict[str, Any]:
    return {"id": m.id, "uuid": m.uuid, "target_type": m.target_type, "target_id": m.target_id, "title": m.title,
            "text": m.text, "author": m.author, "created_at": m.created_at, "updated_at": m.updated_at}
