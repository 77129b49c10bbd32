"""Memos on codes, documents and the project."""

from __future__ import annotations

from typing import Any

from codebench.errors import ServiceError
from codebench.services.documents import find_document
from codebench.services.project import Project


def add_memo(project: Project, text: str, *, code: str | None = None, document: str | int | None = None,
             title: str | None = None, author: str | None = None) -> int:
    """Write a memo on a code, a document, or (neither given) the project. Returns its id."""
    if not text.strip():
        raise ServiceError("the memo is empty")
    with project.transaction() as store:
        target_id: int | None
        if code is not None:
            node = store.codebook.by_name(code)
            if node is None:
                raise ServiceError(f"no code called {code!r}")
            target_type, target_id = "code", node.id
        elif document is not None:
            target_type, target_id = "document", find_document(store, document).id
        else:
            target_type, target_id = "project", None
        memo_id, memo_uuid = store.memos.add(target_type=target_type, target_id=target_id, text=text, title=title,
                                             author=author)
        store.audit.log("memo", author, {"memo": memo_uuid, "target_type": target_type, "target_id": target_id})
        return memo_id


def memos(project: Project) -> list[dict[str, Any]]:
    """All memos as dictionaries (target, title, text, author, times)."""
    with project.transaction(write=False) as store:
        return store.memos.all()
