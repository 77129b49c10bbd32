"""A read-only transcript with coded spans, a caret and a keyboard selection.

Built on the Line API (a ScrollView that renders one visual line at a time) rather than on
TextArea: only the visible lines are styled, so a 20,000-word transcript with a thousand
codings paints in the time of one screenful, and positions stay code points (TextArea's
highlights are UTF-8 byte columns). Wrapping is computed once per width.
"""

from __future__ import annotations

import bisect

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from codebench.services import CodedSpanView

GUTTER = 4  # columns of code marks at the left


# The codings a transcript draws are the services' own records: uuid, span, code, colour, coder.
SpanMark = CodedSpanView


def wrap_lines(text: str, width: int) -> list[tuple[int, int]]:
    """Visual lines as ``[start, end)`` offsets: paragraphs split at spaces to fit ``width``."""
    width = max(width, 10)
    lines: list[tuple[int, int]] = []
    position = 0
    for raw in text.split("\n"):
        start, end_of_line = position, position + len(raw)
        if start == end_of_line:
            lines.append((start, start))
        while start < end_of_line:
            if end_of_line - start <= width:
                lines.append((start, end_of_line))
                break
            cut = text.rfind(" ", start, start + width + 1)
            if cut <= start:
                cut = start + width
                lines.append((start, cut))
                start = cut
            else:
                lines.append((start, cut + 1))  # the space stays at the end of the line
                start = cut + 1
        position = end_of_line + 1
    return lines


class TranscriptView(ScrollView, can_focus=True):
    """The transcript: move the caret, select with shift, see and jump between codings."""

    COMPONENT_CLASSES = {
        "transcript--coded",
        "transcript--overlap",
        "transcript--selection",
        "transcript--cursor",
        "transcript--speaker",
        "transcript--gutter",
    }

    DEFAULT_CSS = """
    TranscriptView { background: $surface; }
    TranscriptView > .transcript--coded { background: $primary 25%; }
    TranscriptView > .transcript--overlap { background: $primary 45%; text-style: bold; }
    TranscriptView > .transcript--selection { background: $accent 85%; color: auto 95%; }
    TranscriptView > .transcript--cursor { text-style: reverse; }
    TranscriptView > .transcript--speaker { color: $text-primary; text-style: bold; }
    TranscriptView > .transcript--gutter { color: $text-muted; }
    """

    BINDINGS = [
        Binding("left", "move(-1)", "left", show=False),
        Binding("right", "move(1)", "right", show=False),
        Binding("shift+left", "move(-1, True)", "select left", show=False),
        Binding("shift+right", "move(1, True)", "select right", show=False),
        Binding("ctrl+left", "word(-1)", show=False),
        Binding("ctrl+right", "word(1)", show=False),
        Binding("ctrl+shift+left", "word(-1, True)", show=False),
        Binding("ctrl+shift+right", "word(1, True)", show=False),
        Binding("up", "line(-1)", show=False),
        Binding("down", "line(1)", show=False),
        Binding("shift+up", "line(-1, True)", show=False),
        Binding("shift+down", "line(1, True)", show=False),
        Binding("pageup", "line(-20)", show=False),
        Binding("pagedown", "line(20)", show=False),
        Binding("home", "line_edge(0)", show=False),
        Binding("end", "line_edge(1)", show=False),
        Binding("escape", "clear_selection", "clear selection", show=False),
        Binding("s", "select_turn", "select turn", tooltip="Select the whole speaker turn under the caret", show=False),
        Binding("right_square_bracket", "next_coding(1)", "next coding", show=False),
        Binding("left_square_bracket", "next_coding(-1)", "previous coding", show=False),
        Binding("n", "next_uncoded", "next uncoded turn", show=False),
    ]

    cursor: reactive[int] = reactive(0)
    """Caret position in code points of the stored text."""
    anchor: reactive[int | None] = reactive(None)
    """Other end of the selection; None when nothing is selected."""

    class CursorMoved(Message, bubble=True):
        """The caret moved; the screen updates the list of codes under it."""

        def __init__(self, view: TranscriptView, position: int) -> None:
            super().__init__()
            self.view = view
            self.position = position

        @property
        def control(self) -> TranscriptView:
            return self.view

    def __init__(self, text: str, turns: list[tuple[int, int, int, str | None]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = text
        self.turns = turns  # (start, end, body_start, speaker)
        self._turn_starts = [t[0] for t in turns]
        self.marks: list[SpanMark] = []
        self._mark_starts: list[int] = []
        self._lines: list[tuple[int, int]] = []
        self._line_starts: list[int] = []
        self._wrapped_for = -1
        self._style_cache: tuple[Style, ...] | None = None

    # -- data ----------------------------------------------------------------------------

    def set_text(self, text: str, turns: list[tuple[int, int, int, str | None]]) -> None:
        """Show another document (the adjudication view reuses its two views)."""
        self.text = text
        self.turns = turns
        self._turn_starts = [t[0] for t in turns]
        self._wrapped_for = -1
        self.cursor, self.anchor = 0, None
        self.refresh()

    def set_marks(self, marks: list[SpanMark]) -> None:
        """Replace the codings shown (sorted by start)."""
        self.marks = sorted(marks, key=lambda m: (m.start, m.end))
        self._mark_starts = [m.start for m in self.marks]
        self._max_len = max((m.end - m.start for m in self.marks), default=0)
        self.refresh()

    def marks_at(self, position: int) -> list[SpanMark]:
        """Codings covering a position."""
        return [m for m in self._marks_between(position, position + 1)]

    def _marks_between(self, start: int, end: int) -> list[SpanMark]:
        # Marks starting before `end` and ending after `start`; the longest mark bounds the scan.
        lo = bisect.bisect_left(self._mark_starts, start - getattr(self, "_max_len", 0))
        hi = bisect.bisect_left(self._mark_starts, end)
        return [m for m in self.marks[lo:hi] if m.end > start]

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected ``[start, end)``, or None."""
        if self.anchor is None or self.anchor == self.cursor:
            return None
        return (min(self.anchor, self.cursor), max(self.anchor, self.cursor))

    def turn_index(self, position: int) -> int | None:
        """Index of the turn containing ``position``."""
        i = bisect.bisect_right(self._turn_starts, position) - 1
        return i if i >= 0 else None

    # -- layout --------------------------------------------------------------------------

    def _ensure_wrapped(self) -> None:
        if not self.size.width:
            return  # not laid out yet: wrapping for a guessed width would be thrown away
        width = max(self.scrollable_content_region.width - GUTTER - 1, 10)
        if width != self._wrapped_for:
            self._lines = wrap_lines(self.text, width)
            self._line_starts = [s for s, _ in self._lines]
            self._wrapped_for = width
            self.virtual_size = Size(width + GUTTER, len(self._lines))

    def on_resize(self, event: events.Resize) -> None:
        self._ensure_wrapped()
        self.refresh()

    def line_texts(self) -> list[str]:
        """The text of every visual line as wrapped for the current width (what scrolling shows)."""
        self._ensure_wrapped()
        return [self.text[start:end] for start, end in self._lines]

    def line_of(self, position: int) -> int:
        """Visual line index that holds ``position``."""
        self._ensure_wrapped()
        if not self._line_starts:
            return 0
        return max(0, bisect.bisect_right(self._line_starts, position) - 1)

    # -- rendering -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        self._ensure_wrapped()
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        if index >= len(self._lines):
            return Strip.blank(self.scrollable_content_region.width)
        start, end = self._lines[index]
        base = self.rich_style
        coded, overlap, selected, caret, speaker_style, gutter_style = self._styles()
        marks = self._marks_between(start, max(end, start + 1))
        segments = self._gutter(marks, base + gutter_style)
        selection = self.selection
        turn = self.turn_index(start)
        label_end = -1
        if turn is not None and self.turns[turn][3] and self.turns[turn][0] < self.turns[turn][2]:
            label_end = self.turns[turn][2]
        boundaries = {start, end}
        for m in marks:
            boundaries.update(p for p in (m.start, m.end) if start < p < end)
        if selection:
            boundaries.update(p for p in selection if start < p < end)
        if start <= self.cursor < end:
            boundaries.update({self.cursor, self.cursor + 1})
        if start < label_end < end:
            boundaries.add(label_end)
        points = sorted(p for p in boundaries if start <= p <= end)
        for a, b in zip(points, points[1:]):
            piece = self.text[a:b].replace("\t", " ")
            if not piece:
                continue
            style = base
            covering = sum(1 for m in marks if m.start <= a < m.end)
            if covering == 1:
                style += coded
            elif covering > 1:
                style += overlap
            if a < label_end:
                style += speaker_style
            if selection and selection[0] <= a < selection[1]:
                style += selected
            if a == self.cursor and self.has_focus:
                style += caret
            segments.append(Segment(piece, style))
        if self.cursor == end and start <= self.cursor and self.has_focus and (end == len(self.text) or self.text[end - 1:end] == "\n" or start == end):
            segments.append(Segment(" ", base + caret))
        strip = Strip(segments)
        width = self.scrollable_content_region.width
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width, base)

    def _styles(self) -> tuple[Style, ...]:
        """The component styles, looked up once per theme instead of once per line."""
        if self._style_cache is None:
            self._style_cache = tuple(
                self.get_component_rich_style(f"transcript--{name}", partial=True)
                for name in ("coded", "overlap", "selection", "cursor", "speaker", "gutter")
            )
        return self._style_cache

    def notify_style_update(self) -> None:
        self._style_cache = None
        super().notify_style_update()

    def _gutter(self, marks: list[SpanMark], style: Style) -> list[Segment]:
        """One coloured bar per code on the line (the code's own colour from the codebook)."""
        colours: list[str] = []
        for m in marks:
            if m.colour and m.colour not in colours:
                colours.append(m.colour)
        shown = colours[: GUTTER - 1]
        bars = [Segment("▌", style + Style(color=colour)) for colour in shown]
        return bars + [Segment(" " * (GUTTER - len(shown)), style)]

    # -- movement ------------------------------------------------------------------------

    def _place(self, position: int, extend: bool) -> None:
        position = max(0, min(len(self.text), position))
        if extend:
            if self.anchor is None:
                self.anchor = self.cursor
        else:
            self.anchor = None
        self.cursor = position
        self._scroll_to_cursor()
        self.post_message(self.CursorMoved(self, position))
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        if not self.size.height:
            self.call_after_refresh(self._scroll_to_cursor)  # before the first layout there is nothing to scroll
            return
        line = self.line_of(self.cursor)
        top = self.scroll_offset.y
        height = max(self.size.height, 1)
        if line < top:
            self.scroll_to(y=line, animate=False)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False)

    def move_to(self, position: int, *, select_to: int | None = None) -> None:
        """Put the caret at ``position`` (and select from ``select_to`` when given)."""
        self.anchor = select_to
        self.cursor = max(0, min(len(self.text), position))
        self._scroll_to_cursor()
        self.post_message(self.CursorMoved(self, self.cursor))
        self.refresh()

    def action_move(self, delta: int, extend: bool = False) -> None:
        self._place(self.cursor + delta, extend)

    def action_word(self, direction: int, extend: bool = False) -> None:
        text, pos = self.text, self.cursor
        if direction > 0:
            while pos < len(text) and not text[pos].isspace():
                pos += 1
            while pos < len(text) and text[pos].isspace():
                pos += 1
        else:
            pos -= 1
            while pos > 0 and text[pos].isspace():
                pos -= 1
            while pos > 0 and not text[pos - 1].isspace():
                pos -= 1
        self._place(pos, extend)

    def action_line(self, delta: int, extend: bool = False) -> None:
        if not self._lines:
            return
        line = self.line_of(self.cursor)
        column = self.cursor - self._lines[line][0]
        target = max(0, min(len(self._lines) - 1, line + delta))
        start, end = self._lines[target]
        self._place(min(start + column, max(start, end - 1) if end > start else start), extend)

    def action_line_edge(self, which: int) -> None:
        if not self._lines:
            return
        start, end = self._lines[self.line_of(self.cursor)]
        self._place(start if which == 0 else max(start, end - 1), False)

    def action_clear_selection(self) -> None:
        self.anchor = None
        self.refresh()

    def action_select_turn(self) -> None:
        turn = self.turn_index(self.cursor)
        if turn is not None:
            start, end, body, _ = self.turns[turn]
            self.move_to(end, select_to=body)

    def action_next_coding(self, direction: int) -> None:
        if not self.marks:
            return
        if direction > 0:
            i = bisect.bisect_right(self._mark_starts, self.cursor)
            if i < len(self.marks):
                self.move_to(self.marks[i].start)
        else:
            i = bisect.bisect_left(self._mark_starts, self.cursor) - 1
            if i >= 0:
                self.move_to(self.marks[i].start)

    def action_next_uncoded(self) -> None:
        current = self.turn_index(self.cursor)
        for start, end, body, speaker in self.turns[(current + 1 if current is not None else 0):]:
            if not self._marks_between(body, end):
                self.move_to(body)
                return

    def _offset_at(self, event: events.MouseEvent) -> int | None:
        """The text position under the mouse, or None outside the text."""
        self._ensure_wrapped()
        line = event.y + self.scroll_offset.y
        if not 0 <= line < len(self._lines):
            return None
        start, end = self._lines[line]
        column = max(0, event.x + self.scroll_offset.x - GUTTER)
        return min(start + column, end)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A press places the caret (shift extends the selection); dragging from it selects."""
        position = self._offset_at(event)
        if position is None:
            return
        self._drag_from: int | None = position
        self._place(position, bool(event.shift))
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if getattr(self, "_drag_from", None) is None:
            return
        position = self._offset_at(event)
        if position is None or position == self.cursor:
            return
        if self.anchor is None:
            self.anchor = self._drag_from
        self._place(position, True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if getattr(self, "_drag_from", None) is not None:
            self._drag_from = None
            self.release_mouse()
