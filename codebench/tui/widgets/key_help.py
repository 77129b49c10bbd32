"""The F1 key panel with the screen's own keys first.

Textual's panel lists the bindings in the order the focus chain gives them: the focused widget
first. On most screens that is a list or the transcript, so the panel opened on a column of
cursor keys (up, down, page up, home …) and the keys a coder came to look for — code, memo,
quotes, merge — were below the fold at 80×24. Here the screen's keys come first, then the
focused widget's, then the app's (quit, help, search, undo).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import HelpPanel, KeyPanel, Markdown
from textual.widgets._key_panel import BindingsTable


def screen_first(bindings: Iterable[tuple[Any, Binding, bool, str]], screen: Screen[Any]
                 ) -> list[tuple[Any, list[list[Binding]]]]:
    """The active bindings grouped by the node that owns them: the screen, its widgets, the app.

    Within a group the actions keep their order; each comes with every binding of it (its keys).
    """
    groups: dict[int, tuple[Any, dict[str, list[Binding]]]] = {}
    for namespace, binding, _enabled, _tooltip in bindings:
        if binding.system:
            continue
        _, actions = groups.setdefault(id(namespace), (namespace, {}))
        actions.setdefault(binding.action, []).append(binding)

    def rank(namespace: Any) -> int:
        return 0 if namespace is screen else 2 if isinstance(namespace, App) else 1

    ordered = sorted(groups.values(), key=lambda group: rank(group[0]))  # stable: widgets keep their order
    return [(namespace, sorted(actions.values(), key=lambda keys: _declared(namespace).get(keys[0].action, 10_000)))
            for namespace, actions in ordered]


def _declared(namespace: Any) -> dict[str, int]:
    """The actions codebench's own classes bind on ``namespace``, in the order they declare them.

    Textual's inherited keys (tab, shift+tab, ctrl+c on every screen) come after them.
    """
    order: dict[str, int] = {}
    for cls in type(namespace).__mro__:
        if not cls.__module__.startswith("codebench."):
            continue
        for item in cls.__dict__.get("BINDINGS", ()):
            binding = item if isinstance(item, Binding) else Binding(*item)
            order.setdefault(binding.action, len(order))
    return order


class ScreenFirstBindings(BindingsTable):
    """The bindings table of the key panel, the screen's keys first.

    Two columns: the keys, never wrapped, and what they do, wrapped within the panel. The action's
    name comes first, then its longer explanation after a dash ("g  quotes of code — Every quote
    of …"): with one space between them and none after the keys, the three ran together.
    """

    def render(self) -> Table:
        key_style = self.get_component_rich_style("bindings-table--key")
        description_style = self.get_component_rich_style("bindings-table--description")
        header_style = self.get_component_rich_style("bindings-table--header")
        table = Table(padding=(0, 1, 0, 0), show_header=False, box=box.SIMPLE, expand=True,
                      border_style=self.get_component_rich_style("bindings-table--divider"))
        table.add_column("", justify="right", no_wrap=True)
        table.add_column("", ratio=1, overflow="fold")
        for namespace, actions in screen_first(self.screen.active_bindings.values(), self.screen):
            title = getattr(namespace, "BINDING_GROUP_TITLE", None)
            if title:
                table.add_row("", Text(title, style=header_style, end=""))
            for keys in actions:
                binding = keys[0]
                description = Text(binding.description, style=description_style, end="")
                if binding.tooltip:
                    description.append(" — " + binding.tooltip, "dim")
                shown = " ".join(dict.fromkeys(self.app.get_key_display(b) for b in keys))
                table.add_row(Text(shown, style=key_style), description)
            table.add_section()
        return table


class ScreenFirstKeys(KeyPanel):
    """Textual's key panel, listing the screen's keys first."""

    def compose(self) -> ComposeResult:
        yield ScreenFirstBindings(shrink=True, expand=True)


FULL_WIDTH_BELOW = 120
"""Columns under which the panel takes the whole width (and the screen's keys stay in the footer)."""


class WorkbenchHelp(HelpPanel):
    """The F1 panel: the focused widget's help text, then the keys, the screen's first.

    Beside the screen (Textual's place for it) it took a third of an 80-column terminal: keys and
    descriptions were squeezed into 45 columns, its last line ran over the footer, and a toast
    from before sat over it. Below :data:`FULL_WIDTH_BELOW` columns it covers the screen instead,
    across the whole width and down to the footer, which stays visible (F1 or Esc closes the
    panel); toasts are cleared when it opens.
    """

    def compose(self) -> ComposeResult:
        yield Markdown(id="widget-help")
        yield ScreenFirstKeys(id="keys-help")

    def on_mount(self) -> None:
        super().on_mount()
        self.app.clear_notifications()  # an old toast would sit over the panel's keys
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Full width, down to the footer, in a narrow terminal; beside the screen in a wide one."""
        width, height = self.screen.size
        full = width < FULL_WIDTH_BELOW
        self.set_class(full, "-full")
        if full:
            # Docked at the top over the screen's widgets, it stops above the footer's row.
            self.styles.height = max(height - 1, 1)
        else:
            self.styles.clear_rule("height")
