"""The workbench footer: the screen's keys, with back, quit and help always in sight.

Two changes to Textual's footer:

- The keys to leave, quit and get help (q, ctrl+q, F1) and the command palette sit together at
  the right edge and never scroll away: at 80 columns a screen's own keys run out of room, and
  what gets cut must be one of those, never the way out.
- Below 100 columns a screen's keys may use shorter descriptions (``FOOTER_SHORT`` on the
  screen: action → words), and a key that still does not fit is left out whole (it stays in
  F1's panel and the palette): at 80 columns the project view's footer ended "a anon▏", a key
  cut in half, saying neither what it did nor that more keys followed.
- It rebuilds its keys only when the keys it shows change. Textual's footer recomposes on every
  bindings update — every screen switch and focus change — and styling a dozen key widgets was
  a large share of reopening a transcript. The keys of a reused screen are the same each time.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

ESSENTIAL_ACTIONS = ("app.pop_screen", "back", "quit", "app.quit", "help", "app.help")
"""Actions whose keys stay at the right edge of the footer, in this order ("back": screens such
as search and memos that do something of their own on the way out)."""


NARROW = 100
"""Below this many columns the footer is compact and uses the screen's short descriptions."""


class EssentialKeys(HorizontalGroup):
    """The always-visible keys at the right of the footer."""

    DEFAULT_CSS = """
    EssentialKeys {
        dock: right;
        width: auto;
        height: 1;
        border-left: vkey $foreground 20%;
        background: $footer-background;
    }
    """


class StableFooter(Footer):
    """:class:`textual.widgets.Footer` with fixed essential keys, skipping recomposes that would draw the same keys."""

    # A group's label keeps a space after it in the compact footer ("one mention f2 rename").
    DEFAULT_CSS = """
    StableFooter.-compact FooterLabel { margin: 0 1 0 0; }
    """

    _shown: tuple[Any, ...] | None = None
    _short: bool = False
    """Whether the keys were composed with the screen's short descriptions."""

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            shown = self._shown_keys(screen)
            if shown == self._shown and self.children:
                return
            self._shown = shown
            self.call_after_refresh(self.recompose)

    @staticmethod
    def _shown_keys(screen: Screen[Any]) -> tuple[Any, ...]:
        return tuple((binding.key, binding.description, enabled, tooltip)
                     for (_, binding, enabled, tooltip) in screen.active_bindings.values() if binding.show)

    def _key(self, binding: Binding, enabled: bool, tooltip: str, *, description: str | None = None,
             classes: str = "") -> FooterKey:
        key = FooterKey(binding.key, self.app.get_key_display(binding),
                        binding.description if description is None else description, binding.action,
                        disabled=not enabled, tooltip=tooltip or binding.tooltip or binding.description,
                        classes=classes)
        # A key is born compact (Textual's default) and the binding below then makes it wide:
        # two restyles of every key of a fresh footer, a quarter of a screen's first frame.
        # Born as the footer is, its binding changes nothing.
        key.set_reactive(FooterKey.compact, self.compact)
        return key.data_bind(compact=Footer.compact)

    def _short_descriptions(self) -> dict[str, str]:
        """The screen's short descriptions when the terminal is narrow (none otherwise)."""
        if self.app.size.width >= NARROW:
            return {}
        return getattr(self.screen, "FOOTER_SHORT", {})

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            if not self.is_attached:
                return
            # Composed with its screen: the screen's keys are known now. Textual's footer waits
            # for the first bindings update and then mounts its keys after a refresh: a second
            # layout and styling pass in every new screen's first frame. The update (the screen
            # focusing its first widget) then finds the same keys and changes nothing.
            self.set_reactive(Footer._bindings_ready, True)
            self._shown = self._shown_keys(self.screen)
            compact = self.app.size.width < NARROW  # as on_resize will find it: keys are born as they stay
            self.set_reactive(Footer.compact, compact)
            self.set_class(compact, "-compact", update=False)
        short = self._short_descriptions()
        self._short = bool(short)
        active = self.screen.active_bindings
        # One key per action (the first bound), in the order the screen declares them.
        by_action: dict[str, tuple[Binding, bool, str]] = {}
        hidden: dict[str, tuple[Binding, bool, str]] = {}
        for _, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in by_action:
                by_action[binding.action] = (binding, enabled, tooltip)
            elif not binding.show and binding.action in ESSENTIAL_ACTIONS:
                hidden.setdefault(binding.action, (binding, enabled, tooltip))
        # The way out stays in sight even while a text field hides the screen's letter keys
        # (the search screen's query: then Esc is the way back).
        essential = [by_action.pop(action) if action in by_action else hidden[action]
                     for action in ESSENTIAL_ACTIONS if action in by_action or action in hidden]
        groups: defaultdict[Any, list[tuple[Binding, bool, str]]] = defaultdict(list)
        order: list[Any] = []
        for action, item in by_action.items():
            group = item[0].group
            key = group if group is not None else action
            if key not in groups:
                order.append(key)
            groups[key].append(item)
        for key in order:
            items = groups[key]
            group = items[0][0].group
            if group is not None and len(items) > 1:
                with KeyGroup(classes="-compact" if group.compact else ""):
                    for binding, enabled, tooltip in items:
                        yield self._key(binding, enabled, tooltip, description="", classes="-grouped")
                yield FooterLabel(group.description)
            else:
                for binding, enabled, tooltip in items:
                    yield self._key(binding, enabled, tooltip, description=short.get(binding.action))
        palette = active.get(self.app.COMMAND_PALETTE_BINDING) if self.app.ENABLE_COMMAND_PALETTE else None
        with EssentialKeys():
            for binding, enabled, tooltip in essential:
                yield self._key(binding, enabled, tooltip)
            if palette is not None and self.show_command_palette:
                _, binding, enabled, tooltip = palette
                yield self._key(binding, enabled, tooltip)

    def on_mount(self) -> None:
        self.call_after_refresh(self._leave_out_what_does_not_fit)

    def on_resize(self) -> None:
        # Below 100 columns every cell counts: keys sit closer together.
        self.compact = self.size.width < NARROW
        if bool(self._short_descriptions()) != self._short:
            self._shown = None
            self.call_after_refresh(self.recompose)
        for child in self.children:
            # Only a hidden key is shown again: setting display on a shown key the first time
            # still counts as a change (an inline style) and lays the screen out once more.
            if not isinstance(child, EssentialKeys) and not child.display:
                child.display = True
        self.call_after_refresh(self._leave_out_what_does_not_fit)

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self._leave_out_what_does_not_fit)

    def _leave_out_what_does_not_fit(self) -> None:
        """Hide the screen's keys from the first one that would run under the essential keys."""
        essentials = self.query_children(EssentialKeys)
        if not essentials or not self.size.width:
            return
        room = self.size.width - essentials.first().outer_size.width
        past = False
        for child in self.children:
            if isinstance(child, EssentialKeys):
                continue
            past = past or child.virtual_region.right > room
            if past:
                child.display = False
