"""The residual review list: words left unmasked that may still be names, best first.

Opened from the anonymisation review (``U``). The researcher reads from the top: ``+`` marks
the word a name (every occurrence, like "add name"), ``K`` keeps it (no name; it leaves the
list), ``J`` opens the transcript at the word, ``R`` records the list as read (the project is
called anonymised only then). The list and its ranking come from
``services.anonymisation.residual``, the same as ``codebench anonymise --list --residual``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Header, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from codebench import services
from codebench.anonymise.key import KeyFileError
from codebench.services import anonymisation
from codebench.services.anonymisation import ResidualView
from codebench.tui.screens.kind_picker import KindPicker
from codebench.tui.screens.base import WorkbenchScreen
from codebench.tui.screens.confirm import ConfirmDialog
from codebench.tui.widgets.find import FindOptionList
from codebench.tui.widgets.stable_footer import StableFooter


# Entries listed at once: read from the top, a marked or kept word makes room for the next.
SHOWN = 200


def residual_prompt(view: ResidualView) -> Content:
    """Two lines: rank, word, how often and why; then the first occurrence in its context."""
    times = f"{view.count}× in {view.documents} document" + ("s" if view.documents != 1 else "")
    if view.unmasked > view.count:
        times += f" ({view.unmasked}× unmasked in all)"  # the word's other uses may be names too
    first = view.contexts[0] if view.contexts else None
    context: Content | str = Content.assemble(
        # (a short run before the word: at 80 columns the row is cut on the right, and a tester saw
        # rows whose context showed no word)
        "  …", first.before[-24:], (first.text, "bold underline"), first.after, "…  ", (first.document, "$text-muted"),
    ) if first else ""
    return Content.assemble(
        (f"{view.rank:>3} ", "$text-muted"), (view.form, "bold"), "  ", (times, "$text-muted"), "  ",
        (view.why, "italic"), "\n", context,
    )


@dataclass(frozen=True)
class _Done:
    """What an action did, for the notification, and the row to show afterwards."""

    note: str
    rank: int


class ResidualList(FindOptionList):
    """The candidates; a find looks at the listed words only, not at their contexts (finding
    "hans" should reach the entry «hans», not every entry whose context says "broren hans")."""

    def find_rows(self) -> list[str]:
        views = getattr(self.screen, "views", [])
        return [view.form for view in views][:len(self.options)]


class ResidualScreen(WorkbenchScreen):
    """Read the residual candidates: mark names, keep ordinary words, jump to the text."""

    BINDINGS = [
        Binding("plus", "mark_name", "name", tooltip="Mark every occurrence of the word as a person's name"),
        Binding("A", "mark_as", "mark as…", tooltip="Mark every occurrence as a workplace, place, NAV office … (asks which)"),
        Binding("K", "keep", "keep", tooltip="Not a name: keep the word; it leaves the list"),
        Binding("J", "jump", "go to text", tooltip="Open the transcript at the word"),
        Binding("R", "read", "list read", tooltip="Record that you have read the list: the project may then be "
                "called anonymised"),
        Binding("f5", "refresh", "refresh", show=False),
        Binding("q,escape", "app.pop_screen", "back"),
    ]

    @dataclass
    class Loaded(Message):
        """Fresh candidates arrived from the loading worker."""

        screen: ResidualScreen
        views: list[ResidualView]
        note: str | None

        @property
        def control(self) -> ResidualScreen:
            return self.screen

    SCREEN_WIDE_KEYS = frozenset("R")
    """Keys that act on the list, not on its highlighted row: a find that matched nothing still
    lets them through (R records the list read)."""

    busy: reactive[bool] = reactive(False)
    """A decision is being stored and the list reloaded; the next one waits (it would act on a
    row that is about to move)."""

    def __init__(self) -> None:
        super().__init__()
        self.views: list[ResidualView] = []
        self._wanted_rank = 1
        self._wanted_form: str | None = None
        """The word the cursor was on when the list left the screen (J): back from the transcript
        the list is ranked again, and the cursor goes back to that word, not to its old row (a
        tester's K kept «aga», which had moved up onto the row «vår» had left)."""
        self.loaded = False
        """The first ranking has arrived (before it the list is empty, not read)."""
        self._jumps: dict[str, int] = {}
        """How many times J went to each form's occurrences (the next J goes to the next)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Decisions wait while the last one is stored (shown dimmed in the footer)."""
        if self.busy and action in ("mark_name", "mark_as", "keep"):
            return None
        return True

    def watch_busy(self) -> None:
        self.refresh_bindings()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="residual-pane"):
            yield Label("Residual candidates", id="residual-count", classes="pane-title")
            yield ResidualList(id="residual")  # typing (or ctrl+f) finds a word
        yield StableFooter()

    def on_mount(self) -> None:
        self.title = "codebench — residual review"
        self.sub_title = "words left unmasked that may still be names"
        self.query_one("#residual", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self, note: str | None = None) -> None:
        """Rank the candidates again (in a worker: it reads every document)."""
        if not self.views:
            # The first ranking takes seconds on a real project: a tester saw a blank screen.
            self.query_one("#residual-count", Label).update("reading every document for words that may be names …")
        self._load(note)

    @work(thread=True, exclusive=True, group="residual-load")
    def _load(self, note: str | None = None) -> None:
        views = anonymisation.residual(self.project, limit=SHOWN, shown=10)  # J goes through them
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(self, views, note))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.views = event.views
        self.loaded = True
        listing = self.query_one("#residual", OptionList)
        listing.set_options([Option(residual_prompt(v), id=f"residual:{v.rank}") for v in self.views])
        self.query_one("#residual-count", Label).update(
            # R first: at 80 columns the line is cut and the footer has no room for R either, and
            # a tester never found how to record the list read.
            f"{len(self.views)} words · R: list read · + name · K keep · J go to text · read from the top"
            if self.views else "No residual candidates: every word left in place is an ordinary word")
        note = event.note
        if self.views:
            row = min(len(self.views), max(1, self._wanted_rank)) - 1
            if self._wanted_form is not None:
                same = next((i for i, v in enumerate(self.views) if v.form == self._wanted_form), None)
                if same is not None:
                    row = same
                elif note is None:
                    # decided in the transcript: say so, or the next key acts on the word moved up
                    note = f"«{self._wanted_form}» has left the list; the cursor is on «{self.views[row].form}»"
            listing.highlighted = row
        self._wanted_form = None
        self.busy = False
        if note:
            self.notify(note)

    def current(self) -> ResidualView | None:
        """The highlighted candidate."""
        index = self.query_one("#residual", OptionList).highlighted
        return self.views[index] if index is not None and 0 <= index < len(self.views) else None

    def _act(self, call: Callable[[], _Done]) -> None:
        self.busy = True
        self._store(call)

    @work(thread=True, group="residual-decide")
    def _store(self, call: Callable[[], _Done]) -> None:
        try:
            done = call()
        except (services.ServiceError, KeyFileError, OSError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._acted, done)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.notify(message, severity="error")

    def _acted(self, done: _Done) -> None:
        self._wanted_rank = done.rank
        self.action_refresh(done.note)

    def action_mark_name(self) -> None:
        """Mark every occurrence of the highlighted word as a person's name; a word that is an
        ordinary word too ("hans") asks first, since it is marked where it is the word as well."""
        view = self.current()
        if view is None:
            return

        def call() -> _Done:
            pseudonym, count = anonymisation.add_name(self.project, view.form, coder=self.coder)
            return _Done(f"«{view.form}» is {pseudonym}: {count} mention(s) marked", view.rank)

        self._wanted_rank = view.rank  # the list reloads when the question closes: keep the place
        self._asking_if_a_word(view, call, "+", "a")

    def _asking_if_a_word(self, view: ResidualView, call: Callable[[], _Done], key: str, there: str) -> None:
        """Run ``call``, which marks every occurrence of the word; for a word that is an ordinary
        word too ("hans"), only after asking, since it is marked where it is the word as well."""
        if not view.also_a_word:
            self._act(call)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._act(call)

        self.app.push_screen(ConfirmDialog(
            f"«{view.form}» is an ordinary word too",
            f"{key} marks every «{view.form}» in the project, also where it is the word. To mark only "
            f"where it names someone, open it (Enter) and mark it in the transcript ({there}).",
            yes="Mark everywhere", no="Cancel"), answered)

    def action_mark_as(self) -> None:
        """Mark every occurrence of the highlighted word as a workplace, place, NAV office or other
        detail: the kind is asked first ("amla" is a place, "fjordkjøkken" a workplace)."""
        view = self.current()
        if view is None:
            return
        self._wanted_rank = view.rank  # the list reloads when the question closes: keep the place

        def picked(kind: str | None) -> None:
            if not kind:
                return

            def call() -> _Done:
                pseudonym, count = anonymisation.add_name(self.project, view.form, kind=kind, coder=self.coder)
                return _Done(f"«{view.form}» is {pseudonym}: {count} mention(s) marked", view.rank)

            # As + asks: a tester's A on "morgenstell" a row too late marked it everywhere.
            self._asking_if_a_word(view, call, "A", "A")

        self.app.push_screen(KindPicker(view.form), picked)

    def action_keep(self) -> None:
        """Keep the highlighted word (not a name): it leaves the list."""
        view = self.current()
        if view is None:
            return

        def call() -> _Done:
            anonymisation.keep_residual(self.project, [view.form], coder=self.coder)
            return _Done(f"«{view.form}» kept: not a name", view.rank)

        self._act(call)

    def action_read(self) -> None:
        """Record that the list is read: until then no export or screen calls the project anonymised."""
        if not self.loaded or self.busy:
            # A tester's R right after opening the list asked about "0 words listed"; another's R
            # while the last K was stored did nothing at all, and the list stayed unread.
            self.notify("The list is still being read; R again when it shows", severity="warning")
            return
        left = len(self.views)

        def answered(yes: bool | None) -> None:
            if not yes:
                self.notify("Not recorded: the residual list stays unread (R, then y, when you have read it)")
                return

            def call() -> _Done:
                anonymisation.mark_residual_read(self.project, coder=self.coder)
                state = anonymisation.anonymisation_state(self.project)
                return _Done(f"residual list read · {state.describe()}", 1)

            self._act(call)

        self.app.push_screen(ConfirmDialog(
            "Have you read the residual list?",
            f"The project is called anonymised only once someone has read the words left unmasked "
            f"that may still be names. {left} word(s) are listed now: those you have not marked stay "
            "as they are. A document imported later needs the list read again.",
            yes="Yes, I have read it", no="Cancel"), answered)

    def action_jump(self) -> None:
        """Open the transcript with the highlighted word selected; J again on the same entry
        goes to its next occurrence (a tester could reach only the first "vår" of the list)."""
        view = self.current()
        if view is not None and view.contexts:
            self._wanted_rank = view.rank  # back from the transcript, on the same word
            self._wanted_form = view.form
            turn = self._jumps.get(view.form, 0) % len(view.contexts)
            self._jumps[view.form] = turn + 1
            at = view.contexts[turn]
            self.workbench.open_document(at.document_id, position=at.end, select_to=at.start)
            if len(view.contexts) > 1:
                self.notify(f"occurrence {turn + 1} of {len(view.contexts)}: q back to the list, then J again for the next")

    @on(OptionList.OptionSelected, "#residual")
    def _selected(self) -> None:
        self.action_jump()
