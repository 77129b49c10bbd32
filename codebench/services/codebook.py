"""The code tree: loading and exporting codebooks, creating, changing, moving, promoting and merging codes.

The rules (unique names, codes under categories, no cycles, only codes merge) live in
:mod:`codebench.domain.code_tree`; this module applies them to the project's tree and records
every change in the audit log so that it can be undone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from codebench.domain import code_tree as rules
from codebench.domain.codebook import Codebook, CodebookNode, dump_codebook, parse_codebook
from codebench.domain.records import CodeInfo, code_snapshot
from codebench.errors import ServiceError
from codebench.services.project import Project
from codebench.storage.base import EditConflict

if TYPE_CHECKING:  # the light read path imports these modules without SQLAlchemy
    from codebench.storage.store import Store


@dataclass
class CodebookReport:
    """What loading a codebook changed."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: int = 0
    """Names and texts of an anonymised file left as the project has them (the file held their rendition)."""


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


def codebook_file_warnings(path: str | Path) -> list[str]:
    """What looks wrong with a codebook file that still parses: a file that stops without a last
    line break was most likely cut off (a copy or a save interrupted), its last text with it."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        return []
    if data.strip() and not data.endswith(b"\n"):
        line = data.count(b"\n") + 1
        return [f"{path}:{line}: the file ends inside a line, without a line break: it may be cut off "
                "(check its last entry)"]
    return []


_NODE_FIELDS = ("description", "inclusion", "exclusion", "colour", "shortcut", "origin", "core", "memo")


def load_codebook(project: Project, path: str | Path, coder: str | None = None) -> CodebookReport:
    """Merge a YAML codebook into the project's code tree.

    Nodes match by id, then by name (ignoring case). Matching nodes take the file's fields and
    place; new nodes are added. Nothing is deleted: codes made while coding stay.

    A file written as the anonymised rendition (``codebook export`` without ``--original``) holds
    pseudonyms where the project has names: a name or text in it that is just the rendition of
    the matching node's own is not taken (loading it back must not rename an in-vivo code to
    its pseudonym); a node is also found by its anonymised name. Other changes are taken.
    """
    book = read_codebook_file(path)
    report = CodebookReport()
    # Original value -> its rendition, for the project's names and texts (only for such a file).
    rendered = _project_renditions(project) if book.anonymisation else {}
    with project.transaction() as store:
        codebook = store.codebook
        # The whole tree is read once and looked up in memory: a query per node made a 50,000-code
        # codebook take minutes. New nodes are inserted in one statement per tree level.
        rows = codebook.rows()
        by_uuid = {r.uuid: r for r in rows}
        by_key = {r.name.casefold(): r for r in rows}
        by_rendition = {rendered[r.name].casefold(): r for r in rows if r.name in rendered}
        existing_shortcuts = {r.shortcut: r.name.casefold() for r in rows if r.shortcut}
        positions: Counter[int | None] = Counter()
        # Reported in the file's order (depth first), though stored level by level.
        order = {id(node): n for n, node in enumerate(_depth_first(book.roots))}
        added: list[tuple[int, str]] = []
        updated: list[tuple[int, str]] = []
        # What undo needs: each node's fields before the load, in the order they changed.
        changed: list[dict[str, Any]] = []
        created: list[dict[str, Any]] = []
        level: list[tuple[CodebookNode, int | None]] = [(root, None) for root in book.roots]
        while level:
            new: list[tuple[CodebookNode, dict[str, Any]]] = []
            placed: list[tuple[CodebookNode, CodeInfo | None]] = []
            for node, parent_id in level:
                row = ((by_uuid.get(node.id) if node.id else None) or by_key.get(node.name.casefold())
                       or by_rendition.get(node.name.casefold()))
                values: dict[str, Any] = {f: getattr(node, f) for f in _NODE_FIELDS}
                values["examples"] = tuple(node.examples)
                if rendered and row is not None:
                    report.kept += _keep_originals(node, row, values, rendered)
                if node.shortcut and existing_shortcuts.get(node.shortcut) not in (None, node.name.casefold()):
                    # The file wins: the old holder of the key loses it.
                    holder = by_key.get(existing_shortcuts[node.shortcut])
                    if holder is not None:
                        changed.append({"code": holder.uuid, "before": {"shortcut": holder.shortcut},
                                        "changes": {"shortcut": None}})
                        by_key[holder.name.casefold()] = codebook.update(holder.id, shortcut=None)
                if node.shortcut:
                    existing_shortcuts[node.shortcut] = node.name.casefold()
                if row is None:
                    new.append((node, {"kind": node.kind, "name": node.name, "parent_id": parent_id,
                                       "position": positions[parent_id], "uuid": node.id, **values}))
                    added.append((order[id(node)], node.name))
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
                        changed.append({"code": row.uuid, "before": _json_values(row, changes),
                                        "changes": _json_values(changes, changes)})
                        row = codebook.update(row.id, **changes)
                        updated.append((order[id(node)], node.name))
                    else:
                        report.unchanged += 1
                    by_uuid[row.uuid] = by_key[row.name.casefold()] = row
                positions[parent_id] += 1
                placed.append((node, row))
            made = codebook.add_many([f for _, f in new])
            created.extend(_snapshot(info) for info in made)
            new_ids = {id(node): info.id for (node, _), info in zip(new, made)}
            level = [(child, row.id if row is not None else new_ids[id(node)])
                     for node, row in placed for child in node.children]
        report.added = [name for _, name in sorted(added)]
        report.updated = [name for _, name in sorted(updated)]
        meta = codebook.meta()
        new_meta = {key: meta.get(key) if rendered and value != meta.get(key) and rendered.get(meta.get(key)) == value
                    else value for key, value in (("name", book.name), ("description", book.description))}
        codebook.set_meta(new_meta)
        if report.added or report.updated:
            # Undoable as one operation: undo removes the nodes it added (while nothing is coded
            # with them) and gives the nodes it changed their fields back.
            store.audit.log("codebook_load", coder, {
                "file": Path(path).name, "added": report.added, "updated": report.updated, "created": created,
                "changed": changed, "meta_before": {k: meta.get(k) for k in new_meta}, "meta_after": new_meta})
    return report


def _json_values(source: Any, keys: Iterable[str]) -> dict[str, Any]:
    """The fields ``keys`` of a node (or of a dict of changes) as the audit log stores them."""
    get = source.get if isinstance(source, dict) else (lambda k: getattr(source, k))
    return {k: list(get(k)) if k == "examples" else get(k) for k in keys}


def _snapshot(info: CodeInfo) -> dict[str, Any]:
    """A new node as undo and redo need it (the fields :func:`history._recreate_code` takes)."""
    return {"id": info.id, "uuid": info.uuid, "kind": info.kind, "name": info.name, "parent_id": info.parent_id,
            "position": info.position, **_json_values(info, (*_NODE_FIELDS, "examples"))}


def _project_renditions(project: Project) -> dict[str, str]:
    """The project's code names and texts that the anonymised view shows otherwise: ``{original: rendition}``."""
    # Imported here: only an anonymised file needs the anonymiser.
    from codebench.services.anonymisation.renditions import anonymise_free_texts

    with project.transaction(write=False) as store:
        rows = store.codebook.rows()
        meta = store.codebook.meta()
    values = list(dict.fromkeys(v for r in rows for v in (r.name, *(getattr(r, f) for f in _TEXT_FIELDS), *r.examples)
                                if isinstance(v, str) and v))
    values += [v for v in (meta.get("name"), meta.get("description")) if v and v not in values]
    # Without detection: a code name must read the same here as in every other view (code names
    # are rendered with the known forms only, see anonymise_free_texts).
    return {v: shown for v, shown in zip(values, anonymise_free_texts(project, values, detect=False)) if shown != v}


_TEXT_FIELDS = ("description", "inclusion", "exclusion", "memo")


def _keep_originals(node: CodebookNode, row: CodeInfo, values: dict[str, Any], rendered: dict[str, str]) -> int:
    """Where the file holds the rendition of ``row``'s own name or text, keep ``row``'s; how many were kept."""
    def rendition_of(mine: str | None, theirs: str | None) -> bool:
        return mine is not None and theirs != mine and rendered.get(mine) == theirs

    kept = 0
    if rendition_of(row.name, node.name):
        node.name = row.name
        kept += 1
    for name in _TEXT_FIELDS:
        if rendition_of(getattr(row, name), values[name]):
            values[name] = getattr(row, name)
            kept += 1
    examples = list(values["examples"])
    for i, example in enumerate(examples):
        mine = next((e for e in row.examples if rendition_of(e, example)), None)
        if mine is not None:
            examples[i] = mine
            kept += 1
    values["examples"] = tuple(examples)
    return kept


def _depth_first(nodes: list[CodebookNode]) -> Iterator[CodebookNode]:
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def code_tree(project: Project) -> list[CodeInfo]:
    """The whole code tree, parents before children, siblings in order."""
    with project.reading() as store:
        return rules.ordered(store.codebook.rows())


def export_codebook(project: Project, *, original: bool = False, allow_unreviewed: bool = False,
                    path: str | Path | None = None) -> str:
    """The project's code tree as codebook YAML (open and in-vivo codes included).

    Anonymised by default: names, definitions, memos and examples go through the anonymiser (an
    in-vivo code is the informant's own words), and the file carries the project's anonymisation
    state in its ``anonymisation`` key (it says "anonymised" only when the review is finished).
    Loading such a file back keeps the project's own names (see :func:`load_codebook`).

    Args:
        original: the project's own names and texts: the file that loads back exactly.
        allow_unreviewed: write the rendition although the anonymisation is not finished.
        path: also write the YAML to this file (atomically; owner-only when ``original``).

    Raises:
        ServiceError: anonymisation not reviewed (without ``original`` or ``allow_unreviewed``).
    """
    state = None
    if not original:
        from codebench.services.anonymisation.state import require_exportable

        state = require_exportable(project, allow_unreviewed=allow_unreviewed)
    with project.transaction(write=False) as store:
        tree = rules.ordered(store.codebook.rows())
        meta = store.codebook.meta()
    shown = _project_renditions(project) if state is not None else {}

    def text(value: str | None) -> str | None:
        return shown.get(value, value) if value else value

    nodes: dict[int, CodebookNode] = {}
    roots: list[CodebookNode] = []
    for info in tree:
        node = CodebookNode(
            kind=info.kind, name=text(info.name) or info.name, id=info.uuid, description=text(info.description),
            inclusion=text(info.inclusion), exclusion=text(info.exclusion),
            examples=[text(e) or e for e in info.examples], colour=info.colour, shortcut=info.shortcut,
            origin=info.origin, core=info.core, memo=text(info.memo),
        )
        nodes[info.id] = node
        (nodes[info.parent_id].children if info.parent_id is not None else roots).append(node)
    book = Codebook(name=text(meta.get("name") or project.name) or project.name, description=text(meta.get("description")),
                    roots=roots, anonymisation=state.describe() if state is not None else None)
    text = dump_codebook(book)
    if path is not None:
        from codebench.export.atomic import write_text_atomically

        try:
            write_text_atomically(Path(path), text, private=original)
        except OSError as exc:
            raise ServiceError(f"{path}: cannot write the codebook ({exc.strerror or exc})") from None
    return text


def create_code(
    project: Project, name: str, *, parent: str | None = None, kind: str = "code", origin: str = "open",
    coder: str | None = None, description: str | None = None,
) -> CodeInfo:
    """Add a code (or category) to the tree, as an open code by default."""
    with project.transaction() as store:
        info = add_code(store, name, parent=parent, kind=kind, origin=origin, description=description)
        store.audit.log("code_create", coder, {"code": info.uuid, "snapshot": code_snapshot(info)})
        return info


def unused_open_code(project: Project, name: str) -> bool:
    """Whether ``name`` is an open or in-vivo code nothing uses any more: no codings, no codes
    under it, no memo. Such a code (often one made by mistake) may go with its last coding."""
    with project.transaction(write=False) as store:
        return _unused_open(store, store.codebook.by_name(name))


def remove_unused_code(project: Project, name: str, coder: str | None = None) -> CodeInfo:
    """Remove an open or in-vivo code nothing uses (see :func:`unused_open_code`); undo brings it back.

    A codebook code is never removed this way: it belongs to the codebook whether used or not.
    """
    with project.transaction() as store:
        node = store.codebook.by_name(name)
        if node is None or not _unused_open(store, node):
            raise ServiceError(f"{name!r} is not an unused open code; only an open or in-vivo code without codings, "
                               "codes under it or memos is removed this way")
        store.audit.log("code_delete", coder, {"code": node.uuid, "snapshot": code_snapshot(node)})
        store.codebook.delete(node.id)
        return node


def _unused_open(store: Store, node: CodeInfo | None) -> bool:
    if node is None or node.kind != "code" or node.origin not in ("open", "in-vivo") or (node.memo or "").strip():
        return False
    if store.codebook.coding_count(node.id) or store.codebook.child_count(node.id):
        return False
    return not any(m["target_type"] == "code" and m["target_id"] == node.id for m in store.memos.all())


def add_code(store: Store, name: str, *, parent: str | None, kind: str, origin: str,
             description: str | None = None) -> CodeInfo:
    """Add a node inside an open transaction (shared by coding, import and creation); checks the rules."""
    name = rules.clean_name(name)
    rules.check_new_name(name, store.codebook.by_name(name))
    parent_node = None
    if parent:
        parent_node = store.codebook.by_name(parent)
        rules.check_parent(parent_node, parent)
    assert parent_node is None or parent_node.kind == "category"
    return store.codebook.add(
        kind=kind, name=name, parent_id=parent_node.id if parent_node else None,
        origin=origin if kind == "code" else "codebook", description=description,
    )


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
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ServiceError(f"cannot change {', '.join(sorted(unknown))} of a code")
    try:
        with project.transaction() as store:
            codebook = store.codebook
            row = codebook.by_name(code)
            if row is None:
                raise ServiceError(f"no code or category called {code!r}")
            if expected_version is not None and row.version != expected_version:
                raise ServiceError(f"{row.name!r} was changed by someone else since you opened it "
                                   f"(version {row.version}, you had {expected_version}); reload and edit again")
            before = code_snapshot(row)
            if "name" in changes:
                new_name = " ".join(str(changes["name"]).split())
                if not new_name:
                    raise ServiceError(f"there is already a code or category called {new_name!r}")
                rules.check_new_name(new_name, codebook.by_name(new_name), renaming=row)
                changes["name"] = new_name
            if changes.get("shortcut"):
                holder = codebook.by_shortcut(changes["shortcut"])
                if holder is not None and holder.id != row.id:
                    raise ServiceError(f"shortcut {changes['shortcut']!r} belongs to {holder.name!r}")
            side_effects = []
            if changes.get("core"):
                # One core category: marking a new one unmarks the old (undone together).
                for other in codebook.rows():
                    if other.core and other.id != row.id:
                        codebook.update(other.id, core=False)
                        side_effects.append({"code": other.uuid, "before": {"core": True}, "changes": {"core": False}})
            updated = codebook.update(row.id, **changes)
            store.audit.log("code_update", coder, {"code": row.uuid, "before": {k: before[k] for k in changes},
                                                   "changes": changes, "side_effects": side_effects})
            return updated
    except EditConflict:
        raise ServiceError(f"{code!r} was changed by someone else at the same moment; reload and edit again") from None


def move_code(project: Project, code: str, parent: str | None, coder: str | None = None) -> CodeInfo:
    """Move a code or category under another category (None: to the top level)."""
    with project.transaction() as store:
        codebook = store.codebook
        row = codebook.by_name(code)
        if row is None:
            raise ServiceError(f"no code or category called {code!r}")
        target = codebook.by_name(parent) if parent is not None else None
        rules.check_move(codebook.rows(), row, target, parent)
        parent_id = target.id if target else None
        moved = codebook.update(row.id, parent_id=parent_id, position=codebook.next_position(parent_id))
        store.audit.log("code_move", coder, {"code": row.uuid, "from": row.parent_id, "to": parent_id})
        return moved


def promote_code(project: Project, code: str, coder: str | None = None) -> CodeInfo:
    """Make a code a category (selective coding); its codings stay with it and remain retrievable."""
    with project.transaction() as store:
        row = rules.check_promote(store.codebook.by_name(code), code)
        promoted = store.codebook.update(row.id, kind="category")
        store.audit.log("code_update", coder, {"code": row.uuid, "before": {"kind": "code"}, "changes": {"kind": "category"}})
        return promoted


def merge_codes(project: Project, source: str, target: str, coder: str | None = None) -> int:
    """Merge code ``source`` into ``target``: its codings follow, then it is removed.

    Returns:
        the number of codings moved. A coding that would duplicate one the same coder already
        has on the same span with ``target`` is dropped (and recorded in the audit log).
    """
    with project.transaction() as store:
        src, dst = store.codebook.by_name(source), store.codebook.by_name(target)
        rules.check_merge(src, dst, source, target)
        assert src is not None and dst is not None
        moved = store.codings.snapshots_of_code(src.id)
        present = store.codings.span_keys(code_id=dst.id)
        dropped: list[dict[str, Any]] = []
        for coding in moved:
            key = (coding["document_id"], coding["coder_id"], coding["start"], coding["end"])
            if key in present:
                dropped.append(coding)
                store.codings.delete(coding["uuid"])
            else:
                store.codings.update(coding["uuid"], code_id=dst.id)
                present.add(key)
        carried = _carry_memos(store, dropped, dst.id)
        # The merged code's memos stay with the idea: its memo rows move to the target, and its
        # own memo joins the target's, marked with where it came from.
        memo_rows = store.memos.retarget("code", src.id, dst.id)
        target_memo = None
        if src.memo and src.memo.strip():
            joined = f"{dst.memo}\n\n«{src.name}»: {src.memo}" if dst.memo else f"«{src.name}»: {src.memo}"
            target_memo = {"from": dst.memo, "to": joined}
            store.codebook.update(dst.id, memo=joined)
        store.codebook.delete(src.id)
        dropped_ids = {d["uuid"] for d in dropped}
        store.audit.log("merge_codes", coder, {
            "source": code_snapshot(src), "target": dst.uuid,
            "moved": [c["uuid"] for c in moved if c["uuid"] not in dropped_ids],
            "dropped": dropped, "memos_carried": carried, "memo_rows": memo_rows, "target_memo": target_memo,
        })
        return len(moved) - len(dropped)


def _carry_memos(store: Store, dropped: list[dict[str, Any]], target_id: int) -> list[dict[str, Any]]:
    """A dropped duplicate's memo joins the memo of the coding that stays (same coder, same span):
    a merge must not lose what a coder wrote about a passage. Returns what undo needs."""
    with_memo = [d for d in dropped if d.get("memo")]
    if not with_memo:
        return []
    staying = {(c["document_id"], c["coder_id"], c["start"], c["end"]): c for c in store.codings.snapshots_of_code(target_id)}
    carried = []
    for coding in with_memo:
        survivor = staying[(coding["document_id"], coding["coder_id"], coding["start"], coding["end"])]
        before = survivor.get("memo")
        after = f"{before}\n\n{coding['memo']}" if before else coding["memo"]
        store.codings.update(survivor["uuid"], memo=after)
        survivor["memo"] = after
        carried.append({"uuid": survivor["uuid"], "from": before, "to": after})
    return carried
