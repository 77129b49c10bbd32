"""Reading and coding one transcript, in its original or its anonymised rendition.

The anonymised rendition is another text with other offsets: everything the view draws
(codings, turns, caret, selection) is mapped from the original through the rendition's offset
map, and everything the coder does there is mapped back before it reaches the services, so
codings are always stored against the original words.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Label, Static

from codebench import services
from codebench.domain.codebook import in_vivo_name
from codebench.domain.spans import Span
from codebench.services import anonymisation
from codebench.tui.screens.base import WorkbenchScreen
from codebench.tui.screens.picker import CodePicker, MemoEditor, PickedCode
from codebench.tui.widgets.stable_footer import StableFooter
from codebench.tui.widgets.transcript import SpanMark, TranscriptView


class DocumentScreen(WorkbenchScreen):
    """A transcript with its codings; select words and code them from the keyboard."""

    BINDINGS = [
        Binding("c", "code_selection", "code", tooltip="Apply a code to the selection (or the turn)"),
        Binding("v", "in_vivo", "in vivo", tooltip="Make an in-vivo code from the selected words"),
        Binding("t", "code_turn", "code turn", tooltip="Code the whole speaker turn under the caret"),
        Binding("x", "remove_coding", "remove", tooltip="Remove the newest of your codings under the caret", show=False),
        Binding("r", "recode", "recode", tooltip="Give the coding under the caret another code", show=False),
        Binding("m", "memo", "memo", tooltip="Write a memo on your coding under the caret", show=False),
        # One key, two bindings: the footer shows whichever rendition the key switches to.
        Binding("o", "rendition(True)", "anonymised", tooltip="Show the anonymised rendition", id="show-anonymised"),
        Binding("o", "rendition(False)", "original", tooltip="Show the original transcript", id="show-original"),
        Binding("a", "mark_name", "mark name", tooltip="Anonymise the selection (or the word under the caret) as a name"),
        Binding("ctrl+z,u", "undo", "undo"),
        Binding("ctrl+y,U", "redo", "redo", show=False),
        Binding("q,escape", "app.pop_screen", "back"),
    ]

    def __init__(self, document_id: int, *, position: int = 0, select_to: int | None = None) -> None:
        super().__init__()
        self.document_id = document_id
        self.start_position = position
        self.start_select = select_to
        self.doc = services.get_document(self.project, document_id)
        self.rendition: services.Rendition | None = None  # None: the original is on screen


    @property
    def anonymised(self) -> bool:
        """The anonymised rendition is on screen."""
        return self.rendition is not None

    def _title(self) -> str:
        if self.rendition is not None:
            # The original title names the informant; the anonymised one names role and round.
            return f"{self.rendition.name} · anonymised · {self.doc.info.word_count} ord"
        info = self.doc.info
        who = f"{info.participant.pid} {info.participant.role}" if info.participant else "no participant"
        round_ = f" r{info.round}" if info.round else ""
        return f"{info.name} · {who}{round_} · {info.word_count} ord"

    def show_document(self, document_id: int, *, position: int = 0, select_to: int | None = None) -> None:
        """Show another transcript in this (already composed) screen.

        The app keeps one transcript screen and reuses it: composing a screen costs more than
        loading a 20,000-word transcript into it.
        """
        self.document_id = document_id
        self.doc = services.get_document(self.project, document_id)
        self._load_rendition(self.workbench.show_anonymised)
        view = self.query_one(TranscriptView)
        view.scroll_to(y=0, animate=False)
        self._status("")
        view.focus()
        self._move_to_source(position, select_to)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="reading"):
                yield Label(self._title(), id="doc-title")
                yield TranscriptView("", [], id="transcript")
            with Vertical(id="side"):
                yield Label("Codes here", classes="side-title")
                yield Static("", id="here")
                yield Static("", id="status")
        yield StableFooter()

    def on_mount(self) -> None:
        self.title = "codebench"
        self._load_rendition(self.workbench.show_anonymised)
        self.query_one(TranscriptView).focus()
        self._move_to_source(self.start_position, self.start_select)

    def reload_marks(self) -> None:
        """Fetch this document's codings again and redraw (mapped onto the rendition on screen)."""
        spans = services.document_codings(self.project, self.document_id, coders=self.workbench.visible_coders())
        if self.rendition is not None:
            to_view = self.rendition.offsets.span_to_target
            spans = [replace(s, start=shown.start, end=shown.end)
                     for s in spans for shown in (to_view(Span(s.start, s.end)),)]
        self.query_one(TranscriptView).set_marks(spans)
        self._show_here(self.query_one(TranscriptView).cursor)

    # -- renditions ----------------------------------------------------------------------

    def _load_rendition(self, anonymised: bool) -> None:
        """Put the original or the anonymised text in the view, with turns and codings mapped."""
        self.rendition = anonymisation.rendition(self.project, self.document_id) if anonymised else None
        turns = [(t.start, t.end, t.body_start, t.speaker) for t in self.doc.turns]
        text = self.doc.text
        if self.rendition is not None:
            offsets = self.rendition.offsets
            text = self.rendition.text
            turns = [(offsets.to_target(s), offsets.to_target(e, side="end"), offsets.to_target(b), speaker)
                     for s, e, b, speaker in turns]
        self.query_one(TranscriptView).set_text(text, turns)
        self.query_one("#doc-title", Label).update(self._title())
        self.sub_title = f"coder: {self.coder} · {'anonymised' if self.anonymised else 'original'}"
        self.reload_marks()
        self.refresh_bindings()

    def to_view(self, start: int, end: int | None = None) -> tuple[int, int]:
        """An original span (or position) as it lies in the rendition on screen."""
        end = start if end is None else end
        if self.rendition is None:
            return start, end
        shown = self.rendition.offsets.span_to_target(Span(start, end))
        return shown.start, shown.end

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """A span of the rendition on screen in original offsets (widened over pseudonyms)."""
        if self.rendition is None:
            return start, end
        source = self.rendition.offsets.span_to_source(Span(start, end))
        return source.start, source.end

    def _move_to_source(self, position: int, select_to: int | None) -> None:
        """Put the caret at an original position (selecting from another), wherever it shows."""
        view = self.query_one(TranscriptView)
        if select_to is None:
            view.move_to(self.to_view(position)[0])
            return
        start, end = self.to_view(min(position, select_to), max(position, select_to))
        view.move_to(end if position >= select_to else start, select_to=start if position >= select_to else end)

    def _shown(self, span: tuple[int, int]) -> str:
        """The words of an original span as the coder sees them (pseudonyms, not names)."""
        start, end = self.to_view(*span)
        return self.query_one(TranscriptView).text[start:end]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the key for the rendition that is not on screen."""
        if action == "rendition":
            if not self.workbench.original_allowed:
                return False  # this coder codes the anonymised rendition only
            return bool(parameters and parameters[0]) != self.anonymised
        return True

    def action_rendition(self, anonymised: bool) -> None:
        """Switch between the original and the anonymised rendition, keeping the caret's place."""
        view = self.query_one(TranscriptView)
        cursor = self.to_source(view.cursor, view.cursor)[0]
        anchor = self.to_source(view.anchor, view.anchor)[0] if view.anchor is not None else None
        self.workbench.show_anonymised = anonymised  # later transcripts follow
        self._load_rendition(anonymised)
        self._move_to_source(cursor, anchor)
        self._status("anonymised rendition: pseudonyms for accepted names" if anonymised else "original transcript")

    def action_mark_name(self) -> None:
        """Mark the selection (or the word under the caret) as a name to anonymise."""
        view = self.query_one(TranscriptView)
        if view.selection:
            start, end = view.selection
        else:
            start = end = view.cursor
            text = view.text
            while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-'"):
                start -= 1
            while end < len(text) and (text[end].isalnum() or text[end] in "-'"):
                end += 1
        start, end = self.to_source(start, end)
        text = self.doc.text
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not text[end - 1].isalnum():
            end -= 1
        if end <= start:
            self.notify("Select the name first (shift+arrows), or put the caret on it", severity="warning")
            return
        try:
            pseudonym = anonymisation.add_mention(self.project, self.document_id, start, end, coder=self.coder)
        except services.ServiceError as exc:
            self.notify(str(exc), severity="error")
            return
        shown = self._shown((start, end))
        caret = start
        if self.rendition is not None:
            self._load_rendition(True)  # the rendition changed: a name became a pseudonym
        self._move_to_source(caret, None)
        self._status(f"marked «{shown}» as {pseudonym}")

    @on(TranscriptView.CursorMoved)
    def _moved(self, event: TranscriptView.CursorMoved) -> None:
        self._show_here(event.position)

    def _show_here(self, position: int) -> None:
        # A Static, not a ListView: this runs on every caret move, and mounting list items is slow.
        marks = self.query_one(TranscriptView).marks_at(position)
        lines = [Text.assemble(("▌ ", mark.colour or ""), f"{mark.code} ({mark.coder})") for mark in marks]
        self.query_one("#here", Static).update(Text("\n").join(lines) if lines else Text("—", style="dim"))

    def _status(self, message: str) -> None:
        self.query_one("#status", Static).update(message)

    # -- coding actions ------------------------------------------------------------------

    def _target_span(self, whole_turn: bool = False) -> tuple[int, int] | None:
        """The span to code, in original offsets (whatever rendition is on screen)."""
        view = self.query_one(TranscriptView)
        if not whole_turn and view.selection:
            start, end = view.selection
        else:
            turn = view.turn_index(view.cursor)
            if turn is None:
                return None
            _, end, start, _ = view.turns[turn]
        start, end = self.to_source(start, end)
        # Coded words never start or end with white space.
        text = self.doc.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    def _pick_and_apply(self, span: tuple[int, int], title: str) -> None:
        codes = services.code_tree(self.project)

        def apply(picked: PickedCode | None) -> None:
            if picked is None:
                return
            self.apply(span, picked.name, origin="open")

        # The words as on screen (pseudonyms in the anonymised rendition): the picker must not
        # hide what is being coded, nor show a name the screen does not.
        self.app.push_screen(CodePicker(codes, title=title, context=self._shown(span),
                                        recent=services.recent_codes(self.project, self.coder)), apply)

    def apply(self, span: tuple[int, int], code: str, *, origin: str) -> None:
        """Apply ``code`` to ``span`` for this coder and redraw (shared by keys and palette)."""
        try:
            services.apply_code(self.project, self.document_id, span[0], span[1], code, self.coder, create=origin)
        except services.ServiceError as exc:
            self.notify(str(exc), severity="error")
            return
        view = self.query_one(TranscriptView)
        view.anchor = None
        self.reload_marks()
        self._status(f"coded «{self._shown(span)[:40]}…» as {code}")

    def action_code_selection(self) -> None:
        span = self._target_span()
        if span:
            self._pick_and_apply(span, "Code the selection" if self.query_one(TranscriptView).selection else "Code the turn")

    def action_code_turn(self) -> None:
        span = self._target_span(whole_turn=True)
        if span:
            self._pick_and_apply(span, "Code the whole turn")

    def action_in_vivo(self) -> None:
        view = self.query_one(TranscriptView)
        if not view.selection:
            self.notify("Select the informant's words first (shift+arrows)", severity="warning")
            return
        span = self._target_span()
        assert span is not None
        # From the words on screen: an in-vivo code made in the anonymised view carries no name.
        name = in_vivo_name(self._shown(span))
        self.apply(span, name, origin="in-vivo")

    def _my_mark_here(self) -> SpanMark | None:
        view = self.query_one(TranscriptView)
        mine = [m for m in view.marks_at(view.cursor) if m.coder == self.coder]
        return mine[-1] if mine else None

    def action_remove_coding(self) -> None:
        mark = self._my_mark_here()
        if mark is None:
            self.notify("None of your codings is under the caret", severity="warning")
            return
        try:
            services.remove_coding(self.project, mark.uuid, self.coder)
        except services.ServiceError as exc:
            self.notify(str(exc), severity="error")
            return
        self.reload_marks()
        self._status(f"removed {mark.code}")

    def action_recode(self) -> None:
        mark = self._my_mark_here()
        if mark is None:
            self.notify("None of your codings is under the caret", severity="warning")
            return

        self.workbench.pick_and_recode(mark.uuid, mark.code, self.reload_marks)

    def action_memo(self) -> None:
        mark = self._my_mark_here()
        if mark is None:
            self.notify("None of your codings is under the caret", severity="warning")
            return
        current = next((s.memo for s in services.document_codings(self.project, self.document_id) if s.uuid == mark.uuid), None)

        def save(text: str | None) -> None:
            if text is not None:
                try:
                    services.set_coding_memo(self.project, mark.uuid, text or None, self.coder)
                except services.ServiceError as exc:
                    self.notify(str(exc), severity="error")
                    return
                self._status(f"memo saved on {mark.code}")

        self.app.push_screen(MemoEditor(f"Memo on «{mark.code}»", current or ""), save)

    def action_undo(self) -> None:
        try:
            entry = services.undo(self.project, self.coder)
        except services.ServiceError as exc:
            self.notify(f"cannot undo: {exc}", severity="error")
            return
        self.reload_marks()
        self._status(f"undid {services.describe_operation(entry, self.project)}" if entry else "nothing to undo")

    def action_redo(self) -> None:
        try:
            entry = services.redo(self.project, self.coder)
        except services.ServiceError as exc:
            self.notify(f"cannot redo: {exc}", severity="error")
            return
        self.reload_marks()
        self._status(f"redid {services.describe_operation(entry, self.project)}" if entry else "nothing to redo")
