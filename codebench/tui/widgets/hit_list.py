"""Search hits as keyword-in-context lines: a virtual list, only the visible rows are formatted.

Each row: a mark, the document, the informant's role (on wide screens), the speaker, the turn,
then the words before the hit right-aligned against the hit and the words after it, so the
hits of a concordance stand in one column.
"""

from __future__ import annotations

import re

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from codebench.domain.search import SearchHit
from codebench.tui.widgets.row_list import RowList

HitKey = tuple[int, int, int]
"""A hit's identity across reloads: document, start, end."""


def hit_key(hit: SearchHit) -> HitKey:
    """The key a mark is kept under (a reload of the same search keeps the marks)."""
    return (hit.document_id, hit.start, hit.end)


_ROUND = re.compile(r"[ _-]*(?:runde|round)[ _-]*(\d+)(?!\d)", re.IGNORECASE)


def fit_label(text: str, width: int) -> str:
    """A document's name in ``width`` cells, its round kept: "V01 veileder runde 2" becomes
    "V01 veileder r2", and a name still too long keeps its start and its last word ("Intervju
    Kri…r2"): cut at the end, both rounds of one informant read the same."""
    text = _ROUND.sub(lambda m: f" r{m.group(1)}", text).strip()
    if cell_len(text) <= width:
        return text
    last = text.rsplit(" ", 1)[-1] if " " in text else ""
    if last and len(last) <= 4 and width > len(last) + 3:
        return set_cell_size(text, width - len(last) - 1).rstrip() + "…" + last
    return set_cell_size(text, width - 1) + "…"


def _tail(text: str, width: int) -> str:
    """The last ``width`` cells of ``text``, right-aligned."""
    if width <= 0:
        return ""
    text = text[-width:]
    while cell_len(text) > width:  # wide characters take two cells
        text = text[1:]
    return " " * (width - cell_len(text)) + text


class HitList(RowList, can_focus=True):
    """Search hits in rows; space marks a hit, Enter goes to it in the transcript."""

    COMPONENT_CLASSES = {"hit-list--cursor", "hit-list--header", "hit-list--match", "hit-list--mark",
                         "hit-list--meta"}
    DEFAULT_CSS = """
    HitList { background: $surface; }
    HitList > .hit-list--cursor { background: $accent 50%; }
    HitList > .hit-list--header { text-style: bold; color: $text-accent; }
    HitList > .hit-list--match { text-style: bold; color: $text-warning; }
    HitList > .hit-list--mark { color: $text-success; text-style: bold; }
    HitList > .hit-list--meta { color: $text-muted; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", "previous hit", show=False),
        Binding("down", "move(1)", "next hit", show=False),
        Binding("pageup", "move(-20)", "page up", show=False),
        Binding("pagedown", "move(20)", "page down", show=False),
        Binding("home", "move(-10000000)", "first hit", show=False),
        Binding("end", "move(10000000)", "last hit", show=False),
        Binding("enter", "select", "go to transcript", show=False),
    ]

    @dataclass
    class Highlighted(Message):
        """The highlighted hit changed."""

        hit_list: HitList
        index: int

        @property
        def control(self) -> HitList:
            return self.hit_list

    @dataclass
    class Selected(Highlighted):
        """Enter (or a double click) on a hit."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list[SearchHit] = []
        self.marked: set[HitKey] = set()

    def show(self, hits: list[SearchHit], *, keep_cursor: bool = False) -> None:
        """Replace the rows (marks on hits still present are kept)."""
        current = self.current
        self.hits = hits
        present = {hit_key(h) for h in hits}
        self.marked &= present
        row = 0
        if keep_cursor and current is not None:
            row = next((i for i, h in enumerate(hits) if hit_key(h) == hit_key(current)), min(self.cursor_row, len(hits) - 1))
        self.cursor_row = max(row, 0)
        self.virtual_size = Size(self.size.width, len(hits) + 1)
        if not keep_cursor:
            self.scroll_to(y=0, animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self, self.cursor_row))

    @property
    def current(self) -> SearchHit | None:
        """The highlighted hit."""
        return self.hits[self.cursor_row] if 0 <= self.cursor_row < len(self.hits) else None

    def toggle_mark(self) -> None:
        """Mark or unmark the highlighted hit, and move on (space, space, space marks a run)."""
        hit = self.current
        if hit is None:
            return
        self.marked ^= {hit_key(hit)}
        self.action_move(1)
        self.refresh()

    def mark_all(self) -> None:
        """Mark every hit, or none when all are marked."""
        everything = {hit_key(h) for h in self.hits}
        self.marked = set() if self.marked >= everything else everything
        self.refresh()

    def marked_hits(self) -> list[SearchHit]:
        """The marked hits, in list order."""
        return [h for h in self.hits if hit_key(h) in self.marked]

    def _columns(self, width: int) -> tuple[int, int, int]:
        """Widths of the document, role and speaker columns (no role column on a narrow screen)."""
        if width >= 120:
            return 22, 12, 10
        if width >= 100:
            return 18, 11, 8
        return 14, 0, 7

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        meta_style = base + self.get_component_rich_style("hit-list--meta", partial=True)
        doc_w, role_w, speaker_w = self._columns(width)
        head = [("", 1), ("document", doc_w), ("role", role_w), ("speaker", speaker_w), ("turn", 5)]
        if y == 0:  # a header that does not scroll
            cells = " ".join(set_cell_size(name, size) for name, size in head if size)
            style = base + self.get_component_rich_style("hit-list--header", partial=True)
            return Strip([Segment(cells + " context", style)]).crop_extend(0, width, style)
        index = y - 1 + self.scroll_offset.y
        if index >= len(self.hits):
            return Strip.blank(width, base)
        hit = self.hits[index]
        style = base + self.get_component_rich_style("hit-list--cursor", partial=True) if index == self.cursor_row else base
        marked = hit_key(hit) in self.marked
        mark_style = style + self.get_component_rich_style("hit-list--mark", partial=True)
        values = [(fit_label(hit.document, doc_w), doc_w), (hit.role or "", role_w), (hit.speaker or "", speaker_w), (f"t{hit.turn}", 5)]
        meta = " ".join(set_cell_size(value, size) for value, size in values if size) + " "
        used = 2 + cell_len(meta)
        room = max(width - used, 10)
        # The hit starts a little left of the middle of the context column, so both sides show.
        left_width = max(room * 2 // 5, 4)
        left, match, right = hit.context(room)
        match = match if cell_len(match) <= room - left_width else set_cell_size(match, room - left_width)
        right = set_cell_size(right, max(room - left_width - cell_len(match), 0))
        segments = [
            Segment("●" if marked else " ", mark_style), Segment(" ", style),
            Segment(meta, style if index == self.cursor_row else meta_style + Style(bgcolor=style.bgcolor)),
            Segment(_tail(left, left_width), style),
            Segment(match, style + self.get_component_rich_style("hit-list--match", partial=True)),
            Segment(right, style),
        ]
        return Strip(segments).crop_extend(0, width, style)

    @property
    def row_count(self) -> int:
        return len(self.hits)
