"""Detection: find identifiers in every document and store them as suggestions for review.

Earlier decisions take part as evidence, so a re-run keeps clusters, statuses and pseudonyms
where they were and only adds what is new.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from codebench.anonymise.detections import DIRECT_KINDS, PER, STYLES, Detection
from codebench.anonymise.gazetteer import looks_like_name
from codebench.anonymise.linking import Cluster, link, normalise
from codebench.anonymise.pipeline import detect_texts
from codebench.anonymise.pseudonyms import new_pseudonym
from codebench.domain.records import DocumentInfo, EntityRecord, NewEntity, NewMention, TurnInfo
from codebench.errors import ServiceError
from codebench.services.anonymisation.access import pseudonym_key, write_key
from codebench.services.project import Project

Progress = Callable[[int, int], None]

SEARCHED = "searched"
"""Anonymisation setting: the SHA-256 of every document text detection has searched.

By text, not by document id, so that it survives a merge into a team project (documents are
matched by hash there) and a corrected transcript counts as not searched until detection runs.
"""


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


def informant_roles(infos: Sequence[DocumentInfo], turns: dict[int, list[TurnInfo]],
                    texts: dict[int, str]) -> dict[str, tuple[int, str]]:
    """Speaker names that belong to the informant of a document -> (evidence, informant's role).

    In an individual interview the informant is the named speaker who talks most; in a group
    interview every named speaker except the one asking most questions (the moderator).
    """
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
    project: Project,
    *,
    use_model: bool = True,
    coder: str | None = None,
    progress: Progress | None = None,
    style: str | None = None,
) -> DetectReport:
    """Find identifiers in every document and store them as suggestions.

    Earlier decisions are kept: a mention found again keeps its status and entity, mentions
    decided before and not found now stay, and entities keep their pseudonyms.

    Args:
        project: the project to search.
        use_model: run the NER model besides the rules and name lists.
        coder: who ran the detection (for the audit log).
        progress: called with (documents done, documents in all).
        style: pseudonym style of new entities (one of ``STYLES``); the project's last one when None.

    Raises:
        ServiceError: an unknown style, or a key file that cannot be read.
    """
    started = time.perf_counter()
    key = pseudonym_key(project)
    # One read transaction for every text and turn: a transaction per document cost more than
    # the rules and the lexicon together.
    with project.transaction(write=False) as store:
        infos = store.documents.infos()
        texts = store.documents.texts([i.id for i in infos]) if infos else {}
        turns = {i.id: store.documents.turns(i.id) for i in infos}
    labels = {i: [t.speaker for t in turns[i] if t.speaker] for i in texts}
    # The sites of the participants are places by the project's own word.
    places = {i.participant.site for i in infos if i.participant is not None and i.participant.site}
    detections = detect_texts(texts, known_names=key.added_names(), speaker_labels=labels, places=places,
                              use_model=use_model, progress=progress)
    with project.transaction(write=False) as store:
        existing = store.anonymisation.mentions()
    # Decisions already taken join linking as evidence, so clusters stay where they were.
    for row in existing:
        if row.status in ("manual", "accepted"):
            text = texts.get(row.document_id, "")
            detections.setdefault(row.document_id, []).append(
                Detection(row.start, row.end, row.kind, "manual" if row.status == "manual" else row.detector,
                          1.0, text[row.start:row.end]))
    groups = {i.id: i.participant.pid for i in infos if i.participant is not None}
    clusters = link(texts, detections, groups=groups)
    roles = informant_roles(infos, turns, texts)
    total = sum(len(d) for d in detections.values())
    new, kept = store_clusters(project, clusters, roles, style=style, coder=coder, searched=[i.sha256 for i in infos])
    path = write_key(project)
    return DetectReport(len(texts), total, len(clusters), new, kept, time.perf_counter() - started, path)


def store_clusters(project: Project, clusters: Sequence[Cluster], roles: dict[str, tuple[int, str]], *,
                   style: str | None, coder: str | None, searched: Sequence[str] = ()) -> tuple[int, int]:
    """Store linked clusters as entities and suggested mentions, keeping what was decided before.

    A cluster joins the stored entity most of its known mentions belong to; otherwise it
    becomes a new entity with a fresh pseudonym. A mention overlapping one already stored is
    left out: the decided mention covers that text.

    ``searched`` are the text hashes of the documents this run searched: recorded in the same
    transaction, so the anonymisation state never counts a document as searched whose
    suggestions were not stored.

    Returns:
        (mentions added, mentions found again).
    """
    new = kept = 0
    with project.transaction(write=True) as store:
        repo = store.anonymisation
        settings = repo.settings()
        style = style or settings.get("style", "labels")
        if style not in STYLES:
            raise ServiceError(f"unknown pseudonym style {style!r}; choose from {', '.join(STYLES)}")
        settings["style"] = style
        settings[SEARCHED] = sorted({*settings.get(SEARCHED, ()), *searched})
        repo.save_settings(settings)
        rows = repo.mentions()
        by_span = {(r.document_id, r.start, r.end): r for r in rows}
        occupied: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for r in rows:
            occupied[r.document_id].append((r.start, r.end))
        entities: dict[int, EntityRecord] = {e.id: e for e in repo.entities()}
        taken = {e.pseudonym for e in entities.values()}
        all_forms = {f for c in clusters for f in c.forms}
        # First mention order makes numbering follow reading order across the project.
        ordered = sorted(clusters, key=lambda c: min((d, m.start) for d, m in c.mentions))
        fresh: list[NewEntity] = []
        # A pending mention names its entity by stored id, or by -(1 + index into fresh)
        # until the new entities have ids.
        pending: list[tuple[int, int, Detection]] = []
        for cluster in ordered:
            votes = Counter(by_span[(d, m.start, m.end)].entity_id for d, m in cluster.mentions if (d, m.start, m.end) in by_span)
            entity = entities.get(votes.most_common(1)[0][0]) if votes else None
            if entity is not None:
                ref = entity.id
            else:
                found = [roles[f] for f in cluster.forms if f in roles] if cluster.kind == PER else []
                role = max(found)[1] if found else None
                pseudonym = new_pseudonym(cluster.key, cluster.kind, cluster.forms, taken, style=style, role=role,
                                          avoid=all_forms)
                taken.add(pseudonym)
                fresh.append(NewEntity(cluster.kind, pseudonym, cluster.kind in DIRECT_KINDS))
                ref = -len(fresh)
            for doc, det in cluster.mentions:
                if (doc, det.start, det.end) in by_span:
                    kept += 1
                    continue
                if any(s < det.end and det.start < e for s, e in occupied[doc]):
                    continue  # a decided mention already covers part of this text
                pending.append((ref, doc, det))
                occupied[doc].append((det.start, det.end))
                new += 1
        # New entities get their ids at once, and the mentions go in as one bulk insert.
        fresh_ids = [e.id for e in repo.add_entities(fresh)] if fresh else []
        repo.add_mentions([
            NewMention(doc, ref if ref >= 0 else fresh_ids[-ref - 1], det.start, det.end, "suggested",
                       det.detector[:40], round(det.score, 3))
            for ref, doc, det in pending
        ])
        store.audit.log("anonymise_detect", coder, {"entities": len(clusters), "new": new})
    return new, kept
