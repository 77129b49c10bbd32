"""A virtual list of quotes: only the visible rows are ever formatted.

Textual's DataTable measures every cell of every row when rows are added, which took several
seconds for a category with 5,000 quotes; retrieval must feel instant, so this Line API list
lays quotes out in fixed columns on demand.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from codebench.domain.quote_editing import without_time_marks
from codebench.domain.records import Quote
from codebench.tui.fit import middle_ellipsis
from codebench.tui.widgets.find import FIND_BINDING, TypeToFind
from codebench.tui.widgets.row_list import RowList

QUOTE_MIN = 36
"""The quote keeps at least this many cells: it is what the view is for."""

# (column, width cap, the least room it is worth) — listed in the order they give way when the
# view is narrow: speaker first, then document, role and coder; code, case and round stay.
COLUMNS = (("code", 30, 12), ("role", 12, 12), ("case", 6, 4), ("r", 1, 1), ("coder", 8, 6), ("speaker", 10, 8),
           ("document", 32, 16))
GIVE_WAY = ("speaker", "document", "role", "coder")


def quote_columns(width: int, longest_code: int) -> list[tuple[str, int]]:
    """The columns that fit beside a quote at least :data:`QUOTE_MIN` cells wide, with widths.

    The code column is as wide as the longest code (up to 30), so code names are not cut at
    120 columns; columns give way in :data:`GIVE_WAY` order when the view is narrow.
    """
    widths = {name: cap for name, cap, _ in COLUMNS}
    widths["code"] = max(min(longest_code, 30), 12)
    shown = [name for name, _, _ in COLUMNS]

    def used() -> int:
        return sum(widths[name] + 1 for name in shown)

    for name in GIVE_WAY:
        if width - used() >= QUOTE_MIN:
            break
        # First narrow the column to the least room it is worth, then drop it.
        least = next(minimum for column, _, minimum in COLUMNS if column == name)
        widths[name] = least
        if width - used() < QUOTE_MIN:
            shown.remove(name)
    while width - used() < QUOTE_MIN and widths["code"] > 12:
        widths["code"] -= 1
    return [(name, widths[name]) for name in shown]


class QuoteList(TypeToFind, RowList, can_focus=True):
    """Quotes in rows: code, role, case, round, coder, speaker, document, then the words.

    Columns give way in a narrow terminal (the quote keeps its room); typing finds a quote by its
    code, document or words.
    """

    COMPONENT_CLASSES = {"quote-list--cursor", "quote-list--header", "quote-list--meta"}
    DEFAULT_CSS = """
    QuoteList { background: $surface; }
    QuoteList > .quote-list--cursor { background: $accent 50%; }
    QuoteList > .quote-list--header { text-style: bold; color: $text-accent; }
    QuoteList > .quote-list--meta { color: $text-muted; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", "previous quote", show=False),
        Binding("down", "move(1)", "next quote", show=False),
        Binding("pageup", "move(-20)", "page up", show=False),
        Binding("pagedown", "move(20)", "page down", show=False),
        Binding("home", "move(-1000000)", "first quote", show=False),
        Binding("end", "move(1000000)", "last quote", show=False),
        Binding("enter", "select", "go to transcript", show=False),
        FIND_BINDING,
    ]

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
        self._longest_code = 12

    def show(self, quotes: list[Quote]) -> None:
        """Replace the rows."""
        self.quotes = quotes
        self._longest_code = max((len(q.code) for q in quotes), default=12)
        self.cursor_row = 0
        self.virtual_size = Size(self.size.width, len(quotes) + 1)
        self.scroll_to(y=0, animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self, 0))

    def columns(self) -> list[tuple[str, int]]:
        """The columns shown at the current width (the quote follows them)."""
        return quote_columns(self.scrollable_content_region.width, self._longest_code)

    @staticmethod
    def _value(quote: Quote, column: str, width: int) -> str:
        if column == "document":
            # Names of one informant's rounds differ at the end: cut the middle, keep both ends.
            return middle_ellipsis(quote.document, width)
        values = {"code": quote.code, "role": quote.role or "", "case": quote.participant or "",
                  "r": str(quote.round or ""), "coder": quote.coder, "speaker": quote.speaker or ""}
        return values[column]

    def _line(self, parts: list[str], columns: list[tuple[str, int]], width: int) -> str:
        cells = [set_cell_size(value, size) for value, (_, size) in zip(parts, columns)]
        line = " ".join(cells) + " " + parts[-1]
        return set_cell_size(line, width) if cell_len(line) > width else line

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        columns = self.columns()
        if y == 0:  # a header that does not scroll
            header = self._line([name for name, _ in columns] + ["quote"], columns, width)
            return Strip([Segment(header, base + self.get_component_rich_style("quote-list--header", partial=True))]).extend_cell_length(width, base)
        index = y - 1 + self.scroll_offset.y
        if index >= len(self.quotes):
            return Strip.blank(width, base)
        q = self.quotes[index]
        text = " ".join(without_time_marks(q.text[:300]).split())
        line = self._line([self._value(q, name, size) for name, size in columns] + [text], columns, width)
        style = base + self.get_component_rich_style("quote-list--cursor", partial=True) if index == self.cursor_row else base
        return Strip([Segment(line, style)]).extend_cell_length(width, style)

    # -- type-to-find --------------------------------------------------------------------

    def find_rows(self) -> list[str]:
        return [f"{q.code} {q.participant or ''} {q.document} {' '.join(q.text[:300].split())}" for q in self.quotes]

    def find_current(self) -> int | None:
        return self.cursor_row if self.quotes else None

    def find_go(self, index: int) -> None:
        self.move_cursor(index)

    @property
    def row_count(self) -> int:
        return len(self.quotes)
