"""A document's import details in a modal: format, clean-ups applied and warnings."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class ImportDetailsDialog(ModalScreen[None]):
    """Shows what the importer did to one document; Esc, q or i closes it."""

    DEFAULT_CSS = """
    ImportDetailsDialog { align: center middle; }
    ImportDetailsDialog > #details {
        width: 90%; max-width: 110; height: auto; max-height: 90%; background: $panel;
        border: thick $primary; padding: 0 1;
    }
    ImportDetailsDialog #details-title { text-style: bold; margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape,q,i", "dismiss", "close")]

    def __init__(self, title: str, lines: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="details"):
            yield Label(self.title_text, id="details-title", markup=False)
            body = Text()
            for n, (field, value) in enumerate(self.lines):
                if n:
                    body.append("\n")
                body.append(f"{field:<11} ", style="bold" if field == "warning" else "dim")
                body.append(value, style="yellow" if field == "warning" else "")
            yield Static(body, id="details-body")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
