"""Another coder's codings show in an open workbench (a team at a shared project).

The second coder is a second opening of the same SQLite project, as a second process would
open it: it writes through the services, the workbench only sees the database.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from codebench import services
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.project import ProjectScreen
from codebench.tui.widgets.transcript import TranscriptView
from tests.tui.helpers import settle

FIRST_DOC = "Intervju Kristine Holm runde 1"


@pytest.fixture
def other_coder(sample_copy: services.Project) -> Iterator[services.Project]:
    """The same project opened a second time: another coder's process."""
    other = services.open_project(sample_copy.root)
    yield other
    other.close()


def _code_name(project: services.Project) -> str:
    return next(c.name for c in services.code_tree(project) if c.kind == "code")


def _odas(view: TranscriptView) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in view.marks if m.coder == "oda"]


async def test_a_transcript_opened_again_shows_codings_made_elsewhere_meanwhile(sample_copy, other_coder, monkeypatch):
    # No periodic check in this test: reopening alone must read the current codings.
    monkeypatch.setattr(DocumentScreen, "CHANGE_CHECK_SECONDS", 1000.0)
    doc = services.get_document(sample_copy, FIRST_DOC)
    start = doc.text.index("jobber med på NAV Sørvik")
    app = CodebenchApp(sample_copy, "tarjei")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen) and app.screen.document_id == doc.info.id
        assert _odas(app.screen.view) == []
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, ProjectScreen)

        services.apply_code(other_coder, doc.info.id, start, start + 13, _code_name(other_coder), "oda")

        await pilot.press("enter")  # the same transcript again, in the reused screen
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen) and app.screen.document_id == doc.info.id
        assert _odas(app.screen.view) == [(start, start + 13)]


async def test_an_open_transcript_shows_codings_made_elsewhere_and_keeps_the_selection(sample_copy, other_coder,
                                                                                       monkeypatch):
    monkeypatch.setattr(DocumentScreen, "CHANGE_CHECK_SECONDS", 0.1)
    doc = services.get_document(sample_copy, FIRST_DOC)
    start = doc.text.index("travel uke")
    app = CodebenchApp(sample_copy, "tarjei")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen.view
        view.move_to(start)
        await pilot.press("ctrl+shift+right", "ctrl+shift+right")
        await settle(pilot)
        selection, cursor = view.selection, view.cursor
        assert selection is not None

        services.apply_code(other_coder, doc.info.id, start, start + len("travel uke"), _code_name(other_coder),
                            "oda")

        for _ in range(100):  # the check runs every 0.1 s: give it a few rounds
            if _odas(view):
                break
            await pilot.pause(0.05)
        await settle(pilot)
        assert _odas(view) == [(start, start + len("travel uke"))]
        assert (view.selection, view.cursor) == (selection, cursor)


async def test_the_periodic_check_reads_only_when_something_changed(sample_copy, monkeypatch):
    """Nothing changed: the check costs one small query and the codings are not fetched again."""
    monkeypatch.setattr(DocumentScreen, "CHANGE_CHECK_SECONDS", 1000.0)
    fetched: list[int] = []
    real = services.document_codings

    def counting(*args, **kwargs):
        fetched.append(1)
        return real(*args, **kwargs)

    app = CodebenchApp(sample_copy, "tarjei")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        monkeypatch.setattr(services, "document_codings", counting)
        for _ in range(3):
            app.screen.check_for_changes()
            await settle(pilot)
        assert fetched == []
