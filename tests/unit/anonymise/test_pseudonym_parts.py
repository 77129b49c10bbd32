"""A pseudonym reads the same in every mention of its entity, unless it is a replacement name.

The names style shortens "[Hilde Lunde]" to "[Hilde]" where the text has the given name alone;
a label or a pseudonym the researcher typed is never cut, so one entity never reads as two.
"""

from __future__ import annotations

from codebench.anonymise.gazetteer import lexicon
from codebench.anonymise.pipeline import Replacement, render
from codebench.anonymise.pseudonyms import is_replacement_name, mention_text, replacement_name

TEXT = "Kari Nordmann er mentor. Kari har jobbet her lenge, og Karis kontor ligger ved lageret."
FORMS = {"kari nordmann", "kari"}


def _mentions(pseudonym: str) -> list[Replacement]:
    spans = [(0, len("Kari Nordmann")), (TEXT.index("Kari har"), TEXT.index("Kari har") + 4),
             (TEXT.index("Karis"), TEXT.index("Karis") + 5)]
    return [Replacement(s, e, pseudonym, TEXT[s:e]) for s, e in spans]


def test_a_typed_pseudonym_is_never_cut() -> None:
    text, _ = render(TEXT, _mentions("[Kollega K]"), {"[Kollega K]": FORMS})
    assert text == ("[Kollega K] er mentor. [Kollega K] har jobbet her lenge, og [Kollega K]s kontor "
                    "ligger ved lageret.")


def test_a_label_is_never_cut() -> None:
    text, _ = render(TEXT, _mentions("[Mentor 2]"), {"[Mentor 2]": FORMS})
    assert text.count("[Mentor 2]") == 3 and "[Mentor 2]s kontor" in text


def test_a_replacement_name_follows_the_mention_unless_chosen() -> None:
    name = replacement_name("kari", "f", ["kari", "nordmann"])
    given = name[1:-1].split()[0]
    text, _ = render(TEXT, _mentions(name), {name: FORMS})
    assert text.startswith(f"{name} er mentor. [{given}] har jobbet") and f"[{given}]s kontor" in text
    # The same realistic name typed by the researcher (a rename) is theirs: shown whole.
    chosen, _ = render(TEXT, _mentions(name), {name: FORMS}, whole={name})
    assert chosen.count(name) == 3 and f"{name}s kontor" in chosen


def test_only_a_given_name_and_a_surname_make_a_replacement_name() -> None:
    names = lexicon()
    given = min(names.female).title()
    surname = min(names.surnames).title()
    assert is_replacement_name(f"[{given} {surname}]")
    for pseudonym in ("[Kollega K]", "[Veileder 2]", "[Person 3]", f"[{given}]", f"[Kollega {surname}]",
                      f"[{given} K]"):
        assert not is_replacement_name(pseudonym), pseudonym
        assert mention_text(pseudonym, "Kari", possessive=False, part="first") == pseudonym
        assert mention_text(pseudonym, "Karis", possessive=True, part="first") == pseudonym + "s"


def test_the_possessive_keeps_its_s_when_both_spellings_are_forms_of_the_entity() -> None:
    # Found by using it: "Det var Toffens idé" became "Det var [Person 5] idé" because the model
    # had also found "Toffens" as a mention of its own, so "toffens" was one of the forms.
    text = "Vi kaller ham Toffen. Det var Toffens idé."
    spans = [(text.index("Toffen."), text.index("Toffen.") + 6), (text.index("Toffens"), text.index("Toffens") + 7)]
    out, _ = render(text, [Replacement(s, e, "[Person 5]", text[s:e]) for s, e in spans],
                    {"[Person 5]": {"toffen", "toffens"}})
    assert out == "Vi kaller ham [Person 5]. Det var [Person 5]s idé."
