"""F1 opens the key panel and F1 or Esc closes it; Esc keeps its meaning everywhere else."""

from __future__ import annotations

from textual.widgets import HelpPanel
from textual.widgets._key_panel import BindingsTable

from codebench.tui.app import CodebenchApp
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.picker import CodePicker
from codebench.tui.widgets.transcript import TranscriptView
from tests.tui.helpers import settle


async def test_f1_toggles_the_key_panel_and_escape_closes_it(sample_copy):
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert app.screen.query(HelpPanel)
        await pilot.press("f1")
        await settle(pilot)
        assert not app.screen.query(HelpPanel)

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        await pilot.press("f1")
        await settle(pilot)
        assert app.screen.query(HelpPanel)
        await pilot.press("escape")
        await settle(pilot)
        assert not app.screen.query(HelpPanel) and isinstance(app.screen, DocumentScreen)

        # With the panel closed, Esc clears a selection and cancels the picker as before.
        view = app.screen.query_one(TranscriptView)
        view.move_to(10, select_to=20)
        await pilot.press("escape")
        await settle(pilot)
        assert view.selection is None
        view.move_to(10, select_to=20)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CodePicker)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)


def _first_keys(app, count: int) -> list[str]:
    table = app.screen.query_one(BindingsTable).render()
    return [str(cell) for cell in table.columns[0]._cells if str(cell)][:count]


async def test_the_key_panel_lists_the_screens_own_keys_before_cursor_keys(sample_copy):
    # At 80x24 the panel opened on tab, shift+tab, ctrl+c and the list's cursor keys; the keys a
    # coder looks for were below the fold.
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert _first_keys(app, 3) == ["o", "g", "k"]
        await pilot.press("f1", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        await pilot.press("f1")
        await settle(pilot)
        assert _first_keys(app, 3) == ["c", "v", "t"]
