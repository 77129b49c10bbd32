"""Reading and coding one transcript, in its original or its anonymised rendition.

The anonymised rendition is another text with other offsets: everything the view draws
(codings, turns, caret, selection) is mapped from the original through the rendition's offset
map, and everything the coder does there is mapped back before it reaches the services, so
codings are always stored against the original words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Label, Static

from codebench import services
from codebench.domain.codebook import in_vivo_name
from codebench.domain.records import CodeInfo
from codebench.domain.spans import Span
from codebench.services import anonymisation
from codebench.tui.background import load_in_background
from codebench.tui.screens.confirm import ConfirmDialog
from codebench.tui.screens.base import WorkbenchScreen
from codebench.tui.screens.picker import CodePicker, MemoEditor, PickedCode, PickerPlacement
from codebench.tui.widgets.history import HistoryPanel
from codebench.tui.widgets.stable_footer import StableFooter
from codebench.tui.widgets.transcript import SpanMark, TranscriptView


@dataclass(frozen=True)
class _Loaded:
    """What a transcript screen shows, fetched together off the UI thread."""

    doc: services.DocumentText
    rendition: services.Rendition | None
    spans: list[services.CodedSpanView]
    codes: list[CodeInfo]
    recent: list[str]


@dataclass(frozen=True)
class _Marks:
    """The codings (and the code tree the picker offers) after a change."""

    document_id: int
    rendition: services.Rendition | None
    spans: list[services.CodedSpanView]
    codes: list[CodeInfo]
    recent: list[str]


class DocumentScreen(WorkbenchScreen):
    """A transcript with its codings; select words and code them from the keyboard.

    The document, its codings and the code tree are fetched in a worker and kept on the
    screen, so keys (and the picker) never wait for the database; changes go through the
    app's queue of writes, one after another, and the codings are fetched again after each.
    """

    # Below 140 columns the side panel gives way to the stripes, which show the codes already.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]

    BINDINGS = [
        Binding("c", "code_selection", "code", tooltip="Apply a code to the selection (or the turn)"),
        Binding("v", "in_vivo", "in vivo", tooltip="Make an in-vivo code from the selected words"),
        Binding("t", "code_turn", "code turn", tooltip="Code the whole speaker turn under the caret"),
        Binding("x", "remove_coding", "remove", tooltip="Remove the newest of your codings under the caret", show=False),
        Binding("r", "recode", "recode", tooltip="Give the coding under the caret another code", show=False),
        Binding("m", "memo", "memo", tooltip="Write a memo on your coding under the caret", show=False),
        Binding("b", "toggle_stripes", "stripes",
                tooltip="Show or hide the coding stripes: each coding's code beside the text, by main category"),
        # One key, two bindings: the footer shows whichever rendition the key switches to.
        Binding("o", "rendition(True)", "anonymised", tooltip="Show the anonymised rendition", id="show-anonymised"),
        Binding("o", "rendition(False)", "original", tooltip="Show the original transcript", id="show-original"),
        Binding("a", "mark_name", "mark name", tooltip="Anonymise the selection (or the word under the caret) as a name"),
        Binding("ctrl+z,u", "undo", "undo", tooltip="Undo your last change; the view goes to where it acted"),
        Binding("ctrl+y,U", "redo", "redo", show=False, tooltip="Redo what you undid; the view goes to where it acted"),
        Binding("q,escape", "app.pop_screen", "back", tooltip="Back to the previous screen"),
    ]

    def __init__(self, document_id: int, *, position: int = 0, select_to: int | None = None) -> None:
        super().__init__()
        self.document_id = document_id
        self._wanted: tuple[int, int | None] = (position, select_to)
        """Where the caret goes (original offsets) once the document has arrived."""
        self.doc: services.DocumentText | None = None
        """The document on screen; None while it is being fetched."""
        self.rendition: services.Rendition | None = None  # None: the original is on screen
        self.codes: list[CodeInfo] = []
        """The code tree, for the picker (fetched with the codings)."""
        self.recent: list[str] = []
        """The coder's recent codes, newest first (the picker's first rows)."""
        self._here: tuple[str, ...] | None = None

    @property
    def anonymised(self) -> bool:
        """The anonymised rendition is on screen."""
        return self.rendition is not None

    @property
    def view(self) -> TranscriptView:
        """The transcript widget."""
        return self.query_one(TranscriptView)

    def _title(self) -> str:
        if self.doc is None:
            return "loading…"
        if self.rendition is not None:
            # The original title names the informant; the anonymised one names role and round.
            return f"{self.rendition.name} · anonymised · {self.doc.info.word_count} ord"
        info = self.doc.info
        # Case, role and round first: at 80 columns the end of the line is cut, and two rounds
        # of one informant differ only there.
        who = f"{info.participant.pid} {info.participant.role}" if info.participant else "no participant"
        round_ = f" r{info.round}" if info.round else ""
        return f"{who}{round_} · {info.name} · {info.word_count} ord"

    def show_document(self, document_id: int, *, position: int = 0, select_to: int | None = None) -> None:
        """Show another transcript in this (already composed) screen.

        The app keeps one transcript screen and reuses it: composing a screen costs more than
        loading a 20,000-word transcript into it.
        """
        self._status("")
        self.view.focus()
        if document_id == self.document_id and self.doc is not None:
            self._move_to_source(position, select_to)
            return
        self.document_id = document_id
        self._wanted = (position, select_to)
        self.doc = None
        self._load_document()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="reading"):
                yield Label(self._title(), id="doc-title")
                yield TranscriptView("", [], id="transcript")
                with Horizontal(id="status-bar"):
                    yield Label("", id="status")
                    yield Label("", id="undo-hint")
            with Vertical(id="side"):
                yield Label("Codes here", classes="side-title")
                yield Static("", id="here")
                yield Label("Your changes", classes="side-title")
                yield HistoryPanel(id="history")
        yield StableFooter()

    def on_mount(self) -> None:
        self.title = "codebench"
        self._show_stripes(self.workbench.show_stripes)
        self.view.focus()
        self._load_document()

    # -- loading -------------------------------------------------------------------------

    def _load_document(self) -> None:
        """Fetch the document, its rendition, codings and code tree in a worker."""
        project, document_id, coder = self.project, self.document_id, self.coder
        # Which coders are shown is asked in the worker too: with some hidden it reads the database.
        anonymised, visible_coders = self.workbench.show_anonymised, self.workbench.visible_coders

        def fetch() -> _Loaded:
            coders = visible_coders()
            doc = services.get_document(project, document_id)
            rendition = anonymisation.rendition(project, document_id) if anonymised else None
            return _Loaded(doc, rendition,
                           services.document_codings(project, document_id, coders=coders, anonymised=anonymised),
                           services.code_tree(project), services.recent_codes(project, coder))

        self.query_one("#doc-title", Label).update("loading…")
        load_in_background(self, fetch, self._document_loaded, group="document")

    def _document_loaded(self, loaded: _Loaded) -> None:
        if loaded.doc.info.id != self.document_id:
            return  # another document was asked for meanwhile
        self.doc, self.rendition = loaded.doc, loaded.rendition
        self.codes, self.recent = loaded.codes, loaded.recent
        turns = [(t.start, t.end, t.body_start, t.speaker) for t in loaded.doc.turns]
        text = loaded.doc.text
        if loaded.rendition is not None:
            offsets = loaded.rendition.offsets
            text = loaded.rendition.text
            turns = [(offsets.to_target(s), offsets.to_target(e, side="end"), offsets.to_target(b), speaker)
                     for s, e, b, speaker in turns]
        view = self.view
        view.set_text(text, turns)
        view.set_marks(self._mapped(loaded.spans))
        view.scroll_to(y=0, animate=False)
        self.query_one("#doc-title", Label).update(self._title())
        self.sub_title = f"coder: {self.coder} · {'anonymised' if self.anonymised else 'original'}"
        self.refresh_bindings()
        self._here = None
        self._move_to_source(*self._wanted)
        self._show_here(view.cursor)
        self.refresh_history()

    def _mapped(self, spans: list[services.CodedSpanView]) -> list[SpanMark]:
        """Codings as they lie in the rendition on screen."""
        if self.rendition is None:
            return spans
        to_view = self.rendition.offsets.span_to_target
        return [replace(s, start=shown.start, end=shown.end) for s in spans for shown in (to_view(Span(s.start, s.end)),)]

    def reload_marks(self, then: Callable[[], None] | None = None) -> None:
        """Fetch this document's codings again and redraw (mapped onto the rendition on screen)."""
        if self.doc is None:
            return
        project, document_id, coder, rendition = self.project, self.document_id, self.coder, self.rendition
        visible_coders = self.workbench.visible_coders

        def fetch() -> _Marks:
            coders = visible_coders()
            return _Marks(document_id, rendition,
                          services.document_codings(project, document_id, coders=coders, anonymised=rendition is not None),
                          services.code_tree(project), services.recent_codes(project, coder))

        def arrived(marks: _Marks) -> None:
            if marks.document_id != self.document_id or marks.rendition is not self.rendition:
                return  # the screen shows something else now; its own load brings its codings
            self.codes, self.recent = marks.codes, marks.recent
            self.view.set_marks(self._mapped(marks.spans))
            self._here = None
            self._show_here(self.view.cursor)
            if then is not None:
                then()

        load_in_background(self, fetch, arrived, group="marks")
        self.refresh_history()

    def refresh_history(self) -> None:
        """Fetch what the next undo would act on (the side panel and the status line say it)."""
        project, coder = self.project, self.coder
        load_in_background(self, lambda: services.coder_history(project, coder, limit=8), self._history_arrived,
                           group="history")

    def _history_arrived(self, history: services.CoderHistory) -> None:
        self.query_one(HistoryPanel).show(history)
        hint = self.query_one("#undo-hint", Label)
        hint.update(f"ctrl+z: {history.undo[0].description}" if history.undo else "")

    # -- renditions ----------------------------------------------------------------------

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
        view = self.view
        if select_to is None:
            view.move_to(self.to_view(position)[0])
            return
        start, end = self.to_view(min(position, select_to), max(position, select_to))
        view.move_to(end if position >= select_to else start, select_to=start if position >= select_to else end)

    def _shown(self, span: tuple[int, int]) -> str:
        """The words of an original span as the coder sees them (pseudonyms, not names)."""
        start, end = self.to_view(*span)
        return self.view.text[start:end]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the key for the rendition that is not on screen."""
        if action == "rendition":
            if not self.workbench.original_allowed:
                return False  # this coder codes the anonymised rendition only
            return bool(parameters and parameters[0]) != self.anonymised
        return True

    def action_rendition(self, anonymised: bool) -> None:
        """Switch between the original and the anonymised rendition, keeping the caret's place."""
        if self.doc is None:
            return
        view = self.view
        cursor = self.to_source(view.cursor, view.cursor)[0]
        anchor = self.to_source(view.anchor, view.anchor)[0] if view.anchor is not None else None
        self.workbench.show_anonymised = anonymised  # later transcripts follow
        self._wanted = (cursor, anchor)
        self._load_document()
        self._status("anonymised rendition: pseudonyms for accepted names" if anonymised else "original transcript")

    def action_toggle_stripes(self) -> None:
        """Show or hide the coding stripes (later transcripts follow)."""
        shown = not self.workbench.show_stripes
        self.workbench.show_stripes = shown
        self._show_stripes(shown)
        self._status("coding stripes on: codes beside the text (b hides them)" if shown else "coding stripes off")

    def _show_stripes(self, shown: bool) -> None:
        self.view.stripes = shown
        self.set_class(shown, "-stripes")

    def action_mark_name(self) -> None:
        """Mark the selection (or the word under the caret) as a name to anonymise."""
        if self.doc is None:
            return
        view = self.view
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
        shown = self._shown((start, end))
        project, document_id, coder = self.project, self.document_id, self.coder

        def marked(pseudonym: str) -> None:
            self._status(f"marked «{shown}» as {pseudonym}")
            if self.rendition is not None:
                self._wanted = (start, None)
                self._load_document()  # the rendition changed: a name became a pseudonym
            else:
                self._move_to_source(start, None)
            self.refresh_history()

        self.workbench.writes.submit(
            self, lambda: anonymisation.add_mention(project, document_id, start, end, coder=coder), marked)

    @on(TranscriptView.CursorMoved)
    def _moved(self, event: TranscriptView.CursorMoved) -> None:
        self._show_here(event.position)

    def _show_here(self, position: int) -> None:
        # A Static, not a ListView: this runs on every caret move, and mounting list items is slow.
        if not self.query_one("#side").display:
            self._here = None  # hidden beside the stripes: drawn when the panel shows again
            return
        marks = self.view.marks_at(position)
        key = tuple(mark.uuid for mark in marks)
        if key == self._here:
            return  # the same codings as before: nothing to redraw
        self._here = key
        lines = [Text.assemble(("▌ ", self._category_colour(mark)), f"{mark.code} ({mark.coder})") for mark in marks]
        # Its height is fixed in the stylesheet: no layout pass for the whole screen on a caret move.
        self.query_one("#here", Static).update(Text("\n").join(lines) if lines else Text("—", style="dim"),
                                               layout=False)

    def on_resize(self) -> None:
        # Crossing the breakpoint shows or hides the side panel: bring its "codes here" up to date.
        self.call_after_refresh(lambda: self._show_here(self.view.cursor))

    def _category_colour(self, mark: SpanMark) -> Style:
        return self.view.category_style(mark.category_rank)

    def _status(self, message: str) -> None:
        self.query_one("#status", Label).update(message)

    # -- coding actions ------------------------------------------------------------------

    def _target_span(self, whole_turn: bool = False) -> tuple[int, int] | None:
        """The span to code, in original offsets (whatever rendition is on screen)."""
        if self.doc is None:
            return None
        view = self.view
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

    def picker_placement(self, span: tuple[int, int]) -> PickerPlacement:
        """Scroll the words being coded near an edge of the view and keep the picker off them.

        The picker opens below the words when there is more room there, above them otherwise,
        and never taller than that room: the coder sees what is being coded while choosing.
        """
        view = self.view
        start, end = self.to_view(*span)
        first, last = view.line_of(start), view.line_of(max(start, end - 1))
        shown = min(last - first + 1, 3)  # of a long passage, its first lines are enough
        top = view.scroll_offset.y
        height = max(view.size.height, 1)
        if first < top or first + shown > top + height // 2:
            view.scroll_line_to(first, 1)  # the words near the top, the room below them
        top = view.scroll_offset.y
        row = view.region.y + (first - top)
        below = self.size.height - 1 - (row + shown)  # the footer stays visible
        above = row
        if below >= above:
            return PickerPlacement("bottom", max(below, 6))
        return PickerPlacement("top", max(above - 1, 6))

    def _pick_and_apply(self, span: tuple[int, int], title: str) -> None:
        def apply(picked: PickedCode | None) -> None:
            if picked is None:
                return
            self.apply(span, picked.name, origin="open")

        # The words as on screen (pseudonyms in the anonymised rendition): the picker must not
        # hide what is being coded, nor show a name the screen does not.
        self.app.push_screen(CodePicker(self.codes, title=title, context=self._shown(span), recent=self.recent,
                                        placement=self.picker_placement(span)), apply)

    def apply(self, span: tuple[int, int], code: str, *, origin: str) -> None:
        """Apply ``code`` to ``span`` for this coder and redraw (shared by keys and palette).

        The coding is written by the app's queue of writes; the codings are fetched again when
        it is stored.
        """
        project, document_id, coder = self.project, self.document_id, self.coder
        words = self._shown(span)
        self.view.anchor = None

        def coded(_: object) -> None:
            self.reload_marks()
            self._status(f"coded «{words[:40]}…» as {code}")

        self.workbench.writes.submit(
            self, lambda: services.apply_code(project, document_id, span[0], span[1], code, coder, create=origin), coded)

    def action_code_selection(self) -> None:
        span = self._target_span()
        if span:
            self._pick_and_apply(span, "Code the selection" if self.view.selection else "Code the turn")

    def action_code_turn(self) -> None:
        span = self._target_span(whole_turn=True)
        if span:
            self._pick_and_apply(span, "Code the whole turn")

    def action_in_vivo(self) -> None:
        view = self.view
        if not view.selection:
            self.notify("Select the informant's words first (shift+arrows)", severity="warning")
            return
        span = self._target_span()
        if span is None:
            return
        # From the words on screen: an in-vivo code made in the anonymised view carries no name.
        name = in_vivo_name(self._shown(span))
        self.apply(span, name, origin="in-vivo")

    def _my_mark_here(self) -> SpanMark | None:
        view = self.view
        mine = [m for m in view.marks_at(view.cursor) if m.coder == self.coder]
        return mine[-1] if mine else None

    def action_remove_coding(self) -> None:
        mark = self._my_mark_here()
        if mark is None:
            self.notify("None of your codings is under the caret", severity="warning")
            return
        project, coder = self.project, self.coder

        def removed(_: object) -> None:
            self.reload_marks()
            self._status(f"removed {mark.code}")

        def remove(with_memo: bool) -> None:
            self.workbench.writes.submit(
                self, lambda: services.remove_coding(project, mark.uuid, coder, with_memo=with_memo), removed)

        if not (mark.memo and mark.memo.strip()):
            remove(False)
            return
        # The memo goes with the coding: never without the coder saying so (undo brings both back).
        memo = " ".join(mark.memo.split())
        self.app.push_screen(ConfirmDialog(f"Remove «{mark.code}» and its memo?",
                                           f"«{memo[:300]}»\n\nThe memo says why these words carry the code; "
                                           "it goes with the coding (ctrl+z brings both back).", yes="Remove both"),
                             lambda yes: remove(True) if yes else None)

    def action_recode(self) -> None:
        mark = self._my_mark_here()
        if mark is None:
            self.notify("None of your codings is under the caret", severity="warning")
            return

        self.workbench.pick_and_recode(mark.uuid, mark.code, self.reload_marks, codes=self.codes)

    def action_memo(self) -> None:
        mark = self._my_mark_here()
        if mark is None:
            self.notify("None of your codings is under the caret", severity="warning")
            return
        current = mark.memo  # fetched with the codings

        def save(text: str | None) -> None:
            if text is not None:
                project, coder = self.project, self.coder

                def saved(_: object) -> None:
                    self._status(f"memo saved on {mark.code}")
                    self.reload_marks()

                self.workbench.writes.submit(
                    self, lambda: services.set_coding_memo(project, mark.uuid, text or None, coder), saved)

        self.app.push_screen(MemoEditor(f"Memo on «{mark.code}»", current or ""), save)

    def action_undo(self) -> None:
        self.workbench.history_step("undo")

    def action_redo(self) -> None:
        self.workbench.history_step("redo")

    def show_operation(self, item: services.HistoryItem, done: str) -> None:
        """After an undo or redo: say what it did and show where (a span of this or another transcript)."""
        self._status(f"{done} {item.description}")
        place = item.place
        if place.document_id is None or place.start is None:
            self.reload_marks()
            return
        end = place.end if place.end is not None else place.start
        if place.document_id != self.document_id:
            self.show_document(place.document_id, position=end, select_to=place.start)
            self._status(f"{done} {item.description}")
            return
        self.reload_marks(then=lambda: self._move_to_source(end, place.start))
