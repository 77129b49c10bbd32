"""Anonymisation use cases: detect, review decisions, pseudonym key, anonymised renditions.

The original text is never changed.  Detection stores *mentions* (document, span, detector,
score, status) grouped into *entities* that carry the pseudonym; the anonymised rendition of a
document is computed from the accepted and manual mentions, with an offset map back to the
original.  Codings always live on the original, so they stay on the same words whatever is
accepted or rejected later.  The key (original ↔ pseudonym) is a separate owner-only file.
"""

from __future__ import annotations

import bisect
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, NamedTuple, Sequence

from sqlalchemy import insert, select

from codebench.anonymise.detections import DIRECT_KINDS, KINDS, PER, Detection
from codebench.anonymise.key import KeyFileError, PseudonymKey, load_key, save_key
from codebench.anonymise.linking import Cluster, link, normalise
from codebench.anonymise.pipeline import DEFAULT_THRESHOLD, REVIEW_ONLY, Replacement, detect_texts, render, replace_forms
from codebench.anonymise.pseudonyms import STYLES, new_pseudonym, next_label
from codebench.domain.records import DocumentInfo, Quote
from codebench.domain.spans import OffsetMap
from codebench.storage.orm import AnonEntity, AnonMention, Document, Project as ProjectRow

if TYPE_CHECKING:
    from codebench.services.project import Project

STATUSES = ("suggested", "accepted", "rejected", "manual")
ACTIVE = ("accepted", "manual")
DECISIONS = {"accept": "accepted", "reject": "rejected"}
Progress = Callable[[int, int], None]


def _error(message: str) -> Exception:
    from codebench.errors import ServiceError

    return ServiceError(message)


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DetectReport:
    """What a detection run found."""

    documents: int
    detections: int
    entities: int
    new_mentions: int
    kept_mentions: int
    seconds: float
    key_path: Path


@dataclass(frozen=True)
class MentionView:
    """One mention for review, with a little context around it (original text)."""

    id: int
    document_id: int
    document: str
    start: int
    end: int
    status: str
    detector: str
    score: float
    before: str
    text: str
    after: str


@dataclass(frozen=True)
class EntityView:
    """One entity (cluster) for review."""

    id: int
    kind: str
    pseudonym: str
    direct: bool
    forms: tuple[str, ...]
    statuses: dict[str, int]
    documents: int
    best_score: float
    mentions: tuple[MentionView, ...] = ()

    @property
    def open(self) -> int:
        """Mentions still waiting for a decision."""
        return self.statuses.get("suggested", 0)


@dataclass(frozen=True)
class DocumentAnonymisation:
    """Review progress of one document."""

    document_id: int
    name: str
    anonymised_name: str
    suggested: int
    accepted: int
    rejected: int
    manual: int

    @property
    def status(self) -> str:
        """none / to review / reviewed."""
        if not (self.suggested or self.accepted or self.rejected or self.manual):
            return "none"
        return "to review" if self.suggested else "reviewed"


class Rendition(NamedTuple):
    """A document's text as readers get it, with the map back to the stored original.

    ``offsets`` maps original code points to rendition code points (``span_to_target``) and back
    (``span_to_source``); codings are always stored against the original.
    """

    document_id: int
    name: str
    text: str
    offsets: OffsetMap


# ---------------------------------------------------------------------------------------------
# Settings and key
# ---------------------------------------------------------------------------------------------


def _settings(repo) -> dict:
    row = repo.session.get(ProjectRow, repo.project_id)
    return dict(row.settings.get("anonymisation") or {})


def _save_settings(repo, values: dict) -> None:
    row = repo.session.get(ProjectRow, repo.project_id)
    row.settings = {**row.settings, "anonymisation": values}  # new dict: JSON change tracking


def _key_id(repo) -> str:
    settings = _settings(repo)
    if not settings.get("key_id"):
        settings["key_id"] = str(uuid.uuid4())
        _save_settings(repo, settings)
    return settings["key_id"]


def pseudonym_key(project: "Project") -> PseudonymKey:
    """The project's key (read from its owner-only file)."""
    with project.transaction(write=True) as repo:
        key_id = _key_id(repo)
    try:
        return load_key(key_id)
    except KeyFileError as exc:
        raise _error(str(exc)) from None


def _write_key(project: "Project", known_names: list[dict[str, str]] | None = None) -> Path:
    """Rewrite the key from the stored decisions (original forms are read from the texts)."""
    key = pseudonym_key(project)
    with project.transaction(write=False) as repo:
        rows = repo.session.execute(
            select(AnonEntity.uuid, AnonEntity.pseudonym, AnonEntity.kind, AnonMention.document_id,
                   AnonMention.start, AnonMention.end, AnonMention.status)
            .join(AnonMention, AnonMention.entity_id == AnonEntity.id)
            .where(AnonEntity.project_id == repo.project_id)
        ).all()
        texts = _texts(repo, {r.document_id for r in rows})
    forms: dict[str, dict] = {}
    for r in rows:
        entry = forms.setdefault(r.uuid, {"pseudonym": r.pseudonym, "kind": r.kind, "originals": set(), "rejected": set()})
        surface = " ".join(texts[r.document_id][r.start:r.end].split())
        entry["rejected" if r.status == "rejected" else "originals"].add(surface)
    key.entities = [
        {"id": u, "pseudonym": e["pseudonym"], "kind": e["kind"], "originals": sorted(e["originals"]),
         **({"rejected": sorted(e["rejected"] - e["originals"])} if e["rejected"] - e["originals"] else {})}
        for u, e in sorted(forms.items(), key=lambda kv: kv[1]["pseudonym"])
    ]
    if known_names is not None:
        key.known_names = known_names
    return save_key(key)


def _texts(repo, ids: Iterable[int]) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    return dict(repo.session.execute(select(Document.id, Document.text).where(Document.id.in_(ids))).all())


def original_viewers(project: "Project") -> list[str]:
    """Coders allowed to see original names; empty means everyone (no restriction set)."""
    with project.transaction(write=False) as repo:
        return list(_settings(repo).get("original_viewers") or [])


def set_original_viewer(project: "Project", coder: str, allowed: bool, *, by: str | None = None) -> list[str]:
    """Allow or stop one coder seeing original names in the workbench; returns the new list."""
    coder = coder.strip()
    if not coder:
        raise _error("name the coder")
    with project.transaction(write=True) as repo:
        settings = _settings(repo)
        viewers = [v for v in settings.get("original_viewers") or [] if v != coder]
        if allowed:
            viewers.append(coder)
        settings["original_viewers"] = sorted(viewers)
        _save_settings(repo, settings)
        repo.audit.log("anonymise_viewers", by, {"coder": coder, "allowed": allowed})
    return sorted(viewers)


def may_see_original(project: "Project", coder: str) -> bool:
    """Whether the workbench may show this coder original names and the review of them.

    With no viewers listed, everyone may (a single researcher, or a team that has not set it
    up). Once the project names its original viewers, everyone else codes the anonymised
    rendition only. This governs what codebench shows; it is not access control over a
    database the coder can read directly.
    """
    viewers = original_viewers(project)
    return not viewers or coder in viewers


# ---------------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------------


def _informant_roles(infos: Sequence[DocumentInfo], turns: dict[int, list], texts: dict[int, str]) -> dict[str, tuple[int, str]]:
    """Speaker names that belong to the informant of a document -> (evidence, informant's role).

    In an individual interview the informant is the named speaker who talks most; in a group
    interview every named speaker except the one asking most questions (the moderator).
    """
    from codebench.anonymise.gazetteer import looks_like_name

    roles: dict[str, tuple[int, str]] = {}
    # Individual interviews say best who someone is; group interviews only fill the gaps.
    for info in sorted(infos, key=lambda i: bool(i.participant and (i.participant.attributes or {}).get("group"))):
        if info.participant is None:
            continue
        words: Counter[str] = Counter()
        questions: Counter[str] = Counter()
        for turn in turns[info.id]:
            if turn.speaker and looks_like_name(turn.speaker):
                body = texts[info.id][turn.body_start:turn.end]
                words[turn.speaker] += len(body.split())
                questions[turn.speaker] += body.count("?")
        if not words:
            continue
        group = bool(info.participant.attributes.get("group")) if info.participant.attributes else False
        if group:
            moderator = questions.most_common(1)[0][0] if questions else None
            chosen = [s for s in words if s != moderator]
        else:
            chosen = [words.most_common(1)[0][0]]
        for speaker in chosen:
            # An individual interview is better evidence of someone's role than a group one.
            evidence = (1 if group else 2, info.participant.role)
            roles[normalise(speaker)] = max(roles.get(normalise(speaker), (0, "")), evidence)
    return roles


def detect(
    project: "Project",
    *,
    use_model: bool = True,
    coder: str | None = None,
    progress: Progress | None = None,
    style: str | None = None,
) -> DetectReport:
    """Find identifiers in every document and store them as suggestions.

    Earlier decisions are kept: a mention found again keeps its status and entity, mentions
    decided before and not found now stay, and entities keep their pseudonyms.
    """
    started = time.perf_counter()
    key = pseudonym_key(project)
    # One read transaction for every text and turn: a transaction per document cost more than
    # the rules and the lexicon together.
    with project.transaction(write=False) as repo:
        infos = repo.document_infos()
        texts = _texts(repo, [i.id for i in infos])
        turns = {i.id: repo.turns(i.id) for i in infos}
    labels = {i: [t.speaker for t in turns[i] if t.speaker] for i in texts}
    detections = detect_texts(texts, known_names=key.added_names(), speaker_labels=labels,
                              use_model=use_model, progress=progress)
    with project.transaction(write=False) as repo:
        existing = _mention_rows(repo)
    # Decisions already taken join linking as evidence, so clusters stay where they were.
    for row in existing:
        if row.status in ("manual", "accepted"):
            text = texts.get(row.document_id, "")
            detections.setdefault(row.document_id, []).append(
                Detection(row.start, row.end, row.kind, "manual" if row.status == "manual" else row.detector,
                          1.0, text[row.start:row.end]))
    groups = {i.id: i.participant.pid for i in infos if i.participant is not None}
    clusters = link(texts, detections, groups=groups)
    roles = _informant_roles(infos, turns, texts)
    total = sum(len(d) for d in detections.values())
    new, kept = _store_clusters(project, clusters, roles, style=style, coder=coder)
    path = _write_key(project)
    return DetectReport(len(texts), total, len(clusters), new, kept, time.perf_counter() - started, path)


class _MentionRow(NamedTuple):
    id: int
    document_id: int
    start: int
    end: int
    status: str
    detector: str
    score: float
    entity_id: int
    kind: str
    pseudonym: str


def _mention_rows(repo, document_ids: Sequence[int] | None = None, statuses: Sequence[str] | None = None) -> list[_MentionRow]:
    query = (
        select(AnonMention.id, AnonMention.document_id, AnonMention.start, AnonMention.end, AnonMention.status,
               AnonMention.detector, AnonMention.score, AnonMention.entity_id, AnonEntity.kind, AnonEntity.pseudonym)
        .join(AnonEntity, AnonMention.entity_id == AnonEntity.id)
        .where(AnonEntity.project_id == repo.project_id)
    )
    if document_ids is not None:
        query = query.where(AnonMention.document_id.in_(list(document_ids)))
    if statuses is not None:
        query = query.where(AnonMention.status.in_(list(statuses)))
    return [_MentionRow(*r) for r in repo.session.execute(query.order_by(AnonMention.document_id, AnonMention.start))]


def _store_clusters(project: "Project", clusters: Sequence[Cluster], roles: dict[str, tuple[int, str]], *,
                    style: str | None, coder: str | None) -> tuple[int, int]:
    new = kept = 0
    with project.transaction(write=True) as repo:
        settings = _settings(repo)
        style = style or settings.get("style", "labels")
        if style not in STYLES:
            raise _error(f"unknown pseudonym style {style!r}; choose from {', '.join(STYLES)}")
        settings["style"] = style
        _save_settings(repo, settings)
        rows = _mention_rows(repo)
        by_span = {(r.document_id, r.start, r.end): r for r in rows}
        occupied: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for r in rows:
            occupied[r.document_id].append((r.start, r.end))
        entities = {e.id: e for e in repo.session.scalars(select(AnonEntity).where(AnonEntity.project_id == repo.project_id))}
        taken = {e.pseudonym for e in entities.values()}
        all_forms = {f for c in clusters for f in c.forms}
        # First mention order makes numbering follow reading order across the project.
        ordered = sorted(clusters, key=lambda c: min((d, m.start) for d, m in c.mentions))
        fresh: list[AnonEntity] = []
        pending: list[tuple[AnonEntity, dict]] = []
        for cluster in ordered:
            votes = Counter(by_span[(d, m.start, m.end)].entity_id for d, m in cluster.mentions if (d, m.start, m.end) in by_span)
            entity = entities.get(votes.most_common(1)[0][0]) if votes else None
            if entity is None:
                found = [roles[f] for f in cluster.forms if f in roles] if cluster.kind == PER else []
                role = max(found)[1] if found else None
                pseudonym = new_pseudonym(cluster.key, cluster.kind, cluster.forms, taken, style=style, role=role,
                                          avoid=all_forms)
                taken.add(pseudonym)
                entity = AnonEntity(project_id=repo.project_id, kind=cluster.kind, pseudonym=pseudonym,
                                    direct=cluster.kind in DIRECT_KINDS)
                repo.session.add(entity)
                fresh.append(entity)
            for doc, det in cluster.mentions:
                if (doc, det.start, det.end) in by_span:
                    kept += 1
                    continue
                if any(s < det.end and det.start < e for s, e in occupied[doc]):
                    continue  # a decided mention already covers part of this text
                pending.append((entity, dict(document_id=doc, start=det.start, end=det.end, status="suggested",
                                             detector=det.detector[:40], score=round(det.score, 3))))
                occupied[doc].append((det.start, det.end))
                new += 1
        # New entities get their ids in one flush; mentions go in as one executemany insert
        # (an ORM object per mention was most of the time spent storing).
        repo.session.flush()
        for entity in fresh:
            entities[entity.id] = entity
        if pending:
            repo.session.execute(insert(AnonMention), [dict(values, entity_id=entity.id) for entity, values in pending])
        repo.audit.log("anonymise_detect", coder, {"entities": len(clusters), "new": new})
    return new, kept


# ---------------------------------------------------------------------------------------------
# Review
# ---------------------------------------------------------------------------------------------


def _entity(repo, ref: str | int) -> AnonEntity:
    query = select(AnonEntity).where(AnonEntity.project_id == repo.project_id)
    if isinstance(ref, int) or str(ref).isdigit():
        row = repo.session.scalar(query.where(AnonEntity.id == int(ref)))
    else:
        wanted = str(ref).strip()
        if not wanted.startswith("["):
            wanted = f"[{wanted}]"
        row = repo.session.scalar(query.where(AnonEntity.pseudonym == wanted))
    if row is None:
        raise _error(f"no anonymisation entity {ref!r}; list them with `codebench anonymise PROJECT --list`")
    return row


def entities(
    project: "Project",
    *,
    kinds: Sequence[str] | None = None,
    status: str | None = None,
    with_mentions: bool = False,
    context: int = 40,
    document: str | int | None = None,
    entity: str | int | None = None,
) -> list[EntityView]:
    """Entities with their forms, decision counts and (optionally) mentions in context.

    ``entity`` narrows to one entity (the workbench loads the list without mentions, then
    the mentions of the highlighted entity only).
    """
    from codebench.services.documents import _document

    with project.transaction(write=False) as repo:
        doc_ids = [_document(repo, document).id] if document is not None else None
        rows = _mention_rows(repo, doc_ids)
        if entity is not None:
            wanted = _entity(repo, entity).id
            rows = [r for r in rows if r.entity_id == wanted]
        texts = _texts(repo, {r.document_id for r in rows})
        names = {i.id: i.name for i in repo.document_infos(list(texts))} if texts else {}
        ents = {e.id: e for e in repo.session.scalars(select(AnonEntity).where(AnonEntity.project_id == repo.project_id))}
    grouped: dict[int, list[_MentionRow]] = defaultdict(list)
    for r in rows:
        grouped[r.entity_id].append(r)
    views: list[EntityView] = []
    for entity_id, mentions in grouped.items():
        entity = ents[entity_id]
        if kinds and entity.kind not in kinds:
            continue
        counts = Counter(m.status for m in mentions)
        if status and not counts.get(status):
            continue
        forms = Counter(" ".join(texts[m.document_id][m.start:m.end].split()) for m in mentions)
        shown = tuple(
            MentionView(m.id, m.document_id, names[m.document_id], m.start, m.end, m.status, m.detector, m.score,
                        texts[m.document_id][max(0, m.start - context):m.start].replace("\n", " "),
                        texts[m.document_id][m.start:m.end],
                        texts[m.document_id][m.end:m.end + context].replace("\n", " "))
            for m in mentions
        ) if with_mentions else ()
        views.append(EntityView(entity.id, entity.kind, entity.pseudonym, entity.direct,
                                tuple(f for f, _ in forms.most_common()), dict(counts),
                                len({m.document_id for m in mentions}), max(m.score for m in mentions), shown))
    views.sort(key=lambda v: (not v.direct, v.kind, -sum(v.statuses.values()), v.pseudonym))
    return views


def decide(
    project: "Project",
    decision: str,
    *,
    entity: str | int | None = None,
    mentions: Sequence[int] = (),
    coder: str | None = None,
    everything: bool = False,
) -> int:
    """Accept or reject an entity's suggestions, or single mentions; returns how many changed.

    For a whole entity, accepting takes its open suggestions and rejecting takes its open and
    accepted mentions: a mention rejected one by one ("liv", life, inside the cluster of Liv)
    stays rejected, and hand-made marks stay. ``everything`` decides every mention regardless.
    Mentions named by id are always decided.
    """
    status = DECISIONS.get(decision, decision)
    if status not in ("accepted", "rejected"):
        raise _error(f"unknown decision {decision!r}; use accept or reject")
    if entity is None and not mentions:
        raise _error("say which entity or mentions to decide on")
    now = datetime.now(timezone.utc)
    with project.transaction(write=True) as repo:
        query = select(AnonMention).join(AnonEntity).where(AnonEntity.project_id == repo.project_id)
        if entity is not None:
            query = query.where(AnonMention.entity_id == _entity(repo, entity).id)
        if mentions:
            query = query.where(AnonMention.id.in_(list(mentions)))
        elif not everything:
            movable = ("suggested",) if status == "accepted" else ("suggested", "accepted")
            query = query.where(AnonMention.status.in_(movable))
        changed = 0
        for row in repo.session.scalars(query):
            if row.status != status:
                row.status, row.decided_by, row.decided_at = status, coder, now
                changed += 1
        repo.audit.log(f"anonymise_{decision}", coder, {"entity": entity if isinstance(entity, int) else None,
                                                  "mentions": len(mentions), "changed": changed})
    _write_key(project)
    return changed


def auto_accept(project: "Project", *, threshold: float = DEFAULT_THRESHOLD, coder: str | None = None) -> int:
    """Accept every open suggestion scored at or above ``threshold`` (never review-only kinds)."""
    now = datetime.now(timezone.utc)
    with project.transaction(write=True) as repo:
        rows = repo.session.scalars(
            select(AnonMention).join(AnonEntity)
            .where(AnonEntity.project_id == repo.project_id, AnonMention.status == "suggested",
                   AnonMention.score >= threshold, AnonEntity.kind.not_in(list(REVIEW_ONLY)))
        ).all()
        for row in rows:
            row.status, row.decided_by, row.decided_at = "accepted", coder or "auto", now
        repo.audit.log("anonymise_auto", coder, {"threshold": threshold, "accepted": len(rows)})
    _write_key(project)
    return len(rows)


def rename_entity(project: "Project", entity: str | int, pseudonym: str, *, coder: str | None = None) -> str:
    """Give an entity another pseudonym (brackets are added so it stays visibly marked)."""
    pseudonym = " ".join(pseudonym.split()).strip("[]")
    if not pseudonym:
        raise _error("a pseudonym cannot be empty")
    marked = f"[{pseudonym}]"
    with project.transaction(write=True) as repo:
        row = _entity(repo, entity)
        clash = repo.session.scalar(select(AnonEntity.id).where(AnonEntity.project_id == repo.project_id,
                                                                AnonEntity.pseudonym == marked, AnonEntity.id != row.id))
        if clash:
            raise _error(f"{marked} is already the pseudonym of another entity")
        before, row.pseudonym = row.pseudonym, marked
        repo.audit.log("anonymise_rename", coder, {"entity": row.id, "before": before, "after": marked})
    _write_key(project)
    return marked


def add_name(project: "Project", name: str, *, kind: str = PER, coder: str | None = None) -> tuple[str, int]:
    """Add a name the detectors missed: every occurrence in every document becomes a manual
    mention, and the name is kept in the key so documents imported later are searched too.

    Returns:
        the entity's pseudonym and the number of mentions marked.
    """
    from codebench.anonymise.gazetteer import find_names

    name = " ".join(name.split())
    if len(name) < 2:
        raise _error("a name needs at least two characters")
    if kind not in KINDS:
        raise _error(f"unknown kind {kind!r}; choose from {', '.join(sorted(KINDS))}")
    key = pseudonym_key(project)
    known = [n for n in key.known_names if normalise(n["name"]) != normalise(name)] + [{"name": name, "kind": kind}]
    with project.transaction(write=False) as repo:
        ids = [i for (i,) in repo.session.execute(select(Document.id).where(Document.project_id == repo.project_id))]
        texts = _texts(repo, ids)
    hits = {doc: find_names(text, [name], kind=kind, detector="manual", score=1.0) for doc, text in texts.items()}
    pseudonym, count = _mark_manual(project, hits, kind, normalise(name), coder)
    _write_key(project, known_names=known)
    return pseudonym, count


def add_mention(project: "Project", document: str | int, start: int, end: int, *, kind: str = PER,
                entity: str | int | None = None, coder: str | None = None) -> str:
    """Mark one span by hand (the workbench's "anonymise this" on a selection)."""
    from codebench.services.documents import _document

    with project.transaction(write=False) as repo:
        doc = _document(repo, document)
        text = doc.text
        doc_id = doc.id
    if not 0 <= start < end <= len(text):
        raise _error(f"span {start}-{end} is outside the document (0-{len(text)})")
    hit = Detection(start, end, kind, "manual", 1.0, text[start:end])
    pseudonym, _ = _mark_manual(project, {doc_id: [hit]}, kind, normalise(hit.text), coder, entity=entity)
    _write_key(project)
    return pseudonym


def _mark_manual(project: "Project", hits: dict[int, list[Detection]], kind: str, form: str, coder: str | None,
                 entity: str | int | None = None) -> tuple[str, int]:
    now = datetime.now(timezone.utc)
    with project.transaction(write=True) as repo:
        rows = _mention_rows(repo)
        texts = _texts(repo, {r.document_id for r in rows} | set(hits))
        target: AnonEntity | None = _entity(repo, entity) if entity is not None else None
        if target is None:
            # Join the entity that already has this form, if any.
            for r in rows:
                if r.status != "rejected" and normalise(texts[r.document_id][r.start:r.end]) == form:
                    target = repo.session.get(AnonEntity, r.entity_id)
                    break
        if target is None:
            taken = set(repo.session.scalars(select(AnonEntity.pseudonym).where(AnonEntity.project_id == repo.project_id)))
            target = AnonEntity(project_id=repo.project_id, kind=kind, pseudonym=next_label(kind, taken),
                                direct=kind in DIRECT_KINDS)
            repo.session.add(target)
            repo.session.flush()
        count = 0
        for doc, dets in hits.items():
            for det in dets:
                overlapping = repo.session.scalars(select(AnonMention).where(
                    AnonMention.document_id == doc, AnonMention.start < det.end, AnonMention.end > det.start)).all()
                for row in overlapping:
                    repo.session.delete(row)
                repo.session.flush()
                start = min([det.start] + [r.start for r in overlapping])
                end = max([det.end] + [r.end for r in overlapping])
                repo.session.add(AnonMention(document_id=doc, entity_id=target.id, start=start, end=end,
                                             status="manual", detector="manual", score=1.0,
                                             decided_by=coder, decided_at=now))
                count += 1
        repo.audit.log("anonymise_add", coder, {"entity": target.id, "mentions": count})
        return target.pseudonym, count


def document_status(project: "Project") -> list[DocumentAnonymisation]:
    """Review progress per document (for the project view and ``anonymise --status``)."""
    from codebench.services.documents import list_documents

    infos = list_documents(project)
    with project.transaction(write=False) as repo:
        rows = _mention_rows(repo)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for r in rows:
        counts[r.document_id][r.status] += 1
    names = anonymised_names(infos)
    return [DocumentAnonymisation(i.id, i.name, names[i.id], counts[i.id]["suggested"], counts[i.id]["accepted"],
                                  counts[i.id]["rejected"], counts[i.id]["manual"]) for i in infos]


def apply(project: "Project", *, force: bool = False, coder: str | None = None) -> Path:
    """Close the review: refuse while suggestions are open (unless ``force``), refresh the key."""
    open_count = sum(d.suggested for d in document_status(project))
    if open_count and not force:
        raise _error(f"{open_count} suggestion(s) are not reviewed yet; accept or reject them "
                     "(or use --auto), or apply with --force to leave them out")
    with project.transaction(write=True) as repo:
        settings = _settings(repo)
        settings["applied_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        _save_settings(repo, settings)
        repo.audit.log("anonymise_apply", coder, {"open": open_count})
    return _write_key(project)


# ---------------------------------------------------------------------------------------------
# Renditions
# ---------------------------------------------------------------------------------------------


def anonymised_names(infos: Sequence[DocumentInfo]) -> dict[int, str]:
    """A file name that cannot identify anyone: participant, role and round ("M01 mentor runde 2")."""
    names: dict[int, str] = {}
    seen: Counter[str] = Counter()
    for info in sorted(infos, key=lambda i: i.id):
        if info.participant is not None:
            base = f"{info.participant.pid} {info.participant.role}"
        else:
            base = "Dokument"
        if info.round is not None:
            base += f" runde {info.round}"
        seen[base] += 1
        names[info.id] = base if seen[base] == 1 else f"{base} ({seen[base]})"
    return names


class _Replacer:
    """Accepted mentions of a project, loaded once per export."""

    def __init__(self, project: "Project", document_ids: Iterable[int] | None = None) -> None:
        with project.transaction(write=False) as repo:
            rows = _mention_rows(repo, list(document_ids) if document_ids is not None else None, ACTIVE)
            # The forms of the entities on show (for possessives and name parts), wherever they occur.
            present = {r.entity_id for r in rows}
            all_rows = [r for r in _mention_rows(repo, None, ACTIVE + ("suggested",)) if r.entity_id in present] if rows else []
            self.texts = _texts(repo, {r.document_id for r in all_rows})
        self.by_doc: dict[int, list[_MentionRow]] = defaultdict(list)
        for r in rows:
            self.by_doc[r.document_id].append(r)
        self.starts = {doc: [r.start for r in rs] for doc, rs in self.by_doc.items()}
        self.longest = {doc: max(r.end - r.start for r in rs) for doc, rs in self.by_doc.items()}
        self.forms: dict[str, set[str]] = defaultdict(set)
        for r in all_rows:
            self.forms[r.pseudonym].add(normalise(self.texts[r.document_id][r.start:r.end]))
        self.form_to_pseudonym = {f: p for p, fs in self.forms.items() for f in fs if len(f) >= 2}

    def replacements(self, document_id: int, text: str) -> list[Replacement]:
        return [Replacement(r.start, r.end, r.pseudonym, text[r.start:r.end]) for r in self.by_doc.get(document_id, ())]

    def render(self, document_id: int, text: str) -> tuple[str, OffsetMap]:
        return render(text, self.replacements(document_id, text), self.forms)

    def slice(self, document_id: int, text: str, start: int, end: int) -> str:
        """The anonymised text of [start, end), widened over any mention it cuts."""
        rows = self.by_doc.get(document_id, ())
        # Mentions are sorted by start: bisect to the few that can overlap this quote.
        i = bisect.bisect_left(self.starts.get(document_id, []), start - self.longest.get(document_id, 0))
        inside = [r for r in rows[i:] if r.start < end and start < r.end] if rows else []
        if not inside:
            return text[start:end]
        if inside:
            start = min(start, min(r.start for r in inside))
            end = max(end, max(r.end for r in inside))
        reps = [Replacement(r.start - start, r.end - start, r.pseudonym, text[r.start:r.end]) for r in inside]
        return render(text[start:end], reps, self.forms)[0]

    def string(self, value: str | None) -> str | None:
        return replace_forms(value, self.form_to_pseudonym) if value else value


def rendition(project: "Project", document: str | int, *, anonymised: bool = True) -> Rendition:
    """The original or anonymised rendition of one document, with its offset map."""
    from codebench.services.documents import get_document

    doc = get_document(project, document)
    if not anonymised:
        return Rendition(doc.info.id, doc.info.name, doc.text, OffsetMap.identity(len(doc.text)))
    replacer = _Replacer(project, [doc.info.id])
    text, offsets = replacer.render(doc.info.id, doc.text)
    return Rendition(doc.info.id, anonymised_names([doc.info])[doc.info.id], text, offsets)


def renditions(project: "Project", documents: Sequence[DocumentInfo], texts: dict[int, str]) -> Iterable[Rendition]:
    """Anonymised renditions of many documents with one load of the decisions (exports)."""
    replacer = _Replacer(project)
    names = anonymised_names(documents)
    for info in documents:
        text, offsets = replacer.render(info.id, texts[info.id])
        yield Rendition(info.id, names[info.id], text, offsets)


def anonymise_quotes(project: "Project", quotes: Sequence[Quote]) -> list[Quote]:
    """The same quotes with text, document name and speaker in their anonymised rendition."""
    if not quotes:
        return []
    from codebench.services.documents import list_documents

    doc_ids = {q.document_id for q in quotes}
    replacer = _Replacer(project, doc_ids)
    names = anonymised_names(list_documents(project))
    with project.transaction(write=False) as repo:
        texts = _texts(repo, doc_ids)
    out = []
    speakers: dict[str | None, str | None] = {}
    for q in quotes:
        # Most quotes contain no name: they keep their text and only change document name.
        if replacer.by_doc.get(q.document_id):
            text = replacer.slice(q.document_id, texts[q.document_id], q.start, q.end)
        else:
            text = q.text
        if q.speaker not in speakers:
            speakers[q.speaker] = replacer.string(q.speaker)
        out.append(q._replace(text=text, document=names.get(q.document_id, "Dokument"), speaker=speakers[q.speaker]))
    return out


def anonymised_passages(project: "Project", spans: Sequence[tuple[int, int, int]]) -> list[str]:
    """The anonymised text of ``(document_id, start, end)`` passages (one load for all)."""
    if not spans:
        return []
    doc_ids = {d for d, _, _ in spans}
    replacer = _Replacer(project, doc_ids)
    with project.transaction(write=False) as repo:
        texts = _texts(repo, doc_ids)
    return [replacer.slice(d, texts[d], s, e) for d, s, e in spans]


def document_labels(project: "Project", *, original: bool = False) -> dict[int, str]:
    """Document id -> the name to show: anonymised ("M01 mentor runde 2") unless ``original``."""
    from codebench.services.documents import list_documents

    infos = list_documents(project)
    return {i.id: i.name for i in infos} if original else anonymised_names(infos)


def anonymise_free_text(project: "Project", text: str) -> str:
    """Researcher-written text (memos, descriptions) with every known identifier replaced."""
    if not text:
        return text
    replacer = _Replacer(project)
    for entry in pseudonym_key(project).known_names:
        replacer.form_to_pseudonym.setdefault(normalise(entry["name"]), "[…]")
    return replace_forms(text, replacer.form_to_pseudonym)


def export_text(project: "Project", folder: Path, *, original: bool = False) -> list[Path]:
    """Write each document's (anonymised) rendition as a UTF-8 .txt file; returns the paths."""
    from codebench.services.documents import get_document, list_documents

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    infos = list_documents(project)
    names = anonymised_names(infos)
    replacer = _Replacer(project)
    written = []
    for info in infos:
        text = get_document(project, info.id).text
        body = text if original else replacer.render(info.id, text)[0]
        stem = info.name if original else names[info.id]
        path = folder / f"{_safe_file_name(stem)}.txt"
        path.write_text(body if body.endswith("\n") else body + "\n", encoding="utf-8", newline="\n")
        written.append(path)
    return written


def _safe_file_name(stem: str) -> str:
    return "".join(c if c.isalnum() or c in " ._-()" else "_" for c in stem).strip() or "dokument"
