"""SVG snapshots of the workbench's main screens, on the sample project.

The snapshots live in tests/tui/__snapshots__/test_snapshots/. After an intended change to a
screen, look at the report pytest-textual-snapshot writes (snapshot_report.html) and accept the
new pictures with ``pytest tests/tui/test_snapshots.py --snapshot-update``.

Each test opens its own copy of the sample project (timestamps are only in the database, never
on screen) at a fixed terminal size, and waits for workers before the picture is taken.
"""

from __future__ import annotations

from codebench import services
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.picker import CodePicker
from codebench.tui.screens.project import ProjectScreen
from codebench.tui.screens.quotes import QuotesScreen

CODER = "snapshot"


async def settle(pilot) -> None:
    """Let workers finish and the screen catch up."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_project_view(snap_compare, sample_copy):
    async def run_before(pilot) -> None:
        await settle(pilot)
        assert isinstance(pilot.app.screen, ProjectScreen)

    assert snap_compare(CodebenchApp(sample_copy, CODER), terminal_size=(100, 30), run_before=run_before)


def test_project_view_smallest_terminal(snap_compare, sample_copy):
    """80x24 is the smallest terminal the workbench supports."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        assert isinstance(pilot.app.screen, ProjectScreen)

    assert snap_compare(CodebenchApp(sample_copy, CODER), terminal_size=(80, 24), run_before=run_before)


def test_transcript_view(snap_compare, sample_copy):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DocumentScreen)

    assert snap_compare(CodebenchApp(sample_copy, CODER), terminal_size=(100, 30), run_before=run_before)


def test_code_picker_filtered(snap_compare, sample_copy):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        for _ in range(3):
            await pilot.press("ctrl+shift+right")
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CodePicker)
        await pilot.press(*"ment")
        await settle(pilot)
        assert pilot.app.screen.query_one("#picker-input").value == "ment"

    assert snap_compare(CodebenchApp(sample_copy, CODER), terminal_size=(100, 30), run_before=run_before)


def test_quotes_of_a_code(snap_compare, sample_copy):
    node = next(c for c in services.code_tree(sample_copy) if c.name == "god mentor")

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.open_quotes(node)
        await settle(pilot)
        assert isinstance(pilot.app.screen, QuotesScreen)
        assert pilot.app.screen.quotes, "the sample project has quotes of «god mentor»"
        # The full-quote panel follows the highlighted row by message: let it arrive.
        await pilot.pause(0.2)
        await settle(pilot)

    assert snap_compare(CodebenchApp(sample_copy, CODER), terminal_size=(100, 30), run_before=run_before)
