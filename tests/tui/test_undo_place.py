"""Undo and redo show where they acted, and each coder's history says what the next undo takes back (#16)."""

from __future__ import annotations

from textual.widgets import Label

from codebench import services
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.codebook import CodebookScreen
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.project import ProjectScreen
from codebench.tui.widgets.code_tree import CodeTree
from codebench.tui.widgets.history import HistoryPanel
from codebench.tui.widgets.transcript import TranscriptView
from tests.tui.helpers import messages, press_to, settle

ROUND_1 = "Intervju Kristine Holm runde 1"
ROUND_2 = "Intervju Kristine Holm runde 2"


def mine(project, coder="tester"):
    return sorted((q.document_id, q.code, q.start, q.end) for q in services.quotes(project, coders=[coder]))


async def test_undo_goes_to_the_words_it_took_back_even_in_another_transcript(sample_copy):
    project = sample_copy
    one, two = services.get_document(project, ROUND_1), services.get_document(project, ROUND_2)
    early = one.text.index("travel uke")
    late = two.text.index(" ", len(two.text) - 400) + 1  # near the end: far from where the view opens
    services.apply_code(project, two.info.id, late, late + 20, "god mentor", "tester")
    services.apply_code(project, one.info.id, early, early + 10, "vinn-vinn", "tester")
    # Another coder's later work is not in this coder's history.
    services.apply_code(project, one.info.id, early, early + 10, "lederstøtte", "ingrid")
    labels = services.anonymisation.document_labels(project)
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.open_document(one.info.id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DocumentScreen)
        view = screen.query_one(TranscriptView)
        panel = str(screen.query_one(HistoryPanel).render())
        # The panel lists this coder's own changes, the next undo first, and names its place.
        assert panel.splitlines()[0] == f"ctrl+z coding «vinn-vinn» in {labels[one.info.id]} [{early}–{early + 10}]"
        assert "lederstøtte" not in panel and "god mentor" in panel

        view.move_to(len(view.text) - 1)  # the caret far from the coding
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert (one.info.id, "vinn-vinn", early, early + 10) not in mine(project)
        assert view.selection == (early, early + 10), "the undone words are selected where they were"
        assert view.scroll_offset.y <= view.line_of(early) < view.scroll_offset.y + view.size.height
        status = str(screen.query_one("#status", Label).render())
        assert status == f"undid coding «vinn-vinn» in {labels[one.info.id]} [{early}–{early + 10}]"
        assert str(screen.query_one(HistoryPanel).render()).splitlines()[0].startswith("ctrl+z coding «god mentor»")

        # The next undo acted in the other round: the view opens it, at the words.
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert mine(project) == []
        assert app.screen is screen and screen.document_id == two.info.id
        assert view.selection == (late, late + 20)
        assert view.scroll_offset.y <= view.line_of(late) < view.scroll_offset.y + view.size.height
        assert ingrid_kept(project, one.info.id, early)

        # Redo brings the coding back and shows it there as well.
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert mine(project) == [(two.info.id, "god mentor", late, late + 20)]
        assert screen.document_id == two.info.id and view.selection == (late, late + 20)


def ingrid_kept(project, document_id: int, start: int) -> bool:
    return any(q.coder == "ingrid" and q.code == "lederstøtte" and q.start == start
               for q in services.quotes(project, coders=["ingrid"]))


async def test_undo_from_the_project_view_opens_the_transcript_at_the_place(sample_copy):
    project = sample_copy
    doc = services.get_document(project, ROUND_2)
    start = doc.text.index(" ", len(doc.text) // 2) + 1
    services.apply_code(project, doc.info.id, start, start + 15, "vinn-vinn", "tester")
    label = services.anonymisation.document_labels(project)[doc.info.id]
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProjectScreen)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert messages(app)[-1] == f"undid coding «vinn-vinn» in {label} [{start}–{start + 15}]"
        assert mine(project) == []
        screen = app.screen
        assert isinstance(screen, DocumentScreen) and screen.document_id == doc.info.id
        assert screen.query_one(TranscriptView).selection == (start, start + 15)
        # At 80 columns the side panel gives way to the stripes; the status line names the next undo.
        hint = str(screen.query_one("#undo-hint", Label).render())
        assert hint.startswith("ctrl+z: ") or hint == ""


async def test_undo_in_the_codebook_highlights_the_code_it_changed(sample_copy):
    project = sample_copy
    services.update_code(project, "god mentor", name="en god mentor", coder="tester")
    services.update_code(project, "jobbmatch", core=True, coder="tester")
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "k", CodebookScreen)
        tree = screen.query_one(CodeTree)
        await pilot.press("ctrl+z")  # takes back the core mark of jobbmatch
        await settle(pilot)
        assert not next(c for c in services.code_tree(project) if c.name == "jobbmatch").core
        assert tree.selected_code is not None and tree.selected_code.name == "jobbmatch"
        await pilot.press("ctrl+z")  # takes back the rename
        await settle(pilot)
        assert tree.selected_code.name == "god mentor"
        assert messages(app)[-1] == "undid rename of «god mentor» to «en god mentor»"


async def test_an_undo_in_the_review_goes_back_to_its_identifier(rule_detected):
    from codebench.tui.screens.anonymise import AnonymisationScreen

    project = rule_detected
    person = next(e for e in services.anonymisation.entities(project, with_mentions=True) if "Kristine Holm" in e.forms)
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "a", AnonymisationScreen)
        await pilot.press("ctrl+f", *"Kristine", "space", *"Holm", "escape")
        await settle(pilot)
        assert screen.current_entity().id == person.id
        await pilot.press("A")
        await settle(pilot)
        await pilot.press("down", "down", "down")  # the coder reads on
        await settle(pilot)
        assert screen.current_entity().id != person.id
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert {m.status for m in next(e for e in services.anonymisation.entities(project, with_mentions=True)
                                        if e.id == person.id).mentions} == {"suggested"}
        assert screen.current_entity().id == person.id, "the review went back to the identifier it gave back"
        assert messages(app)[-1] == f"undid accept of {len(person.mentions)} mentions of {person.pseudonym}"


async def test_at_80_columns_the_undo_message_and_the_next_undo_are_read_whole(sample_copy):
    # Tried in tmux at 80x24: the status line and the 'ctrl+z: …' hint shared one row, so
    # "undid coding «tid og ressurser» in V01 ve…" lost the document and the span (and "coded …
    # as kap…" the code).
    project = sample_copy
    one = services.get_document(project, ROUND_1)
    start = one.text.index("travel uke")
    services.apply_code(project, one.info.id, start, start + 10, "kapasitet og portefølje", "tester")
    services.apply_code(project, one.info.id, start, start + 10, "tidsperspektiv mentortilskudd", "tester")
    label = services.anonymisation.document_labels(project)[one.info.id]
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_document(one.info.id)
        await settle(pilot)
        screen = app.screen
        await pilot.press("ctrl+z")
        await settle(pilot)
        status, hint = screen.query_one("#status", Label), screen.query_one("#undo-hint", Label)
        said = f"undid coding «tidsperspektiv mentortilskudd» in {label} [{start}–{start + 10}]"
        assert str(status.render()) == said
        next_undo = f"ctrl+z: coding «kapasitet og portefølje» in {label} [{start}–{start + 10}]"
        assert str(hint.render()) == next_undo
        for widget, text in ((status, said), (hint, next_undo)):
            assert widget.region.width - 2 >= len(text) and widget.region.right <= 80, (text, widget.region)
        assert status.region.y != hint.region.y
