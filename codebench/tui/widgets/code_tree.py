"""The code tree with coding counts, shared by the project view and the codebook screen."""

from __future__ import annotations

from collections import Counter

from textual.widgets import Tree

from codebench.domain.records import CodeInfo


class CodeTree(Tree[CodeInfo]):
    """Categories and codes; each label shows the number of codings below it."""

    def show(self, codes: list[CodeInfo], counts: Counter[int], *, keep: str | None = None) -> None:
        """Fill the tree; ``keep`` names a node to put the cursor back on."""
        self.clear()
        self.show_root = False
        children: dict[int | None, list[CodeInfo]] = {}
        for code in codes:
            children.setdefault(code.parent_id, []).append(code)

        def total(code: CodeInfo) -> int:
            return counts.get(code.id, 0) + sum(total(c) for c in children.get(code.id, []))

        found = None

        def add(node, parent_id: int | None) -> None:  # type: ignore[no-untyped-def]
            nonlocal found
            for code in children.get(parent_id, []):
                label = f"{total(code):>3} {code.name}"  # count first: long names get cut, counts must not
                if code.core:
                    label += "  ★"
                if code.origin != "codebook":
                    label += f"  ({code.origin})"
                if code.memo:
                    label += "  ✎"
                if children.get(code.id):
                    child = node.add(label, data=code, expand=parent_id is None or keep is not None)
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
