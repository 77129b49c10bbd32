"""The unattended run (``anonymise --auto``): detect, accept what is sure, and let that count.

Decisions join linking as evidence (:func:`codebench.services.anonymisation.detection.detect`):
a mention accepted is as sure as a name typed in, so its other spellings and its lone given
name are found in every document that names the person. An unattended run that stopped after
accepting left that evidence unused until someone ran detection again, and testers' second runs
masked names the first had left (a tester's five interviews: 45 → 39 names left). So the run
detects once more after accepting, and accepts what that adds at the same threshold: one run
gives what two did.
"""

from __future__ import annotations

from dataclasses import dataclass

from codebench.anonymise.detections import DEFAULT_THRESHOLD
from codebench.services.anonymisation.detection import DetectReport, Progress, detect
from codebench.services.anonymisation.review import auto_accept
from codebench.services.project import Project


@dataclass(frozen=True)
class AutoReport:
    """What an unattended run did: the first detection, and every suggestion accepted."""

    detection: DetectReport
    accepted: int


def detect_and_accept(project: Project, *, threshold: float = DEFAULT_THRESHOLD, use_model: bool = True,
                      coder: str | None = None, progress: Progress | None = None, style: str | None = None,
                      mask_public: bool = False) -> AutoReport:
    """Detect, accept every suggestion scored at or above ``threshold`` (never review-only
    kinds), detect again with those decisions as evidence and accept what that adds.

    Raises:
        ServiceError: as :func:`detect` and :func:`auto_accept` do.
    """
    report = detect(project, use_model=use_model, coder=coder, progress=progress, style=style,
                    mask_public=mask_public)
    accepted = auto_accept(project, threshold=threshold, coder=coder)
    if accepted:
        detect(project, use_model=use_model, coder=coder, style=style, mask_public=mask_public)
        accepted += auto_accept(project, threshold=threshold, coder=coder)
    return AutoReport(report, accepted)
