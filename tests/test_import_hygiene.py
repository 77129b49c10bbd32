"""The domain core, storage, ingest, services and CLI import without Textual (the UI stays optional)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import codebench

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(codebench.__path__, "codebench.")
    if ".tui" not in m.name and ".migrations" not in m.name and m.name != "codebench.__main__"
)


def test_module_list_is_not_empty():
    assert {"codebench.services", "codebench.cli", "codebench.domain.spans", "codebench.ingest.vtt"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_without_textual(module):
    code = f"import sys, {module}; bad = [m for m in ('textual', 'rich') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"{module} pulled in {result.stdout.strip()} {result.stderr[-500:]}"


@pytest.mark.parametrize("module", [m for m in MODULES if m.startswith("codebench.domain")])
def test_domain_imports_no_database_or_nlp(module):
    code = (f"import sys, {module}; bad = [m for m in ('sqlalchemy', 'spacy', 'click', 'docx') if m in sys.modules];"
            " print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"{module} pulled in {result.stdout.strip()}"
