"""Undo and redo of coding and codebook operations, rebuilt from the append-only audit log."""

from __future__ import annotations


from typing import Any

from sqlalchemy import func, select

from codebench.domain.records import (
    AuditEntry,
)
from codebench.storage.orm import (
    Code, Coding, Document, utcnow,
)
from codebench.storage.repositories import Repository
from codebench.errors import ServiceError
from codebench.services.project import Project


_UNDOABLE = ("apply", "remove", "recode", "coding_memo", "code_create", "code_update", "code_move", "merge_codes")


def _history(repo: Repository, coder: str) -> tuple[list[AuditEntry], list[AuditEntry]]:
    """The coder's undo and redo stacks, rebuilt by replaying their audit log."""
    entries = [e for e in reversed(repo.audit.entries()) if e.coder == coder and e.action in (*_UNDOABLE, "undo", "redo")]
    by_id = {e.id: e for e in entries}
    undo_stack: list[AuditEntry] = []
    redo_stack: list[AuditEntry] = []
    for entry in entries:
        if entry.action in _UNDOABLE:
            undo_stack.append(entry)
            redo_stack.clear()  # a new operation ends the redo history, as in an editor
        elif entry.action == "undo" and undo_stack and undo_stack[-1].id == entry.payload.get("entry"):
            redo_stack.append(undo_stack.pop())
        elif entry.action == "redo" and redo_stack and redo_stack[-1].id == entry.payload.get("entry"):
            undo_stack.append(redo_stack.pop())
        elif entry.action in ("undo", "redo") and entry.payload.get("entry") in by_id:
            pass  # an old log written before stacks existed; ignore
    return undo_stack, redo_stack


def _restore_coding(repo: Repository, p: dict[str, Any]) -> None:
    doc = repo.session.get(Document, p["document_id"])
    if doc is None:
        raise ServiceError("the document of that coding is gone")
    if repo.coding(p["uuid"]) is None:
        repo.session.add(Coding(
            uuid=p["uuid"], document_id=p["document_id"], code_id=p["code_id"], coder_id=p["coder_id"],
            start=p["start"], end=p["end"], text_sha256=p["text_sha256"], quote=doc.text[p["start"]:p["end"]],
            memo=p.get("memo"), created_at=utcnow(), updated_at=utcnow(),
        ))


def _delete_coding(repo: Repository, uuid: str) -> None:
    row = repo.coding(uuid)
    if row is not None:
        repo.session.delete(row)


def _set_coding(repo: Repository, uuid: str, **values: Any) -> None:
    row = repo.coding(uuid)
    if row is not None:
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = utcnow()


def _code_by_uuid(repo: Repository, uuid: str) -> Code:
    row = repo.code_by_uuid(uuid)
    if row is None:
        raise ServiceError("that code no longer exists")
    return row


def _set_code(repo: Repository, uuid: str, values: dict[str, Any]) -> None:
    row = _code_by_uuid(repo, uuid)
    for key, value in values.items():
        setattr(row, key, value)
        if key == "name":
            row.name_key = value.casefold()


def _recreate_code(repo: Repository, snapshot: dict[str, Any]) -> Code:
    existing = repo.code_by_uuid(snapshot["uuid"])
    if existing is not None:
        return existing
    if repo.code_by_name(snapshot["name"]) is not None:
        raise ServiceError(f"cannot bring back {snapshot['name']!r}: the name is taken")
    fields = {k: v for k, v in snapshot.items() if k not in ("uuid", "name", "parent_id", "position")}
    row = Code(project_id=repo.project_id, uuid=snapshot["uuid"], name=snapshot["name"], name_key=snapshot["name"].casefold(),
               parent_id=snapshot["parent_id"], position=snapshot["position"], **fields)
    repo.session.add(row)
    repo.session.flush()
    return row


def _delete_code(repo: Repository, uuid: str) -> None:
    row = _code_by_uuid(repo, uuid)
    if repo.session.scalar(select(func.count()).select_from(Coding).where(Coding.code_id == row.id)):
        raise ServiceError(f"{row.name!r} has codings now; remove or move them first")
    if repo.session.scalar(select(func.count()).select_from(Code).where(Code.parent_id == row.id)):
        raise ServiceError(f"{row.name!r} holds other codes now")
    repo.session.delete(row)


def _merge_again(repo: Repository, p: dict[str, Any]) -> None:
    source = _code_by_uuid(repo, p["source"]["uuid"])
    target = _code_by_uuid(repo, p["target"])
    for uuid in p["moved"]:
        _set_coding(repo, uuid, code_id=target.id)
    for snapshot in p["dropped"]:
        _delete_coding(repo, snapshot["uuid"])
    repo.session.flush()
    repo.session.delete(source)


def _unmerge(repo: Repository, p: dict[str, Any]) -> None:
    source = _recreate_code(repo, p["source"])
    for uuid in p["moved"]:
        _set_coding(repo, uuid, code_id=source.id)
    for snapshot in p["dropped"]:
        _restore_coding(repo, {**snapshot, "code_id": source.id})


def _reverse(repo: Repository, entry: AuditEntry) -> None:
    p = entry.payload
    if entry.action == "code_create":
        _delete_code(repo, p["code"])
    elif entry.action == "code_update":
        _set_code(repo, p["code"], p["before"])
        for effect in p.get("side_effects", []):
            _set_code(repo, effect["code"], effect["before"])
    elif entry.action == "code_move":
        _set_code(repo, p["code"], {"parent_id": p["from"]})
    elif entry.action == "merge_codes":
        _unmerge(repo, p)
    elif entry.action == "apply":
        _delete_coding(repo, p["uuid"])
    elif entry.action == "remove":
        _restore_coding(repo, p)
    elif entry.action == "recode":
        _set_coding(repo, p["uuid"], code_id=p["from"])
    elif entry.action == "coding_memo":
        _set_coding(repo, p["uuid"], memo=p["from"])


def _perform(repo: Repository, entry: AuditEntry) -> None:
    p = entry.payload
    if entry.action == "code_create":
        _recreate_code(repo, p["snapshot"])
    elif entry.action == "code_update":
        for effect in p.get("side_effects", []):
            _set_code(repo, effect["code"], effect["changes"])
        _set_code(repo, p["code"], p["changes"])
    elif entry.action == "code_move":
        _set_code(repo, p["code"], {"parent_id": p["to"]})
    elif entry.action == "merge_codes":
        _merge_again(repo, p)
    elif entry.action == "apply":
        _restore_coding(repo, p)
    elif entry.action == "remove":
        _delete_coding(repo, p["uuid"])
    elif entry.action == "recode":
        _set_coding(repo, p["uuid"], code_id=p["to"])
    elif entry.action == "coding_memo":
        _set_coding(repo, p["uuid"], memo=p["to"])


def undo(project: Project, coder: str) -> AuditEntry | None:
    """Undo the coder's most recent coding or codebook operation.

    Coding: apply, remove, recode, memo. Codebook: create, change (rename, definition, memo,
    colour, core, promote), move, merge.

    Undo and redo are appended to the audit log (``undo``/``redo`` naming the operation), so
    the log stays append-only, the history survives closing the project, and a later merge
    sees exactly what happened.

    Returns:
        the operation that was undone, or None when there is nothing to undo.
    """
    with project.transaction() as repo:
        undo_stack, _ = _history(repo, coder)
        if not undo_stack:
            return None
        target = undo_stack[-1]
        _reverse(repo, target)
        repo.audit.log("undo", coder, {"entry": target.id, "action": target.action})
        return target


def redo(project: Project, coder: str) -> AuditEntry | None:
    """Redo the coder's most recently undone operation; None when there is nothing to redo."""
    with project.transaction() as repo:
        _, redo_stack = _history(repo, coder)
        if not redo_stack:
            return None
        target = redo_stack[-1]
        _perform(repo, target)
        repo.audit.log("redo", coder, {"entry": target.id, "action": target.action})
        return target


def audit_log(project: Project, limit: int | None = None) -> list[AuditEntry]:
    """The audit log, newest first."""
    with project.transaction(write=False) as repo:
        return repo.audit.entries(limit)
