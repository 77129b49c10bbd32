"""Anonymisation review in the workbench, driven through the real app on the sample project.

Each step goes through the keys a researcher presses and then asserts what the services store
(mention statuses, pseudonyms, codings), not only what the screen shows.

Detection runs once per session, rules and names only (the NER model takes long to load), in a
subprocess (``detected_sample_dir`` in tests/conftest.py); each test works on its own copy.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from codebench import services
from codebench.services import anonymisation
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.confirm import ConfirmDialog
from codebench.tui.screens.anonymise import AnonymisationScreen, parse_kind
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.picker import CodePicker, TextPrompt
from codebench.tui.screens.kind_picker import KindPicker
from codebench.tui.screens.project import ProjectScreen
from codebench.tui.widgets.transcript import TranscriptView
from tests.conftest import TEMP_ROOT, copy_detected_sample
from tests.tui.helpers import run_from_palette

FIRST_DOC = "Intervju Kristine Holm runde 1"
KRISTINE = "Kristine Holm"  # the informant of FIRST_DOC: a form of one person entity
CODER = "tester"
KEYS = {" ": "space", ":": "colon", "-": "minus"}


@pytest.fixture
def key_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private key folder per test: the pseudonym key never lands in the user's home."""
    folder = tmp_path / "keys"
    monkeypatch.setenv("CODEBENCH_KEY_DIR", str(folder))
    return folder


@pytest.fixture
def detected(detected_sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[services.Project]:
    """A writable copy of the detected sample project, with its own copy of the key."""
    copy_detected_sample(detected_sample_dir, tmp_path / "sample", tmp_path / "keys", monkeypatch)
    project = services.open_project(tmp_path / "sample")
    yield project
    project.close()


# -- helpers -------------------------------------------------------------------------------


async def settle(pilot) -> None:
    """Wait until no worker is left: a decision's worker starts the reload worker when it ends."""
    for _ in range(100):
        await pilot.pause()
        pending = [w for w in pilot.app.workers if not w.is_finished]
        if not pending:
            break
        await pilot.app.workers.wait_for_complete(pending)
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(KEYS.get(ch, ch))


def entity_with(project: services.Project, form: str) -> anonymisation.EntityView:
    """The entity that has ``form`` among its original spellings (numbers may change, forms do not)."""
    return next(e for e in anonymisation.entities(project, with_mentions=True) if form in e.forms)


def statuses(project: services.Project, entity_id: int) -> dict[int, str]:
    """Mention id -> status of one entity, as stored."""
    entity = next(e for e in anonymisation.entities(project, with_mentions=True) if e.id == entity_id)
    return {m.id: m.status for m in entity.mentions}


async def open_review(pilot) -> AnonymisationScreen:
    await settle(pilot)
    await pilot.press("a")  # from the project view
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AnonymisationScreen)
    return screen


async def highlight(pilot, screen: AnonymisationScreen, entity_id: int) -> None:
    """Put the entity list's cursor on an entity, as the arrow keys would."""
    entities = screen.query_one("#entities")
    entities.highlighted = next(i for i, o in enumerate(entities.options) if o.id == f"entity:{entity_id}")
    await pilot.pause()
    assert screen.current_entity() is not None and screen.current_entity().id == entity_id


def screen_lines(view: TranscriptView) -> list[str]:
    """The lines the transcript paints right now (gutter included)."""
    return ["".join(segment.text for segment in view.render_line(y)) for y in range(view.size.height)]


# -- the review screen -----------------------------------------------------------------------


async def test_a_wide_review_screen_shows_more_words_around_each_mention(detected):
    """At 200 columns the mention pane holds about 120 characters a line: the words around a name
    fill it rather than stopping at 40 characters either side, as they do at 80 columns."""
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(200, 40)) as pilot:
        screen = await open_review(pilot)
        wide = [m for v in screen.views for m in v.mentions]
        assert max(len(m.before) for m in wide) > 40
        before = {m.id: m.before for m in wide}
    narrow = [m for v in anonymisation.entities(detected, with_mentions=True) for m in v.mentions]
    assert all(before[m.id].endswith(m.before) for m in narrow)  # the same place, more of it


async def test_review_screen_lists_entities_by_group_with_their_mentions(detected):
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        stored = anonymisation.entities(detected, with_mentions=True)
        assert [v.id for v in screen.views] == [v.id for v in stored]
        options = screen.query_one("#entities").options
        headings = [o.id for o in options if o.disabled]
        assert headings == ["group:Direct identifiers", "group:Indirect identifiers"]
        # Direct identifiers come first, then the indirect ones, each under its heading.
        ids = [o.id for o in options]
        first_indirect = next(v for v in stored if not v.direct)
        assert ids.index("group:Direct identifiers") < ids.index(f"entity:{stored[0].id}") \
            < ids.index("group:Indirect identifiers") < ids.index(f"entity:{first_indirect.id}")

        person = entity_with(detected, KRISTINE)
        await highlight(pilot, screen, person.id)
        mentions = screen.query_one("#mentions")
        assert [o.id for o in mentions.options] == [f"mention:{m.id}" for m in person.mentions]
        first = mentions.options[0].prompt.plain
        m = person.mentions[0]
        assert m.document in first and m.detector in first and m.text in first and "suggested" in first
        assert KRISTINE in str(screen.query_one("#mention-title").render())


async def test_accept_an_entity_then_reject_one_mention(detected):
    person = entity_with(detected, KRISTINE)
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        await highlight(pilot, screen, person.id)

        await pilot.press("A")
        await settle(pilot)
        assert set(statuses(detected, person.id).values()) == {"accepted"}
        # The review moved on to the next entity with open suggestions, at its first open mention.
        moved = screen.current_entity()
        assert moved.id != person.id and moved.open and screen.current_mention().status == "suggested"

        await highlight(pilot, screen, person.id)  # back, to correct one mention
        assert screen.current_entity().statuses == {"accepted": len(person.mentions)}
        await pilot.press("tab")  # to the mentions
        await pilot.press("down")
        await pilot.pause()
        second = screen.current_mention()
        assert second is not None and second.id == person.mentions[1].id
        await pilot.press("N")
        await settle(pilot)
        stored = statuses(detected, person.id)
        assert stored[second.id] == "rejected"
        assert [s for i, s in stored.items() if i != second.id] == ["accepted"] * (len(stored) - 1)
        # A mention decided already and decided again keeps the review in its entity, at the next
        # mention (a tester cleaning an entity up was sent to another one after each N).
        after = person.mentions[2].id if len(person.mentions) > 2 else second.id
        assert screen.current_entity().id == person.id and screen.current_mention().id == after
        newest = [e for e in services.audit_log(detected) if e.action.startswith("anonymise_")][:2]
        assert [e.action for e in newest] == ["anonymise_reject", "anonymise_accept"]
        assert all(e.coder == CODER for e in newest)


async def test_deciding_an_entity_keeps_single_decisions_while_others_are_open(detected):
    """Rejecting one mention ("liv" is also the word for life) and then accepting the entity
    must not bring the rejected mention back."""
    person = entity_with(detected, KRISTINE)
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        await highlight(pilot, screen, person.id)
        await pilot.press("tab", "N")
        await settle(pilot)
        # the note says what was done first: at 80 columns its end is cut off
        assert screen.said[-1].startswith("rejected: …"), screen.said[-1:]
        # the entity still has open mentions: the highlight stays with it, on the next open one
        assert screen.current_entity().id == person.id and screen.current_mention().id == person.mentions[1].id
        await pilot.press("A")
        await settle(pilot)
        stored = statuses(detected, person.id)
        assert stored[person.mentions[0].id] == "rejected"
        assert sorted(set(stored.values())) == ["accepted", "rejected"]
        # With nothing left open, the entity keys decide every mention again; rejecting masked
        # mentions asks first (a tester's stray R unmasked the informant's own name).
        await highlight(pilot, screen, person.id)
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert sorted(set(statuses(detected, person.id).values())) == ["accepted", "rejected"], "n rejected nothing"
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert set(statuses(detected, person.id).values()) == {"rejected"}


async def test_rejecting_an_entitys_open_mentions_says_which_stay_masked(detected):
    """A tester rejected "difor" (one open, one accepted) and found the accepted one still masked
    only by chance: the note says so, and how to reject it too."""
    person = entity_with(detected, KRISTINE)
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        await highlight(pilot, screen, person.id)
        await pilot.press("tab", "Y")
        await settle(pilot)
        await highlight(pilot, screen, person.id)
        await pilot.press("R")
        await settle(pilot)
        note = str(screen.query_one("#review-note").render())
        assert "1 masked mention(s) of it stay masked" in note, note
        assert sorted(set(statuses(detected, person.id).values())) == ["accepted", "rejected"]


async def test_typing_a_name_in_the_mention_list_finds_an_entity(detected):
    """After Tab (or Enter) into an entity's mentions, typing a name finds it in the entity
    list; it used to go nowhere, and the next letter that is a key (r) rejected the entity."""
    target = entity_with(detected, "Holmvika")
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        first = screen.current_entity()
        assert first.id != target.id
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is screen.query_one("#mentions")
        await type_text(pilot, "holmvik")
        await settle(pilot)
        entities = screen.query_one("#entities")
        assert app.focused is entities and entities.finding and entities.find_query == "holmvik"
        assert "holmvik" in " ".join(screen.current_entity().forms).casefold()
        assert set(statuses(detected, first.id).values()) == {"suggested"}, "no letter decided anything"


async def test_rename_and_add_a_name(detected):
    person = entity_with(detected, KRISTINE)
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        await highlight(pilot, screen, person.id)
        await pilot.press("f2")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        assert prompt.query_one("#prompt-input").value == person.pseudonym.strip("[]")
        for _ in range(len(person.pseudonym)):
            await pilot.press("backspace")
        await type_text(pilot, "Veileder K")
        await pilot.press("enter")
        await settle(pilot)
        assert entity_with(detected, KRISTINE).pseudonym == "[Veileder K]"
        assert screen.current_entity().pseudonym == "[Veileder K]"
        assert anonymisation.rendition(detected, FIRST_DOC).text == services.get_document(detected, FIRST_DOC).text, \
            "nothing accepted yet: renaming alone replaces nothing"
        # What the screen says shows the new pseudonym: as markup, "[Veileder K]" was taken for
        # a style and vanished ("[Person 90] is now").
        note = str(screen.query_one("#review-note").render())
        assert note.endswith("is now [Veileder K]"), note

        # A name no detector found; the kind prefix makes it an organisation.
        assert not any("Eikås barnehage" in e.forms for e in anonymisation.entities(detected))
        await pilot.press("plus")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await type_text(pilot, "ORG: Eikås barnehage")
        await pilot.press("enter")
        await settle(pilot)
        added = entity_with(detected, "Eikås barnehage")
        assert added.kind == "ORG" and set(added.statuses) == {"manual"} and added.statuses["manual"] >= 1
        assert screen.current_entity().id == added.id, "the new entity is highlighted"
        # Added names are kept in the key, so later imports are searched for them too.
        assert "Eikås barnehage" in anonymisation.pseudonym_key(detected).added_names("ORG")


async def test_open_only_hides_reviewed_entities_and_keeps_the_place(detected):
    views = anonymisation.entities(detected)
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("F")
        await pilot.pause()
        assert screen.open_only
        first, second = screen.current_entity(), views[1]
        assert first.id == views[0].id
        await pilot.press("A")
        await settle(pilot)
        shown = [o.id for o in screen.query_one("#entities").options if not o.disabled]
        assert f"entity:{first.id}" not in shown and len(shown) == len(views) - 1
        assert screen.current_entity().id == second.id, "the next entity takes the decided one's row"
        await pilot.press("F")
        await pilot.pause()
        assert f"entity:{first.id}" in [o.id for o in screen.query_one("#entities").options]


async def test_auto_accept_above_the_default_threshold(detected):
    from codebench.anonymise.pipeline import DEFAULT_THRESHOLD, REVIEW_ONLY

    expected = sum(1 for e in anonymisation.entities(detected, with_mentions=True) if e.kind not in REVIEW_ONLY
                   for m in e.mentions if m.score >= DEFAULT_THRESHOLD)
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(pilot)
        await pilot.press("ctrl+a")
        await settle(pilot)
        await pilot.press("y")  # the confirmation (tests/tui/test_anonymise_review_undo.py tries it out)
        await settle(pilot)
    after = anonymisation.entities(detected, with_mentions=True)
    assert sum(1 for e in after for m in e.mentions if m.status == "accepted") == expected > 0
    assert all(m.status == "suggested" for e in after if e.kind in REVIEW_ONLY for m in e.mentions)


async def test_jump_from_a_mention_to_the_transcript(detected):
    person = entity_with(detected, KRISTINE)
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        await highlight(pilot, screen, person.id)
        mention = screen.current_mention()
        await pilot.press("J")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        assert app.screen.document_id == mention.document_id
        view = app.screen.query_one(TranscriptView)
        assert view.selection == (mention.start, mention.end)
        assert view.text[mention.start:mention.end] == mention.text
        await pilot.press("q")
        await settle(pilot)
        assert app.screen is screen, "back to the review, where the reviewer was"
        assert screen.current_entity().id == person.id


async def test_jumping_again_after_a_decision_shows_the_masked_view_as_decided(detected):
    """A tester rejected a mention in the review, pressed J again and read the old pseudonym in
    the masked view: the transcript shown again is drawn from the decisions taken since."""
    person = entity_with(detected, KRISTINE)
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        await highlight(pilot, screen, person.id)
        await pilot.press("A")
        await settle(pilot)
        await highlight(pilot, screen, person.id)
        mention = screen.current_mention()
        await pilot.press("J")
        await settle(pilot)
        document = app.screen
        assert isinstance(document, DocumentScreen)
        if document.rendition is None:
            await pilot.press("o")
            await settle(pilot)
        assert document.rendition is not None and person.pseudonym in document.query_one(TranscriptView).text
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("tab", "N")
        await settle(pilot)
        await highlight(pilot, screen, person.id)
        await pilot.press("J")
        await settle(pilot)
        assert app.screen is document and document.rendition is not None
        shown = document.query_one(TranscriptView).text
        assert mention.text in shown, "the rejected mention stands in clear at once"


async def test_detection_from_the_screen_shows_progress(sample_copy, key_dir):
    """Rules-only detection (D) on a project never detected: the bar fills, the lists fill."""
    app = CodebenchApp(sample_copy, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        assert screen.views == [] and "press D" in str(screen.query_one("#mention-title").render())
        await pilot.press("ctrl+d")
        # Rules-only detection can finish within the key press on a quiet machine; while it
        # still runs, the bar shows and decisions wait.
        if screen.detecting:
            assert screen.query_one("#detect-bar").has_class("running")
            assert screen.check_action("decide_entity", ("accept",)) is None, "decisions wait for detection"
        await settle(pilot)
        bar = screen.query_one("#detect-progress")
        documents = len(services.list_documents(sample_copy))
        assert (bar.total, bar.progress) == (documents, documents)
        assert not screen.detecting and not screen.query_one("#detect-bar").has_class("running")
        assert [v.id for v in screen.views] == [v.id for v in anonymisation.entities(sample_copy)] != []
        assert not any(m.detector.startswith("ner") for v in anonymisation.entities(sample_copy, with_mentions=True)
                       for m in v.mentions), "D runs without the model"


@pytest.mark.slow
async def test_detection_with_the_model(sample_copy, key_dir):
    app = CodebenchApp(sample_copy, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("D")
        # On a fast machine the press can return only once the worker is done (as with D above);
        # while it still runs, the bar shows.
        if screen.detecting:
            assert screen.query_one("#detect-bar").has_class("running")
        await settle(pilot)
        assert not screen.detecting
        bar = screen.query_one("#detect-progress")
        documents = len(services.list_documents(sample_copy))
        assert (bar.total, bar.progress) == (documents, documents), "the progress bar went through every document"
        assert screen.views and {v.id for v in screen.views} == {v.id for v in anonymisation.entities(sample_copy)}
        assert any(m.detector.startswith("ner") for v in anonymisation.entities(sample_copy, with_mentions=True)
                   for m in v.mentions)


async def test_palette_opens_the_review(detected):
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Anonymisation review")
        await settle(pilot)  # the palette's search runs in a worker: until it has gathered every hit
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AnonymisationScreen)


async def test_project_view_shows_anonymisation_status(detected):
    person = entity_with(detected, KRISTINE)
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProjectScreen)
        table = app.screen.query_one("#documents")
        column = [c.label.plain for c in table.columns.values()].index("anon")

        def cells() -> dict[int, str]:
            return {int(row.value): str(table.get_row(row)[column]) for row in table.rows}

        def expected() -> dict[int, str]:
            shown = {"to review": None, "none": "none found", "reviewed": "reviewed"}
            # A reviewed row says "list unread" while its residual list is not read (a tester read
            # "reviewed" on every row while the title said the list was unread).
            unread = anonymisation.anonymisation_state(detected).unread_ids
            return {d.document_id: f"to review {d.suggested}" if d.status == "to review"
                    else "list unread" if d.document_id in unread else shown[d.status]
                    for d in anonymisation.document_status(detected)}

        assert cells() == expected()
        doc = services.get_document(detected, FIRST_DOC).info.id
        assert cells()[doc].startswith("to review ") and "list unread" in cells().values()
        # The title bar carries the project's one state, as the exports report it.
        state = anonymisation.anonymisation_state(detected)
        assert state.status == "open" and app.screen.sub_title.endswith(f"· {state.short()}")
        assert "not anonymised" in app.screen.sub_title

        # Review every suggestion of the first transcript; the row says so when the view returns.
        for entity in anonymisation.entities(detected, with_mentions=True, document=doc):
            anonymisation.decide(detected, "accept", mentions=[m.id for m in entity.mentions], coder=CODER)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert cells()[doc] == "list unread" and cells() == expected()
        anonymisation.mark_residual_read(detected, coder=CODER)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert cells()[doc] == "reviewed" and "none found" in cells().values() and cells() == expected()
        # The person's mentions in other transcripts were decided one by one, not with the entity.
        assert person.documents > 1
        assert cells()[services.get_document(detected, "Intervju Kristine Holm runde 2").info.id].startswith("to review")


# -- the transcript in its anonymised rendition ----------------------------------------------


async def open_first_transcript(pilot) -> tuple[DocumentScreen, TranscriptView]:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DocumentScreen)
    assert screen.doc.info.name == FIRST_DOC
    return screen, screen.query_one(TranscriptView)


async def test_anonymised_rendition_hides_accepted_names(detected):
    person = entity_with(detected, KRISTINE)
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        review = await open_review(pilot)
        await highlight(pilot, review, person.id)
        await pilot.press("A")
        await settle(pilot)
        # Her e-mail address is an entity of its own, and spells her name: accept it too.
        email = entity_with(detected, "kristine.holm@nav.no")
        anonymisation.decide(detected, "accept", entity=email.id, coder=CODER)
        await pilot.press("q")
        screen, view = await open_first_transcript(pilot)
        assert "original" in screen.sub_title and any(KRISTINE in line for line in view.line_texts())

        await pilot.press("o")
        await pilot.pause()
        assert screen.anonymised and "masked" in screen.sub_title
        # The view never calls itself anonymised while the review is open: it says where it stands.
        state = anonymisation.anonymisation_state(detected)
        assert not state.anonymised and state.short() in screen.sub_title
        assert state.short() in str(screen.query_one("#doc-title").render())
        assert KRISTINE not in str(screen.query_one("#doc-title").render()), "the title names the informant too"
        pseudonym = entity_with(detected, KRISTINE).pseudonym
        for lines in (view.line_texts(), screen_lines(view)):
            text = "\n".join(lines)
            for form in entity_with(detected, KRISTINE).forms:
                assert not re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE), form
            assert pseudonym in text
        # The other coders' codings are still drawn, on the same words.
        doc = services.get_document(detected, FIRST_DOC)
        codings = services.document_codings(detected, doc.info.id)
        assert {m.uuid for m in view.marks} == {c.uuid for c in codings}
        # Open suggestions are masked too, as in an exported file.
        replaced = [(m.start, m.end) for e in anonymisation.entities(detected, with_mentions=True, document=doc.info.id)
                    for m in e.mentions if m.status in ("accepted", "suggested")]
        untouched = [c for c in codings if not any(s < c.end and c.start < e for s, e in replaced)]
        shown = {m.uuid: view.text[m.start:m.end] for m in view.marks}
        assert untouched and all(shown[c.uuid] == doc.text[c.start:c.end] for c in untouched)

        await pilot.press("o")
        await pilot.pause()
        assert not screen.anonymised and view.text == doc.text


async def test_the_masked_view_masks_open_suggestions_as_a_file_would_and_marks_them(detected):
    """Testers read names in clear in the owner's masked view that the export they had just
    written masked: open suggestions are masked there too, drawn underlined until decided."""
    person = entity_with(detected, KRISTINE)
    doc = services.get_document(detected, FIRST_DOC)
    suggested = [m for m in person.mentions if m.status == "suggested" and m.document_id == doc.info.id]
    assert suggested, "the sample's informant is an open suggestion after detection"
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, view = await open_first_transcript(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert screen.anonymised
        text = view.text
        assert not re.search(rf"(?<!\w){re.escape(KRISTINE)}(?!\w)", text), "an open suggestion shown in clear"
        assert person.pseudonym in text
        unreviewed = {text[a:b] for a, b in view.unreviewed}
        assert person.pseudonym in unreviewed
        # Drawn underlined, and only there.
        line = view.line_of(text.index(person.pseudonym))
        view.scroll_to(y=max(line - 2, 0), animate=False)
        await pilot.pause()
        y = line - round(view.scroll_offset.y)
        strip = view.render_line(y)
        styled = {seg.text: bool(seg.style and seg.style.underline) for seg in strip if seg.text.strip()}
        assert any(person.pseudonym in t and u for t, u in styled.items())
        assert not any(u for t, u in styled.items() if "[" not in t), "words that are no pseudonym underlined"

        # Accepted, it is masked the same way and no longer marked.
        anonymisation.decide(detected, "accept", entity=person.id, coder=CODER)
        await pilot.press("o", "o")
        await settle(pilot)
        assert screen.anonymised and person.pseudonym in view.text
        assert person.pseudonym not in {view.text[a:b] for a, b in view.unreviewed}


async def test_coding_in_the_anonymised_view_is_stored_on_the_original(detected):
    person = entity_with(detected, KRISTINE)
    anonymisation.decide(detected, "accept", entity=person.id, coder=CODER)
    pseudonym = person.pseudonym
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, view = await open_first_transcript(pilot)
        await pilot.press("o")
        await pilot.pause()
        shown = view.text.index(f"heter {pseudonym}, og")
        view.move_to(shown)
        for _ in range(4):  # "heter ", "[Veileder ", "N], ", "og "
            await pilot.press("ctrl+shift+right")
        await pilot.pause()
        assert view.text[slice(*view.selection)] == f"heter {pseudonym}, og "
        await pilot.press("c")
        assert isinstance(app.screen, CodePicker)
        await type_text(pilot, "god mentor")
        await pilot.press("enter")
        await settle(pilot)

        doc = services.get_document(detected, FIRST_DOC)
        mine = [c for c in services.codings(detected) if c.coder == CODER]
        assert len(mine) == 1
        start = doc.text.index("heter Kristine Holm, og")
        assert (mine[0].start, mine[0].end) == (start, start + len("heter Kristine Holm, og"))
        assert doc.text[mine[0].start:mine[0].end] == "heter Kristine Holm, og"
        # On screen the new coding covers the pseudonym, not the name.
        mark = next(m for m in view.marks if m.uuid == mine[0].uuid)
        assert view.text[mark.start:mark.end] == f"heter {pseudonym}, og"

        # An in-vivo code made here is named from the words on screen: it carries no name.
        view.move_to(shown)
        for _ in range(3):
            await pilot.press("ctrl+shift+right")
        await pilot.press("v")
        await settle(pilot)
        names = {c.name for c in services.code_tree(detected)}
        assert f"heter {pseudonym}" in names and not any("Kristine" in n for n in names)
        in_vivo = next(c for c in services.codings(detected) if c.coder == CODER and c.start == start and c.uuid != mine[0].uuid)
        assert doc.text[in_vivo.start:in_vivo.end] == "heter Kristine Holm,"


async def test_mark_a_name_in_the_transcript(detected):
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, view = await open_first_transcript(pilot)
        doc = services.get_document(detected, FIRST_DOC)
        word = "publikumsmottaket"
        start = doc.text.index(word)

        # In the original view, with the caret inside the word and nothing selected.
        view.move_to(start + 3)
        await pilot.press("a")
        await settle(pilot)
        marked = entity_with(detected, word)
        assert [(m.start, m.end, m.status) for m in marked.mentions] == [(start, start + len(word), "manual")]
        # The original view shows it masked now: struck through, as every masked name there (two
        # testers could not tell there which names were masked); open suggestions underlined.
        assert (start, start + len(word)) in view.masked
        open_spans = {(m.start, m.end) for e in anonymisation.entities(detected, with_mentions=True)
                      for m in e.mentions if m.status == "suggested" and m.document_id == doc.info.id}
        assert open_spans and open_spans <= set(view.unreviewed) and not open_spans & set(view.masked)
        assert "struck = masked" in screen.sub_title

        # In the anonymised view the word is now a pseudonym; a selection there maps back.
        await pilot.press("o")
        await pilot.pause()
        assert word not in view.text and marked.pseudonym in view.text
        other = "oppfølging"
        other_start = doc.text.index(other)
        shown = screen.to_view(other_start, other_start + len(other))
        view.move_to(shown[1], select_to=shown[0])
        await pilot.press("a")
        await settle(pilot)
        added = entity_with(detected, other)
        assert [(m.start, m.end, m.status) for m in added.mentions] == [(other_start, other_start + len(other), "manual")]
        assert screen.anonymised, "marking keeps the anonymised view, redrawn with the new pseudonym"
        now = screen.to_view(other_start, other_start + len(other))
        assert view.text[slice(*now)] == added.pseudonym

        # Undo takes the mark back and the masked view shows the word again at once (a tester's
        # undone mark stayed masked until the view was switched off and on).
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert screen.anonymised and other in view.text[slice(*screen.to_view(other_start, other_start + len(other)))]


async def test_marking_in_the_masked_view_keeps_the_passage_on_screen(detected):
    """A tester marking words deep in a transcript lost the place each time: the masked view,
    redrawn with the new pseudonym, had scrolled back to the top and then only as far as the
    caret (an earlier turn on screen, or the first). The passage stays where it was."""
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, view = await open_first_transcript(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert screen.anonymised
        doc = services.get_document(detected, FIRST_DOC)
        words = [m for m in re.finditer(r"(?<!\w)[a-zæøå]{7,}(?!\w)", doc.text)
                 if doc.text.count(m.group()) == 1]
        late = words[len(words) * 3 // 4]
        shown = screen.to_view(late.start(), late.end())
        assert view.text[slice(*shown)] == late.group(), "an ordinary word, in clear"
        view.move_to(shown[0] + 2)
        await pilot.pause()
        # the caret's line in the middle of the screen, as after reading down to it
        view.scroll_to(y=max(0, view.scroll_y + 5), animate=False)
        await pilot.pause()
        before = view.scroll_y
        assert before > 0, "the word is far down the transcript"
        await pilot.press("a")
        await settle(pilot)
        marked = entity_with(detected, late.group())
        assert marked.pseudonym in view.text
        assert abs(view.scroll_y - before) <= 1, (before, view.scroll_y)


async def test_shift_a_marks_a_selection_as_a_workplace(detected):
    # Found by an independent tester: "a" on "strand bakeri" made a person; there was no way to
    # mark a workplace or a place from the transcript.
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, view = await open_first_transcript(pilot)
        doc = services.get_document(detected, FIRST_DOC)
        word = "publikumsmottaket"
        start = doc.text.index(word)
        view.move_to(start + len(word), select_to=start)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, KindPicker)
        await pilot.press("w")
        await settle(pilot)
        marked = entity_with(detected, word)
        assert marked.kind == "ORG" and marked.pseudonym.startswith("[Arbeidsplass ")
        assert [(m.start, m.end, m.status) for m in marked.mentions] == [(start, start + len(word), "manual")]
        # Esc asks nothing and marks nothing.
        other = "oppfølging"
        other_start = doc.text.index(other)
        view.move_to(other_start + 2)
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        assert not any(other in e.forms for e in anonymisation.entities(detected))


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A folder with a short absolute path: the test types whole paths key by key (each key press
    waits for the app to be idle), and tmp_path's is some eighty characters long."""
    folder = Path(tempfile.mkdtemp(prefix="cb", dir=TEMP_ROOT))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


async def test_add_several_names_or_a_people_file_from_the_screen(detected, short_dir):
    """"+" takes names separated by semicolons, or the path of a people file; a bad list adds
    nothing and its message names the line, never the name."""
    tmp_path = short_dir
    bad = tmp_path / "folk.txt"
    bad.write_text("ORG: Eikås barnehage\nØ\n", encoding="utf-8")
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        before = len(anonymisation.entities(detected))

        async def add(value: str) -> None:
            await pilot.press("plus")
            await pilot.pause()
            assert isinstance(app.screen, TextPrompt)
            await type_text(pilot, value)
            await pilot.press("enter")
            await settle(pilot)

        missing = tmp_path / "nope.txt"
        await add(str(missing))
        assert len(anonymisation.entities(detected)) == before, "a path to no file is no name"
        assert any(f"no such file: {missing}" in str(n.message) for n in app._notifications)
        await add(str(bad))
        assert len(anonymisation.entities(detected)) == before, "a list with a bad line adds nothing"
        assert any(f"{bad}, line 2" in str(n.message) for n in app._notifications)
        assert not any("Eikås" in str(n.message) for n in app._notifications)

        await add("ORG: Eikås barnehage; ORG: Øya Sag")
        for form in ("Eikås barnehage", "Øya Sag"):
            added = entity_with(detected, form)
            assert added.kind == "ORG" and added.statuses.get("manual", 0) >= 1
        assert screen.current_entity().id == entity_with(detected, "Eikås barnehage").id

        good = tmp_path / "arbeidsplasser.txt"
        good.write_text("# arbeidsplasser fra rekrutteringsarket\nORG: Sørvik Bil\n", encoding="utf-8")
        await add(str(good))
        assert entity_with(detected, "Sørvik Bil").statuses.get("manual", 0) >= 1
        assert set(anonymisation.pseudonym_key(detected).added_names("ORG")) >= {"Eikås barnehage", "Øya Sag", "Sørvik Bil"}
        assert not any("Sørvik" in str(n.message) for n in app._notifications), "the note counts, it names no one"


def test_kind_prefix_for_added_names():
    assert parse_kind("ORG: Holmvika Trelast") == ("ORG", "Holmvika Trelast")
    assert parse_kind("loc:Fjellby") == ("LOC", "Fjellby")
    assert parse_kind("Kari Nordmann") == ("PER", "Kari Nordmann")
    assert parse_kind("Klokka: 12") == ("PER", "Klokka: 12")


# -- snapshot ------------------------------------------------------------------------------------


def test_review_screen_snapshot(snap_compare, detected):
    """Direct identifiers first; one person accepted with a mention rejected, mentions in context."""
    person = entity_with(detected, KRISTINE)
    anonymisation.decide(detected, "accept", entity=person.id, coder="snapshot")
    anonymisation.decide(detected, "reject", mentions=[person.mentions[1].id], coder="snapshot")

    async def run_before(pilot) -> None:
        screen = await open_review(pilot)
        await highlight(pilot, screen, person.id)
        await settle(pilot)

    assert snap_compare(CodebenchApp(detected, "snapshot"), terminal_size=(100, 30), run_before=run_before)


async def test_a_coder_not_allowed_the_original_sees_only_the_anonymised_text(detected):
    """Once the project names who may see original names, everyone else codes pseudonyms only:
    transcripts open anonymised and cannot be switched, quotes and document names are anonymised,
    and the review (which lists original names) stays closed."""
    anonymisation.auto_accept(detected, coder="fixture")
    anonymisation.set_original_viewer(detected, "ingrid", True)
    kristine = entity_with(detected, "Kristine Holm")
    forms = [f for f in kristine.forms if len(f) > 3]
    app = CodebenchApp(detected, "student")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.original_allowed is False
        table = app.screen.query_one("#documents")
        name_column = [c.label.plain for c in table.columns.values()].index("document")
        shown_names = " ".join(str(table.get_row_at(i)[name_column]) for i in range(table.row_count))
        assert "Kristine" not in shown_names and "runde" in shown_names
        await pilot.press("a")  # the review lists original names: refused
        await settle(pilot)
        assert not isinstance(app.screen, AnonymisationScreen)
        doc = next(m.document_id for m in kristine.mentions)
        app.open_document(doc)
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen) and app.screen.anonymised
        await pilot.press("o")  # switching to the original is not offered
        await settle(pilot)
        assert app.screen.anonymised
        # Marking a name and correcting the words are refused, saying why (a tester pressed them
        # and nothing happened); nothing is marked.
        before = len(anonymisation.entities(detected))
        for key in ("a", "A", "e"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, DocumentScreen), key
        said = [str(n.message) for n in app._notifications]
        assert any("Marking a name needs a coder allowed" in m for m in said), said
        assert any("correcting the words needs a coder allowed" in m for m in said), said
        assert len(anonymisation.entities(detected)) == before
        view = app.screen.query_one(TranscriptView)
        assert not any(re.search(rf"\b{re.escape(f)}\b", view.text) for f in forms)
        assert kristine.pseudonym in view.text
    quotes = services.quotes(detected, anonymised=True)
    app = CodebenchApp(detected, "student")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        node = next(c for c in services.code_tree(detected) if c.name == "veileder")
        app.open_quotes(node)
        await settle(pilot)
        shown = app.screen.quotes
        assert shown and not any(re.search(rf"\b{re.escape(f)}\b", q.text) for q in shown for f in forms)
        assert {q.document for q in shown} <= {q.document for q in quotes}
    # The allowed coder still sees the original.
    assert anonymisation.may_see_original(detected, "ingrid") and not anonymisation.may_see_original(detected, "student")


async def test_deciding_mentions_one_by_one_keeps_the_next_one_in_view(detected):
    """At 80×24 only a few mentions fit: after each y the next open one must stay on screen
    (refilling the list had scrolled it back to the top)."""
    person = max(anonymisation.entities(detected), key=lambda e: e.statuses.get("suggested", 0))
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        await highlight(pilot, screen, person.id)
        await pilot.press("tab")
        for _ in range(6):
            await pilot.press("Y")
            await settle(pilot)
        mentions = screen.query_one("#mentions")
        assert screen.current_mention().status == "suggested"
        top, height = mentions.scroll_offset.y, mentions.scrollable_content_region.height
        line = mentions._index_to_line[mentions.highlighted]
        assert top <= line < top + height, (top, line, height)


async def test_palette_sets_independent_informants_and_back(detected):
    # `anonymise people` from the workbench: the owner says the informants are independent
    # before running detection again, and can say it back.
    assert anonymisation.people_scope(detected) == "circle"
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        for wanted, words in (("interview", "Independent informants"), ("project", "One site"),
                              ("circle", "Shared circles")):
            await pilot.press("ctrl+p")
            await pilot.pause()
            await type_text(pilot, words)
            for _ in range(200):  # the palette lists its hits off the UI thread: wait for ours to lead
                await pilot.pause()
                hits = app.screen.query("CommandList")
                if hits and hits.first().option_count and words in str(hits.first().get_option_at_index(0).prompt):
                    break
            await pilot.press("enter")
            for _ in range(100):
                await pilot.pause()
                if anonymisation.people_scope(detected) == wanted:
                    break
            assert anonymisation.people_scope(detected) == wanted
            assert any(f"people: {wanted}" in n.message for n in app._notifications)


async def test_the_arrow_keys_move_between_the_identifiers_and_their_mentions(detected):
    # A tester looked for the mentions pane with → (y, n and S act on the mention highlighted there).
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        assert app.focused is screen.query_one("#entities")
        await pilot.press("right")
        await pilot.pause()
        assert app.focused is screen.query_one("#mentions")
        await pilot.press("left")
        await pilot.pause()
        assert app.focused is screen.query_one("#entities")


async def test_the_mention_the_keys_act_on_is_marked_by_more_than_colour(detected):
    # Three testers could not tell which mention row was highlighted (colour only) and rejected
    # its neighbour with N: the row Y, N and S act on shows a ▶.
    person = max(anonymisation.entities(detected, with_mentions=True), key=lambda e: len(e.mentions))
    assert len(person.mentions) >= 3
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        await highlight(pilot, screen, person.id)
        await pilot.press("right", "down", "down")
        await settle(pilot)
        mentions = screen.query_one("#mentions")
        marked = [i for i in range(mentions.option_count)
                  if "▶" in str(mentions.get_option_at_index(i).prompt)]
        assert marked == [mentions.highlighted], (marked, mentions.highlighted)
        assert screen.current_mention().id == person.mentions[mentions.highlighted].id


async def test_the_masked_view_opens_where_the_caret_was(detected):
    """A tester pressed o far down a transcript and the masked view showed a turn much earlier,
    the caret off screen; back with o, the same. The caret's line shows in both renditions."""
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, view = await open_first_transcript(pilot)
        target = view.text.rindex(" ", 0, int(len(view.text) * 0.8)) + 1
        end = view.text.index(" ", target)
        # the word selected, as J from the residual list leaves it, and marked (a)
        view.move_to(end, select_to=target)
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)

        def caret_shows() -> bool:
            line = view.line_of(view.cursor)
            return view.scroll_offset.y <= line < view.scroll_offset.y + view.size.height

        assert caret_shows()
        word = view.text[view.cursor:view.cursor + 12]
        for _ in range(2):
            await pilot.press("o")
            await settle(pilot)
            await pilot.pause()
            assert caret_shows(), (screen.anonymised, view.scroll_offset.y, view.line_of(view.cursor))
        assert view.text[view.cursor:view.cursor + 12] == word


async def test_the_palette_switches_the_transcript_to_the_masked_view_and_back(detected):
    """A tester looked in the command palette for the masked view (o) and found only the
    residual list."""
    app = CodebenchApp(detected, CODER)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, view = await open_first_transcript(pilot)
        for query, masked in (("masked view", True), ("original view", False)):
            await run_from_palette(pilot, query)
            assert app.screen is screen and screen.anonymised is masked, query
            assert ("[Person" in view.text) is masked
