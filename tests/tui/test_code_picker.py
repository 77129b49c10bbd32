"""The code picker: an exact name or shortcut wins, a half-typed name finds its code, and a new
open code is only ever made deliberately."""

from __future__ import annotations

from codebench import services
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.picker import CodePicker
from codebench.tui.widgets.transcript import TranscriptView
from tests.tui.helpers import settle, type_text
from textual.widgets import Label, OptionList

FIRST_DOC = "Intervju Kristine Holm runde 1"


def mine(project):
    return [(q.code, q.start, q.end) for q in services.quotes(project, coders=["tester"])]


async def open_picker(pilot, app, project, words: str):
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, DocumentScreen)
    doc = services.get_document(project, FIRST_DOC)
    view = app.screen.query_one(TranscriptView)
    start = doc.text.index(words)
    view.move_to(start, select_to=start + len(words))
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(app.screen, CodePicker)
    return start




def names_before(project):
    return {c.name for c in services.code_tree(project)}


async def test_a_shortcut_key_and_enter_apply_its_code_not_a_new_one(sample_copy):
    project = sample_copy
    before = names_before(project)
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        start = await open_picker(pilot, app, project, "travel uke")
        # The picker shows the words being coded: it must not hide them.
        assert "travel uke" in str(app.screen.query_one("#picker-context", Label).render())
        await pilot.press("k", "enter")
        await settle(pilot)
    assert mine(project) == [("kapasitet og portefølje", start, start + len("travel uke"))]
    assert names_before(project) == before


async def test_a_half_typed_name_applies_the_code_it_starts(sample_copy):
    project = sample_copy
    before = names_before(project)
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        start = await open_picker(pilot, app, project, "travel uke")
        await type_text(pilot, "kandidatens utv")
        await pilot.press("enter")
        await settle(pilot)
    assert mine(project) == [("kandidatens utvikling", start, start + len("travel uke"))]
    assert names_before(project) == before


async def test_a_name_close_to_no_code_needs_a_deliberate_new_code(sample_copy):
    project = sample_copy
    before = names_before(project)
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        start = await open_picker(pilot, app, project, "travel uke")
        await type_text(pilot, "tilbakes")
        await pilot.press("enter")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, CodePicker), "Enter on a weak match must neither apply nor create"
        assert "no code close to «tilbakes»" in str(picker.query_one("#picker-hint", Label).render())
        options = picker.query_one(OptionList)
        last = options.get_option_at_index(options.option_count - 1)
        assert last.id == "new:tilbakes"  # the new-code row is always last
        assert mine(project) == [] and names_before(project) == before
        # The arrows reach the new row deliberately; Enter on it creates the open code.
        for _ in range(options.option_count):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
    codes = {c.name: c for c in services.code_tree(project)}
    assert codes["tilbakes"].origin == "open"
    assert mine(project) == [("tilbakes", start, start + len("travel uke"))]


async def test_with_nothing_typed_the_coders_recent_codes_come_first(sample_copy):
    project = sample_copy
    doc = services.get_document(project, FIRST_DOC)
    first = doc.text.index("travel uke")
    services.apply_code(project, doc.info.id, first, first + 6, "vinn-vinn", "tester")
    services.apply_code(project, doc.info.id, first + 7, first + 10, "hvem ringer hvem", "tester")
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_picker(pilot, app, project, "jobber med på NAV")
        options = app.screen.query_one(OptionList)
        top = [options.get_option_at_index(i).id for i in range(2)]
        assert top == ["code:hvem ringer hvem", "code:vinn-vinn"]
        assert options.highlighted == 0
        await pilot.press("enter")
        await settle(pilot)
    assert ("hvem ringer hvem", doc.text.index("jobber med på NAV"),
            doc.text.index("jobber med på NAV") + len("jobber med på NAV")) in mine(project)
