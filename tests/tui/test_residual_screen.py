"""The residual review in the workbench (#15): from the anonymisation review, ``u`` lists the words
left unmasked that may still be names; ``+`` marks one a name, ``k`` keeps it, ``j`` opens it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest

from codebench import services
from codebench.services import anonymisation
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.anonymise import AnonymisationScreen
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.residual import SHOWN, ResidualScreen
from tests.tui.helpers import type_text

PLANTED = "brødtrønn"


@pytest.fixture(scope="module")
def planted_dir(sample_project_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project with one more interview naming someone only the residual list finds,
    detected (rules and names) and auto-accepted once per module: project in ``project/``, key
    in ``keys/``."""
    folder = tmp_path_factory.mktemp("planted")
    shutil.copytree(sample_project_dir, folder / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CODEBENCH_KEY_DIR", str(folder / "keys"))
        project = services.open_project(folder / "project")
        path = folder / "M09 mentor runde 1.txt"
        path.write_text(f"I: Hvem jobbet du med?\n\nR: Mest med han {PLANTED}, han var der fra før.\n", encoding="utf-8")
        report = services.import_files(project, [path], services.ParticipantSpec(role="mentor", round=1, site="Sørvik"))
        assert not report.errors
        anonymisation.detect(project, use_model=False)
        anonymisation.auto_accept(project)
        project.close()
    return folder


@pytest.fixture
def planted(planted_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[services.Project]:
    """A writable copy of the planted project and its key."""
    shutil.copytree(planted_dir / "project", tmp_path / "sample")
    shutil.copytree(planted_dir / "keys", tmp_path / "keys")
    monkeypatch.setenv("CODEBENCH_KEY_DIR", str(tmp_path / "keys"))
    project = services.open_project(tmp_path / "sample")
    yield project
    project.close()


async def settle(pilot) -> None:
    for _ in range(100):
        await pilot.pause()
        pending = [w for w in pilot.app.workers if not w.is_finished]
        if not pending:
            break
        await pilot.app.workers.wait_for_complete(pending)
    await pilot.pause()


async def open_residual(pilot) -> ResidualScreen:
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AnonymisationScreen)
    await pilot.press("U")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ResidualScreen)
    return screen


async def _r_then_yes(pilot, project: services.Project) -> None:
    """R asks whether the list is read; y records it, and the project is anonymised."""
    from codebench.tui.screens.confirm import ConfirmDialog

    await pilot.press("R")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConfirmDialog)
    await pilot.press("y")
    await settle(pilot)
    await settle(pilot)
    assert anonymisation.anonymisation_state(project).anonymised


async def _highlight(pilot, screen: ResidualScreen, form: str) -> None:
    listing = screen.query_one("#residual")
    listing.highlighted = next(i for i, v in enumerate(screen.views) if v.form == form)
    await pilot.pause()
    assert screen.current().form == form


@pytest.mark.slow
async def test_residual_screen_marks_a_name_keeps_a_word_and_goes_to_the_text(planted: services.Project) -> None:
    app = CodebenchApp(planted, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_residual(pilot)
        assert PLANTED in [v.form for v in screen.views]
        assert [v.form for v in screen.views] == [v.form for v in anonymisation.residual(planted, limit=SHOWN)]
        # k: not a name; the word leaves the list here and in the CLI's.
        kept = next(v.form for v in screen.views if v.form != PLANTED)
        await _highlight(pilot, screen, kept)
        await pilot.press("K")
        await settle(pilot)
        assert kept not in [v.form for v in screen.views]
        assert kept not in [v.form for v in anonymisation.residual(planted, limit=None)]
        # J: the transcript at the word.
        await _highlight(pilot, screen, PLANTED)
        await pilot.press("J")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DocumentScreen)
        await pilot.press("q")
        await settle(pilot)
        # +: a name, masked everywhere, off the list.
        screen = pilot.app.screen
        assert isinstance(screen, ResidualScreen)
        await _highlight(pilot, screen, PLANTED)
        await pilot.press("plus")
        await settle(pilot)
        assert PLANTED not in [v.form for v in screen.views]
        marked = [e for e in anonymisation.entities(planted) if PLANTED in (f.casefold() for f in e.forms)]
        assert marked and marked[0].kind == "PER" and marked[0].statuses.get("manual")


async def test_marking_a_word_that_is_an_ordinary_word_too_asks_first(planted: services.Project) -> None:
    """+ on "hans" (his) would mark every "hans" in the project: the screen asks, and Cancel
    leaves everything as it was."""
    from codebench.tui.screens.confirm import ConfirmDialog

    app = CodebenchApp(planted, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_residual(pilot)
        word = next(v for v in screen.views if v.also_a_word)
        plain = next(v for v in screen.views if not v.also_a_word)
        assert plain.form == PLANTED or not plain.also_a_word
        before = len(anonymisation.entities(planted))
        await _highlight(pilot, screen, word.form)
        await pilot.press("plus")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert len(anonymisation.entities(planted)) == before and word.form in [v.form for v in screen.views]
        assert screen.current().form == word.form, "cancel keeps the place in the list"
        # q cancels too, as it leaves every other screen (a tester's "q q" here did nothing)
        await pilot.press("plus")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("q")
        await settle(pilot)
        assert app.screen is screen and len(anonymisation.entities(planted)) == before
        await pilot.press("plus")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        marked = [e.forms for e in anonymisation.entities(planted) if word.form in (f.casefold() for f in e.forms)]
        assert marked, (word.form, app.screen, [str(n.message) for n in app._notifications])
        assert word.form not in [v.form for v in screen.views]
        assert any(word.form in (f.casefold() for f in e.forms) for e in anonymisation.entities(planted))


async def test_shift_a_marks_a_residual_word_as_a_place(planted: services.Project) -> None:
    # Found by an independent tester: + made "Amla" a person; the kind could not be chosen here.
    from codebench.tui.screens.kind_picker import KindPicker

    app = CodebenchApp(planted, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_residual(pilot)
        await _highlight(pilot, screen, PLANTED)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, KindPicker)
        await pilot.press("l")
        await settle(pilot)
        assert PLANTED not in [v.form for v in screen.views]
        marked = [e for e in anonymisation.entities(planted) if PLANTED in (f.casefold() for f in e.forms)]
        assert marked and marked[0].kind == "LOC" and marked[0].pseudonym.startswith("[Sted ")
        # A word that is an ordinary word too asks first, as + does (a tester's A one row too
        # late marked a word everywhere).
        from codebench.tui.screens.confirm import ConfirmDialog

        word = next(v for v in screen.views if v.also_a_word)
        before = len(anonymisation.entities(planted))
        await _highlight(pilot, screen, word.form)
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert len(anonymisation.entities(planted)) == before


async def test_r_records_the_list_read_and_only_then_is_the_project_anonymised(planted: services.Project) -> None:
    """A tester's export said "anonymised" with names left that only the residual list showed:
    once every suggestion is decided, the project is anonymised only after R (asked first)."""
    from codebench.tui.screens.confirm import ConfirmDialog

    for entity in anonymisation.entities(planted, status="suggested"):
        anonymisation.decide(planted, "accept", entity=entity.id, coder="tester")
    state = anonymisation.anonymisation_state(planted)
    assert (state.open, state.anonymised) == (0, False) and state.unread == state.documents
    app = CodebenchApp(planted, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_residual(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert not anonymisation.anonymisation_state(planted).anonymised
        # after a find that found nothing, R still records the list read (a tester's "strømR")
        await pilot.press("ctrl+f")
        await type_text(pilot, "zzq")
        await _r_then_yes(pilot, planted)
        assert any("residual list read" in str(n.message) for n in app._notifications)


async def test_typing_a_word_finds_it_in_the_residual_list(planted: services.Project) -> None:
    """The list can be hundreds of entries long: a researcher who remembers a name from the
    interview types it (ctrl+f, as in every list) and lands on its entry, not on an entry whose
    context happens to contain it; "+" typed into the find closes it and marks the word found (a
    tester's "kuba+" had found no row; Esc first, as before, works too)."""
    app = CodebenchApp(planted, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_residual(pilot)
        listing = screen.query_one("#residual")
        listing.highlighted = 0
        await pilot.press("ctrl+f", *PLANTED[:5])
        await pilot.pause()
        assert screen.current().form == PLANTED
        assert "1 match" in str(screen.query_one("FindBar").render())
        await pilot.press("plus")
        await settle(pilot)
        assert PLANTED not in [v.form for v in screen.views]


async def test_the_residual_list_is_found_by_name_and_says_how_to_record_it_read(planted: services.Project) -> None:
    """A tester at 80x24 found neither R (the footer has no room for it, the title line was cut
    before it) nor the list in the palette ("read" found nothing)."""
    app = CodebenchApp(planted, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"residual")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ResidualScreen)
        title = str(screen.query_one("#residual-count").render())
        assert "R: list read" in title[:40], title


@pytest.mark.slow
async def test_back_from_the_transcript_the_cursor_is_on_the_same_word_not_the_same_row(planted: services.Project) -> None:
    """A tester pressed J on «vår», marked it in the transcript and came back: the list was
    ranked again, «aga» had moved up onto the row, and the K meant for «vår» kept «aga», a
    surname. Back from the transcript the cursor follows the word; a word that left the list is
    named, with the word the cursor is on now."""
    app = CodebenchApp(planted, "tester")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_residual(pilot)
        forms = [v.form for v in screen.views]
        word = forms[3]
        await _highlight(pilot, screen, word)
        await pilot.press("J")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DocumentScreen)
        # While the transcript is open, a word ranked above it is decided (a colleague, or the
        # review): the word moves up a row.
        anonymisation.keep_residual(planted, [forms[0]], coder="colleague")
        await pilot.press("q")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ResidualScreen)
        assert [v.form for v in screen.views].index(word) == 2
        assert screen.current().form == word
        # J on the planted name, marked in the transcript (a: the selection is a name), back: it
        # has left the list, and the toast says which word the cursor is on instead.
        await _highlight(pilot, screen, PLANTED)
        await pilot.press("J")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ResidualScreen) and PLANTED not in [v.form for v in screen.views]
        said = [n.message for n in app._notifications]
        assert any(f"«{PLANTED}» has left the list; the cursor is on «{screen.current().form}»" in m for m in said), said


async def test_r_records_an_emptied_list_read(planted: services.Project) -> None:
    """A tester kept every word of the list (K, K, …) until it said "No residual candidates";
    R then did nothing, and the title still said the list was not read."""
    from codebench.tui.screens.confirm import ConfirmDialog

    for entity in anonymisation.entities(planted, status="suggested"):
        anonymisation.decide(planted, "accept", entity=entity.id, coder="tester")
    anonymisation.keep_residual(planted, [v.form for v in anonymisation.residual(planted, limit=None)], coder="tester")
    app = CodebenchApp(planted, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_residual(pilot)
        assert screen.views == []
        # R while the last decision is stored says to wait (it did nothing, silently)
        screen.busy = True
        await pilot.press("R")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert any("R again" in str(n.message) for n in app._notifications)
        screen.busy = False
        # (letters typed into the empty list open a find that finds nothing; R still goes through)
        await type_text(pilot, "minde")
        await _r_then_yes(pilot, planted)
