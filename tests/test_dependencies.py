"""Declared dependencies equal imported ones: nothing the package imports is missing from
pyproject.toml (a fresh install would fail), and nothing declared is unused (an install carries
dead weight)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from functools import lru_cache
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Declared but never imported by name, each with the reason it is needed.
LOADED_BY_NAME = {
    "psycopg": "SQLAlchemy loads it for postgresql+psycopg:// URLs",
}


@lru_cache(maxsize=1)
def _imported_top_levels() -> dict[str, str]:
    """Third-party top-level modules the package imports, with one place each is imported
    (read once per process: three tests ask, and the sources do not change during a run)."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "codebench").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top != "codebench" and top not in sys.stdlib_module_names:
                    found.setdefault(top, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {re.split(r"[\[<>=!~; ]", spec, maxsplit=1)[0].lower().replace("_", "-") for spec in project["dependencies"]}


def _distribution(module: str) -> str:
    dists = packages_distributions().get(module, [module])
    return dists[0].lower().replace("_", "-")


def test_every_imported_package_is_declared():
    declared = _declared()
    missing = {f"{module} ({_distribution(module)}, {where})" for module, where in _imported_top_levels().items()
               if _distribution(module) not in declared}
    assert not missing, f"imported but not in [project] dependencies: {sorted(missing)}"


def test_every_declared_package_is_imported():
    imported = {_distribution(module) for module in _imported_top_levels()}
    unused = _declared() - imported - set(LOADED_BY_NAME)
    assert not unused, f"declared in pyproject.toml but never imported: {sorted(unused)}"


def test_the_scan_sees_the_core():
    assert {"sqlalchemy", "textual", "spacy", "rapidfuzz", "yaml"} <= set(_imported_top_levels())
