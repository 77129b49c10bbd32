"""The whole coding loop through the real app, asserting the database after each step."""

from __future__ import annotations

import pytest

from codebench import services
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.picker import CodePicker
from codebench.tui.screens.project import ProjectScreen
from codebench.tui.screens.quotes import QuotesScreen
from codebench.tui.widgets.transcript import TranscriptView
from tests.tui.helpers import run_from_palette, settle, type_text

FIRST_DOC = "Intervju Kristine Holm runde 1"


def mine(project, coder="tester"):
    return sorted((q.code, q.start, q.end) for q in services.quotes(project, coders=[coder]))


async def select(pilot, view: TranscriptView, start: int, words: int) -> None:
    view.move_to(start)
    for _ in range(words):
        await pilot.press("ctrl+shift+right")
    await settle(pilot)




@pytest.mark.slow
async def test_the_coding_loop(sample_copy):
    project = sample_copy
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProjectScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        doc = services.get_document(project, FIRST_DOC)
        assert app.screen.document_id == doc.info.id
        view = app.screen.query_one(TranscriptView)

        # 1. select words with the keyboard and apply an existing code
        start = doc.text.index("jobber med på NAV Sørvik")
        await select(pilot, view, start, 3)
        assert view.selection == (start, start + len("jobber med på "))
        await pilot.press("c")
        assert isinstance(app.screen, CodePicker)
        await type_text(pilot, "god mentor")
        await pilot.press("enter")
        await settle(pilot)
        expected = [("god mentor", start, start + len("jobber med på"))]
        assert mine(project) == expected

        # 2. type a new name: Enter alone makes nothing (no code is close to it), ctrl+n makes
        #    it an open code on the spot
        start2 = doc.text.index("travel uke")
        await select(pilot, view, start2, 2)
        await pilot.press("c")
        await type_text(pilot, "travle dager")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CodePicker) and mine(project) == expected
        await pilot.press("ctrl+n")
        await settle(pilot)
        codes = {c.name: c for c in services.code_tree(project)}
        assert codes["travle dager"].origin == "open"
        assert ("travle dager", start2, start2 + len("travel uke.")) in mine(project)

        # 3. an in-vivo code from the informant's own words
        start3 = doc.text.index("det jeg egentlig ble veileder for")
        await select(pilot, view, start3, 6)
        await pilot.press("v")
        await settle(pilot)
        assert services.code_tree(project)[-1].origin == "in-vivo"
        assert any(c.name == "det jeg egentlig ble veileder for" and c.origin == "in-vivo" for c in services.code_tree(project))

        # 4. code the whole speaker turn under the caret
        turn = next(t for t in doc.turns if doc.text[t.body_start:].startswith("Nå? Eh, sist jeg sjekket"))
        view.move_to(turn.body_start + 5)
        await pilot.press("t")
        await type_text(pilot, "kapasitet og portefølje")
        await pilot.press("enter")
        await settle(pilot)
        assert ("kapasitet og portefølje", turn.body_start, turn.end) in mine(project)
        assert len(mine(project)) == 4

        # 5. undo removes the turn coding; redo brings it back
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert ("kapasitet og portefølje", turn.body_start, turn.end) not in mine(project)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert ("kapasitet og portefølje", turn.body_start, turn.end) in mine(project)

        # 6. merge two codes from the command palette: the codings follow
        app.merge_codes()
        await settle(pilot)
        await type_text(pilot, "travle dager")
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "tid og ressurser")
        await pilot.press("enter")
        await settle(pilot)
        assert "travle dager" not in {c.name for c in services.code_tree(project)}
        assert ("tid og ressurser", start2, start2 + len("travel uke.")) in mine(project)

        # 7. retrieve every quote of a code, then jump back to its place in the transcript
        node = next(c for c in services.code_tree(project) if c.name == "god mentor")
        app.open_quotes(node)
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuotesScreen)
        assert [q.coding_uuid for q in screen.quotes] == [q.coding_uuid for q in services.quotes(project, code="god mentor")]
        row = next(i for i, q in enumerate(screen.quotes) if q.coder == "tester")
        screen.query_one("#quotes").move_cursor(row)
        await pilot.press("j")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        back = app.screen.query_one(TranscriptView)
        assert back.selection == (start, start + len("jobber med på"))


async def test_remove_and_recode_under_the_caret(sample_copy):
    project = sample_copy
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)  # the project view's lists fill from a worker
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen.query_one(TranscriptView)
        doc = services.get_document(project, FIRST_DOC)
        start = doc.text.index("hundre og ti")
        await select(pilot, view, start, 3)
        await pilot.press("c")
        await type_text(pilot, "kapasitet og portefølje")
        await pilot.press("enter")
        await settle(pilot)
        view.move_to(start + 2)
        await pilot.press("r")
        await type_text(pilot, "lederstøtte")
        await pilot.press("enter")
        await settle(pilot)
        assert [c for c, _, _ in mine(project)] == ["lederstøtte"]
        await pilot.press("m")
        await type_text(pilot, "kanskje kapasitet likevel")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [c.memo for c in services.codings(project) if c.coder == "tester"] == ["kanskje kapasitet likevel"]
        await pilot.press("x")
        await settle(pilot)
        assert [c for c, _, _ in mine(project)] == ["lederstøtte"]  # it carries a memo: asked first
        await pilot.press("y")
        await settle(pilot)
        assert mine(project) == []
        other = {q.coder for q in services.quotes(project)}
        assert other == {"ingrid", "per"}  # x never touches another coder's codings


async def test_coder_is_asked_when_not_given(sample_copy):
    app = CodebenchApp(sample_copy, None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "kari")
        await pilot.press("enter")
        await settle(pilot)
        assert app.coder == "kari" and isinstance(app.screen, ProjectScreen)
        assert "coder: kari" in app.screen.sub_title


async def test_hiding_a_coder_hides_their_codings(sample_copy):
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)  # the project view's lists fill from a worker
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen.query_one(TranscriptView)
        assert {m.coder for m in view.marks} == {"ingrid", "per"}
        app.toggle_coder("per")
        await settle(pilot)
        assert {m.coder for m in view.marks} == {"ingrid"}
        # A hidden coder is a filter: the screen says so (tried in tmux: nothing did, and the
        # remaining stripes lost their initials, as if one coder had coded this transcript).
        title = str(app.screen.query_one("#doc-title").render())
        assert "per hidden" in title and title.index("per hidden") < 40, title
        app.toggle_coder("per")
        await settle(pilot)
        assert "hidden" not in str(app.screen.query_one("#doc-title").render())


def _cursor_to(tree, name: str) -> None:
    def walk(node):
        yield node
        for child in node.children:
            yield from walk(child)

    node = next(n for n in walk(tree.root) if n.data is not None and n.data.name == name)
    node.parent.expand() if node.parent else None
    tree.move_cursor(node)


@pytest.mark.slow
async def test_selective_coding_on_the_codebook_screen(sample_copy):
    from codebench.tui.screens.codebook import CodebookScreen
    from codebench.tui.widgets.code_tree import CodeTree

    project = sample_copy
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)  # the project view's lists fill from a worker
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, CodebookScreen)
        tree = app.screen.query_one(CodeTree)
        before = len(services.quotes(project, code="tillitt over tid"))

        _cursor_to(tree, "tillitt over tid")
        await settle(pilot)
        await pilot.press("M")                       # merge per's near-duplicate into ingrid's code
        await type_text(pilot, "tillit tar tid")
        await pilot.press("enter")
        await settle(pilot)
        names = {c.name for c in services.code_tree(project)}
        assert "tillitt over tid" not in names
        assert len(services.quotes(project, code="tillit tar tid")) == 3 + before

        _cursor_to(tree, "tillit tar tid")
        await settle(pilot)
        await pilot.press("f2")
        for _ in range(len("tillit tar tid")):
            await pilot.press("backspace")
        await type_text(pilot, "tillit bygges over tid")
        await pilot.press("enter")
        await settle(pilot)
        _cursor_to(tree, "tillit bygges over tid")
        await settle(pilot)
        await pilot.press("e")
        await type_text(pilot, "Tillit mellom NAV og arbeidsplass vokser gjennom gjentatte møter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("p")                       # promote to a category
        await settle(pilot)
        await pilot.press("asterisk")                # and make it the core category
        await settle(pilot)
        code = next(c for c in services.code_tree(project) if c.name == "tillit bygges over tid")
        assert code.kind == "category" and code.core and code.memo.startswith("Tillit mellom NAV")
        assert not next(c for c in services.code_tree(project) if c.name == "samskaping").core
        assert "name: tillit bygges over tid" in services.export_codebook(project, original=True)

        for _ in range(4):                           # core, promote, memo, rename
            await pilot.press("ctrl+z")
            await settle(pilot)
        code = next(c for c in services.code_tree(project) if c.name == "tillit tar tid")
        assert code.kind == "code" and not code.core and not code.memo
        assert next(c for c in services.code_tree(project) if c.name == "samskaping").core


@pytest.mark.slow
async def test_adjudication_side_by_side(sample_copy):
    from codebench.tui.screens.adjudicate import AdjudicationScreen

    project = sample_copy
    open_before = services.disagreements(project, "ingrid", "per")
    app = CodebenchApp(project, "kari")
    async with app.run_test(size=(140, 40)) as pilot:
        app.adjudicate("ingrid", "per")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AdjudicationScreen)
        assert [r.key for r in screen.regions] == [r.key for r in open_before]
        first = open_before[0]
        view_a, view_b = screen.query_one("#view-a", TranscriptView), screen.query_one("#view-b", TranscriptView)
        assert view_a.selection == view_b.selection == (first.start, first.end)
        assert {m.coder for m in view_a.marks} == {"ingrid"} and {m.coder for m in view_b.marks} == {"per"}
        await pilot.press("b")
        await settle(pilot)
        consensus = sorted((q.code, q.start, q.end) for q in services.quotes(project, coders=["consensus"]))
        assert consensus == sorted((c.code, c.start, c.end) for c in first.codings if c.coder == "per")
        assert [r.key for r in screen.regions] == [r.key for r in open_before[1:]]
        await pilot.press("0")
        await settle(pilot)
        assert len(services.disagreements(project, "ingrid", "per")) == len(open_before) - 2
        log = [e for e in services.audit_log(project) if e.action == "adjudicate"]
        assert [e.payload["decision"] for e in log] == ["neither", "keep-b"] and all(e.coder == "kari" for e in log)


async def test_command_palette_reaches_the_actions(sample_copy):
    from codebench.tui.screens.adjudicate import AdjudicationScreen

    app = CodebenchApp(sample_copy, "kari")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        for query, screen_type in (("Adjudicate ingrid", AdjudicationScreen), ("Quotes of god mentor", QuotesScreen),
                                   ("Open Intervju Kristine Holm runde 2", DocumentScreen)):
            await run_from_palette(pilot, query)
            await app.workers.wait_for_complete()
            assert isinstance(app.screen, screen_type), query
            app.pop_screen()
            await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Hide codings of per")
        await settle(pilot)  # the palette's search runs in a worker: until it has gathered every hit
        await pilot.press("enter")
        await settle(pilot)
        assert app.visible_coders() is not None and "per" not in app.visible_coders()


async def test_a_selection_from_the_start_of_a_line_codes_the_words_not_the_speakers_name(sample_copy):
    # Tried in tmux: Home, shift+ctrl+right twice on "Ole Bjørnstad: Ja. …", then v made an
    # in-vivo code «Ole Bjørnstad» whose quote was the speaker's name and nothing else.
    project = sample_copy
    doc = services.get_document(project, FIRST_DOC)
    turn = next(t for t in doc.turns if t.body_start > t.start and doc.text[t.body_start:].startswith("Nei, altså"))
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_document(doc.info.id)
        await settle(pilot)
        view = app.screen.query_one(TranscriptView)

        await select(pilot, view, turn.start, 1)  # the label "R:" alone
        await pilot.press("c")
        await settle(pilot)
        assert not isinstance(app.screen, CodePicker), "a speaker's label is not coded"
        assert mine(project) == []
        assert any("speaker" in n.message for n in app._notifications)

        await select(pilot, view, turn.start, 3)  # "R: Nei, altså"
        await pilot.press("v")
        await settle(pilot)
        (code, start, end), = mine(project)
        assert (start, doc.text[start:end]) == (turn.body_start, "Nei, altså")
        assert code.startswith("Nei")


async def test_removing_the_only_coding_of_a_new_open_code_offers_to_remove_the_code(sample_copy):
    # Tried in tmux: ctrl+n made «tilbakes» by mistake, x removed its coding, and the empty open
    # code stayed in the codebook and the picker (only undo took it back).
    from codebench.tui.screens.confirm import ConfirmDialog

    project = sample_copy
    doc = services.get_document(project, FIRST_DOC)
    start = doc.text.index("travel uke")
    services.apply_code(project, doc.info.id, start, start + 10, "tilbakes", "tester", create="open")
    other = doc.text.index("NAV Sørvik")
    services.apply_code(project, doc.info.id, other, other + 10, "god mentor", "tester")
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_document(doc.info.id)
        await settle(pilot)
        screen = app.screen
        view = screen.query_one(TranscriptView)

        view.move_to(start + 8)
        await pilot.press("x")
        await settle(pilot)
        assert mine(project) == [("god mentor", other, other + 10)]
        assert isinstance(app.screen, ConfirmDialog), "the empty open code is offered for removal"
        await pilot.press("y")
        await settle(pilot)
        assert "tilbakes" not in {c.name for c in services.code_tree(project)}
        assert app.screen is screen

        # Undo brings the code back, and then its coding.
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "tilbakes" in {c.name for c in services.code_tree(project)}
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert ("tilbakes", start, start + 10) in mine(project)

        # A codebook code is never offered: it belongs to the codebook whether used or not.
        view.move_to(other + 1)
        await pilot.press("x")
        await settle(pilot)
        assert ("god mentor", other, other + 10) not in mine(project)
        assert not isinstance(app.screen, ConfirmDialog)


async def test_x_on_another_coders_coding_asks_and_the_log_names_both(sample_copy):
    from codebench.tui.screens.confirm import ConfirmDialog

    project = sample_copy
    doc = services.get_document(project, FIRST_DOC)
    start = doc.text.index("travel uke")
    coding = services.apply_code(project, doc.info.id, start, start + 10, "god mentor", "kari")
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_document(doc.info.id)
        await settle(pilot)
        screen = app.screen
        screen.query_one(TranscriptView).move_to(start + 2)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert any(q.coding_uuid == coding.uuid for q in services.quotes(project, coders=["kari"]))
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not any(q.coding_uuid == coding.uuid for q in services.quotes(project))
        entry = services.audit_log(project, 1)[0]
        assert (entry.action, entry.coder, entry.payload["taken_from"]) == ("remove", "tester", "kari")
        assert app.screen is screen


async def test_a_memo_right_after_an_in_vivo_code_goes_on_that_coding(sample_copy):
    """Found by a tester: inside a coded turn, `v` then `m` put the memo on the turn's coding
    (the caret sits right after the words just coded, outside them)."""
    project = sample_copy
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen.query_one(TranscriptView)
        doc = services.get_document(project, FIRST_DOC)
        turn = next(t for t in doc.turns if doc.text[t.body_start:].startswith("Nå? Eh, sist jeg sjekket"))
        view.move_to(turn.body_start + 5)
        await pilot.press("t")
        await type_text(pilot, "kapasitet og portefølje")
        await pilot.press("enter")
        await settle(pilot)
        start = doc.text.index("sist jeg sjekket", turn.body_start)
        await select(pilot, view, start, 3)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("m")
        await type_text(pilot, "sagt med ettertrykk")
        await pilot.press("ctrl+s")
        await settle(pilot)
        memos = {c.start: c.memo for c in services.codings(project) if c.coder == "tester"}
        assert memos == {turn.body_start: None, start: "sagt med ettertrykk"}, memos
