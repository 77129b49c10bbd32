"""Adjudication: two coders side by side on one transcript, one disagreement at a time."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Label, OptionList
from textual.widgets.option_list import Option

from codebench import services
from codebench.tui.background import load_in_background
from codebench.tui.screens.base import WorkbenchScreen
from codebench.tui.widgets.reveal import reveal
from codebench.tui.widgets.stable_footer import StableFooter
from codebench.tui.widgets.transcript import TranscriptView


class AdjudicationScreen(WorkbenchScreen):
    """Disagreements of coder A and coder B; resolve each into the consensus coder."""

    BINDINGS = [
        Binding("a", "resolve('keep-a')", "keep A"),
        Binding("b", "resolve('keep-b')", "keep B"),
        Binding("2", "resolve('both')", "keep both"),
        Binding("0", "resolve('neither')", "neither"),
        Binding("g", "agreed", "copy agreed", tooltip="Copy every agreed coding to the consensus coder"),
        Binding("q,escape", "app.pop_screen", "back"),
        Binding("ctrl+z", "app.undo", "undo", tooltip="Take back your last decision: its consensus codings go, "
                "the disagreement is open again"),
        Binding("ctrl+y", "app.redo", "redo", tooltip="Make the decision you undid again"),
    ]

    def __init__(self, coder_a: str, coder_b: str) -> None:
        super().__init__()
        self.coder_a = coder_a
        self.coder_b = coder_b
        self.regions: list = []
        self._document_id: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="disagreements-pane"):
                yield Label("", id="disagreement-count", classes="pane-title")
                yield OptionList(id="disagreements")
            with Vertical(classes="coder-pane"):
                yield Label(f"A: {self.coder_a}", classes="pane-title", id="label-a")
                yield TranscriptView("", [], id="view-a")
            with Vertical(classes="coder-pane"):
                yield Label(f"B: {self.coder_b}", classes="pane-title", id="label-b")
                yield TranscriptView("", [], id="view-b")
        yield StableFooter()

    def on_mount(self) -> None:
        self.sub_title = f"adjudicating {self.coder_a} and {self.coder_b} as {self.coder}"
        self.reload()
        self.query_one(OptionList).focus()

    def reload(self, keep_index: int = 0) -> None:
        """Fetch the open disagreements again (in a worker)."""
        project, a, b = self.project, self.coder_a, self.coder_b

        def failed(exc: Exception) -> None:
            self.notify(str(exc), severity="error")
            self._fill([], 0)

        load_in_background(self, lambda: services.disagreements(project, a, b), lambda regions: self._fill(regions, keep_index),
                           group="disagreements", failed=failed)

    def show_operation(self, item: services.HistoryItem, done: str) -> None:
        """After an undo or redo: say what it was and list the disagreements again, the undone one
        highlighted (a decision undone is open again, one redone leaves the list)."""
        self.notify(f"{done} {item.description}")
        place = item.place
        key = f"{place.document_id}:{place.start}-{place.end}"
        current = self._current_index()
        project, a, b = self.project, self.coder_a, self.coder_b

        def fill(regions: list) -> None:  # type: ignore[type-arg]
            keys = [r.key for r in regions]
            self._fill(regions, keys.index(key) if key in keys else current or 0)

        load_in_background(self, lambda: services.disagreements(project, a, b), fill, group="disagreements")

    def _fill(self, regions: list, keep_index: int) -> None:  # type: ignore[type-arg]
        self.regions = regions
        options = self.query_one(OptionList)
        options.clear_options()
        # The original's positions only for a coder who may see names (else they tell a name's length).
        positions = self.workbench.original_allowed
        options.add_options([
            Option(Text(f"{r.document[:22]}{f' [{r.start}–{r.end}]' if positions else ''}\n  A: {', '.join(r.codes_of(self.coder_a)) or '—'}\n"
                        f"  B: {', '.join(r.codes_of(self.coder_b)) or '—'}"), id=r.key)
            for r in self.regions
        ])
        self.query_one("#disagreement-count", Label).update(f"{len(self.regions)} open disagreement(s)")
        if self.regions:
            options.highlighted = min(keep_index, len(self.regions) - 1)
            self._show(self.regions[options.highlighted])

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index is not None and event.option_index < len(self.regions):
            self._show(self.regions[event.option_index])

    def _show(self, region) -> None:  # type: ignore[no-untyped-def]
        """Fetch the region's document (when it is another) and both coders' codings, then show them."""
        project, a, b = self.project, self.coder_a, self.coder_b
        same = region.document_id == self._document_id

        def fetch() -> tuple[services.DocumentText | None, list[services.CodedSpanView]]:
            doc = None if same else services.get_document(project, region.document_id)
            return doc, services.document_codings(project, region.document_id, coders=[a, b])

        load_in_background(self, fetch, lambda loaded: self._shown(region, *loaded), group="region")

    def _shown(self, region, doc: services.DocumentText | None,  # type: ignore[no-untyped-def]
               spans: list[services.CodedSpanView]) -> None:
        views = (self.query_one("#view-a", TranscriptView), self.query_one("#view-b", TranscriptView))
        if doc is not None:
            turns = [(t.start, t.end, t.body_start, t.speaker) for t in doc.turns]
            for view in views:
                view.set_text(doc.text, turns)
            self._document_id = region.document_id
        for view, coder in zip(views, (self.coder_a, self.coder_b)):
            view.set_marks([s for s in spans if s.coder == coder])
            view.move_to(region.end, select_to=region.start)
            reveal(view, region.start, region.end)  # the disagreement from its first word, not its last line

    def _current_index(self) -> int | None:
        highlighted = self.query_one(OptionList).highlighted
        return highlighted if highlighted is not None and highlighted < len(self.regions) else None

    def action_resolve(self, decision: str) -> None:
        index = self._current_index()
        if index is None:
            return
        region = self.regions[index]
        project, a, b, adjudicator = self.project, self.coder_a, self.coder_b, self.coder

        def resolved(created: list) -> None:  # type: ignore[type-arg]
            self.notify(f"{decision}: {len(created)} consensus coding(s)")
            self.reload(index)

        self.workbench.writes.submit(
            self, lambda: services.resolve_disagreement(project, a, b, region.key, decision, adjudicator=adjudicator),
            resolved)

    def action_agreed(self) -> None:
        project, a, b, adjudicator = self.project, self.coder_a, self.coder_b, self.coder
        self.workbench.writes.submit(
            self, lambda: services.accept_agreed(project, a, b, adjudicator=adjudicator),
            lambda copied: self.notify(f"{copied} agreed coding(s) copied to consensus"))
