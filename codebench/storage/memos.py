"""Memos on codes, documents and the project: queries that take and return plain records."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from codebench.storage.base import ProjectRepository
from codebench.storage.orm import Memo


class MemoRepository(ProjectRepository):
    """The memos of one project, inside one transaction."""

    def add(self, *, target_type: str, target_id: int | None, text: str, title: str | None,
            author: str | None) -> tuple[int, str]:
        """Store a memo; returns its ``(id, uuid)``."""
        memo = Memo(project_id=self.project_id, target_type=target_type, target_id=target_id, title=title,
                    text=text, author=author)
        self.session.add(memo)
        self.session.flush()
        return memo.id, memo.uuid

    def all(self) -> list[dict[str, Any]]:
        """Every memo as a dictionary (id, target, title, text, author, created_at), oldest first."""
        rows = self.session.scalars(select(Memo).where(Memo.project_id == self.project_id).order_by(Memo.id)).all()
        return [
            {"id": m.id, "target_type": m.target_type, "target_id": m.target_id, "title": m.title, "text": m.text,
             "author": m.author, "created_at": m.created_at}
            for m in rows
        ]
