"""The layer contracts of ARCHITECTURE.md, read from the source: which room may import which.

Every ``import`` statement counts, at module level or inside a function, under ``TYPE_CHECKING`` or
not: a lazy import is still an arrow. The rules are checked statically (no module is imported), so a
broken arrow is named with its file and line even when the module would fail to import.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "codebench"


@lru_cache(maxsize=None)
def _imports(path: Path) -> list[tuple[int, str]]:
    """``(line, absolute module name)`` of every import in one file (relative imports resolved;
    parsed once per process: every contract and the exceptions check read the same files)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parts = ["codebench", *path.relative_to(PACKAGE).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    else:
        parts = parts[:-1]  # the package the module is in
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts[: len(parts) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # ``from codebench import services`` imports the package named after the dot.
            if module == "codebench":
                found.extend((node.lineno, f"codebench.{alias.name}") for alias in node.names)
    return found


def _files(room: str) -> list[Path]:
    return sorted((PACKAGE / room).rglob("*.py")) if (PACKAGE / room).is_dir() else [PACKAGE / f"{room}.py"]


def _hits(module: str, forbidden: tuple[str, ...]) -> bool:
    return any(module == f or module.startswith(f + ".") for f in forbidden)


#: (room, the packages it must not import, why)
FORBIDDEN: list[tuple[str, tuple[str, ...], str]] = [
    ("domain", ("codebench.storage", "codebench.services", "codebench.tui", "codebench.cli", "codebench.ingest",
                "codebench.export", "codebench.anonymise", "sqlalchemy", "textual", "click", "spacy"),
     "the domain core is pure: rules and records, testable without a database or a UI"),
    ("errors", ("codebench.storage", "codebench.services", "codebench.tui", "codebench.cli", "codebench.domain",
                "sqlalchemy", "textual", "click"),
     "the error types are the ground floor every room may stand on"),
    ("ingest", ("codebench.services", "codebench.cli", "codebench.tui", "codebench.storage", "sqlalchemy"),
     "readers turn files into domain records; storing them is the services' job"),
    ("export", ("codebench.services", "codebench.cli", "codebench.tui", "codebench.storage", "sqlalchemy"),
     "writers turn domain records into files; reading the project is the services' job"),
    ("anonymise", ("codebench.services", "codebench.cli", "codebench.tui", "codebench.storage", "sqlalchemy"),
     "detection and pseudonyms work on text and records; decisions are stored by the services"),
    ("storage", ("codebench.services", "codebench.cli", "codebench.tui", "textual", "click"),
     "storage answers the services, never the other way round"),
    ("services", ("codebench.cli", "codebench.tui", "codebench.storage.orm", "sqlalchemy", "textual", "click"),
     "services speak domain records and repositories; SQL and ORM rows stay in storage"),
    ("tui", ("codebench.storage", "codebench.cli", "sqlalchemy", "click"),
     "the workbench reaches the project through the services, like the CLI"),
    ("cli", ("codebench.storage", "codebench.tui", "codebench.domain", "codebench.ingest", "codebench.export",
             "codebench.anonymise", "sqlalchemy", "textual"),
     "the CLI is a thin shell over the services it shares with the workbench"),
]

#: Arrows that are allowed although the room's rule forbids them, each with its reason.
EXCEPTIONS: dict[tuple[str, str], str] = {
    # Imported only when one of those commands runs, so other commands start without Textual.
    ("codebench/cli/project.py", "codebench.tui.app"): "the `codebench open`/`demo` commands start the workbench",
}


def _violations(room: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in _files(room):
        rel = path.relative_to(PACKAGE.parent).as_posix()
        for line, module in _imports(path):
            if _hits(module, forbidden) and (rel, module) not in EXCEPTIONS:
                found.append(f"{rel}:{line} imports {module}")
    return found


def test_every_room_is_checked():
    rooms = {p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith("__")}
    rooms |= {p.stem for p in PACKAGE.glob("*.py") if not p.name.startswith("__")}
    checked = {room for room, _, _ in FORBIDDEN}
    assert rooms == checked, f"rooms without a contract: {sorted(rooms - checked)}; contracts without a room: {sorted(checked - rooms)}"


def test_the_reader_sees_imports():
    # The checker itself: relative, lazy and package imports are all seen.
    found = {m for _, m in _imports(PACKAGE / "services" / "__init__.py")}
    assert "codebench.services.coding" in found
    assert any(m.startswith("codebench.storage") for p in _files("services") for _, m in _imports(p))
    # A rule that the code breaks is reported with file and line.
    broken = _violations("storage", ("sqlalchemy",))
    assert broken and all(v.startswith("codebench/storage/") and ".py:" in v for v in broken)


@pytest.mark.parametrize(("room", "forbidden", "why"), FORBIDDEN, ids=[room for room, _, _ in FORBIDDEN])
def test_layer_contract(room, forbidden, why):
    found = _violations(room, forbidden)
    assert not found, f"{room}: {why}\n" + "\n".join(found)


def test_exceptions_are_still_needed():
    used = set()
    for room, forbidden, _ in FORBIDDEN:
        for path in _files(room):
            rel = path.relative_to(PACKAGE.parent).as_posix()
            used.update((rel, m) for _, m in _imports(path) if (rel, m) in EXCEPTIONS and _hits(m, forbidden))
    assert used == set(EXCEPTIONS), f"exceptions no import needs: {sorted(set(EXCEPTIONS) - used)}"
