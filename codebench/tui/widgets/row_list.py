"""A list drawn one row at a time under a header line, with one highlighted row.

The search hits and the quotes are such lists: thousands of rows, only those on screen drawn.
This holds what they share (moving the highlight, keeping it in sight, Enter, clicks); each
list draws its own rows, names its own keys and defines its own ``Highlighted`` and
``Selected`` messages (their handler names come from the list's class).
"""

from __future__ import annotations

from textual import events
from textual.reactive import reactive
from textual.scroll_view import ScrollView


class RowList(ScrollView, can_focus=True):
    """Rows under a header line; a subclass gives :attr:`row_count` and the two messages."""

    cursor_row: reactive[int] = reactive(0)
    """Index of the highlighted row."""

    @property
    def row_count(self) -> int:
        """How many rows the list holds."""
        raise NotImplementedError

    def action_move(self, delta: int) -> None:
        """Move the highlight ``delta`` rows, keeping it on screen."""
        if not self.row_count:
            return
        self.cursor_row = max(0, min(self.row_count - 1, self.cursor_row + delta))
        top = self.scroll_offset.y
        visible = max(self.size.height - 1, 1)  # the header takes a line
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self, self.cursor_row))  # type: ignore[attr-defined]

    def move_cursor(self, row: int) -> None:
        """Highlight row ``row``."""
        self.action_move(row - self.cursor_row)

    def action_select(self) -> None:
        if self.row_count:
            self.post_message(self.Selected(self, self.cursor_row))  # type: ignore[attr-defined]

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            index = event.y - 1 + self.scroll_offset.y
            if index < self.row_count:
                self.move_cursor(index)
                if event.chain >= 2:
                    self.action_select()
