"""How two coders' anonymisation decisions join in a team merge (no database)."""

from __future__ import annotations

import pytest

from codebench.domain.anonymisation_merge import free_pseudonym, merged_status


@pytest.mark.parametrize(("team", "source", "expected"), [
    ("accepted", "accepted", ("accepted", False)),
    ("suggested", "rejected", ("rejected", False)),      # a decision beats a suggestion
    ("rejected", "suggested", ("rejected", False)),
    ("suggested", "accepted", ("accepted", False)),
    ("accepted", "rejected", ("accepted", True)),        # disagreement: masked, and reported
    ("rejected", "accepted", ("accepted", True)),
    ("rejected", "manual", ("manual", True)),
    ("manual", "accepted", ("manual", False)),           # masked either way
])
def test_merged_status_takes_the_decision_and_the_masked_side(team, source, expected):
    assert merged_status(team, source) == expected


def test_free_pseudonym_keeps_a_free_one_and_renumbers_a_taken_one():
    taken = {"[Veileder 1]", "[Veileder 2]", "[Person 4]", "[Hilde Lunde]"}
    assert free_pseudonym("[Veileder 3]", taken) == "[Veileder 3]"
    assert free_pseudonym("[Veileder 2]", taken) == "[Veileder 3]"
    assert free_pseudonym("[Person 4]", taken) == "[Person 5]"
    assert free_pseudonym("[Hilde Lunde]", taken) == "[Hilde Lunde 2]"
    assert free_pseudonym("[Hilde Lunde]", taken | {"[Hilde Lunde 2]"}) == "[Hilde Lunde 3]"
