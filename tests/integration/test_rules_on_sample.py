"""The rule-based detectors on the sample corpus: recall of the gold identifiers they are meant to
find, and how much they report that the gold does not contain."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from codebench import services
from codebench.anonymise.detections import INDIRECT, Detection
from codebench.anonymise.rules import find_identifiers
from codebench.services.sample import CORPUS

GOLD = sorted((CORPUS / "gold" / "identifiers").glob("*.json"))
# The gold types these rules are responsible for (names, firms and places are the NER's job).
RULE_TYPES = ("FNR", "PHONE", "EMAIL", "ADDRESS", "NAV_OFFICE")


class Checked(NamedTuple):
    file: str
    text: str
    gold: list[dict[str, Any]]
    detections: list[Detection]


@pytest.fixture(scope="module")
def checked(sample_project_dir: Path) -> list[Checked]:
    """Every transcript's stored text, its gold spans, and what the rules find in it."""
    project = services.open_project(sample_project_dir)
    try:
        # The places a caller knows without any model: the sites of the project's participants.
        places = {p.site for p in services.participants(project) if p.site}
        out = []
        for path in GOLD:
            gold = json.loads(path.read_text(encoding="utf-8"))
            doc = services.get_document(project, gold["file"])
            assert doc.info.sha256 == gold["sha256"], "the gold belongs to this text"
            out.append(Checked(gold["file"], doc.text, gold["spans"], find_identifiers(doc.text, places=places)))
    finally:
        project.close()
    return out


def test_every_gold_identifier_of_the_rule_types_is_found(checked: list[Checked]):
    total: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    missed = []
    for doc in checked:
        for span in doc.gold:
            if span["type"] not in RULE_TYPES:
                continue
            total[span["type"]] += 1
            if any(d.kind == span["type"] and d.start <= span["start"] and span["end"] <= d.end for d in doc.detections):
                hit[span["type"]] += 1
            else:
                context = doc.text[max(0, span["start"] - 40):span["end"] + 40]
                missed.append(f"{doc.file}: {span['type']} {span['text']!r} in {context!r}")
    print("recall: " + ", ".join(f"{t} {hit[t]}/{total[t]}" for t in RULE_TYPES))
    assert all(total[t] for t in RULE_TYPES), "the gold has examples of every rule type"
    assert not missed, "\n".join(missed)


def test_few_detections_outside_the_gold(checked: list[Checked]):
    # Ages and dates are indirect identifiers the gold does not annotate, so they are listed
    # but not counted as false positives.
    reported = []
    outside = []
    flagged = []
    for doc in checked:
        for d in doc.detections:
            if d.kind == INDIRECT:
                flagged.append(f"{doc.file}: {d.text!r}")
                continue
            reported.append(d)
            if not any(d.start < s["end"] and s["start"] < d.end for s in doc.gold):
                context = doc.text[max(0, d.start - 40):d.end + 40]
                outside.append(f"{doc.file}: {d.kind} {d.text!r} in {context!r}")
    print(f"{len(reported)} rule detections, {len(outside)} outside the gold; {len(flagged)} ages/dates flagged")
    assert reported
    assert len(outside) <= 0.10 * len(reported), "\n".join(outside)
    assert len(flagged) <= 10, "\n".join(flagged)


def test_detections_that_meet_the_gold_have_its_type(checked: list[Checked]):
    # A phone number found where the gold has a name would be a wrong suggestion even though it
    # overlaps something.  NAV offices may meet a place ("NAV-kontoret i Sørvik" around "Sørvik").
    compatible = {"NAV_OFFICE": {"NAV_OFFICE", "LOC", "ORG"}, "ADDRESS": {"ADDRESS", "LOC"}}
    wrong = []
    for doc in checked:
        for d in doc.detections:
            for s in doc.gold:
                if d.start < s["end"] and s["start"] < d.end and s["type"] not in compatible.get(d.kind, {d.kind}):
                    wrong.append(f"{doc.file}: {d.kind} {d.text!r} meets gold {s['type']} {s['text']!r}")
    assert not wrong, "\n".join(wrong)
