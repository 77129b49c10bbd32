"""The append-only audit log: every user action, who did it and when, as domain records."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from codebench.domain.records import AuditEntry
from codebench.storage.base import ProjectRepository
from codebench.storage.orm import AuditLog, utcnow


class AuditRepository(ProjectRepository):
    """The audit log of one project, inside one transaction."""

    def log(self, action: str, coder: str | None, payload: dict[str, Any]) -> AuditEntry:
        """Append one entry (entries are never updated or deleted afterwards)."""
        entry = AuditLog(project_id=self.project_id, at=utcnow(), coder=coder, action=action, payload=payload)
        self.session.add(entry)
        self.session.flush()
        return AuditEntry(entry.id, entry.at, entry.coder, entry.action, dict(entry.payload))

    def entries(self, limit: int | None = None, *, actions: tuple[str, ...] | None = None,
                coder: str | None = None) -> list[AuditEntry]:
        """Entries, newest first; optionally only some actions or one coder's."""
        query = select(AuditLog).where(AuditLog.project_id == self.project_id).order_by(AuditLog.id.desc())
        if actions is not None:
            query = query.where(AuditLog.action.in_(actions))
        if coder is not None:
            query = query.where(AuditLog.coder == coder)
        if limit:
            query = query.limit(limit)
        return [AuditEntry(r.id, r.at, r.coder, r.action, dict(r.payload)) for r in self.session.scalars(query)]

    def by_ids(self, ids: list[int]) -> dict[int, AuditEntry]:
        """The entries with these ids (what undo and redo entries refer to)."""
        if not ids:
            return {}
        query = select(AuditLog).where(AuditLog.project_id == self.project_id, AuditLog.id.in_(sorted(set(ids))))
        return {r.id: AuditEntry(r.id, r.at, r.coder, r.action, dict(r.payload)) for r in self.session.scalars(query)}
