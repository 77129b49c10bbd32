"""Searching the corpus (constant comparison): keyword in context, go to the place, code the hits.

Opened with ``/`` from any screen. The query language is the command line's (``codebench search``):
words, prefixes, wildcards, "phrases", /regular expressions/, [pseudonyms], and filters written
into the query (``role:mentor speaker:informant is:uncoded``). The screen is kept when left, so
coming back with ``/`` from a transcript shows the same hits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from codebench import services
from codebench.domain.records import CodeInfo
from codebench.tui.background import load_in_background
from codebench.tui.screens.base import WorkbenchScreen
from codebench.tui.screens.picker import CodePicker, PickedCode, TextPrompt
from codebench.tui.widgets.hit_list import HitList
from codebench.tui.widgets.stable_footer import StableFooter

FIRST_PAGE = 200
"""Hits shown at once while the rest load (a common word has thousands)."""

PLACEHOLDER = 'tillit*  "naturlig bistand"  /regex/  [Mentor 2]  role:mentor speaker:informant is:uncoded in:"code"'


class SearchScreen(WorkbenchScreen):
    """Type a query, read the hits in context, go to one, or code them all."""

    BINDINGS = [
        Binding("j", "jump", "go to", tooltip="Go to the highlighted hit in its transcript"),
        Binding("space", "mark", "mark", tooltip="Mark or unmark the highlighted hit (c codes the marked ones)"),
        Binding("a", "mark_all", "mark all", show=False, tooltip="Mark every hit, or none"),
        Binding("c", "code_hits", "code hits", tooltip="Code the marked hits (or all of them) with a code"),
        Binding("w", "widen", "widen", tooltip="What coding a hit codes: the hit, its words, its sentence, its turn"),
        Binding("s", "save", "save", show=False, tooltip="Save this search with its query (for re-running and the methods section)"),
        Binding("l", "saved", "saved", show=False, tooltip="Saved searches: pick one to run"),
        Binding("o", "rendition", "original/anonymised", show=False,
                tooltip="Search the original text or the anonymised rendition (coders allowed to see names)"),
        Binding("slash", "focus_query", "query", tooltip="Edit the query"),
        Binding("alt+c", "option('case_sensitive')", "case", show=False, priority=True,
                tooltip="Tell capitals from small letters (or not)"),
        Binding("alt+a", "option('accent_sensitive')", "accents", show=False, priority=True,
                tooltip="Tell é from e and å from a (or not)"),
        Binding("alt+n", "option('nordic')", "å=aa", show=False, priority=True,
                tooltip="Take å/aa, ø/oe, æ/ae for the same letters (or not)"),
        Binding("escape", "back", "back", show=False),
        Binding("q", "back", "back"),
    ]

    FOOTER_SHORT = {"code_hits": "code"}
    """Descriptions below 100 columns (stable_footer.py): "/ query" then fits at 80."""

    widen_to: reactive[str] = reactive("sentence")
    """What coding a hit codes (one of services.WIDEN_UNITS)."""

    def __init__(self) -> None:
        super().__init__()
        self.result: services.SearchResult | None = None
        self.options = services.MatchOptions()
        self.original = False
        """Search the original text (only for coders allowed to see names); else what disclosure decides."""
        self.query_text = ""
        self.loading_rest = False
        """The first hits are shown and the rest are still being found."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="search-pane"):
            yield Input(placeholder=PLACEHOLDER, id="search-query")
            yield Label("", id="search-hint")
            yield HitList(id="hits")
            yield Label("", id="hit-where")
            yield Static("", id="hit-context")
            yield Label("type a query and press enter", id="search-status", markup=False)
        yield StableFooter()

    def on_mount(self) -> None:
        self.title = "codebench — search"
        self._show_hint()
        self.query_one("#search-query", Input).focus()

    def on_screen_resume(self) -> None:
        self.sub_title = f"coder: {self.coder}"

    def focus_query(self) -> None:
        """Put the caret in the query, with the current query selected for retyping."""
        query = self.query_one("#search-query", Input)
        query.focus()
        query.select_all()

    # -- running a search ------------------------------------------------------------------------

    @on(Input.Submitted, "#search-query")
    def _submitted(self, event: Input.Submitted) -> None:
        self.run_search(event.value)

    def run_search(self, query: str) -> None:
        """Search for ``query``: the first hits show at once, the rest follow."""
        query = query.strip()
        if not query:
            self.notify("Type something to search for", severity="warning")
            return
        self.query_text = query
        self.query_one("#search-query", Input).value = query
        self.loading_rest = True
        self._status("searching…")
        self.query_one(HitList).focus()
        # Which coders are shown is asked in the worker: with some hidden it reads the project.
        self._search(query, self.options, self.original, self.workbench.visible_coders)

    @work(thread=True, exclusive=True)
    def _search(self, query: str, options: services.MatchOptions, original: bool,
                visible_coders: Callable[[], list[str] | None]) -> None:
        worker = get_current_worker()
        try:
            kwargs = dict(coder=self.coder or None, original=original, options=options, coded_by=visible_coders())
            first = services.search(self.project, query, limit=FIRST_PAGE, **kwargs)  # type: ignore[arg-type]
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self._show, first)
            if not first.complete:
                result = services.search(self.project, query, **kwargs)  # type: ignore[arg-type]
                if not worker.is_cancelled:
                    self.app.call_from_thread(self._show, result)
        except services.ServiceError as exc:
            self.app.call_from_thread(self._failed, str(exc))

    def _failed(self, message: str) -> None:
        self.loading_rest = False
        self._status(message)
        self.notify(message, severity="error")
        self.query_one("#search-query", Input).focus()

    def _show(self, result: services.SearchResult) -> None:
        same = self.result is not None and self.result.query.text == result.query.text
        self.result = result
        self.loading_rest = not result.complete
        hits = self.query_one(HitList)
        hits.show(result.hits, keep_cursor=same)
        self._status()
        self._show_hint()
        if result.note and not result.hits and result.anonymised:
            # Why a name is not found must be read, not just glimpsed in the status line.
            self.notify(result.note, severity="warning", timeout=12)

    def _status(self, message: str | None = None) -> None:
        label = self.query_one("#search-status", Label)
        if message is not None:
            label.update(message)
            return
        result = self.result
        if result is None:
            label.update("type a query and press enter")
            return
        if not result.hits and result.note:
            label.update(result.note)
            return
        count = f"{_count(len(result.hits), 'hit', 'hits')} in {_count(result.documents, 'document', 'documents')}"
        if self.loading_rest:
            count = f"first {count} · loading the rest…"
        parts = [count, "anonymised text" if result.anonymised else "original text", f"coding widens to {self.widen_to}"]
        marked = len(self.query_one(HitList).marked)
        if marked:
            parts.append(f"{marked} marked")
        label.update(" · ".join(parts))

    def _show_hint(self) -> None:
        o = self.options
        flags = [f"alt+c case:{'yes' if o.case_sensitive else 'no'}", f"alt+a accents:{'yes' if o.accent_sensitive else 'no'}",
                 f"alt+n å=aa:{'yes' if o.nordic else 'no'}"]
        hint = "enter search · " + " · ".join(flags)
        # o is offered where it changes something: the anonymised text is shown, or the coder chose the original.
        if self.workbench.original_allowed and self.result is not None and (self.result.anonymised or self.original):
            hint += f" · o {'original' if self.result.anonymised else 'anonymised'} text"
        self.query_one("#search-hint", Label).update(hint)

    def action_refresh(self) -> None:
        """Run the search again (after coding, undo, or a change elsewhere)."""
        if self.query_text:
            self.run_search(self.query_text)

    # -- reading the hits ------------------------------------------------------------------------

    @on(HitList.Highlighted)
    def _highlighted(self) -> None:
        hit = self.query_one(HitList).current
        where = self.query_one("#hit-where", Label)
        context = self.query_one("#hit-context", Static)
        if hit is None:
            where.update("")
            context.update("")
            return
        # Character positions are the original's: with the anonymised rendition, a coder who may not
        # see names would read each name's length off them, so they get the turn only.
        place = f"[{hit.start}–{hit.end}]" if self.workbench.original_allowed else None
        where.update(" · ".join(str(x) for x in (hit.document, hit.role, f"{hit.speaker or '—'} ({hit.side})",
                                                    f"turn {hit.turn}", place) if x))
        # Two lines of the panel: the hit in the middle, as much of its sentence either side as fits.
        room = max((context.size.width - 2) * 2 - len(hit.match) - 8, 20) // 2
        left, match, right = hit.context(room)
        context.update(Text.assemble(left, (match, "bold reverse"), right))

    @on(HitList.Selected)
    def _selected(self) -> None:
        self.action_jump()

    def action_jump(self) -> None:
        hit = self.query_one(HitList).current
        if hit is not None:
            if self.result is not None and self.workbench.original_allowed:
                # The transcript opens in the rendition the hit was read in (o there switches back).
                self.workbench.show_anonymised = self.result.anonymised
            self.workbench.open_document(hit.document_id, position=hit.end, select_to=hit.start)

    def action_mark(self) -> None:
        self.query_one(HitList).toggle_mark()
        self._status()

    def action_mark_all(self) -> None:
        self.query_one(HitList).mark_all()
        self._status()

    def action_focus_query(self) -> None:
        self.focus_query()

    def action_back(self) -> None:
        if self.focused is self.query_one("#search-query", Input) and self.query_one(HitList).hits:
            self.query_one(HitList).focus()
            return
        self.app.pop_screen()

    def action_option(self, name: str) -> None:
        """Turn one of the match options on or off, and search again."""
        self.options = replace(self.options, **{name: not getattr(self.options, name)})
        self._show_hint()
        self.action_refresh()

    def action_rendition(self) -> None:
        if not self.workbench.original_allowed:
            self.notify("This project shows you the anonymised text only", severity="warning")
            return
        self.original = not self.original
        self._show_hint()
        self.action_refresh()

    def watch_widen_to(self) -> None:
        if self.is_mounted:
            self._status()

    def action_widen(self) -> None:
        units = services.WIDEN_UNITS
        self.widen_to = units[(units.index(self.widen_to) + 1) % len(units)]
        self.notify(f"coding a hit codes its {self.widen_to}" if self.widen_to != "hit" else "coding a hit codes the matched words")

    # -- coding the hits ---------------------------------------------------------------------------

    def action_code_hits(self) -> None:
        hits_list = self.query_one(HitList)
        hits = hits_list.marked_hits() or hits_list.hits
        if not hits:
            self.notify("No hits to code: search first", severity="warning")
            return
        if self.loading_rest and not hits_list.marked:
            self.notify("The rest of the hits are still loading; code them when the count stops", severity="warning")
            return
        which = "marked hits" if hits_list.marked else "hits"
        title = f"Code {len(hits):,} {which} (each widened to its {self.widen_to}) as"
        left, match, right = hits[0].context(40)
        sample = f"{left}{match}{right}"

        project, coder, app = self.project, self.coder, self.workbench

        def fetch() -> tuple[list[CodeInfo], list[str], dict[str, str]]:
            codes = services.code_tree(project)
            return codes, services.recent_codes(project, coder), app.code_labels(c.name for c in codes)

        def pick(loaded: tuple[list[CodeInfo], list[str], dict[str, str]]) -> None:
            codes, recent, labels = loaded

            def chosen(picked: PickedCode | None) -> None:
                if picked is not None:
                    self._code(hits, picked, labels)

            self.app.push_screen(CodePicker(codes, title=title, context=sample, recent=recent, labels=labels), chosen)

        load_in_background(self, fetch, pick, group="code-hits")

    def _code(self, hits: list[services.SearchHit], picked: PickedCode, labels: Mapping[str, str]) -> None:
        project, coder, widen_to, query = self.project, self.coder, self.widen_to, self.query_text

        def code() -> services.CodedHits:
            return services.code_hits(project, hits, picked.name, coder, widen_to=widen_to, query=query,
                                      create="open" if picked.new else None)

        def coded(done: services.CodedHits) -> None:
            already = f" ({done.already} were coded so already)" if done.already else ""
            shown = labels.get(done.code, done.code)
            self.notify(f"coded {done.added} passage(s) as «{shown}»{already} — ctrl+z undoes it")
            self.query_one(HitList).marked.clear()
            self.action_refresh()

        self.workbench.writes.submit(self, code, coded)

    # -- saved searches ------------------------------------------------------------------------------

    def action_save(self) -> None:
        if not self.query_text:
            self.notify("Search first, then save the search", severity="warning")
            return

        def save(name: str | None) -> None:
            if not name:
                return
            result = self.result
            project, query, options, coder = self.project, self.query_text, self.options, self.coder
            hits = len(result.hits) if result is not None and result.complete else None
            self.workbench.writes.submit(
                self, lambda: services.save_search(project, name, query, options=options, coder=coder, hits=hits),
                lambda kept: self.notify(f"saved as «{kept.name}» (codebench searches lists them)"))

        self.app.push_screen(TextPrompt("Save this search as"), save)

    def action_saved(self) -> None:
        project, coder, original = self.project, self.coder or None, self.workbench.original_allowed
        load_in_background(self, lambda: services.saved_searches(project, coder=coder, original=original),
                           self._pick_saved, group="saved-searches")

    def _pick_saved(self, found: list[services.SavedSearch]) -> None:
        if not found:
            self.notify("No saved searches yet: s saves the one on screen", severity="warning")
            return

        def run(chosen: services.SavedSearch | None) -> None:
            if chosen is not None:
                self.options = chosen.options
                self._show_hint()
                self.run_search(chosen.query)

        self.app.push_screen(SavedSearchPicker(found), run)


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


class SavedSearchPicker(ModalScreen["services.SavedSearch | None"]):
    """The project's saved searches; Enter runs one."""

    BINDINGS = [Binding("escape", "dismiss(None)", "cancel")]

    def __init__(self, searches: list[services.SavedSearch]) -> None:
        super().__init__()
        self.searches = searches

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Saved searches (enter runs one)", id="picker-title")
            yield OptionList(*[Option(Text(f"{s.name}: {s.describe()}" + (f"  ({s.hits} hits)" if s.hits is not None else "")),
                                      id=str(i)) for i, s in enumerate(self.searches)], id="picker-options")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.searches[int(event.option.id or 0)])
