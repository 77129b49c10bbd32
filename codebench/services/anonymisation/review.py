"""Review: the entities and mentions detection found, and the decisions taken on them.

Every decision rewrites the pseudonym key, so the key always matches what the project holds.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

from codebench.anonymise.detections import DIRECT_KINDS, KINDS, LOC, ORG, PER, Detection, split_at_line_breaks
from codebench.anonymise.gazetteer import (
    is_generic_label, lexicon,
    NOT_NAMES, find_name_parts, find_names, in_subject_position, is_also_a_word, is_caseless, is_common_word, own_name_parts,
    reads_as_person, with_definite_forms,
)
from codebench.anonymise.linking import FUNCTION_WORDS, normalise
from codebench.anonymise.pipeline import DEFAULT_THRESHOLD, REVIEW_ONLY
from codebench.anonymise.pseudonyms import next_label
from codebench.domain.records import DocumentInfo, EntityRecord, MentionRecord, NewEntity, NewMention
from codebench.errors import ServiceError
from codebench.services.anonymisation.access import pseudonym_key, require_reviewer, write_key
from codebench.services.anonymisation.renditions import anonymised_names
from codebench.services.anonymisation.state import anonymisation_state
from codebench.services.documents import find_document, list_documents
from codebench.services.project import Project
from codebench.services.anonymisation.residual import KEPT, _digest
from codebench.storage.anonymisation import MentionSnapshot
from codebench.storage.store import Store

STATUSES = ("suggested", "accepted", "rejected", "manual")
DECISIONS = {"accept": "accepted", "reject": "rejected"}


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

    def lone_name_documents(self) -> list[tuple[str, list[int]]]:
        """Documents in which this person is named only by one word, while another document
        names them in full: (document, its mention ids). Linking joined a "kari" to the one
        Kari Nordmann of the project; where the informants do not share the people they speak
        of, she may be someone else (``anonymise split``). Empty without mentions loaded."""
        if self.kind != PER:
            return []
        by_doc: dict[int, list[MentionView]] = {}
        for mention in self.mentions:
            if mention.status != "rejected":
                by_doc.setdefault(mention.document_id, []).append(mention)
        full = {doc for doc, ms in by_doc.items() if any(len(m.text.split()) > 1 for m in ms)}
        if not full:
            return []
        return [(ms[0].document, [m.id for m in ms]) for doc, ms in sorted(by_doc.items()) if doc not in full]


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


def find_entity(store: Store, ref: str | int) -> EntityRecord:
    """An entity by id or pseudonym (with or without brackets), inside an open transaction.

    Raises:
        ServiceError: no such entity.
    """
    if isinstance(ref, int) or str(ref).isdigit():
        found = store.anonymisation.entity_by_id(int(ref))
    else:
        wanted = str(ref).strip()
        if not wanted.startswith("["):
            wanted = f"[{wanted}]"
        found = store.anonymisation.entity_by_pseudonym(wanted)
    if found is None:
        raise ServiceError(f"no anonymisation entity {ref!r}; list them with `codebench anonymise PROJECT --list`")
    return found


def entities(
    project: Project,
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

    Args:
        project: the project.
        kinds: only entities of these kinds.
        status: only entities with at least one mention of this status.
        with_mentions: include every mention with ``context`` characters either side.
        context: characters of original text shown before and after a mention.
        document: only mentions in this document.
        entity: only this entity.

    Raises:
        ServiceError: no such document or entity.
    """
    with project.transaction(write=False) as store:
        doc_ids = [find_document(store, document).id] if document is not None else None
        rows = store.anonymisation.mentions(doc_ids)
        if entity is not None:
            wanted = find_entity(store, entity).id
            rows = [r for r in rows if r.entity_id == wanted]
        texts = store.documents.texts({r.document_id for r in rows}) if rows else {}
        names = {i.id: i.name for i in store.documents.infos(list(texts))} if texts else {}
        ents = {e.id: e for e in store.anonymisation.entities()}
    grouped: dict[int, list[MentionRecord]] = defaultdict(list)
    for r in rows:
        grouped[r.entity_id].append(r)
    views: list[EntityView] = []
    for entity_id, mentions in grouped.items():
        found = ents[entity_id]
        if kinds and found.kind not in kinds:
            continue
        counts = Counter(m.status for m in mentions)
        if status and not counts.get(status):
            continue
        # Its names are those of the mentions still its own: a word rejected in every mention
        # ("kjente" of "ante kjente", a tester's) is no longer one of them.
        standing = [m for m in mentions if m.status != "rejected"] or mentions
        forms = Counter(" ".join(texts[m.document_id][m.start:m.end].split()) for m in standing)
        shown = tuple(
            MentionView(m.id, m.document_id, names[m.document_id], m.start, m.end, m.status, m.detector, m.score,
                        texts[m.document_id][max(0, m.start - context):m.start].replace("\n", " "),
                        texts[m.document_id][m.start:m.end],
                        texts[m.document_id][m.end:m.end + context].replace("\n", " "))
            for m in mentions
        ) if with_mentions else ()
        views.append(EntityView(found.id, found.kind, found.pseudonym, found.direct,
                                tuple(f for f, _ in forms.most_common()), dict(counts),
                                len({m.document_id for m in mentions}), max(m.score for m in mentions), shown))
    # (numbers in pseudonyms in their order: "[Person 6]" had stood between 69 and 70)
    views.sort(key=lambda v: (not v.direct, v.kind, -sum(v.statuses.values()),
                              [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", v.pseudonym)]))
    return views


def decide(
    project: Project,
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

    Raises:
        ServiceError: an unknown decision, nothing named to decide on, or no such entity.
    """
    status = DECISIONS.get(decision, decision)
    if status not in ("accepted", "rejected"):
        raise ServiceError(f"unknown decision {decision!r}; use accept or reject")
    if entity is None and not mentions:
        raise ServiceError("say which entity or mentions to decide on")
    require_reviewer(project, coder)
    now = datetime.now(timezone.utc)
    with project.transaction(write=True) as store:
        entity_id = find_entity(store, entity).id if entity is not None else None
        movable: tuple[str, ...] | None = None
        if not mentions and not everything:
            movable = ("suggested",) if status == "accepted" else ("suggested", "accepted")
        before = store.anonymisation.change_status(status, decided_by=coder, at=now, entity_id=entity_id,
                                                   mention_ids=list(mentions) if mentions else None,
                                                   from_statuses=movable)
        changed = sum(len(ids) for ids in before.values())
        sayings: list[MentionSnapshot] = []
        if status == "accepted" and entity_id is not None and not mentions:
            sayings = _mask_other_sayings(store, entity_id, coder=coder, at=now)
        changed += len(sayings)
        # Ids and statuses only: what undo needs, and nothing of the original text.
        store.audit.log("anonymise_accept" if status == "accepted" else "anonymise_reject", coder, {
            "entity": entity_id, "mentions": len(mentions), "changed": changed, "status": status,
            "before": before, "sayings": sayings,
            "pseudonyms": _pseudonyms_of(store, [i for ids in before.values() for i in ids] + [m["id"] for m in sayings])})
    write_key(project)
    return changed


def _pseudonyms_of(store: Store, mention_ids: Sequence[int]) -> list[str]:
    """The pseudonyms of the entities these mentions belong to (for the undo message)."""
    entity_ids = {snap["entity_id"] for snap in store.anonymisation.mention_snapshots(mention_ids)}
    return sorted(e.pseudonym for e in map(store.anonymisation.entity_by_id, entity_ids) if e is not None)


@dataclass(frozen=True)
class AutoAcceptPreview:
    """What auto-accept would accept now: mentions and entities, in all and per kind."""

    threshold: float
    mentions: int
    entities: int
    by_kind: dict[str, tuple[int, int]]
    """kind -> (mentions, entities), most mentions first."""


def auto_accept_preview(project: Project, *, threshold: float = DEFAULT_THRESHOLD) -> AutoAcceptPreview:
    """How many open suggestions (of how many entities, of which kinds) :func:`auto_accept` would accept."""
    with project.transaction(write=False) as store:
        rows = store.anonymisation.open_scored(threshold, except_kinds=REVIEW_ONLY)
    mentions: Counter[str] = Counter(kind for _, _, kind in rows)
    entities: dict[str, set[int]] = defaultdict(set)
    for _, entity_id, kind in rows:
        entities[kind].add(entity_id)
    by_kind = {k: (n, len(entities[k])) for k, n in sorted(mentions.items(), key=lambda kv: (-kv[1], kv[0]))}
    return AutoAcceptPreview(threshold, len(rows), len({e for _, e, _ in rows}), by_kind)


def auto_accept(project: Project, *, threshold: float = DEFAULT_THRESHOLD, coder: str | None = None) -> int:
    """Accept every open suggestion scored at or above ``threshold`` (never review-only kinds).

    The audit entry names every mention accepted, so undo takes back exactly these.

    Returns:
        how many suggestions were accepted.
    """
    require_reviewer(project, coder)
    now = datetime.now(timezone.utc)
    with project.transaction(write=True) as store:
        rows = store.anonymisation.open_scored(threshold, except_kinds=REVIEW_ONLY)
        before = store.anonymisation.change_status("accepted", decided_by=coder or "auto", at=now,
                                                   mention_ids=[m for m, _, _ in rows], from_statuses=("suggested",))
        accepted = sum(len(ids) for ids in before.values())
        if not accepted:
            # Nothing to undo: an entry here would stand before the auto-accept that did accept
            # (a second --auto after a detection that found nothing new; ctrl+z then undid nothing).
            return 0
        store.audit.log("anonymise_auto", coder, {
            "threshold": threshold, "accepted": accepted, "entities": len({e for _, e, _ in rows}),
            "kinds": dict(Counter(k for _, _, k in rows)), "status": "accepted", "before": before})
    write_key(project)
    return accepted


def rename_entity(project: Project, entity: str | int, pseudonym: str, *, coder: str | None = None) -> str:
    """Give an entity another pseudonym (brackets are added so it stays visibly marked).

    Returns:
        the new, bracketed pseudonym.

    Raises:
        ServiceError: an empty pseudonym, one another entity has, or no such entity.
    """
    pseudonym = " ".join(pseudonym.split()).strip("[]")
    if not pseudonym:
        raise ServiceError("a pseudonym cannot be empty")
    require_reviewer(project, coder)
    marked = f"[{pseudonym}]"
    _refuse_identifying_pseudonym(project, pseudonym)
    with project.transaction(write=True) as store:
        found = find_entity(store, entity)
        if store.anonymisation.pseudonym_taken(marked, other_than=found.id):
            raise ServiceError(f"{marked} is already the pseudonym of another entity; if they are one, "
                               f"join them: codebench anonymise join PROJECT '{marked}' '{found.pseudonym}'")
        store.anonymisation.rename(found.id, marked)
        if found.pseudonym != marked:
            store.anonymisation.retire_pseudonym(found.pseudonym)
        # A chosen pseudonym is one unit: a mention of the given name alone shows it whole too.
        was_chosen = store.anonymisation.set_chosen(found.id, True)
        store.audit.log("anonymise_rename", coder, {"entity": found.id, "before": found.pseudonym, "after": marked,
                                                    "was_chosen": was_chosen})
    write_key(project)
    return marked


def _refuse_identifying_pseudonym(project: Project, pseudonym: str) -> None:
    """A pseudonym must not carry what it hides: a tester renamed an entity "Veileder Vardø", a
    place the project masks, and every rendition would have printed it. Refused when a word of
    it is a word the project masks (or suggests masking) anywhere; the message does not say
    which word, to stay free of originals itself."""
    words = {w.casefold() for w in re.findall(r"[^\W\d_]{3,}", pseudonym)}
    if not words:
        return
    with project.transaction(write=False) as store:
        rows = [r for r in store.anonymisation.mentions() if r.status != "rejected"]
        texts = store.documents.texts(sorted({r.document_id for r in rows})) if rows else {}
    for r in rows:
        masked = {w.casefold() for w in re.findall(r"[^\W\d_]{3,}", texts.get(r.document_id, "")[r.start:r.end])}
        if words & masked:
            raise ServiceError("the pseudonym holds a word the project masks as an identifier: "
                               "choose one that names a role or a number only ('Kollega 1')")


def join_entities(project: Project, keep: str | int, other: str | int, *, coder: str | None = None) -> tuple[str, int]:
    """Make two entities one: every mention of ``other`` becomes a mention of ``keep``, under its
    pseudonym and kind, and ``other`` goes ("Solvei Dal" found as a place, "Greg" apart from
    Grzegorz Nowak).  Statuses stay as they were; undo takes the join back.

    Returns:
        the kept pseudonym and the number of mentions it took over.

    Raises:
        ServiceError: no such entity, or the same entity twice.
    """
    require_reviewer(project, coder)
    with project.transaction(write=True) as store:
        kept, gone = find_entity(store, keep), find_entity(store, other)
        if kept.id == gone.id:
            raise ServiceError(f"{kept.pseudonym} is already one entity")
        repo = store.anonymisation
        ids = repo.mention_ids_of(gone.id)
        snapshot = repo.entity_snapshot(gone.id)
        # The joined entity stays, without mentions: its pseudonym is never given to anyone else,
        # and undo gives the mentions back to it.
        repo.reassign(ids, kept.id)
        # The joined forms where no detector marked them ("mugge" joined into Magnus: six more).
        sayings = _mask_other_sayings(store, kept.id, coder=coder, at=datetime.now(timezone.utc))
        # Ids only, as every anonymisation entry: nothing of the original text.
        store.audit.log("anonymise_join", coder, {"entity": kept.id, "other": snapshot, "mentions": ids,
                                                  "sayings": sayings, "pseudonyms": [kept.pseudonym, gone.pseudonym]})
    write_key(project)
    return kept.pseudonym, len(ids)


def split_mentions(project: Project, mentions: Sequence[int], *, coder: str | None = None) -> str:
    """Give mentions linking put in the wrong entity an entity of their own: "Min mann, Abdi"
    (her husband) out of Abdirahman Warsame.  Same kind, the next free pseudonym; statuses stay;
    undo takes the split back.

    Returns:
        the new entity's pseudonym.

    Raises:
        ServiceError: no mentions named, a mention not in this project, or mentions of two entities.
    """
    require_reviewer(project, coder)
    if not mentions:
        raise ServiceError("name the mentions to split off (--mention ID, as --list shows them)")
    with project.transaction(write=True) as store:
        repo = store.anonymisation
        snaps = repo.mention_snapshots(mentions)
        if len(snaps) != len(set(mentions)):
            raise ServiceError("no such mention in this project; list them with --list --mentions 0")
        owners = {s["entity_id"] for s in snaps}
        if len(owners) != 1:
            raise ServiceError("the mentions belong to different entities: split them off one entity at a time")
        old = repo.entity_by_id(owners.pop())
        (new,) = repo.add_entities([NewEntity(old.kind, next_label(old.kind, repo.pseudonyms()), old.direct)])
        ids = sorted(set(mentions))
        repo.reassign(ids, new.id)
        store.audit.log("anonymise_split", coder, {"entity": old.id, "created": repo.entity_snapshot(new.id),
                                                   "mentions": ids, "pseudonyms": [old.pseudonym, new.pseudonym]})
    write_key(project)
    return new.pseudonym


def retype_entity(project: Project, entity: str | int, kind: str, *, coder: str | None = None) -> str:
    """Make an entity another kind of identifier: a place the model took for a person ("[Person 35]"
    that is Øyer) becomes a place, a person found as a workplace a person.  Its mentions go to a new
    entity of that kind under the next free pseudonym ("[Sted 12]"), statuses as they were; the old
    entity stays, empty, so its pseudonym is never given to anyone else.  Undo takes it back.

    Returns:
        the new pseudonym.

    Raises:
        ServiceError: an unknown kind, no such entity, or an entity that is that kind already.
    """
    if kind not in KINDS:
        raise ServiceError(f"unknown kind {kind!r}; choose from {', '.join(sorted(KINDS))}")
    require_reviewer(project, coder)
    with project.transaction(write=True) as store:
        repo = store.anonymisation
        old = find_entity(store, entity)
        if old.kind == kind:
            raise ServiceError(f"{old.pseudonym} is a {kind} already")
        ids = repo.mention_ids_of(old.id)
        (new,) = repo.add_entities([NewEntity(kind, next_label(kind, repo.pseudonyms()), kind in DIRECT_KINDS)])
        repo.reassign(ids, new.id)
        # The split's shape (undo gives the mentions back; redo brings the new entity back).
        store.audit.log("anonymise_retype", coder, {"entity": old.id, "created": repo.entity_snapshot(new.id),
                                                    "mentions": ids, "pseudonyms": [old.pseudonym, new.pseudonym],
                                                    "kinds": [old.kind, kind]})
    write_key(project)
    return new.pseudonym


def add_name(project: Project, name: str, *, kind: str = PER, coder: str | None = None) -> tuple[str, int]:
    """Add a name the detectors missed: every occurrence in every document becomes a manual
    mention, and the name is kept in the key so documents imported later are searched too.

    Returns:
        the entity's pseudonym and the number of mentions marked.

    Raises:
        ServiceError: a name shorter than two characters, or an unknown kind.
    """
    name = " ".join(name.split())
    if len(name) < 2:
        raise ServiceError("a name needs at least two characters")
    if kind not in KINDS:
        raise ServiceError(f"unknown kind {kind!r}; choose from {', '.join(sorted(KINDS))}")
    require_reviewer(project, coder)
    known, added, withdrawn = _known_with(pseudonym_key(project).known_names, name, kind)
    with project.transaction(write=False) as store:
        texts = store.documents.texts()
    # A workplace or place is also said in its definite form ("Fjordkjøkkenet").
    forms = with_definite_forms(name) if kind in (ORG, LOC) else [name]
    hits = {doc: find_names(text, forms, kind=kind, detector="manual", score=1.0) for doc, text in texts.items()}
    target = None
    if kind == PER:
        hits, target = _with_own_parts(project, texts, hits, name)
        if target is None and " " not in normalise(name):
            # A word of one person's full name in every document it is added in: that person's.
            owners = {_person_named_here(project, doc, texts[doc], normalise(name)) for doc, found in hits.items() if found}
            target = owners.pop() if len(owners) == 1 else None
        if target is None and " " not in normalise(name):
            # A piece of a misheard name beside one masked person wherever it stands beside one
            # ("[abdi] rahman farah"): that person's, as one mention with it. A tester's + on
            # "rahman" and "farah" had given one man three pseudonyms.
            hits, target = _joined_to_the_person_beside(project, texts, hits)
    pseudonym, count = _mark_manual(project, hits, kind, normalise(name), coder, entity=target, inside_masked=False,
                                    key_names={"added": added, "withdrawn": withdrawn})
    # The key remembers the pseudonym the name was given, so that a document imported later
    # gives its mentions that pseudonym (a researcher's list given before the import announced
    # pseudonyms that detection then did not use).
    for entry in known:
        if entry["entry"] in added or (normalise(entry["name"]) == normalise(name) and not entry.get("withdrawn")):
            entry["pseudonym"] = pseudonym
    write_key(project, known_names=known)
    return pseudonym, count


def _mask_other_sayings(store: Store, entity_id: int, *, coder: str | None, at: datetime) -> list[MentionSnapshot]:
    """Mask an accepted entity's distinctive forms where no detector marked them, in the
    documents that name it: its full names, its words that are no ordinary word, and a surname
    that is also a word where the sentence makes it a person.

    A tester accepted Stig Rune Hatten and still read "og hatten han e" in the masked view. The
    sayings are taken with the reviewer's decision on the entity (accepted, by that reviewer), so
    that an entity just accepted is not open again; the audit entry of the accept or join holds
    their rows, so undo removes them and redo brings them back. Each stays a mention of its own
    in the review, to be rejected one by one ("hatten" that is a hat after all).

    Returns:
        the rows of the mentions added (ids and offsets, no text).
    """
    repo = store.anonymisation
    rows = repo.mentions()
    own = [r for r in rows if r.entity_id == entity_id and r.status in ("accepted", "manual", "suggested")]
    if not any(r.status in ("accepted", "manual") for r in own):
        return []  # only an entity someone accepted vouches for its forms
    kind = own[0].kind
    docs = sorted({r.document_id for r in own})
    texts = store.documents.texts(docs)
    said = {normalise(texts[r.document_id][r.start:r.end]) for r in own}
    # Not a word the reviewer kept from the residual list as no name, nor one that is also an
    # ordinary word ("stein": a tester's join masked "bera stein ned", rocks, after a keep).
    kept = set(store.anonymisation.settings().get(KEPT, ()))
    forms = {f for f in said if " " in f or (len(f) >= 4 and not is_common_word(f) and not is_also_a_word(f)
                                             and f not in NOT_NAMES and _digest(f) not in kept)}
    # A surname that is also a word ("hatten" of Stig Rune Hatten) only where the sentence makes
    # it a person: "og hatten han e en sånn kar", not "tar med hatten sin".
    worded = {f.split()[-1] for f in said if " " in f and kind == PER} - forms
    # (never a word of grammar a detector ran the name on into: "petrauskas men" had masked
    # "sånn men han" when a tester joined its entity)
    worded = {w for w in worded if len(w) >= 3 and w not in NOT_NAMES and w not in FUNCTION_WORDS
              and _digest(w) not in kept}
    if not forms and not worded:
        return []
    taken: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for r in rows:
        taken[r.document_id].append((r.start, r.end))
    new = []
    for doc in docs:
        text = texts[doc]
        hits = find_names(text, sorted(forms), kind=kind, detector="linked", score=0.6) if forms else []
        if worded and is_caseless(text):
            hits += [h for h in find_names(text, sorted(worded), kind=kind, detector="linked", score=0.6)
                     if in_subject_position(text, h.start, h.end) or reads_as_person(text, h.start, h.end)]
        for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
            if not any(s < hit.end and hit.start < e for s, e in taken[doc]):
                new.append(NewMention(doc, entity_id, hit.start, hit.end, "suggested", "linked", 0.6))
                taken[doc].append((hit.start, hit.end))
    if not new:
        return []
    repo.add_mentions(new)
    wanted = {(m.document_id, m.start, m.end) for m in new}
    ids = [r.id for r in repo.mentions() if r.entity_id == entity_id and (r.document_id, r.start, r.end) in wanted]
    repo.change_status("accepted", decided_by=coder, at=at, mention_ids=ids)
    return repo.mention_snapshots(ids)


def _known_with(known: list[dict[str, Any]], name: str, kind: str) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """The key's added names with ``name`` (of ``kind``) in force, and which entries that took.

    Entries carry an id and are withdrawn rather than removed, so that undo and redo can switch
    them by id: the audit log must never hold the name itself.

    Returns:
        the new list, the ids of entries put in force, and the ids of entries withdrawn.
    """
    entries = [{**n, "entry": n.get("entry") or str(uuid.uuid4())} for n in known]
    same = [n for n in entries if normalise(n["name"]) == normalise(name) and not n.get("withdrawn")]
    if any(n.get("kind") == kind for n in same):
        return entries, [], []  # already searched for: nothing for undo to take back
    for n in same:
        n["withdrawn"] = True  # the same name of another kind: this one replaces it
    entries.append({"name": name, "kind": kind, "entry": str(uuid.uuid4())})
    return entries, [entries[-1]["entry"]], [n["entry"] for n in same]


def switch_key_names(project: Project, *, restore: Sequence[str] = (), withdraw: Sequence[str] = ()) -> None:
    """Put added names back in force or withdraw them, by entry id (undo and redo of add)."""
    if not restore and not withdraw:
        return
    known = [dict(n) for n in pseudonym_key(project).known_names]
    for entry in known:
        if entry.get("entry") in withdraw:
            entry["withdrawn"] = True
        elif entry.get("entry") in restore:
            entry.pop("withdrawn", None)
    write_key(project, known_names=known)


def add_mention(project: Project, document: str | int, start: int, end: int, *, kind: str | None = PER,
                entity: str | int | None = None, coder: str | None = None) -> str:
    """Mark one span by hand (the workbench's "anonymise this" on a selection).

    A span that holds a masked mention and more ("[Adresse 4] hundreogtre" selected) lengthens
    that mention: the longer span is the same entity's, when the kinds agree or ``kind`` is None
    (the workbench's plain "mark": a name, or the kind of what it lengthens).

    Returns:
        the pseudonym of the entity the span now belongs to.

    Raises:
        ServiceError: no such document or entity, or a span outside the document.
    """
    require_reviewer(project, coder)
    with project.transaction(write=False) as store:
        doc_id = find_document(store, document).id
        text = store.documents.text(doc_id)
    if not 0 <= start < end <= len(text):
        raise ServiceError(f"span {start}-{end} is outside the document (0-{len(text)})")
    hit = Detection(start, end, kind, "manual", 1.0, text[start:end])
    if not any(c.isalnum() for c in text[start:end]):
        raise ServiceError(f"span {start}-{end} holds no word to anonymise")
    # The word around the span: a piece of a speaker label ("SPEAKER" of "SPEAKER_00") names no
    # one, and marking it had turned every label into "[Person 89]_00" (a tester's).
    token_start, token_end = start, end
    while token_start > 0 and (text[token_start - 1].isalnum() or text[token_start - 1] == "_"):
        token_start -= 1
    while token_end < len(text) and (text[token_end].isalnum() or text[token_end] == "_"):
        token_end += 1
    if is_generic_label(text[token_start:token_end]):
        raise ServiceError(f"«{text[token_start:token_end]}» is a speaker label, not a name: it names no one")
    with project.transaction(write=False) as store:
        covering = [r for r in store.anonymisation.mentions([doc_id])
                    if r.status in ("accepted", "manual") and r.start <= start and end <= r.end]
        inside = [r for r in store.anonymisation.mentions([doc_id])
                  if r.status in ("accepted", "manual") and start <= r.start and r.end <= end]
    if covering:
        # Nothing to do, and nothing to record: a tester's "a" on a masked word had said "marked"
        # and left an undo step that undid nothing.
        raise ServiceError(f"«{text[start:end]}» is masked already, as {covering[0].pseudonym} "
                           "(to shorten a mention, reject it and mark the words you want)")
    if entity is None and inside and len({r.entity_id for r in inside}) == 1 and kind in (None, inside[0].kind):
        # A tester could not lengthen "[Adresse 4]" over the house number after it: the longer
        # span had become a new entity, the address's own pseudonym gone from this place.
        entity, kind = inside[0].entity_id, inside[0].kind
    kind = kind or PER
    hit = hit._replace(kind=kind)
    if entity is None and kind == PER:
        # Words inside a person mention rejected as too long are that person's: a tester rejected
        # "vår ellen marie gaup", marked "ellen marie gaup" and got a new pseudonym to join by hand.
        with project.transaction(write=False) as store:
            inside_rejected = {r.entity_id for r in store.anonymisation.mentions([doc_id])
                               if r.status == "rejected" and r.kind == PER and r.start <= start and end <= r.end
                               and (r.start, r.end) != (start, end)}
        if len(inside_rejected) == 1:
            entity = inside_rejected.pop()
    if entity is None and kind == PER:
        # The person the word stands beside first: a tester's "hans" marked beside the masked
        # "kristian" went to another Hans the interview named in full.
        entity = _person_beside(project, doc_id, text, start, end)
        if entity is not None:
            start, end = _beside_span(project, doc_id, text, start, end, entity)
            hit = hit._replace(start=start, end=end, text=text[start:end])
        else:
            entity = _person_named_here(project, doc_id, text, normalise(hit.text))
    pseudonym, _ = _mark_manual(project, {doc_id: [hit]}, kind, normalise(hit.text), coder, entity=entity,
                                same_document=kind == PER)
    write_key(project)
    return pseudonym


def _joined_to_the_person_beside(project: Project, texts: dict[int, str], hits: dict[int, list[Detection]]
                                 ) -> tuple[dict[int, list[Detection]], int | None]:
    """The one person the occurrences of a word stand beside (those that stand beside one), and
    the hits with each such occurrence run on over that person's mention; else the hits as they
    are and None."""
    beside: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for doc, found in hits.items():
        for n, hit in enumerate(found):
            person = _person_beside(project, doc, texts[doc], hit.start, hit.end)
            if person is not None:
                beside[person].append((doc, n))
    if len(beside) != 1:
        return hits, None
    ((person, places),) = beside.items()
    widened = {doc: list(found) for doc, found in hits.items()}
    for doc, n in places:
        hit = widened[doc][n]
        start, end = _beside_span(project, doc, texts[doc], hit.start, hit.end, person)
        widened[doc][n] = hit._replace(start=start, end=end, text=texts[doc][start:end])
    return widened, person


def _person_beside(project: Project, doc_id: int, text: str, start: int, end: int) -> int | None:
    """The person a word marked by hand stands right beside: a masked given name before it or a
    masked surname after it ("trine [rø]", "kokken vår [hans] moen"): a tester's surname marked
    next to the masked given name got a pseudonym of its own. None when no person mention
    touches the word (only spaces between: a line's end is no neighbour, and a tester's "hans"
    ending a turn had joined the next speaker's label) or two different ones do."""
    names = lexicon()

    def given_only(word: str) -> bool:
        word = normalise(word)
        return (word in names.female or word in names.male) and word not in names.surnames

    with project.transaction(write=False) as store:
        rows = [r for r in store.anonymisation.mentions([doc_id]) if r.status != "rejected" and r.kind == PER]
    touching = {r.entity_id for r in rows
                if ((r.end <= start and not text[r.end:start].strip(" ") and start - r.end <= 2)
                    or (end <= r.start and not text[end:r.start].strip(" ") and r.start - end <= 2))
                # two given names side by side are two people in a list ("takk til eva kari og
                # per"), but a double given name otherwise ("hans kristian inn", a tester's), and a
                # word after a name of two words is its surname ("ann kristin [vår]")
                and not (given_only(text[start:end]) and len(text[r.start:r.end].split()) == 1
                         and given_only(text[r.start:r.end]) and _LIST_GOES_ON.match(text, max(end, r.end)))}
    return touching.pop() if len(touching) == 1 else None


# After two given names, a list goes on: "takk til eva kari og per", "eva kari, per".
_LIST_GOES_ON = re.compile(r"[ ]*(?:,|og[ ]|eller[ ])", re.IGNORECASE)


def _beside_span(project: Project, doc_id: int, text: str, start: int, end: int, entity_id: int) -> tuple[int, int]:
    """The span of a word marked beside a masked mention of its person, with that mention: one
    name reads as one pseudonym ("[Person 15]", not "[Person 15] [Person 15]")."""
    with project.transaction(write=False) as store:
        rows = [r for r in store.anonymisation.mentions([doc_id])
                if r.entity_id == entity_id and r.status in ("accepted", "manual")]
    for r in rows:
        if r.end <= start and not text[r.end:start].strip(" ") and start - r.end <= 2:
            start = r.start
        elif end <= r.start and not text[end:r.start].strip(" ") and r.start - end <= 2:
            end = r.end
    return start, end


def _person_named_here(project: Project, doc_id: int, text: str, form: str) -> int | None:
    """The one person of this document a word marked by hand belongs to: the person with a full
    name in the document of which the word is the given name or the surname ("hans" beside Hans
    Olav Dal, "fjell" of Per Kristian Fjell). Two testers marked such a word from the residual
    list and got a new pseudonym, to be joined by hand. None when no one or several fit; a word
    found in another document says nothing (a "stein" there may be another Stein)."""
    from rapidfuzz import fuzz

    def plain(word: str) -> str:
        return word.replace("-", "")

    def same(a: str, b: str) -> bool:
        return a == b or (len(a) >= 5 and fuzz.ratio(a, b) >= 85)  # "al-khatib" heard as "alkatib"

    own = [plain(w) for w in form.split()]
    with project.transaction(write=False) as store:
        rows = [r for r in store.anonymisation.mentions([doc_id]) if r.status != "rejected" and r.kind == PER]
    holders = set()
    for r in rows:
        words = [plain(w) for w in normalise(text[r.start:r.end]).split()]
        if len(words) <= len(own):
            continue
        # one word that is the given name or the surname, or several that all are words of the
        # full name ("ti lan" of "nguyen ti lan")
        # (or, for one word, a middle word of a three-word name: "stein" of "hansen stein hansen")
        if (any(same(own[0], w) for w in words) if len(own) == 1 else set(own) <= set(words)):
            holders.add(r.entity_id)
    if not holders and len(own) >= 2:
        # A full name marked whose surname the document already masks alone ("vår eikeland"
        # beside the masked "eikeland"): that person's, when the surname is no ordinary word
        # (a tester got a new pseudonym and joined by hand).
        last = own[-1]
        if len(last) >= 3 and not is_common_word(last):
            holders = {r.entity_id for r in rows if [plain(w) for w in normalise(text[r.start:r.end]).split()] == [last]}
    return holders.pop() if len(holders) == 1 else None


def _with_own_parts(project: Project, texts: dict[int, str], hits: dict[int, list[Detection]],
                    name: str) -> tuple[dict[int, list[Detection]], int | None]:
    """A person's full name as added, with the words of it that are the person's alone where they
    stand by themselves ("Gunnvor", "Brattli" of Gunnvor Brattli): ASR says a given name alone far
    more often than a full name.  Also which entity the name joins when none has it whole.

    The person is the one entity whose mentions hold the whole name, every word of it ("Gunnvor
    Eidsnes Brattli") or one of its own words ("Gunnvor"); with none or several, a new one.  A
    word of the name is marked where no mention is, or where that person's suggestion is (the
    list settles it); a mention of someone else, or a rejection, stays as it is.
    """
    full = normalise(name)
    words = set(full.split())
    own = {normalise(p) for p in own_name_parts(name)}
    with project.transaction(write=False) as store:
        rows = [r for r in store.anonymisation.mentions() if r.document_id in texts]
    forms = {r.id: normalise(texts[r.document_id][r.start:r.end]) for r in rows}
    target: int | None = None
    # One word alone ("stein", "per") is no evidence of whose it is: a tester's "stein" silently
    # took the pseudonym of Stein Ove Bjørk from another interview. It joins a person only where
    # that word is already one of the person's mentions (below, in _mark_manual).
    if len(words) > 1 and not any(r.status != "rejected" and forms[r.id] == full for r in rows):
        # (a given name alone says little: a tester's "mari sel dela krus" had joined Marianne
        # Vagle, one of whose mentions was "mari"; a surname or a word no list holds says more)
        names = lexicon()
        distinctive = {w for w in own if w not in names.female and w not in names.male}
        full_names: dict[int, set[str]] = defaultdict(set)
        for r in rows:
            if r.status != "rejected" and " " in forms[r.id]:
                full_names[r.entity_id].add(forms[r.id])

        def other_person(r) -> bool:
            # a given name is that person's only when no full name of it says otherwise
            return any(forms[r.id] not in full.split() for full in full_names[r.entity_id])

        holders = {r.entity_id for r in rows if r.status != "rejected" and r.kind == PER
                   and (words <= set(forms[r.id].split()) or forms[r.id] in distinctive
                        or (forms[r.id] in own and not other_person(r)))}
        if not holders:
            # The given name masked right where the full name is said: "ho [liv] liv hauglum"
            # (a tester added "liv hauglum" and got a new pseudonym beside the masked "liv").
            first = full.split()[0]
            holders = {r.entity_id for r in rows if r.status != "rejected" and r.kind == PER and forms[r.id] == first
                       and any(d.start - 30 <= r.end and r.start <= d.end for d in hits.get(r.document_id, ()))}
        target = holders.pop() if len(holders) == 1 else None
    taken: dict[int, list] = defaultdict(list)
    for r in rows:
        taken[r.document_id].append(r)
    out = {doc: list(dets) for doc, dets in hits.items()}
    for doc, text in texts.items():
        whole = [(d.start, d.end) for d in out.get(doc, [])]
        for part in find_name_parts(text, name, caseless=is_caseless(text)):
            if any(s < part.end and part.start < e for s, e in whole):
                continue
            over = [r for r in taken[doc] if r.start < part.end and part.start < r.end]
            if not over or (target is not None and len(over) == 1 and over[0].status == "suggested"
                            and over[0].entity_id == target and (over[0].start, over[0].end) == (part.start, part.end)):
                out.setdefault(doc, []).append(part)
    return out, target


def _mark_manual(project: Project, hits: dict[int, list[Detection]], kind: str, form: str, coder: str | None,
                 entity: str | int | None = None, key_names: dict[str, list[str]] | None = None,
                 inside_masked: bool = True, same_document: bool = False) -> tuple[str, int]:
    """Store hand-made mentions of one entity: the one named, else the one with this form, else a new one.

    ``same_document``: join an entity with this form only if it has a mention in the documents
    of ``hits`` (one word marked by hand: a "hans" found wrongly in another interview, "søknaden
    hans", had taken a tester's Hans in).

    ``inside_masked`` False leaves out a hit that lies inside a mention already masked (accepted
    or hand-made) of another entity: a name added everywhere ("Hallingdal") must not take over
    the office it is part of ("NAV Hallingdal").  A selection marked by hand is taken as it is.

    The audit entry keeps what undo needs: the new entity, the new mentions and those they
    absorbed (ids, spans, statuses), and the key's name entries by id (``key_names``).
    """
    now = datetime.now(timezone.utc)
    with project.transaction(write=True) as store:
        repo = store.anonymisation
        rows = repo.mentions()
        wanted = {r.document_id for r in rows} | set(hits)
        texts = store.documents.texts(wanted) if wanted else {}
        target = find_entity(store, entity) if entity is not None else None
        if target is None:
            # Join the entity of this kind that already has this form, if any: a name added as a
            # workplace makes a new workplace of what the model called a place.
            for r in rows:
                if (r.status != "rejected" and r.kind == kind and (not same_document or r.document_id in hits)
                        and normalise(texts[r.document_id][r.start:r.end]) == form):
                    target = repo.entity_by_id(r.entity_id)
                    break
        created = None
        if target is None:
            (target,) = repo.add_entities([NewEntity(kind, next_label(kind, repo.pseudonyms()), kind in DIRECT_KINDS)])
            created = repo.entity_snapshot(target.id)
        added: list[dict[str, Any]] = []
        absorbed: list[dict[str, Any]] = []
        if not inside_masked:
            masked = defaultdict(list)
            for r in rows:
                if r.status in ("accepted", "manual") and r.entity_id != target.id:
                    masked[r.document_id].append((r.start, r.end))
            hits = {doc: [d for d in dets if not any(s <= d.start and d.end <= e and (s, e) != (d.start, d.end)
                                                     for s, e in masked.get(doc, ()))]
                    for doc, dets in hits.items()}
        for doc, dets in hits.items():
            # A name or a selection across a line end is one mention per line: a replacement
            # never takes a line break (in a transcript, a turn boundary) with it.
            for part in (p for det in dets for p in split_at_line_breaks(det)):
                new, gone = repo.mark_manual(doc, part.start, part.end, entity_id=target.id, decided_by=coder, at=now)
                # A mention added in this same call and absorbed by a later one is not older state.
                # (Compared before the new one is counted: SQLite gives a deleted row's id to the
                # next row, and the lengthened mention had been dropped from undo's record.)
                earlier = {a["id"] for a in added}
                absorbed += [g for g in gone if g["id"] not in earlier]
                added = [a for a in added if a["id"] not in {g["id"] for g in gone}] + [new]
        store.audit.log("anonymise_add", coder, {
            "entity": target.id, "pseudonym": target.pseudonym, "mentions": len(added), "created": created,
            "added": added, "absorbed": absorbed, "key_names": key_names or {"added": [], "withdrawn": []}})
        return target.pseudonym, len(added)


def document_status(project: Project, documents: Sequence[DocumentInfo] | None = None) -> list[DocumentAnonymisation]:
    """Review progress per document (for the project view and ``anonymise --status``).

    Args:
        project: the open project.
        documents: the project's documents when the caller has just listed them (the project view).
    """
    infos = list(documents) if documents is not None else list_documents(project)
    with project.transaction(write=False) as store:
        counts = store.anonymisation.status_counts_by_document()
    names = anonymised_names(infos)
    return [DocumentAnonymisation(i.id, i.name, names[i.id], counts[i.id]["suggested"], counts[i.id]["accepted"],
                                  counts[i.id]["rejected"], counts[i.id]["manual"]) for i in infos]


def apply(project: Project, *, force: bool = False, coder: str | None = None) -> Path:
    """Close the review: refuse while suggestions are open (unless ``force``), refresh the key.

    Returns:
        the key file's path.

    Raises:
        ServiceError: suggestions are still open and ``force`` is not set.
    """
    require_reviewer(project, coder)
    open_count = sum(d.suggested for d in document_status(project))
    if open_count and not force:
        raise ServiceError(f"{open_count} suggestion(s) are not reviewed yet; accept or reject them "
                           "(or use --auto), or apply with --force to leave them out")
    unread = anonymisation_state(project).unread
    if unread and not force:
        raise ServiceError(f"the residual list (words left unmasked that may still be names) is not read for {unread} "
                           f"document(s): read it (codebench anonymise {project.root} --list --residual; add the names, "
                           f"keep the words), then codebench anonymise residual-read {project.root}")
    with project.transaction(write=True) as store:
        settings = store.anonymisation.settings()
        settings["applied_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        store.anonymisation.save_settings(settings)
        store.audit.log("anonymise_apply", coder, {"open": open_count})
    return write_key(project)
