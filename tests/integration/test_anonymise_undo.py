"""Anonymisation decisions are undoable (#14): accept, reject, auto-accept, rename and names or
spans added by hand go back and forth through ``services.undo``/``redo`` on a real SQLite copy of
the sample project; the key file follows; the audit log holds ids, pseudonyms and counts only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from codebench import services
from codebench.services import anonymisation
from codebench.services.history import describe_operation
from tests.conftest import copy_detected_sample

CODER = "tester"
KRISTINE = "Kristine Holm"


@pytest.fixture
def detected(detected_sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[services.Project]:
    """A writable copy of the sample project after rule-based detection (nothing decided yet),
    with its own copy of the pseudonym key."""
    copy_detected_sample(detected_sample_dir, tmp_path / "sample", tmp_path / "keys", monkeypatch)
    project = services.open_project(tmp_path / "sample")
    yield project
    project.close()


def statuses(project: services.Project) -> dict[int, str]:
    """Mention id -> status, for every mention of the project."""
    return {m.id: m.status for e in anonymisation.entities(project, with_mentions=True) for m in e.mentions}


def entity_with(project: services.Project, form: str) -> anonymisation.EntityView:
    return next(e for e in anonymisation.entities(project, with_mentions=True) if form in e.forms)


def key_entry(project: services.Project, pseudonym: str) -> dict[str, Any]:
    key = yaml.safe_load(anonymisation.pseudonym_key(project).path.read_text(encoding="utf-8"))
    return next(e for e in key["entities"] if e["pseudonym"] == pseudonym)


def test_accept_then_reject_one_mention_undo_and_redo(detected: services.Project) -> None:
    start = statuses(detected)
    person = entity_with(detected, KRISTINE)
    assert anonymisation.decide(detected, "accept", entity=person.id, coder=CODER) == len(person.mentions)
    accepted = statuses(detected)
    one = person.mentions[1].id
    anonymisation.decide(detected, "reject", mentions=[one], coder=CODER)

    entry = services.undo(detected, CODER)
    assert describe_operation(entry) == f"reject of 1 mention of {person.pseudonym}"
    assert statuses(detected) == accepted
    entry = services.undo(detected, CODER)
    assert describe_operation(entry) == f"accept of {len(person.mentions)} mentions of {person.pseudonym}"
    assert statuses(detected) == start

    assert services.redo(detected, CODER).action == "anonymise_accept"
    assert statuses(detected) == accepted
    assert services.redo(detected, CODER).action == "anonymise_reject"
    assert statuses(detected)[one] == "rejected"
    assert services.redo(detected, CODER) is None


def test_undo_rewrites_the_key_like_the_decision(detected: services.Project) -> None:
    person = entity_with(detected, KRISTINE)
    anonymisation.decide(detected, "reject", entity=person.id, coder=CODER)
    entry = key_entry(detected, person.pseudonym)
    assert entry["originals"] == [] and KRISTINE in entry["rejected"], "rejected forms are kept apart in the key"
    services.undo(detected, CODER)
    entry = key_entry(detected, person.pseudonym)
    assert KRISTINE in entry["originals"] and "rejected" not in entry


def test_undo_never_takes_back_another_coders_later_decision(detected: services.Project) -> None:
    start = statuses(detected)
    person = entity_with(detected, KRISTINE)
    anonymisation.decide(detected, "accept", entity=person.id, coder=CODER)
    theirs = person.mentions[0].id
    anonymisation.decide(detected, "reject", mentions=[theirs], coder="kari")
    services.undo(detected, CODER)
    after = statuses(detected)
    assert after[theirs] == "rejected"
    assert {i: s for i, s in after.items() if i != theirs} == {i: s for i, s in start.items() if i != theirs}


def test_auto_accept_undo_and_redo_take_exactly_its_mentions(detected: services.Project) -> None:
    person = entity_with(detected, KRISTINE)
    anonymisation.decide(detected, "reject", entity=person.id, coder=CODER)  # decided before: stays
    before = statuses(detected)
    preview = anonymisation.review.auto_accept_preview(detected)
    accepted = anonymisation.auto_accept(detected, coder=CODER)
    assert accepted == preview.mentions > 100 and sum(n for n, _ in preview.by_kind.values()) == accepted
    after = statuses(detected)
    assert sum(1 for i in after if after[i] != before[i]) == accepted

    entry = services.undo(detected, CODER)
    assert describe_operation(entry) == f"auto-accept of {accepted:,} mentions of {preview.entities:,} entities"
    assert statuses(detected) == before
    services.redo(detected, CODER)
    assert statuses(detected) == after
    services.undo(detected, CODER)
    services.undo(detected, CODER)  # and the reject before it
    assert set(statuses(detected).values()) == {"suggested"}


def test_auto_accept_with_nothing_at_its_threshold_accepts_nothing(detected: services.Project) -> None:
    # An auto-accept that found nothing at its threshold took every open suggestion of the
    # project, down to 0.25 guesses ("bil", "bjørn"): a second --auto run did.
    anonymisation.auto_accept(detected, coder=CODER)
    after_first = statuses(detected)
    assert "suggested" in set(after_first.values()), "some suggestions stay open below the threshold"
    assert anonymisation.auto_accept(detected, coder=CODER) == 0
    assert statuses(detected) == after_first
    # ... and leaves nothing to undo in front of the first: ctrl+z had "undone" the second
    # --auto of a tester's script, an auto-accept of 0 mentions.
    entry = services.undo(detected, CODER)
    assert describe_operation(entry).startswith("auto-accept of ") and "of 0 mentions" not in describe_operation(entry)
    services.redo(detected, CODER)
    assert statuses(detected) == after_first
    # Deciding an entity without naming mentions still decides all of its open ones.
    person = next(e for e in anonymisation.entities(detected, with_mentions=True)
                  if any(m.status == "suggested" for m in e.mentions))
    assert anonymisation.decide(detected, "reject", entity=person.id, coder=CODER) >= 1
    decided = next(e for e in anonymisation.entities(detected, with_mentions=True) if e.id == person.id)
    assert "suggested" not in {m.status for m in decided.mentions}


def test_rename_undo_and_redo_keep_the_chosen_pseudonym_whole(detected: services.Project) -> None:
    person = entity_with(detected, KRISTINE)
    anonymisation.decide(detected, "accept", entity=person.id, coder=CODER)
    anonymisation.rename_entity(detected, person.id, "Kollega K", coder=CODER)
    assert key_entry(detected, "[Kollega K]")["id"]
    entry = services.undo(detected, CODER)
    assert describe_operation(entry) == f"rename of {person.pseudonym} to [Kollega K]"
    assert entity_with(detected, KRISTINE).pseudonym == person.pseudonym
    assert key_entry(detected, person.pseudonym), "the key has the old pseudonym back"
    services.redo(detected, CODER)
    assert entity_with(detected, KRISTINE).pseudonym == "[Kollega K]"
    # Redone, it is still the researcher's own: every mention shows it whole.
    docs = {m.document_id for m in person.mentions}
    texts = [anonymisation.rendition(detected, d).text for d in docs]
    assert sum(t.count("[Kollega K]") for t in texts) == len(person.mentions)
    assert not any("[Kollega]" in t for t in texts)


def test_undo_of_rename_refuses_a_pseudonym_taken_since(detected: services.Project) -> None:
    first, second = anonymisation.entities(detected)[:2]
    anonymisation.rename_entity(detected, first.id, "Kollega K", coder=CODER)
    anonymisation.rename_entity(detected, second.id, first.pseudonym.strip("[]"), coder="kari")
    with pytest.raises(services.ServiceError, match="another entity"):
        services.undo(detected, CODER)
    assert entity_with(detected, first.forms[0]).pseudonym == "[Kollega K]", "nothing half-done"


def test_add_name_undo_brings_back_what_it_absorbed(detected: services.Project) -> None:
    before = statuses(detected)
    person = entity_with(detected, KRISTINE)
    # A longer name over a detected one: the detected mentions are absorbed into the new marks.
    pseudonym, count = anonymisation.add_name(detected, "Kristine Holm på NAV", coder=CODER)
    assert count > 0 and "Kristine Holm på NAV" in anonymisation.pseudonym_key(detected).added_names()
    added = statuses(detected)
    assert set(added) != set(before), "some mentions were absorbed"

    entry = services.undo(detected, CODER)
    assert describe_operation(entry) == f"add of {count} mention{'s' if count != 1 else ''} of {pseudonym}"
    assert statuses(detected) == before, "the absorbed mentions are back, with their ids and statuses"
    assert "Kristine Holm på NAV" not in anonymisation.pseudonym_key(detected).added_names(), \
        "later imports are not searched for a name whose adding was undone"
    assert entity_with(detected, KRISTINE).id == person.id

    services.redo(detected, CODER)
    assert statuses(detected) == added, "the same marks, with the same ids"
    assert "Kristine Holm på NAV" in anonymisation.pseudonym_key(detected).added_names()


def test_add_of_a_new_name_undo_removes_the_entity(detected: services.Project) -> None:
    entities_before = {e.id for e in anonymisation.entities(detected)}
    pseudonym, count = anonymisation.add_name(detected, "Eikås barnehage", kind="ORG", coder=CODER)
    assert count >= 1 and pseudonym not in {e.pseudonym for e in anonymisation.entities(detected) if e.id in entities_before}
    services.undo(detected, CODER)
    assert {e.id for e in anonymisation.entities(detected)} == entities_before
    with detected.transaction(write=False) as store:
        assert store.anonymisation.entity_by_pseudonym(pseudonym) is None, "the new entity went with its mentions"
    services.redo(detected, CODER)
    assert entity_with(detected, "Eikås barnehage").pseudonym == pseudonym


def test_add_mention_undo_and_redo(detected: services.Project) -> None:
    before = statuses(detected)
    doc = services.list_documents(detected)[0].id
    text = services.get_document(detected, doc).text
    start = text.index(" ", 200) + 1
    end = text.index(" ", start)
    pseudonym = anonymisation.add_mention(detected, doc, start, end, kind="ORG", coder=CODER)
    assert pseudonym in anonymisation.rendition(detected, doc).text
    services.undo(detected, CODER)
    assert statuses(detected) == before and pseudonym not in anonymisation.rendition(detected, doc).text
    services.redo(detected, CODER)
    assert pseudonym in anonymisation.rendition(detected, doc).text


def test_the_log_of_decisions_holds_no_original_text(detected: services.Project) -> None:
    person = entity_with(detected, KRISTINE)
    anonymisation.decide(detected, "accept", entity=person.id, coder=CODER)
    anonymisation.decide(detected, "reject", mentions=[person.mentions[0].id], coder=CODER)
    anonymisation.auto_accept(detected, coder=CODER)
    anonymisation.rename_entity(detected, person.id, "Kollega K", coder=CODER)
    anonymisation.add_name(detected, "Eikås barnehage", kind="ORG", coder=CODER)
    # (a span a decision left in clear: marking one masked already changes nothing)
    anonymisation.add_mention(detected, person.mentions[0].document_id, person.mentions[0].start,
                              person.mentions[0].end, coder=CODER)
    for _ in range(3):
        services.undo(detected, CODER)
    services.redo(detected, CODER)
    logged = [e for e in services.audit_log(detected) if e.action.startswith("anonymise_") or e.action in ("undo", "redo")]
    assert {e.action for e in logged} >= {"anonymise_accept", "anonymise_reject", "anonymise_auto", "anonymise_rename",
                                          "anonymise_add", "undo", "redo"}
    dumped = json.dumps([e.payload for e in logged], ensure_ascii=False).casefold()
    forms = {f.casefold() for e in anonymisation.entities(detected) for f in e.forms if len(f) >= 4}
    forms |= {"eikås barnehage", "eikås"}
    assert forms and not [f for f in forms if f in dumped]


def test_decisions_logged_before_undo_existed_stay_out_of_the_history(detected: services.Project) -> None:
    with detected.transaction() as store:
        store.audit.log("anonymise_accept", CODER, {"entity": None, "mentions": 1, "changed": 1})
        store.audit.log("anonymise_add", CODER, {"entity": 1, "mentions": 2})
    assert services.undo(detected, CODER) is None


@pytest.mark.postgres
def test_add_undo_redo_on_postgres(pg_project: services.Project, tmp_path: Path) -> None:
    """Undo and redo bring mentions and entities back with their ids: on PostgreSQL that is an
    insert beside the id sequence, which must neither clash nor stop later inserts."""
    path = tmp_path / "intervju.txt"
    path.write_text("I: Hvem hjalp deg?\n\nR: Kari Nordmann. Kari ringte hver uke.\n\nI: Og så?\n\nR: Kari igjen.\n",
                    encoding="utf-8")
    assert not services.import_files(pg_project, [path]).errors
    anonymisation.detect(pg_project, use_model=False, coder="fixture")
    before = statuses(pg_project)
    anonymisation.add_name(pg_project, "Kari Nordmann", coder=CODER)
    added = statuses(pg_project)
    services.undo(pg_project, CODER)
    assert statuses(pg_project) == before
    services.redo(pg_project, CODER)
    assert statuses(pg_project) == added
    # New rows after the restored ones still get fresh ids.
    _, more = anonymisation.add_name(pg_project, "Og så", kind="ORG", coder=CODER)
    assert more == 1 and len(statuses(pg_project)) == len(added) + 1


def test_the_command_line_says_which_decision_it_undid(detected: services.Project) -> None:
    from click.testing import CliRunner

    from codebench.cli import main

    person = entity_with(detected, KRISTINE)
    root = str(detected.root)
    runner = CliRunner()
    env = {"CODEBENCH_CODER": CODER}
    assert runner.invoke(main, ["anonymise", "accept", root, str(person.id)], env=env).exit_code == 0
    renamed = runner.invoke(main, ["anonymise", "rename", root, person.pseudonym, "Kollega K"], env=env)
    assert renamed.exit_code == 0, renamed.output
    undone = runner.invoke(main, ["undo", root], env=env)
    assert undone.exit_code == 0 and f"undid rename of {person.pseudonym} to [Kollega K]" in undone.output
    redone = runner.invoke(main, ["redo", root], env=env)
    assert f"redid rename of {person.pseudonym} to [Kollega K]" in redone.output
    assert KRISTINE not in undone.output + redone.output
    # --auto is a decision of the coder who runs it, so undo takes it back
    auto = runner.invoke(main, ["anonymise", root, "--auto", "--no-model"], env=env)
    assert auto.exit_code == 0, auto.output
    assert "undid auto-accept of" in runner.invoke(main, ["undo", root], env=env).output
