"""Listing documents and reading one with its text and turns."""

from __future__ import annotations


from dataclasses import dataclass


from codebench.domain.records import (
    DocumentInfo, TurnInfo,
)
from codebench.storage.orm import (
    Document,
)
from codebench.storage.repositories import Repository
from codebench.errors import ServiceError
from codebench.services.project import Project


def list_documents(project: Project) -> list[DocumentInfo]:
    """All documents, in import order."""
    with project.transaction(write=False) as repo:
        return repo.document_infos()


@dataclass(frozen=True)
class DocumentText:
    """A document with its full text and turns, for reading and coding."""

    info: DocumentInfo
    text: str
    turns: list[TurnInfo]


def _document(repo: Repository, ref: str | int) -> Document:
    row = repo.find_document(ref)
    if row is None:
        raise ServiceError(f"no document {ref!r} in this project (see `codebench documents`)")
    return row


def get_document(project: Project, ref: str | int) -> DocumentText:
    """A document by id or name, with its text and turns."""
    with project.transaction(write=False) as repo:
        row = _document(repo, ref)
        info = repo.document_infos([row.id])[0]
        return DocumentText(info, row.text, repo.turns(row.id))
