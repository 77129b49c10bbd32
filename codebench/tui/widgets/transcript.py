"""A read-only transcript with coded spans, coding stripes, a caret and a keyboard selection.

Built on the Line API (a ScrollView that renders one visual line at a time) rather than on
TextArea, for speed on a 20,000-word transcript with a thousand codings:

- only the visible lines are ever styled, and each styled line is kept in a cache until
  something on it changes, so scrolling back paints from the cache;
- a caret move refreshes only the lines it touched (the caret's old and new line, and the
  lines the selection grew or shrank over), not the whole view; TextArea re-renders its
  visible lines on every move and rebuilds its highlight map per edit;
- positions stay code points from end to end (TextArea's highlights are UTF-8 byte columns);
- the stripes beside the text are laid out once per width and set of codings.

Wrapping is computed once per width.
"""

from __future__ import annotations

import bisect
from typing import Iterable, Mapping, Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from codebench.services import CodedSpanView
from codebench.tui.widgets.stripes import MIN_LANE, Placement, coder_initials, fit_label, place_stripes

GUTTER = 4  # columns of code marks at the left (without stripes)
STRIPE_GUTTER = 1  # with stripes the margin shows the codes, the left edge only breathes
CATEGORY_STYLES = 8  # main categories get transcript--category-0 … -7, in tree order, then again
BAR = "▌"


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
            cut = _keep_brackets(text, start, text.rfind(" ", start, start + width + 1))
            if cut <= start:
                cut = start + width
                lines.append((start, cut))
                start = cut
            else:
                lines.append((start, cut + 1))  # the space stays at the end of the line
                start = cut + 1
        position = end_of_line + 1
    return lines


def _keep_brackets(text: str, start: int, cut: int) -> int:
    """A line break not inside a short bracketed unit: a pseudonym "[Person 22]" (or "[unv. 3 s]")
    moves whole to the next line rather than reading "[Person" and "22]"."""
    if cut <= start:
        return cut
    opened, closed = text.rfind("[", start, cut), text.rfind("]", start, cut)
    if opened <= closed or text.find("]", cut, cut + _BRACKET_MAX) == -1:
        return cut
    before = text.rfind(" ", start, opened)
    return before if before > start else cut


_BRACKET_MAX = 40


def stripe_margin(width: int) -> tuple[int, int]:
    """``(text width, stripe margin)`` for a view ``width`` cells wide with stripes on.

    In a narrow view the text keeps two thirds (a readable line at 80 columns); from 100 cells
    the stripes get over two fifths, so two overlapping codings show their names whole, while
    the text keeps a comfortable measure of 60–90 characters. The margin is 12–72 cells.
    """
    usable = width - STRIPE_GUTTER - 2  # a wrapped line keeps its trailing space, then one blank column
    share = 0.34 if width < 100 else 0.43
    margin = min(max(int(width * share), 12), 72)
    return max(usable - margin, 10), margin


class _StripeLine:
    """What the margin shows on one visual line: the cluster's geometry and its codings."""

    __slots__ = ("lane_width", "lanes_shown", "hidden", "items")

    def __init__(self, lane_width: int, lanes_shown: int) -> None:
        self.lane_width = lane_width
        self.lanes_shown = lanes_shown
        self.hidden = 0
        self.items: list[tuple[int, int, str]] = []  # (lane, mark index, label text on this line)


class TranscriptView(ScrollView, can_focus=True):
    """The transcript: move the caret, select with shift, see and jump between codings."""

    COMPONENT_CLASSES = {
        "transcript--coded",
        "transcript--overlap",
        "transcript--selection",
        "transcript--cursor",
        "transcript--speaker",
        "transcript--gutter",
        "transcript--unreviewed",
        "transcript--masked",
        "transcript--stripe-more",
        "transcript--category-none",
        "transcript--label-none",
        *(f"transcript--category-{n}" for n in range(CATEGORY_STYLES)),
        *(f"transcript--label-{n}" for n in range(CATEGORY_STYLES)),
    }

    # Each main category has a theme colour: the stripe's bar is drawn in it and its label sits on
    # a light wash of it, in the theme's own text colour, so labels read well in every theme
    # (several themes' warning or accent colours are too pale for text on a light background).
    DEFAULT_CSS = """
    TranscriptView { background: $surface; }
    TranscriptView > .transcript--coded { background: $primary 25%; }
    TranscriptView > .transcript--overlap { background: $primary 45%; text-style: bold; }
    TranscriptView > .transcript--selection { background: $accent 85%; color: auto 95%; }
    TranscriptView > .transcript--cursor { text-style: reverse; }
    TranscriptView > .transcript--speaker { color: $text-primary; text-style: bold; }
    TranscriptView > .transcript--gutter { color: $text-muted; }
    TranscriptView > .transcript--stripe-more { color: $text-muted; text-style: italic; }
    TranscriptView > .transcript--unreviewed { color: $text-warning; text-style: underline; }
    TranscriptView > .transcript--masked { color: $text-success; text-style: strike; }
    TranscriptView > .transcript--category-none { color: $foreground 50%; }
    TranscriptView > .transcript--label-none { color: $foreground; background: $foreground 8%; }
    TranscriptView > .transcript--category-0 { color: $primary; }
    TranscriptView > .transcript--label-0 { color: $foreground; background: $primary 22%; }
    TranscriptView > .transcript--category-1 { color: $success; }
    TranscriptView > .transcript--label-1 { color: $foreground; background: $success 22%; }
    TranscriptView > .transcript--category-2 { color: $warning; }
    TranscriptView > .transcript--label-2 { color: $foreground; background: $warning 22%; }
    TranscriptView > .transcript--category-3 { color: $error; }
    TranscriptView > .transcript--label-3 { color: $foreground; background: $error 22%; }
    TranscriptView > .transcript--category-4 { color: $primary-lighten-3; }
    TranscriptView > .transcript--label-4 { color: $foreground; background: $primary-lighten-3 22%; }
    TranscriptView > .transcript--category-5 { color: $secondary; }
    TranscriptView > .transcript--label-5 { color: $foreground; background: $secondary 22%; }
    TranscriptView > .transcript--category-6 { color: $accent; }
    TranscriptView > .transcript--label-6 { color: $foreground; background: $accent 22%; }
    TranscriptView > .transcript--category-7 { color: $success-darken-3; }
    TranscriptView > .transcript--label-7 { color: $foreground; background: $success-darken-3 22%; }
    """

    BINDINGS = [
        Binding("left", "move(-1)", "left", show=False),
        Binding("right", "move(1)", "right", show=False),
        Binding("shift+left", "move(-1, True)", "select left", show=False),
        Binding("shift+right", "move(1, True)", "select right", show=False),
        Binding("ctrl+left", "word(-1)", "word left", show=False),
        Binding("ctrl+right", "word(1)", "word right", show=False),
        Binding("ctrl+shift+left", "word(-1, True)", "select word left", show=False),
        Binding("ctrl+shift+right", "word(1, True)", "select word right", show=False),
        Binding("up", "line(-1)", "line up", show=False),
        Binding("down", "line(1)", "line down", show=False),
        Binding("shift+up", "line(-1, True)", "select line up", show=False),
        Binding("shift+down", "line(1, True)", "select line down", show=False),
        Binding("pageup", "line(-20)", "page up", show=False),
        Binding("pagedown", "line(20)", "page down", show=False),
        Binding("home", "line_edge(0)", "start of line", show=False),
        Binding("end", "line_edge(1)", "end of line", show=False),
        Binding("escape", "clear_selection", "clear selection", show=False),
        Binding("s", "select_turn", "select turn", tooltip="Select the whole speaker turn under the caret", show=False),
        Binding("right_square_bracket", "next_coding(1)", "next coding", show=False),
        Binding("left_square_bracket", "next_coding(-1)", "previous coding", show=False),
        Binding("n", "next_uncoded", "next uncoded turn", show=False),
    ]

    class CursorMoved(Message, bubble=True):
        """The caret moved; the screen updates the list of codes under it."""

        def __init__(self, view: TranscriptView, position: int) -> None:
            super().__init__()
            self.view = view
            self.position = position

        @property
        def control(self) -> TranscriptView:
            return self.view

    def __init__(self, text: str, turns: list[tuple[int, int, int, str | None]], *, id: str | None = None,
                 stripes: bool = False) -> None:
        super().__init__(id=id)
        self.text = text
        self.turns = turns  # (start, end, body_start, speaker)
        self._turn_starts = [t[0] for t in turns]
        self.marks: list[SpanMark] = []
        self.code_labels: Mapping[str, str] = {}
        """Code name -> what the stripes show for it (see :meth:`set_marks`)."""
        self._mark_starts: list[int] = []
        self._max_len = 0
        self._cursor = 0
        self._anchor: int | None = None
        self._stripes = stripes
        self._lines: list[tuple[int, int]] = []
        self._line_starts: list[int] = []
        self._wrapped_for: tuple[int, bool] = (-1, stripes)
        self._text_width = 0
        self._margin = 0
        self._stripe_lines: dict[int, _StripeLine] = {}
        self._placements: list[Placement] = []
        self._stripes_for: tuple[int, int] = (-1, -1)
        self._style_cache: tuple[Style, ...] | None = None
        self._base: Style | None = None
        self._category_cache: dict[tuple[int | None, bool], Style] = {}
        self._strips: dict[int, Strip] = {}
        """Rendered visual lines by index; dropped line by line when something on them changes."""
        self._drag_from: int | None = None
        self.unreviewed: list[tuple[int, int]] = []
        self.masked: list[tuple[int, int]] = []  # masked in an export (the original view strikes them through)
        """Spans of the text that are masked but not reviewed yet (the masked view's open suggestions)."""

    # -- caret and selection -------------------------------------------------------------

    @property
    def cursor(self) -> int:
        """Caret position in code points of the stored text."""
        return self._cursor

    @cursor.setter
    def cursor(self, position: int) -> None:
        self._set_caret(position, self._anchor)

    @property
    def anchor(self) -> int | None:
        """Other end of the selection; None when nothing is selected."""
        return self._anchor

    @anchor.setter
    def anchor(self, position: int | None) -> None:
        self._set_caret(self._cursor, position)

    def _set_caret(self, cursor: int, anchor: int | None) -> None:
        """Move caret and anchor, repainting only the lines whose look changed."""
        old_cursor, old_selection = self._cursor, self.selection
        self._cursor, self._anchor = cursor, anchor
        new_selection = self.selection
        if not self._lines:
            return
        dirty = [(old_cursor, old_cursor), (cursor, cursor)]
        if old_selection != new_selection:
            if old_selection is None or new_selection is None:
                dirty.append(old_selection or new_selection)  # type: ignore[arg-type]
            else:  # only the ends moved: the lines between the old and new ends change
                (a0, b0), (a1, b1) = old_selection, new_selection
                dirty += [(min(a0, a1), max(a0, a1)), (min(b0, b1), max(b0, b1))]
        self._refresh_spans(dirty)

    def _refresh_spans(self, spans: Iterable[tuple[int, int]]) -> None:
        """Drop the cached lines holding these text spans and repaint just those lines."""
        lines: set[int] = set()
        for start, end in spans:
            first, last = self.line_of(start), self.line_of(max(start, end))
            lines.update(range(first, last + 1))
        for line in sorted(lines):
            self._strips.pop(line, None)
        run_start: int | None = None
        previous = -2
        for line in sorted(lines) + [-1]:
            if line != previous + 1:
                if run_start is not None:
                    self.refresh_lines(run_start, previous - run_start + 1)
                run_start = line
            previous = line

    def _forget_lines(self) -> None:
        """Everything changed (text, codings, width, theme): repaint from scratch."""
        self._strips.clear()
        self.refresh()

    # -- data ----------------------------------------------------------------------------

    def set_text(self, text: str, turns: list[tuple[int, int, int, str | None]]) -> None:
        """Show another document (the adjudication view reuses its two views)."""
        self.text = text
        self.turns = turns
        self.unreviewed = []  # they were spans of the text before
        self.masked = []
        self._turn_starts = [t[0] for t in turns]
        self._wrapped_for = (-1, self._stripes)
        self._stripes_for = (-1, -1)
        self._cursor, self._anchor = 0, None
        self._forget_lines()

    def set_unreviewed(self, spans: Iterable[tuple[int, int]]) -> None:
        """Mark these spans (sorted, not overlapping) as masked but not reviewed: drawn underlined."""
        self.unreviewed = sorted(spans)
        self._forget_lines()

    def set_masked(self, spans: Iterable[tuple[int, int]]) -> None:
        """Mark these spans (sorted, not overlapping) as masked in an export: the original view
        draws them struck through, so that names shown in clear can be told from names left."""
        self.masked = sorted(spans)
        self._forget_lines()

    def set_marks(self, marks: list[SpanMark], labels: Mapping[str, str] | None = None) -> None:
        """Replace the codings shown (sorted by start).

        ``labels``: code name -> what the stripes show for it (an in-vivo code's rendition in the
        anonymised view; the app's ``code_labels``); names not in it show as they are.
        """
        self.code_labels: Mapping[str, str] = labels or {}
        # Coder and code break ties, so codings of one passage keep their lanes from run to run.
        self.marks = sorted(marks, key=lambda m: (m.start, m.end, m.coder, m.code, m.uuid))
        self._mark_starts = [m.start for m in self.marks]
        self._max_len = max((m.end - m.start for m in self.marks), default=0)
        self._stripes_for = (-1, -1)
        self._forget_lines()

    @property
    def stripes(self) -> bool:
        """Coding stripes are drawn in a margin beside the text."""
        return self._stripes

    @stripes.setter
    def stripes(self, shown: bool) -> None:
        if shown != self._stripes:
            self._stripes = shown
            self._forget_lines()
            self._ensure_wrapped()
            self.call_after_refresh(self._scroll_to_cursor)  # rewrapped: keep the caret in view

    @property
    def allow_vertical_scroll(self) -> bool:
        """The text scrolls whenever it is taller than the view.

        Textual allows a scroll only once the scrollbar shows, which is after the next layout: a
        jump made as soon as a transcript arrives (from a worker) was dropped and the view stayed
        at the top.
        """
        return not self.disabled and self.virtual_size.height > self.size.height

    @property
    def text_left(self) -> int:
        """Columns left of the text (the code marks' gutter, narrower with stripes)."""
        return STRIPE_GUTTER if self._stripes else GUTTER

    def marks_at(self, position: int) -> list[SpanMark]:
        """Codings covering a position."""
        return [m for m in self._marks_between(position, position + 1)]

    def _marks_between(self, start: int, end: int) -> list[SpanMark]:
        # Marks starting before `end` and ending after `start`; the longest mark bounds the scan.
        lo = bisect.bisect_left(self._mark_starts, start - self._max_len)
        hi = bisect.bisect_left(self._mark_starts, end)
        return [m for m in self.marks[lo:hi] if m.end > start]

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected ``[start, end)``, or None."""
        if self._anchor is None or self._anchor == self._cursor:
            return None
        return (min(self._anchor, self._cursor), max(self._anchor, self._cursor))

    def turn_index(self, position: int) -> int | None:
        """Index of the turn containing ``position``."""
        i = bisect.bisect_right(self._turn_starts, position) - 1
        return i if i >= 0 else None

    # -- layout --------------------------------------------------------------------------

    def _ensure_wrapped(self) -> None:
        if not self.size.width:
            return  # not laid out yet: wrapping for a guessed width would be thrown away
        width = self._text_area_width()
        if (width, self._stripes) != self._wrapped_for:
            if self._stripes:
                self._text_width, self._margin = stripe_margin(width)
            else:
                self._text_width, self._margin = max(width - GUTTER - 1, 10), 0
            self._lines = wrap_lines(self.text, self._text_width)
            self._line_starts = [s for s, _ in self._lines]
            self._wrapped_for = (width, self._stripes)
            self._stripes_for = (-1, -1)
            self._strips.clear()
            self.virtual_size = Size(width, len(self._lines))
        if self._stripes and self._stripes_for != (width, len(self.marks)):
            self._stripes_for = (width, len(self.marks))
            self._layout_stripes()

    def _text_area_width(self) -> int:
        """The width lines are wrapped for: the view less its vertical scrollbar, always.

        The scrollbar appears once the text is taller than the view, after the first layout; had
        the text been wrapped for the width without it, every line would move when it came (and
        a jump made meanwhile would land lines away from its words).
        """
        return max(self.size.width - self.styles.scrollbar_size_vertical, 1)

    def _layout_stripes(self) -> None:
        """Give each coding a lane and write its label down the bar, line by line."""
        ranges = [(self._line_at(m.start), self._line_at(max(m.start, m.end - 1))) for m in self.marks]
        self._placements = place_stripes(ranges)
        coders = {m.coder for m in self.marks}
        initials = coder_initials(coders) if len(coders) > 1 else {}
        clusters: dict[int, list[Placement]] = {}
        for placement in self._placements:
            clusters.setdefault(placement.cluster, []).append(placement)
        lines: dict[int, _StripeLine] = {}
        for members in clusters.values():
            lanes = members[0].lanes
            shown = min(lanes, max(self._margin // MIN_LANE, 1))
            labels = {p.mark: self._label(p.mark, initials) for p in members}
            longest = max(len(" ".join(part for part in label if part)) for label in labels.values()) + 2
            lane_width = max(min(self._margin // shown, longest), min(MIN_LANE, self._margin))
            for p in members:
                overflow = shown < lanes and p.lane >= shown - 1
                head, code = labels[p.mark]
                label = [] if overflow else fit_label(code, lane_width - 2, p.last - p.first + 1, head=head)
                for line in range(p.first, p.last + 1):
                    row = lines.get(line)
                    if row is None:
                        row = lines[line] = _StripeLine(lane_width, shown)
                    if overflow:
                        row.hidden += 1
                    else:
                        k = line - p.first
                        row.items.append((p.lane, p.mark, label[k] if k < len(label) else ""))
        self._stripe_lines = lines

    @property
    def _stripes_left(self) -> int:
        """The column the stripe margin starts at: after the text, its trailing space and a blank."""
        return STRIPE_GUTTER + self._text_width + 2

    def _label(self, index: int, initials: dict[str, str]) -> tuple[str, str]:
        """The stripe's head (flag and coder's initials, kept whole) and the code's name."""
        mark = self.marks[index]
        head = initials.get(mark.coder, "")
        name = self.code_labels.get(mark.code, mark.code)
        # A coding whose words changed (an edit) waits for its coder to check it.
        if getattr(mark, "flag", None):
            if head:
                return f"⚑{head}", name
            return "", f"⚑{name}"
        return head, name

    def on_resize(self, event: events.Resize) -> None:
        self._ensure_wrapped()
        self._forget_lines()

    def line_texts(self) -> list[str]:
        """The text of every visual line as wrapped for the current width (what scrolling shows)."""
        self._ensure_wrapped()
        return [self.text[start:end] for start, end in self._lines]

    def line_of(self, position: int) -> int:
        """Visual line index that holds ``position``."""
        self._ensure_wrapped()
        return self._line_at(position)

    def _line_at(self, position: int) -> int:
        if not self._line_starts:
            return 0
        return max(0, bisect.bisect_right(self._line_starts, position) - 1)

    def stripe_hidden(self, line: int) -> int:
        """How many codings on a visual line have no room for a lane (shown as "+n")."""
        self._ensure_wrapped()
        row = self._stripe_lines.get(line) if self._stripes else None
        return row.hidden if row is not None else 0

    def stripe_labels(self, line: int) -> list[tuple[int, str, str]]:
        """What the stripe margin shows on a visual line: ``(lane, code, label text)``."""
        self._ensure_wrapped()
        row = self._stripe_lines.get(line) if self._stripes else None
        if row is None:
            return []
        return [(lane, self.marks[mark].code, label) for lane, mark, label in sorted(row.items)]

    # -- rendering -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        self._ensure_wrapped()
        index = y + self.scroll_offset.y
        strip = self._strips.get(index)
        if strip is None:
            width = self.scrollable_content_region.width
            if index >= len(self._lines):
                return Strip.blank(width, self._base_style())
            # Cached as drawn (cut and padded to the width): a scroll repaints every visible line,
            # and a line that has not changed is then a dictionary look-up.
            strip = self._render_visual_line(index).crop(0, width).extend_cell_length(width, self._base_style())
            self._strips[index] = strip
        return strip

    def _base_style(self) -> Style:
        """The view's own style (looked up once per theme: walking the DOM for it per line was slow)."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def _render_visual_line(self, index: int) -> Strip:
        start, end = self._lines[index]
        base = self._base_style()
        coded, overlap, selected, caret, speaker_style, gutter_style, _, unreviewed_style, masked_style = self._styles()
        marks = self._marks_between(start, max(end, start + 1))
        unreviewed = _spans_between(self.unreviewed, start, end)
        masked = _spans_between(self.masked, start, end)
        if self._stripes:
            segments = [Segment(" " * STRIPE_GUTTER, base)]
        else:
            segments = self._gutter(marks, base + gutter_style)
        selection = self.selection
        turn = self.turn_index(start)
        label_end = -1
        if turn is not None and self.turns[turn][3] and self.turns[turn][0] < self.turns[turn][2]:
            label_end = self.turns[turn][2]
        boundaries = {start, end}
        for m in marks:
            boundaries.update(p for p in (m.start, m.end) if start < p < end)
        for a, b in (*unreviewed, *masked):
            boundaries.update(p for p in (a, b) if start < p < end)
        if selection:
            boundaries.update(p for p in selection if start < p < end)
        if start <= self._cursor < end:
            boundaries.update({self._cursor, self._cursor + 1})
        if start < label_end < end:
            boundaries.add(label_end)
        points = sorted(p for p in boundaries if start <= p <= end)
        used = 0
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
            if any(u <= a < v for u, v in unreviewed):
                style += unreviewed_style
            if any(u <= a < v for u, v in masked):
                style += masked_style
            if selection and selection[0] <= a < selection[1]:
                style += selected
            if a == self._cursor and self.has_focus:
                style += caret
            segments.append(Segment(piece, style))
            used += len(piece)
        if (self._cursor == end and start <= self._cursor and self.has_focus
                and (end == len(self.text) or self.text[end:end + 1] == "\n" or start == end)):
            segments.append(Segment(" ", base + caret))
            used += 1
        if self._stripes:
            text_cells = Strip(segments).cell_length
            segments.append(Segment(" " * max(self._stripes_left - text_cells, 0), base))
            segments.extend(self._stripe_segments(index, base))
        return Strip(segments)

    def _stripe_segments(self, index: int, base: Style) -> list[Segment]:
        """The margin of one visual line: a coloured bar per coding, its name written down it."""
        row = self._stripe_lines.get(index)
        if row is None:
            return []
        segments: list[Segment] = []
        column = 0
        for lane, mark, label in sorted(row.items):
            left = lane * row.lane_width
            if left > column:
                segments.append(Segment(" " * (left - column), base))
            rank = self.marks[mark].category_rank
            text = label[: row.lane_width - 2]
            segments.append(Segment(BAR, base + self.category_style(rank)))
            if text:
                segments.append(Segment(text, base + self.category_style(rank, label=True)))
            segments.append(Segment(" " * (row.lane_width - 1 - len(text)), base))
            column = left + row.lane_width
        if row.hidden:
            left = (row.lanes_shown - 1) * row.lane_width
            if left > column:
                segments.append(Segment(" " * (left - column), base))
            segments.append(Segment(f"+{row.hidden}"[: row.lane_width], base + self._styles()[6]))
        return segments

    def _styles(self) -> tuple[Style, ...]:
        """The component styles, looked up once per theme instead of once per line."""
        if self._style_cache is None:
            self._style_cache = tuple(
                self.get_component_rich_style(f"transcript--{name}", partial=True)
                for name in ("coded", "overlap", "selection", "cursor", "speaker", "gutter", "stripe-more",
                             "unreviewed", "masked")
            )
        return self._style_cache

    def category_style(self, rank: int | None, *, label: bool = False) -> Style:
        """The colour of a main category (by its rank in the code tree), from the theme.

        The bar's style, or with ``label`` the style of the code name written beside it.
        """
        key = (rank, label)
        style = self._category_cache.get(key)
        if style is None:
            name = "none" if rank is None else str(rank % CATEGORY_STYLES)
            style = self._category_cache[key] = self.get_component_rich_style(
                f"transcript--{'label' if label else 'category'}-{name}", partial=True)
        return style

    def notify_style_update(self) -> None:
        self._style_cache = None
        self._base = None
        self._category_cache = {}
        self._strips.clear()
        super().notify_style_update()

    def _gutter(self, marks: list[SpanMark], style: Style) -> list[Segment]:
        """One bar per main category coded on the line, in the category's colour."""
        ranks: list[int | None] = []
        for m in marks:
            if m.category_rank not in ranks:
                ranks.append(m.category_rank)
        shown = ranks[: GUTTER - 1]
        bars = [Segment(BAR, style + self.category_style(rank)) for rank in shown]
        return bars + [Segment(" " * (GUTTER - len(shown)), style)]

    def on_focus(self) -> None:
        self._refresh_spans([(self._cursor, self._cursor)])  # the caret shows only with focus

    def on_blur(self) -> None:
        self._refresh_spans([(self._cursor, self._cursor)])

    # -- movement ------------------------------------------------------------------------

    def _place(self, position: int, extend: bool) -> None:
        position = max(0, min(len(self.text), position))
        anchor = (self._anchor if self._anchor is not None else self._cursor) if extend else None
        self._set_caret(position, anchor)
        self._scroll_to_cursor()
        self.post_message(self.CursorMoved(self, position))

    def _scroll_to_cursor(self) -> None:
        if not self.size.height:
            self.call_after_refresh(self._scroll_to_cursor)  # before the first layout there is nothing to scroll
            return
        line = self.line_of(self._cursor)
        top = self.scroll_offset.y
        height = max(self.size.height, 1)
        if line < top:
            self.scroll_to(y=line, animate=False)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False)

    def move_to(self, position: int, *, select_to: int | None = None) -> None:
        """Put the caret at ``position`` (and select from ``select_to`` when given)."""
        self._set_caret(max(0, min(len(self.text), position)), select_to)
        self._scroll_to_cursor()
        self.post_message(self.CursorMoved(self, self._cursor))

    def scroll_line_to(self, line: int, row: int) -> None:
        """Scroll so that visual ``line`` shows on ``row`` of the view (as near as it can)."""
        self.scroll_to(y=max(0, line - row), animate=False)

    def action_move(self, delta: int, extend: bool = False) -> None:
        self._place(self._cursor + delta, extend)

    def action_word(self, direction: int, extend: bool = False) -> None:
        text, pos = self.text, self._cursor
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
        line = self.line_of(self._cursor)
        column = self._cursor - self._lines[line][0]
        target = max(0, min(len(self._lines) - 1, line + delta))
        start, end = self._lines[target]
        self._place(min(start + column, max(start, end - 1) if end > start else start), extend)

    def action_line_edge(self, which: int) -> None:
        if not self._lines:
            return
        start, end = self._lines[self.line_of(self._cursor)]
        self._place(start if which == 0 else max(start, end - 1), False)

    def action_clear_selection(self) -> None:
        self.anchor = None

    def action_select_turn(self) -> None:
        turn = self.turn_index(self._cursor)
        if turn is not None:
            start, end, body, _ = self.turns[turn]
            self.move_to(end, select_to=body)

    def action_next_coding(self, direction: int) -> None:
        if not self.marks:
            return
        if direction > 0:
            i = bisect.bisect_right(self._mark_starts, self._cursor)
            if i < len(self.marks):
                self.move_to(self.marks[i].start)
        else:
            i = bisect.bisect_left(self._mark_starts, self._cursor) - 1
            if i >= 0:
                self.move_to(self.marks[i].start)

    def action_next_uncoded(self) -> None:
        current = self.turn_index(self._cursor)
        for start, end, body, speaker in self.turns[(current + 1 if current is not None else 0):]:
            if not self._marks_between(body, end):
                self.move_to(body)
                return

    # -- mouse ---------------------------------------------------------------------------

    def _offset_at(self, event: events.MouseEvent) -> int | None:
        """The text position under the mouse, or None outside the text."""
        self._ensure_wrapped()
        line = event.y + self.scroll_offset.y
        if not 0 <= line < len(self._lines):
            return None
        start, end = self._lines[line]
        column = max(0, event.x + self.scroll_offset.x - self.text_left)
        return min(start + column, end)

    def _stripe_at(self, event: events.MouseEvent) -> SpanMark | None:
        """The coding whose stripe is under the mouse, if the mouse is in the margin."""
        if not self._stripes:
            return None
        column = event.x + self.scroll_offset.x - self._stripes_left
        row = self._stripe_lines.get(event.y + self.scroll_offset.y)
        if column < 0 or row is None:
            return None
        lane = column // row.lane_width
        return next((self.marks[mark] for item_lane, mark, _ in row.items if item_lane == lane), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A press places the caret (shift extends the selection); dragging from it selects.

        A press on a stripe selects the words of that coding.
        """
        stripe = self._stripe_at(event)
        if stripe is not None:
            self.move_to(stripe.end, select_to=stripe.start)
            return
        position = self._offset_at(event)
        if position is None:
            return
        self._drag_from = position
        self._place(position, bool(event.shift))
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_from is None:
            return
        position = self._offset_at(event)
        if position is None or position == self._cursor:
            return
        anchor = self._anchor if self._anchor is not None else self._drag_from
        self._set_caret(position, anchor)
        self._scroll_to_cursor()
        self.post_message(self.CursorMoved(self, position))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_from is not None:
            self._drag_from = None
            self.release_mouse()


def _spans_between(spans: Sequence[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The spans (sorted, not overlapping) that reach into [start, end)."""
    if not spans:
        return []
    i = max(bisect.bisect_left(spans, (start, start)) - 1, 0)  # the span before may reach into the line
    found = []
    for a, b in spans[i:]:
        if a >= end:
            break
        if b > start:
            found.append((a, b))
    return found
