"""Which kind of identifier a hand-marked span is: a person, a workplace, a place, a NAV office,
an address."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

# (kind, what the researcher reads, its key): the kinds a span marked by hand can be. The
# pseudonyms show their shape with "N": a real number ("[NAV-kontor 1]") read as the entity the
# mark would join, and a tester expected it to.
KINDS = (("PER", "Person  [Person N]", "p"), ("ORG", "Workplace  [Arbeidsplass N]", "w"),
         ("LOC", "Place  [Sted N]", "l"), ("NAV_OFFICE", "NAV office  [NAV-kontor N]", "n"),
         # a street address a detector took for a person ("ullernchausseen hundreogtre"; a tester's)
         ("ADDRESS", "Address  [Adresse N]", "a"),
         ("INDIRECT", "Other identifying detail  [Opplysning N]", "o"))


class KindPicker(ModalScreen[str | None]):
    """Pick the kind of what is marked; the result is the kind (``"ORG"`` …), None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "cancel")] + [
        Binding(key, f"pick('{kind}')", label.split("  ")[0].lower(), show=False) for kind, label, key in KINDS]

    def __init__(self, what: str, *, title: str | None = None, exclude: str | None = None) -> None:
        super().__init__()
        self.what = what
        self.title_text = title or f"Anonymise «{what}» as"
        self.exclude = exclude  # the kind it is now, when an entity's kind is changed

    def compose(self) -> ComposeResult:
        with Vertical(id="kind-picker"):
            yield Label(self.title_text, id="kind-title")
            yield OptionList(*(Option(f"{key}  {label}", id=kind) for kind, label, key in KINDS
                               if kind != self.exclude), id="kinds")

    def action_pick(self, kind: str) -> None:
        """Close with this kind (the kind it is now closes without a change)."""
        self.dismiss(None if kind == self.exclude else kind)

    def action_cancel(self) -> None:
        """Close without marking anything."""
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#kinds")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
