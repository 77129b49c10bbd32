"""Retrieval: quotes of codes and categories, project statistics, participants."""

from __future__ import annotations


from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import func, select

from codebench.domain.records import (
    ParticipantInfo, Quote, normalise_role,
)
from codebench.storage.orm import (
    Code, Coder, Coding, Document, Participant, Turn,
)
from codebench.errors import ServiceError
from codebench.services.project import Project
from codebench.services.documents import _document
from codebench.services.codebook import _subtree_ids


def _code_context(rows: Sequence[Code]) -> dict[int, tuple[str, str | None]]:
    """``code id -> (name, main category name)`` where the main category is the top ancestor."""
    by_id = {r.id: r for r in rows}
    result: dict[int, tuple[str, str | None]] = {}
    for row in rows:
        top = row
        while top.parent_id is not None and top.parent_id in by_id:
            top = by_id[top.parent_id]
        result[row.id] = (row.name, top.name if top.kind == "category" else None)
    return result


def quotes(
    project: Project,
    *,
    category: str | None = None,
    code: str | None = None,
    roles: Sequence[str] | None = None,
    rounds: Sequence[int] | None = None,
    documents: Sequence[str | int] | None = None,
    coders: Sequence[str] | None = None,
    with_speakers: bool = True,
    anonymised: bool = False,
) -> list[Quote]:
    """Coded segments, filtered; a category includes every code below it.

    With ``anonymised`` the text, document name and speaker of each quote come from the
    anonymised rendition (accepted decisions only); exports ask for this by default.
    """
    with project.transaction(write=False) as repo:
        rows = repo.code_rows()
        code_ids: list[int] | None = None
        for name, want in ((category, "category"), (code, None)):
            if name is None:
                continue
            node = repo.code_by_name(name)
            if node is None or (want and node.kind != want):
                raise ServiceError(f"no {want or 'code'} called {name!r}")
            ids = _subtree_ids(rows, node.id)
            code_ids = ids if code_ids is None else [i for i in code_ids if i in set(ids)]
        doc_ids = [_document(repo, d).id for d in documents] if documents else None
        try:
            role_names = [normalise_role(r) for r in roles] if roles else None
        except ValueError as exc:
            raise ServiceError(str(exc)) from None
        found = repo.quotes(code_ids, _code_context(rows), roles=role_names, rounds=rounds, document_ids=doc_ids,
                            coders=coders, with_speakers=with_speakers)
    if anonymised:
        from codebench.services.anonymisation import anonymise_quotes

        return anonymise_quotes(project, found)
    return found


@dataclass(frozen=True)
class ProjectStats:
    """Counts for the stats command and the project view."""

    documents: int
    words: int
    turns: int
    participants_by_role: dict[str, int]
    documents_by_role: dict[str, int]
    codes: int
    categories: int
    codings: int
    codings_by_category: dict[str, int]
    codings_by_coder: dict[str, int]
    codes_by_origin: dict[str, int]


def stats(project: Project) -> ProjectStats:
    """Project statistics in a handful of aggregate queries."""
    with project.transaction(write=False) as repo:
        s, pid = repo.session, repo.project_id
        docs = s.execute(select(func.count(), func.coalesce(func.sum(Document.word_count), 0)).where(Document.project_id == pid)).one()
        turns = s.scalar(select(func.count()).select_from(Turn).join(Document, Document.id == Turn.document_id).where(Document.project_id == pid)) or 0
        by_role = dict(s.execute(select(Participant.role, func.count()).where(Participant.project_id == pid).group_by(Participant.role)).all())
        docs_by_role = dict(s.execute(
            select(func.coalesce(Participant.role, "(none)"), func.count()).select_from(Document)
            .outerjoin(Participant, Participant.id == Document.participant_id)
            .where(Document.project_id == pid).group_by(Participant.role)
        ).all())
        rows = repo.code_rows()
        context = _code_context(rows)
        per_code = s.execute(
            select(Coding.code_id, func.count()).join(Document, Document.id == Coding.document_id)
            .where(Document.project_id == pid).group_by(Coding.code_id)
        ).all()
        by_category: Counter[str] = Counter()
        for code_id, count in per_code:
            by_category[context.get(code_id, ("?", None))[1] or "(no category)"] += count
        by_coder = dict(s.execute(
            select(Coder.name, func.count()).join(Coding, Coding.coder_id == Coder.id)
            .where(Coder.project_id == pid).group_by(Coder.name)
        ).all())
        origins = Counter(r.origin for r in rows if r.kind == "code")
        return ProjectStats(
            documents=docs[0], words=int(docs[1]), turns=turns, participants_by_role=by_role,
            documents_by_role=docs_by_role, codes=sum(1 for r in rows if r.kind == "code"),
            categories=sum(1 for r in rows if r.kind == "category"), codings=sum(c for _, c in per_code),
            codings_by_category=dict(by_category), codings_by_coder=by_coder, codes_by_origin=dict(origins),
        )


def participants(project: Project) -> list[ParticipantInfo]:
    """All participants (cases) of the project."""
    with project.transaction(write=False) as repo:
        return repo.participants()
