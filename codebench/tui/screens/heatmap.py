"""A compact code × role heat map: which perspectives speak to which codes.

The same counts as the exports' "Antall" sheet and the HTML heat map, drawn with the theme's
colours (a cell's background mixes the theme's background with its primary colour by count),
so it stays readable in light and dark themes.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from codebench import services
from codebench.domain.colours import contrast_ratio
from codebench.domain.matrix import CountTable, count_table, matrix_rows
from codebench.tui.screens.base import WorkbenchScreen
from codebench.tui.widgets.stable_footer import StableFooter


class HeatMapScreen(WorkbenchScreen):
    """Codes (rows, under their main category) × informant roles (columns), coloured by count."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "back"),
        Binding("f5", "refresh", "refresh", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.table: CountTable | None = None
        """The counts on screen (None until loaded)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="heatmap-scroll"):
            yield Static("counting…", id="heatmap")
        yield StableFooter()

    def on_mount(self) -> None:
        self.sub_title = "codes × roles (quotes)"
        self.action_refresh()

    def action_refresh(self) -> None:
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        project: services.Project = self.project
        rows = matrix_rows(services.code_tree(project))
        table = count_table(services.quotes(project, with_speakers=False), rows, "role")
        self.app.call_from_thread(self._show, table)

    def _show(self, table: CountTable) -> None:
        self.table = table
        self.query_one("#heatmap", Static).update(self.render_table(table))

    def render_table(self, table: CountTable) -> Table:
        """The counts as a Rich table with theme-coloured cells."""
        variables: dict[str, Any] = self.app.get_css_variables()
        background = Color.parse(variables.get("background", "#000000"))
        accent = Color.parse(variables.get("primary", "#0178D4"))
        foreground = Color.parse(variables.get("foreground", "#e0e0e0"))
        grid = Table(box=None, pad_edge=False, show_edge=False, header_style="bold", expand=False)
        grid.add_column("code", no_wrap=True, max_width=34, overflow="ellipsis")
        for column in table.columns:
            grid.add_column(column.label, justify="right", min_width=6)
        grid.add_column("sum", justify="right", style="dim")
        top = max(1, table.maximum)
        section = object()
        for row, values in zip(table.rows, table.values):
            if row.main_category != section:
                section = row.main_category
                grid.add_row(Text(row.main_category or "(uten kategori)", style="bold"), *[""] * (len(table.columns) + 1))
            cells = []
            for value in values:
                fraction = value / top
                cell_bg = background.blend(accent, 0.15 + 0.85 * fraction) if value else background
                ink = max((foreground, background, Color(0, 0, 0), Color(255, 255, 255)),
                          key=lambda c: contrast_ratio(c.rgb, cell_bg.rgb))
                cells.append(Text(f" {value} " if value else " · ", style=f"{ink.hex} on {cell_bg.hex}"))
            grid.add_row(f"  {row.code}", *cells, str(sum(values)))
        return grid
