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
from textual.widgets import Header, Label, Static

from codebench import services
from codebench.domain.colours import contrast_ratio
from codebench.domain.matrix import CountTable, count_table, matrix_rows
from codebench.domain.passages import Counting, passages
from codebench.tui.screens.base import WorkbenchScreen
from codebench.tui.widgets.stable_footer import StableFooter


class HeatMapScreen(WorkbenchScreen):
    """Codes (rows, under their main category) × informant roles (columns), coloured by count."""

    BINDINGS = [
        Binding("c", "next_coder", "coder", tooltip="Count one coder's passages; again for the next coder, then all"),
        Binding("escape,q", "app.pop_screen", "back"),
        Binding("f5", "refresh", "refresh", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.table: CountTable | None = None
        """The counts on screen (None until loaded)."""
        self.code_labels: dict[str, str] = {}
        """Code name -> what the map shows for it (see the app's code_labels)."""
        self.counting = Counting()
        """What the counts count: distinct passages of all coders, or of one (c switches)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="heatmap-counting", classes="pane-title")
        with VerticalScroll(id="heatmap-scroll"):
            yield Static("counting…", id="heatmap")
        yield StableFooter()

    def on_mount(self) -> None:
        self.sub_title = "codes × roles"
        self.action_refresh()

    def action_refresh(self) -> None:
        self.query_one("#heatmap-counting", Label).update(f"Codes × roles · {self.counting.describe()}  (c: per coder)")
        self._load(self.counting)

    def action_next_coder(self) -> None:
        """All coders' distinct passages → the first coder's → the next … → all again."""
        coders = sorted(services.coding_counts(self.project).by_coder)
        order: list[tuple[str, ...]] = [(), *((name,) for name in coders)]
        current = order.index(self.counting.coders) if self.counting.coders in order else 0
        self.counting = Counting(order[(current + 1) % len(order)])
        self.action_refresh()

    @work(thread=True, exclusive=True)
    def _load(self, counting: Counting) -> None:
        project: services.Project = self.project
        rows = matrix_rows(services.code_tree(project))
        found = services.quotes(project, coders=list(counting.coders) or None, with_speakers=False)
        # The same words coded by two coders are one passage (domain/passages.py), as in the exports.
        table = count_table(passages(found), rows, "role")
        # Drawn as this coder's view shows code names (an in-vivo code is the informant's words).
        labels = self.workbench.code_labels({n for row in rows for n in (row.code, row.main_category) if n})
        self.app.call_from_thread(self._show, table, counting, labels)

    def _show(self, table: CountTable, counting: Counting | None = None, labels: dict[str, str] | None = None) -> None:
        if counting is not None and counting != self.counting:
            return  # the coder was switched again while this was counting
        self.code_labels = labels or {}
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
                main = self.code_labels.get(row.main_category, row.main_category) if row.main_category else None
                grid.add_row(Text(main or "(uten kategori)", style="bold"), *[""] * (len(table.columns) + 1))
            cells = []
            for value in values:
                fraction = value / top
                cell_bg = background.blend(accent, 0.15 + 0.85 * fraction) if value else background
                ink = max((foreground, background, Color(0, 0, 0), Color(255, 255, 255)),
                          key=lambda c: contrast_ratio(c.rgb, cell_bg.rgb))
                cells.append(Text(f" {value} " if value else " · ", style=f"{ink.hex} on {cell_bg.hex}"))
            grid.add_row(f"  {self.code_labels.get(row.code, row.code)}", *cells, str(sum(values)))
        return grid
