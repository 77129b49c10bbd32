"""The code tree with coding counts, shared by the project view and the codebook screen."""

from __future__ import annotations

from collections import Counter
from typing import Mapping

from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from codebench.domain.records import CodeInfo
from codebench.tui.widgets.find import FIND_BINDING, TypeToFind


class CodeTree(TypeToFind, Tree[CodeInfo]):
    """Categories and codes; each label shows the number of codings below it.

    Typing a name finds it, also inside collapsed categories (see :mod:`codebench.tui.widgets.find`).
    """

    BINDINGS = [FIND_BINDING]

    labels: Mapping[str, str] = {}
    """Code name -> what is shown for it (an in-vivo code's rendition in the anonymised view)."""

    def show(self, codes: list[CodeInfo], counts: Counter[int], *, keep: str | None = None,
             labels: Mapping[str, str] | None = None) -> None:
        """Fill the tree; ``keep`` names a node to put the cursor back on.

        ``labels`` (from the app's ``code_labels``) says what to show for a name; the node's data
        keeps the code itself. Typing to find matches what is shown, never a hidden name.

        Categories stay open or closed as the coder left them (a refill after every change must
        not unfold the whole tree); the way to ``keep`` is opened.
        """
        expanded = {node.data.id for node in self._tree_nodes.values()
                    if node.data is not None and node.is_expanded} if self.root.children else None
        self.labels = labels or {}
        self.clear()
        self.show_root = False
        children: dict[int | None, list[CodeInfo]] = {}
        by_id = {code.id: code for code in codes}
        for code in codes:
            children.setdefault(code.parent_id, []).append(code)
        if expanded is None:  # the first fill: the main categories open
            expanded = {code.id for code in codes if code.parent_id is None}
        kept = next((c for c in codes if c.name == keep), None) if keep is not None else None
        while kept is not None and kept.parent_id is not None:
            kept = by_id.get(kept.parent_id)
            if kept is not None:
                expanded.add(kept.id)

        def total(code: CodeInfo) -> int:
            return counts.get(code.id, 0) + sum(total(c) for c in children.get(code.id, []))

        found = None

        def add(node, parent_id: int | None) -> None:  # type: ignore[no-untyped-def]
            nonlocal found
            for code in children.get(parent_id, []):
                label = f"{total(code):>3} {self.labels.get(code.name, code.name)}"  # count first: long names get cut, counts must not
                if code.core:
                    label += "  ★"
                if code.origin != "codebook" and code.kind == "code":
                    label += f"  ({code.origin})"
                if code.memo:
                    label += "  ✎"
                if code.kind == "category":
                    # Every category shows its ▶, even an empty one: a code promoted a moment ago
                    # must look like the category it now is.
                    child = node.add(label, data=code, expand=code.id in expanded)
                    add(child, code.id)
                else:
                    child = node.add_leaf(label, data=code)
                if keep is not None and code.name == keep:
                    found = child

        add(self.root, None)
        self.root.expand()
        if found is not None:
            # Tree lines are built lazily on idle; count the visible line of the node instead.
            self.cursor_line = self._visible_line(found)

    def _visible_line(self, target) -> int:  # type: ignore[no-untyped-def]
        line = 0

        def walk(node) -> bool:  # type: ignore[no-untyped-def]
            nonlocal line
            for child in node.children:
                if child is target:
                    return True
                line += 1
                if child.is_expanded and walk(child):
                    return True
            return False

        return line if walk(self.root) else 0

    @property
    def selected_code(self) -> CodeInfo | None:
        """The code or category under the cursor."""
        node = self.cursor_node
        return node.data if node is not None else None

    # -- type-to-find --------------------------------------------------------------------

    def _all_nodes(self) -> list[TreeNode[CodeInfo]]:
        """Every node in reading order, collapsed branches included."""
        nodes: list[TreeNode[CodeInfo]] = []

        def walk(node: TreeNode[CodeInfo]) -> None:
            for child in node.children:
                nodes.append(child)
                walk(child)

        walk(self.root)
        return nodes

    def find_rows(self) -> list[str]:
        return [self.labels.get(node.data.name, node.data.name) if node.data is not None else str(node.label)
                for node in self._all_nodes()]

    def find_current(self) -> int | None:
        current = self.cursor_node
        return next((i for i, node in enumerate(self._all_nodes()) if node is current), None)

    def find_go(self, index: int) -> None:
        node = self._all_nodes()[index]
        parent = node.parent
        while parent is not None and parent is not self.root:
            parent.expand()
            parent = parent.parent
        # Expanding rebuilds the tree's lines lazily: count the node's line instead of asking it.
        line = self._visible_line(node)
        self.cursor_line = line
        self.scroll_to_line(line, animate=False)
