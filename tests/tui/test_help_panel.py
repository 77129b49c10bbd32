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


def _screen_lines(app) -> list[str]:
    """The screen as text, row by row (what a terminal shows)."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


async def test_at_80x24_the_key_panel_is_full_width_readable_and_stops_above_the_footer(sample_copy):
    # A tester's 80x24 tmux: the panel was squeezed into 45 columns beside the project view, keys
    # ran into their descriptions ("g quotes of code Every quote"), an old toast sat over it and
    # its last line was drawn in the footer's row.
    from textual.widgets import Footer, KeyPanel

    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.notify("Select the name first (shift+arrows), or put the caret on it", severity="warning")
        await pilot.press("f1")
        await settle(pilot)
        panel = app.screen.query_one(HelpPanel)
        footer = app.screen.query_one(Footer)
        assert panel.region.width == 80
        assert footer.region.width == 80 and panel.region.bottom <= footer.region.y
        assert not app._notifications, "no toast left over the panel"
        lines = _screen_lines(app)
        keys = app.screen.query_one(KeyPanel).region
        # The key, a gap, the action's name, a dash, its explanation, wrapped under the description.
        row = next(i for i, line in enumerate(lines) if "quotes of code" in line)
        assert "g  quotes of code — Every quote of the" in lines[row]
        assert lines[row + 1].strip() and lines[row + 1].index(lines[row + 1].strip()) == lines[row].index("quotes")
        assert keys.bottom <= footer.region.y
        await pilot.press("escape")
        await settle(pilot)
        assert not app.screen.query(HelpPanel)


async def test_in_a_wide_terminal_the_key_panel_sits_beside_the_screen_clear_of_the_footer(sample_copy):
    from textual.widgets import Footer, KeyPanel

    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        panel = app.screen.query_one(HelpPanel)
        footer = app.screen.query_one(Footer)
        assert 46 <= panel.region.width < 80 and panel.region.x > 0
        # The panel's keys stop above the footer's row, which holds the footer's keys alone.
        assert app.screen.query_one(KeyPanel).region.bottom <= footer.region.y
        assert _screen_lines(app)[footer.region.y][panel.region.x + 1:].strip() == ""


async def test_the_arrow_and_page_keys_scroll_the_open_key_panel_not_the_list_under_it(sample_copy):
    # A tester at 80x24: the review's keys after "d detect" were below the panel's fold, and
    # ↓/PageDown/End moved the list under the panel instead.
    from textual.widgets import KeyPanel, OptionList

    from codebench.tui.screens.anonymise import AnonymisationScreen
    from tests.tui.helpers import press_to

    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "a", AnonymisationScreen)
        await pilot.press("f1")
        await settle(pilot)
        keys = app.screen.query_one(KeyPanel)
        assert keys.max_scroll_y > 0, "the review's keys fit at 80x24: nothing to scroll"
        listed = app.screen.query_one("#entities", OptionList)
        highlighted = listed.highlighted
        await pilot.press("end")
        await settle(pilot)
        assert keys.scroll_y == keys.max_scroll_y
        await pilot.press("pageup", "up", "down", "home")
        await settle(pilot)
        assert keys.scroll_y == 0 and listed.highlighted == highlighted
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert isinstance(app.screen, AnonymisationScreen) and screen.query_one("#entities") is listed
