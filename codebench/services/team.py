"""Team work: merging coders' projects, inter-coder agreement, disagreements and adjudication.

The SQL lives in ``storage/merge.py`` (``store.merge``); the rules of adjudication in
``domain/adjudication.py``; this module joins them into one user action per function.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from codebench.domain.adjudication import CONSENSUS, DECISIONS, Region, RegionCoding, agrees, decide
from codebench.domain.adjudication import open_disagreements, regions
from codebench.domain.code_tree import subtree_ids
from codebench.domain.merge_report import MergeReport
from codebench.domain.records import AuditEntry, CodingInfo
from codebench.errors import MergeRefused, ServiceError
from codebench.services.coding import check_span
from codebench.services.documents import find_document
from codebench.services.project import Project, open_project
from codebench.services.text_history import reconcile_texts
from codebench.storage.store import Store

__all__ = ["AgreementResult", "accept_agreed", "agreement", "disagreements", "merge_projects", "resolve_disagreement"]


def merge_projects(team: Project, sources: Sequence[str | Path]) -> list[MergeReport]:
    """Merge coder projects into ``team``, one transaction per coder project.

    Returns:
        one :class:`codebench.domain.merge_report.MergeReport` per source, in order.

    A document one side edited is matched through its revision history: the coder's codings
    made before or after an edit land on the team's text, and two coders who edited the same
    turn differently are refused (see :mod:`codebench.services.text_history`).

    Raises:
        ServiceError: a source cannot be opened, or a document's text differs (that source is
            not merged; sources before it stay merged and are reported).
    """
    reports = []
    for root in sources:
        source = open_project(root)
        try:
            if source.url == team.url and source.project_id == team.project_id:
                raise ServiceError(f"{root}: that is the team project itself")
            with source.transaction(write=False) as source_store, team.transaction() as team_store:
                data = source_store.merge.read_source(str(root))
                report = MergeReport(source=str(root))
                try:
                    # Texts edited on either side are brought together first (see text_history).
                    text_maps = reconcile_texts(team_store, source_store, str(root), report)
                    reports.append(team_store.merge.merge_into(data, source_store.merge, text_maps, report))
                except MergeRefused as exc:
                    raise ServiceError(str(exc)) from None
        finally:
            source.close()
    team.checkpoint()
    return reports


def _selected_codes(store: Store, codes: Sequence[str] | None) -> set[int] | None:
    """Code ids named (a category stands for every code below it); None for all."""
    if not codes:
        return None
    tree = store.codebook.rows()
    ids: set[int] = set()
    for name in codes:
        node = store.codebook.by_name(name)
        if node is None:
            raise ServiceError(f"no code or category called {name!r}")
        ids.update(subtree_ids(tree, node.id))
    return ids


def _coder_spans(store: Store, coders: Sequence[str], codes: Sequence[str] | None,
                 documents: Sequence[str | int] | None
                 ) -> tuple[list[tuple[int, RegionCoding]], dict[int, tuple[str, int]]]:
    """Codings of ``coders`` as ``(doc id, coding)`` and ``doc id -> (name, length)``.

    Raises:
        ServiceError: a coder has no codings, or a code or document is unknown.
    """
    known = set(store.codings.coder_names().values())
    missing = [c for c in coders if c not in known]
    if missing:
        raise ServiceError(f"no codings by {', '.join(missing)} in this project (coders: {', '.join(sorted(known)) or 'none'})")
    code_ids = _selected_codes(store, codes)
    doc_filter = {find_document(store, d).id for d in documents} if documents else None
    spans = store.merge.coding_spans(coders, code_ids=code_ids, document_ids=doc_filter)
    return spans, store.merge.document_sizes()


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
    with project.transaction(write=False) as store:
        found, docs = _coder_spans(store, coders, codes, documents)
        chosen = _compared(store, found, coders, documents)
    spans = [CodedSpan(doc, c.code, c.coder, c.start, c.end) for doc, c in found]
    lengths = {d: docs[d][1] for d in chosen}
    result = reliability(spans, lengths, list(coders), threshold=threshold)
    return AgreementResult(result, tuple(coders), sorted(docs[d][0] for d in chosen), threshold,
                           unitized_summary(spans, lengths, list(coders)))


def _compared(store: Store, found: list[tuple[int, RegionCoding]], coders: Sequence[str],
              documents: Sequence[str | int] | None) -> set[int]:
    """The documents two or more coders are compared on: those named, else those every one of
    them has coded (a document one coder has not reached yet is no disagreement yet)."""
    if documents:
        return {find_document(store, d).id for d in documents}
    coded_by: dict[int, set[str]] = defaultdict(set)
    for doc, coding in found:
        coded_by[doc].add(coding.coder)
    return {doc for doc, who in coded_by.items() if who >= set(coders)}


def _regions(found: list[tuple[int, RegionCoding]], docs: dict[int, tuple[str, int]]) -> list[Region]:
    return regions((doc, docs[doc][0], coding) for doc, coding in found)


def disagreements(
    project: Project, coder_a: str, coder_b: str, *, codes: Sequence[str] | None = None,
    documents: Sequence[str | int] | None = None, threshold: float = 0.9, include_decided: bool = False,
) -> list[Region]:
    """Regions where two coders disagree, in document order, without those already decided.

    As for :func:`agreement`, only documents both coders have coded are compared unless
    ``documents`` names them: the other coder may simply not have reached a document yet.
    """
    with project.transaction(write=False) as store:
        found, docs = _coder_spans(store, [coder_a, coder_b], codes, documents)
        chosen = _compared(store, found, [coder_a, coder_b], documents)
        found = [(doc, coding) for doc, coding in found if doc in chosen]
        decided = set() if include_decided else _decided_regions(store.audit.entries(), coder_a, coder_b)
    return open_disagreements(_regions(found, docs), coder_a, coder_b, threshold, decided)


def _decided_regions(entries: Sequence[AuditEntry], coder_a: str, coder_b: str) -> set[str]:
    """The regions the two coders' adjudication decided, less the decisions undone since."""
    undone: set[int] = set()
    for entry in sorted(entries, key=lambda e: e.id):
        if entry.action in ("undo", "redo") and entry.payload.get("action") == "adjudicate":
            (undone.add if entry.action == "undo" else undone.discard)(entry.payload.get("entry"))
    return {e.payload.get("region") for e in entries if e.action == "adjudicate" and e.id not in undone
            and e.payload.get("coders") == [coder_a, coder_b]}


def resolve_disagreement(
    project: Project, coder_a: str, coder_b: str, region_key: str, decision: str, *,
    edit: Sequence[tuple[str, int, int]] = (), adjudicator: str | None = None, threshold: float = 0.9,
) -> list[CodingInfo]:
    """Resolve one disagreement: write its consensus codings and record the decision.

    Args:
        region_key: the region's key (``doc:start-end``) as listed by :func:`disagreements`.
        decision: keep-a, keep-b, both, neither, or edit (then ``edit`` gives ``(code, start, end)``).
    """
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
    with project.transaction() as store:
        doc = find_document(store, region.document_id)
        spans = []
        for code_name, start, end in chosen:
            node = store.codebook.by_name(code_name)
            if node is None or node.kind != "code":
                raise ServiceError(f"no code called {code_name!r}")
            span = check_span(doc, start, end)
            spans.append((doc.id, node.id, span.start, span.end))
        created, snapshots = [], []
        for info, snapshot in store.merge.add_consensus_codings(CONSENSUS, spans):
            store.audit.log("apply", CONSENSUS, snapshot)
            created.append(info)
            snapshots.append(snapshot)
        # The snapshots let the adjudicator undo the decision (its codings go, the region reopens).
        store.audit.log("adjudicate", adjudicator, {"region": region.key, "coders": [coder_a, coder_b],
                                                    "decision": decision, "codings": [c.uuid for c in created],
                                                    "created": snapshots, "document_id": region.document_id,
                                                    "start": region.start, "end": region.end})
    return created


def accept_agreed(project: Project, coder_a: str, coder_b: str, *, threshold: float = 0.9,
                  adjudicator: str | None = None) -> int:
    """Copy every region the two coders agree on to the consensus coder (coder A's spans)."""
    with project.transaction(write=False) as store:
        found, docs = _coder_spans(store, [coder_a, coder_b], None, None)
    agreed = [r for r in _regions(found, docs) if agrees(r, coder_a, coder_b, threshold)]
    with project.transaction() as store:
        code_ids = {node.name: node.id for node in store.codebook.rows()}
        spans = [(region.document_id, code_ids[c.code], c.start, c.end)
                 for region in agreed for c in region.codings if c.coder == coder_a]
        created = [snapshot for _, snapshot in store.merge.add_consensus_codings(CONSENSUS, spans)]
        # The snapshots let the adjudicator undo the copy (g pressed by mistake copies everything).
        store.audit.log("accept_agreed", adjudicator, {"coders": [coder_a, coder_b], "codings": len(created),
                                                       "threshold": threshold, "created": created})
    return len(created)
