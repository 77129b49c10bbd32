"""Modal pickers: the fuzzy code picker and the coder prompt."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Sequence

from rapidfuzz import fuzz, process
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from codebench.domain.records import CodeInfo
from codebench.tui.background import load_in_background

NEW_PREFIX = "new:"


@dataclass(frozen=True)
class PickedCode:
    """What the picker returns: an existing code's name, or a new open code's name."""

    name: str
    new: bool


@dataclass(frozen=True)
class PickerPlacement:
    """Where the picker opens so that it leaves the words being coded in sight.

    Attributes:
        edge: ``"top"`` or ``"bottom"`` of the screen.
        rows: the most rows it may take (the words being coded are beyond them).
    """

    edge: str
    rows: int


COMPACT_ROWS = 24
"""A picker given fewer rows than this drops its padding and keeps its hints on one line."""

PLAUSIBLE = 75
"""A match scoring this much (0–100) is probably the code meant: Enter may apply it."""


def score_codes(query: str, codes: list[CodeInfo], limit: int = 30,
                recent: Sequence[str] = ()) -> list[tuple[CodeInfo, float]]:
    """Codes matching ``query`` with a score: exact name or shortcut key (100) first, then a name
    that a word of it starts with the query, then fuzzy name, then description (weighted down).

    With an empty query, the ``recent`` codes (names, newest first) come before the tree order.
    """
    query = " ".join(query.split())
    if not query:
        by_name = {c.name: c for c in codes}
        first = [by_name[name] for name in recent if name in by_name]
        return [(c, 0.0) for c in (first + [c for c in codes if c not in first])[:limit]]
    folded = query.casefold()
    exact = [c for c in codes if c.name.casefold() == folded]
    exact += [c for c in codes if c.shortcut and c.shortcut == query and c not in exact]
    scores: dict[int, float] = {}
    for c in codes:
        name = c.name.casefold()
        if name.startswith(folded) or any(word.startswith(folded) for word in name.split()):
            scores[c.id] = 95.0
    choices = {c.id: f"{c.name} {c.description or ''}" for c in codes}
    by_name = process.extract(query, {c.id: c.name for c in codes}, scorer=fuzz.WRatio, limit=limit)
    by_text = process.extract(query, choices, scorer=fuzz.partial_ratio, limit=limit)
    for _, score, key in by_name:
        scores[key] = max(scores.get(key, 0), score)
    for _, score, key in by_text:
        scores[key] = max(scores.get(key, 0), score * 0.8)  # a hit in the description counts less
    by_id = {c.id: c for c in codes}
    ranked = [(by_id[k], sc) for k, sc in sorted(scores.items(), key=lambda kv: -kv[1]) if sc >= 50 and by_id[k] not in exact]
    return ([(c, 100.0) for c in exact] + ranked)[:limit]


def rank_codes(query: str, codes: list[CodeInfo], limit: int = 30, recent: Sequence[str] = ()) -> list[CodeInfo]:
    """The codes of :func:`score_codes`, best first."""
    return [code for code, _ in score_codes(query, codes, limit, recent)]


class CodePicker(ModalScreen[PickedCode | None]):
    """Type to filter codes; Enter applies the highlighted code.

    An exact name or shortcut key is highlighted first, then the best match; a new open code is
    made only deliberately: ctrl+n, or the "+ new open code" row, which is highlighted by itself
    only when no existing code resembles what was typed. (Enter on a half-typed name used to
    make a junk code beside the one the coder meant.)
    """

    MIN_ROWS = 11
    """The fewest rows a placed picker is given: its compact frame, title, words, input and hint
    take 8, and three codes show."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "cancel"),
        Binding("down", "cursor(1)", "next code", show=False),
        Binding("up", "cursor(-1)", "previous code", show=False),
        Binding("ctrl+n", "create", "create as new code", tooltip="Create an open code named as typed"),
    ]

    def __init__(self, codes: list[CodeInfo], *, title: str = "Code the selection", initial: str = "",
                 kinds: tuple[str, ...] = ("code",), allow_new: bool = True, context: str | None = None,
                 recent: Sequence[str] = (), placement: PickerPlacement | None = None,
                 labels: Mapping[str, str] | None = None) -> None:
        """
        Args:
            codes: the code tree.
            title: what the choice is for.
            initial: text already in the input.
            kinds: which kinds of node may be chosen.
            allow_new: whether a new open code may be made.
            context: the words being coded, shown so the picker never hides what is coded.
            recent: code names to list first while nothing is typed (the coder's latest).
            placement: the edge to open at and the rows it may take (default: centred).
            labels: code name -> what to show (the app's ``code_labels``); None: the picker asks
                the app in a worker when its view is anonymised, and lists nothing until then.
        """
        super().__init__()
        self._given = [c for c in codes if c.kind in kinds]
        self._real = {c.id: c.name for c in self._given}
        """Code id -> its name, the key the picker returns (``codes`` hold the names as shown)."""
        self.labels = labels
        self._anonymised = False
        """The view is anonymised (known once mounted)."""
        self.descriptions: Mapping[str, str] | None = None
        """In the anonymised view: description -> as shown (None until read; meanwhile not searched)."""
        self.codes = self._given
        self.title_text = title
        self.initial = initial
        self.allow_new = allow_new
        self.context = context
        self.recent = tuple(recent)
        self.placement = placement

    def compose(self) -> ComposeResult:
        compact = self.placement is not None and self.placement.rows < COMPACT_ROWS
        with Vertical(id="picker", classes="-compact" if compact else ""):
            yield Label(self.title_text, id="picker-title")
            if self.context:
                words = " ".join(self.context.split())
                shown = words if len(words) <= 240 else words[:120] + " … " + words[-110:]
                yield Label(Text(f"«{shown}»", style="italic"), id="picker-context")
            yield Input(value=self.initial, placeholder="code name, shortcut key, or a new name", id="picker-input")
            # The hint sits above the list: a long list is cut at the bottom of a small terminal.
            yield Label("", id="picker-hint")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        if self.placement is not None:
            self.styles.align_vertical = "top" if self.placement.edge == "top" else "bottom"
            box = self.query_one("#picker")
            box.styles.max_height = self.placement.rows
            # Title, words, input, hint and frame take their rows; the list gets what is left.
            fixed = (8 if box.has_class("-compact") else 14) - (0 if self.context else 1)
            self.query_one(OptionList).styles.max_height = max(self.placement.rows - fixed, 3)
        app = self.app
        self._anonymised = bool(getattr(app, "anonymised_view", False))
        if self._anonymised:
            # Descriptions are researchers' text and may name people: typing a hidden name must not
            # find the code whose description holds it, so they are searched as this view shows them.
            texts = sorted({c.description for c in self._given if c.description})
            load_in_background(self, lambda: app.code_labels(texts), self._described, group="code-descriptions")
        if self.labels is None and self._anonymised:
            # An in-vivo code is the informant's words: listed as the anonymised view shows it.
            names = [c.name for c in self._given]
            load_in_background(self, lambda: app.code_labels(names), self._labelled, group="code-labels")
        else:
            self._labelled(self.labels or {})
        self.query_one(Input).focus()

    def _labelled(self, labels: Mapping[str, str]) -> None:
        """List the codes under the names this view shows; typing matches those, never a hidden name."""
        self.labels = labels
        self.recent = tuple(labels.get(name, name) for name in self.recent)
        self._shown_codes()

    def _described(self, descriptions: Mapping[str, str]) -> None:
        """The descriptions as this view shows them are known: typing may find them now."""
        self.descriptions = descriptions
        if self.labels is not None:
            self._shown_codes()

    def _shown_codes(self) -> None:
        labels = self.labels or {}
        self.codes = [replace(c, name=labels.get(c.name, c.name), description=self._description(c)) for c in self._given]
        self._refresh_options(self.query_one(Input).value)

    def _description(self, code: CodeInfo) -> str | None:
        """What typing may match of ``code``'s description: as shown, or nothing while that is unknown."""
        if not self._anonymised or not code.description:
            return code.description
        if self.descriptions is None:
            return None
        return self.descriptions.get(code.description, code.description)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._refresh_options(event.value)

    def _refresh_options(self, query: str) -> None:
        if self.labels is None:  # the names as shown are not known yet
            return
        options = self.query_one(OptionList)
        options.clear_options()
        scored = score_codes(query, self.codes, recent=self.recent)
        name = " ".join(query.split())
        exists = any(c.name.casefold() == name.casefold() for c in self.codes)
        items: list[Option] = []
        recent = set(self.recent) if not name else set()
        for code, _ in scored:
            key = f"  [{code.shortcut}]" if code.shortcut else ""
            # Text, not a markup string: "[g]" or a bracket in a code name must show as typed.
            label = Text(f"{code.name}{key}")
            if code.name in recent:
                label.append("  recent", style="dim")
            items.append(Option(label, id=f"code:{self._real.get(code.id, code.name)}"))
        if name and not exists and self.allow_new:
            # Always last: choosing it takes the arrows (or ctrl+n), never a reflex Enter.
            items.append(Option(Text(f"+ new open code «{name}»  (ctrl+n)"), id=f"{NEW_PREFIX}{name}"))
        options.add_options(items)
        # Enter applies the top code only when it is probably the one meant; a weak match is
        # listed but not highlighted, so a new name typed out is not filed under some other code.
        plausible = bool(scored) and (not name or scored[0][1] >= PLAUSIBLE)
        options.highlighted = 0 if plausible else None
        self._show_hint(None if plausible or not name else name)

    def _show_hint(self, unmatched: str | None) -> None:
        hint = self.query_one("#picker-hint", Label)
        if unmatched is None:
            text = "enter apply the highlighted code · ↑↓ choose"
            text += " · ctrl+n new open code as typed" if self.allow_new else ""
            hint.update(Text(text + " · esc cancel"))
        elif self.allow_new:
            hint.update(Text(f"no code close to «{unmatched}»: ctrl+n makes it a new open code, ↓ picks a listed one"))
        else:
            hint.update(Text(f"no code close to «{unmatched}»: ↓ picks a listed one"))

    def action_create(self) -> None:
        name = " ".join(self.query_one(Input).value.split())
        if name and self.allow_new:
            existing = next((c for c in self.codes if c.name.casefold() == name.casefold()), None)
            self.dismiss(PickedCode(self._real.get(existing.id, existing.name), False) if existing
                         else PickedCode(name, True))

    def action_cursor(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            if options.highlighted is None:  # nothing chosen yet: the first arrow goes to the top
                options.highlighted = 0
                return
            options.highlighted = max(0, min(options.option_count - 1, options.highlighted + delta))

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

    def __init__(self, known: Callable[[], list[str]]) -> None:
        """``known`` reads the coders the project knows; it runs in a worker once the prompt shows."""
        super().__init__()
        self._read_known = known
        self.known: list[str] = []
        """The known coders, once read."""

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Who is coding? (your codings are kept apart from the others')", id="picker-title")
            yield Input(placeholder="your name or initials", id="coder-input")
            hint = Label("", id="picker-hint")
            hint.display = False
            yield hint

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        load_in_background(self, self._read_known, self._show_known, group="known-coders")

    def _show_known(self, known: list[str]) -> None:
        self.known = known
        if known:
            hint = self.query_one("#picker-hint", Label)
            hint.update("Known coders: " + ", ".join(known))
            hint.display = True

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())


class TextPrompt(ModalScreen[str | None]):
    """One line of text: a new name."""

    BINDINGS = [Binding("escape", "dismiss(None)", "cancel")]

    def __init__(self, title: str, value: str = "", *, hint: str | None = None,
                 suggestions: Sequence[str] = ()) -> None:
        """``suggestions``: what typing may complete to (shown after the caret, → takes it)."""
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint
        self.suggestions = list(suggestions)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(self.title_text, id="picker-title", markup=False)
            if self.hint:
                yield Label(self.hint, id="picker-hint", markup=False)
            suggester = SuggestFromList(self.suggestions, case_sensitive=False) if self.suggestions else None
            yield Input(value=self.value, id="prompt-input", suggester=suggester)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(" ".join(event.value.split()) or None)


class MemoEditor(ModalScreen[str | None]):
    """A memo: its title names what it is about ("Memo on this coding of «x»", "Memo on the code
    «x»"), ``context`` shows the coded words. ctrl+s saves, Esc cancels; an empty memo clears it."""

    BINDINGS = [Binding("escape", "dismiss(None)", "cancel"), Binding("ctrl+s", "save", "save")]

    MIN_ROWS = 8
    """The fewest rows a placed editor is given: compact frame, title and words take 4, four lines to write in."""

    TEXT_ROWS = 9
    """Lines to write in when there is room (the stylesheet's height of ``#memo-text``)."""

    def __init__(self, title: str, text: str = "", *, context: str | None = None,
                 placement: PickerPlacement | None = None) -> None:
        """
        Args:
            title: what the memo is about.
            text: the memo so far.
            context: the coded words, shown above the memo.
            placement: the edge to open at and the rows it may take, beside the coded words
                (default: centred).
        """
        super().__init__()
        self.title_text = title
        self.text = text
        self.context = context
        self.placement = placement

    def compose(self) -> ComposeResult:
        from textual.widgets import TextArea

        compact = self.placement is not None and self.placement.rows < COMPACT_ROWS
        with Vertical(id="picker", classes="-compact" if compact else ""):
            yield Label(self.title_text + "   (ctrl+s saves, esc cancels)", id="picker-title")
            if self.context:
                words = " ".join(self.context.split())
                yield Label(Text(f"«{words[:120]}{'…' if len(words) > 120 else ''}»", style="italic"), id="picker-context")
            yield TextArea(self.text, id="memo-text", soft_wrap=True)

    def on_mount(self) -> None:
        from textual.widgets import TextArea

        area = self.query_one(TextArea)
        if self.placement is not None:
            self.styles.align_vertical = "top" if self.placement.edge == "top" else "bottom"
            box = self.query_one("#picker")
            box.styles.max_height = self.placement.rows
            # Frame, title and words take their rows (one line of words when compact); the memo the rest.
            fixed = 4 if box.has_class("-compact") else 8 + (min(3, len(self.context or "") // 60 + 1) if self.context else 0)
            area.styles.height = max(min(self.TEXT_ROWS, self.placement.rows - fixed), 3)
        area.focus()
        area.move_cursor(area.document.end)  # an existing memo is usually added to, at its end

    def action_save(self) -> None:
        from textual.widgets import TextArea

        self.dismiss(self.query_one(TextArea).text)
