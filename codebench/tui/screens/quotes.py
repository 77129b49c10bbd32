"""Constant comparison: every quote of a code or category across the corpus."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Label, Select, Static

from codebench import services
from codebench.domain.quote_editing import without_time_marks
from codebench.domain.records import ROLES, CodeInfo, Quote
from codebench.tui.screens.base import WorkbenchScreen
from codebench.tui.widgets.quote_list import QuoteList
from codebench.tui.widgets.stable_footer import StableFooter


class QuotesScreen(WorkbenchScreen):
    """Quotes with document, role and speaker; filter by role and round; jump to the transcript."""

    BINDINGS = [
        Binding("enter", "jump", "go to transcript", show=False),
        Binding("j", "jump", "go to transcript"),
        Binding("r", "recode", "recode"),
        Binding("q,escape", "app.pop_screen", "back"),
    ]

    def __init__(self, node: CodeInfo) -> None:
        super().__init__()
        self.node = node
        self.quotes: list[Quote] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            with Horizontal(id="quote-filters"):
                yield Label(self._title(self.node), id="quotes-title", markup=False)
                yield Select([(r, r) for r in ROLES], prompt="all roles", id="role-filter")
                yield Select([(f"runde {n}", n) for n in (1, 2, 3)], prompt="all rounds", id="round-filter")
            yield QuoteList(id="quotes")
            yield Static("", id="quote-text", markup=False)
            yield Label("", id="quote-count")
        yield StableFooter()

    def show_node(self, node: CodeInfo) -> None:
        """Show another code's quotes in this (already composed) screen; they load on resume."""
        self.node = node
        self.quotes = []
        # A filter chosen for another code must not silently hide quotes of this one.
        for select in self.query(Select):
            select.clear()
        self.query_one("#quotes-title", Label).update(self._title(node))
        self.query_one(QuoteList).show([])

    def _title(self, node: CodeInfo, labels: dict[str, str] | None = None) -> str:
        # In the anonymised view the name waits for its rendition (an in-vivo code is the informant's words).
        if labels is None and self.workbench.anonymised_view:
            return f"{node.kind}: …"
        return f"{node.kind}: {(labels or {}).get(node.name, node.name)}"

    def on_mount(self) -> None:
        self.sub_title = f"coder: {self.coder}"
        self.query_one(QuoteList).focus()  # the quotes load on screen resume, which also runs on first display

    def load(self) -> None:
        """Start fetching the quotes with the current filters (in a worker: big codes take a while)."""
        role = self.query_one("#role-filter", Select).value
        round_ = self.query_one("#round-filter", Select).value
        self.query_one("#quote-count", Label).update("loading…")
        # An empty Select holds a sentinel, not None: keep only real choices.
        self._fetch(role if isinstance(role, str) else None, round_ if isinstance(round_, int) else None)

    @work(thread=True, exclusive=True)
    def _fetch(self, role: str | None, round_: int | None) -> None:
        key = "category" if self.node.kind == "category" else "code"
        found = services.quotes(self.project, **{key: self.node.name}, roles=[role] if role else None,  # type: ignore[arg-type]
                                anonymised=self.workbench.anonymised_view,
                                rounds=[round_] if round_ else None)
        filters = [f for f in (f"role {role}" if role else None, f"runde {round_}" if round_ else None) if f]
        # Shown as this coder's view shows code names; each quote's coding (its id) is what r recodes.
        labels = self.workbench.code_labels({self.node.name} | {q.code for q in found} | {q.category for q in found if q.category})
        if labels:
            found = [q._replace(code=labels.get(q.code, q.code), category=labels.get(q.category, q.category)
                                if q.category else None) for q in found]
        self.app.call_from_thread(self._show, found, filters, labels)

    def _show(self, found: list[Quote], filters: list[str] | None = None, labels: dict[str, str] | None = None) -> None:
        self.query_one("#quotes-title", Label).update(self._title(self.node, labels or {}))
        self.quotes = found
        self.query_one(QuoteList).show(found)
        count = f"{len(found)} quote(s)"
        if filters:  # say so: a filtered list looks like the whole list otherwise
            count += f" — filtered to {', '.join(filters)}; choose 'all' above to see every quote"
        self.query_one("#quote-count", Label).update(count)
        self._show_full()

    @on(Select.Changed)
    def _filter(self) -> None:
        self.load()

    @on(QuoteList.Highlighted)
    def _highlighted(self) -> None:
        self._show_full()

    def _current(self) -> Quote | None:
        row = self.query_one(QuoteList).cursor_row
        return self.quotes[row] if 0 <= row < len(self.quotes) else None

    def _show_full(self) -> None:
        quote = self._current()
        self.query_one("#quote-text", Static).update(f"«{' '.join(without_time_marks(quote.text).split())}»" if quote else "")

    @on(QuoteList.Selected)
    def _selected(self) -> None:
        self.action_jump()

    def action_jump(self) -> None:
        quote = self._current()
        if quote is not None:
            self.workbench.open_document(quote.document_id, position=quote.end, select_to=quote.start)

    def action_recode(self) -> None:
        quote = self._current()
        if quote is None:
            return
        if quote.coder != self.coder:
            # Agreement is computed on each coder's codings: never changed without asking.
            self.workbench.confirm_take_over(
                quote.coder, "recode", quote.code,
                lambda: self.workbench.pick_and_recode(quote.coding_uuid, quote.code, self.load, take_over=True))
            return
        self.workbench.pick_and_recode(quote.coding_uuid, quote.code, self.load)

    def on_screen_resume(self) -> None:
        self.load()
