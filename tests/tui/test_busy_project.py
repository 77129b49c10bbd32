"""The workbench when another codebench keeps the project busy: a notification, and the app goes on."""

from __future__ import annotations

import pytest

from codebench import services
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.widgets.transcript import TranscriptView
from tests.tui.helpers import settle

FIRST_DOC = "Intervju Kristine Holm runde 1"
BUSY = "the project is busy: another codebench is writing; nothing was changed"


def mine(project: services.Project) -> list[str]:
    return [q.code for q in services.quotes(project, coders=["tester"])]


async def test_coding_in_a_busy_project_says_so_and_works_once_it_is_free(sample_copy: services.Project,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEBENCH_BUSY_TIMEOUT", "0.3")  # read when a project opens its database
    project = services.open_project(sample_copy.root)
    other = services.open_project(sample_copy.root)  # another codebench, e.g. a script importing
    app = CodebenchApp(project, "tester")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)  # the project view's lists fill from a worker
            await pilot.press("enter")
            await settle(pilot)
            view = app.screen.query_one(TranscriptView)
            start = services.get_document(project, FIRST_DOC).text.index("hundre og ti")
            view.move_to(start)
            for _ in range(3):
                await pilot.press("ctrl+shift+right")
            with other.transaction():  # holds the write lock until the block ends
                await pilot.press("c")
                for ch in "god mentor":
                    await pilot.press("space" if ch == " " else ch)
                await pilot.press("enter")
                await settle(pilot)
                assert any(BUSY in n.message for n in app._notifications)
                assert isinstance(app.screen, DocumentScreen) and app.is_running
                await pilot.press("x")  # removing (nothing of mine here yet) and undo say so too
                await pilot.press("ctrl+z")
                await settle(pilot)
                assert app.is_running
            assert mine(project) == []
            await pilot.press("c")
            for ch in "god mentor":
                await pilot.press("space" if ch == " " else ch)
            await pilot.press("enter")
            await settle(pilot)
            assert mine(project) == ["god mentor"]
    finally:
        other.close()
        project.close()
