"""Accepting a person (or joining one into another) masks the person's other sayings that no
detector marked in its documents, with the same decision, and undo takes them back.

A tester accepted Stig Rune Hatten and still read "og hatten han e" in the masked view; another
joined "mugge" into Magnus and six "mugge" stayed in clear. An earlier attempt added those
sayings as open suggestions: an entity just accepted was open again, and undo left them. Real
SQLite project, rules and name lists only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codebench import services
from codebench.services import anonymisation

CODER = "tester"
HELGELAND = ("SPEAKER_00: kven e mentoren\nSPEAKER_01: det e stig rune hatten han e formann på verkstedet\n"
             "SPEAKER_00: ja\nSPEAKER_01: og hatten han e en sånn rolig kar som tar med hatten sin på jobb\n")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CODEBENCH_KEY_DIR", str(tmp_path / "keys"))
    source = tmp_path / "helgeland.txt"
    source.write_text(HELGELAND, encoding="utf-8")
    found = services.init_project(tmp_path / "p")
    services.import_files(found, [source])
    anonymisation.detect(found, use_model=False, coder=CODER)
    yield found
    found.close()


def _person(project: services.Project, form: str) -> anonymisation.EntityView:
    return next(e for e in anonymisation.entities(project, with_mentions=True) if form in e.forms)


def _shown(project: services.Project, pseudonym: str) -> str:
    doc = services.list_documents(project)[0]
    return anonymisation.rendition(project, doc.id, with_open=True).text.replace(pseudonym, "[P]")


def test_accepting_a_person_masks_its_unmarked_sayings_as_accepted_and_undo_takes_them_back(project) -> None:
    person = _person(project, "stig rune hatten")
    assert [m.text for m in person.mentions] == ["stig rune hatten"], "the detectors leave the later saying"

    changed = anonymisation.decide(project, "accept", entity=person.id, coder=CODER)

    assert changed == 2, "the accept counts the saying it masked"
    shown = _shown(project, person.pseudonym)
    assert "og [P] han e en sånn" in shown
    assert "tar med hatten sin" in shown, "the hat stays a hat"
    after = _person(project, "stig rune hatten")
    assert sorted((m.text, m.status) for m in after.mentions) == [("hatten", "accepted"), ("stig rune hatten", "accepted")]
    assert not [e for e in anonymisation.entities(project) if e.id == person.id and e.statuses.get("suggested")], \
        "an entity just accepted is not open again"

    services.undo(project, CODER)
    back = _person(project, "stig rune hatten")
    assert [(m.text, m.status) for m in back.mentions] == [("stig rune hatten", "suggested")]
    assert "og hatten han e" in _shown(project, back.pseudonym)

    services.redo(project, CODER)
    again = _person(project, "stig rune hatten")
    assert sorted((m.text, m.status) for m in again.mentions) == [("hatten", "accepted"), ("stig rune hatten", "accepted")]


def test_a_saying_masked_with_the_accept_can_be_rejected_on_its_own(project) -> None:
    person = _person(project, "stig rune hatten")
    anonymisation.decide(project, "accept", entity=person.id, coder=CODER)
    saying = next(m for m in _person(project, "stig rune hatten").mentions if m.text == "hatten")

    anonymisation.decide(project, "reject", mentions=[saying.id], coder=CODER)

    assert "og hatten han e" in _shown(project, person.pseudonym)
    assert "det e [P] han e" in _shown(project, person.pseudonym), "the full name stays masked"


def test_accepting_one_mention_adds_nothing(project) -> None:
    person = _person(project, "stig rune hatten")
    anonymisation.decide(project, "accept", mentions=[person.mentions[0].id], coder=CODER)
    assert len(_person(project, "stig rune hatten").mentions) == 1


def test_a_join_into_an_accepted_person_masks_its_sayings_and_undo_of_the_join_takes_them_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEBENCH_KEY_DIR", str(tmp_path / "keys"))
    source = tmp_path / "helgeland.txt"
    source.write_text(HELGELAND.rstrip("\n") + " og han jarle var der\n", encoding="utf-8")
    project = services.init_project(tmp_path / "p")
    try:
        services.import_files(project, [source])
        anonymisation.detect(project, use_model=False, coder=CODER)
        person = _person(project, "stig rune hatten")
        nickname = _person(project, "jarle")
        assert nickname.id != person.id
        anonymisation.decide(project, "accept", mentions=[person.mentions[0].id], coder=CODER)
        assert "og hatten han e" in _shown(project, person.pseudonym), "one mention accepted adds nothing"

        anonymisation.join_entities(project, person.id, nickname.id, coder=CODER)

        assert "og [P] han e en sånn" in _shown(project, person.pseudonym)
        services.undo(project, CODER)
        assert "og hatten han e" in _shown(project, person.pseudonym)
        assert _person(project, "jarle").id == nickname.id, "the joined entity is back"
    finally:
        project.close()
