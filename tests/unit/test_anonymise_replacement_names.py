"""Realistic replacement names: deterministic, gender-keeping, and never showing an original."""

from __future__ import annotations

from codebench.anonymise.gazetteer import lexicon
from codebench.anonymise.pseudonyms import replacement_name


def test_a_replacement_never_contains_an_original_name() -> None:
    originals = ["Kari Nordmann", "Ola", "Anne", "Per Fredrik Nilsen"]
    for seed in range(400):
        name = replacement_name(f"entity-{seed}", None, [o.casefold() for o in originals])
        shown = name.casefold()
        # "Hanne" would show "Anne", "Karim" would show "Kari", "Olav" would show "Ola".
        for word in ("kari", "nordmann", "ola", "anne", "fredrik", "nilsen"):
            assert word not in shown, (seed, name)


def test_a_replacement_is_stable_and_keeps_the_gender() -> None:
    names = lexicon()
    for seed in range(50):
        female = replacement_name(f"f-{seed}", "f", [])
        assert female == replacement_name(f"f-{seed}", "f", [])
        assert female[1:-1].split()[0].casefold() in names.female
        male = replacement_name(f"m-{seed}", "m", [])
        assert male[1:-1].split()[0].casefold() in names.male
