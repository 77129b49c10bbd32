"""Undo and redo of coding, codebook and anonymisation operations, rebuilt from the append-only audit log.

Undo and redo are appended to the log (``undo``/``redo`` naming the operation), so the log stays
append-only, the history survives closing the project, and a later merge sees exactly what
happened. Each undoable action has one pair of steps here: how to take it back and how to do
it again, both from the payload the action logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Sequence

from codebench.domain.records import AuditEntry, CodeInfo
from codebench.errors import ServiceError
from codebench.services.anonymisation.access import write_key
from codebench.services.anonymisation.positions import positions_in_view
from codebench.services.anonymisation.renditions import document_labels
from codebench.services.anonymisation.review import switch_key_names
from codebench.services.code_names import shown_code_names
from codebench.services.project import Project
from codebench.storage.store import Store

Step = Callable[[Store, dict[str, Any]], None]


def _history(store: Store, coder: str) -> tuple[list[AuditEntry], list[AuditEntry]]:
    """The coder's undo and redo stacks, rebuilt by replaying their audit log."""
    entries = [e for e in reversed(store.audit.entries())
               if e.coder == coder and (e.action in ("undo", "redo") or _undoable(e))]
    undo_stack: list[AuditEntry] = []
    redo_stack: list[AuditEntry] = []
    for entry in entries:
        if entry.action in _STEPS:
            undo_stack.append(entry)
            redo_stack.clear()  # a new operation ends the redo history, as in an editor
        elif entry.action == "undo" and undo_stack and undo_stack[-1].id == entry.payload.get("entry"):
            redo_stack.append(undo_stack.pop())
        elif entry.action == "redo" and redo_stack and redo_stack[-1].id == entry.payload.get("entry"):
            undo_stack.append(redo_stack.pop())
        # Anything else is an undo/redo from an old log written before stacks existed: ignored.
    return undo_stack, redo_stack


# What an entry's payload must hold to be taken back: anonymisation decisions logged before undo
# existed recorded counts only, and stay out of the history rather than undo nothing.
_NEEDS = {"anonymise_accept": "before", "anonymise_reject": "before", "anonymise_auto": "before",
          "anonymise_add": "added", "anonymise_join": "mentions", "anonymise_split": "mentions", "anonymise_retype": "mentions", "memo": "text", "adjudicate": "created",
          "accept_agreed": "created", "anonymise_residual_keep": "digests"}


def _undoable(entry: AuditEntry) -> bool:
    return entry.action in _STEPS and (entry.action not in _NEEDS or _NEEDS[entry.action] in entry.payload)


# -- the steps ---------------------------------------------------------------------------------


def _restore_coding(store: Store, p: dict[str, Any]) -> None:
    found = store.documents.infos([p["document_id"]])
    if not found:
        raise ServiceError("the document of that coding is gone")
    if store.codings.get(p["uuid"]) is None:
        text = store.documents.text(p["document_id"])
        store.codings.add(document_id=p["document_id"], code_id=p["code_id"], coder_id=p["coder_id"], start=p["start"],
                          end=p["end"], text_sha256=p["text_sha256"], quote=text[p["start"]:p["end"]], memo=p.get("memo"),
                          uuid=p["uuid"])


def _delete_coding(store: Store, p: dict[str, Any]) -> None:
    store.codings.delete(p["uuid"])


def _unapply(store: Store, p: dict[str, Any]) -> None:
    """Take back a coding, and the open code it created when nothing else uses that code now."""
    store.codings.delete(p["uuid"])
    created = p.get("created_code")
    if created:
        node = store.codebook.by_uuid(created["uuid"])
        if node is not None and not store.codebook.coding_count(node.id) and not store.codebook.child_count(node.id):
            store.codebook.delete(node.id)


def _apply_again(store: Store, p: dict[str, Any]) -> None:
    created = p.get("created_code")
    if created:
        p = {**p, "code_id": _recreate_code(store, created).id}
    _restore_coding(store, p)


def _uncode_hits(store: Store, p: dict[str, Any]) -> None:
    """Take back the codings of a search's hits, and the open code made for them if nothing else uses it now."""
    store.codings.delete_many([c["uuid"] for c in p["codings"]])
    created = p.get("created_code")
    if created:
        node = store.codebook.by_uuid(created["uuid"])
        if node is not None and not store.codebook.coding_count(node.id) and not store.codebook.child_count(node.id):
            store.codebook.delete(node.id)


def _code_hits_again(store: Store, p: dict[str, Any]) -> None:
    code_id = _recreate_code(store, p["created_code"]).id if p.get("created_code") else p["code_id"]
    present = set(store.documents.hashes())
    codings = [c for c in p["codings"] if c["document_id"] in present]
    texts = store.documents.texts({c["document_id"] for c in codings})
    store.codings.add_many([{**c, "code_id": code_id, "coder_id": p["coder_id"], "memo": None,
                             "quote": texts[c["document_id"]][c["start"]:c["end"]]} for c in codings])


def _code(store: Store, uuid: str) -> CodeInfo:
    node = store.codebook.by_uuid(uuid)
    if node is None:
        raise ServiceError("that code no longer exists")
    return node


def _set_code(store: Store, uuid: str, values: dict[str, Any]) -> None:
    store.codebook.update(_code(store, uuid).id, **values)


def _recreate_code(store: Store, snapshot: dict[str, Any]) -> CodeInfo:
    existing = store.codebook.by_uuid(snapshot["uuid"])
    if existing is not None:
        return existing
    if store.codebook.by_name(snapshot["name"]) is not None:
        raise ServiceError(f"cannot bring back {snapshot['name']!r}: the name is taken")
    fields = {k: v for k, v in snapshot.items() if k not in ("uuid", "kind", "name", "parent_id", "position")}
    return store.codebook.add(kind=snapshot["kind"], name=snapshot["name"], parent_id=snapshot["parent_id"],
                              position=snapshot["position"], uuid=snapshot["uuid"], **fields)


def _delete_code(store: Store, uuid: str) -> None:
    node = _code(store, uuid)
    if store.codebook.coding_count(node.id):
        raise ServiceError(f"{node.name!r} has codings now; remove or move them first")
    if store.codebook.child_count(node.id):
        raise ServiceError(f"{node.name!r} holds other codes now")
    store.codebook.delete(node.id)


def _merge_again(store: Store, p: dict[str, Any]) -> None:
    source = _code(store, p["source"]["uuid"])
    target = _code(store, p["target"])
    for uuid in p["moved"]:
        store.codings.update(uuid, code_id=target.id)
    for snapshot in p["dropped"]:
        store.codings.delete(snapshot["uuid"])
    for memo in p.get("memos_carried", []):
        store.codings.update(memo["uuid"], memo=memo["to"])
    if p.get("memo_rows"):
        store.memos.retarget("code", p["memo_rows"], target.id)
    if p.get("target_memo"):
        store.codebook.update(target.id, memo=p["target_memo"]["to"])
    store.codebook.delete(source.id)


def _unmerge(store: Store, p: dict[str, Any]) -> None:
    source = _recreate_code(store, p["source"])
    for uuid in p["moved"]:
        store.codings.update(uuid, code_id=source.id)
    for snapshot in p["dropped"]:
        _restore_coding(store, {**snapshot, "code_id": source.id})
    for memo in p.get("memos_carried", []):
        store.codings.update(memo["uuid"], memo=memo["from"])
    if p.get("memo_rows"):
        store.memos.retarget("code", p["memo_rows"], source.id)
    if p.get("target_memo"):
        store.codebook.update(_code(store, p["target"]).id, memo=p["target_memo"]["from"])


def _update_code_back(store: Store, p: dict[str, Any]) -> None:
    _set_code(store, p["code"], p["before"])
    for effect in p.get("side_effects", []):
        _set_code(store, effect["code"], effect["before"])


def _update_code_again(store: Store, p: dict[str, Any]) -> None:
    for effect in p.get("side_effects", []):
        _set_code(store, effect["code"], effect["changes"])
    _set_code(store, p["code"], p["changes"])


def _set_coding(field: str, key: str) -> Step:
    """A step that sets one field of a coding to the payload's ``key`` value (``from`` or ``to``)."""

    def step(store: Store, p: dict[str, Any]) -> None:
        store.codings.update(p["uuid"], **{field: p[key]})

    return step


def _recode_step(key: str) -> Step:
    """A step that gives a coding its ``from`` or ``to`` code, and its coder back or again when
    the recode took another coder's coding over."""

    def step(store: Store, p: dict[str, Any]) -> None:
        values = {"code_id": p[key]}
        if p.get(f"coder_{key}") is not None:
            values["coder_id"] = p[f"coder_{key}"]
        store.codings.update(p["uuid"], **values)

    return step


def _move_code(key: str) -> Step:
    """A step that puts a code back under the payload's ``from`` or ``to`` parent."""

    def step(store: Store, p: dict[str, Any]) -> None:
        _set_code(store, p["code"], {"parent_id": p[key]})

    return step


def _uncreate_code(store: Store, p: dict[str, Any]) -> None:
    _delete_code(store, p["code"])


def _create_code_again(store: Store, p: dict[str, Any]) -> None:
    _recreate_code(store, p["snapshot"])


def _unload_codebook(store: Store, p: dict[str, Any]) -> None:
    """Take a codebook load back: its new nodes go (children first), changed nodes get their
    fields back (last change first), and the codebook's name and description too."""
    if "created" not in p:
        raise ServiceError("this codebook load was made before loads could be undone")
    for snapshot in reversed(p["created"]):
        _delete_code(store, snapshot["uuid"])
    for change in reversed(p["changed"]):
        _set_code(store, change["code"], change["before"])
    store.codebook.set_meta(p["meta_before"])


def _load_codebook_again(store: Store, p: dict[str, Any]) -> None:
    for change in p["changed"]:
        _set_code(store, change["code"], change["changes"])
    new_ids: dict[int, int] = {}  # a node brought back gets a new id: its children follow it
    for snapshot in p["created"]:
        fields = {k: v for k, v in snapshot.items() if k != "id"}
        info = _recreate_code(store, {**fields, "parent_id": new_ids.get(snapshot["parent_id"], snapshot["parent_id"])})
        new_ids[snapshot["id"]] = info.id
    store.codebook.set_meta(p["meta_after"])


def _unkeep(store: Store, p: dict[str, Any]) -> None:
    """Take a keep back: the words are listed in the residual list again."""
    settings = store.anonymisation.settings()
    settings["residual_kept"] = sorted(set(settings.get("residual_kept", ())) - set(p.get("digests", ())))
    store.anonymisation.save_settings(settings)


def _keep_again(store: Store, p: dict[str, Any]) -> None:
    settings = store.anonymisation.settings()
    settings["residual_kept"] = sorted(set(settings.get("residual_kept", ())) | set(p.get("digests", ())))
    store.anonymisation.save_settings(settings)


def _unwrite_memo(store: Store, p: dict[str, Any]) -> None:
    store.memos.delete(p["memo"])


def _write_memo_again(store: Store, p: dict[str, Any]) -> None:
    if store.memos.get(p["memo"]) is None:
        created = p.get("created_at")
        store.memos.add(target_type=p["target_type"], target_id=p["target_id"], text=p["text"], title=p.get("title"),
                        author=p.get("author"), uuid=p["memo"],
                        created_at=datetime.fromisoformat(created) if created else None)


def _memo_text(key: str) -> Step:
    """A step that sets a memo's text and title to the payload's ``from`` or ``to``."""

    def step(store: Store, p: dict[str, Any]) -> None:
        if not store.memos.update(p["memo"], text=p[key]["text"], title=p[key].get("title")):
            raise ServiceError("that memo is gone")

    return step


def _undelete_memo(store: Store, p: dict[str, Any]) -> None:
    _write_memo_again(store, p["snapshot"])


def _delete_memo_again(store: Store, p: dict[str, Any]) -> None:
    store.memos.delete(p["memo"])


def _unadjudicate(store: Store, p: dict[str, Any]) -> None:
    """Take back an adjudication's consensus codings; the region is open again (see services.team)."""
    store.codings.delete_many([c["uuid"] for c in p["created"]])


def _adjudicate_again(store: Store, p: dict[str, Any]) -> None:
    for snapshot in p["created"]:
        _restore_coding(store, snapshot)


# -- anonymisation decisions ---------------------------------------------------------------
# Their log entries hold ids, statuses, spans and pseudonyms, never original text; the key file
# is rewritten after each step (see _after), as after the decision itself.


def _decided_back(store: Store, p: dict[str, Any]) -> None:
    """Mentions a decision changed go back to the statuses they had, where nobody changed them since;
    the sayings an accept masked go."""
    store.anonymisation.delete_mentions([m["id"] for m in p.get("sayings", [])])
    for status, ids in p.get("before", {}).items():
        # An open suggestion carries no decision; any other status is decided again, by the undo.
        suggested = status == "suggested"
        store.anonymisation.restore_status(ids, status, expected=p["status"], decided_by=None if suggested else _decider(p),
                                           at=None if suggested else _now())


def _decided_again(store: Store, p: dict[str, Any]) -> None:
    for status, ids in p.get("before", {}).items():
        store.anonymisation.restore_status(ids, p["status"], expected=status, decided_by=_decider(p), at=_now())
    store.anonymisation.restore_mentions(p.get("sayings", []))


def _decider(p: dict[str, Any]) -> str | None:
    return p.get("_by")  # the coder whose operation is done again


def _renamed_back(store: Store, p: dict[str, Any]) -> None:
    _rename(store, p["entity"], p["after"], p["before"], chosen=bool(p.get("was_chosen")))


def _renamed_again(store: Store, p: dict[str, Any]) -> None:
    _rename(store, p["entity"], p["before"], p["after"], chosen=True)


def _rename(store: Store, entity_id: int, current: str, wanted: str, *, chosen: bool) -> None:
    found = store.anonymisation.entity_by_id(entity_id)
    if found is None:
        raise ServiceError(f"the entity {current} is gone")
    if store.anonymisation.pseudonym_taken(wanted, other_than=entity_id):
        raise ServiceError(f"{wanted} is now the pseudonym of another entity; rename that one first")
    store.anonymisation.rename(entity_id, wanted)
    store.anonymisation.set_chosen(entity_id, chosen)


def _grown(store: Store, added: list[dict[str, Any]]) -> list[tuple[int, int, int]]:
    """Hand-made mentions that detection has since grown into a longer name ("bakke" into
    "per olav bakke"): (id, start, end) as they stand now."""
    recorded = {m["id"]: (m["start"], m["end"]) for m in added}
    return [(s["id"], s["start"], s["end"]) for s in store.anonymisation.mention_snapshots(list(recorded))
            if (s["start"], s["end"]) != recorded[s["id"]]]


def _unadd(store: Store, p: dict[str, Any]) -> None:
    """Remove the hand-made mentions, bring back what they absorbed, and the entity if it was new.

    A mention detection has grown since stays, as a suggestion: the name it grew into was found
    by detection, not added by hand, and must not go unmasked because the hand-made part went."""
    added = p.get("added", [])
    grown = _grown(store, added)
    kept = {i for i, _, _ in grown}
    store.anonymisation.move_mentions([(i, start, end, "suggested") for i, start, end in grown])
    store.anonymisation.delete_mentions([m["id"] for m in added if m["id"] not in kept])
    store.anonymisation.restore_mentions(p.get("absorbed", []))
    if p.get("created"):
        store.anonymisation.delete_entity_if_unused(p["created"]["id"])
        # Its pseudonym may stand in an export or a key already: it is never given to anyone
        # else (a tester's undone "[Arbeidsplass 12]" went to the next workplace added).
        if p["created"].get("pseudonym"):
            store.anonymisation.retire_pseudonym(p["created"]["pseudonym"])


def _add_again(store: Store, p: dict[str, Any]) -> None:
    if p.get("created"):
        store.anonymisation.restore_entity(p["created"])
    store.anonymisation.delete_mentions([m["id"] for m in p.get("absorbed", [])])
    # A grown mention the undo left as a suggestion is hand-made again, over the whole name.
    store.anonymisation.move_mentions([(i, start, end, "manual")
                                       for i, start, end in _grown(store, p.get("added", []))])
    store.anonymisation.restore_mentions(p.get("added", []))


def _unjoin(store: Store, p: dict[str, Any]) -> None:
    """The joined entity back, with its id and pseudonym, and its mentions with it; the sayings
    the join masked go."""
    store.anonymisation.delete_mentions([m["id"] for m in p.get("sayings", [])])
    store.anonymisation.restore_entity(p["other"])
    store.anonymisation.reassign(p["mentions"], p["other"]["id"])


def _join_again(store: Store, p: dict[str, Any]) -> None:
    store.anonymisation.reassign(p["mentions"], p["entity"])
    store.anonymisation.restore_mentions(p.get("sayings", []))


def _unsplit(store: Store, p: dict[str, Any]) -> None:
    """The mentions back with the entity they were split from; the new entity stays, empty, so
    its pseudonym is never given to anyone else."""
    store.anonymisation.reassign(p["mentions"], p["entity"])


def _split_again(store: Store, p: dict[str, Any]) -> None:
    store.anonymisation.restore_entity(p["created"])
    store.anonymisation.reassign(p["mentions"], p["created"]["id"])


def _now() -> datetime:
    return datetime.now(timezone.utc)


# -- changes of a transcript's text (edits, corrected files) ------------------------------------


def _unedit(store: Store, p: dict[str, Any]) -> None:
    from codebench.services.editing import undo_change

    undo_change(store, p, _decider(p))


def _edit_again(store: Store, p: dict[str, Any]) -> None:
    from codebench.services.editing import redo_change

    redo_change(store, p, _decider(p))


_STEPS: dict[str, tuple[Step, Step]] = {
    # action: (undo it, do it again)
    "apply": (_unapply, _apply_again),
    "code_hits": (_uncode_hits, _code_hits_again),
    "remove": (_restore_coding, _delete_coding),
    "recode": (_recode_step("from"), _recode_step("to")),
    "coding_memo": (_set_coding("memo", "from"), _set_coding("memo", "to")),
    "coding_checked": (_set_coding("flag", "from"), _set_coding("flag", "to")),
    "edit_text": (_unedit, _edit_again),
    "reimport": (_unedit, _edit_again),
    "code_create": (_uncreate_code, _create_code_again),
    "code_delete": (_create_code_again, _uncreate_code),
    "code_update": (_update_code_back, _update_code_again),
    "code_move": (_move_code("from"), _move_code("to")),
    "codebook_load": (_unload_codebook, _load_codebook_again),
    "merge_codes": (_unmerge, _merge_again),
    "memo": (_unwrite_memo, _write_memo_again),
    "memo_edit": (_memo_text("from"), _memo_text("to")),
    "memo_delete": (_undelete_memo, _delete_memo_again),
    "anonymise_accept": (_decided_back, _decided_again),
    "anonymise_reject": (_decided_back, _decided_again),
    "anonymise_auto": (_decided_back, _decided_again),
    "anonymise_rename": (_renamed_back, _renamed_again),
    "anonymise_add": (_unadd, _add_again),
    "anonymise_join": (_unjoin, _join_again),
    "anonymise_split": (_unsplit, _split_again),
    "anonymise_retype": (_unsplit, _split_again),
    "anonymise_residual_keep": (_unkeep, _keep_again),
    "adjudicate": (_unadjudicate, _adjudicate_again),
    "accept_agreed": (_unadjudicate, _adjudicate_again),
}
UNDOABLE = tuple(_STEPS)
"""The actions that undo and redo can take back: coding (apply, search hits, remove, recode, memo,
checked), transcript text (an edit of a turn, a corrected file imported over a document),
codebook (create, change — rename, definition, memo, colour, core, promote —, move, merge, an unused
open code removed),
memos (write, edit, delete), adjudication decisions and anonymisation decisions (accept, reject, auto-accept, rename, join, split, a change of kind, names and spans added by hand)."""


def _after(project: Project, entry: AuditEntry, direction: str) -> None:
    """What an anonymisation step does outside the database: the key file follows the decisions."""
    if entry.action in ("edit_text", "reimport"):
        if entry.payload.get("mentions") or entry.payload.get("mentions_removed"):
            write_key(project)  # names under changed words: the key's original forms follow the text
        return
    if not entry.action.startswith("anonymise_"):
        return
    names = entry.payload.get("key_names") or {}
    if names.get("added") or names.get("withdrawn"):
        undoing = direction == "undo"
        switch_key_names(project, restore=names["withdrawn" if undoing else "added"],
                         withdraw=names["added" if undoing else "withdrawn"])
    write_key(project)


def _count(count: int, singular: str, plural: str) -> str:
    return f"{count:,} {singular if count == 1 else plural}"


def describe_operation(entry: AuditEntry, project: Project | None = None, *, anonymised: bool = True) -> str:
    """What an undoable operation was, for the message after undo or redo.

    E.g. "accept of 12 mentions of [Veileder 2]", "auto-accept of 1,391 mentions of 150
    entities", "rename of [Veileder 2] to [Kollega K]". With the ``project``, coding and codebook
    operations name their code, document and span: "coding «tidspress» in V01 veileder runde 1
    [120–310]". Documents go by their anonymised label, so the message never carries an original
    name; code names are shown as the anonymised view shows them (an in-vivo code is the
    informant's words) unless ``anonymised`` is False (a coder allowed originals who chose them).
    """
    p = entry.payload
    if project is not None and entry.action in _CODING_ACTIONS | _CODEBOOK_ACTIONS | _MEMO_ACTIONS:
        return _describe_in_project(entry, project, anonymised=anonymised)
    if entry.action in ("edit_text", "reimport"):
        return _describe_change(entry, project)
    if entry.action == "anonymise_residual_keep":
        return f"keep of {_count(p.get('forms', 0), 'word', 'words')} from the residual list"
    if entry.action == "codebook_load":
        # The file's name only: its codes' names may be in-vivo words this reader may not see.
        return (f"codebook load from {p.get('file', 'a file')} ({len(p.get('added', []))} added, "
                f"{len(p.get('updated', []))} changed)")
    if entry.action in ("anonymise_accept", "anonymise_reject"):
        pseudonyms = p.get("pseudonyms") or []
        whose = pseudonyms[0] if len(pseudonyms) == 1 else _count(len(pseudonyms), "entity", "entities")
        verb = entry.action.removeprefix("anonymise_")
        return f"{verb} of {_count(p.get('changed', 0), 'mention', 'mentions')} of {whose}"
    if entry.action == "anonymise_auto":
        return (f"auto-accept of {_count(p.get('accepted', 0), 'mention', 'mentions')} of "
                f"{_count(p.get('entities', 0), 'entity', 'entities')}")
    if entry.action == "anonymise_rename":
        return f"rename of {p.get('before')} to {p.get('after')}"
    if entry.action == "anonymise_split":
        was, now = (p.get("pseudonyms") or ["an entity", "another"])[:2]
        return f"split of {_count(len(p.get('mentions', [])), 'mention', 'mentions')} from {was} into {now}"
    if entry.action == "anonymise_retype":
        was, now = (p.get("pseudonyms") or ["an entity", "another"])[:2]
        return f"change of {was} to {now} ({_count(len(p.get('mentions', [])), 'mention', 'mentions')})"
    if entry.action == "anonymise_join":
        kept, gone = (p.get("pseudonyms") or ["an entity", "another"])[:2]
        return f"join of {gone} into {kept} ({_count(len(p.get('mentions', [])), 'mention', 'mentions')})"
    if entry.action == "anonymise_add":
        return f"add of {_count(p.get('mentions', 0), 'mention', 'mentions')} of {p.get('pseudonym', 'an entity')}"
    if entry.action == "adjudicate":
        return _describe_decision(entry, project)
    if entry.action == "accept_agreed":
        coders = "/".join(p.get("coders") or [])
        return f"copy of {_count(p.get('codings', 0), 'agreed coding', 'agreed codings')} of {coders} to consensus"
    return entry.action


_DECISION_WORDS = {"keep-a": "keep A", "keep-b": "keep B", "both": "keep both", "neither": "neither", "edit": "edit"}


def _describe_decision(entry: AuditEntry, project: Project | None) -> str:
    """An adjudication: "keep A (ingrid) of ingrid/per in V01 veileder runde 1 [120–310], 1 consensus coding"."""
    p = entry.payload
    coders = p.get("coders") or ["?", "?"]
    decision = p.get("decision", "")
    words = _DECISION_WORDS.get(decision, decision)
    if decision in ("keep-a", "keep-b"):
        words += f" ({coders[0 if decision == 'keep-a' else 1]})"
    document_id = p.get("document_id")
    where = (document_labels(project).get(document_id, "a deleted document") if project is not None and document_id
             else f"region {p.get('region')}")
    span = f" [{p['start']}–{p['end']}]" if p.get("start") is not None else ""
    made = _count(len(p.get("codings", [])), "consensus coding", "consensus codings")
    return f"{words} of {'/'.join(coders)} in {where}{span}, {made}"


def _describe_change(entry: AuditEntry, project: Project | None) -> str:
    """An edit or a re-import without its words (they may hold names): where, and what it touched."""
    p = entry.payload
    where = (document_labels(project).get(p.get("document_id"), "a deleted document") if project is not None
             else f"document {p.get('document_id')}")
    flagged = p.get("flagged", 0)
    check = f", {_count(flagged, 'coding', 'codings')} to check" if flagged else ""
    if entry.action == "reimport":
        return f"corrected file over {where}{check}"
    if p.get("kind") == "speaker":  # the names stay out: a speaker label may be a person's name
        return f"speaker renamed in {_count(p.get('renamed', 0), 'turn', 'turns')} of {where}{check}"
    turn = p.get("turn")
    what = "edit" if p.get("pieces") else "speaker/time change"
    return f"{what} of turn {turn + 1 if turn is not None else '?'} in {where}{check}"


_CODING_ACTIONS = frozenset({"apply", "code_hits", "remove", "recode", "coding_memo", "coding_checked"})
_CODEBOOK_ACTIONS = frozenset({"code_create", "code_delete", "code_update", "code_move", "merge_codes"})
_MEMO_ACTIONS = frozenset({"memo", "memo_edit", "memo_delete"})
_MEMO_VERBS = {"memo": "memo", "memo_edit": "edit of the memo", "memo_delete": "deletion of the memo"}
_CHANGE_WORDS = {"name": "rename", "description": "definition", "inclusion": "definition", "exclusion": "definition",
                 "examples": "examples", "memo": "memo", "colour": "colour", "core": "core category",
                 "kind": "promotion", "shortcut": "shortcut key"}


class _Context:
    """What describing and placing operations reads: the code tree, document labels, codings."""

    def __init__(self, project: Project, entries: Sequence[AuditEntry], *, anonymised: bool = True) -> None:
        uuids = [e.payload.get("uuid") for e in entries if e.action in ("recode", "coding_memo", "coding_checked")]
        with project.transaction(write=False) as store:
            rows = store.codebook.rows()
            self.codings = {uuid: store.codings.get(uuid) for uuid in uuids if uuid}
        self.by_id = {r.id: r.name for r in rows}
        self.by_uuid = {r.uuid: r.name for r in rows}
        self.project = project
        self._positions = positions_in_view(project, anonymised)
        self._labels: dict[int, str] | None = None
        self.shown: dict[str, str] = {}
        """Code name -> as the message shows it (an in-vivo code's name is the informant's words)."""
        if anonymised and any(e.action in _CODING_ACTIONS | _CODEBOOK_ACTIONS | _MEMO_ACTIONS for e in entries):
            # Names of deleted or renamed codes live only in the entries: anonymised with the rest.
            names = {r.name for r in rows} | {name for e in entries for name in _payload_names(e.payload)}
            self.shown = shown_code_names(project, sorted(names), anonymised=True)

    def show(self, name: str | None) -> str | None:
        """A code name as this message may show it."""
        return self.shown.get(name, name) if name else name

    def place(self, document_id: int, start: int, end: int) -> tuple[int, int] | None:
        """``[start, end)`` as this message may show it: in a project that keeps names from some
        coders, an anonymised message gives positions in the anonymised text (the original's would
        tell a name's length); None when the document no longer holds them."""
        try:
            return self._positions.shown(document_id, start, end)
        except (ServiceError, ValueError):
            return None

    def label(self, document_id: int) -> str:
        if self._labels is None:
            self._labels = document_labels(self.project)
        return self._labels.get(document_id, "a deleted document")

    def code_name(self, ref: Any, snapshot: dict[str, Any] | None = None) -> str | None:
        name = self.by_id.get(ref) if isinstance(ref, int) else self.by_uuid.get(ref)
        return name or (snapshot or {}).get("name")


def _payload_names(payload: dict[str, Any]) -> list[str]:
    """Code names an entry carries itself (snapshots, renames), wherever they sit in it."""
    names = []
    for value in payload.values():
        if isinstance(value, dict):
            names.extend(v for k, v in value.items() if k == "name" and isinstance(v, str))
    return names


def _describe_in_project(entry: AuditEntry, project: Project, context: _Context | None = None, *,
                         anonymised: bool = True) -> str:
    p = entry.payload
    context = context or _Context(project, [entry], anonymised=anonymised)
    coding = context.codings.get(p.get("uuid")) if entry.action in ("recode", "coding_memo", "coding_checked") else None

    def code(ref: Any, snapshot: dict[str, Any] | None = None) -> str:
        return f"«{context.show(context.code_name(ref, snapshot)) or 'a deleted code'}»"

    def where(document_id: int | None, start: int | None, end: int | None) -> str:
        label = context.label(document_id) if document_id else "a document"
        place = context.place(document_id, start, end) if document_id and start is not None and end is not None else None
        return f"{label} [{place[0]}–{place[1]}]" if place else label

    action = entry.action
    if action in _MEMO_ACTIONS:
        target = p.get("snapshot", p)
        kind, ref = target.get("target_type"), target.get("target_id")
        about = (f"on the code {code(ref)}" if kind == "code" else f"on {where(ref, None, None)}" if kind == "document"
                 else "on the project")
        return f"{_MEMO_VERBS[action]} {about}"
    if action in ("apply", "remove"):
        created = " (a new code)" if p.get("created_code") else ""
        whose = f"{p['taken_from']}'s coding" if p.get("taken_from") else "the coding"
        verb = "coding" if action == "apply" else f"removal of {whose}"
        memo = " and its memo" if action == "remove" and p.get("memo") else ""
        return (f"{verb} {code(p.get('code_id'), p.get('created_code'))}{created}{memo} in "
                f"{where(p.get('document_id'), p.get('start'), p.get('end'))}")
    if action == "code_hits":
        # Not the query: it may hold a name the reader of this message may not see.
        created = " (a new code)" if p.get("created_code") else ""
        documents = len({c["document_id"] for c in p.get("codings", [])})
        return (f"coding of {_count(len(p.get('codings', [])), 'search hit', 'search hits')} in "
                f"{_count(documents, 'document', 'documents')} as {code(p.get('code_id'), p.get('created_code'))}"
                f"{created} (widened to {p.get('widen', 'hit')})")
    if action in ("recode", "coding_memo", "coding_checked"):
        place = where(coding.document_id, coding.start, coding.end) if coding else "a deleted coding"
        if action == "coding_checked":
            return f"check of a coding in {place}"
        if action == "recode":
            whose = f" of {p['taken_from']}'s coding" if p.get("taken_from") else ""
            return f"recode{whose} from {code(p.get('from'))} to {code(p.get('to'))} in {place}"
        return f"memo on the coding {code(coding.code_id)} in {place}" if coding else "memo on a deleted coding"
    if action == "code_create":
        return f"new code {code(p.get('code'), p.get('snapshot'))}"
    if action == "code_delete":
        return f"removal of the unused code {code(p.get('code'), p.get('snapshot'))}"
    if action == "code_update":
        changes = p.get("changes", {})
        if "name" in changes:
            return f"rename of «{context.show(p.get('before', {}).get('name'))}» to «{context.show(changes['name'])}»"
        kinds = sorted({_CHANGE_WORDS.get(k, k) for k in changes})
        if kinds == ["memo"]:  # named as the dialog names it: a code's memo, not a coding's
            return f"memo on the code {code(p.get('code'))}"
        return f"{', '.join(kinds) or 'change'} of {code(p.get('code'))}"
    if action == "code_move":
        parent = code(p.get("to")) if p.get("to") is not None else "the top level"
        return f"move of {code(p.get('code'))} under {parent}"
    return f"merge of {code(p.get('source', {}).get('uuid'), p.get('source'))} into {code(p.get('target'))}"


# -- where an operation acted, so a view can go there --------------------------------------------


@dataclass(frozen=True)
class OperationPlace:
    """Where an undoable operation acted: a span of a document, a code, or an identifier.

    A coding operation has a document and a span (in original offsets); a codebook operation
    names the code it changed (as the code is called now); an anonymisation decision names the
    pseudonym of the entity it decided. Fields that do not apply are None.
    """

    document_id: int | None = None
    start: int | None = None
    end: int | None = None
    code: str | None = None
    pseudonym: str | None = None


@dataclass(frozen=True)
class HistoryItem:
    """One operation of a coder's history, as the workbench lists it."""

    entry: AuditEntry
    description: str
    """What it was, e.g. "coding «tidspress» in V01 veileder runde 1 [120–310]"."""
    place: OperationPlace


@dataclass(frozen=True)
class CoderHistory:
    """A coder's undo and redo stacks, newest first: ``undo[0]`` is what ctrl+z takes back."""

    undo: list[HistoryItem]
    redo: list[HistoryItem]


def _place(entry: AuditEntry, context: _Context) -> OperationPlace:
    p = entry.payload
    action = entry.action
    if action in ("apply", "remove"):
        return OperationPlace(p.get("document_id"), p.get("start"), p.get("end"),
                              code=context.code_name(p.get("code_id"), p.get("created_code")))
    if action == "code_hits":
        # Hits in many places: the place is the code (the search screen shows the hits themselves).
        return OperationPlace(code=context.code_name(p.get("code_id"), p.get("created_code")))
    if action in _MEMO_ACTIONS:
        target = p.get("snapshot", p)
        kind, ref = target.get("target_type"), target.get("target_id")
        if kind == "document":
            return OperationPlace(document_id=ref)
        return OperationPlace(code=context.code_name(ref)) if kind == "code" else OperationPlace()
    if action in ("edit_text", "reimport"):
        # The words changed: the view goes to the first change (a speaker or time change has none).
        pieces = p.get("pieces") or []
        first = pieces[0][0] if pieces else None
        return OperationPlace(p.get("document_id"), first, first)
    if action in ("recode", "coding_memo", "coding_checked"):
        coding = context.codings.get(p.get("uuid"))
        if coding is None:
            return OperationPlace()
        return OperationPlace(coding.document_id, coding.start, coding.end,
                              code=context.code_name(coding.code_id))
    if action in ("code_create", "code_delete", "code_update", "code_move"):
        return OperationPlace(code=context.code_name(p.get("code"), p.get("snapshot")))
    if action == "merge_codes":
        return OperationPlace(code=context.code_name(p.get("target")))
    if action == "adjudicate":
        return OperationPlace(p.get("document_id"), p.get("start"), p.get("end"))
    pseudonyms = p.get("pseudonyms") or []
    if action == "anonymise_rename":
        return OperationPlace(pseudonym=p.get("after"))
    if action == "anonymise_add":
        return OperationPlace(pseudonym=p.get("pseudonym"))
    return OperationPlace(pseudonym=pseudonyms[0] if len(pseudonyms) == 1 else None)


def history_items(project: Project, entries: Sequence[AuditEntry], *, anonymised: bool = True) -> list[HistoryItem]:
    """Each operation with its description and place, reading the project once for all.

    Descriptions show code names as :func:`describe_operation` does; places keep the real name
    (the view goes to the code by it).
    """
    if not entries:
        return []
    context = _Context(project, entries, anonymised=anonymised)
    in_project = _CODING_ACTIONS | _CODEBOOK_ACTIONS | _MEMO_ACTIONS
    return [HistoryItem(e, _describe_in_project(e, project, context) if e.action in in_project
                        else describe_operation(e, project, anonymised=anonymised), _place(e, context)) for e in entries]


def history_item(project: Project, entry: AuditEntry, *, anonymised: bool = True) -> HistoryItem:
    """One operation with its description and place (after an undo: where the view should go)."""
    return history_items(project, [entry], anonymised=anonymised)[0]


def coder_history(project: Project, coder: str, limit: int = 10, *, anonymised: bool = True) -> CoderHistory:
    """The coder's own recent operations: what the next undo and the next redo would act on.

    Each coder has their own history (undo never takes back another coder's work).
    """
    with project.transaction(write=False) as store:
        undo_stack, redo_stack = _history(store, coder)
    undo_items = list(reversed(undo_stack))[:limit]
    redo_items = list(reversed(redo_stack))[:limit]
    items = history_items(project, undo_items + redo_items, anonymised=anonymised)
    return CoderHistory(items[:len(undo_items)], items[len(undo_items):])


def _step(project: Project, coder: str, direction: str) -> AuditEntry | None:
    """Undo (``direction="undo"``) or redo the coder's latest operation, logging the step."""
    with project.transaction() as store:
        undo_stack, redo_stack = _history(store, coder)
        stack = undo_stack if direction == "undo" else redo_stack
        if not stack:
            return None
        target = stack[-1]
        if target.action.startswith("anonymise_"):
            # Undoing a decision is a decision: only for a coder who may review (a coder taken
            # off the list must not take back an accept and so unmask the names).
            viewers = store.anonymisation.settings().get("original_viewers")
            if viewers is not None and coder not in viewers:
                raise ServiceError(f"coder {coder!r} may not see original names in this project, so may not "
                                   f"undo or redo an anonymisation decision either")
        back, again = _STEPS[target.action]
        (back if direction == "undo" else again)(store, {**target.payload, "_by": target.coder})
        store.audit.log(direction, coder, {"entry": target.id, "action": target.action})
    _after(project, target, direction)
    return target


def undo(project: Project, coder: str) -> AuditEntry | None:
    """Undo the coder's most recent coding, codebook or anonymisation operation (see :data:`UNDOABLE`).

    Returns:
        the operation that was undone, or None when there is nothing to undo.
    """
    return _step(project, coder, "undo")


def redo(project: Project, coder: str) -> AuditEntry | None:
    """Redo the coder's most recently undone operation; None when there is nothing to redo."""
    return _step(project, coder, "redo")


def undone_operations(project: Project, entries: Sequence[AuditEntry], *, anonymised: bool = True) -> dict[int, str]:
    """What each undo or redo among ``entries`` took back or did again, by the undo's id.

    E.g. {12: "coding «tidspress» in V01 veileder runde 1 [120–310]"}, so a log line says what
    it acted on, not only the number of the entry it refers to.
    """
    steps = {e.id: e.payload.get("entry") for e in entries if e.action in ("undo", "redo") and e.payload.get("entry")}
    if not steps:
        return {}
    with project.transaction(write=False) as store:
        targets = store.audit.by_ids(list(steps.values()))
    items = {item.entry.id: item.description
             for item in history_items(project, [t for t in targets.values() if t.action in _STEPS], anonymised=anonymised)}
    return {step: items[target] for step, target in steps.items() if target in items}


def audit_log(project: Project, limit: int | None = None) -> list[AuditEntry]:
    """The audit log, newest first."""
    with project.transaction(write=False) as store:
        return store.audit.entries(limit)
