"""The unattended run (``anonymise --auto``) gives what a second run would: its acceptances are
evidence for linking, so it detects once more and accepts what that adds at the same threshold
(services.anonymisation.automatic). On a real SQLite copy of the sample project, rules and name
lists only (no model: fast)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from codebench import services
from codebench.anonymise.detections import DEFAULT_THRESHOLD, REVIEW_ONLY
from codebench.services import anonymisation
from tests.conftest import copy_detected_sample

CODER = "tester"


@pytest.fixture
def sample(sample_project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[services.Project]:
    import shutil

    shutil.copytree(sample_project_dir, tmp_path / "sample")
    monkeypatch.setenv("CODEBENCH_KEY_DIR", str(tmp_path / "keys"))
    project = services.open_project(tmp_path / "sample")
    yield project
    project.close()


def _accepted(project: services.Project) -> int:
    return sum(m.status == "accepted" for e in anonymisation.entities(project, with_mentions=True) for m in e.mentions)


def test_one_unattended_run_masks_what_a_second_run_would_and_nothing_below_the_threshold(
        sample: services.Project, detected_sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = anonymisation.detect_and_accept(sample, use_model=False, coder=CODER)
    assert run.accepted == _accepted(sample)
    # A second run finds nothing more to accept: the first used its own acceptances as evidence.
    anonymisation.detect(sample, use_model=False, coder=CODER)
    assert anonymisation.auto_accept(sample, coder=CODER) == 0
    # ... and accepted at least what one detection and one auto-accept do. (Until the rules of
    # stop 35 it accepted more on the sample: its lone given names and spellings were found only
    # once their people were decided; the first detection finds them now, so on the sample the
    # two are equal, and the second run above still finds nothing more.)
    once = services.open_project(copy_detected_sample(detected_sample_dir, tmp_path / "once", tmp_path / "k2",
                                                      monkeypatch))
    try:
        single = anonymisation.auto_accept(once, coder=CODER)
    finally:
        once.close()
    assert run.accepted >= single
    # Nothing under the threshold and nothing review-only was accepted by it.
    for entity in anonymisation.entities(sample, with_mentions=True):
        for mention in entity.mentions:
            if mention.status == "accepted":
                assert entity.kind not in REVIEW_ONLY
                assert mention.score >= DEFAULT_THRESHOLD or mention.detector in ("manual",), (entity.pseudonym, mention)

