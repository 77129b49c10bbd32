"""A day of opening one transcript after another keeps only the one on screen in memory.

The transcript screen freezes what is alive while a transcript is read (so full garbage
collections do not land on key presses). Frozen objects are never collected: the test guards
that a transcript opened earlier in the day does not stay frozen after another replaced it.
"""

from __future__ import annotations

import gc

from codebench.tui.app import CodebenchApp
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.project import ProjectScreen
from tests.tui.helpers import settle, wait_until


async def _open_next(pilot, app: CodebenchApp) -> None:
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, DocumentScreen), "the transcript")
    await settle(pilot)
    await pilot.pause()  # the collection after the transcript is on screen
    await pilot.press("q")
    await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen), "the project view")
    await settle(pilot)
    await pilot.press("down")


async def test_transcripts_opened_one_after_another_do_not_pile_up_in_memory(sample_copy):
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(3):
            await _open_next(pilot, app)
        after_three = gc.get_freeze_count()
        for _ in range(9):
            await _open_next(pilot, app)
        # Each transcript of the sample froze about 10,000 objects for good before: nine more
        # would have added 90,000. What stays frozen now is the app and one transcript.
        assert gc.get_freeze_count() < after_three + 20_000, (after_three, gc.get_freeze_count())
