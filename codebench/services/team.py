"""Team work: merging coders' projects, inter-coder agreement, disagreements and adjudication."""

from __future__ import annotations


from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from sqlalchemy import select

from codebench.domain.records import (
    CodingInfo,
)
from codebench.storage.orm import (
    Coder, Coding, Document, new_uuid, utcnow,
)
from codebench.storage.repositories import Repository, coding_info
from codebench.errors import ServiceError
from codebench.services.project import Project, open_project
from codebench.services.documents import _document
from codebench.services.codebook import _subtree_ids
from codebench.services.coding import _check_span
from codebench.storage.repositories import coding_snapshot


def merge_projects(team: Project, sources: Sequence[str | Path]) -> list[Any]:
    """Merge coder projects into ``team``, one transaction per coder project.

    Returns:
        one :class:`codebench.team.merge.MergeReport` per source, in order.

    Raises:
        ServiceError: a source cannot be opened, or a document's text differs (that source is
            not merged; sources before it stay merged and are reported).
    """
    from codebench.team.merge import MergeRefused, merge_into, read_source

    reports = []
    for root in sources:
        source = open_project(root)
        try:
            if source.url == team.url and source.project_id == team.project_id:
                raise ServiceError(f"{root}: that is the team project itself")
            with source.transaction(write=False) as source_repo, team.transaction() as team_repo:
                data = read_source(source_repo, str(root))
                try:
                    reports.append(merge_into(team_repo, data, source_repo))
                except MergeRefused as exc:
                    raise ServiceError(str(exc)) from None
        finally:
            source.close()
    team.checkpoint()
    return reports


def _selected_codes(repo: Repository, codes: Sequence[str] | None) -> set[int] | None:
    """Code ids named (a category stands for every code below it); None for all."""
    if not codes:
        return None
    rows = repo.code_rows()
    ids: set[int] = set()
    for name in codes:
        node = repo.code_by_name(name)
        if node is None:
            raise ServiceError(f"no code or category called {name!r}")
        ids.update(_subtree_ids(rows, node.id))
    return ids


def _coding_rows(repo: Repository, coders: Sequence[str], codes: Sequence[str] | None,
                 documents: Sequence[str | int] | None) -> tuple[list[tuple[Any, ...]], dict[int, tuple[str, int]]]:
    """Codings of ``coders`` as ``(uuid, doc id, code name, coder, start, end)`` and ``doc id -> (name, length)``."""
    known = set(repo.coder_names().values())
    missing = [c for c in coders if c not in known]
    if missing:
        raise ServiceError(f"no codings by {', '.join(missing)} in this project (coders: {', '.join(sorted(known)) or 'none'})")
    code_ids = _selected_codes(repo, codes)
    doc_filter = {_document(repo, d).id for d in documents} if documents else None
    names = {row.id: row.name for row in repo.code_rows()}
    query = (
        select(Coding.uuid, Coding.document_id, Coding.code_id, Coder.name, Coding.start, Coding.end)
        .join(Coder, Coder.id == Coding.coder_id).join(Document, Document.id == Coding.document_id)
        .where(Document.project_id == repo.project_id, Coder.name.in_(list(coders)))
    )
    rows = [
        (uuid, doc, names[code], coder, start, end)
        for uuid, doc, code, coder, start, end in repo.session.connection().execute(query).all()
        if (code_ids is None or code in code_ids) and (doc_filter is None or doc in doc_filter)
    ]
    docs = {
        doc_id: (name, length) for doc_id, name, length in repo.session.execute(
            select(Document.id, Document.name, Document.length).where(Document.project_id == repo.project_id))
    }
    return rows, docs


@dataclass(frozen=True)
class AgreementResult:
    """Reliability rows and what they were computed over."""

    rows: list[Any]
    coders: tuple[str, ...]
    documents: list[str]
    threshold: float
    unitized: Any = None  # codebench.domain.reliability.UnitizedSummary


def agreement(
    project: Project,
    coders: Sequence[str],
    *,
    codes: Sequence[str] | None = None,
    documents: Sequence[str | int] | None = None,
    threshold: float = 0.9,
) -> AgreementResult:
    """Inter-coder agreement per code and overall.

    By default only documents that every one of ``coders`` has coded are compared (a document
    one coder has not reached yet would count as total disagreement); naming ``documents``
    compares exactly those.
    """
    from codebench.domain.reliability import CodedSpan, reliability, unitized_summary

    if len(set(coders)) < 2:
        raise ServiceError("name at least two different coders, e.g. --coders ingrid,per")
    if not 0 < threshold <= 1:
        raise ServiceError("the overlap threshold must be between 0 and 1 (e.g. 0.9)")
    with project.transaction(write=False) as repo:
        rows, docs = _coding_rows(repo, coders, codes, documents)
        if documents:
            chosen = {_document(repo, d).id for d in documents}
        else:
            coded_by: dict[int, set[str]] = defaultdict(set)
            for _, doc, _, coder, _, _ in rows:
                coded_by[doc].add(coder)
            chosen = {doc for doc, who in coded_by.items() if who >= set(coders)}
    spans = [CodedSpan(doc, code, coder, start, end) for _, doc, code, coder, start, end in rows]
    lengths = {d: docs[d][1] for d in chosen}
    result = reliability(spans, lengths, list(coders), threshold=threshold)
    return AgreementResult(result, tuple(coders), sorted(docs[d][0] for d in chosen), threshold,
                           unitized_summary(spans, lengths, list(coders)))


def disagreements(
    project: Project, coder_a: str, coder_b: str, *, codes: Sequence[str] | None = None,
    documents: Sequence[str | int] | None = None, threshold: float = 0.9, include_decided: bool = False,
) -> list[Any]:
    """Regions where two coders disagree, in document order, without those already decided."""
    from codebench.team.adjudication import RegionCoding, open_disagreements, regions

    with project.transaction(write=False) as repo:
        rows, docs = _coding_rows(repo, [coder_a, coder_b], codes, documents)
        decided = set() if include_decided else {
            e.payload.get("region") for e in repo.audit.entries() if e.action == "adjudicate"
            and e.payload.get("coders") == [coder_a, coder_b]
        }
    found = regions((doc, docs[doc][0], RegionCoding(uuid, coder, code, start, end)) for uuid, doc, code, coder, start, end in rows)
    return open_disagreements(found, coder_a, coder_b, threshold, decided)


def resolve_disagreement(
    project: Project, coder_a: str, coder_b: str, region_key: str, decision: str, *,
    edit: Sequence[tuple[str, int, int]] = (), adjudicator: str | None = None, threshold: float = 0.9,
) -> list[CodingInfo]:
    """Resolve one disagreement: write its consensus codings and record the decision.

    Args:
        region_key: the region's key (``doc:start-end``) as listed by :func:`disagreements`.
        decision: keep-a, keep-b, both, neither, or edit (then ``edit`` gives ``(code, start, end)``).
    """
    from codebench.team.adjudication import CONSENSUS, DECISIONS, decide

    if decision not in DECISIONS:
        raise ServiceError(f"unknown decision {decision!r}; use one of {', '.join(DECISIONS)}")
    region = next((r for r in disagreements(project, coder_a, coder_b, threshold=threshold) if r.key == region_key), None)
    if region is None:
        raise ServiceError(f"no open disagreement {region_key!r} between {coder_a} and {coder_b}")
    if decision == "edit":
        if not edit:
            raise ServiceError("an edit decision needs the codes and spans to keep")
        chosen = [(code, start, end) for code, start, end in edit]
    else:
        chosen = [(c.code, c.start, c.end) for c in decide(region, decision, coder_a, coder_b)]
    created: list[CodingInfo] = []
    with project.transaction() as repo:
        doc = repo.session.get(Document, region.document_id)
        assert doc is not None
        consensus = repo.coder(CONSENSUS)
        assert consensus is not None
        for code_name, start, end in chosen:
            code_row = repo.code_by_name(code_name)
            if code_row is None or code_row.kind != "code":
                raise ServiceError(f"no code called {code_name!r}")
            span = _check_span(doc, start, end)
            exists = repo.session.scalar(select(Coding).where(
                Coding.document_id == doc.id, Coding.code_id == code_row.id, Coding.coder_id == consensus.id,
                Coding.start == span.start, Coding.end == span.end))
            if exists is not None:
                continue
            row = Coding(uuid=new_uuid(), document_id=doc.id, code_id=code_row.id, coder_id=consensus.id,
                         start=span.start, end=span.end, text_sha256=doc.sha256, quote=doc.text[span.start:span.end],
                         created_at=utcnow(), updated_at=utcnow())
            repo.session.add(row)
            repo.session.flush()
            repo.audit.log("apply", CONSENSUS, coding_snapshot(row))
            created.append(coding_info(row, CONSENSUS))
        repo.audit.log("adjudicate", adjudicator, {"region": region.key, "coders": [coder_a, coder_b], "decision": decision,
                                            "codings": [c.uuid for c in created]})
    return created


def accept_agreed(project: Project, coder_a: str, coder_b: str, *, threshold: float = 0.9,
                  adjudicator: str | None = None) -> int:
    """Copy every region the two coders agree on to the consensus coder (coder A's spans)."""
    from codebench.team.adjudication import RegionCoding, agrees, regions

    with project.transaction(write=False) as repo:
        rows, docs = _coding_rows(repo, [coder_a, coder_b], None, None)
    agreed = [r for r in regions((doc, docs[doc][0], RegionCoding(u, coder, code, s, e)) for u, doc, code, coder, s, e in rows)
              if agrees(r, coder_a, coder_b, threshold)]
    copied = 0
    with project.transaction() as repo:
        consensus = repo.coder("consensus")
        assert consensus is not None
        present = set(repo.session.execute(
            select(Coding.document_id, Coding.code_id, Coding.start, Coding.end).where(Coding.coder_id == consensus.id)).all())
        texts: dict[int, Document] = {}
        for region in agreed:
            doc = texts.setdefault(region.document_id, repo.session.get(Document, region.document_id))  # type: ignore[arg-type]
            for c in region.codings:
                if c.coder != coder_a:
                    continue
                code_row = repo.code_by_name(c.code)
                assert code_row is not None
                key = (doc.id, code_row.id, c.start, c.end)
                if key in present:
                    continue
                present.add(key)
                repo.session.add(Coding(uuid=new_uuid(), document_id=doc.id, code_id=code_row.id, coder_id=consensus.id,
                                        start=c.start, end=c.end, text_sha256=doc.sha256, quote=doc.text[c.start:c.end],
                                        created_at=utcnow(), updated_at=utcnow()))
                copied += 1
        repo.audit.log("accept_agreed", adjudicator, {"coders": [coder_a, coder_b], "codings": copied, "threshold": threshold})
    return copied
