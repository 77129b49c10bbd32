"""Detection: find identifiers in every document and store them as suggestions for review.

Earlier decisions take part as evidence, so a re-run keeps clusters, statuses and pseudonyms
where they were and only adds what is new.
"""

from __future__ import annotations

import bisect
import re
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
from codebench.domain.records import DocumentInfo, EntityRecord, MentionRecord, NewEntity, NewMention, TurnInfo
from codebench.errors import ServiceError
from codebench.services.anonymisation.access import pseudonym_key, require_reviewer, write_key
from codebench.services.anonymisation.header_names import header_people, header_texts, is_header_key
from codebench.services.anonymisation.state import RESIDUAL_READ, SEARCHED
from codebench.services.anonymisation.residual import form_digest, kept_digests
from codebench.services.anonymisation.scope import people_scope
from codebench.services.project import Project

Progress = Callable[[int, int], None]


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


# "jeg heter kari moen", also with a filler or two before the name ("jeg heter altså Bjørn Aas").
_SAYS_OWN_NAME = re.compile(
    r"(?<!\w)(?:jeg|eg|æ|e|i)[ ]+(?:heter|heiter|het)[ ,]+(?:(?:altså|da|egentlig|eigentleg|eh|ehm|ja|nå|no)[ ,]+){0,2}\Z",
    re.IGNORECASE)


def informant_roles(infos: Sequence[DocumentInfo], turns: dict[int, list[TurnInfo]],
                    texts: dict[int, str], clusters: Sequence[Cluster] | None = None) -> dict[str, tuple[int, str]]:
    """Speaker names that belong to the informant of a document -> (evidence, informant's role).

    In an individual interview the informant is the named speaker who talks most; in a group
    interview every named speaker except the one asking most questions (the moderator).  A
    header line naming the informant ("Informant: Solveig Brattbakk") outweighs both.  With the
    linked ``clusters``, a person the informant introduces as themselves ("jeg heter kari moen",
    in the turns of the speaker who talks most) is the informant too.
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
    # The informant saying their own name: "jeg heter kari moen" in the turns of the speaker who
    # talks most (labelled SPEAKER_01 in ASR, or named), in an individual interview.  The person
    # mentions are grouped by document once: a project has many documents and many mentions.
    persons: dict[int, list[tuple[Detection, Cluster]]] = defaultdict(list)
    for cluster in clusters or ():
        if cluster.kind == PER:
            for doc, det in cluster.mentions:
                persons[doc].append((det, cluster))
    for info in infos:
        if info.participant is None or (info.participant.attributes or {}).get("group") or not persons.get(info.id):
            continue
        spoken: Counter[str] = Counter()
        for turn in turns[info.id]:
            if turn.speaker:
                spoken[turn.speaker] += len(texts[info.id][turn.body_start:turn.end].split())
        if len(spoken) < 2:
            continue
        informant = spoken.most_common(1)[0][0]
        theirs = [(t.body_start, t.end) for t in turns[info.id] if t.speaker == informant]
        for det, cluster in persons[info.id]:
            if (_SAYS_OWN_NAME.search(texts[info.id], max(0, det.start - 40), det.start)
                    and any(s <= det.start < e for s, e in theirs)):
                for form in cluster.full_forms or cluster.forms:
                    roles[form] = max(roles.get(form, (0, "")), (2, info.participant.role))
    for info in infos:
        if info.participant is not None:
            for name, informant in header_people(info):
                if informant:
                    roles[normalise(name)] = max(roles.get(normalise(name), (0, "")), (3, info.participant.role))
    return roles


def detect(
    project: Project,
    *,
    use_model: bool = True,
    coder: str | None = None,
    progress: Progress | None = None,
    style: str | None = None,
    mask_public: bool = False,
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
        mask_public: suggest public places and bodies (countries, counties, large cities,
            national institutions) for masking like any place; by default they are stored as
            kept (decided "reject" by the policy), listed in review, and masked only on request.

    Raises:
        ServiceError: an unknown style, or a key file that cannot be read.
    """
    # Detection writes suggestions, which change what every rendition masks: a decision on the
    # anonymisation (a tester, kept from names, re-ran it and undid a finished review).
    require_reviewer(project, coder)
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
    # The people a header names are known names everywhere, and their full names take part in
    # linking (see header_names).
    header_text, header_dets = header_texts(infos)
    named = [(d.text, PER) for dets in header_dets.values() for d in dets]
    detections = detect_texts(texts, known_names=[*key.added_entries(), *named], speaker_labels=labels,
                              places=places, use_model=use_model, progress=progress)
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
    # A header's people belong to its document's series: with independent informants the
    # informant a header names is the one the interview calls by a given name.
    groups.update({f"header:{i.id}": groups.get(i.id, f"document:{i.id}") for i in infos})
    groups.update({i.id: f"document:{i.id}" for i in infos if i.id not in groups})
    clusters = link({**texts, **header_text}, {**detections, **header_dets}, groups=groups,
                    people=people_scope(project))
    for cluster in clusters:
        cluster.mentions = [(d, m) for d, m in cluster.mentions if not is_header_key(d)]
    # Words the researcher kept from the residual list ("not a name") are not suggested again.
    kept_forms = kept_digests(project)
    if kept_forms:
        for cluster in clusters:
            cluster.mentions = [(d, m) for d, m in cluster.mentions
                                if m.detector in ("manual", "known-name") or form_digest(m.text) not in kept_forms]
    clusters = [c for c in clusters if c.mentions]
    _grow_decided(project, clusters, existing)
    roles = informant_roles(infos, turns, texts, clusters)
    total = sum(len(d) for d in detections.values())
    named = {normalise(n["name"]): n["pseudonym"] for n in key.known_names
             if n.get("pseudonym") and not n.get("withdrawn")}
    new, kept = store_clusters(project, clusters, roles, style=style, coder=coder, searched=[i.sha256 for i in infos],
                               mask_public=mask_public, named=named)
    path = write_key(project)
    return DetectReport(len(texts), total, len(clusters), new, kept, time.perf_counter() - started, path)


def store_clusters(project: Project, clusters: Sequence[Cluster], roles: dict[str, tuple[int, str]], *,
                   style: str | None, coder: str | None, searched: Sequence[str] = (),
                   mask_public: bool = False, read_as: Sequence[tuple[str, str]] = (),
                   named: dict[str, str] | None = None) -> tuple[int, int]:
    """Store linked clusters as entities and suggested mentions, keeping what was decided before.

    A cluster joins the stored entity most of its known mentions belong to; otherwise it
    becomes a new entity with a fresh pseudonym. A mention overlapping one already stored is
    left out: the decided mention covers that text.

    ``searched`` are the text hashes of the documents this run searched: recorded in the same
    transaction, so the anonymisation state never counts a document as searched whose
    suggestions were not stored. ``read_as`` pairs an edited text's hash before and after the
    edit: a residual list read before a corrected turn stays read (the turn's words were searched).

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
        read = set(settings.get(RESIDUAL_READ, ()))
        if any(before in read for before, _ in read_as):
            settings[RESIDUAL_READ] = sorted(read | {after for before, after in read_as if before in read})
        repo.save_settings(settings)
        rows = repo.mentions()
        by_span = {(r.document_id, r.start, r.end): r for r in rows}
        occupied: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for r in rows:
            occupied[r.document_id].append((r.start, r.end))
        entities: dict[int, EntityRecord] = {e.id: e for e in repo.entities()}
        taken = repo.pseudonyms()  # a pseudonym renamed away is not given again
        all_forms = {f for c in clusters for f in c.forms}
        # First mention order makes numbering follow reading order across the project.
        ordered = sorted(clusters, key=lambda c: min((d, m.start) for d, m in c.mentions))
        fresh: list[NewEntity] = []
        # A pending mention names its entity by stored id, or by -(1 + index into fresh)
        # until the new entities have ids.
        pending: list[tuple[int, int, Detection, Cluster]] = []
        for cluster in ordered:
            votes = Counter(by_span[(d, m.start, m.end)].entity_id for d, m in cluster.mentions if (d, m.start, m.end) in by_span)
            entity = entities.get(votes.most_common(1)[0][0]) if votes else None
            if entity is None and named:
                # A name added by hand before the documents that say it: the pseudonym it was given.
                given = next((named[f] for f in sorted(cluster.forms) if f in named), None)
                entity = next((e for e in entities.values() if e.pseudonym == given), None) if given else None
            if entity is not None:
                ref = entity.id
            else:
                # By the full name where there is one: a nickname or a word one informant goes by
                # ("alle kaller meg bare storm") is no role of another person with that form.
                found = ([roles[f] for f in cluster.full_forms or cluster.forms if f in roles]
                         if cluster.kind == PER else [])
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
                pending.append((ref, doc, det, cluster))
                occupied[doc].append((det.start, det.end))
                new += 1
        # New entities get their ids at once, and the mentions go in as one bulk insert.
        fresh_ids = [e.id for e in repo.add_entities(fresh)] if fresh else []
        # Public places and bodies are kept by the policy unless asked otherwise: stored as
        # decided (rejected, detector "public"), so they show in review and never block it.
        public = {id(c) for c in clusters if c.public and not mask_public}
        repo.add_mentions([
            NewMention(doc, ref if ref >= 0 else fresh_ids[-ref - 1], det.start, det.end,
                       "rejected" if kept_public else "suggested",
                       "public" if kept_public else det.detector[:40], round(det.score, 3))
            for ref, doc, det, kept_public in ((r, d, m, id(c) in public) for r, d, m, c in pending)
        ])
        store.audit.log("anonymise_detect", coder, {"entities": len(clusters), "new": new})
    return new, kept


def detect_in_spans(project: Project, document_id: int, spans: Sequence[tuple[int, int]], *,
                    previous_sha256: str, coder: str | None = None, use_model: bool = True) -> int:
    """Find identifiers in some spans of one document only (the turns an edit changed).

    Runs only when detection had searched the document's text before the edit
    (``previous_sha256``): a document nobody searched stays "not searched" until a full run.
    The document's earlier decisions and the project's accepted names are evidence, so a name
    corrected into one already known joins that entity and its pseudonym.

    Returns:
        the number of new suggestions stored.
    """
    with project.transaction(write=False) as store:
        settings = store.anonymisation.settings()
        if previous_sha256 not in set(settings.get(SEARCHED, ())):
            return 0
        info = store.documents.infos([document_id])[0]
        text = store.documents.text(document_id)
        turns = store.documents.turns(document_id)
        existing = store.anonymisation.mentions()
        other_ids = {m.document_id for m in existing if m.document_id != document_id and m.status in ("manual", "accepted")}
        others = store.documents.texts(other_ids) if other_ids else {}
    key = pseudonym_key(project)
    # Only the chosen spans are read: everything else is blanked to spaces of the same length,
    # so offsets stay those of the document.
    keep = bytearray(len(text))
    for start, end in spans:
        keep[start:end] = b"\x01" * (end - start)
    masked = "".join(ch if keep[i] else (ch if ch == "\n" else " ") for i, ch in enumerate(text))
    labels = {n: [t.speaker for t in turns if t.speaker] for n in range(len(spans))}
    # The detectors read the chosen spans alone (a turn, not the whole transcript).
    found = detect_texts({n: text[start:end] for n, (start, end) in enumerate(spans)},
                         known_names=key.added_entries(), speaker_labels=labels, use_model=use_model)
    detections: dict[int, list[Detection]] = {document_id: [
        det._replace(start=det.start + spans[n][0], end=det.end + spans[n][0])
        for n, dets in found.items() for det in dets]}
    for row in existing:
        if row.status in ("manual", "accepted"):
            source = text if row.document_id == document_id else others.get(row.document_id, "")
            detections.setdefault(row.document_id, []).append(
                Detection(row.start, row.end, row.kind, "manual" if row.status == "manual" else row.detector,
                          1.0, source[row.start:row.end]))
    # Other documents take part as evidence only: their texts are not searched again.
    texts = {doc: (masked if doc == document_id else "") for doc in detections}
    groups = {info.id: info.participant.pid} if info.participant is not None else {}
    clusters = link(texts, detections, groups=groups, people=people_scope(project))
    stored = {(r.document_id, r.start, r.end) for r in existing}
    for cluster in clusters:
        cluster.mentions = [(d, m) for d, m in cluster.mentions
                            if d != document_id or (d, m.start, m.end) in stored
                            or any(s <= m.start and m.end <= e for s, e in spans)]
    _make_room(project, document_id, spans, clusters, existing)
    # The informant's role names a new person's pseudonym; this document says enough for that.
    roles = informant_roles([info], {document_id: turns}, {document_id: text})
    new, _kept = store_clusters(project, clusters, roles, style=None, coder=coder, searched=[info.sha256],
                                read_as=[(previous_sha256, info.sha256)])
    if new:
        write_key(project)
    return new


def _grow_decided(project: Project, clusters: Sequence[Cluster], existing: Sequence[MentionRecord]) -> None:
    """A decided mention (accepted, or added by hand) that a new finding of the same kind
    contains grows to the whole finding, keeping its decision: a surname added by hand before
    detection ran ("bakke") must not leave the given names of "per olav bakke" unmasked because
    a stored mention blocks any new one over its words.  Masking only widens."""
    by_doc: dict[int, list[MentionRecord]] = defaultdict(list)
    for row in existing:
        by_doc[row.document_id].append(row)
    for rows in by_doc.values():
        rows.sort(key=lambda r: r.start)
    starts = {doc: [r.start for r in rows] for doc, rows in by_doc.items()}
    grown: list[tuple[int, int, int, str]] = []
    taken: set[int] = set()
    for cluster in clusters:
        for doc, det in cluster.mentions:
            rows = by_doc.get(doc)
            if not rows:
                continue
            # Stored mentions starting before the finding ends, and ending after it starts.
            k = bisect.bisect_left(starts[doc], det.end)
            under = [r for r in rows[max(0, k - 32):k] if r.end > det.start]
            if (len(under) == 1 and under[0].id not in taken and under[0].status in ("accepted", "manual")
                    and under[0].kind == det.kind and det.start <= under[0].start and under[0].end <= det.end
                    and (det.start, det.end) != (under[0].start, under[0].end)):
                grown.append((under[0].id, det.start, det.end, under[0].status))
                taken.add(under[0].id)
    if grown:
        with project.transaction() as store:
            store.anonymisation.move_mentions(grown)


def _make_room(project: Project, document_id: int, spans: Sequence[tuple[int, int]], clusters: Sequence[Cluster],
               existing: Sequence[MentionRecord]) -> None:
    """Let what was found in edited words take the place of the mentions it grows out of.

    A stored mention blocks any new one over its words, which is right for a re-run but not
    after an edit that lengthened a name ("Terje" corrected to "Terje Mohn"): the surname would
    stay unmasked. So inside the edited spans an open suggestion covered by a new finding gives
    way to it, and an accepted (or hand-made) one the finding contains grows to cover the whole
    name, keeping its decision: masking only widens.
    """
    here = [r for r in existing if r.document_id == document_id and any(s <= r.start and r.end <= e for s, e in spans)]
    stored = {(r.start, r.end) for r in here}
    gone: list[int] = []
    grown: list[tuple[int, int, int, str]] = []
    for cluster in clusters:
        for doc, det in cluster.mentions:
            if doc != document_id or (det.start, det.end) in stored:
                continue
            under = [r for r in here if r.start < det.end and det.start < r.end and r.id not in gone]
            if not under:
                continue
            if all(r.status == "suggested" for r in under):
                gone += [r.id for r in under]
            elif (len(under) == 1 and under[0].status in ("accepted", "manual")
                  and det.start <= under[0].start and under[0].end <= det.end):
                grown.append((under[0].id, det.start, det.end, under[0].status))
                stored.add((det.start, det.end))
    if gone or grown:
        with project.transaction() as store:
            store.anonymisation.delete_mentions(gone)
            store.anonymisation.move_mentions(grown)
