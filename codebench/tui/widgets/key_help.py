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
    """The bindings table of the key panel, the screen's keys first."""

    def render(self) -> Table:
        key_style = self.get_component_rich_style("bindings-table--key")
        description_style = self.get_component_rich_style("bindings-table--description")
        header_style = self.get_component_rich_style("bindings-table--header")
        table = Table(padding=(0, 0), show_header=False, box=box.SIMPLE,
                      border_style=self.get_component_rich_style("bindings-table--divider"))
        table.add_column("", justify="right")
        for namespace, actions in screen_first(self.screen.active_bindings.values(), self.screen):
            title = getattr(namespace, "BINDING_GROUP_TITLE", None)
            if title:
                table.add_row("", Text(title, style=header_style, end=""))
            for keys in actions:
                binding = keys[0]
                description = Text(binding.description, style=description_style, end="")
                if binding.tooltip:
                    description.append(" " + binding.tooltip, "dim")
                shown = " ".join(dict.fromkeys(self.app.get_key_display(b) for b in keys))
                table.add_row(Text(shown, style=key_style), description)
            table.add_section()
        return table


class ScreenFirstKeys(KeyPanel):
    """Textual's key panel, listing the screen's keys first."""

    def compose(self) -> ComposeResult:
        yield ScreenFirstBindings(shrink=True, expand=False)


class WorkbenchHelp(HelpPanel):
    """The F1 panel: the focused widget's help text, then the keys, the screen's first."""

    def compose(self) -> ComposeResult:
        yield Markdown(id="widget-help")
        yield ScreenFirstKeys(id="keys-help")
