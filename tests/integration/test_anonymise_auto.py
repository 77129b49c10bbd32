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
    # ... and accepted more than one detection and one auto-accept did (the sample's lone
    # given names and spellings of accepted people, found once their people are decided).
    once = services.open_project(copy_detected_sample(detected_sample_dir, tmp_path / "once", tmp_path / "k2",
                                                      monkeypatch))
    try:
        single = anonymisation.auto_accept(once, coder=CODER)
    finally:
        once.close()
    assert run.accepted > single
    # Nothing under the threshold and nothing review-only was accepted by it.
    for entity in anonymisation.entities(sample, with_mentions=True):
        for mention in entity.mentions:
            if mention.status == "accepted":
                assert entity.kind not in REVIEW_ONLY
                assert mention.score >= DEFAULT_THRESHOLD or mention.detector in ("manual",), (entity.pseudonym, mention)


def test_accepting_a_person_suggests_the_sayings_no_detector_marked_in_its_documents(tmp_path: Path,
                                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # A tester accepted Stig Rune Hatten and still read "og hatten han e" in the masked view.
    monkeypatch.setenv("CODEBENCH_KEY_DIR", str(tmp_path / "keys"))
    source = tmp_path / "helgeland.txt"
    source.write_text("SPEAKER_00: kven e mentoren\nSPEAKER_01: det e stig rune hatten han e formann på verkstedet\n"
                      "SPEAKER_00: ja\nSPEAKER_01: og hatten han e en sånn rolig kar som tar med hatten sin på jobb\n",
                      encoding="utf-8")
    project = services.init_project(tmp_path / "p")
    try:
        services.import_files(project, [source])
        anonymisation.detect(project, use_model=False, coder=CODER)
        person = next(e for e in anonymisation.entities(project, with_mentions=True) if "stig rune hatten" in e.forms)
        assert [m.text for m in person.mentions] == ["stig rune hatten"], "the detectors leave the later saying"
        anonymisation.decide(project, "accept", entity=person.id, coder=CODER)
        doc = services.list_documents(project)[0]
        shown = anonymisation.rendition(project, doc.id, with_open=True).text
        assert "og [Person 1] han e en sånn" in shown.replace(person.pseudonym, "[Person 1]")
        assert "tar med hatten sin" in shown, "the hat stays a hat"
        after = next(e for e in anonymisation.entities(project, with_mentions=True) if e.id == person.id)
        assert sorted(m.status for m in after.mentions) == ["accepted", "suggested"], "the new saying is for review"
    finally:
        project.close()
