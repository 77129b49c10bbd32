"""Retrieval: quotes of codes and categories, project statistics, participants."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from codebench.domain.code_tree import main_categories, subtree_ids
from codebench.domain.records import ParticipantInfo, Quote, normalise_role
from codebench.errors import ServiceError
from codebench.services.documents import find_document
from codebench.services.project import Project


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
    for_file: bool = False,
) -> list[Quote]:
    """Coded segments, filtered; a category includes every code below it.

    With ``anonymised`` the text, document name and speaker of each quote come from the
    anonymised rendition (accepted decisions only); exports ask for this by default, with
    ``for_file`` (open suggestions masked too: an unreviewed file may be handed on).
    """
    with project.reading() as store:
        rows = store.codebook.rows()
        code_ids: list[int] | None = None
        for name, want in ((category, "category"), (code, None)):
            if name is None:
                continue
            node = store.codebook.by_name(name)
            if node is None or (want and node.kind != want):
                raise ServiceError(f"no {want or 'code'} called {name!r}")
            ids = subtree_ids(rows, node.id)
            code_ids = ids if code_ids is None else [i for i in code_ids if i in set(ids)]
        doc_ids = [find_document(store, d).id for d in documents] if documents else None
        try:
            role_names = [normalise_role(r) for r in roles] if roles else None
        except ValueError as exc:
            raise ServiceError(str(exc)) from None
        found = store.codings.quotes(code_ids, main_categories(rows), roles=role_names, rounds=rounds, document_ids=doc_ids,
                            coders=coders, with_speakers=with_speakers)
    if anonymised:
        from codebench.services.anonymisation import anonymise_quotes

        return anonymise_quotes(project, found, with_open=for_file)
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
    """Project statistics in a handful of aggregate queries, each an index-only scan."""
    with project.reading() as store:
        documents, words, turns = store.documents.counts()
        by_role = store.documents.participants_by_role()
        docs_by_role = store.documents.documents_by_role()
        rows = store.codebook.rows()
        per_coder_and_code = store.codings.counts_by_coder_and_code()
    per_code: Counter[int] = Counter()
    by_coder: Counter[str] = Counter()
    for (coder, code_id), count in per_coder_and_code.items():
        per_code[code_id] += count
        by_coder[coder] += count
    context = main_categories(rows)
    by_category: Counter[str] = Counter()
    for code_id, count in per_code.items():
        by_category[context.get(code_id, ("?", None))[1] or "(no category)"] += count
    origins = Counter(r.origin for r in rows if r.kind == "code")
    return ProjectStats(
        documents=documents, words=words, turns=turns, participants_by_role=by_role,
        documents_by_role=docs_by_role, codes=sum(1 for r in rows if r.kind == "code"),
        categories=sum(1 for r in rows if r.kind == "category"), codings=sum(per_code.values()),
        codings_by_category=dict(by_category), codings_by_coder=dict(by_coder), codes_by_origin=dict(origins),
    )


@dataclass(frozen=True)
class CodingCounts:
    """How many codings each document, code and coder has (absent: none), for the project view."""

    by_document: dict[int, int]
    by_code: dict[int, int]
    by_coder: dict[str, int]


def coding_counts(project: Project) -> CodingCounts:
    """Codings per document, code and coder, from the count tables the database keeps (a few thousand rows)."""
    with project.reading() as store:
        by_document = store.codings.counts_by_document()
        per_coder_and_code = store.codings.counts_by_coder_and_code()
    by_code: Counter[int] = Counter()
    by_coder: Counter[str] = Counter()
    for (coder, code_id), count in per_coder_and_code.items():
        by_code[code_id] += count
        by_coder[coder] += count
    return CodingCounts(by_document, dict(by_code), dict(by_coder))


def participants(project: Project) -> list[ParticipantInfo]:
    """All participants (cases) of the project."""
    with project.reading() as store:
        return store.documents.participants()
