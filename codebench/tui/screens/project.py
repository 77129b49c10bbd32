"""The project view: documents by informant role and round, and the code tree with counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Label

from codebench import services
from codebench.domain.records import ROLES, CodeInfo
from codebench.tui.background import load_in_background
from codebench.tui.fit import middle_ellipsis
from codebench.tui.screens.base import WorkbenchScreen
from codebench.tui.screens.codebook import CodebookScreen
from codebench.tui.widgets.code_tree import CodeTree
from codebench.tui.widgets.find import FIND_BINDING, TypeToFind
from codebench.tui.widgets.long_table import LongTable
from codebench.tui.widgets.stable_footer import StableFooter

DOCUMENT_COLUMNS = ("role", "case", "r", "document", "coded", "anon", "words", "fmt")
"""The document list's columns in a wide terminal: the name fourth, then counts and states."""

NARROWER_LAYOUTS: tuple[tuple[frozenset[str], bool], ...] = (
    (frozenset(), False),
    (frozenset({"fmt"}), False),
    (frozenset({"fmt"}), True),
    (frozenset({"fmt", "anon"}), True),
    (frozenset({"fmt", "anon", "words"}), True),
)
"""The columns left out, and whether role and case are shortened, tried in this order until the
name has NAME_MIN cells. At 80 columns a user saw names but not one count: the counts had
scrolled off to the right. The format (also under `i`) goes first, then the roles and cases
are shortened (the rows are sorted by role, so "veil" reads as well as "veileder"), then the
anonymisation state (the title bar has the project's), then the word count; the codings count
stays."""

NAME_MIN = 20
"""Cells a document name needs to stay recognisable ("Intervju Kr…e Holm runde 1")."""

ROLE_SHORT = {"veileder": "veil", "IA-rådgiver": "IA", "mentor": "ment", "arbeidsgiver": "arbg", "other": "othr"}
"""Four-letter roles for a narrow list (any other role is cut to four letters)."""

CASE_SHORT = 6
"""A case id's cells in a narrow list (the end is kept: "…-R001")."""


def short_role(role: str) -> str:
    """A role in at most four letters."""
    return ROLE_SHORT.get(role, role[:4])


def fit_case(case: str, width: int) -> str:
    """A case id in ``width`` cells, keeping its end (survey respondents differ there)."""
    return case if len(case) <= width else "…" + case[-(width - 1):]


@dataclass(frozen=True)
class ProjectOverview:
    """Everything the project view shows, fetched together off the UI thread."""

    documents: list[services.DocumentInfo]
    counts: services.CodingCounts
    status: dict[int, services.anonymisation.DocumentAnonymisation]
    state: services.anonymisation.AnonymisationState
    labels: dict[int, str]
    codes: list[CodeInfo]


class DocumentTable(TypeToFind, LongTable):
    """The documents, one per row; typing a name, case or role finds it."""

    BINDINGS = [FIND_BINDING]

    rows_text: list[str] = []
    """What type-to-find reads for each row (label, case and role)."""

    def find_rows(self) -> list[str]:
        return self.rows_text

    def find_current(self) -> int | None:
        return self.cursor_row if self.row_count else None

    def find_go(self, index: int) -> None:
        self.move_cursor(row=index)

    def on_resize(self) -> None:
        # The names are cut to the list's width: a new width (the first layout too) refits them.
        refit = getattr(self.screen, "refit_names", None)
        if refit is not None:
            self.call_after_refresh(refit)


def anonymisation_cell(status: services.anonymisation.DocumentAnonymisation | None, *, searched: bool = True,
                       unread: bool = False) -> Text:
    """A document's anonymisation status: not run, to review (with the open count), reviewed,
    none found; "list unread" while its residual list is not read (a tester read "reviewed" on
    every row while the title said the residual list was not read)."""
    if not searched:
        return Text("not run", style="bold")
    if status is None or status.status == "none":
        return Text("none found" if not unread else "list unread", style="dim" if not unread else "")
    if status.status == "to review":
        return Text(f"to review {status.suggested}")
    return Text("reviewed" if not unread else "list unread")


def format_cell(doc: services.DocumentInfo) -> Text:
    """The source format, with the number of import warnings when there are any (``vtt !2``)."""
    if not doc.import_warnings:
        return Text(doc.source_format, style="dim")
    return Text.assemble((doc.source_format, "dim"), " ", (f"!{len(doc.import_warnings)}", "bold yellow"))


def name_cell(label: str, width: int, doc: services.DocumentInfo, *, flag_warnings: bool) -> str | Text:
    """The name in ``width`` cells; with ``flag_warnings`` (no format column) an import warning count after it."""
    if not flag_warnings or not doc.import_warnings:
        return middle_ellipsis(label, width)
    mark = f"!{len(doc.import_warnings)}"
    return Text.assemble(middle_ellipsis(label, max(width - len(mark) - 1, 1)), " ", (mark, "bold yellow"))


class ProjectScreen(WorkbenchScreen):
    """Start here: pick a transcript to code, or a code to compare its quotes."""

    # In a wide terminal the code tree keeps a fixed width and the documents get the rest.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]

    BINDINGS = [
        Binding("enter", "open_selected", "open", show=False),
        Binding("o", "open_document", "open transcript"),
        Binding("g", "quotes", "quotes of code", tooltip="Every quote of the highlighted code or category"),
        Binding("k", "codebook", "codebook", tooltip="Reorganise the code tree: selective coding"),
        Binding("a", "anonymisation", "anonymise", tooltip="Anonymisation review: detected names and identifiers"),
        # For a coder who may not see original names: not in the footer, but pressed it says why.
        Binding("a", "anonymisation_not_yours", "anonymise", show=False,
                tooltip="The review shows original names: for the coders allowed to see them"),
        Binding("h", "heatmap", "heat map", tooltip="Codes × roles: how many quotes each perspective gives each code"),
        Binding("m", "memos", "memos", tooltip="Every memo: on codes, codings, documents and the project"),
        Binding("i", "import_details", "import details", show=False,
                tooltip="How the highlighted document was imported: format, clean-ups, warnings"),
        Binding("tab", "app.focus_next", "switch pane", show=False),
        Binding("f5", "refresh", "refresh", show=False),
    ]

    FOOTER_SHORT = {"open_document": "open", "quotes": "quotes", "anonymisation": "anon", "heatmap": "heat"}
    """Descriptions below 100 columns, so that every key above fits beside q, ^q, F1 and ^p at 80."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="documents-pane"):
                yield Label("Documents", classes="pane-title")
                yield DocumentTable(id="documents", cursor_type="row", zebra_stripes=True)
            with Vertical(id="codes-pane"):
                yield Label("Codebook", classes="pane-title")
                # Shown with its first codes: an empty tree is a full pane of blank lines to draw
                # while the project is read.
                yield CodeTree("codes", id="codes", classes="-loading")
        yield StableFooter()

    def on_mount(self) -> None:
        self.title = f"codebench — {self.project.name}"
        self.sub_title = f"coder: {self.coder}"
        self._overview: ProjectOverview | None = None
        self._documents: dict[int, services.DocumentInfo] = {}
        self._labels: dict[int, str] = {}
        self._name_width = 0
        self._columns = DOCUMENT_COLUMNS
        table = self.query_one("#documents", DataTable)
        table.add_columns(*DOCUMENT_COLUMNS)
        table.focus()  # the lists fill on screen resume, which also runs on first display

    def action_refresh(self) -> None:
        """Reload documents and code counts (after coding in another screen or process), in a worker."""
        project: services.Project = self.project
        # A coder who may not see original names does not see them in file names either, nor
        # does anyone who switched the workbench to the anonymised rendition (o in a transcript).
        anonymised_view = self.workbench.anonymised_view

        def fetch() -> ProjectOverview:
            # The list shows no turn counts: not counting them spares a pass over every turn. The
            # coding counts come from the tables the database keeps (a few milliseconds at 250,000
            # codings), so they are read in line, not beside the listing.
            docs = services.list_documents(project, turn_counts=False)
            status = {d.document_id: d for d in services.anonymisation.document_status(project, docs)}
            state = services.anonymisation.anonymisation_state(project)
            codes = services.code_tree(project)
            counts = services.coding_counts(project)
            names = {d.document_id: d.anonymised_name for d in status.values()} if anonymised_view else {}
            return ProjectOverview(docs, counts, status, state, {d.id: names.get(d.id, d.name) for d in docs}, codes)

        load_in_background(self, fetch, self._show, group="overview")

    def _show(self, overview: ProjectOverview) -> None:
        self._overview = overview
        # The one project-wide state, as the exports report it: never "anonymised" unless it is.
        self.sub_title = f"coder: {self.coder} · {overview.state.short()}"
        self._fill_documents()
        tree = self.query_one("#codes", CodeTree)
        counts = Counter(overview.counts.by_code)
        if not self.workbench.anonymised_view:
            tree.remove_class("-loading")
            tree.show(overview.codes, counts, keep=self._kept_code())
            return
        # The anonymised view shows an in-vivo code's rendition: the tree fills (and shows) when
        # it is known (its own worker: the documents are not kept waiting for it).
        names, app = [c.name for c in overview.codes], self.workbench

        def show(labels: dict[str, str]) -> None:
            tree.remove_class("-loading")
            tree.show(overview.codes, counts, keep=self._kept_code(), labels=labels)

        load_in_background(self, lambda: app.code_labels(names), show, group="code-labels")

    def _kept_code(self) -> str | None:
        code = self.query_one("#codes", CodeTree).selected_code
        return code.name if code is not None else None

    def _fill_documents(self) -> None:
        """The document rows, in the columns the list has room for, names shortened in the middle."""
        overview = self._overview
        if overview is None:
            return
        table = self.query_one("#documents", DocumentTable)
        order = {role: i for i, role in enumerate(ROLES)}
        docs = sorted(overview.documents, key=lambda d: (order.get(d.participant.role if d.participant else "other", 9),
                                                         d.source_format == "survey", d.round or 0, d.name))
        columns, short, width = self._layout(docs)
        self._name_width = width
        current = self._selected_document()
        if columns != self._columns:
            table.clear(columns=True)
            table.add_columns(*columns)
            self._columns = columns
        self._documents = {doc.id: doc for doc in docs}
        self._labels = overview.labels
        rows, rows_text = [], []
        # The state and format cells repeat ("none found", "vtt"): one Text each, shared by the rows
        # that show it (the table only draws them).
        states: dict[tuple[str | None, int, bool, bool], Text] = {}
        formats: dict[tuple[str, int], Text] = {}
        unsearched = overview.state.unsearched_ids
        case_width = CASE_SHORT if short else 8
        flag_warnings = "fmt" not in columns
        for doc in docs:
            case = doc.participant.pid if doc.participant else "—"
            role = doc.participant.role if doc.participant else "—"
            label = overview.labels[doc.id]
            status = overview.status.get(doc.id)
            searched = doc.id not in unsearched
            unread = doc.id in overview.state.unread_ids
            state_key = (status.status if status else None, status.suggested if status else 0, searched, unread)
            state = states.get(state_key) or states.setdefault(
                state_key, anonymisation_cell(status, searched=searched, unread=unread))
            format_key = (doc.source_format, len(doc.import_warnings))
            shown_format = formats.get(format_key) or formats.setdefault(format_key, format_cell(doc))
            cells = {
                "role": short_role(role) if short else role, "case": fit_case(case, case_width),
                "r": str(doc.round or ""), "document": name_cell(label, width, doc, flag_warnings=flag_warnings),
                "coded": str(overview.counts.by_document.get(doc.id, 0)), "anon": state,
                "words": str(doc.word_count), "fmt": shown_format,
            }
            rows.append(tuple(cells[column] for column in columns))
            rows_text.append(f"{label} {case} {role}")
        # All rows in one pass (a thousand documents at 10 M words): add_row sized every cell.
        table.replace_rows(rows, [str(doc.id) for doc in docs])
        table.rows_text = rows_text
        if current is not None and current in self._documents:
            table.move_cursor(row=table.get_row_index(str(current)))

    def _layout(self, docs: list[services.DocumentInfo]) -> tuple[tuple[str, ...], bool, int]:
        """The columns shown, whether role and case are shortened, and the name's cells (12–60).

        The first of NARROWER_LAYOUTS that leaves the name NAME_MIN cells, else the narrowest:
        every column shown is whole on screen, so the counts never scroll out of sight.
        """
        table = self.query_one("#documents", DataTable)
        if not table.size.width or self._overview is None:
            return DOCUMENT_COLUMNS, False, 60
        overview = self._overview
        # Each distinct cell measured once (a thousand documents show a handful of states and formats).
        unsearched = overview.state.unsearched_ids
        unread = overview.state.unread_ids
        states = {((s.status, s.suggested) if (s := overview.status.get(d.id)) else None, d.id not in unsearched,
                   d.id in unread): (s, d.id not in unsearched, d.id in unread) for d in docs}
        formats = {(d.source_format, len(d.import_warnings)): d for d in docs}
        roles = {d.participant.role for d in docs if d.participant}
        cases = [len(d.participant.pid) for d in docs if d.participant]
        widths = {
            "r": 1,
            "coded": max(len("coded"), len(str(max(overview.counts.by_document.values(), default=0)))),
            "anon": max([len("anon")] + [len(anonymisation_cell(s, searched=searched, unread=u))
                                         for s, searched, u in states.values()]),
            "words": max(len("words"), len(str(max((d.word_count for d in docs), default=0)))),
            "fmt": max([len("fmt")] + [len(format_cell(d)) for d in formats.values()]),
        }
        # The vertical scrollbar comes with the rows: leave its room from the start; each column
        # has a cell of padding either side.
        room = table.size.width - table.styles.scrollbar_size_vertical - 2
        columns: tuple[str, ...] = DOCUMENT_COLUMNS
        short, name = False, 12
        for dropped, short in NARROWER_LAYOUTS:
            widths["role"] = max([len("role")] + [len(short_role(r) if short else r) for r in roles])
            widths["case"] = max([len("case")] + [min(n, CASE_SHORT if short else 8) for n in cases])
            columns = tuple(c for c in DOCUMENT_COLUMNS if c not in dropped)
            name = room - sum(widths[c] + 2 for c in columns if c != "document")
            if name >= NAME_MIN:
                break
        return columns, short, min(max(name, 12), 60)

    def refit_names(self) -> None:
        """Lay the list out again when its width has changed."""
        if self._overview is None:
            return
        columns, _, width = self._layout(self._overview.documents)
        if columns != self._columns or width != self._name_width:
            self._fill_documents()

    def _selected_document(self) -> int | None:
        table = self.query_one("#documents", DataTable)
        if table.row_count == 0 or not self._documents:
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
        project: services.Project = self.project
        label, original = self._labels[document_id], not self.workbench.anonymised_view

        def show(doc: services.DocumentInfo) -> None:
            lines = services.import_details(doc, label, original=original)
            self.app.push_screen(ImportDetailsDialog(f"document {doc.id}: {label}", lines))

        # The list holds the documents without their turn counts: the details read the one document.
        load_in_background(self, lambda: services.document_info(project, document_id), show, group="details")

    def action_anonymisation(self) -> None:
        self.workbench.open_anonymisation()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The review is for coders allowed to see original names: for the others ``a`` is left
        out of the footer (offered, it was only ever refused) and says why when pressed."""
        if action == "anonymisation":
            return self.workbench.original_allowed
        if action == "anonymisation_not_yours":
            return not self.workbench.original_allowed
        return True

    def action_anonymisation_not_yours(self) -> None:
        """Say who may open the review (the app's refusal)."""
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
