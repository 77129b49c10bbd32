"""Fixtures for driving the real workbench: a writable copy of the sample project per test."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest

from codebench import services
from tests.conftest import copy_detected_sample


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
def rule_detected(detected_sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[services.Project]:
    """A writable copy of the sample project after rule-based detection (nothing decided; the key in tmp)."""
    copy_detected_sample(detected_sample_dir, tmp_path / "detected", tmp_path / "keys", monkeypatch)
    project = services.open_project(tmp_path / "detected")
    yield project
    project.close()
