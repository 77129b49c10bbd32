"""A DataTable that takes a thousand rows at once without measuring every cell.

Textual's ``DataTable.add_row`` updates the cursor (a reactive, with its watchers) once per row,
and the table then measures every new cell through Rich, parsing each string as markup, to size
its columns. For the project view at 10 M words (1,000 documents, eight columns) that was most
of a second before the first frame. :meth:`LongTable.replace_rows` stores all rows in one pass
and sizes the columns from the cells' lengths; the table still renders only the rows on screen.

Those rows' cells are then drawn by DataTable through Rich (markup parsing, padding, wrapping,
cropping: a full screen of a thousand-document list took 50 ms). A one-line cell of plain
words, with at most one style, is drawn here as the same segments directly.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets._data_table import Row, RowKey
from textual._two_way_dict import TwoWayDict

Cell = str | Text


class LongTable(DataTable[Cell]):
    """A DataTable whose rows are replaced all at once (see :meth:`replace_rows`)."""

    def replace_rows(self, rows: Sequence[Sequence[Cell]], keys: Sequence[str]) -> None:
        """Show ``rows`` (one cell per column) under ``keys`` instead of the rows shown now.

        A plain string is shown as written: one holding ``[`` (a file name such as
        ``intervju [endelig].docx``) becomes a Text, so it is never read as markup.

        Raises:
            ValueError: a row has more cells than the table has columns, or a key repeats.
        """
        self.clear()
        columns = self.ordered_columns
        widths = [cell_len(column.label.plain) for column in columns]
        column_keys = [column.key for column in columns]
        locations: dict[RowKey, int] = {}
        data = self._data
        row_meta = self.rows
        for index, (key, cells) in enumerate(zip(keys, rows, strict=True)):
            if len(cells) > len(columns):
                raise ValueError("More values provided than there are columns.")
            row_key = RowKey(key)
            if row_key in locations:
                raise ValueError(f"The row key {key!r} repeats.")
            locations[row_key] = index
            shown = []
            for column_index, cell in enumerate(cells):
                if isinstance(cell, str):
                    if "[" in cell:
                        cell = Text(cell, end="")
                        width = cell.cell_len
                    elif cell.isascii() and cell.isprintable():  # one cell per character
                        width = len(cell)
                    else:
                        width = cell_len(cell)
                else:
                    width = cell.cell_len
                if width > widths[column_index]:
                    widths[column_index] = width
                shown.append(cell)
            data[row_key] = dict(zip(column_keys, shown))
            row_meta[row_key] = Row(row_key, 1)
        self._row_locations = TwoWayDict(locations)
        for column, width in zip(columns, widths):
            if column.auto_width:
                column.content_width = width
        # No row is "new": the widths are known.
        self._new_rows.clear()
        self._update_count += 1
        # The scroll area is sized now, not in DataTable's idle pass: that pass came after the
        # rows' first frame, so the rows were laid out and drawn twice (without and then with
        # the scrollbar). The count goes up first: clear() cached the empty table's row offsets
        # under the old count.
        self._require_update_dimensions = False
        self._update_dimensions(())
        self.cursor_coordinate = Coordinate(0, 0)
        if locations and self.show_cursor and self.cursor_type != "none" and self.columns:
            self._highlight_cursor()
        self.check_idle()
        self.refresh()

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> list[list[Segment]]:
        # The common cell (one line of plain words, at most one style, in a data row) as DataTable
        # would draw it, without the Rich renderables in between; anything else goes to DataTable.
        if row_index < self.fixed_rows or column_index < self.fixed_columns:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        row = self.rows.get(row_key) if row_key is not None else None
        if row is None or row.height != 1 or column_key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cache_key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor, self._update_count,
                     self._pseudo_class_state)
        cached = self._cell_render_cache.get(cache_key)
        if cached is not None:
            return cached
        cell = self._data[row_key].get(column_key)
        if isinstance(cell, str) and "[" not in cell:
            words, style = cell, None
        elif type(cell) is Text and not cell.spans and cell.end in ("", "\n") and not cell.justify and not cell.overflow:
            words, style = cell.plain, (self.app.console.get_style(cell.style) if cell.style else None)
        else:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        if not words.isprintable():  # a tab, a line break, a control character: Rich's rules apply
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component_style, post_style = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component_style
        lines = [_one_line(words, style, width, self.cell_padding, pre_style, post_style)]
        self._cell_render_cache[cache_key] = lines
        return lines


_NULL = Style()


def _one_line(words: str, style: Style | None, width: int, padding: int, pre_style: Style,
              post_style: Style) -> list[Segment]:
    """A cell's line as DataTable draws it: padding, the words (cut to the width), the fill, padding."""
    room = max(width - 2 * padding, 0)
    length = cell_len(words)
    if length > room:
        words = set_cell_size(words, room)
        length = cell_len(words)
    edge = pre_style + _NULL + post_style
    line = [Segment(" " * padding, edge)] if padding else []
    # An empty cell is DataTable's empty text, without a style of its own.
    line.append(Segment(words, edge if style is None or not words else pre_style + style + post_style))
    if length < room:
        line.append(Segment(" " * (room - length), edge))
    if padding:
        line.append(Segment(" " * padding, edge))
    return line
