"""The project view: documents by informant role and round, and the code tree with counts."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Label

from codebench import services
from codebench.domain.records import ROLES
from codebench.tui.screens.base import WorkbenchScreen
from codebench.tui.screens.codebook import CodebookScreen
from codebench.tui.widgets.code_tree import CodeTree
from codebench.tui.widgets.long_table import LongTable
from codebench.tui.widgets.stable_footer import StableFooter


def anonymisation_cell(status: services.anonymisation.DocumentAnonymisation | None, *, searched: bool = True) -> Text:
    """A document's anonymisation status: not run, to review (with the open count), reviewed, none found."""
    if not searched:
        return Text("not run", style="bold")
    if status is None or status.status == "none":
        return Text("none found", style="dim")
    if status.status == "to review":
        return Text(f"to review {status.suggested}")
    return Text("reviewed")


def format_cell(doc: services.DocumentInfo) -> Text:
    """The source format, with the number of import warnings when there are any (``vtt !2``)."""
    if not doc.import_warnings:
        return Text(doc.source_format, style="dim")
    return Text.assemble((doc.source_format, "dim"), " ", (f"!{len(doc.import_warnings)}", "bold yellow"))


class ProjectScreen(WorkbenchScreen):
    """Start here: pick a transcript to code, or a code to compare its quotes."""

    BINDINGS = [
        Binding("enter", "open_selected", "open", show=False),
        Binding("o", "open_document", "open transcript"),
        Binding("g", "quotes", "quotes of code", tooltip="Every quote of the highlighted code or category"),
        Binding("k", "codebook", "codebook", tooltip="Reorganise the code tree: selective coding"),
        Binding("a", "anonymisation", "anonymise", tooltip="Anonymisation review: detected names and identifiers"),
        Binding("h", "heatmap", "heat map", tooltip="Codes × roles: how many quotes each perspective gives each code"),
        Binding("m", "memos", "memos", tooltip="Every memo: on codes, codings, documents and the project"),
        Binding("i", "import_details", "import details", show=False,
                tooltip="How the highlighted document was imported: format, clean-ups, warnings"),
        Binding("tab", "app.focus_next", "switch pane", show=False),
        Binding("f5", "refresh", "refresh", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="documents-pane"):
                yield Label("Documents", classes="pane-title")
                yield LongTable(id="documents", cursor_type="row", zebra_stripes=True)
            with Vertical(id="codes-pane"):
                yield Label("Codebook", classes="pane-title")
                yield CodeTree("codes", id="codes")
        yield StableFooter()

    def on_mount(self) -> None:
        self.title = f"codebench — {self.project.name}"
        self.sub_title = f"coder: {self.coder}"
        table = self.query_one("#documents", DataTable)
        table.add_columns("role", "case", "r", "words", "coded", "anon", "fmt", "document")
        table.focus()  # the lists fill on screen resume, which also runs on first display

    def action_refresh(self) -> None:
        """Reload documents and code counts (after coding in another screen or process)."""
        project: services.Project = self.project
        docs = services.list_documents(project)
        # Counted in the database: building every coding's record took seconds at 250,000 codings.
        counts = services.coding_counts(project)
        coded = counts.by_document
        anonymised = {d.document_id: d for d in services.anonymisation.document_status(project, docs)}
        state = services.anonymisation.anonymisation_state(project)
        # The one project-wide state, as the exports report it: never "anonymised" unless it is.
        self.sub_title = f"coder: {self.coder} · {state.short()}"
        # A coder who may not see original names does not see them in file names either, nor
        # does anyone who switched the workbench to the anonymised rendition (o in a transcript).
        names = ({} if not self.workbench.anonymised_view
                 else {d.document_id: d.anonymised_name for d in anonymised.values()})
        order = {role: i for i, role in enumerate(ROLES)}
        docs.sort(key=lambda d: (order.get(d.participant.role if d.participant else "other", 9),
                                 d.source_format == "survey", d.round or 0, d.name))
        table = self.query_one("#documents", LongTable)
        self._documents = {doc.id: doc for doc in docs}
        self._labels = {doc.id: names.get(doc.id, doc.name) for doc in docs}
        rows = []
        for doc in docs:
            case = doc.participant.pid if doc.participant else "—"
            rows.append((
                doc.participant.role if doc.participant else "—", case if len(case) <= 8 else "…" + case[-7:],
                str(doc.round or ""), str(doc.word_count), str(coded.get(doc.id, 0)),
                anonymisation_cell(anonymised.get(doc.id), searched=doc.id not in state.unsearched_ids),
                format_cell(doc), self._labels[doc.id][:60],
            ))
        # All rows in one pass (a thousand documents at 10 M words): add_row sized every cell.
        table.replace_rows(rows, [str(doc.id) for doc in docs])
        self.query_one("#codes", CodeTree).show(services.code_tree(project), Counter(counts.by_code))

    def _selected_document(self) -> int | None:
        table = self.query_one("#documents", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(key.value) if key.value is not None else None

    @on(DataTable.RowSelected, "#documents")
    def _row_selected(self) -> None:
        self.action_open_document()

    def action_open_selected(self) -> None:
        if self.query_one("#codes", CodeTree).has_focus:
            self.action_quotes()
        else:
            self.action_open_document()

    def action_open_document(self) -> None:
        document_id = self._selected_document()
        if document_id is not None:
            self.workbench.open_document(document_id)

    def action_quotes(self) -> None:
        code = self.query_one("#codes", CodeTree).selected_code
        if code is None:
            self.notify("Highlight a code or category in the codebook first", severity="warning")
            return
        self.workbench.open_quotes(code)

    def action_import_details(self) -> None:
        from codebench.tui.screens.details import ImportDetailsDialog

        document_id = self._selected_document()
        if document_id is None:
            return
        doc, label = self._documents[document_id], self._labels[document_id]
        lines = services.import_details(doc, label, original=not self.workbench.anonymised_view)
        self.app.push_screen(ImportDetailsDialog(f"document {doc.id}: {label}", lines))

    def action_anonymisation(self) -> None:
        self.workbench.open_anonymisation()

    def action_heatmap(self) -> None:
        from codebench.tui.screens.heatmap import HeatMapScreen

        self.app.push_screen(HeatMapScreen())

    def action_memos(self) -> None:
        self.workbench.open_memos()

    def action_codebook(self) -> None:
        self.app.push_screen(CodebookScreen())

    def on_screen_resume(self) -> None:
        self.action_refresh()
