"""The coder's recent changes, newest first, with what ctrl+z and ctrl+y would act on."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from codebench import services


class HistoryPanel(Static):
    """A short list of the coder's own operations: the next undo first, the next redo after.

    Each coder has their own history, so the panel never lists another coder's work, and the
    first line is exactly what the next ctrl+z takes back (and where).
    """

    DEFAULT_CSS = """
    HistoryPanel { height: auto; color: $text-muted; }
    """

    def show(self, history: services.CoderHistory) -> None:
        """Draw the undo and redo stacks (newest first)."""
        lines: list[Text] = []
        for i, item in enumerate(history.undo):
            if i == 0:
                lines.append(Text.assemble(("ctrl+z ", "bold"), (item.description, "")))
            else:
                lines.append(Text(f"  {item.description}", style="dim"))
        if history.redo:
            lines.append(Text.assemble(("ctrl+y ", "bold"), (history.redo[0].description, "italic")))
        self.update(Text("\n").join(lines) if lines else Text("nothing to undo yet", style="dim"))
