"""A footer that rebuilds its keys only when the keys it shows change.

Textual's footer recomposes on every bindings update — every screen switch and focus change —
and styling a dozen key widgets was a large share of reopening a transcript. The keys of a
reused screen are the same each time, so the widgets can stay.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class StableFooter(Footer):
    """:class:`textual.widgets.Footer`, skipping recomposes that would draw the same keys."""

    _shown: tuple[Any, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            shown = tuple(
                (binding.key, binding.description, enabled, tooltip)
                for (_, binding, enabled, tooltip) in screen.active_bindings.values() if binding.show
            )
            if shown == self._shown and self.children:
                return
            self._shown = shown
            self.call_after_refresh(self.recompose)
