"""A small editor over one turn (or the selected words of it): words, speaker label, times."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, TextArea


@dataclass(frozen=True)
class TurnEdit:
    """What the coder saved: the words, and for a whole turn its speaker and times (text as typed)."""

    text: str
    speaker: str | None = None
    t_start: str | None = None
    t_end: str | None = None
    all_turns: bool = False
    """The new speaker is for every turn of the old one (one rename), not this turn alone."""


def format_time(seconds: float | None) -> str:
    """A turn time as the editor shows it (``m:ss.s``), empty for none."""
    if seconds is None:
        return ""
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:04.1f}"


def parse_time(value: str) -> float | None:
    """A time typed as seconds, ``m:ss`` or ``h:mm:ss`` (empty: none).

    Raises:
        ValueError: not a time.
    """
    text = value.strip()
    if not text:
        return None
    parts = [float(p) for p in text.split(":")]
    if len(parts) > 3 or any(p < 0 for p in parts):
        raise ValueError(value)
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


class TurnEditor(ModalScreen[TurnEdit | None]):
    """Correct a turn: ctrl+s saves, Esc leaves everything as it was.

    With ``whole_turn`` the speaker label and the turn's times are offered too; over a selection
    only the selected words are edited.
    """

    DEFAULT_CSS = """
    TurnEditor { align: center middle; }
    TurnEditor > #turn-editor {
        width: 90%; max-width: 110; height: auto; max-height: 90%; background: $panel; border: thick $primary;
        padding: 0 1;
    }
    TurnEditor #turn-editor-title { text-style: bold; }
    TurnEditor TextArea { height: 10; min-height: 3; }
    TurnEditor #turn-fields { height: auto; }
    TurnEditor #turn-fields Input { width: 1fr; }
    TurnEditor #turn-all { border: none; padding: 0; }
    TurnEditor #turn-editor-hint { color: $text-muted; }
    TurnEditor #turn-editor-buttons { height: auto; align-horizontal: right; }
    TurnEditor Button { margin-left: 2; min-width: 10; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "save", priority=True),
        Binding("escape", "cancel", "cancel"),
        # Textual's text area has no keys for its first and last word; a correction often adds
        # words at the end of a turn.
        Binding("ctrl+home", "text_edge('start')", "start of the words"),
        Binding("ctrl+end", "text_edge('end')", "end of the words"),
        # Listening while correcting: function keys, which the text area leaves alone.
        Binding("f5", "listen('play')", "play turn", priority=True),
        Binding("f6", "listen('pause')", "pause", priority=True),
        Binding("f7", "listen('back')", "back 3 s", priority=True),
    ]

    def __init__(self, title: str, text: str, *, whole_turn: bool, speaker: str | None = None,
                 t_start: float | None = None, t_end: float | None = None,
                 listen: Callable[[str], None] | None = None, speaker_turns: int = 0) -> None:
        """Args:
            listen: plays the recording while the editor is open ("play" the turn, "pause", go "back").
            speaker_turns: how many turns of the document the speaker has; with more than one, a
                checkbox renames the speaker in all of them.
        """
        super().__init__()
        self.speaker_turns = speaker_turns
        self.listen = listen
        self.title_text = title
        self.text = text
        self.whole_turn = whole_turn
        self.speaker = speaker
        self.t_start = t_start
        self.t_end = t_end

    def compose(self) -> ComposeResult:
        with Vertical(id="turn-editor"):
            yield Label(self.title_text, id="turn-editor-title")
            yield TextArea(self.text, id="turn-text", soft_wrap=True, show_line_numbers=False)
            if self.whole_turn:
                with Horizontal(id="turn-fields"):
                    yield Input(self.speaker or "", placeholder="speaker", id="turn-speaker")
                    yield Input(format_time(self.t_start), placeholder="start m:ss", id="turn-start")
                    yield Input(format_time(self.t_end), placeholder="end m:ss", id="turn-end")
                if self.speaker and self.speaker_turns > 1:
                    yield Checkbox(f"rename the speaker in all {self.speaker_turns} of their turns", id="turn-all")
            listening = " · F5 play · F6 pause · F7 back 3 s" if self.listen else ""
            yield Label(f"ctrl+s save · Esc cancel · ctrl+home/ctrl+end first/last word{listening}",
                        id="turn-editor-hint")
            with Horizontal(id="turn-editor-buttons"):
                yield Button("Save", id="turn-save", variant="primary")
                yield Button("Cancel", id="turn-cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        """Close with what was typed (the workbench checks and stores it)."""
        text = self.query_one("#turn-text", TextArea).text
        if not self.whole_turn:
            self.dismiss(TurnEdit(text))
            return
        every = self.query("#turn-all")
        self.dismiss(TurnEdit(text, self.query_one("#turn-speaker", Input).value,
                              self.query_one("#turn-start", Input).value, self.query_one("#turn-end", Input).value,
                              all_turns=bool(every) and every.first(Checkbox).value))

    def action_text_edge(self, edge: str) -> None:
        """Put the caret before the first word or after the last one."""
        area = self.query_one("#turn-text", TextArea)
        area.focus()
        area.move_cursor((0, 0) if edge == "start" else area.document.end)

    def action_listen(self, what: str) -> None:
        """Play, pause or go back in the recording without leaving the editor."""
        if self.listen is not None:
            self.listen(what)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "turn-save":
            self.action_save()
        else:
            self.action_cancel()
