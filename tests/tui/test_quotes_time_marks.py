"""The quotes view shows quotes without their transcript's time marks (#16 item 9)."""

from __future__ import annotations

from codebench import services
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.quotes import QuotesScreen
from codebench.tui.widgets.quote_list import QuoteList
from tests.integration.test_quote_time_marks import MARKS, stamped  # noqa: F401  (the fixture)


async def test_quotes_view_rows_and_full_text_have_no_time_marks(stamped):  # noqa: F811
    code = next(c for c in services.code_tree(stamped) if c.name == "tid og ressurser")
    app = CodebenchApp(stamped, "ingrid")
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        app.open_quotes(code)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuotesScreen) and len(screen.quotes) == 2
        listing = screen.query_one(QuoteList)
        for row in range(2):
            listing.move_cursor(row)
            await pilot.pause()
            line = listing.render_line(row + 1).text
            full = str(screen.query_one("#quote-text").render())
            assert not [m for m in MARKS if m in line + full], (line, full)
        assert "Og så kom hun tilbake." in full or "Ja, det stemmer." in full
