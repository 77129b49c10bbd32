"""ctrl+z and ctrl+y work on every screen and say what they took back."""

from __future__ import annotations

from codebench import services
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.project import ProjectScreen
from codebench.tui.screens.quotes import QuotesScreen
from tests.tui.helpers import settle


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_undo_from_the_project_and_quotes_screens(sample_copy):
    project = sample_copy
    doc = services.get_document(project, "Intervju Kristine Holm runde 1")
    start = doc.text.index("travel uke")
    services.apply_code(project, doc.info.id, start, start + 10, "vinn-vinn", "tester")
    label = services.anonymisation.document_labels(project)[doc.info.id]
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProjectScreen)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert messages(app)[-1] == f"undid coding «vinn-vinn» in {label} [{start}–{start + 10}]"
        assert [q for q in services.quotes(project, coders=["tester"])] == []
        app.open_quotes(next(c for c in services.code_tree(project) if c.name == "vinn-vinn"))
        await settle(pilot)
        assert isinstance(app.screen, QuotesScreen)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert messages(app)[-1].startswith("redid coding «vinn-vinn»")
        assert [q.code for q in services.quotes(project, coders=["tester"])] == ["vinn-vinn"]


async def test_the_quotes_view_recodes_another_coders_quote_only_when_confirmed(sample_copy):
    """#16 item 4: refused unless the user confirms; the result is the changer's; the log names both."""
    from codebench.tui.screens.confirm import ConfirmDialog
    from codebench.tui.screens.picker import CodePicker
    from tests.tui.helpers import type_text

    project = sample_copy
    theirs = [q for q in services.quotes(project, code="god mentor") if q.coder != "tester"]
    assert theirs, "the sample's coders have coded «god mentor»"
    before = sorted((q.coding_uuid, q.code, q.coder) for q in services.quotes(project))
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_quotes(next(c for c in services.code_tree(project) if c.name == "god mentor"))
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuotesScreen) and screen.quotes
        quote = screen.quotes[0]
        assert quote.coder != "tester"
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog), "asked before touching another coder's coding"
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen
        assert sorted((q.coding_uuid, q.code, q.coder) for q in services.quotes(project)) == before

        await pilot.press("r")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CodePicker)
        await type_text(pilot, "tid og ressurser")
        await pilot.press("enter")
        await settle(pilot)
        changed = {q.coding_uuid: (q.code, q.coder) for q in services.quotes(project)}
        assert changed[quote.coding_uuid] == ("tid og ressurser", "tester"), "the result is the changer's"
        entry = services.audit_log(project, 1)[0]
        assert entry.coder == "tester" and entry.payload["taken_from"] == quote.coder

        await pilot.press("ctrl+z")
        await settle(pilot)
    assert sorted((q.coding_uuid, q.code, q.coder) for q in services.quotes(project)) == before


async def test_a_role_filter_says_so_and_does_not_follow_into_the_next_code(sample_copy):
    from textual.widgets import Label, Select

    project = sample_copy
    tree = {c.name: c for c in services.code_tree(project)}
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_quotes(tree["god mentor"])
        await settle(pilot)
        await app.workers.wait_for_complete()
        screen = app.screen
        everything = len(screen.quotes)
        screen.query_one("#role-filter", Select).value = "mentor"
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert len(screen.quotes) < everything and all(q.role == "mentor" for q in screen.quotes)
        assert "filtered to role mentor" in str(screen.query_one("#quote-count", Label).render())
        await pilot.press("q")
        await settle(pilot)
        app.open_quotes(tree["vinn-vinn"])
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert screen is app.screen
        assert len(screen.quotes) == len(services.quotes(project, code="vinn-vinn"))
        assert "filtered" not in str(screen.query_one("#quote-count", Label).render())
