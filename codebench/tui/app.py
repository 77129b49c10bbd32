"""The codebench workbench: ``codebench open PROJECT``."""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import Any, Callable, Iterable

from textual.app import App
from textual.binding import Binding

from codebench import services
from codebench.domain.records import CodeInfo
from codebench.tui.background import SerialWrites, load_in_background
from codebench.tui.commands import CodebenchCommands
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.picker import CodePicker, CoderPrompt, PickedCode, PickerPlacement
from codebench.tui.screens.project import ProjectScreen
from codebench.tui.screens.quotes import QuotesScreen


class CodebenchApp(App[None]):
    """Keyboard-first coding of one project by one coder."""

    CSS_PATH = "app.tcss"
    TITLE = "codebench"
    COMMANDS = App.COMMANDS | {CodebenchCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "quit", priority=True),
        Binding("f1", "help", "help"),
        # Not in the footer (F1 and the palette list it): every screen's footer would grow by it.
        Binding("slash", "search", "search", show=False, tooltip="Search the words of every transcript"),
        # Screens with their own undo (transcript, codebook, review) handle these first.
        Binding("ctrl+z", "undo", "undo", show=False, tooltip="Undo your last coding or codebook operation"),
        Binding("ctrl+y", "redo", "redo", show=False, tooltip="Redo what you undid"),
        # Only while the key panel is open (check_action): Esc elsewhere keeps its screen's meaning.
        Binding("escape", "close_help", "close help", show=False, priority=True),
        # ... and these scroll it: its keys ran below a 24-row terminal, and the arrows moved the
        # list under it (the focus stays there, so the panel lists that list's keys too).
        *(Binding(key, f"help_scroll('{key}')", "scroll help", show=False, priority=True)
          for key in ("down", "up", "pagedown", "pageup", "home", "end")),
    ]

    def __init__(self, project: services.Project, coder: str | None = None) -> None:
        super().__init__()
        self.project = project
        self.coder = coder or ""
        self._hidden_coders: set[str] = set()
        # Transcripts open in the rendition last chosen on a transcript screen (o toggles).
        self.show_anonymised = False
        # Until the coder is known (the prompt at start), no original name is shown.
        self.original_allowed = bool(self.coder)
        """May this coder see original names? (See services.anonymisation.may_see_original.)"""
        self.show_stripes = True
        """Transcripts show coding stripes beside the text (S toggles; later transcripts follow)."""
        self.writes = SerialWrites()
        """Every change to the project goes through this queue: off the UI thread, in order."""
        self._player: services.playback.Player | None = None
        self._code_labels_lock = threading.Lock()
        self._code_labels_cache: tuple[Any, frozenset[str], dict[str, str]] | None = None
        if self.coder:
            self._apply_viewing_rights()

    @property
    def anonymised_view(self) -> bool:
        """Names are hidden everywhere: the coder may not see originals, or chose the anonymised
        rendition (``o`` in a transcript) — e.g. to show the screen to others."""
        return self.show_anonymised or not self.original_allowed

    def code_labels(self, names: Iterable[str]) -> dict[str, str]:
        """Code name -> what this coder is shown now, for the names shown otherwise (reads the
        project: call it in a worker). Look names up with ``labels.get(name, name)``. Code
        descriptions go through it too: the picker searches them as shown.

        The name stays the key everywhere; only what is drawn goes through
        :func:`services.shown_code_names`: in the anonymised view an in-vivo code (the informant's
        own words) shows its rendition. Kept until the names asked for or the anonymisation change,
        so screens and pickers opened one after another read the anonymisation once.
        """
        if not self.anonymised_view:
            return {}
        wanted = frozenset(names)
        state = services.anonymisation.anonymisation_state(self.project)  # two small counts
        with self._code_labels_lock:
            cached = self._code_labels_cache
        if cached is not None and cached[0] == state and wanted <= cached[1]:
            return cached[2]
        covered = wanted | (cached[1] if cached is not None and cached[0] == state else frozenset())
        labels = services.shown_code_names(self.project, sorted(covered), anonymised=True)
        with self._code_labels_lock:
            self._code_labels_cache = (state, covered, labels)
        return labels

    def _apply_viewing_rights(self) -> None:
        self.original_allowed = services.anonymisation.may_see_original(self.project, self.coder)
        if not self.original_allowed:
            self.show_anonymised = True

    def on_mount(self) -> None:
        # What is alive now (the modules, the app, the project) lives as long as the workbench: a
        # full garbage collection need not walk it again. Such walks took 150–200 ms at start-up
        # and landed in the project screen's first frame (on_unmount gives it back).
        gc.freeze()
        self.push_screen(ProjectScreen())
        for warning in self.project.permission_warnings:
            self.notify(warning, title="Files readable by others", severity="warning", timeout=20)
        if not self.coder:
            def chosen(name: str | None) -> None:
                if not name:
                    self.exit()
                    return
                self.coder = name
                self.screen.sub_title = f"coder: {name}"

                def allowed(may: bool) -> None:
                    self.original_allowed = may
                    self.show_anonymised = self.show_anonymised or not may
                    self.screen.refresh_bindings()  # the keys offered depend on it (check_action)
                    if isinstance(self.screen, ProjectScreen):
                        self.screen.action_refresh()

                project = self.project
                load_in_background(self, lambda: services.anonymisation.may_see_original(project, name), allowed,
                                   group="coder")

            # The prompt reads the known coders itself, in a worker: counting them on a big project
            # must not hold up the first key.
            self.push_screen(CoderPrompt(self.known_coders), chosen)

    def audio_player(self, *, start: bool = True) -> services.playback.Player | None:
        """The external player transcripts play their recordings through, found on first use.

        Args:
            start: find and start one when there is none yet (False: only the one already running).
        """
        if self._player is None and start:
            try:
                self._player = services.playback.find_player()
            except services.ServiceError as exc:
                self.notify(str(exc), title="No player", severity="warning", timeout=10)
        return self._player

    def notify(self, message: str, *, title: str = "", severity: Any = "information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Pop up a notification; its words are shown as they are (not as markup), so a pseudonym
        such as "[Mentor A]" stays visible: as markup it was taken for a style and vanished."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def on_unmount(self) -> None:
        if self._player is not None:
            self._player.close()
            self._player = None
        # Transcript screens freeze what is alive while one is read (see DocumentScreen): give it
        # back to the collector when the workbench closes (tests run many apps in one process).
        gc.unfreeze()

    # -- shared by screens and the command palette ---------------------------------------

    def known_coders(self) -> list[str]:
        """Coders with codings in the project, and the current one (reads the project: call it in a worker)."""
        names = set(services.coding_counts(self.project).by_coder) | ({self.coder} if self.coder else set())
        return sorted(names)

    def visible_coders(self) -> list[str] | None:
        """Coders whose codings the transcript shows (None: everyone); with some hidden it reads the
        project: call it in a worker."""
        if not self._hidden_coders:
            return None
        return [c for c in self.known_coders() if c not in self._hidden_coders]

    @property
    def hidden_coders(self) -> list[str]:
        """Coders whose codings the transcript hides (a filter the screen shows)."""
        return sorted(self._hidden_coders)

    def toggle_coder(self, coder: str) -> None:
        """Show or hide one coder's codings in the transcript view."""
        self._hidden_coders ^= {coder}
        if isinstance(self.screen, DocumentScreen):
            self.screen.reload_marks()

    def open_document(self, document_id: int, *, position: int = 0, select_to: int | None = None) -> None:
        """Open a transcript for coding (at ``position``, selecting back to ``select_to``).

        One transcript screen is installed and reused; only when it is already in the stack
        (a jump from quotes opened over a transcript) is a second one composed.
        """
        if not self.is_screen_installed("document"):
            self.install_screen(DocumentScreen(document_id, position=position, select_to=select_to), "document")
            self.push_screen("document")
            return
        screen = self.get_screen("document")
        if screen in self.screen_stack:
            self.push_screen(DocumentScreen(document_id, position=position, select_to=select_to))
            return
        self.push_screen("document")
        assert isinstance(screen, DocumentScreen)
        screen.show_document(document_id, position=position, select_to=select_to)

    def open_quotes(self, node: CodeInfo) -> None:
        """Show every quote of a code or category."""
        if not self.is_screen_installed("quotes"):
            self.install_screen(QuotesScreen(node), "quotes")
            self.push_screen("quotes")
            return
        screen = self.get_screen("quotes")
        if screen in self.screen_stack:
            self.push_screen(QuotesScreen(node))
            return
        assert isinstance(screen, QuotesScreen)
        screen.show_node(node)
        self.push_screen("quotes")

    def open_search(self) -> None:
        """Search the corpus; the search screen is kept, so its hits are there when the coder comes back."""
        from codebench.tui.screens.search import SearchScreen

        if not self.is_screen_installed("search"):
            self.install_screen(SearchScreen(), "search")
        screen = self.get_screen("search")
        assert isinstance(screen, SearchScreen)
        if screen in self.screen_stack:
            while self.screen is not screen:
                self.pop_screen()
        else:
            self.push_screen("search")
        if screen.is_mounted:  # a new screen puts the caret in its query as it mounts
            screen.focus_query()

    def action_search(self) -> None:
        self.open_search()

    def open_heatmap(self) -> None:
        """Codes × roles, coloured by how many quotes each cell holds."""
        from codebench.tui.screens.heatmap import HeatMapScreen

        self.push_screen(HeatMapScreen())

    def open_memos(self, query: str = "") -> None:
        """Every memo of the project in one list (``query`` pre-fills the filter, e.g. ``code:tidspress``)."""
        from codebench.tui.screens.memos import MemosScreen

        self.push_screen(MemosScreen(query))

    def open_anonymisation(self) -> None:
        """Review detected names and identifiers.

        The screen is installed once and kept, so a detection run started there keeps its
        progress bar (and its result) while the coder reads a transcript.
        """
        from codebench.tui.screens.anonymise import AnonymisationScreen

        if not self.original_allowed:
            # The review lists the original names: only for coders allowed to see them.
            self.notify("the anonymisation review shows original names; this project lets only "
                        f"{', '.join(services.anonymisation.original_viewers(self.project) or ['no one'])} see them",
                        severity="warning")
            return
        if not self.is_screen_installed("anonymisation"):
            self.install_screen(AnonymisationScreen(), "anonymisation")
        if self.get_screen("anonymisation") in self.screen_stack:
            while self.screen is not self.get_screen("anonymisation"):
                self.pop_screen()
            return
        self.push_screen("anonymisation")

    def set_people_scope(self, scope: str) -> None:
        """Whether the interviews speak of the same people (``anonymise people``): how far a
        first name said alone reaches at the next detection."""
        from codebench.errors import ServiceError

        try:
            relinked = services.anonymisation.set_people_scope(self.project, scope, coder=self.coder)
        except ServiceError as exc:
            self.notify(str(exc), severity="error")
            return
        said = {"interview": "a lone first name stays in its interview",
                "project": "a lone first name joins the project's one person of that name",
                "circle": "a lone first name joins interviews that share people named in full"}[scope]
        self.notify(f"people: {scope} — {said}" + ("; run detection again (d in the review) for new suggestions, "
                                                   "entities already stored keep their mentions" if relinked else ""))

    def open_residual(self) -> None:
        """The residual review list (words left unmasked that may be names), over the review."""
        self.open_anonymisation()
        if self.is_screen_installed("anonymisation") and self.screen is self.get_screen("anonymisation"):
            from codebench.tui.screens.residual import ResidualScreen

            self.push_screen(ResidualScreen())

    def adjudicate(self, coder_a: str, coder_b: str) -> None:
        """Compare two coders side by side and resolve their disagreements."""
        from codebench.tui.screens.adjudicate import AdjudicationScreen

        if not self.original_allowed:
            self.notify("adjudication shows the original transcripts; ask a coder allowed to see them",
                        severity="warning")
            return
        self.push_screen(AdjudicationScreen(coder_a, coder_b))

    def _with_labels(self, codes: list[CodeInfo] | None,
                     then: Callable[[tuple[list[CodeInfo], dict[str, str]]], None]) -> None:
        """The code tree (unless given) and what this coder is shown for each name, read in a worker."""
        project = self.project

        def load() -> tuple[list[CodeInfo], dict[str, str]]:
            tree = codes if codes is not None else services.code_tree(project)
            return tree, self.code_labels(c.name for c in tree)

        load_in_background(self.screen, load, then, group="picker")

    def pick_and_recode(self, coding_uuid: str, current: str, after: Callable[[], None],
                        codes: list[CodeInfo] | None = None, *, take_over: bool = False,
                        labels: dict[str, str] | None = None, placement: PickerPlacement | None = None) -> None:
        """Let the coder pick another code (or name a new one) for a coding, then call ``after``.

        ``take_over``: the coder confirmed recoding another coder's coding (it becomes theirs).
        ``placement``: where the picker opens, off the coded words (default: centred).
        """
        if codes is None or labels is None:
            self._with_labels(codes, lambda loaded: self.pick_and_recode(coding_uuid, current, after, loaded[0],
                                                                         take_over=take_over, labels=loaded[1],
                                                                         placement=placement))
            return

        def recode(picked: PickedCode | None) -> None:
            if picked is None:
                return
            project, coder = self.project, self.coder
            self.writes.submit(self.screen, lambda: services.recode(project, coding_uuid, picked.name, coder,
                                                                    create="open" if picked.new else None,
                                                                    take_over=take_over),
                               lambda _: after())

        self.push_screen(CodePicker(codes, title=f"Recode «{labels.get(current, current)}» as", labels=labels,
                                    placement=placement), recode)

    def confirm_take_over(self, owner: str, verb: str, code: str, then: Callable[[], None]) -> None:
        """Ask before this coder changes ``owner``'s coding; ``then`` runs only on yes.

        Agreement is computed on each coder's codings: the changed coding becomes this coder's,
        so the other coder's version is gone from their data (the log keeps both names).
        """
        from codebench.tui.screens.confirm import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        consequence = (f"Recoded, it becomes yours and leaves {owner}'s codings" if verb == "recode"
                       else f"Removed, it is gone from {owner}'s codings")
        self.push_screen(ConfirmDialog(
            f"{verb.capitalize()} {owner}'s coding «{code}»?",
            f"It is {owner}'s coding, and agreement is computed on each coder's codings. {consequence}; "
            "the log names you both, and your undo brings it back.",
            yes=f"{verb.capitalize()} it", no="Leave it"), answered)

    def action_undo(self) -> None:
        self.history_step("undo")

    def action_redo(self) -> None:
        self.history_step("redo")

    def undo(self) -> None:
        """Undo the coder's last operation from anywhere."""
        self.history_step("undo")

    def redo(self) -> None:
        """Redo from anywhere."""
        self.history_step("redo")

    def history_step(self, direction: str) -> None:
        """Undo or redo (in the queue of writes), say what it did and show where it acted.

        A screen that can show the place itself (a transcript, the codebook) is asked to;
        elsewhere a coding's place opens in its transcript with the words selected.
        """
        project, coder = self.project, self.coder
        step = services.undo if direction == "undo" else services.redo
        done = "undid" if direction == "undo" else "redid"

        def call() -> services.HistoryItem | None:
            entry = step(project, coder)
            return (services.history_item(project, entry, anonymised=self.anonymised_view)
                    if entry is not None else None)

        def finished(item: services.HistoryItem | None) -> None:
            screen = self.screen
            if item is None:
                self.notify(f"nothing to {direction}")
                return
            show = getattr(screen, "show_operation", None)
            if show is not None:
                show(item, done)
                return
            self.notify(f"{done} {item.description}")
            place = item.place
            if place.document_id is not None and place.start is not None:
                end = place.end if place.end is not None else place.start
                self.open_document(place.document_id, position=end, select_to=place.start)
            else:
                self._refresh_screen()

        self.writes.submit(self.screen, call, finished,
                           failed=lambda exc: self.notify(f"cannot {direction}: {exc}", severity="error"))

    def merge_codes(self, codes: list[CodeInfo] | None = None, labels: dict[str, str] | None = None) -> None:
        """Pick a code, then the code to merge it into."""
        if codes is None or labels is None:
            self._with_labels(codes, lambda loaded: self.merge_codes(*loaded))
            return
        names = labels

        def shown(name: str) -> str:
            """What the coder is shown for a code name (an in-vivo code's rendition when anonymised)."""
            return names.get(name, name)

        def second(source: PickedCode | None) -> None:
            if source is None or source.new:
                return

            def merge(target: PickedCode | None) -> None:
                if target is None or target.new:
                    return
                project, coder = self.project, self.coder

                def merged(moved: int) -> None:
                    self.notify(f"merged {shown(source.name)} into {shown(target.name)}: {moved} coding(s) moved")
                    self._refresh_screen()

                self.writes.submit(self.screen, lambda: services.merge_codes(project, source.name, target.name, coder),
                                   merged)

            self.push_screen(CodePicker(codes, title=f"Merge «{shown(source.name)}» into", labels=labels), merge)

        self.push_screen(CodePicker(codes, title="Merge which code?", labels=labels), second)

    def _refresh_screen(self) -> None:
        screen = self.screen
        if isinstance(screen, DocumentScreen):
            screen.reload_marks()
        elif hasattr(screen, "action_refresh"):
            screen.action_refresh()
        elif isinstance(screen, QuotesScreen):
            screen.load()

    def _help_open(self) -> bool:
        from textual.widgets import HelpPanel

        return bool(self.screen.query(HelpPanel))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("close_help", "help_scroll"):
            return self._help_open()
        return True

    def action_help_scroll(self, key: str) -> None:
        """Scroll the open key panel (see BINDINGS)."""
        from codebench.tui.widgets.key_help import ScreenFirstKeys

        panel = self.screen.query(ScreenFirstKeys).first(None)
        if panel is None:
            return
        move = {"down": panel.scroll_down, "up": panel.scroll_up, "pagedown": panel.scroll_page_down,
                "pageup": panel.scroll_page_up, "home": panel.scroll_home, "end": panel.scroll_end}[key]
        move(animate=False)

    def action_help(self) -> None:
        """Open or close the key panel of the current screen (F1 toggles, Esc closes)."""
        if self._help_open():
            self.action_hide_help_panel()
        else:
            from codebench.tui.widgets.key_help import WorkbenchHelp

            self.screen.mount(WorkbenchHelp())  # the screen's own keys first

    def action_close_help(self) -> None:
        self.action_hide_help_panel()


def run(project_dir: Path, coder: str | None = None) -> None:
    """Open a project in the workbench (blocks until the user quits)."""
    project = services.open_project(project_dir)
    try:
        CodebenchApp(project, coder).run()
    finally:
        project.close()
