"""Type-to-find in the workbench's lists and trees (#16 item 2): codebook, documents, review."""

from __future__ import annotations

from textual import events

from codebench import services
from codebench.services import anonymisation
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.anonymise import AnonymisationScreen
from codebench.tui.screens.codebook import CodebookScreen
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.project import ProjectScreen
from codebench.tui.screens.quotes import QuotesScreen
from codebench.tui.widgets.code_tree import CodeTree
from codebench.tui.widgets.find import FindBar, find_match
from tests.tui.helpers import press_to, settle, type_text


def test_a_word_start_wins_over_a_match_inside_a_word():
    rows = ["kommentar", "god mentor", "mentorrollen"]
    assert find_match(rows, "men", 0) == 1
    assert find_match(rows, "men", 2) == 2  # from the current row on
    assert find_match(rows, "enta", 0) == 0  # inside a word, when no word starts with it
    assert find_match(rows, "zz", 0) is None


def test_a_typed_name_finds_the_identifier_called_so_before_one_whose_name_holds_it():
    # A tester typed "lie" to reach the identifier "lie", landed on "bjørn erik lie" and joined
    # the wrong person into Roger Lie.
    rows = ["kari, kari moen", "bjørn erik lie", "roger lie", "lie"]
    assert find_match(rows, "lie", 0, exact_first=True) == 3
    assert find_match(["kari, kari moen", "moen, per moen"], "moen", 0, exact_first=True) == 1
    # ↓ goes through every row that matches, as before
    assert find_match(rows, "lie", 2) == 2


def _bar(screen) -> str:
    bars = [bar for bar in screen.query(FindBar) if bar.has_class("-open")]
    return str(bars[0].render()) if bars else ""


async def test_finding_a_code_in_the_codebook_tree(sample_copy):
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "k", CodebookScreen)
        tree = screen.query_one(CodeTree)
        # "l" is not a key of the codebook: typing starts the find and goes into a collapsed category.
        await type_text(pilot, "lederst")
        await settle(pilot)
        assert tree.selected_code is not None and tree.selected_code.name == "lederstøtte"
        assert "lederst" in _bar(screen)
        # While the find is open, the codebook's letter keys wait: "m" is typed, not "move".
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
        await settle(pilot)
        assert not tree.finding and _bar(screen) == ""  # nothing left: the find closed
        before = {c.name: c.parent_id for c in services.code_tree(sample_copy)}
        await pilot.press("ctrl+f")
        await type_text(pilot, "mentor")
        await settle(pilot)
        assert "mentor" in tree.selected_code.name.casefold()
        assert {c.name: c.parent_id for c in services.code_tree(sample_copy)} == before, "no key ran"
        # ↓ goes to the next match; Esc closes and keeps the row.
        first = tree.selected_code.name
        await pilot.press("down")
        await settle(pilot)
        assert tree.selected_code.name != first and "mentor" in tree.selected_code.name.casefold()
        chosen = tree.selected_code.name
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CodebookScreen), "Esc closed the find, not the screen"
        assert not tree.finding and tree.selected_code.name == chosen
        # With the find closed, a key that belongs to the screen does its job again.
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, QuotesScreen) and app.screen.node.name == chosen


async def test_finding_a_document_in_the_project_view_and_opening_it(sample_copy):
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProjectScreen)
        await type_text(pilot, "nbwh")  # "n" is not a key of the project view
        await settle(pilot)
        document_id = screen._selected_document()
        assert screen._labels[document_id].startswith("nbwhisper")
        await pilot.press("enter")  # closes the find and opens the row
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen) and app.screen.document_id == document_id
        await pilot.press("q")
        await settle(pilot)
        # A key of the screen is a key, not a find: "h" opens the heat map.
        await pilot.press("h")
        await settle(pilot)
        assert type(app.screen).__name__ == "HeatMapScreen"


async def test_finding_an_identifier_in_the_review_and_deciding_it(rule_detected):
    detected = rule_detected
    target = next(e for e in anonymisation.entities(detected, with_mentions=True) if "Kristine Holm" in e.forms)
    app = CodebenchApp(detected, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "a", AnonymisationScreen)
        # Typing a name finds it, whatever its letters: the review's keys are capitals
        # (A R Y N …), and "k", "r", "n", "a" of a name are letters of the find (three testers
        # typed "randi", "nguyen" and each letter that was a key decided something).
        before = {e.id: dict(e.statuses) for e in anonymisation.entities(detected)}
        await type_text(pilot, "kristine holm")
        await settle(pilot)
        assert screen.current_entity() is not None and screen.current_entity().id == target.id
        assert {e.id: dict(e.statuses) for e in anonymisation.entities(detected)} == before, "a letter decided"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AnonymisationScreen)
        await pilot.press("A")  # the find is closed: A accepts the entity found
        await settle(pilot)
        decided = next(e for e in anonymisation.entities(detected, with_mentions=True) if e.id == target.id)
        assert {m.status for m in decided.mentions} == {"accepted"}


async def test_a_letter_typed_right_after_ctrl_f_goes_to_the_find_not_to_the_screen(rule_detected):
    """A tester typing fast in the review: ctrl+f, then "r" before the find was open, and "r"
    rejected the highlighted name. Both keys are queued at once here, as a fast typist's are."""
    detected = rule_detected
    before = {e.id: dict(e.statuses) for e in anonymisation.entities(detected)}
    app = CodebenchApp(detected, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "a", AnonymisationScreen)
        await settle(pilot)
        entities = screen.query_one("#entities")
        assert entities.has_focus
        for key, character in (("ctrl+f", None), ("r", "r"), ("u", "u")):
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert isinstance(app.screen, AnonymisationScreen), "u opened the residual list"
        assert entities.finding and entities.find_query == "ru"
    assert {e.id: dict(e.statuses) for e in anonymisation.entities(detected)} == before, "a key decided something"


async def test_a_name_typed_in_the_review_finds_its_spelling_not_a_pseudonym(rule_detected):
    # "per" typed to find Per had landed on the next row: its pseudonym "[Person 66]" holds the letters.
    detected = rule_detected
    app = CodebenchApp(detected, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "a", AnonymisationScreen)
        await type_text(pilot, "per f")
        await settle(pilot)
        found = screen.current_entity()
        assert found is not None and any(f.casefold().startswith("per f") for f in found.forms), found.forms
        await pilot.press("escape")
        await type_text(pilot, "person 1")
        await settle(pilot)
        assert screen.current_entity().pseudonym.startswith("[Person 1"), "a pseudonym typed finds it"


async def test_a_decision_key_after_a_find_that_matched_nothing_decides_nothing(rule_detected):
    # A tester typed "mahmud": no row matched and the highlight stayed on another person; the
    # capital that closes a find would have rejected that one. It closes the find and says so.
    detected = rule_detected
    before = {e.id: dict(e.statuses) for e in anonymisation.entities(detected)}
    app = CodebenchApp(detected, "tester")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "a", AnonymisationScreen)
        entities = screen.query_one("#entities")
        await type_text(pilot, "zqxmahmud")
        await settle(pilot)
        assert entities.finding
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, AnonymisationScreen) and not entities.finding
        assert {e.id: dict(e.statuses) for e in anonymisation.entities(detected)} == before, "R decided"
        assert any("No row matches «zqxmahmud»" in n.message for n in app._notifications)
        # ... while a key of the whole review still works: F shows the open ones only
        await type_text(pilot, "zqxmahmud")
        await pilot.press("F")
        await settle(pilot)
        assert screen.open_only


async def test_esc_after_a_key_closed_the_find_stays_and_a_pseudonym_typed_in_full_finds_that_one(rule_detected):
    # Two testers pressed Esc to close a find a capital key had closed already: the review went
    # back to the project screen and the name they typed next opened documents and a memo there.
    # A third typed "[Person 5]" and landed on [Person 57], and rejected it.
    detected = rule_detected
    app = CodebenchApp(detected, "tester")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "a", AnonymisationScreen)
        await type_text(pilot, "kristine holm")
        await pilot.press("F")  # a key of the whole review closes the find and does its job
        await settle(pilot)
        assert screen.open_only
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen, "the Esc meant for the find left the review"
        assert any("closed already" in n.message for n in app._notifications)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not screen, "a second Esc goes back"
        screen = await press_to(pilot, "a", AnonymisationScreen)
        pseudonyms = [v.pseudonym for v in screen.views]
        wanted = next(p for p in pseudonyms if any(o != p and o.startswith(p[:-1]) for o in pseudonyms))
        await type_text(pilot, wanted.strip("[]").lower())
        await settle(pilot)
        assert screen.current_entity().pseudonym == wanted, (wanted, screen.current_entity().pseudonym)
