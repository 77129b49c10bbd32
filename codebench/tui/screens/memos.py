"""The memo browser: every memo of the project — project, document, code and coding memos — in
one list; type to filter, Enter goes to the place a memo is about, F2 edits it.

The filter line takes words and ``code:``, ``doc:``, ``by:``, ``kind:`` terms (see
:func:`codebench.domain.memos.parse_memo_query`); the line above the list says what is filtered,
so a filtered list never passes for the whole.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from codebench import services
from codebench.domain.memos import MemoEntry, parse_memo_query, select_memos
from codebench.tui.screens.base import WorkbenchScreen
from codebench.tui.screens.picker import MemoEditor
from codebench.tui.widgets.stable_footer import StableFooter

PLACEHOLDER = "type to filter: words, code:NAME doc:NAME by:CODER kind:coding|code|document|project"


def memo_prompt(entry: MemoEntry) -> Content:
    """Two lines for the list: kind, place, author and date; then the start of the memo."""
    when = entry.updated_at or entry.created_at
    who = entry.author or ("codebook" if entry.field_memo else "—")
    first = " ".join(entry.text.split())
    return Content.assemble(
        (entry.kind_title, "bold"), "  ", entry.place, "  ", (who, "$text-muted"),
        (f" {when:%Y-%m-%d}" if when else "", "$text-muted"), "\n  ", (first, "italic"),
    )


class MemosScreen(WorkbenchScreen):
    """All memos; filter by typing; go to what a memo is about; edit or write memos."""

    BINDINGS = [
        # Before the filter field's own Enter: typing then Enter goes to the memo found.
        Binding("enter", "jump", "go to", priority=True, tooltip="Open what the memo is about: the coding, document or code"),
        Binding("f2", "edit", "edit", tooltip="Edit the highlighted memo (an empty memo deletes it)"),
        Binding("ctrl+n", "new", "new memo", tooltip="Write a memo on the project"),
        Binding("down", "move(1)", "next", show=False),
        Binding("up", "move(-1)", "previous", show=False),
        Binding("pagedown", "move(10)", "page down", show=False),
        Binding("pageup", "move(-10)", "page up", show=False),
        Binding("f5", "refresh", "refresh", show=False),
        Binding("escape", "back", "back", tooltip="Clear the filter; with none, go back"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.entries: list[MemoEntry] = []
        self._stored: dict[str, tuple[int | None, int | None]] = {}
        """Memo key -> its coding's place in the original (the list may show the rendition's)."""
        """Every memo of the project, as this coder may see them."""
        self.shown: list[MemoEntry] = []
        """The memos the filter keeps, in list order."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Input(self.initial_query, placeholder=PLACEHOLDER, id="memo-filter")
            yield Label("loading…", id="memo-count", classes="pane-title")
            yield OptionList(id="memo-list")
            yield Static("", id="memo-detail")
        yield StableFooter()

    def on_mount(self) -> None:
        self.title = "codebench — memos"
        self.sub_title = f"coder: {self.coder}"
        self.query_one(Input).focus()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    # -- loading and filtering -------------------------------------------------------------

    def action_refresh(self) -> None:
        """Fetch the memos again (in a worker: anonymising many memos takes a moment)."""
        self._load(not self.workbench.anonymised_view)

    @work(thread=True, exclusive=True)
    def _load(self, original: bool) -> None:
        entries = services.memo_entries(self.project, original=original)
        # A coder kept from names reads a coding memo's place in the anonymised text (the
        # original's positions beside it would tell a name's length); jumping goes by the
        # original's, kept per memo.
        self._stored = {e.key: (e.start, e.end) for e in entries}
        entries = services.anonymisation.positions_for(self.project, self.coder or None).moved(entries)
        self.app.call_from_thread(self._loaded, entries)

    def _loaded(self, entries: list[MemoEntry]) -> None:
        self.entries = entries
        self._fill()

    @on(Input.Changed, "#memo-filter")
    def _typed(self) -> None:
        self._fill()

    def _fill(self) -> None:
        current = self.current()
        wanted = parse_memo_query(self.query_one(Input).value)
        self.shown = select_memos(self.entries, wanted)
        options = self.query_one(OptionList)
        options.set_options([Option(memo_prompt(e), id=e.key) for e in self.shown])
        count = f"{len(self.shown)} of {len(self.entries)} memos"
        if not wanted.empty:
            count += f" · filtered: {wanted.describe()}"
        self.query_one("#memo-count", Label).update(count)
        if self.shown:
            keys = [e.key for e in self.shown]
            options.highlighted = keys.index(current.key) if current is not None and current.key in keys else 0
        self._show_detail()

    def current(self) -> MemoEntry | None:
        """The highlighted memo."""
        index = self.query_one(OptionList).highlighted if self.is_mounted else None
        return self.shown[index] if index is not None and index < len(self.shown) else None

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        entry = self.current()
        detail = self.query_one("#memo-detail", Static)
        if entry is None:
            empty = ("No memo matches the filter (Esc clears it)" if self.entries else
                     "No memo here yet: m on a coding in a transcript, e on a code in the codebook, M on a document, "
                     "ctrl+n on the project")
            detail.update(Content.styled(empty, "$text-muted"))
            return
        parts = [Content.assemble((entry.kind_title.capitalize(), "bold"), " on ", entry.place)]
        if entry.title:
            parts.append(Content.styled(entry.title, "bold"))
        if entry.quote:
            parts.append(Content.styled(f"«{' '.join(entry.quote.split())}»", "italic"))
        parts.append(Content(entry.text.strip()))
        detail.update(Content("\n").join(parts))

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            options.highlighted = max(0, min(len(self.shown) - 1, (options.highlighted or 0) + delta))

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_jump()

    def action_back(self) -> None:
        field = self.query_one(Input)
        if field.value:
            field.value = ""
        else:
            self.app.pop_screen()

    # -- going to the place, editing ---------------------------------------------------------

    def action_jump(self) -> None:
        """Open the place the memo is about: a coding selected in its transcript, a document, a
        code in the codebook; a project memo opens for editing."""
        entry = self.current()
        if entry is None:
            return
        if entry.kind == "coding" and entry.document_id is not None and entry.start is not None:
            # The caret on the coding's first word: "Codes here" shows it, and m edits its memo.
            start, end = self._stored.get(entry.key, (entry.start, entry.end))
            self.workbench.open_document(entry.document_id, position=start, select_to=end)
        elif entry.kind == "document" and entry.document_id is not None:
            self.workbench.open_document(entry.document_id)
        elif entry.kind == "code" and entry.code:
            from codebench.tui.screens.codebook import CodebookScreen

            self.app.push_screen(CodebookScreen(focus_code=entry.code))
        else:
            self.action_edit()

    def action_edit(self) -> None:
        """Edit the highlighted memo where it lives (its coding, its code, or the memo itself)."""
        entry = self.current()
        if entry is None:
            return
        if entry.masked:
            self.notify("This memo names people: edit it where original names show, so that no name is overwritten"
                        + (" (o in a transcript switches)" if self.workbench.original_allowed else ""), severity="warning")
            return
        if entry.kind == "coding" and entry.author != self.coder:
            self.notify(f"That memo is on {entry.author}'s coding: a coder writes memos on their own codings "
                        "(code the passage yourself, or write a document memo)", severity="warning")
            return

        def save(text: str | None) -> None:
            if text is None:
                return
            try:
                self._save(entry, text)
            except services.ServiceError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify("memo saved" if text.strip() else "memo deleted (ctrl+z brings it back)")
            self.action_refresh()

        self.app.push_screen(MemoEditor(_editor_title(entry), entry.text, context=entry.quote), save)

    def _save(self, entry: MemoEntry, text: str) -> None:
        if entry.kind == "coding":
            services.set_coding_memo(self.project, entry.key, text if text.strip() else None, self.coder)
        elif entry.field_memo:
            services.update_code(self.project, entry.code or "", memo=text if text.strip() else None, coder=self.coder)
        else:
            services.edit_memo(self.project, entry.key, text, coder=self.coder)

    def action_new(self) -> None:
        """Write a memo on the project (theoretical notes, decisions, the core category)."""

        def save(text: str | None) -> None:
            if text and text.strip():
                services.add_memo(self.project, text, author=self.coder)
                self.notify("memo saved on the project")
                self.action_refresh()

        self.app.push_screen(MemoEditor("Memo on the project"), save)


def _editor_title(entry: MemoEntry) -> str:
    if entry.kind == "coding":
        return f"Memo on this coding of «{entry.code_shown}»"
    if entry.kind == "code":
        return f"Memo on the code «{entry.code_shown}»"
    if entry.kind == "document":
        return f"Memo on the document «{entry.document}»"
    return "Memo on the project"
