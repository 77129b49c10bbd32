"""Selective coding: reorganise the code tree; every change is logged and can be undone."""

from __future__ import annotations

from collections import Counter
from typing import Callable

from textual.app import ComposeResult
from textual.content import Content
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Label, Static

from codebench import services
from codebench.domain.records import CodeInfo
from codebench.tui.background import load_in_background
from codebench.tui.screens.base import WorkbenchScreen
from codebench.tui.screens.picker import CodePicker, MemoEditor, PickedCode, TextPrompt
from codebench.tui.widgets.code_tree import CodeTree
from codebench.tui.widgets.stable_footer import StableFooter


_MASKED_NAME = ("«{shown}» names people: rename it where original names show (o in a transcript switches), "
                "so that no name is overwritten")
_MASKED_NAME_NO_ORIGINALS = ("«{shown}» names people you are not shown; a coder allowed to see names can rename it "
                             "(a name typed here would put pseudonyms over the names)")


class CodebookScreen(WorkbenchScreen):
    """Move, merge, split, rename and promote codes; mark the core category; write code memos."""

    BINDINGS = [
        Binding("f2", "rename", "rename"),
        Binding("m", "move", "move", tooltip="Move under another category"),
        Binding("M", "merge", "merge into", tooltip="Merge into another code; its codings follow"),
        Binding("s", "split", "split", tooltip="Make a sibling code, then recode quotes into it"),
        Binding("p", "promote", "promote", tooltip="Make this open code a category"),
        Binding("asterisk", "core", "core ★", tooltip="Mark as the core category"),
        Binding("e", "memo", "memo", tooltip="Write the code memo: definition, properties, relations"),
        Binding("a", "add", "add code", tooltip="Add a code under the highlighted category"),
        Binding("A", "add_category", "add category"),
        Binding("g", "quotes", "quotes"),
        Binding("ctrl+z,u", "undo", "undo"),
        Binding("ctrl+y,U", "redo", "redo"),
        Binding("q,escape", "app.pop_screen", "back"),
    ]

    FOOTER_SHORT = {"merge": "merge"}
    """Descriptions below 100 columns (stable_footer.py): "p promote" then fits at 80."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="codebook-tree-pane"):
                yield Label("Codebook — selective coding", classes="pane-title")
                yield CodeTree("codes", id="codebook-tree")
            with Vertical(id="code-details"):
                yield Static("", id="code-detail")
        yield StableFooter()


    codes: list[CodeInfo] = []
    """The code tree on screen (what the move and merge pickers offer)."""

    def on_mount(self) -> None:
        self.sub_title = f"coder: {self.coder}"
        self.query_one(CodeTree).focus()  # the tree fills on screen resume, which also runs on first display

    def __init__(self, focus_code: str | None = None) -> None:
        super().__init__()
        self.focus_code = focus_code
        """A code to put the cursor on when the screen first shows (from the memo browser)."""

    def action_refresh(self, keep: str | None = None) -> None:
        """Redraw the tree (cursor stays on ``keep`` when given) and the details of the code under it.

        Fetched in a worker; counted in the database, not by building every coding's record.
        """
        project = self.project

        app = self.workbench

        def fetch() -> tuple[list[CodeInfo], Counter[int], dict[str, str]]:
            codes = services.code_tree(project)
            return codes, Counter(services.coding_counts(project).by_code), app.code_labels(c.name for c in codes)

        def show(loaded: tuple[list[CodeInfo], Counter[int], dict[str, str]]) -> None:
            codes = self.codes = loaded[0]
            tree = self.query_one(CodeTree)
            current = tree.selected_code
            kept = keep if keep is not None else (current.name if current else None)
            tree.show(loaded[0], loaded[1], keep=kept, labels=loaded[2])
            # The highlight may not move (a promotion changes the code under the cursor): the
            # details must follow the change all the same.
            changed = next((c for c in codes if c.name == kept), None) if kept else None
            if changed is not None:
                self._show_detail(changed)

        load_in_background(self, fetch, show, group="codebook")

    def on_tree_node_highlighted(self, event: CodeTree.NodeHighlighted[CodeInfo]) -> None:
        code = event.node.data
        if code is None:
            return
        self._show_detail(code)

    def _label(self, code: CodeInfo) -> str:
        """The code's name as this view shows it (an in-vivo code's rendition in the anonymised view)."""
        return self.query_one(CodeTree).labels.get(code.name, code.name)

    def _show_detail(self, code: CodeInfo) -> None:
        fields = [("Beskrivelse", code.description), ("Inklusjon", code.inclusion), ("Eksklusjon", code.exclusion),
                  ("Memo", code.memo)]
        examples = list(code.examples)
        if not self.workbench.anonymised_view or not any(v for _, v in fields) and not examples:
            self._draw_detail(code, fields, examples)
            return
        # Researchers' text may name people (examples are quotes): anonymised in a worker, as a
        # highlight moves faster than the anonymiser reads its decisions.
        project, texts = self.project, [v or "" for _, v in fields] + examples

        def drawn(shown: list[str]) -> None:
            self._draw_detail(code, [(label, shown[i] or None) for i, (label, _) in enumerate(fields)],
                              shown[len(fields):])

        self.query_one("#code-detail", Static).update("")
        load_in_background(self, lambda: services.anonymisation.anonymise_free_texts(project, texts), drawn,
                           group="code-detail")

    def _draw_detail(self, code: CodeInfo, fields: list[tuple[str, str | None]], examples: list[str]) -> None:
        # A category's origin says nothing (codes emerge open or in vivo; categories are made).
        kind = f"{code.kind}, {code.origin}" if code.kind == "code" else "category"
        parts = [Content.from_markup("[b]$name[/b]  ($kind)", name=self._label(code), kind=kind)]
        for label, value in fields:
            if value:
                parts.append(Content.from_markup("[b]$label:[/b] $value", label=label, value=value))
        if examples:
            parts.append(Content.from_markup("[b]Eksempel:[/b] $value", value="«" + "» «".join(examples) + "»"))
        self.query_one("#code-detail", Static).update(Content("\n\n").join(parts))

    def _selected(self) -> CodeInfo | None:
        code = self.query_one(CodeTree).selected_code
        if code is None:
            self.notify("Highlight a code or category first", severity="warning")
        return code

    def _do(self, change: Callable[[], object], keep: str | None) -> None:
        """Make a change through the app's queue of writes, then redraw with ``keep`` highlighted."""
        self.workbench.writes.submit(self, change, lambda _: self.action_refresh(keep))

    def action_rename(self) -> None:
        code = self._selected()
        if code is None:
            return

        shown = self._label(code)
        if shown != code.name:
            # The name shows anonymised: a new name typed over it would be built from the pseudonyms
            # and replace the names they stand for, losing the original for good.
            self.notify(_MASKED_NAME.format(shown=shown) if self.workbench.original_allowed
                        else _MASKED_NAME_NO_ORIGINALS.format(shown=shown), severity="warning")
            return

        def rename(name: str | None) -> None:
            if name and name != code.name:
                self._do(lambda: services.update_code(self.project, code.name, expected_version=code.version,
                                                      name=name, coder=self.coder), name)

        self.app.push_screen(TextPrompt(f"Rename «{shown}»", shown), rename)

    def action_move(self) -> None:
        code = self._selected()
        if code is None:
            return

        def move(picked: PickedCode | None) -> None:
            if picked is not None:
                self._do(lambda: services.move_code(self.project, code.name, picked.name, self.coder), code.name)

        self.app.push_screen(CodePicker(self.codes, title=f"Move «{self._label(code)}» under",
                                        kinds=("category",), allow_new=False), move)

    def action_merge(self) -> None:
        code = self._selected()
        if code is None:
            return

        def merge(picked: PickedCode | None) -> None:
            if picked is not None:
                self._do(lambda: services.merge_codes(self.project, code.name, picked.name, self.coder), picked.name)

        self.app.push_screen(CodePicker(self.codes, title=f"Merge «{self._label(code)}» into",
                                        allow_new=False), merge)

    def action_split(self) -> None:
        code = self._selected()
        if code is None or code.kind != "code":
            return

        def split(name: str | None) -> None:
            if not name:
                return
            project, coder = self.project, self.coder

            def create() -> None:
                parent = next((c.name for c in services.code_tree(project) if c.id == code.parent_id), None)
                services.create_code(project, name, parent=parent, origin=code.origin, coder=coder)

            def created(_: object) -> None:
                self.action_refresh(name)
                self.notify(f"Recode the quotes that belong to «{name}» with r")
                self.workbench.open_quotes(code)

            self.workbench.writes.submit(self, create, created)

        self.app.push_screen(TextPrompt(f"Split «{self._label(code)}»: name of the new code"), split)

    def action_promote(self) -> None:
        code = self._selected()
        if code is not None:
            self._do(lambda: services.promote_code(self.project, code.name, self.coder), code.name)

    def action_core(self) -> None:
        code = self._selected()
        if code is not None:
            self._do(lambda: services.update_code(self.project, code.name, core=not code.core, coder=self.coder), code.name)

    def action_memo(self) -> None:
        code = self._selected()
        if code is None:
            return

        memo = code.memo
        if not memo or not self.workbench.anonymised_view:
            self._edit_memo(code, masked=False)
            return
        # Whether the memo names people is the anonymiser's answer, which reads its decisions: in a worker.
        project = self.project
        load_in_background(self, lambda: services.anonymisation.anonymise_free_text(project, memo),
                           lambda shown: self._edit_memo(code, masked=shown != memo), group="code-memo")

    def _edit_memo(self, code: CodeInfo, *, masked: bool) -> None:
        """The memo editor on ``code``'s memo, unless the memo shows names replaced (``masked``)."""
        if masked:
            self.notify("This memo names people: edit it where original names show (o in a transcript switches), "
                        "so that no name is overwritten", severity="warning")
            return

        def save(text: str | None) -> None:
            if text is not None:
                self._do(lambda: services.update_code(self.project, code.name, expected_version=code.version,
                                                      memo=text if text.strip() else None, coder=self.coder), code.name)

        self.app.push_screen(MemoEditor(f"Memo on the {'code' if code.kind == 'code' else 'category'} «{self._label(code)}»",
                                        code.memo or ""), save)

    def _add(self, kind: str) -> None:
        code = self.query_one(CodeTree).selected_code
        parent = code.name if code is not None and code.kind == "category" else None

        def add(name: str | None) -> None:
            # A code made here is defined while reorganising the codebook (selective coding), not
            # one that emerged from the words: it belongs to the codebook, not to open coding.
            if name:
                self._do(lambda: services.create_code(self.project, name, parent=parent, kind=kind, origin="codebook",
                                                      coder=self.coder), name)

        where = f" under «{self._label(code)}»" if parent and code is not None else " at the top"
        self.app.push_screen(TextPrompt(f"New {'category' if kind == 'category' else 'code'}{where}"), add)

    def action_add(self) -> None:
        self._add("code")

    def action_add_category(self) -> None:
        self._add("category")

    def action_quotes(self) -> None:
        code = self._selected()
        if code is not None:
            self.workbench.open_quotes(code)

    def action_undo(self) -> None:
        self.workbench.history_step("undo")

    def action_redo(self) -> None:
        self.workbench.history_step("redo")

    def show_operation(self, item: services.HistoryItem, done: str) -> None:
        """After an undo or redo: say what it did and highlight the code it changed."""
        self.notify(f"{done} {item.description}")
        self.action_refresh(item.place.code)

    def on_screen_resume(self) -> None:
        current = self.query_one(CodeTree).selected_code
        keep, self.focus_code = self.focus_code or (current.name if current else None), None
        self.action_refresh(keep)
