"""A yes/no question in a modal: for actions that change much at once (auto-accept)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label


class ConfirmDialog(ModalScreen[bool]):
    """Ask before doing: y (or the Yes button) confirms; n, q, Esc or the No button cancels
    (q leaves every other screen, and a tester's "q q" here did nothing).

    The answer is the screen's result: True to go ahead, False to leave everything as it is.
    No has the focus at first, so an Enter pressed out of habit cancels a large change.
    """

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > #confirm {
        width: 70%; max-width: 80; height: auto; background: $panel; border: thick $warning; padding: 1 2;
    }
    ConfirmDialog #confirm-title { text-style: bold; margin-bottom: 1; }
    ConfirmDialog #confirm-body { margin-bottom: 1; width: 100%; }
    ConfirmDialog #confirm-buttons { height: auto; align-horizontal: right; }
    ConfirmDialog Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "yes"),
        Binding("n,q,escape", "answer(False)", "no"),
    ]

    def __init__(self, title: str, body: Content | str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Label(self.title_text, id="confirm-title")
            yield Label(self.body, id="confirm-body")
            with Horizontal(id="confirm-buttons"):
                # The keys on the buttons: Enter answers the focused one (No), which a tester
                # pressed to confirm and saw nothing happen.
                yield Button(f"{self.yes} (y)", id="confirm-yes", variant="warning")
                yield Button(f"{self.no} (n)", id="confirm-no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        """Close the dialog with the answer."""
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")
