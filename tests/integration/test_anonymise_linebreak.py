"""A replacement never swallows a line break (#14), through the services on a real project:
a name written across a line end is stored as two mentions of one entity, and the rendition
has exactly the lines (and turns) of the original, also for a mention an older database holds
across the line end."""

from __future__ import annotations

import os

from pathlib import Path

import pytest

from codebench import services
from codebench.anonymise.ner import MODEL_DIR
from codebench.domain.records import NewEntity, NewMention
from codebench.services import anonymisation

TRANSCRIPT = (
    "I: Hvem var veilederen din?\n\n"
    "R: Det var Aksel Lund Svindal på NAV Sørvik. Han ringte meg hver uke.\n\n"
    "I: Og etterpå?\n\n"
    "R: Etterpå fikk jeg en ny, men jeg snakker fortsatt med Aksel\n"
    "Lund Svindal av og til.\n\n"
    "I: Hvem andre?\n\n"
    "R: Kari Nordmann\n"
    "I: Mentoren?\n"
)
# The model ships in the package: on a workstation a missing one skips, under CI it must be there.
needs_model = pytest.mark.skipif(not (MODEL_DIR / "meta.json").exists() and os.environ.get("CI") != "true",
                                 reason="NER model not installed")


@pytest.fixture
def aksel_project(project: services.Project, tmp_path: Path) -> services.Project:
    path = tmp_path / "intervju.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    assert not services.import_files(project, [path], services.ParticipantSpec(role="mentor", round=1)).errors
    return project


def _doc(project: services.Project) -> int:
    return services.list_documents(project)[0].id


def _stored_texts(project: services.Project) -> list[str]:
    """The original text of every stored mention."""
    views = anonymisation.entities(project, with_mentions=True)
    return [m.text for v in views for m in v.mentions]


def _assert_lines_kept(project: services.Project) -> str:
    rendition = anonymisation.rendition(project, _doc(project)).text
    original = services.get_document(project, _doc(project)).text
    assert rendition.count("\n") == original.count("\n")
    assert len(rendition.splitlines()) == len(original.splitlines())
    assert "Aksel" not in rendition and "Svindal" not in rendition
    return rendition


@pytest.mark.parametrize("use_model", [False, pytest.param(True, marks=needs_model)])
def test_detection_splits_a_name_at_the_line_end(aksel_project: services.Project, use_model: bool) -> None:
    turns_before = len(services.get_document(aksel_project, _doc(aksel_project)).turns)
    anonymisation.detect(aksel_project, use_model=use_model)
    assert all("\n" not in text for text in _stored_texts(aksel_project))
    aksel = next(v for v in anonymisation.entities(aksel_project, with_mentions=True)
                 if "Aksel Lund Svindal" in v.forms)
    assert {"Aksel", "Lund Svindal"} <= {m.text for m in aksel.mentions}, "one entity, a mention on each line"
    anonymisation.auto_accept(aksel_project)
    rendition = _assert_lines_kept(aksel_project)
    assert f"med {aksel.pseudonym}\n{aksel.pseudonym} av og til" in rendition
    assert len(services.get_document(aksel_project, _doc(aksel_project)).turns) == turns_before


def test_a_name_or_selection_added_by_hand_is_one_mention_per_line(aksel_project: services.Project) -> None:
    pseudonym, count = anonymisation.add_name(aksel_project, "Aksel Lund Svindal", coder="per")
    assert count == 3  # the full name once on one line, once across the line end (two parts)
    text = services.get_document(aksel_project, _doc(aksel_project)).text
    start = text.index("Kari Nordmann")
    # A selection dragged over the line end, newline included.
    selected = anonymisation.add_mention(aksel_project, _doc(aksel_project), start, text.index("I: Mentoren?"),
                                         coder="per")
    assert all("\n" not in t for t in _stored_texts(aksel_project))
    assert "Kari Nordmann" in _stored_texts(aksel_project)
    rendition = _assert_lines_kept(aksel_project)
    assert f"med {pseudonym}\n{pseudonym} av" in rendition and f"R: {selected}\nI: Mentoren?" in rendition
    blank = text.index("\n\n")
    for empty in ((start - 1, start), (blank, blank + 2)):  # a space, a blank line: nothing to mark
        with pytest.raises(services.ServiceError, match="no word"):
            anonymisation.add_mention(aksel_project, _doc(aksel_project), *empty, coder="per")


def test_a_stored_mention_across_the_line_end_renders_on_both_lines(aksel_project: services.Project) -> None:
    """What a database written before the fix may hold: one accepted mention over the newline."""
    text = services.get_document(aksel_project, _doc(aksel_project)).text
    start = text.index("Aksel\nLund")
    with aksel_project.transaction() as store:
        (entity,) = store.anonymisation.add_entities([NewEntity("PER", "[Veileder 1]", True)])
        store.anonymisation.add_mentions([NewMention(_doc(aksel_project), entity.id, start,
                                                     start + len("Aksel\nLund Svindal"), "accepted", "ner", 0.9)])
    rendition = anonymisation.rendition(aksel_project, _doc(aksel_project)).text
    assert "med [Veileder 1]\n[Veileder 1] av og til" in rendition
    assert rendition.count("\n") == text.count("\n")
    # The same through a quote of that passage.
    (passage,) = anonymisation.anonymised_passages(aksel_project, [(_doc(aksel_project), start - 4, start + 21)])
    assert passage == "med [Veileder 1]\n[Veileder 1] av"
