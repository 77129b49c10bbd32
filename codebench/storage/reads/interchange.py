"""Reading a whole project for a REFI-QDA export in plain SQL (see :mod:`codebench.storage.reads`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from codebench.storage.reads.sql import Reads


class CodingSpan(NamedTuple):
    """A coding as an export needs it (a tuple: an export reads every coding of the project)."""

    uuid: str
    document_id: int
    code_id: int
    coder_id: int
    start: int
    end: int
    created_at: datetime
    memo: str | None


@dataclass(frozen=True)
class MemoRecord:
    """A memo on the project, a code or a document (``target_id`` None for the project)."""

    uuid: str
    target_type: str
    target_id: int | None
    title: str | None
    text: str
    author: str | None
    created_at: datetime


class InterchangeReads(Reads):
    """What a REFI-QDA export reads of one project, besides documents and the code tree."""

    def coding_spans(self) -> list[CodingSpan]:
        """Every coding of the project, in no particular order."""
        time = self.sql.time
        rows = self.sql.all('SELECT c.uuid, c.document_id, c.code_id, c.coder_id, c.start, c."end", c.created_at, c.memo'
                            " FROM codings c WHERE c.document_id IN (SELECT id FROM documents WHERE project_id = ?)",
                            [self.project_id])
        return [CodingSpan(uuid, doc, code, coder, start, end, time(created), memo)
                for uuid, doc, code, coder, start, end, created, memo in rows]

    def memos(self) -> list[MemoRecord]:
        """Every memo of the project, oldest first."""
        rows = self.sql.all("SELECT uuid, target_type, target_id, title, text, author, created_at FROM memos"
                            " WHERE project_id = ? ORDER BY id", [self.project_id])
        return [MemoRecord(uuid, kind, target, title, text, author, self.sql.time(created))
                for uuid, kind, target, title, text, author, created in rows]

    def project_created(self) -> datetime | None:
        """When the project was created."""
        return self.sql.time(self.sql.scalar("SELECT created_at FROM projects WHERE id = ?", [self.project_id]))

    def recorded_guids(self) -> tuple[dict[str, str], dict[str, str]]:
        """GUIDs recorded by earlier imports: ``(user GUID by coder name, case GUID by participant id)``."""
        settings = self.sql.json(self.sql.scalar("SELECT settings FROM projects WHERE id = ?", [self.project_id])) or {}
        recorded = settings.get("refi", {})
        return dict(recorded.get("users", {})), dict(recorded.get("cases", {}))
