"""The code tree: loading and exporting codebooks, creating, changing, moving, promoting and merging codes."""

from __future__ import annotations


from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from sqlalchemy import select

from codebench.domain.codebook import Codebook, CodebookNode, dump_codebook, parse_codebook
from codebench.domain.records import (
    CodeInfo,
)
from codebench.storage.orm import (
    Code, Coding, Project as ProjectRow, new_uuid, utcnow,
)
from codebench.storage.repositories import Repository, code_info
from codebench.errors import ServiceError
from codebench.services.project import Project
from codebench.storage.repositories import coding_snapshot
from codebench.domain.records import code_snapshot


@dataclass
class CodebookReport:
    """What loading a codebook changed."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def read_codebook_file(path: str | Path) -> Codebook:
    """Parse and validate a codebook file (raises CodebookError listing every problem)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ServiceError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise ServiceError(f"{path}: not UTF-8 text (byte {exc.start}); save the codebook as UTF-8") from None
    return parse_codebook(text, str(path))


_NODE_FIELDS = ("description", "inclusion", "exclusion", "colour", "shortcut", "origin", "core", "memo")


def load_codebook(project: Project, path: str | Path, coder: str | None = None) -> CodebookReport:
    """Merge a YAML codebook into the project's code tree.

    Nodes match by id, then by name (ignoring case). Matching nodes take the file's fields and
    place; new nodes are added. Nothing is deleted: codes made while coding stay.
    """
    book = read_codebook_file(path)
    report = CodebookReport()
    with project.transaction() as repo:
        existing_shortcuts = {r.shortcut: r.name_key for r in repo.code_rows() if r.shortcut}
        positions: Counter[int | None] = Counter()

        def upsert(node: CodebookNode, parent: Code | None) -> None:
            row = repo.code_by_uuid(node.id) if node.id else None
            row = row or repo.code_by_name(node.name)
            parent_id = parent.id if parent else None
            values: dict[str, Any] = {f: getattr(node, f) for f in _NODE_FIELDS}
            values["examples"] = list(node.examples)
            if node.shortcut and existing_shortcuts.get(node.shortcut) not in (None, node.name.casefold()):
                # The file wins: the old holder of the key loses it.
                holder = repo.code_by_name(existing_shortcuts[node.shortcut])
                if holder is not None:
                    holder.shortcut = None
            if node.shortcut:
                existing_shortcuts[node.shortcut] = node.name.casefold()
            if row is None:
                row = Code(
                    project_id=repo.project_id, uuid=node.id or new_uuid(), parent_id=parent_id, kind=node.kind,
                    name=node.name, name_key=node.name.casefold(), position=positions[parent_id], **values,
                )
                repo.session.add(row)
                repo.session.flush()
                report.added.append(node.name)
            else:
                if row.kind != node.kind:
                    raise ServiceError(f"{path}:{node.line}: {node.name!r} is a {row.kind} in the project but a {node.kind} in the file")
                changes = {k: v for k, v in values.items() if getattr(row, k) != v}
                if row.name != node.name:
                    changes["name"] = node.name
                if row.parent_id != parent_id:
                    changes["parent_id"] = parent_id
                if row.position != positions[parent_id]:
                    changes["position"] = positions[parent_id]
                if changes:
                    for key, value in changes.items():
                        setattr(row, key, value)
                    row.name_key = row.name.casefold()
                    report.updated.append(node.name)
                else:
                    report.unchanged += 1
            positions[parent_id] += 1
            for child in node.children:
                upsert(child, row)

        for root in book.roots:
            upsert(root, None)
        project_row = repo.session.get(ProjectRow, repo.project_id)
        assert project_row is not None
        meta = {"name": book.name, "description": book.description}
        if project_row.settings.get("codebook") != meta:
            project_row.settings = {**project_row.settings, "codebook": meta}  # new dict: JSON change tracking
        repo.session.flush()
        if report.added or report.updated:
            repo.audit.log("codebook_load", coder, {"file": Path(path).name, "added": report.added, "updated": report.updated})
    return report


def code_tree(project: Project) -> list[CodeInfo]:
    """The whole code tree, parents before children, siblings in order."""
    with project.transaction(write=False) as repo:
        return _ordered_tree(repo.code_rows())


def _ordered_tree(rows: Sequence[Code]) -> list[CodeInfo]:
    children: dict[int | None, list[Code]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)
    ordered: list[CodeInfo] = []

    def visit(parent: int | None) -> None:
        for row in sorted(children.get(parent, []), key=lambda r: (r.position, r.id)):
            ordered.append(code_info(row))
            visit(row.id)

    visit(None)
    return ordered


def export_codebook(project: Project) -> str:
    """The project's code tree as codebook YAML (open and in-vivo codes included)."""
    with project.transaction(write=False) as repo:
        rows = repo.code_rows()
        settings = repo.session.get(ProjectRow, project.project_id)
        assert settings is not None
        meta = settings.settings.get("codebook", {})
    nodes: dict[int, CodebookNode] = {}
    roots: list[CodebookNode] = []
    for info in _ordered_tree(rows):
        node = CodebookNode(
            kind=info.kind, name=info.name, id=info.uuid, description=info.description, inclusion=info.inclusion,
            exclusion=info.exclusion, examples=list(info.examples), colour=info.colour, shortcut=info.shortcut,
            origin=info.origin, core=info.core, memo=info.memo,
        )
        nodes[info.id] = node
        (nodes[info.parent_id].children if info.parent_id is not None else roots).append(node)
    book = Codebook(name=meta.get("name") or project.name, description=meta.get("description"), roots=roots)
    return dump_codebook(book)


def create_code(
    project: Project, name: str, *, parent: str | None = None, kind: str = "code", origin: str = "open",
    coder: str | None = None, description: str | None = None,
) -> CodeInfo:
    """Add a code (or category) to the tree, as an open code by default."""
    with project.transaction() as repo:
        row = _create_code(repo, name, parent=parent, kind=kind, origin=origin, description=description)
        repo.audit.log("code_create", coder, {"code": row.uuid, "snapshot": code_snapshot(code_info(row))})
        return code_info(row)


def _create_code(repo: Repository, name: str, *, parent: str | None, kind: str, origin: str,
                 description: str | None = None) -> Code:
    name = " ".join(name.split())
    if not name:
        raise ServiceError("a code needs a name")
    if len(name) > 200:
        raise ServiceError("a code name may be at most 200 characters")
    if repo.code_by_name(name) is not None:
        raise ServiceError(f"there is already a code or category called {name!r}")
    parent_row = None
    if parent:
        parent_row = repo.code_by_name(parent)
        if parent_row is None:
            raise ServiceError(f"no category called {parent!r}")
        if parent_row.kind != "category":
            raise ServiceError(f"{parent!r} is a code; codes go under categories")
    row = Code(
        project_id=repo.project_id, parent_id=parent_row.id if parent_row else None, kind=kind, name=name,
        name_key=name.casefold(), position=repo.next_position(parent_row.id if parent_row else None),
        origin=origin if kind == "code" else "codebook", description=description, examples=[],
    )
    repo.session.add(row)
    repo.session.flush()
    return row


_EDITABLE = ("name", "description", "inclusion", "exclusion", "examples", "colour", "shortcut", "memo", "core", "origin")


def update_code(project: Project, code: str, *, expected_version: int | None = None, coder: str | None = None,
                **changes: Any) -> CodeInfo:
    """Change a code's or category's fields (rename, definition, memo, colour, shortcut...).

    Args:
        code: the code to change (its current name).
        expected_version: the version the editor saw (``CodeInfo.version``). If someone else
            changed the code since, the edit is refused instead of silently overwriting theirs.
        changes: new values for any of name, description, inclusion, exclusion, examples,
            colour, shortcut, memo, core, origin.
    """
    from sqlalchemy.orm.exc import StaleDataError

    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ServiceError(f"cannot change {', '.join(sorted(unknown))} of a code")
    try:
        with project.transaction() as repo:
            row = repo.code_by_name(code)
            if row is None:
                raise ServiceError(f"no code or category called {code!r}")
            if expected_version is not None and row.version != expected_version:
                raise ServiceError(f"{row.name!r} was changed by someone else since you opened it "
                                   f"(version {row.version}, you had {expected_version}); reload and edit again")
            before = code_snapshot(code_info(row))
            if "name" in changes:
                new_name = " ".join(str(changes["name"]).split())
                clash = repo.code_by_name(new_name)
                if not new_name or (clash is not None and clash.id != row.id):
                    raise ServiceError(f"there is already a code or category called {new_name!r}")
                changes["name"] = new_name
                row.name_key = new_name.casefold()
            if changes.get("shortcut"):
                holder = repo.session.scalar(select(Code).where(
                    Code.project_id == repo.project_id, Code.shortcut == changes["shortcut"], Code.id != row.id))
                if holder is not None:
                    raise ServiceError(f"shortcut {changes['shortcut']!r} belongs to {holder.name!r}")
            side_effects = []
            if changes.get("core"):
                # One core category: marking a new one unmarks the old (undone together).
                for other in repo.code_rows():
                    if other.core and other.id != row.id:
                        other.core = False
                        side_effects.append({"code": other.uuid, "before": {"core": True}, "changes": {"core": False}})
            for key, value in changes.items():
                setattr(row, key, value)
            repo.session.flush()
            repo.audit.log("code_update", coder, {"code": row.uuid, "before": {k: before[k] for k in changes}, "changes": changes,
                                            "side_effects": side_effects})
            return code_info(row)
    except StaleDataError:
        raise ServiceError(f"{code!r} was changed by someone else at the same moment; reload and edit again") from None


def move_code(project: Project, code: str, parent: str | None, coder: str | None = None) -> CodeInfo:
    """Move a code or category under another category (None: to the top level)."""
    with project.transaction() as repo:
        row = repo.code_by_name(code)
        if row is None:
            raise ServiceError(f"no code or category called {code!r}")
        target = None
        if parent is not None:
            target = repo.code_by_name(parent)
            if target is None or target.kind != "category":
                raise ServiceError(f"no category called {parent!r}")
            if target.id in _subtree_ids(repo.code_rows(), row.id):
                raise ServiceError(f"{row.name!r} cannot go inside itself")
        before = row.parent_id
        row.parent_id = target.id if target else None
        row.position = repo.next_position(row.parent_id)
        repo.session.flush()
        repo.audit.log("code_move", coder, {"code": row.uuid, "from": before, "to": row.parent_id})
        return code_info(row)


def promote_code(project: Project, code: str, coder: str | None = None) -> CodeInfo:
    """Make a code a category (selective coding); its codings stay with it and remain retrievable."""
    with project.transaction() as repo:
        row = repo.code_by_name(code)
        if row is None or row.kind != "code":
            raise ServiceError(f"no code called {code!r}")
        row.kind = "category"
        repo.session.flush()
        repo.audit.log("code_update", coder, {"code": row.uuid, "before": {"kind": "code"}, "changes": {"kind": "category"}})
        return code_info(row)


def _subtree_ids(rows: Sequence[Code], root_id: int) -> list[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row.id)
    ids, stack = [], [root_id]
    while stack:
        current = stack.pop()
        ids.append(current)
        stack.extend(children.get(current, []))
    return ids


def merge_codes(project: Project, source: str, target: str, coder: str | None = None) -> int:
    """Merge code ``source`` into ``target``: its codings follow, then it is removed.

    Returns:
        the number of codings moved. A coding that would duplicate one the same coder already
        has on the same span with ``target`` is dropped (and recorded in the audit log).
    """
    with project.transaction() as repo:
        src, dst = repo.code_by_name(source), repo.code_by_name(target)
        if src is None or dst is None:
            raise ServiceError(f"no code called {source if src is None else target!r}")
        if src.id == dst.id:
            raise ServiceError("a code cannot be merged into itself")
        if src.kind != "code" or dst.kind != "code":
            raise ServiceError("only codes can be merged (move categories instead)")
        moved = repo.session.scalars(select(Coding).where(Coding.code_id == src.id)).all()
        present = set(repo.session.execute(
            select(Coding.document_id, Coding.coder_id, Coding.start, Coding.end).where(Coding.code_id == dst.id)
        ).all())
        dropped: list[dict[str, Any]] = []
        for coding in moved:
            key = (coding.document_id, coding.coder_id, coding.start, coding.end)
            if key in present:
                dropped.append(coding_snapshot(coding))
                repo.session.delete(coding)
            else:
                coding.code_id = dst.id
                coding.updated_at = utcnow()
                present.add(key)
        snapshot = code_info(src)
        repo.session.flush()
        repo.session.delete(src)
        repo.audit.log("merge_codes", coder, {
            "source": code_snapshot(snapshot), "target": dst.uuid,
            "moved": [c.uuid for c in moved if c.uuid not in {d["uuid"] for d in dropped}],
            "dropped": dropped,
        })
        return len(moved) - len(dropped)


