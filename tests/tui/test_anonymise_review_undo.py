"""Deliberate, undoable decisions in the review screen (#14), driven through the real workbench:
auto-accept asks first (how many mentions and entities, of which kinds), ctrl+z and ctrl+y
take decisions back and forth with a message, and F2 renames an entity in every mention."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from codebench import services
from codebench.services import anonymisation
from codebench.services.anonymisation.review import auto_accept_preview
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.anonymise import AnonymisationScreen
from codebench.tui.screens.confirm import ConfirmDialog
from codebench.tui.screens.picker import TextPrompt
from tests.conftest import copy_detected_sample
from tests.tui.helpers import messages

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


async def settle(pilot) -> None:
    """Wait until no worker is left (a decision's worker starts the reload when it ends)."""
    for _ in range(100):
        await pilot.pause()
        pending = [w for w in pilot.app.workers if not w.is_finished]
        if not pending:
            break
        await pilot.app.workers.wait_for_complete(pending)
    await pilot.pause()


async def open_review(pilot) -> AnonymisationScreen:
    await settle(pilot)
    await pilot.press("a")  # from the project view
    await settle(pilot)
    assert isinstance(pilot.app.screen, AnonymisationScreen)
    return pilot.app.screen


async def highlight_entity(pilot, screen: AnonymisationScreen, entity_id: int) -> None:
    """Focus the review's list of identifiers and highlight one (the keys M, T, A, R act on it)."""
    entities = screen.query_one("#entities")
    entities.focus()
    entities.highlighted = next(i for i, o in enumerate(entities.options) if o.id == f"entity:{entity_id}")
    await settle(pilot)


async def show_entity(pilot, screen: AnonymisationScreen, entity_id: int) -> None:
    """Highlight an entity in the review list and move to its mentions."""
    await highlight_entity(pilot, screen, entity_id)
    screen.query_one("#mentions").focus()
    await pilot.pause()


def statuses(project: services.Project) -> dict[int, str]:
    return {m.id: m.status for e in anonymisation.entities(project, with_mentions=True) for m in e.mentions}


async def test_auto_accept_asks_first_and_undoes(detected):
    before = statuses(detected)
    preview = auto_accept_preview(detected)
    assert preview.mentions > 100 and len(preview.by_kind) >= 2
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_review(pilot)

        await pilot.press("ctrl+a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        question = str(dialog.query_one("#confirm-body").render())
        assert f"{preview.mentions:,} mention(s)" in question and f"{preview.entities:,} entities" in question
        for kind, (mentions, entities) in preview.by_kind.items():
            assert f"{kind}" in question and f"{mentions:,} mention(s)" in question
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and statuses(detected) == before, "Esc leaves everything suggested"

        await pilot.press("ctrl+a")
        await settle(pilot)
        await pilot.press("enter")  # No has the focus: a habitual Enter cancels too
        await settle(pilot)
        assert app.screen is screen and statuses(detected) == before

        await pilot.press("ctrl+a")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        accepted = statuses(detected)
        assert sum(1 for i in accepted if accepted[i] != before[i]) == preview.mentions
        assert sum(v.statuses.get("accepted", 0) for v in screen.views) == preview.mentions, "the lists reloaded"

        await pilot.press("ctrl+z")
        await settle(pilot)
        assert statuses(detected) == before
        assert messages(app)[-1] == f"undid auto-accept of {preview.mentions:,} mentions of {preview.entities:,} entities"
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert statuses(detected) == accepted
        assert messages(app)[-1].startswith("redid auto-accept of")


async def test_accept_and_reject_undo_in_order(detected):
    person = next(e for e in anonymisation.entities(detected, with_mentions=True) if KRISTINE in e.forms)
    before = statuses(detected)
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_review(pilot)
        entities = screen.query_one("#entities")
        entities.highlighted = next(i for i, o in enumerate(entities.options) if o.id == f"entity:{person.id}")
        await pilot.pause()
        await pilot.press("A")
        await settle(pilot)
        # the review moved on to the next open entity: back to this one to reject a mention
        entities.highlighted = next(i for i, o in enumerate(entities.options) if o.id == f"entity:{person.id}")
        await pilot.pause()
        await pilot.press("tab", "N")  # reject the first mention alone
        await settle(pilot)
        assert statuses(detected)[person.mentions[0].id] == "rejected"

        await pilot.press("ctrl+z")
        await settle(pilot)
        assert messages(app)[-1] == f"undid reject of 1 mention of {person.pseudonym}"
        assert {statuses(detected)[m.id] for m in person.mentions} == {"accepted"}
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert messages(app)[-1] == f"undid accept of {len(person.mentions)} mentions of {person.pseudonym}"
        assert statuses(detected) == before
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert messages(app)[-1] == "nothing to undo"


async def test_f2_rename_shows_the_whole_pseudonym_in_every_mention(detected):
    person = next(e for e in anonymisation.entities(detected, with_mentions=True) if KRISTINE in e.forms)
    alone = [m for m in person.mentions if " " not in m.text.strip()]
    assert alone, "the entity has mentions of the given name alone"
    anonymisation.decide(detected, "accept", entity=person.id, coder=CODER)
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_review(pilot)
        entities = screen.query_one("#entities")
        entities.highlighted = next(i for i, o in enumerate(entities.options) if o.id == f"entity:{person.id}")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one("#prompt-input").value = ""
        await pilot.press(*"Kollega", "space", "K", "enter")
        await settle(pilot)
        assert screen.current_entity().pseudonym == "[Kollega K]"

        documents = {m.document_id for m in person.mentions}
        texts = [anonymisation.rendition(detected, d).text for d in documents]
        assert sum(t.count("[Kollega K]") for t in texts) == len(person.mentions)
        assert not any("[Kollega]" in t for t in texts), "a given name alone shows the whole pseudonym"

        await pilot.press("ctrl+z")
        await settle(pilot)
        assert messages(app)[-1] == f"undid rename of {person.pseudonym} to [Kollega K]"
        assert screen.current_entity().pseudonym == person.pseudonym


async def test_m_joins_the_highlighted_entity_into_another_and_ctrl_z_takes_it_back(detected):
    # Found by an independent tester: linking kept a person apart twice and the workbench had no
    # way to make them one.
    views = [e for e in anonymisation.entities(detected) if e.kind == "PER"]
    kept, other = views[0], views[1]
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_review(pilot)
        entities = screen.query_one("#entities")
        entities.focus()
        at = next(i for i, o in enumerate(entities.options) if o.id == f"entity:{other.id}")
        entities.highlighted = at
        following = next(o.id for o in entities.options[at + 1:] if not o.disabled)
        await pilot.pause()
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*kept.pseudonym.strip("[]"), "enter")
        await settle(pilot)
        assert messages(app)[-1].startswith(f"joined {other.pseudonym} into {kept.pseudonym}")
        # The review stays with the person joined, now under the kept pseudonym: going on to the
        # entity below (stop 33) made two testers' next "a" accept an entity they had not read.
        assert screen.current_entity().pseudonym == kept.pseudonym
        assert f"entity:{screen.current_entity().id}" != following
        after = {e.pseudonym: e for e in anonymisation.entities(detected)}
        assert other.pseudonym not in after
        assert sum(after[kept.pseudonym].statuses.values()) == sum(kept.statuses.values()) + sum(other.statuses.values())
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert other.pseudonym in {e.pseudonym for e in anonymisation.entities(detected)}


async def test_m_joins_into_an_entity_named_by_one_of_its_names(detected):
    # Three testers typed the other pseudonym from memory; a name of it will do, and it completes.
    views = [e for e in anonymisation.entities(detected) if e.kind == "PER"]
    other = views[1]
    kept = next(v for v in views if v.id != other.id and any(
        sum(f in w.forms for w in views) == 1 for f in v.forms))
    name = next(f for f in sorted(kept.forms) if sum(f in w.forms for w in views) == 1)
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_review(pilot)
        await highlight_entity(pilot, screen, other.id)
        await pilot.press("M")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        assert other.pseudonym in prompt.title_text and sorted(other.forms)[0] in prompt.title_text
        await pilot.press(*name[:3])
        await pilot.pause()
        field = prompt.query_one("#prompt-input")
        assert field._suggestion.casefold().startswith(name[:3].casefold()), "typing offers a completion"
        for _ in range(3):
            await pilot.press("backspace")
        await pilot.press(*name)
        await pilot.pause()
        # The completion of the whole name says whose it is; → takes it.
        assert field._suggestion == f"{name} — {kept.pseudonym.strip('[]')}", field._suggestion
        await pilot.press("right", "enter")
        await settle(pilot)
        assert messages(app)[-1].startswith(f"joined {other.pseudonym} into {kept.pseudonym}")
        assert other.pseudonym not in {e.pseudonym for e in anonymisation.entities(detected)}


async def join_typed(pilot, screen: AnonymisationScreen, entity_id: int, typed: str, *, undo_first: bool = False) -> str:
    """M on the entity, ``typed`` and Enter (after ctrl+z of the last join, with ``undo_first``):
    what the review said last."""
    if undo_first:
        await pilot.press("ctrl+z")
        await settle(pilot)
    await highlight_entity(pilot, screen, entity_id)
    await pilot.press("M")
    await pilot.pause()
    await pilot.press(*typed, "enter")
    await settle(pilot)
    return messages(pilot.app)[-1]


async def test_m_takes_a_pseudonym_typed_into_an_edited_completion_and_says_when_nothing_is_called_so(detected):
    # Testers: a completion edited into "kjell — Per[Person 35]" was refused as an entity
    # "[Per[Person 35]"; "margit f" was refused with a command-line hint about an entity ''.
    views = [e for e in anonymisation.entities(detected) if e.kind == "PER"]
    kept, other = views[0], views[1]
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_review(pilot)
        said = await join_typed(pilot, screen, other.id, "zzqx nobody")
        assert "no identifier of this kind is called «zzqx nobody»" in said
        # the name of the entity being joined itself says so (a tester was told none was called so)
        own = next(f for f in sorted(other.forms) if not any(
            g.casefold().startswith(f.casefold()) or any(w.startswith(f.casefold()) for w in g.casefold().split())
            for v in views if v.id != other.id for g in v.forms))
        said = await join_typed(pilot, screen, other.id, own)
        assert f"is {other.pseudonym} itself" in said, (own, said)
        assert "codebench anonymise" not in said
        assert other.pseudonym in {e.pseudonym for e in anonymisation.entities(detected)}
        # The start of a name, Enter before → : the one entity whose name starts so.
        start = next(f[:4] for f in sorted(kept.forms) if len(f) > 5
                     and sum(any(g.casefold().startswith(f[:4].casefold()) for g in v.forms) for v in views) == 1)
        said = await join_typed(pilot, screen, other.id, start)
        assert said.startswith(f"joined {other.pseudonym} into {kept.pseudonym}"), (start, said)
        said = await join_typed(pilot, screen, other.id, f"kjell — Per{kept.pseudonym}", undo_first=True)
        assert said.startswith(f"joined {other.pseudonym} into {kept.pseudonym}")
        # The start of a later word of a name ("kazl" of "tomas kazlauskas", two testers').
        candidates = [(v, w[:4]) for v in views if v.id != other.id for f in v.forms for w in f.split()[1:]
                      if len(w) > 5 and f.casefold().split()[0][:4] != w[:4].casefold()]
        target, piece = next((v, p) for v, p in candidates
                             if sum(any(any(x.casefold().startswith(p.casefold()) for x in g.split()) for g in u.forms)
                                    for u in views if u.id != other.id) == 1)
        said = await join_typed(pilot, screen, other.id, piece, undo_first=True)
        assert said.startswith(f"joined {other.pseudonym} into {target.pseudonym}"), (piece, said)
        # A pseudonym typed in lower case (a tester's "sted 39" did nothing: no "[sted 39]").
        said = await join_typed(pilot, screen, other.id, kept.pseudonym.strip("[]").lower(), undo_first=True)
        assert said.startswith(f"joined {other.pseudonym} into {kept.pseudonym}"), said


async def test_shift_s_splits_the_highlighted_mention_off_and_ctrl_z_takes_it_back(detected):
    # Found by an independent tester: a mention linked into the wrong person could not be given
    # its own pseudonym.
    person = next(e for e in anonymisation.entities(detected, with_mentions=True) if KRISTINE in e.forms)
    mention = person.mentions[0]
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_review(pilot)
        await show_entity(pilot, screen, person.id)
        assert screen.current_mention().id == mention.id
        await pilot.press("S")
        await settle(pilot)
        assert "split off from" in messages(app)[-1]
        owner = next(e for e in anonymisation.entities(detected, with_mentions=True)
                     if any(m.id == mention.id for m in e.mentions))
        assert owner.id != person.id and len(owner.mentions) == 1
        # The review stays with the entity being read, at its next mention: a tester's next "n"
        # had rejected the mention just split off, which the highlight had followed.
        assert screen.current_entity().id == person.id
        assert screen.current_mention().id == person.mentions[1].id
        # What happened is said on the note line, not in a pop-up over the mention context.
        note = str(screen.query_one("#review-note").render())
        assert "split off from" in note
        assert note.startswith("now [") and note.split(":")[0][4:] != person.pseudonym, "the new pseudonym first"
        assert not any("split off" in n.message for n in app._notifications)
        await pilot.press("ctrl+z")
        await settle(pilot)
        owner = next(e for e in anonymisation.entities(detected, with_mentions=True)
                     if any(m.id == mention.id for m in e.mentions))
        assert owner.id == person.id


async def test_a_lone_name_of_another_interview_is_asked_about_and_shift_s_splits_that_interview_off(
        project: services.Project, tmp_path: Path) -> None:
    # Two independent informants: the second one's sister "Kari" was joined to the first one's
    # adviser Kari Nordmann by the given name alone.
    texts = {"a.txt": "I: Hvem følger deg opp?\n\nR: Det er Kari Nordmann på NAV. Kari ringer meg hver uke.\n",
             "b.txt": "I: Hvem hjalp deg?\n\nR: Søstera mi, Kari, hjalp meg. Kari kjørte meg til jobben.\n"}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        services.import_files(project, [tmp_path / name], services.ParticipantSpec(role="mentor", round=1))
    anonymisation.set_people_scope(project, "project", coder=CODER)  # one site: joined by the given name
    anonymisation.detect(project, use_model=False, coder=CODER)
    person = next(e for e in anonymisation.entities(project, with_mentions=True) if "Kari Nordmann" in e.forms)
    (doc, lone), = person.lone_name_documents()
    assert doc == "b" and len(lone) == 2
    app = CodebenchApp(project, CODER)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_review(pilot)
        await show_entity(pilot, screen, person.id)
        mentions = screen.query_one("#mentions")
        mentions.highlighted = next(i for i, o in enumerate(mentions.options) if o.id == f"mention:{lone[0]}")
        await pilot.pause()
        prompt = str(mentions.get_option(f"mention:{lone[0]}").prompt)
        assert "same person?" in prompt
        first = next(m for m in person.mentions if m.id not in lone)
        assert "same person?" not in str(mentions.get_option(f"mention:{first.id}").prompt)
        await pilot.press("S")
        await settle(pilot)
        assert "2 mentions split off from" in messages(app)[-1] and messages(app)[-1].endswith(" in b")
    owners = {m.id: e.pseudonym for e in anonymisation.entities(project, with_mentions=True) for m in e.mentions}
    assert owners[lone[0]] == owners[lone[1]] != owners[first.id]


async def test_shift_t_makes_the_entity_another_kind_and_ctrl_z_takes_it_back(detected):
    # Found by testers: a place the model had taken for a person could not be made a place in
    # review (join takes entities of one kind; reject and mark again went occurrence by occurrence).
    from codebench.tui.screens.kind_picker import KindPicker

    person = next(e for e in anonymisation.entities(detected, with_mentions=True) if KRISTINE in e.forms)
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_review(pilot)
        await show_entity(pilot, screen, person.id)
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, KindPicker)
        assert person.pseudonym in str(app.screen.query_one("#kind-title").render())
        await pilot.press("l")
        await settle(pilot)
        assert app.screen is screen
        now = screen.current_entity()
        assert now.kind == "LOC" and now.pseudonym.startswith("[Sted ") and KRISTINE in now.forms
        assert len(now.mentions) == len(person.mentions)
        assert f"{person.pseudonym} is now {now.pseudonym}" in str(screen.query_one("#review-note").render())
        await pilot.press("ctrl+z")
        await settle(pilot)
        owner = next(e for e in anonymisation.entities(detected, with_mentions=True) if KRISTINE in e.forms)
        assert owner.id == person.id and owner.kind == "PER"
        # The kind it is now is no choice: p on a person closes without a change.
        await show_entity(pilot, screen, person.id)
        await pilot.press("T")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert app.screen is screen
        assert next(e for e in anonymisation.entities(detected) if KRISTINE in e.forms).id == person.id


async def test_m_completes_to_a_name_of_the_same_interviews_first(detected):
    # A tester typed "sol b" meaning Sol Brekke beside the one joined; the completion offered Sol
    # Bruke of another town's interview, and Enter joined across interviews.
    views = [e for e in anonymisation.entities(detected, with_mentions=True) if e.kind == "PER"]
    other = next(v for v in views if 1 < len({m.document_id for m in v.mentions}) < 6)
    here = {m.document_id for m in other.mentions}
    near = {v.pseudonym.strip("[]") for v in views if v.id != other.id and here & {m.document_id for m in v.mentions}}
    assert near and len(near) < len(views) - 1
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_review(pilot)
        await highlight_entity(pilot, screen, other.id)
        await pilot.press("M")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        whose = [s.split(" — ")[-1] for s in prompt.suggestions]
        first_far = next(i for i, p in enumerate(whose) if p not in near)
        assert all(p not in near for p in whose[first_far:]), "every completion of these interviews comes first"
        await pilot.press("escape")
