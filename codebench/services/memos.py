"""Memos on codes, documents and the project."""

from __future__ import annotations


from typing import Any

from sqlalchemy import select

from codebench.storage.orm import (
    Memo,
)
from codebench.errors import ServiceError
from codebench.services.project import Project
from codebench.services.documents import _document


def add_memo(project: Project, text: str, *, code: str | None = None, document: str | int | None = None,
             title: str | None = None, author: str | None = None) -> int:
    """Write a memo on a code, a document, or (neither given) the project. Returns its id."""
    if not text.strip():
        raise ServiceError("the memo is empty")
    with project.transaction() as repo:
        if code is not None:
            row = repo.code_by_name(code)
            if row is None:
                raise ServiceError(f"no code called {code!r}")
            target_type, target_id = "code", row.id
        elif document is not None:
            target_type, target_id = "document", _document(repo, document).id
        else:
            target_type, target_id = "project", None
        memo = Memo(project_id=repo.project_id, target_type=target_type, target_id=target_id, title=title,
                    text=text, author=author)
        repo.session.add(memo)
        repo.session.flush()
        repo.audit.log("memo", author, {"memo": memo.uuid, "target_type": target_type, "target_id": target_id})
        return memo.id


def memos(project: Project) -> list[dict[str, Any]]:
    """All memos as dictionaries (target, title, text, author, times)."""
    with project.transaction(write=False) as repo:
        rows = repo.session.scalars(select(Memo).where(Memo.project_id == repo.project_id).order_by(Memo.id)).all()
        return [
            {"id": m.id, "target_type": m.target_type, "target_id": m.target_id, "title": m.title, "text": m.text,
             "author": m.author, "created_at": m.created_at}
            for m in rows
        ]
