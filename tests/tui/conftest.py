"""Fixtures for driving the real workbench: a writable copy of the sample project per test."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest

from codebench import services


@pytest.fixture
def sample_copy(sample_project_dir: Path, tmp_path: Path) -> Iterator[services.Project]:
    """The sample project (with the gold codings), copied so the test may write to it."""
    target = tmp_path / "sample"
    shutil.copytree(sample_project_dir, target)
    project = services.open_project(target)
    yield project
    project.close()


@pytest.fixture(autouse=True)
def _no_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cursor blink off, so screens are stable."""
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture
def rule_detected(sample_project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[services.Project]:
    """A writable copy of the sample project after rule-based detection (nothing decided; the key in tmp)."""
    monkeypatch.setenv("CODEBENCH_KEY_DIR", str(tmp_path / "keys"))
    shutil.copytree(sample_project_dir, tmp_path / "detected")
    project = services.open_project(tmp_path / "detected")
    services.anonymisation.detect(project, use_model=False, coder="fixture")
    yield project
    project.close()
