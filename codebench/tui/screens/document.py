"""Reading and coding one transcript, in its original or its anonymised rendition.

The anonymised rendition is another text with other offsets: everything the view draws
(codings, turns, caret, selection) is mapped from the original through the rendition's offset
map, and everything the coder does there is mapped back before it reaches the services, so
codings are always stored against the original words.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, replace
from typing import Callable, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.content import Content
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Label, Static

from codebench import services
from codebench.domain.codebook import in_vivo_name
from codebench.domain.editing import FLAG_WORDS
from codebench.domain.records import CodeInfo
from codebench.domain.spans import Span
from codebench.services import anonymisation
from codebench.tui.background import load_in_background
from codebench.tui.screens.base import WorkbenchScreen
from codebench.tui.screens.confirm import ConfirmDialog
from codebench.tui.screens.edit_turn import TurnEdit, TurnEditor, parse_time
from codebench.tui.screens.kind_picker import KindPicker
from codebench.tui.screens.picker import CodePicker, MemoEditor, PickedCode, PickerPlacement
from codebench.tui.widgets.history import HistoryPanel
from codebench.tui.widgets.reveal import reveal
from codebench.tui.widgets.stable_footer import StableFooter
from codebench.tui.widgets.transcript import SpanMark, TranscriptView


def refreeze() -> None:
    """Collect what frozen objects have become garbage, then freeze what is still alive.

    Freezing keeps long-lived objects out of full garbage collections (see the transcript's
    load); they become garbage in turn when another transcript replaces them.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


@dataclass(frozen=True)
class _Loaded:
    """What a transcript screen shows, fetched together off the UI thread."""

    doc: services.DocumentText
    rendition: services.Rendition | None
    spans: list[services.CodedSpanView]
    codes: list[CodeInfo]
    recent: list[str]
    media: services.media.Linked | None
    """The recording linked to the document (None: none)."""
    labels: dict[str, str]
    """Code name -> what this coder is shown (the app's ``code_labels``)."""
    version: tuple[object, ...]
    """The document's ``services.document_version``, read before the codings."""
    masking: str = ""
    """With a rendition: where the project's anonymisation stands (``de-identified``, ``not
    anonymised: 17 to review``), which the title says beside it."""
    masked: tuple[tuple[Span, ...], tuple[Span, ...]] = ((), ())
    """Without a rendition (the original view): the spans an export masks, decided and open."""


@dataclass(frozen=True)
class _Marks:
    """The codings (and the code tree the picker offers) after a change."""

    document_id: int
    rendition: services.Rendition | None
    spans: list[services.CodedSpanView]
    codes: list[CodeInfo]
    recent: list[str]
    labels: dict[str, str]
    """Code name -> what this coder is shown (the app's ``code_labels``)."""
    version: tuple[object, ...]
    """The document's ``services.document_version``, read before the codings."""


_MASKED_MEMO = "This memo names people: switch to the original (o) to edit it, so that no name is overwritten"
_MASKED_MEMO_NO_ORIGINALS = ("This memo names people you are not shown; a coder allowed to see names can edit it "
                             "(writing here would put pseudonyms over the names)")


class DocumentScreen(WorkbenchScreen):
    """A transcript with its codings; select words and code them from the keyboard.

    The document, its codings and the code tree are fetched in a worker and kept on the
    screen, so keys (and the picker) never wait for the database; changes go through the
    app's queue of writes, one after another, and the codings are fetched again after each.

    Other processes write the project too (coders at a shared server, a script): what the
    screen keeps would then go stale, and a transcript reopened in the reused screen showed
    the codings of the first time it was opened until the app was restarted. So the screen
    notes the document's ``services.document_version`` with what it fetched, compares it when
    the transcript is shown again and every ``CHANGE_CHECK_SECONDS`` while it is on screen (a
    few aggregates, about a millisecond), and fetches the codings (or, for corrected words, the
    text) again only when it differs; the caret and the selection stay where they are.
    """

    CHANGE_CHECK_SECONDS: ClassVar[float] = 3.0
    """How often an open transcript asks whether another process changed its codings."""

    # Below 140 columns the side panel gives way to the stripes, which show the codes already.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]

    BINDINGS = [
        Binding("c", "code_selection", "code", tooltip="Apply a code to the selection (or the turn)"),
        Binding("v", "in_vivo", "in vivo", tooltip="Make an in-vivo code from the selected words"),
        Binding("t", "code_turn", "code turn", tooltip="Code the whole speaker turn under the caret"),
        Binding("x", "remove_coding", "remove", tooltip="Remove the newest of your codings under the caret", show=False),
        Binding("r", "recode", "recode", tooltip="Give the coding under the caret another code", show=False),
        Binding("m", "memo", "memo", tooltip="Write a memo on your coding under the caret (why these words carry this code)",
                show=False),
        Binding("M", "document_memo", "document memo", tooltip="Write a memo on this document", show=False),
        Binding("S", "toggle_stripes", "stripes",
                tooltip="Show or hide the coding stripes: each coding's code beside the text, by main category"),
        # One key, two bindings: the footer shows whichever rendition the key switches to.
        Binding("o", "rendition(True)", "anonymised", tooltip="Show the anonymised rendition", id="show-anonymised"),
        Binding("o", "rendition(False)", "original", tooltip="Show the original transcript", id="show-original"),
        Binding("a", "mark_name", "mark name", tooltip="Anonymise the selection (or the word under the caret) as a name"),
        Binding("A", "mark_as", "mark as…", show=False,
                tooltip="Anonymise the selection as a workplace, place, NAV office or other detail (asks which)"),
        Binding("e", "edit", "edit", tooltip="Correct the turn under the caret (or the selected words): words, speaker, times"),
        # The same keys for a coder who may not see original names: out of the footer (offered,
        # they were always refused), but pressed they still say why (silent keys left a tester guessing).
        Binding("a", "not_yours('mark')", "mark name", show=False,
                tooltip="Needs a coder allowed to see original names; write a memo (m) for the reviewer"),
        Binding("A", "not_yours('mark')", "mark as…", show=False,
                tooltip="Needs a coder allowed to see original names; write a memo (m) for the reviewer"),
        Binding("e", "not_yours('edit')", "edit", show=False,
                tooltip="Correcting the words needs a coder allowed to see original names"),
        Binding("k", "check_coding", "checked", tooltip="Mark your flagged coding under the caret as checked", show=False),
        Binding("f", "next_flagged", "next to check", tooltip="Go to the next coding flagged for checking", show=False),
        Binding("p", "play_turn", "play turn", tooltip="Play the turn under the caret from the recording", show=False),
        Binding("space", "play_pause", "play/pause", tooltip="Pause or resume the recording", show=False),
        Binding("b", "replay", "back 3 s", tooltip="Play the last three seconds again", show=False),
        Binding("P", "follow_caret", "play follows caret", tooltip="Play each turn the caret moves into (on/off)",
                show=False),
        Binding("ctrl+z,u", "undo", "undo", tooltip="Undo your last change; the view goes to where it acted"),
        Binding("ctrl+y,U", "redo", "redo", show=False, tooltip="Redo what you undid; the view goes to where it acted"),
        Binding("q,escape", "app.pop_screen", "back", tooltip="Back to the previous screen"),
    ]

    FOOTER_SHORT = {"rendition(True)": "anon", "rendition(False)": "orig"}
    """Descriptions below 100 columns (stable_footer.py): the rendition key then fits at 80."""

    def __init__(self, document_id: int, *, position: int = 0, select_to: int | None = None) -> None:
        super().__init__()
        self.document_id = document_id
        self._wanted: tuple[int, int | None] = (position, select_to)
        """Where the caret goes (original offsets) once the document has arrived."""
        self._keep_scroll: int | None = None  # after an edit: the view stays where it was
        self._scroll_back: float | None = None  # after a mark in the masked view: the same passage on screen
        self.doc: services.DocumentText | None = None
        """The document on screen; None while it is being fetched."""
        self.rendition: services.Rendition | None = None  # None: the original is on screen
        self._masking = ""  # with a rendition: the project's anonymisation state, for the title
        self.codes: list[CodeInfo] = []
        """The code tree, for the picker (fetched with the codings)."""
        self.recent: list[str] = []
        """The coder's recent codes, newest first (the picker's first rows)."""
        self.code_labels: dict[str, str] = {}
        """Code name -> what this coder is shown (an in-vivo code's rendition in the anonymised view)."""
        self.media: services.media.Linked | None = None
        """The recording linked to the document (fetched with it)."""
        self._here: tuple[str, ...] | None = None
        self.follow_caret = False
        """Playback follows the caret: a turn the caret moves into is played."""
        self._played_turn: int | None = None  # the turn playback is in (the caret follows it)
        self._version: tuple[object, ...] | None = None
        """``services.document_version`` of what is on screen (None: nothing fetched yet)."""


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
        # Hidden coders are a filter: said early in the line, which is cut at 80 columns.
        hidden = self.workbench.hidden_coders
        filtered = f" · {', '.join(hidden)} hidden" if hidden else ""
        if self.rendition is not None:
            # The original title names the informant; the anonymised one names role and round.
            # "Masked", and the project's state beside it: the view is anonymised only when the
            # review is done (a tester read "anonymised" here while 17 suggestions were open).
            return (f"{self.rendition.name}{filtered} · masked, {self._masking} · {self.doc.info.word_count} ord"
                    f"{self._to_check()}")
        info = self.doc.info
        # Case, role and round first: at 80 columns the end of the line is cut, and two rounds
        # of one informant differ only there.
        who = f"{info.participant.pid} {info.participant.role}" if info.participant else "no participant"
        round_ = f" r{info.round}" if info.round else ""
        return f"{who}{round_}{filtered} · {info.name} · {info.word_count} ord{self._to_check()}"

    def _to_check(self) -> str:
        """The title's note of codings whose words changed and nobody checked yet."""
        view = self.query(TranscriptView)
        count = sum(1 for m in view.first().marks if m.flag) if view else 0
        return f" · ⚑ {count} to check (f)" if count else ""

    def show_document(self, document_id: int, *, position: int = 0, select_to: int | None = None) -> None:
        """Show another transcript in this (already composed) screen.

        The app keeps one transcript screen and reuses it: composing a screen costs more than
        loading a 20,000-word transcript into it.
        """
        self._status("")
        self.view.focus()
        if document_id == self.document_id and self.doc is not None and self.rendition is not None:
            # The masked view is drawn from the review's decisions: one taken since (a mention
            # rejected in the review, then J) must show (a tester read the old pseudonym).
            self._wanted = (position, select_to)
            self._load_document()
            return
        if document_id == self.document_id and self.doc is not None:
            self._move_to_source(position, select_to)
            # Kept from the last time it was shown: another process may have coded it since.
            self.check_for_changes(force=True)
            return
        self.document_id = document_id
        self._wanted = (position, select_to)
        self.doc = None
        self._load_document()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="reading"):
                yield Label(self._title(), id="doc-title", markup=False)
                yield TranscriptView("", [], id="transcript")
                with Horizontal(id="status-bar"):
                    yield Label("", id="status", markup=False)
                    yield Label("", id="undo-hint", markup=False)
            with Vertical(id="side"):
                yield Label("Codes here", classes="side-title")
                yield Static("", id="here")
                yield Label("Your changes", classes="side-title")
                yield HistoryPanel(id="history")
        yield StableFooter()

    def on_mount(self) -> None:
        self.title = "codebench"
        self._follow_timer = self.set_interval(0.25, self._follow_playback, pause=True)
        self.set_interval(self.CHANGE_CHECK_SECONDS, self.check_for_changes)
        self._show_stripes(self.workbench.show_stripes)
        self.view.focus()
        self._load_document()

    # -- loading -------------------------------------------------------------------------

    def _load_document(self) -> None:
        """Fetch the document, its rendition, codings, code tree and recording in a worker."""
        project, document_id, coder = self.project, self.document_id, self.coder
        # Which coders are shown is asked in the worker too: with some hidden it reads the database.
        anonymised, visible_coders = self.workbench.show_anonymised, self.workbench.visible_coders
        app = self.workbench

        def fetch() -> _Loaded:
            version = services.document_version(project, document_id)  # first: a later change shows next time
            coders = visible_coders()
            doc = services.get_document(project, document_id)
            # Open suggestions are masked as a file would mask them, and drawn underlined: testers
            # read names here in clear that the export they had just written masked.
            rendition = anonymisation.rendition(project, document_id, with_open=True) if anonymised else None
            codes = services.code_tree(project)
            masking = anonymisation.anonymisation_state(project).short() if rendition is not None else ""
            # In the original view, what an export masks is drawn struck through (open suggestions
            # underlined): two testers could not tell which names there were masked already.
            masked = anonymisation.masked_spans(project, document_id) if rendition is None else ((), ())
            return _Loaded(doc, rendition,
                           services.document_codings(project, document_id, coders=coders, anonymised=anonymised),
                           codes, services.recent_codes(project, coder),
                           services.media_of(project, document_id), app.code_labels(c.name for c in codes), version,
                           masking, masked)

        self.query_one("#doc-title", Label).update("loading…")
        load_in_background(self, fetch, self._document_loaded, group="document")

    def _document_loaded(self, loaded: _Loaded) -> None:
        if loaded.doc.info.id != self.document_id:
            return  # another document was asked for meanwhile
        self.doc, self.rendition = loaded.doc, loaded.rendition
        self._masking = loaded.masking
        self.codes, self.recent, self.media = loaded.codes, loaded.recent, loaded.media
        self.code_labels = loaded.labels
        self._version = loaded.version
        turns = [(t.start, t.end, t.body_start, t.speaker) for t in loaded.doc.turns]
        text = loaded.doc.text
        if loaded.rendition is not None:
            offsets = loaded.rendition.offsets
            text = loaded.rendition.text
            turns = [(offsets.to_target(s), offsets.to_target(e, side="end"), offsets.to_target(b), speaker)
                     for s, e, b, speaker in turns]
        view = self.view
        view.set_text(text, turns)
        view.set_unreviewed([(s.start, s.end) for s in loaded.rendition.open_spans] if loaded.rendition
                            else [(s.start, s.end) for s in loaded.masked[1]])
        view.set_masked([(s.start, s.end) for s in loaded.masked[0]])
        view.set_marks(self._mapped(loaded.spans), self.code_labels)
        view.scroll_to(y=self._keep_scroll if self._keep_scroll is not None else self._scroll_back or 0, animate=False)
        self._scroll_back = None
        self.query_one("#doc-title", Label).update(self._title())
        self.sub_title = (f"coder: {self.coder} · "
                          + (f"masked, {self._masking}" if self.anonymised else "original · struck = masked"))
        self.refresh_bindings()
        self._here = None
        if self._keep_scroll is not None:
            self._keep_scroll = None
            view.move_to(min(self._wanted[0], len(view.text)))  # an edit: the caret stays, in the new text
        else:
            self._move_to_source(*self._wanted)
        self._show_here(view.cursor)
        self.refresh_history()
        # What is alive now (the app, the project, this transcript and its codings) stays for as
        # long as the transcript is read: a full garbage collection need not walk it again. Those
        # walks took 60–90 ms, one every few hundred keys, and the key that met one lagged.
        # Frozen objects are never collected, so what the last load froze (the transcript this one
        # replaced, the text before an edit) is collected first: left frozen, every transcript
        # opened kept its memory for the rest of the day (1.4 MiB each on the sample). That one
        # full collection (50–80 ms) runs after the transcript is on screen.
        self.call_after_refresh(refreeze)

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
        visible_coders, app = self.workbench.visible_coders, self.workbench

        def fetch() -> _Marks:
            version = services.document_version(project, document_id)  # first: a later change shows next time
            coders = visible_coders()
            codes = services.code_tree(project)
            return _Marks(document_id, rendition,
                          services.document_codings(project, document_id, coders=coders, anonymised=rendition is not None),
                          codes, services.recent_codes(project, coder), app.code_labels(c.name for c in codes), version)

        def arrived(marks: _Marks) -> None:
            if marks.document_id != self.document_id or marks.rendition is not self.rendition:
                return  # the screen shows something else now; its own load brings its codings
            self.codes, self.recent, self.code_labels = marks.codes, marks.recent, marks.labels
            self._version = marks.version
            self.view.set_marks(self._mapped(marks.spans), self.code_labels)
            self._here = None
            self._show_here(self.view.cursor)
            self.query_one("#doc-title", Label).update(self._title())
            if then is not None:
                then()

        load_in_background(self, fetch, arrived, group="marks")
        self.refresh_history()

    def check_for_changes(self, *, force: bool = False) -> None:
        """Fetch the codings again if another process changed them (or the text) since they were fetched.

        Run every ``CHANGE_CHECK_SECONDS`` (see the class docstring) and when the transcript is
        shown again (``force``: even with a dialog over it). Skipped while this coder's own write
        is queued or running: its reload follows anyway.
        """
        if self.doc is None or self._version is None or self.workbench.writes.busy:
            return
        if not force and self.app.screen is not self:
            return  # under a dialog or another screen: checked when it is back on top
        project, document_id, seen = self.project, self.document_id, self._version

        def compared(version: tuple[object, ...]) -> None:
            if document_id != self.document_id or seen is not self._version or version == seen:
                return  # another document, a reload since, or nothing new
            if version[0] != seen[0]:
                # The words were corrected elsewhere: the text, its turns and the codings' places
                # all changed. The view keeps its scroll and the caret its offset.
                self._reload_text(self.view.cursor)
                self._status("the transcript was corrected by another coder: its text was fetched again")
                return
            self.reload_marks()

        load_in_background(self, lambda: services.document_version(project, document_id), compared,
                           group="changes", failed=lambda _: None)  # a busy project: the next check asks again

    def refresh_history(self) -> None:
        """Fetch what the next undo would act on (the side panel and the status line say it)."""
        project, coder = self.project, self.coder
        anonymised = self.workbench.anonymised_view
        load_in_background(self, lambda: services.coder_history(project, coder, limit=8, anonymised=anonymised),
                           self._history_arrived,
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
        view = self.query_one(TranscriptView)
        if select_to is None:
            view.move_to(self.to_view(position)[0])
            return
        start, end = self.to_view(min(position, select_to), max(position, select_to))
        view.move_to(end if position >= select_to else start, select_to=start if position >= select_to else end)
        reveal(view, start, end)  # the whole passage, not just the caret's line

    def _shown(self, span: tuple[int, int]) -> str:
        """The words of an original span as the coder sees them (pseudonyms, not names)."""
        start, end = self.to_view(*span)
        return self.query_one(TranscriptView).text[start:end]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the key for the rendition that is not on screen (none to a coder who may not see
        original names).

        Marking names and correcting words are not for a coder who may not see original names:
        their footer leaves them out (offered there, they were only ever refused), and the same
        keys run ``not_yours``, which says why and what to do instead.
        """
        allowed = self.workbench.original_allowed
        if action == "rendition":
            if not allowed:
                return False  # this coder codes the anonymised rendition only
            return bool(parameters and parameters[0]) != self.anonymised
        if action in ("mark_name", "mark_as", "edit"):
            return allowed
        if action == "not_yours":
            return not allowed
        return True

    def action_not_yours(self, what: str) -> None:
        """Say why marking a name (``mark``) or correcting words (``edit``) is not this coder's."""
        if what == "edit":
            self.notify("You see the anonymised rendition only; correcting the words needs a coder allowed to "
                        "see original names", severity="warning")
        else:
            self._refuse_marking()

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
        self._status("masked as in an exported file; underlined: suggestions not reviewed yet" if anonymised
                     else "original transcript")

    def action_toggle_stripes(self) -> None:
        """Show or hide the coding stripes (later transcripts follow)."""
        shown = not self.workbench.show_stripes
        self.workbench.show_stripes = shown
        self._show_stripes(shown)
        self._status("coding stripes on: codes beside the text (S hides them)" if shown else "coding stripes off")

    def _show_stripes(self, shown: bool) -> None:
        self.view.stripes = shown
        self.set_class(shown, "-stripes")

    def _refuse_marking(self) -> bool:
        """Tell a coder who may not see original names why marking is not theirs; whether it was refused."""
        if self.workbench.original_allowed:
            return False
        self.notify("Marking a name needs a coder allowed to see original names (the review shows what each "
                    "pseudonym stands for). Write a memo on the place (m) for the project's reviewer.",
                    severity="warning", timeout=10)
        return True

    def action_mark_as(self) -> None:
        """Mark the selection (or the word under the caret) as a workplace, place, NAV office …:
        the kind is asked first."""
        if self._refuse_marking():
            return
        found = self._marked_span()
        if found is None:
            return

        def picked(kind: str | None) -> None:
            if kind:
                self._mark(*found, kind=kind)

        self.app.push_screen(KindPicker(self._shown(found)), picked)

    def action_mark_name(self) -> None:
        """Mark the selection (or the word under the caret) as a name to anonymise."""
        if self._refuse_marking():
            return
        found = self._marked_span()
        if found is not None:
            # a name, or the kind of the masked mention the selection lengthens
            self._mark(*found, kind=None)

    def _marked_span(self) -> tuple[int, int] | None:
        """The selection, or the word under the caret, as a span of the original text."""
        if self.doc is None:
            return None
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
            return None
        return start, end

    def _mark(self, start: int, end: int, *, kind: str | None) -> None:
        shown = self._shown((start, end))
        project, document_id, coder = self.project, self.document_id, self.coder

        def marked(pseudonym: str) -> None:
            self._status(f"marked «{shown}» as {pseudonym}")
            # The rendition changed (a name became a pseudonym), or in the original view what is
            # struck through as masked did: fetched again, the passage staying where it was on
            # screen (a tester lost the place each time).
            self._wanted = (start, None)
            self._scroll_back = self.view.scroll_y
            self._load_document()
            self.refresh_history()

        self.workbench.writes.submit(
            self, lambda: anonymisation.add_mention(project, document_id, start, end, kind=kind, coder=coder), marked)

    @on(TranscriptView.CursorMoved)
    def _moved(self, event: TranscriptView.CursorMoved) -> None:
        self._show_here(event.position)
        if self.follow_caret:
            view = self.query_one(TranscriptView)
            turn = view.turn_index(event.position)
            if turn is not None and turn != self._played_turn:
                self._play(turn)

    def _code_label(self, name: str) -> str:
        """A code's name as this coder is shown it (the name stays the key of every change)."""
        return self.code_labels.get(name, name)

    def _show_here(self, position: int) -> None:
        # A Static, not a ListView: this runs on every caret move, and mounting list items is slow.
        if not self.query_one("#side").display:
            self._here = None  # hidden beside the stripes: drawn when the panel shows again
            return
        marks = self.view.marks_at(position)
        key = tuple(f"{mark.uuid}{mark.flag}" for mark in marks)
        if key == self._here:
            return  # the same codings as before: nothing to redraw
        self._here = key
        lines = [Text.assemble(("▌ ", self._category_colour(mark)), f"{self._code_label(mark.code)} ({mark.coder})",
                               (f"\n  ⚑ check: {FLAG_WORDS.get(mark.flag, mark.flag)}" if mark.flag else "",
                                "bold"))
                 for mark in marks]
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
            start, end = self._without_labels(*view.selection)
            if end <= start:
                self.notify("That is the speaker's label: select the words of the turn", severity="warning")
                return None
        else:
            turn = view.turn_index(view.cursor)
            if turn is None:
                return None
            # The one definition of a turn's words, which `show --offsets` gives scripts too.
            words = services.turn_span(self.doc.text, self.doc.turns[turn])
            return (words.start, words.end) if len(words) else None
        start, end = self.to_source(start, end)
        # Coded words never start or end with white space.
        text = self.doc.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    def _without_labels(self, start: int, end: int) -> tuple[int, int]:
        """A selection less the speaker labels at its edges (positions on screen).

        Selecting from the start of a line takes the label ("Ole Bjørnstad: Ja …") with the
        words; a coding is of what was said, and a label may be a name that would then be
        quoted (and become an in-vivo code's name).
        """
        view = self.view
        first = view.turn_index(start)
        if first is not None:
            turn_start, _, body_start, _ = view.turns[first]
            if turn_start <= start < body_start:
                start = body_start
        last = view.turn_index(max(end - 1, start))
        if last is not None and last > 0:
            turn_start, _, body_start, _ = view.turns[last]
            if turn_start < end <= body_start and start < turn_start:
                end = turn_start  # it ends in the next turn's label: the words stop before it
        return start, end

    def picker_placement(self, span: tuple[int, int], *, need: int = CodePicker.MIN_ROWS) -> PickerPlacement:
        """Where a dialog about the words of ``span`` (original offsets) opens: off those words.

        See :meth:`placement_in_view`.
        """
        return self.placement_in_view(*self.to_view(*span), need=need)

    def placement_in_view(self, start: int, end: int, *, need: int) -> PickerPlacement:
        """Keep the words ``[start, end)`` of the view in sight beside a dialog of at least ``need`` rows.

        The dialog takes the rows above or below the words, whichever are more, and never more
        than those: the coder reads what is being coded while choosing (the README promises it;
        at 80x24 a turn's first lines only were kept clear, and the picker covered the rest). The
        view scrolls only when the words are not all in sight with room beside them: then their
        first line goes to the top of the view, the room below them. A passage taller than the
        screen leaves the dialog ``need`` rows and shows as much of its start as fits.
        """
        view = self.view
        first, last = view.line_of(start), view.line_of(max(start, end - 1))
        screen_rows = self.size.height

        def rows() -> tuple[int, int]:
            """(rows above the words, rows below them) on screen, with the view scrolled as it is."""
            top = view.scroll_offset.y
            bottom = top + max(view.size.height, 1) - 1
            first_row = view.region.y + (first - top)
            last_row = view.region.y + (min(last, bottom) - top)
            return first_row, screen_rows - 1 - last_row

        top = view.scroll_offset.y
        in_sight = top <= first and last < top + view.size.height
        above, below = rows()
        if not (in_sight and max(above, below) >= need):
            view.scroll_line_to(first, 0)
            above, below = rows()
        if max(above, below) >= need:
            edge, room = ("bottom", below) if below >= above else ("top", above)
            # A blank row between the words and the dialog's frame where the room allows it.
            return PickerPlacement(edge, room - 1 if room > need else room)
        # Taller than the room: the dialog below its start, which stays in sight (a line at least).
        return PickerPlacement("bottom", max(min(need, screen_rows - 2 - above), 1))

    def _pick_and_apply(self, span: tuple[int, int], title: str) -> None:
        def apply(picked: PickedCode | None) -> None:
            if picked is None:
                return
            self.apply(span, picked.name, origin="open")

        # The words as on screen (pseudonyms in the anonymised rendition): the picker must not
        # hide what is being coded, nor show a name the screen does not.
        self.app.push_screen(CodePicker(self.codes, title=title, context=self._shown(span), recent=self.recent,
                                        labels=self.code_labels,
                                        placement=self.picker_placement(span)), apply)

    def apply(self, span: tuple[int, int], code: str, *, origin: str) -> None:
        """Apply ``code`` to ``span`` for this coder and redraw (shared by keys and palette).

        The coding is written by the app's queue of writes; the codings are fetched again when
        it is stored.
        """
        project, document_id, coder = self.project, self.document_id, self.coder
        words = self._shown(span)
        selected = self.view.selection

        def coded(_: object) -> None:
            # The selection goes once it is coded (and kept when the write was refused, to try again).
            if self.view.selection == selected:
                self.view.anchor = None
            self.reload_marks()
            self._status(f"coded «{words[:40]}…» as {self._code_label(code)}")

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
        # Whole words: a selection starting inside a name ("umo Hassan") would name the code with
        # a piece of it that no anonymisation recognises later.
        text, start, end = self.doc.text, span[0], span[1]
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        name = in_vivo_name(self._shown((start, end)))
        self.apply(span, name, origin="in-vivo")

    def _my_mark_here(self) -> SpanMark | None:
        """This coder's coding under the caret: the innermost one, a coding the caret has just
        left at its end included (after ``v`` or ``t`` the caret sits right after the words coded,
        and ``m`` is meant for that coding, not the turn's around it)."""
        view = self.view
        at = view.cursor
        mine = [m for m in view.marks_at(at) if m.coder == self.coder]
        # Back over the spaces the selection took after the last word: a coding ending there.
        back = at
        while back > 0 and view.text[back - 1].isspace():
            back -= 1
        if back > 0:
            mine += [m for m in view.marks_at(back - 1) if m.coder == self.coder and back <= m.end <= at and m not in mine]
        return min(mine, key=lambda m: (m.end - m.start, -m.start)) if mine else None

    def _others_mark_here(self) -> SpanMark | None:
        """Another coder's coding under the caret (when none of this coder's is)."""
        theirs = [m for m in self.view.marks_at(self.view.cursor) if m.coder != self.coder]
        return theirs[-1] if theirs else None

    def action_remove_coding(self) -> None:
        mark = self._my_mark_here()
        if mark is None:
            theirs = self._others_mark_here()
            if theirs is None:
                self.notify("None of your codings is under the caret", severity="warning")
                return
            self.workbench.confirm_take_over(theirs.coder, "remove", self._code_label(theirs.code),
                                             lambda: self._remove(theirs, with_memo=False, take_over=True))
            return
        if mark.memo and mark.memo.strip():
            # The memo goes with its coding: say so, showing it, before anything is lost.
            def answered(yes: bool | None) -> None:
                if yes:
                    self._remove(mark, with_memo=True)
                else:
                    self._status("kept the coding and its memo")

            def ask(memo: str, _: bool) -> None:
                self.app.push_screen(ConfirmDialog(
                    f"Remove the coding «{self._code_label(mark.code)}» and its memo?",
                    Content.assemble(("Memo on this coding:", "bold"), "\n", memo.strip()[:600], "\n\n",
                                     ("The memo goes with the coding (undo brings both back).", "$text-muted")),
                    yes="Remove both", no="Keep"), answered)

            self._memo_as_shown(mark.memo, ask)
            return
        self._remove(mark, with_memo=False)

    def _remove(self, mark: SpanMark, *, with_memo: bool, take_over: bool = False) -> None:
        project, coder = self.project, self.coder

        def remove() -> bool:
            services.remove_coding(project, mark.uuid, coder, with_memo=with_memo, take_over=take_over)
            return not take_over and services.unused_open_code(project, mark.code)

        def removed(unused: bool) -> None:
            self.reload_marks()
            self._status(f"removed {self._code_label(mark.code)}" + (" and its memo" if with_memo else ""))
            if unused:
                self._offer_code_removal(mark.code)

        self.workbench.writes.submit(self, remove, removed)

    def _offer_code_removal(self, code: str) -> None:
        """The last coding of an open code is gone: offer the code too (one made by mistake, say),
        rather than leave an empty code in the codebook and the picker."""
        project, coder = self.project, self.coder

        def answered(yes: bool | None) -> None:
            if not yes:
                self._status(f"kept the open code «{self._code_label(code)}» (no codings now)")
                return
            self.workbench.writes.submit(
                self, lambda: services.remove_unused_code(project, code, coder),
                lambda _: (self.reload_marks(), self._status(f"removed the open code «{self._code_label(code)}» (ctrl+z brings it back)")))

        self.app.push_screen(ConfirmDialog(
            f"Remove the open code «{self._code_label(code)}» too?",
            Content.assemble(f"«{self._code_label(code)}» has no codings now.", "\n\n",
                             ("Undo brings it back.", "$text-muted")),
            yes="Remove the code", no="Keep it"), answered)

    def _memo_as_shown(self, memo: str, then: Callable[[str, bool], None]) -> None:
        """``then(shown, masked)``: the memo as this view may show it (names replaced in the
        anonymised rendition), and whether anything was replaced — then saving an edit would write
        pseudonyms over names. The anonymiser reads its decisions, so that runs in a worker."""
        if not self.workbench.anonymised_view or not memo:
            then(memo, False)
            return
        project = self.project
        load_in_background(self, lambda: anonymisation.anonymise_free_text(project, memo),
                           lambda shown: then(shown, shown != memo), group="memo-as-shown")

    def action_recode(self) -> None:
        mark = self._my_mark_here()
        if mark is None:
            theirs = self._others_mark_here()
            if theirs is None:
                self.notify("None of your codings is under the caret", severity="warning")
                return
            self.workbench.confirm_take_over(
                theirs.coder, "recode", self._code_label(theirs.code),
                lambda: self.workbench.pick_and_recode(
                    theirs.uuid, theirs.code, self.reload_marks, codes=self.codes, take_over=True,
                    placement=self.placement_in_view(theirs.start, theirs.end, need=CodePicker.MIN_ROWS)))
            return

        self.workbench.pick_and_recode(mark.uuid, mark.code, self.reload_marks, codes=self.codes,
                                       placement=self.placement_in_view(mark.start, mark.end, need=CodePicker.MIN_ROWS))

    def action_memo(self) -> None:
        """Write the memo of your coding under the caret: why these words carry this code."""
        mark = self._my_mark_here()
        if mark is None:
            self.notify("None of your codings is under the caret", severity="warning")
            return
        self._memo_as_shown(mark.memo or "", lambda current, masked: self._edit_memo(mark, current, masked))

    def _edit_memo(self, mark: SpanMark, current: str, masked: bool) -> None:
        """The memo editor on ``mark``'s memo, unless the memo shows names replaced (``masked``)."""
        if masked:
            self.notify(_MASKED_MEMO if self.workbench.original_allowed else _MASKED_MEMO_NO_ORIGINALS, severity="warning")
            return

        def save(text: str | None) -> None:
            if text is None:
                return
            project, coder = self.project, self.coder

            def saved(_: object) -> None:
                self.reload_marks()
                self._status(f"memo saved on this coding of {self._code_label(mark.code)}" if text.strip()
                             else f"memo cleared on {self._code_label(mark.code)}")

            self.workbench.writes.submit(
                self, lambda: services.set_coding_memo(project, mark.uuid, text if text.strip() else None, coder), saved)

        words = self.query_one(TranscriptView).text[mark.start:mark.end]
        # Marks lie in the view's offsets already; the editor opens beside the coded words.
        placement = self.placement_in_view(mark.start, mark.end, need=MemoEditor.MIN_ROWS)
        self.app.push_screen(MemoEditor(f"Memo on this coding of «{self._code_label(mark.code)}»", current, context=words,
                                        placement=placement), save)

    def action_document_memo(self) -> None:
        """Write a memo on this document (it joins the memo browser's document memos)."""
        if self.doc is None:
            return
        label = self.rendition.name if self.rendition is not None else self.doc.info.name

        def save(text: str | None) -> None:
            if not text or not text.strip():
                return
            project, document_id, coder = self.project, self.document_id, self.coder

            def saved(_: object) -> None:
                self._status("memo saved on this document")
                self.refresh_history()

            self.workbench.writes.submit(
                self, lambda: services.add_memo(project, text, document=document_id, author=coder), saved)

        self.app.push_screen(MemoEditor(f"Memo on the document «{label}»"), save)

    def action_undo(self) -> None:
        self.workbench.history_step("undo")

    def action_redo(self) -> None:
        self.workbench.history_step("redo")

    def show_operation(self, item: services.HistoryItem, done: str) -> None:
        """After an undo or redo: say what it did and show where (a span of this or another transcript).

        An undone edit changed the text itself: the transcript is fetched again.
        """
        self._status(f"{done} {item.description}")
        place = item.place
        if item.entry.action in ("edit_text", "reimport") and place.document_id == self.document_id:
            self._reload_text(place.start if place.start is not None else self.view.cursor)
            return
        if item.entry.action.startswith("anonymise_") and place.document_id in (None, self.document_id):
            # The masked rendition follows the decision taken back: a tester's undone mark stayed
            # "[Person 26]" on screen until the view was switched off and on.
            here = place.start if place.document_id == self.document_id and place.start is not None else self.view.cursor
            self._wanted = (here, None)
            self._scroll_back = self.view.scroll_y
            self._load_document()
            return
        if place.document_id is None or place.start is None:
            self.reload_marks()
            return
        end = place.end if place.end is not None else place.start
        if place.document_id != self.document_id:
            self.show_document(place.document_id, position=end, select_to=place.start)
            self._status(f"{done} {item.description}")
            return
        self.reload_marks(then=lambda: self._move_to_source(end, place.start))

    # -- correcting the transcript ------------------------------------------------------

    def action_edit(self) -> None:
        """Open the editor over the turn under the caret, or over the selected words."""
        if self.doc is None:
            return
        if not self.workbench.original_allowed:
            self.notify("You see the anonymised rendition only; correcting the words needs a coder allowed to "
                        "see original names", severity="warning")
            return
        if self.rendition is not None:
            self.notify("Switch to the original transcript (o) to correct its words", severity="warning")
            return
        view = self.query_one(TranscriptView)
        if view.selection:
            start, end = view.selection
            turn = view.turn_index(start)
            if turn is None or start < self.doc.turns[turn].body_start or end > self.doc.turns[turn].end:
                self.notify("Select words inside one turn to correct them (or put the caret in a turn and press e)",
                            severity="warning")
                return
            self.app.push_screen(TurnEditor("Correct the selected words", self.doc.text[start:end], whole_turn=False,
                                            listen=self._listen(turn)),
                                 lambda edit: self._save_edit(edit, span=(start, end)))
            return
        turn = view.turn_index(view.cursor)
        if turn is None:
            return
        info = self.doc.turns[turn]
        same = sum(1 for t in self.doc.turns if t.speaker == info.speaker) if info.speaker else 0
        self.app.push_screen(
            TurnEditor(f"Correct turn {turn + 1}", self.doc.text[info.body_start:info.end], whole_turn=True,
                       speaker=info.speaker, t_start=info.t_start, t_end=info.t_end, listen=self._listen(turn),
                       speaker_turns=same),
            lambda edit: self._save_edit(edit, turn=turn))

    def _listen(self, turn: int) -> Callable[[str], None] | None:
        """What the editor's F5/F6/F7 do: play this turn, pause, go back (None without a recording)."""
        if self.media is None:
            return None

        def listen(what: str) -> None:
            if what == "play":
                self._play(turn)
            elif what == "pause":
                self.action_play_pause()
            else:
                self.action_replay()

        return listen

    def _save_edit(self, edit: TurnEdit | None, *, turn: int | None = None, span: tuple[int, int] | None = None) -> None:
        if edit is None:
            return
        caret = self.query_one(TranscriptView).cursor
        if span is not None:
            self._store_edit(caret, span=span, text=edit.text)
            return
        assert turn is not None
        info = self.doc.turns[turn]
        try:
            t_start = parse_time(edit.t_start or "")
            t_end = parse_time(edit.t_end or "")
        except ValueError:
            self.notify("A time is seconds or m:ss (e.g. 1:05.5); nothing was saved", severity="error")
            return
        changes: dict[str, object] = {}
        if edit.text != self.doc.text[info.body_start:info.end]:
            changes["text"] = edit.text
        speaker = (edit.speaker or "").strip() or None
        rename: tuple[str, str] | None = None
        if speaker != info.speaker and edit.all_turns and info.speaker:
            if speaker is None:
                self.notify("To rename the speaker in all their turns, give the new name; nothing was saved",
                            severity="error")
                return
            rename = (info.speaker, speaker)
            # Every label of theirs before the caret changes length: the caret stays on its words.
            before = sum(1 for t in self.doc.turns if t.speaker == info.speaker and t.start <= caret)
            caret += before * (len(speaker) - len(info.speaker))
        elif speaker != info.speaker:
            changes["speaker"] = speaker
        if t_start != info.t_start:
            changes["t_start"] = t_start
        if t_end != info.t_end:
            changes["t_end"] = t_end
        if not changes and rename is None:
            self._status("no change")
            return
        self._store_edit(caret, turn=turn, changes=changes, rename=rename)

    @work(thread=True, exclusive=True, group="edit")
    def _store_edit(self, caret: int, *, turn: int | None = None, span: tuple[int, int] | None = None,
                    text: str | None = None, changes: dict[str, object] | None = None,
                    rename: tuple[str, str] | None = None) -> None:
        """Store the edit off the screen's thread (the edited turn is searched for names too).

        A speaker renamed in all their turns is one operation of its own; words or times changed
        in the same save are a second one, an edit of the turn.
        """
        try:
            if span is not None:
                report = services.edit_span(self.project, self.document_id, span[0], span[1], text or "",
                                            coder=self.coder)
            else:
                assert turn is not None
                report = None
                if rename is not None:
                    report = services.rename_speaker(self.project, self.document_id, *rename, coder=self.coder)
                if changes or report is None:
                    edited = services.edit_turn(self.project, self.document_id, turn + 1, coder=self.coder,
                                                **(changes or {}))  # type: ignore[arg-type]
                    if report is not None:
                        report.flagged += edited.flagged
                        report.mentions_found += edited.mentions_found
                    else:
                        report = edited
        except services.ServiceError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._after_edit, report, caret)

    def _after_edit(self, report: services.EditReport, caret: int) -> None:
        """Show the corrected text, keep the caret where it was, and say what followed."""
        self._reload_text(caret)
        if report.renamed:
            parts = [f"speaker renamed in {report.renamed} turns"]
        elif not report.changed:
            self._status("no change" if report.turn is None else f"turn {report.turn + 1}: speaker and times saved")
            return
        else:
            parts = [f"corrected turn {(report.turn or 0) + 1}"]
        if report.flagged:
            parts.append(f"⚑ {len(report.flagged)} coding(s) to check (f)")
        if report.mentions_found:
            parts.append(f"{report.mentions_found} new name suggestion(s) to review")
        self._status(" · ".join(parts))

    def _reload_text(self, caret: int) -> None:
        """Fetch the (corrected) text again; the view keeps its scroll and the caret its place."""
        self._keep_scroll = self.view.scroll_offset.y
        self._wanted = (caret, None)
        self._load_document()

    def action_check_coding(self) -> None:
        """Mark the coder's flagged coding under the caret as checked."""
        view = self.query_one(TranscriptView)
        mine = [m for m in view.marks_at(view.cursor) if m.coder == self.coder and m.flag]
        if not mine:
            self.notify("None of your codings under the caret is flagged for checking", severity="warning")
            return
        project, coder, checked = self.project, self.coder, mine[-1]

        def done(_: object) -> None:
            self.reload_marks()
            self._status(f"checked {self._code_label(checked.code)}")

        self.workbench.writes.submit(self, lambda: services.check_coding(project, checked.uuid, coder), done)

    def action_next_flagged(self) -> None:
        """Go to the next coding flagged for checking (from the caret, wrapping round)."""
        view = self.query_one(TranscriptView)
        flagged = sorted(m.start for m in view.marks if m.flag)
        if not flagged:
            self._status("no coding to check in this transcript")
            return
        following = [s for s in flagged if s > view.cursor]
        view.move_to(following[0] if following else flagged[0])
        # Said on the status line too: beside the stripes (below 140 columns) the side panel is hidden.
        here = next((m for m in view.marks_at(view.cursor) if m.flag), None)
        if here is not None:
            self._status(f"⚑ check «{self._code_label(here.code)}» ({here.coder}): {FLAG_WORDS.get(here.flag, here.flag)} · k: checked")

    # -- listening ---------------------------------------------------------------------

    def _recording(self) -> str | None:
        linked = self.media  # fetched with the document: the playback timer asks four times a second
        if linked is None:
            self.notify("No recording is linked to this transcript: codebench media PROJECT DOC FILE",
                        severity="warning")
            return None
        if not linked.exists:
            self.notify("The linked recording is not where it was; link it again (codebench media)",
                        severity="warning")
            return None
        return linked.path

    def action_play_turn(self) -> None:
        """Play the turn under the caret, from its start to its end."""
        if self.doc is None:
            return
        turn = self.query_one(TranscriptView).turn_index(self.query_one(TranscriptView).cursor)
        if turn is not None:
            self._play(turn)

    def _play(self, turn: int) -> None:
        """Play a turn: the linked recording is looked up again (in a worker) in case it was
        linked or moved since the transcript opened."""
        project, document_id = self.project, self.document_id

        def found(media: services.media.Linked | None) -> None:
            if document_id == self.document_id:
                self.media = media
                self._play_linked(turn)

        load_in_background(self, lambda: services.media_of(project, document_id), found, group="media")

    def _play_linked(self, turn: int) -> None:
        if self.doc is None:
            return
        path = self._recording()
        if path is None:
            return
        times = services.media.turn_times(self.doc.turns, turn)
        if times is None:
            self.notify("This turn has no time in the transcript, so it cannot be found in the recording",
                        severity="warning")
            return
        player = self.workbench.audio_player()
        if player is None:
            return
        try:
            player.play(path, times[0], times[1])
        except services.ServiceError as exc:
            self.notify(str(exc), severity="error")
            return
        self._played_turn = turn
        end = f"{times[1]:.1f}" if times[1] is not None else "the end"
        self._status(f"▶ turn {turn + 1}: {times[0]:.1f}–{end} s ({player.name})")
        self._follow_timer.resume()

    def action_play_pause(self) -> None:
        """Pause or resume the recording."""
        player = self.workbench.audio_player(start=False)
        if player is None or player.last_request is None:
            self.action_play_turn()
            return
        paused = player.toggle_pause()
        self._status("⏸ paused" if paused else "▶ playing")
        if not paused:
            self._follow_timer.resume()

    def action_replay(self) -> None:
        """Play the last three seconds again."""
        player = self.workbench.audio_player(start=False)
        if player is None or player.last_request is None:
            self.action_play_turn()
            return
        player.replay(3.0)
        self._status("▶ again from 3 s back")
        self._follow_timer.resume()

    def action_follow_caret(self) -> None:
        """Play each turn the caret moves into, or stop doing so."""
        self.follow_caret = not self.follow_caret
        self._status("playback follows the caret" if self.follow_caret else "playback no longer follows the caret")

    def _follow_playback(self) -> None:
        """The caret follows playback: it moves into the turn being played."""
        player = self.workbench.audio_player(start=False)
        if player is None or player.last_request is None or player.last_request.path != self._linked_path():
            self._follow_timer.pause()
            return
        try:
            paused = player.is_paused()
            position = None if paused else player.position()
        except services.ServiceError:
            self._follow_timer.pause()
            return
        if paused:
            # Stopped: the caret is the coder's again (a move made now is not taken back).
            self._follow_timer.pause()
            return
        if position is not None:
            request = player.last_request
            if request.end is not None:
                # Playback stops a moment after a turn's end: that moment still belongs to the turn.
                position = min(position, request.end - 0.05)
            turn = services.media.turn_at_time(self.doc.turns, position)
            view = self.query_one(TranscriptView)
            if turn is not None and turn != view.turn_index(view.cursor) and self.rendition is None:
                self._played_turn = turn
                view.move_to(self.doc.turns[turn].body_start)

    def _linked_path(self) -> str | None:
        return self.media.path if self.media is not None else None
