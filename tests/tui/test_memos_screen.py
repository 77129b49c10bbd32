"""Memos in the workbench (#16 item 7): dialogs say which memo they write, a coding's memo is never
removed without asking, the memo browser lists, filters, jumps and edits; in the anonymised view
the browser and the palette show pseudonymous document names only. The database is checked after
each step that changes it."""

from __future__ import annotations

from codebench import services
from codebench.tui.app import CodebenchApp
from codebench.tui.commands import CodebenchCommands
from codebench.tui.screens.codebook import CodebookScreen
from codebench.tui.screens.confirm import ConfirmDialog
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.memos import MemosScreen
from codebench.tui.screens.picker import MemoEditor
from codebench.tui.widgets.transcript import TranscriptView

FIRST_DOC = "Intervju Kristine Holm runde 1"


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def coding_memos(project, coder: str) -> dict[str, str | None]:
    return {c.uuid: c.memo for c in services.codings(project) if c.coder == coder}


async def open_memos(pilot) -> MemosScreen:
    await pilot.pause()
    await pilot.press("m")  # from the project view
    await settle(pilot)
    assert isinstance(pilot.app.screen, MemosScreen)
    return pilot.app.screen


async def test_browser_lists_filters_and_jumps_to_the_coding(sample_copy):
    project = sample_copy
    expected = services.memo_entries(project, original=True)
    coding = next(e for e in expected if e.kind == "coding" and e.code == "lederstøtte")
    app = CodebenchApp(project, "ingrid")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(pilot)
        assert [e.key for e in screen.shown] == [e.key for e in expected]
        assert str(screen.query_one("#memo-count").render()) == f"{len(expected)} of {len(expected)} memos"
        await type_text(pilot, "kind:coding lederst")
        await pilot.pause()
        assert [e.key for e in screen.shown] == [coding.key]
        assert "filtered: coding memos" in str(screen.query_one("#memo-count").render())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen) and app.screen.document_id == coding.document_id
        view = app.screen.query_one(TranscriptView)
        assert view.selection == (coding.start, coding.end) and view.cursor == coding.start
        # the passage shows on screen, from its first line
        assert view.scroll_offset.y <= view.line_of(coding.start) < view.scroll_offset.y + view.size.height
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is screen and screen.query_one("#memo-filter").value == "kind:coding lederst"
        await pilot.press("escape")  # clears the filter first
        await pilot.pause()
        assert app.screen is screen and len(screen.shown) == len(expected)
        code_memo = next(i for i, e in enumerate(screen.shown) if e.kind == "code")
        screen.query_one("#memo-list").highlighted = code_memo
        await pilot.press("enter")  # a code memo: the code in the codebook
        await settle(pilot)
        assert isinstance(app.screen, CodebookScreen)
        assert app.screen.query_one("#codebook-tree").selected_code.name == screen.shown[code_memo].code


async def test_coding_memo_dialog_names_the_coding_and_removal_asks_first(sample_copy):
    project = sample_copy
    doc = services.get_document(project, FIRST_DOC)
    start = doc.text.index("jobber med på NAV Sørvik")
    coding = services.apply_code(project, FIRST_DOC, start, start + 13, "god mentor", "tester")
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_document(doc.info.id, position=start + 2)
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, MemoEditor)
        assert editor.title_text == "Memo on this coding of «god mentor»"
        assert editor.context == "jobber med på"  # the coded words, as on screen
        await type_text(pilot, "Kontoret navngis")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert coding_memos(project, "tester") == {coding.uuid: "Kontoret navngis"}

        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Kontoret navngis" in str(app.screen.query_one("#confirm-body").render())
        await pilot.press("n")  # keep
        await pilot.pause()
        assert coding_memos(project, "tester") == {coding.uuid: "Kontoret navngis"}
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")  # remove both
        await settle(pilot)
        assert coding_memos(project, "tester") == {}
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert coding_memos(project, "tester") == {coding.uuid: "Kontoret navngis"}
        assert "undid removal of the coding «god mentor» and its memo" in str(app.screen.query_one("#status").render())

        await pilot.press("M")  # a memo on the document
        await pilot.pause()
        assert app.screen.title_text == f"Memo on the document «{FIRST_DOC}»"
        await type_text(pilot, "Lang pause")
        await pilot.press("ctrl+s")
        await settle(pilot)
        (memo,) = services.memos(project)
        assert (memo["target_type"], memo["target_id"], memo["text"], memo["author"]) == (
            "document", doc.info.id, "Lang pause", "tester")


async def test_code_memo_dialog_names_the_code(sample_copy):
    project = sample_copy
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(CodebookScreen(focus_code="lederstøtte"))
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.title_text == "Memo on the code «lederstøtte»"
        await type_text(pilot, "Egen leder")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert next(c for c in services.code_tree(project) if c.name == "lederstøtte").memo == "Egen leder"


async def test_browser_writes_and_edits_memos_but_not_another_coders(sample_copy):
    project = sample_copy
    others = coding_memos(project, "per")
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_memos(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.title_text == "Memo on the project"
        await type_text(pilot, "Samskaping som kjerne")
        await pilot.press("ctrl+s")
        await settle(pilot)
        (memo,) = services.memos(project)
        assert (memo["target_type"], memo["text"], memo["author"]) == ("project", "Samskaping som kjerne", "tester")
        assert screen.shown[0].key == memo["uuid"]  # project memos first

        screen.query_one("#memo-list").highlighted = 0
        await pilot.press("f2")
        await pilot.pause()
        await type_text(pilot, "kategori")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert services.memos(project)[0]["text"] == "Samskaping som kjernekategori"

        theirs = next(i for i, e in enumerate(screen.shown) if e.kind == "coding" and e.author == "per")
        screen.query_one("#memo-list").highlighted = theirs
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is screen, "no editor for another coder's coding memo"
        assert "per's coding" in [n.message for n in app._notifications][-1]
    assert coding_memos(project, "per") == others


async def test_anonymised_view_shows_labels_in_the_browser_and_the_palette(sample_copy):
    project = sample_copy
    labels = services.anonymisation.document_labels(project)
    names = {d.id: d.name for d in services.list_documents(project)}
    app = CodebenchApp(project, "ingrid")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        app.show_anonymised = True  # what o in a transcript chooses for every later screen
        screen = await open_memos(pilot)
        shown = {e.document for e in screen.shown if e.document}
        assert shown and shown <= set(labels.values()) and not shown & set(names.values())
        opened = [name for name, _, _ in CodebenchCommands(app.screen)._commands() if name.startswith("Open ")]
        assert opened == [f"Open {labels[i]}" for i in sorted(labels)]
        app.show_anonymised = False
        opened = [name for name, _, _ in CodebenchCommands(app.screen)._commands() if name.startswith("Open ")]
        assert opened == [f"Open {names[i]}" for i in sorted(names)]


async def test_a_memo_that_names_people_is_not_edited_where_names_are_hidden(reviewed_sample_dir, tmp_path):
    import shutil

    folder = tmp_path / "demo"
    shutil.copytree(reviewed_sample_dir, folder)
    project = services.open_project(folder)
    try:
        services.anonymisation.set_original_viewer(project, "ingrid", True)  # per is shown pseudonyms only
        coding = next(c for c in services.codings(project) if c.coder == "per" and not c.memo)
        services.set_coding_memo(project, coding.uuid, "Kristine Holm sier det rett ut.", "per")
        app = CodebenchApp(project, "per")
        async with app.run_test(size=(120, 30), notifications=True) as pilot:
            screen = await open_memos(pilot)
            mine = next(i for i, e in enumerate(screen.shown) if e.key == coding.uuid)
            entry = screen.shown[mine]
            assert entry.masked and "Kristine" not in entry.text  # shown with the pseudonym
            # Its place in the text per reads (a tester measured a name by the original's positions).
            shown_at = services.anonymisation.positions_for(project, "per").shown(coding.document_id, coding.start,
                                                                                   coding.end)
            assert (entry.start, entry.end) == shown_at
            screen.query_one("#memo-list").highlighted = mine
            await pilot.press("f2")
            await pilot.pause()
            assert app.screen is screen and "names people" in [n.message for n in app._notifications][-1]
            await pilot.press("enter")  # to the coding; m there refuses as well
            await settle(pilot)
            assert isinstance(app.screen, DocumentScreen)
            await pilot.press("m")
            await pilot.pause()
            assert isinstance(app.screen, DocumentScreen)
            assert "names people" in [n.message for n in app._notifications][-1]
        assert next(c for c in services.codings(project) if c.uuid == coding.uuid).memo == "Kristine Holm sier det rett ut."
    finally:
        project.close()
