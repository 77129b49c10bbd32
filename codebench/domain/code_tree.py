"""The code tree as records, and the rules of grounded-theory coding that keep it sound.

Pure functions over :class:`~codebench.domain.records.CodeInfo` lists, so the rules can be
tested without a database:

- names are unique ignoring case, at most 200 characters, white space folded;
- codes hang under categories (or at the top), never under codes;
- a category cannot move inside itself or below one of its own descendants;
- only a code is promoted to a category (selective coding), and only codes merge into codes;
- codings are applied with codes, never with categories.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from codebench.domain.records import CodeInfo
from codebench.errors import RuleViolation

MAX_NAME = 200
"""Longest code or category name (a column width in every export)."""


def clean_name(name: str) -> str:
    """A code name as stored: inner white space folded to single spaces, ends trimmed.

    Raises:
        RuleViolation: empty, or longer than :data:`MAX_NAME`.
    """
    cleaned = " ".join(name.split())
    if not cleaned:
        raise RuleViolation("a code needs a name")
    if len(cleaned) > MAX_NAME:
        raise RuleViolation(f"a code name may be at most {MAX_NAME} characters")
    return cleaned


def check_new_name(name: str, existing: CodeInfo | None, *, renaming: CodeInfo | None = None) -> None:
    """Refuse a name that another node already has (ignoring case).

    Args:
        existing: the node found under that name, if any.
        renaming: the node being renamed (it may keep its own name in another case).
    """
    if existing is not None and (renaming is None or existing.id != renaming.id):
        raise RuleViolation(f"there is already a code or category called {name!r}")


def check_parent(parent: CodeInfo | None, name: str) -> None:
    """Codes and categories go under a category; ``parent`` is what the user named (None: not found)."""
    if parent is None:
        raise RuleViolation(f"no category called {name!r}")
    if parent.kind != "category":
        raise RuleViolation(f"{name!r} is a code; codes go under categories")


def subtree_ids(tree: Sequence[CodeInfo], root_id: int) -> list[int]:
    """``root_id`` and the ids of every node below it."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for node in tree:
        children[node.parent_id].append(node.id)
    ids, stack = [], [root_id]
    while stack:
        current = stack.pop()
        ids.append(current)
        stack.extend(children.get(current, []))
    return ids


def check_move(tree: Sequence[CodeInfo], node: CodeInfo, target: CodeInfo | None, target_name: str | None) -> None:
    """A node moves to the top (``target_name`` None) or under a category that is not inside it."""
    if target_name is None:
        return
    if target is None or target.kind != "category":
        raise RuleViolation(f"no category called {target_name!r}")
    if target.id in subtree_ids(tree, node.id):
        raise RuleViolation(f"{node.name!r} cannot go inside itself")


def check_promote(node: CodeInfo | None, name: str) -> CodeInfo:
    """Only a code becomes a category."""
    if node is None:
        raise RuleViolation(f"no code called {name!r}")
    if node.kind != "code":
        raise RuleViolation(f"{node.name!r} is a category already")
    return node


def check_merge(source: CodeInfo | None, target: CodeInfo | None, source_name: str, target_name: str) -> None:
    """Only codes merge, into another code."""
    if source is None or target is None:
        raise RuleViolation(f"no code called {source_name if source is None else target_name!r}")
    if source.id == target.id:
        raise RuleViolation("a code cannot be merged into itself")
    if source.kind != "code" or target.kind != "code":
        raise RuleViolation("only codes can be merged (move categories instead)")


def check_applicable(node: CodeInfo | None, name: str) -> CodeInfo:
    """A coding is made with a code, not with a category."""
    if node is None:
        raise RuleViolation(f"no code called {name!r}")
    if node.kind != "code":
        raise RuleViolation(f"{node.name!r} is a category; apply one of its codes")
    return node


def ordered(tree: Sequence[CodeInfo]) -> list[CodeInfo]:
    """The tree in reading order: parents before children, siblings by position."""
    children: dict[int | None, list[CodeInfo]] = defaultdict(list)
    for node in tree:
        children[node.parent_id].append(node)
    result: list[CodeInfo] = []

    def visit(parent: int | None) -> None:
        for node in sorted(children.get(parent, []), key=lambda n: (n.position, n.id)):
            result.append(node)
            visit(node.id)

    visit(None)
    return result


def main_categories(tree: Sequence[CodeInfo]) -> dict[int, tuple[str, str | None]]:
    """``code id -> (name, main category name)``; the main category is the top ancestor, if a category."""
    by_id = {node.id: node for node in tree}
    result: dict[int, tuple[str, str | None]] = {}
    for node in tree:
        top = node
        while top.parent_id is not None and top.parent_id in by_id:
            top = by_id[top.parent_id]
        result[node.id] = (node.name, top.name if top.kind == "category" else None)
    return result


def effective_colours(tree: Sequence[CodeInfo]) -> dict[int, str | None]:
    """Each node's colour, inherited from the nearest coloured ancestor when it has none."""
    by_id = {node.id: node for node in tree}
    colours: dict[int, str | None] = {}
    for node in tree:
        current: CodeInfo | None = node
        while current is not None and not current.colour:
            current = by_id.get(current.parent_id) if current.parent_id is not None else None
        colours[node.id] = current.colour if current else None
    return colours
