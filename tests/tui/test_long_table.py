"""The project view's document list takes all its rows at once (LongTable.replace_rows) and must
behave as a DataTable filled row by row: keys, cursor, selection, widths, names shown as written."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from codebench.tui.widgets.long_table import LongTable

ROWS = [
    ("mentor", "M01", "1", "intervju [endelig].docx"),  # brackets: a file name, not markup
    ("veileder", "V02", "2", Text("Åse Ødegård", style="bold")),
    ("IA-rådgiver", "…1234567", "", "gruppeintervju"),
]


class TableApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.selected: list[str] = []
        self.highlighted: list[int] = []

    def compose(self) -> ComposeResult:
        yield LongTable(id="table", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(LongTable)
        table.add_columns("role", "case", "r", "document")
        table.replace_rows(ROWS, ["11", "12", "13"])
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.selected.append(str(event.row_key.value))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.highlighted.append(event.cursor_row)


async def test_rows_replaced_at_once_read_select_and_show_like_added_rows():
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(LongTable)
        assert table.row_count == 3 and app.highlighted[:1] == [0]
        assert table.get_row("12")[0] == "veileder" and table.get_row_at(2)[1] == "…1234567"
        # Each column is as wide as its widest cell or label.
        assert [c.content_width for c in table.ordered_columns] == [11, 8, 1, len("intervju [endelig].docx")]
        await pilot.press("down", "down", "enter")
        assert table.cursor_row == 2 and app.selected == ["13"]
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == "13"
        shown = "\n".join(line.text for line in table.render_lines(table.region.reset_offset))
        assert "intervju [endelig].docx" in shown and "Åse Ødegård" in shown
        table.replace_rows([("mentor", "M09", "1", "ny")], ["19"])
        await pilot.pause()
        assert table.row_count == 1 and table.cursor_row == 0 and table.get_row("19")[3] == "ny"


CELLS = [
    ("mentor", "", "1", Text("none found", style="dim"), Text.assemble(("vtt", "dim"), " ", ("!2", "bold yellow"))),
    ("IA-rådgiver", "漢字漢字ab", "22", "gruppeintervju med en svært lang tittel som blir kuttet", Text("to review 3")),
    ("veileder", "x" * 30, "", Text("Åse Ødegård", style="bold"), "intervju [endelig].docx"),
]


class CellApp(App[None]):
    def compose(self) -> ComposeResult:
        yield LongTable(id="table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(LongTable)
        table.add_columns("role", "case", "r", "anon", "fmt")
        table.replace_rows(CELLS, ["1", "2", "3"])


async def test_cells_are_drawn_as_datatable_draws_them():
    """The short way to draw a plain cell gives DataTable's own segments: cut, filled, styled alike."""
    app = CellApp()
    async with app.run_test(size=(70, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(LongTable)
        compared = 0
        for cursor in (False, True):
            for hover in (False, True):
                for row in range(len(CELLS)):
                    for column in range(len(CELLS[0])):
                        for width in (2, 3, 5, 8, 20):  # no room, cut in a wide character, filled
                            base = Style(bgcolor="grey15") if row % 2 else Style()
                            table._cell_render_cache.clear()
                            ours = table._render_cell(row, column, base, width, cursor, hover)
                            table._cell_render_cache.clear()
                            theirs = DataTable._render_cell(table, row, column, base, width, cursor, hover)
                            assert ours == theirs, (row, column, width, cursor, hover)
                            compared += 1
        assert compared == 2 * 2 * 3 * 5 * 5
