"""Transitional: the old single repository's names, delegating to the per-aggregate repositories.

Removed once every caller uses ``store.documents``, ``store.codebook`` and ``store.codings``.
"""

from __future__ import annotations

from typing import Any

from codebench.storage.base import ProjectRepository
from codebench.storage.codebook import code_info
from codebench.storage.codings import coding_info, coding_snapshot
from codebench.storage.documents import participant_info

__all__ = ["Repository", "code_info", "coding_info", "coding_snapshot", "participant_info"]


class Repository(ProjectRepository):
    """Old names of the aggregate repositories' methods (``store.documents.infos`` …)."""

    documents: Any
    codebook: Any
    codings: Any

    def document_infos(self, *args: Any, **kwargs: Any) -> Any:
        return self.documents.infos(*args, **kwargs)

    def find_document(self, ref: Any) -> Any:
        return self.documents._find_row(ref)

    def document_by_hash(self, sha256: str) -> Any:
        return self.documents._by_hash_row(sha256)

    def turns(self, document_id: int) -> Any:
        return self.documents.turns(document_id)

    def participant(self, pid: str) -> Any:
        return self.documents._participant_row(pid)

    def participants(self) -> Any:
        return self.documents.participants()

    def code_rows(self) -> Any:
        return self.codebook._rows()

    def code_by_name(self, name: str) -> Any:
        return self.codebook._row_by_name(name)

    def code_by_uuid(self, uuid: str) -> Any:
        return self.codebook._row_by_uuid(uuid)

    def next_position(self, parent_id: int | None) -> int:
        return self.codebook.next_position(parent_id)

    def coder(self, name: str, *, create: bool = True) -> Any:
        return self.codings.coder(name, create=create)

    def coder_names(self) -> dict[int, str]:
        return self.codings.coder_names()

    def coding(self, uuid: str) -> Any:
        return self.codings._row(uuid)

    def quotes(self, *args: Any, **kwargs: Any) -> Any:
        return self.codings.quotes(*args, **kwargs)
