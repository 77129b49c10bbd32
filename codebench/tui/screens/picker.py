"""Modal pickers: the fuzzy code picker and the coder prompt."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from codebench.domain.records import CodeInfo

NEW_PREFIX = "new:"


@dataclass(frozen=True)
class PickedCode:
    """What the picker returns: an existing code's name, or a new open code's name."""

    name: str
    new: bool


def rank_codes(query: str, codes: list[CodeInfo], limit: int = 30) -> list[CodeInfo]:
    """Codes best matching ``query``: shortcut key first, then fuzzy name, then description."""
    query = query.strip()
    if not query:
        return codes[:limit]
    exact = [c for c in codes if c.shortcut and c.shortcut == query]
    choices = {c.id: f"{c.name} {c.description or ''}" for c in codes}
    by_name = process.extract(query, {c.id: c.name for c in codes}, scorer=fuzz.WRatio, limit=limit)
    by_text = process.extract(query, choices, scorer=fuzz.partial_ratio, limit=limit)
    scores: dict[int, float] = {}
    for _, score, key in by_name:
        scores[key] = max(scores.get(key, 0), score)
    for _, score, key in by_text:
        scores[key] = max(scores.get(key, 0), score * 0.8)  # a hit in the description counts less
    by_id = {c.id: c for c in codes}
    ranked = [by_id[k] for k, s in sorted(scores.items(), key=lambda kv: -kv[1]) if s >= 50]
    return exact + [c for c in ranked if c not in exact][:limit]


class CodePicker(ModalScreen[PickedCode | None]):
    """Type to filter codes; Enter applies the highlighted one or creates an open code."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "cancel"),
        Binding("down", "cursor(1)", show=False),
        Binding("up", "cursor(-1)", show=False),
        Binding("ctrl+n", "create", "create as new code", tooltip="Create an open code named as typed"),
    ]

    def __init__(self, codes: list[CodeInfo], *, title: str = "Code the selection", initial: str = "",
                 kinds: tuple[str, ...] = ("code",), allow_new: bool = True) -> None:
        super().__init__()
        self.codes = [c for c in codes if c.kind in kinds]
        self.title_text = title
        self.initial = initial
        self.allow_new = allow_new

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(self.title_text, id="picker-title")
            yield Input(value=self.initial, placeholder="code name, shortcut key, or a new name", id="picker-input")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._refresh_options(self.initial)
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._refresh_options(event.value)

    def _refresh_options(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        ranked = rank_codes(query, self.codes)
        name = " ".join(query.split())
        exists = any(c.name.casefold() == name.casefold() for c in self.codes)
        items: list[Option] = []
        for code in ranked:
            key = f"  [{code.shortcut}]" if code.shortcut else ""
            # Text, not a markup string: "[g]" or a bracket in a code name must show as typed.
            items.append(Option(Text(f"{code.name}{key}"), id=f"code:{code.name}"))
        if name and not exists and self.allow_new:
            new = Option(Text(f"+ new open code «{name}»"), id=f"{NEW_PREFIX}{name}")
            # A name close to an existing code is probably that code; otherwise Enter creates.
            close = ranked and fuzz.WRatio(name, ranked[0].name) >= 90
            items = items + [new] if close else [new] + items
        options.add_options(items)
        if items:
            options.highlighted = 0

    def action_create(self) -> None:
        name = " ".join(self.query_one(Input).value.split())
        if name and self.allow_new:
            existing = next((c for c in self.codes if c.name.casefold() == name.casefold()), None)
            self.dismiss(PickedCode(existing.name, False) if existing else PickedCode(name, True))

    def action_cursor(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self._choose(options.get_option_at_index(options.highlighted).id or "")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id or "")

    def _choose(self, option_id: str) -> None:
        if option_id.startswith(NEW_PREFIX):
            self.dismiss(PickedCode(option_id[len(NEW_PREFIX):], True))
        elif option_id.startswith("code:"):
            self.dismiss(PickedCode(option_id[5:], False))


class CoderPrompt(ModalScreen[str | None]):
    """Who is coding? Asked once at start when no --coder was given."""

    BINDINGS = [Binding("escape", "dismiss(None)", "cancel")]

    def __init__(self, known: list[str]) -> None:
        super().__init__()
        self.known = known

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Who is coding? (your codings are kept apart from the others')", id="picker-title")
            yield Input(placeholder="your name or initials", id="coder-input")
            if self.known:
                yield Label("Known coders: " + ", ".join(self.known), id="picker-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())


class TextPrompt(ModalScreen[str | None]):
    """One line of text: a new name."""

    BINDINGS = [Binding("escape", "dismiss(None)", "cancel")]

    def __init__(self, title: str, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(self.title_text, id="picker-title")
            yield Input(value=self.value, id="prompt-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(" ".join(event.value.split()) or None)


class MemoEditor(ModalScreen[str | None]):
    """A code memo: definition, properties, relations. ctrl+s saves."""

    BINDINGS = [Binding("escape", "dismiss(None)", "cancel"), Binding("ctrl+s", "save", "save")]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        from textual.widgets import TextArea

        with Vertical(id="picker"):
            yield Label(self.title_text + "   (ctrl+s saves, esc cancels)", id="picker-title")
            yield TextArea(self.text, id="memo-text", soft_wrap=True)

    def on_mount(self) -> None:
        from textual.widgets import TextArea

        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        from textual.widgets import TextArea

        self.dismiss(self.query_one(TextArea).text)
