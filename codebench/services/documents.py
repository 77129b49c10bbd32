"""Listing documents and reading one with its text and turns."""

from __future__ import annotations

from dataclasses import dataclass

from codebench.domain.records import DocumentInfo, TurnInfo
from codebench.errors import ServiceError
from codebench.services.project import Project
from codebench.storage.store import Store


def list_documents(project: Project) -> list[DocumentInfo]:
    """All documents, in import order."""
    with project.transaction(write=False) as store:
        return store.documents.infos()


@dataclass(frozen=True)
class DocumentText:
    """A document with its full text and turns, for reading and coding."""

    info: DocumentInfo
    text: str
    turns: list[TurnInfo]


def find_document(store: Store, ref: str | int) -> DocumentInfo:
    """A document by id, name, file name or unique name prefix, inside an open transaction.

    Raises:
        ServiceError: no such document.
    """
    info = store.documents.find(ref)
    if info is None:
        raise ServiceError(f"no document {ref!r} in this project (see `codebench documents`)")
    return info


def get_document(project: Project, ref: str | int) -> DocumentText:
    """A document by id or name, with its text and turns."""
    with project.transaction(write=False) as store:
        info = find_document(store, ref)
        return DocumentText(info, store.documents.text(info.id), store.documents.turns(info.id))
