"""Reading and coding one transcript, in its original or its anonymised rendition.

The anonymised rendition is another text with other offsets: everything the view draws
(codings, turns, caret, selection) is mapped from the original through the rendition's offset
map, and everything the coder does there is mapped back before it reaches the services, so
codings are always stored against the original words.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

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
from codebench.domain.spans import Span
from codebench.services import anonymisation
from codebench.tui.screens.base import WorkbenchScreen
from codebench.tui.screens.confirm import ConfirmDialog
from codebench.tui.screens.edit_turn import TurnEdit, TurnEditor, parse_time
from codebench.tui.screens.picker import CodePicker, MemoEditor, PickedCode
from codebench.tui.widgets.reveal import reveal
from codebench.tui.widgets.stable_footer import StableFooter
from codebench.tui.widgets.transcript import SpanMark, TranscriptView


_MASKED_MEMO = "This memo names people: switch to the original (o) to edit it, so that no name is overwritten"
_MASKED_MEMO_NO_ORIGINALS = ("This memo names people you are not shown; a coder allowed to see names can edit it "
                             "(writing here would put pseudonyms over the names)")


class DocumentScreen(WorkbenchScreen):
    """A transcript with its codings; select words and code them from the keyboard."""

    BINDINGS = [
        Binding("c", "code_selection", "code", tooltip="Apply a code to the selection (or the turn)"),
        Binding("v", "in_vivo", "in vivo", tooltip="Make an in-vivo code from the selected words"),
        Binding("t", "code_turn", "code turn", tooltip="Code the whole speaker turn under the caret"),
        Binding("x", "remove_coding", "remove", tooltip="Remove the newest of your codings under the caret", show=False),
        Binding("r", "recode", "recode", tooltip="Give the coding under the caret another code", show=False),
        Binding("m", "memo", "memo", tooltip="Write a memo on your coding under the caret (why these words carry this code)",
                show=False),
        Binding("M", "document_memo", "document memo", tooltip="Write a memo on this document", show=False),
        # One key, two bindings: the footer shows whichever rendition the key switches to.
        Binding("o", "rendition(True)", "anonymised", tooltip="Show the anonymised rendition", id="show-anonymised"),
        Binding("o", "rendition(False)", "original", tooltip="Show the original transcript", id="show-original"),
        Binding("a", "mark_name", "mark name", tooltip="Anonymise the selection (or the word under the caret) as a name"),
        Binding("e", "edit", "edit", tooltip="Correct the turn under the caret (or the selected words): words, speaker, times"),
        Binding("k", "check_coding", "checked", tooltip="Mark your flagged coding under the caret as checked", show=False),
        Binding("f", "next_flagged", "next to check", tooltip="Go to the next coding flagged for checking", show=False),
        Binding("p", "play_turn", "play turn", tooltip="Play the turn under the caret from the recording", show=False),
        Binding("space", "play_pause", "play/pause", tooltip="Pause or resume the recording", show=False),
        Binding("b", "replay", "back 3 s", tooltip="Play the last three seconds again", show=False),
        Binding("P", "follow_caret", "play follows caret", tooltip="Play each turn the caret moves into (on/off)",
                show=False),
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
        self.follow_caret = False
        """Playback follows the caret: a turn the caret moves into is played."""
        self._played_turn: int | None = None  # the turn playback is in (the caret follows it)


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
        return f"{info.name} · {who}{round_} · {info.word_count} ord{self._to_check()}"

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
        self._follow_timer = self.set_interval(0.25, self._follow_playback, pause=True)
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
        self.query_one("#doc-title", Label).update(self._title())

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
        reveal(view, start, end)  # the whole passage, not just the caret's line

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
        if self.follow_caret:
            view = self.query_one(TranscriptView)
            turn = view.turn_index(event.position)
            if turn is not None and turn != self._played_turn:
                self._play(turn)

    def _show_here(self, position: int) -> None:
        # A Static, not a ListView: this runs on every caret move, and mounting list items is slow.
        marks = self.query_one(TranscriptView).marks_at(position)
        lines = [Text.assemble(("▌ ", mark.colour or ""), f"{mark.code} ({mark.coder})",
                               (f"\n  ⚑ check: {FLAG_WORDS.get(mark.flag, mark.flag)}" if mark.flag else "",
                                "bold"))
                 for mark in marks]
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
        if mark.memo and mark.memo.strip():
            # The memo goes with its coding: say so, showing it, before anything is lost.
            def answered(yes: bool | None) -> None:
                if yes:
                    self._remove(mark, with_memo=True)
                else:
                    self._status("kept the coding and its memo")

            memo, _ = self._memo_as_shown(mark.memo)
            self.app.push_screen(ConfirmDialog(
                f"Remove the coding «{mark.code}» and its memo?",
                Content.assemble(("Memo on this coding:", "bold"), "\n", memo.strip()[:600], "\n\n",
                                 ("The memo goes with the coding (undo brings both back).", "$text-muted")),
                yes="Remove both", no="Keep"), answered)
            return
        self._remove(mark, with_memo=False)

    def _remove(self, mark: SpanMark, *, with_memo: bool) -> None:
        try:
            services.remove_coding(self.project, mark.uuid, self.coder, with_memo=with_memo)
        except services.ServiceError as exc:
            self.notify(str(exc), severity="error")
            return
        self.reload_marks()
        self._status(f"removed {mark.code}" + (" and its memo" if with_memo else ""))

    def _memo_as_shown(self, memo: str) -> tuple[str, bool]:
        """A memo as this view may show it (names replaced in the anonymised rendition), and
        whether anything was replaced — then saving an edit would write pseudonyms over names."""
        if not self.workbench.anonymised_view:
            return memo, False
        shown = anonymisation.anonymise_free_text(self.project, memo)
        return shown, shown != memo

    def action_recode(self) -> None:
        mark = self._my_mark_here()
        if mark is None:
            self.notify("None of your codings is under the caret", severity="warning")
            return

        self.workbench.pick_and_recode(mark.uuid, mark.code, self.reload_marks)

    def action_memo(self) -> None:
        """Write the memo of your coding under the caret: why these words carry this code."""
        mark = self._my_mark_here()
        if mark is None:
            self.notify("None of your codings is under the caret", severity="warning")
            return
        current, masked = self._memo_as_shown(mark.memo or "")
        if masked:
            self.notify(_MASKED_MEMO if self.workbench.original_allowed else _MASKED_MEMO_NO_ORIGINALS, severity="warning")
            return

        def save(text: str | None) -> None:
            if text is None:
                return
            try:
                services.set_coding_memo(self.project, mark.uuid, text if text.strip() else None, self.coder)
            except services.ServiceError as exc:
                self.notify(str(exc), severity="error")
                return
            self.reload_marks()
            self._status(f"memo saved on this coding of {mark.code}" if text.strip() else f"memo cleared on {mark.code}")

        words = self.query_one(TranscriptView).text[mark.start:mark.end]
        self.app.push_screen(MemoEditor(f"Memo on this coding of «{mark.code}»", current, context=words), save)

    def action_document_memo(self) -> None:
        """Write a memo on this document (it joins the memo browser's document memos)."""
        label = self.rendition.name if self.rendition is not None else self.doc.info.name

        def save(text: str | None) -> None:
            if not text or not text.strip():
                return
            try:
                services.add_memo(self.project, text, document=self.document_id, author=self.coder)
            except services.ServiceError as exc:
                self.notify(str(exc), severity="error")
                return
            self._status("memo saved on this document")

        self.app.push_screen(MemoEditor(f"Memo on the document «{label}»"), save)

    def action_undo(self) -> None:
        try:
            entry = services.undo(self.project, self.coder)
        except services.ServiceError as exc:
            self.notify(str(exc), severity="error")
            return
        self._after_history_step(entry)
        self._status(f"undid {services.describe_operation(entry, self.project)}" if entry else "nothing to undo")

    def action_redo(self) -> None:
        try:
            entry = services.redo(self.project, self.coder)
        except services.ServiceError as exc:
            self.notify(str(exc), severity="error")
            return
        self._after_history_step(entry)
        self._status(f"redid {services.describe_operation(entry, self.project)}" if entry else "nothing to redo")

    def _after_history_step(self, entry: object) -> None:
        """Redraw what an undo or redo changed: the text itself after an edit, else the codings."""
        if getattr(entry, "action", None) in ("edit_text", "reimport"):
            self._reload_text(self.query_one(TranscriptView).cursor)
        else:
            self.reload_marks()

    # -- correcting the transcript ------------------------------------------------------

    def action_edit(self) -> None:
        """Open the editor over the turn under the caret, or over the selected words."""
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
        self.app.push_screen(
            TurnEditor(f"Correct turn {turn + 1}", self.doc.text[info.body_start:info.end], whole_turn=True,
                       speaker=info.speaker, t_start=info.t_start, t_end=info.t_end, listen=self._listen(turn)),
            lambda edit: self._save_edit(edit, turn=turn))

    def _listen(self, turn: int) -> Callable[[str], None] | None:
        """What the editor's F5/F6/F7 do: play this turn, pause, go back (None without a recording)."""
        if services.media_of(self.project, self.document_id) is None:
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
        if speaker != info.speaker:
            changes["speaker"] = speaker
        if t_start != info.t_start:
            changes["t_start"] = t_start
        if t_end != info.t_end:
            changes["t_end"] = t_end
        if not changes:
            self._status("no change")
            return
        self._store_edit(caret, turn=turn, changes=changes)

    @work(thread=True, exclusive=True, group="edit")
    def _store_edit(self, caret: int, *, turn: int | None = None, span: tuple[int, int] | None = None,
                    text: str | None = None, changes: dict[str, object] | None = None) -> None:
        """Store the edit off the screen's thread (the edited turn is searched for names too)."""
        try:
            if span is not None:
                report = services.edit_span(self.project, self.document_id, span[0], span[1], text or "",
                                            coder=self.coder)
            else:
                assert turn is not None
                report = services.edit_turn(self.project, self.document_id, turn + 1, coder=self.coder,
                                            **(changes or {}))  # type: ignore[arg-type]
        except services.ServiceError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._after_edit, report, caret)

    def _after_edit(self, report: services.EditReport, caret: int) -> None:
        """Show the corrected text, keep the caret where it was, and say what followed."""
        self._reload_text(caret)
        if not report.changed:
            self._status("no change" if report.turn is None else f"turn {report.turn + 1}: speaker and times saved")
            return
        parts = [f"corrected turn {(report.turn or 0) + 1}"]
        if report.flagged:
            parts.append(f"⚑ {len(report.flagged)} coding(s) to check (f)")
        if report.mentions_found:
            parts.append(f"{report.mentions_found} new name suggestion(s) to review")
        self._status(" · ".join(parts))

    def _reload_text(self, caret: int) -> None:
        view = self.query_one(TranscriptView)
        scroll = view.scroll_offset.y
        self.doc = services.get_document(self.project, self.document_id)
        self._load_rendition(self.rendition is not None)
        view.scroll_to(y=scroll, animate=False)
        view.move_to(min(caret, len(view.text)))

    def action_check_coding(self) -> None:
        """Mark the coder's flagged coding under the caret as checked."""
        view = self.query_one(TranscriptView)
        mine = [m for m in view.marks_at(view.cursor) if m.coder == self.coder and m.flag]
        if not mine:
            self.notify("None of your codings under the caret is flagged for checking", severity="warning")
            return
        services.check_coding(self.project, mine[-1].uuid, self.coder)
        self.reload_marks()
        self._status(f"checked {mine[-1].code}")

    def action_next_flagged(self) -> None:
        """Go to the next coding flagged for checking (from the caret, wrapping round)."""
        view = self.query_one(TranscriptView)
        flagged = sorted(m.start for m in view.marks if m.flag)
        if not flagged:
            self._status("no coding to check in this transcript")
            return
        following = [s for s in flagged if s > view.cursor]
        view.move_to(following[0] if following else flagged[0])

    # -- listening ---------------------------------------------------------------------

    def _recording(self) -> str | None:
        linked = services.media_of(self.project, self.document_id)
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
        turn = self.query_one(TranscriptView).turn_index(self.query_one(TranscriptView).cursor)
        if turn is not None:
            self._play(turn)

    def _play(self, turn: int) -> None:
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
        linked = services.media_of(self.project, self.document_id)
        return linked.path if linked is not None else None
