"""A virtual list of quotes: only the visible rows are ever formatted.

Textual's DataTable measures every cell of every row when rows are added, which took several
seconds for a category with 5,000 quotes; retrieval must feel instant, so this Line API list
lays quotes out in fixed columns on demand.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from codebench.domain.quote_editing import without_time_marks
from codebench.domain.records import Quote

COLUMNS = (("code", 16), ("role", 12), ("case", 6), ("r", 1), ("coder", 8), ("speaker", 8), ("document", 16))


class QuoteList(ScrollView, can_focus=True):
    """Quotes in rows: code, role, case, round, coder, speaker, document, then the words."""

    COMPONENT_CLASSES = {"quote-list--cursor", "quote-list--header", "quote-list--meta"}
    DEFAULT_CSS = """
    QuoteList { background: $surface; }
    QuoteList > .quote-list--cursor { background: $accent 50%; }
    QuoteList > .quote-list--header { text-style: bold; color: $text-accent; }
    QuoteList > .quote-list--meta { color: $text-muted; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "move(-20)", show=False),
        Binding("pagedown", "move(20)", show=False),
        Binding("home", "move(-1000000)", show=False),
        Binding("end", "move(1000000)", show=False),
        Binding("enter", "select", "go to transcript", show=False),
    ]

    cursor_row: reactive[int] = reactive(0)
    """Index of the highlighted quote."""

    class Highlighted(Message):
        """The highlighted quote changed."""

        def __init__(self, quote_list: QuoteList, index: int) -> None:
            super().__init__()
            self.quote_list = quote_list
            self.index = index

        @property
        def control(self) -> QuoteList:
            return self.quote_list

    class Selected(Highlighted):
        """Enter (or a double click) on a quote."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.quotes: list[Quote] = []

    def show(self, quotes: list[Quote]) -> None:
        """Replace the rows."""
        self.quotes = quotes
        self.cursor_row = 0
        self.virtual_size = Size(self.size.width, len(quotes) + 1)
        self.scroll_to(y=0, animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self, 0))

    def _cells(self, values: list[str], width: int) -> str:
        parts = [set_cell_size(value, size) for value, (_, size) in zip(values, COLUMNS)]
        line = " ".join(parts) + " " + values[-1]
        return set_cell_size(line, width) if cell_len(line) > width else line

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:  # a header that does not scroll
            header = self._cells([name for name, _ in COLUMNS] + ["quote"], width)
            return Strip([Segment(header, base + self.get_component_rich_style("quote-list--header", partial=True))]).extend_cell_length(width, base)
        index = y - 1 + self.scroll_offset.y
        if index >= len(self.quotes):
            return Strip.blank(width, base)
        q = self.quotes[index]
        text = " ".join(without_time_marks(q.text[:300]).split())
        line = self._cells([q.code, q.role or "", q.participant or "", str(q.round or ""), q.coder, q.speaker or "",
                            q.document, text], width)
        style = base + self.get_component_rich_style("quote-list--cursor", partial=True) if index == self.cursor_row else base
        return Strip([Segment(line, style)]).extend_cell_length(width, style)

    def action_move(self, delta: int) -> None:
        if not self.quotes:
            return
        self.cursor_row = max(0, min(len(self.quotes) - 1, self.cursor_row + delta))
        top = self.scroll_offset.y
        visible = max(self.size.height - 1, 1)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self, self.cursor_row))

    def move_cursor(self, row: int) -> None:
        """Highlight quote ``row``."""
        self.action_move(row - self.cursor_row)

    def action_select(self) -> None:
        if self.quotes:
            self.post_message(self.Selected(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            index = event.y - 1 + self.scroll_offset.y
            if index < len(self.quotes):
                self.move_cursor(index)
                if event.chain >= 2:
                    self.action_select()
