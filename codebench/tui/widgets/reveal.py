"""Bring a passage into view: what a jump (to a disagreement, a memo's coding, a quote) must show.

The transcript view scrolls just enough to keep the caret on screen, which after a jump from
afar leaves the passage on the last line with its words below the edge. A jump puts the
passage a couple of lines below the top (whole when it fits), always at the same place, so
the eye finds it there after every jump.
"""

from __future__ import annotations

from codebench.tui.widgets.transcript import TranscriptView

CONTEXT_LINES = 2
"""Lines of the text before a passage kept visible above it."""


def reveal(view: TranscriptView, start: int, end: int) -> None:
    """Scroll ``view`` so that ``[start, end)`` shows (whole when it fits), once it is laid out."""
    if not view.size.height:
        view.call_after_refresh(reveal, view, start, end)
        return
    first, last = view.line_of(start), view.line_of(max(start, end - 1))
    height = view.size.height
    lines = last - first + 1
    room = max(0, min(CONTEXT_LINES, height - lines))
    view.scroll_to(y=max(0, first - room), animate=False)
