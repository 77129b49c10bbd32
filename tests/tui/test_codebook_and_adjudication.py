"""#16 item 9 in the workbench: a promotion shows at once, a code added while reorganising the codebook
belongs to the codebook (not to open coding), adjudication opens on its first disagreement."""

from __future__ import annotations

from codebench import services
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.adjudicate import AdjudicationScreen
from codebench.tui.screens.codebook import CodebookScreen
from codebench.tui.widgets.code_tree import CodeTree
from codebench.tui.widgets.transcript import TranscriptView


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


# The screens fetch in chains of workers (disagreements, then the region's transcript): wait for all.
from tests.tui.helpers import settle  # noqa: E402


def node(project, name: str):
    return next(c for c in services.code_tree(project) if c.name == name)


async def test_promote_shows_at_once_and_add_code_makes_a_codebook_code(sample_copy):
    project = sample_copy
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(CodebookScreen(focus_code="ildsjeler"))
        await settle(pilot)
        screen = app.screen
        tree = screen.query_one(CodeTree)
        closed = {n.data.id for n in tree._tree_nodes.values() if n.data is not None and not n.is_expanded
                  and n.data.kind == "category"}
        assert tree.selected_code.name == "ildsjeler" and "(open)" in str(tree.cursor_node.label)
        await pilot.press("p")
        await settle(pilot)
        assert node(project, "ildsjeler").kind == "category"
        # the tree and the details say so at once: a category's ▶ (no "(open)"), "(category)"
        assert tree.selected_code.name == "ildsjeler" and tree.selected_code.kind == "category"
        assert tree.cursor_node.allow_expand and "(open)" not in str(tree.cursor_node.label)
        assert "(category)" in str(screen.query_one("#code-detail").render())
        # refilling kept the tree as the coder had it: no category unfolded by itself
        assert closed <= {n.data.id for n in tree._tree_nodes.values() if n.data is not None and not n.is_expanded}

        await pilot.press("a")  # a code under the (new) category
        await pilot.pause()
        assert app.screen.title_text == "New code under «ildsjeler»"
        await type_text(pilot, "brenner for jobben")
        await pilot.press("enter")
        await settle(pilot)
    added = node(project, "brenner for jobben")
    assert (added.kind, added.origin, added.parent_id) == ("code", "codebook", node(project, "ildsjeler").id)


async def test_adjudication_opens_with_the_first_disagreement_in_view(sample_copy):
    project = sample_copy
    first = services.disagreements(project, "ingrid", "per")[0]
    app = CodebenchApp(project, "kari")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.adjudicate("ingrid", "per")
        await settle(pilot)
        assert isinstance(app.screen, AdjudicationScreen)
        for view in app.screen.query(TranscriptView):
            assert view.selection == (first.start, first.end)
            top, height = view.scroll_offset.y, view.size.height
            start_line, end_line = view.line_of(first.start), view.line_of(first.end - 1)
            # the disagreement from its first line (with a line or two before it), not just its last
            assert top <= start_line < top + height, (top, start_line, height)
            assert start_line - top <= 2 or end_line - start_line >= height - 2


def _consensus(project) -> list[tuple[int, str, int, int]]:
    return sorted((q.document_id, q.code, q.start, q.end) for q in services.quotes(project, coders=["consensus"]))


async def test_an_adjudication_decision_is_undone_and_redone_where_it_was_made(sample_copy):
    # Tried as a user: 'a' (keep A) by mistake, then ctrl+z said "nothing to undo" — the
    # decision and its consensus codings could only be taken back as the coder "consensus".
    project = sample_copy
    first = services.disagreements(project, "ingrid", "per")[0]
    kept = sorted((first.document_id, c.code, c.start, c.end) for c in first.codings if c.coder == "ingrid")
    label = services.anonymisation.document_labels(project)[first.document_id]
    app = CodebenchApp(project, "kari")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.adjudicate("ingrid", "per")
        await settle(pilot)
        screen = app.screen
        await pilot.press("a")
        await settle(pilot)
        assert _consensus(project) == kept
        assert first.key not in {r.key for r in screen.regions}

        await pilot.press("ctrl+z")
        await settle(pilot)
        assert _consensus(project) == []
        assert app.screen is screen, "the view stays on the adjudication"
        assert screen.regions[0].key == first.key, "the disagreement is open again"
        said = [n.message for n in app._notifications][-1]
        assert said.startswith(f"undid keep A (ingrid) of ingrid/per in {label} [{first.start}–{first.end}]"), said

        await pilot.press("ctrl+y")
        await settle(pilot)
        assert _consensus(project) == kept
        assert first.key not in {r.key for r in screen.regions}
    assert services.disagreements(project, "ingrid", "per")[0].key != first.key
