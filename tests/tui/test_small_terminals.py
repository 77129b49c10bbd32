"""Every screen at 80×24 keeps its way out and its main column; keys say what they do (#16 item 6).

And the responsiveness the eight-hour day needs: a caret move repaints only the lines it
touched, and no screen waits for the database on the UI thread.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import threading
import traceback

from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import DataTable, Label
from textual.widgets._footer import FooterKey

import codebench.tui
from codebench import services
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.quotes import QuotesScreen
from codebench.tui.widgets.quote_list import QUOTE_MIN, QuoteList
from codebench.tui.screens.picker import CodePicker, CoderPrompt, MemoEditor
from codebench.tui.widgets.code_tree import CodeTree
from codebench.tui.screens.project import DOCUMENT_COLUMNS
from codebench.tui.widgets.stable_footer import EssentialKeys, StableFooter
from codebench.tui.widgets.transcript import TranscriptView
from tests.tui.helpers import settle, type_text, wait_until

ROUND_1 = "Intervju Kristine Holm runde 1"
ROUND_2 = "Intervju Kristine Holm runde 2"


def test_every_key_of_the_workbench_says_what_it_does():
    missing = []
    for info in pkgutil.walk_packages(codebench.tui.__path__, "codebench.tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != info.name or not issubclass(cls, DOMNode):
                continue
            for binding in cls.__dict__.get("BINDINGS", []):
                binding = binding if isinstance(binding, Binding) else Binding(*binding)
                if not binding.description:
                    missing.append(f"{cls.__name__}: {binding.key} → {binding.action}")
    assert missing == []


def _essential_keys(app) -> dict[str, FooterKey]:
    footer_keys = app.screen.query_one(EssentialKeys).query(FooterKey)
    return {key.action: key for key in footer_keys}


def _assert_way_out_in_sight(app, *, back: bool = True) -> None:
    keys = _essential_keys(app)
    wanted = {"quit", "help"} | ({"app.pop_screen"} if back else set())
    assert wanted <= set(keys), (type(app.screen).__name__, sorted(keys))
    for action in wanted:
        region = keys[action].region
        assert region.width > 0 and region.right <= app.size.width, (type(app.screen).__name__, action, region)


async def test_every_screen_keeps_q_ctrl_q_and_f1_at_80x24(sample_copy):
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _assert_way_out_in_sight(app, back=False)
        for key in ("enter", "k", "h"):  # transcript, codebook, heat map
            await pilot.press(key)
            await settle(pilot)
            _assert_way_out_in_sight(app)
            await pilot.press("q")
            await settle(pilot)
        app.open_quotes(next(c for c in services.code_tree(sample_copy) if c.name == "god mentor"))
        await settle(pilot)
        _assert_way_out_in_sight(app)


async def test_the_project_view_shows_document_names_at_80_columns_and_rounds_stay_apart(sample_copy):
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#documents", DataTable)
        columns = list(table.columns.values())
        names = [c.label.plain for c in columns]
        left = sum(c.get_render_width(table) for c in columns[:names.index("document")])
        width = columns[names.index("document")].get_render_width(table)
        assert left + width <= table.scrollable_content_region.width, "the name column is whole on screen"
        document = names.index("document")
        one, two = (services.get_document(sample_copy, name).info.id for name in (ROUND_1, ROUND_2))
        first = str(table.get_row(str(one))[document])
        second = str(table.get_row(str(two))[document])
        assert first != second and first.endswith("runde 1") and second.endswith("runde 2")


async def test_the_project_view_at_80x24_shows_each_documents_codings_count_and_its_whole_footer(sample_copy):
    # Tried in tmux at 80x24: the counts had scrolled off to the right of the names, and the
    # footer ended "k codebook a anon▏": a key cut in half, and h and m not there at all.
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#documents", DataTable)
        columns = list(table.columns.values())
        names = [c.label.plain for c in columns]
        assert {"document", "coded"} <= set(names), names
        assert sum(c.get_render_width(table) for c in columns) <= table.scrollable_content_region.width, \
            "every column shown is whole, without scrolling"
        one = services.get_document(sample_copy, ROUND_1).info.id
        counts = services.coding_counts(sample_copy).by_document
        assert str(table.get_row(str(one))[names.index("coded")]) == str(counts[one]) != "0"
        assert columns[names.index("document")].get_render_width(table) - 2 >= 20

        footer = app.screen.query_one(StableFooter)
        essentials = footer.query_one(EssentialKeys).region
        shown = {key.action: key for key in footer.query(FooterKey)
                 if key.display and key.parent is not None and key.parent.display and key.region.width}
        for action in ("open_document", "quotes", "codebook", "anonymisation", "heatmap", "memos"):
            assert action in shown, (action, sorted(shown))
            assert shown[action].region.right <= essentials.x, (action, shown[action].region, essentials)

        await pilot.resize_terminal(160, 40)
        await wait_until(pilot, lambda: "fmt" in [c.label.plain for c in table.columns.values()], "the wide layout")
        await settle(pilot)
        assert [c.label.plain for c in table.columns.values()] == list(DOCUMENT_COLUMNS)
        descriptions = {key.action: key.description for key in footer.query(FooterKey)}
        assert descriptions["open_document"] == "open transcript", "whole descriptions when wide"


async def test_a_footer_key_that_does_not_fit_is_left_out_whole(sample_copy):
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(StableFooter)
        essentials = footer.query_one(EssentialKeys).region
        keys = [key for key in footer.children if not isinstance(key, EssentialKeys)]
        shown = [key for key in keys if key.display]
        assert shown and len(shown) < len(keys), "some keys left out at 60 columns"
        assert all(key.region.right <= essentials.x for key in shown)


async def test_the_quote_column_keeps_its_room_and_code_names_are_whole_at_120(sample_copy):
    two = services.get_document(sample_copy, ROUND_2)
    services.apply_code(sample_copy, two.info.id, 10, 60, "kapasitet og portefølje", "tester")
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_quotes(next(c for c in services.code_tree(sample_copy) if c.name == "veileder"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuotesScreen)
        quotes = screen.query_one(QuoteList)
        used = sum(size + 1 for _, size in quotes.columns())
        assert quotes.scrollable_content_region.width - used >= QUOTE_MIN

        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        columns = dict(quotes.columns())
        longest = max(len(q.code) for q in screen.quotes)
        assert columns["code"] >= min(longest, 30) > 16
        # The two rounds of one informant are told apart in the document column.
        shown = {quotes._value(q, "document", columns["document"]) for q in screen.quotes if q.participant == "V01"}
        assert any(s.endswith("runde 1") for s in shown) and any(s.endswith("runde 2") for s in shown), shown


async def test_a_caret_move_repaints_only_the_lines_it_touched(sample_copy):
    doc = services.get_document(sample_copy, ROUND_1)
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_document(doc.info.id)
        await settle(pilot)
        view = app.screen.query_one(TranscriptView)
        view.move_to(doc.text.index("travel uke"))
        await settle(pilot)
        drawn: list[int] = []
        render = view._render_visual_line

        def counting(index: int):
            drawn.append(index)
            return render(index)

        view._render_visual_line = counting
        await pilot.press("right")
        await settle(pilot)
        assert set(drawn) == {view.line_of(view.cursor)}, "only the caret's line is drawn again"
        drawn.clear()
        await pilot.press("shift+down")
        await settle(pilot)
        line = view.line_of(view.cursor)
        assert set(drawn) <= {line - 1, line}, drawn


def _watch_the_ui_thread(project) -> list[str]:
    """Where the workbench's code opens a transaction or a read on the UI thread (filled as it runs)."""
    on_ui_thread: list[str] = []

    def watching(method):
        def watched(*args, **kwargs):
            # The test itself reads on this thread too: only a call from the workbench's code counts.
            if threading.current_thread() is threading.main_thread():
                callers = [f"{frame.filename}:{frame.lineno} {frame.name}" for frame in traceback.extract_stack()
                           if "/codebench/tui/" in frame.filename]
                if callers:
                    on_ui_thread.append(callers[-1])
            return method(*args, **kwargs)
        return watched

    # A read-only action on SQLite goes through reading() (plain sqlite3), a write through transaction().
    project.transaction = watching(project.transaction)
    project.reading = watching(project.reading)
    return on_ui_thread


async def test_no_screen_reads_or_writes_the_project_on_the_ui_thread(sample_copy):
    project = sample_copy
    doc = services.get_document(project, ROUND_1)
    app = CodebenchApp(project, "tester")  # made before the app runs: it checks the coder's viewing rights once
    on_ui_thread = _watch_the_ui_thread(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen.query_one(TranscriptView)
        view.move_to(doc.text.index("travel uke"))
        for key in ("ctrl+shift+right", "ctrl+shift+right", "c"):
            await pilot.press(key)
        await settle(pilot)
        for key in ("g", "o", "d", "enter"):  # god mentor
            await pilot.press(key)
        await settle(pilot)
        assert [q.code for q in services.quotes(project, coders=["tester"])] == ["god mentor"]
        # A memo on it, then opened again in the anonymised view: whether the memo names someone
        # is asked of the anonymisation (it read the decisions on this thread).
        view.move_to(doc.text.index("travel uke") + 2)
        await pilot.press("m")
        await settle(pilot)
        await type_text(pilot, "travelt")
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.show_anonymised = True  # as o chooses
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MemoEditor)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+z", "ctrl+z")  # the memo, then the coding
        await settle(pilot)
        await pilot.press("q", "k")
        await settle(pilot)
        tree = app.screen.query_one(CodeTree)
        with_memo = next(node for node in tree._all_nodes() if node.data is not None and node.data.memo)
        tree.move_cursor(with_memo)
        await settle(pilot)
        await pilot.press("e")  # the code's memo: the same question
        await settle(pilot)
        assert isinstance(app.screen, MemoEditor)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        # Search, then code the hits: the picker's code tree and the coding itself.
        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, "travel")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CodePicker)
        await type_text(pilot, "god mentor")
        await pilot.press("enter")
        await settle(pilot)
        assert "god mentor" in {q.code for q in services.quotes(project, coders=["tester"])}
        await pilot.press("ctrl+z")
        await settle(pilot)
    assert services.quotes(project, coders=["tester"]) == []  # coded, then undone
    assert on_ui_thread == [], "\n".join(on_ui_thread)


async def test_the_coder_prompt_counts_the_known_coders_off_the_ui_thread(sample_copy):
    # The prompt listed the coders by counting every coding on the UI thread as it opened
    # (250,000 codings on a big project): the prompt stalled before it could take a key.
    project = sample_copy
    services.anonymisation.set_original_viewer(project, "ingrid", True)
    app = CodebenchApp(project)
    on_ui_thread = _watch_the_ui_thread(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, CoderPrompt)
        await wait_until(pilot, lambda: "ingrid, per" in str(prompt.query_one("#picker-hint", Label).render()),
                         "the known coders")
        # Behind the prompt no original name shows while it is not known who is looking.
        assert app.anonymised_view
        await type_text(pilot, "per")
        await pilot.press("enter")
        await settle(pilot)
        assert app.coder == "per" and not app.original_allowed and app.anonymised_view
        assert "coder: per" in app.screen.sub_title
    assert on_ui_thread == []


async def test_search_and_memos_keep_their_way_back_at_80x24(sample_copy):
    # Tried in tmux: the search screen's footer ended "… / query q bac▏^q quit f1 help": its
    # back key (its own action, not the app's pop_screen) was not kept in sight.
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, name in (("slash", "SearchScreen"), ("m", "MemosScreen")):
            await pilot.press(key)
            await settle(pilot)
            assert type(app.screen).__name__ == name
            keys = _essential_keys(app)
            assert "back" in keys, (name, sorted(keys))
            region = keys["back"].region
            assert region.width > 0 and region.right <= app.size.width, (name, region)
            await pilot.press("escape")
            await settle(pilot)
