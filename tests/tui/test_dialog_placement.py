"""The code picker and the memo editor open beside the words being coded, never over them (80x24)."""

from __future__ import annotations

from textual.geometry import Region

from codebench import services
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.picker import CodePicker, MemoEditor
from codebench.tui.widgets.transcript import TranscriptView
from tests.tui.helpers import settle

FIRST_DOC = "Intervju Kristine Holm runde 1"


async def _open(pilot, document_id: int) -> tuple[DocumentScreen, TranscriptView]:
    pilot.app.open_document(document_id)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DocumentScreen)
    return screen, screen.view


def _rows(view: TranscriptView, start: int, end: int) -> tuple[list[int], int]:
    """(screen rows of the visible lines of ``[start, end)``, how many lines it has)."""
    first, last = view.line_of(start), view.line_of(end - 1)
    top = view.scroll_offset.y
    shown = [view.region.y + line - top for line in range(first, last + 1) if top <= line < top + view.size.height]
    return shown, last - first + 1


def _covered(box: Region, rows: list[int]) -> list[int]:
    return [row for row in rows if box.y <= row < box.bottom]


async def test_code_the_whole_turn_at_80x24_leaves_every_line_of_the_turn_in_sight(sample_copy):
    doc = services.get_document(sample_copy, FIRST_DOC)
    turn = doc.turns[1]  # the informant's first answer: nine lines at 80 columns
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        _, view = await _open(pilot, doc.info.id)
        view.move_to(turn.body_start + 10)
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, CodePicker)
        rows, lines = _rows(view, turn.body_start, turn.end)
        assert len(rows) == lines > 3, "the whole turn is on screen"
        assert _covered(picker.query_one("#picker").region, rows) == []
        assert picker.query_one("#picker-input").region.bottom <= 24
        assert picker.query_one("#picker-options").option_count > 0


async def test_a_turn_taller_than_the_screen_keeps_its_start_in_sight(sample_copy):
    doc = services.get_document(sample_copy, FIRST_DOC)
    turn = max(doc.turns, key=lambda t: t.end - t.start)
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        _, view = await _open(pilot, doc.info.id)
        view.move_to(turn.body_start + 10)
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, CodePicker)
        rows, lines = _rows(view, turn.body_start, turn.end)
        assert lines > 12 and rows, "a long turn, its start on screen"
        assert rows[0] == view.region.y, "its first line at the top of the view"
        box = picker.query_one("#picker").region
        # The picker takes the rows below the start: only the turn's later lines are under it.
        assert box.y > rows[0] + 3 and _covered(box, rows) == [row for row in rows if row >= box.y]
        assert picker.query_one("#picker-options").option_count > 0


async def test_the_memo_editor_at_80x24_leaves_the_coded_words_in_sight(sample_copy):
    doc = services.get_document(sample_copy, FIRST_DOC)
    turn = doc.turns[1]
    services.apply_code(sample_copy, doc.info.id, turn.body_start, turn.end, "god mentor", "tester")
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        _, view = await _open(pilot, doc.info.id)
        view.move_to(turn.body_start + 10)
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, MemoEditor)
        rows, lines = _rows(view, turn.body_start, turn.end)
        assert len(rows) == lines
        assert _covered(editor.query_one("#picker").region, rows) == []
        area = editor.query_one("#memo-text").region
        assert area.height >= 3 and area.bottom <= 24
