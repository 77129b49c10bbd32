"""The code × role heat map in the workbench: right counts, readable in dark and light themes."""

from __future__ import annotations

from collections import Counter

import pytest
from textual.color import Color

from codebench import services
from codebench.domain.colours import contrast_ratio
from codebench.domain.passages import passages
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.heatmap import HeatMapScreen
from tests.tui.helpers import settle


async def _open(pilot) -> HeatMapScreen:
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, HeatMapScreen)
    await pilot.app.workers.wait_for_complete()
    await settle(pilot)
    return screen


def _expected(project, coders=None) -> Counter:
    return Counter((q.code, q.role) for q in passages(services.quotes(project, coders=coders, with_speakers=False)))


def _assert_counts(table, expected: Counter) -> None:
    for row, values in zip(table.rows, table.values):
        for column, value in zip(table.columns, values):
            assert value == expected.get((row.code, column.key), 0), (row.code, column.key)
    assert table.total == sum(expected.values())


async def test_heat_map_counts_distinct_passages_by_code_and_role_and_per_coder(sample_copy):
    everyone = _expected(sample_copy)
    codings = len(services.quotes(sample_copy, with_speakers=False))
    assert sum(everyone.values()) < codings, "the sample's two coders share passages: the count must not add them up"
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        table = screen.table
        assert table is not None and [c.key for c in table.columns][:4] == ["veileder", "IA-rådgiver", "mentor", "arbeidsgiver"]
        _assert_counts(table, everyone)
        assert "distinct passages, all coders" in str(screen.query_one("#heatmap-counting").render())
        for coder in ("ingrid", "per"):  # c: one coder, then the next …
            await pilot.press("c")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert f"distinct passages, coder {coder}" in str(screen.query_one("#heatmap-counting").render())
            _assert_counts(screen.table, _expected(sample_copy, [coder]))
        await pilot.press("c")  # … then all coders again
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        _assert_counts(screen.table, everyone)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HeatMapScreen)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_heat_map_cells_keep_contrast_in_both_themes(sample_copy, theme):
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = theme
        screen = await _open(pilot)
        grid = screen.render_table(screen.table)
        styles = [cell.style for column in grid.columns[1:-1] for cell in column._cells if hasattr(cell, "style")]
        assert styles, "the cells carry colours"
        for style in styles:
            ink, paper = (Color.parse(part) for part in str(style).split(" on "))
            # WCAG contrast of at least 4.5 between a count and its cell.
            assert contrast_ratio(ink.rgb, paper.rgb) >= 4.5, (theme, str(style))



async def test_mouse_drag_selects_words_and_codes_them(sample_copy):
    """Press on a word, drag to another, release: the words between are selected; c codes them."""
    from codebench.tui.screens.document import DocumentScreen
    from codebench.tui.screens.picker import CodePicker
    from codebench.tui.widgets.transcript import TranscriptView

    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        view = app.screen.query_one(TranscriptView)
        row = next(i for i, (a, b) in enumerate(view._lines[:20]) if b - a > 20)
        line_start, _ = view._lines[row]
        left = view.text_left  # the text starts after the gutter
        await pilot.mouse_down(view, offset=(left + 3, row))
        await pilot.hover(view, offset=(left + 15, row))
        await pilot.mouse_up(view, offset=(left + 15, row))
        await settle(pilot)
        assert view.selection == (line_start + 3, line_start + 15)
        await pilot.press("c")
        assert isinstance(app.screen, CodePicker)
        for ch in "god mentor":
            await pilot.press(ch if ch != " " else "space")
        await pilot.press("enter")
        await settle(pilot)
        mine = [(c.start, c.end) for c in services.codings(sample_copy) if c.coder == "tester"]
        assert mine == [(line_start + 3, line_start + 15)]


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_transcript_marks_stay_readable_in_both_themes(sample_copy, theme):
    """Coded, overlapping and selected text keep a readable contrast against their background."""
    from codebench.tui.widgets.transcript import TranscriptView

    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = theme
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen.query_one(TranscriptView)
        base = view.rich_style
        for name in ("coded", "overlap", "selection", "speaker"):
            style = base + view.get_component_rich_style(f"transcript--{name}")
            ink = Color.from_rich_color(style.color)
            paper = Color.from_rich_color(style.bgcolor)
            ratio = contrast_ratio(ink.rgb, paper.rgb)
            assert ratio >= 4.5, (theme, name, ink.hex, paper.hex, round(ratio, 2))
