"""F1 opens the key panel and F1 or Esc closes it; Esc keeps its meaning everywhere else."""

from __future__ import annotations

from textual.widgets import HelpPanel

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
