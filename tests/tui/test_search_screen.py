"""The search screen through the real app: search, go to a hit, code the hits, undo — the database checked each time."""

from __future__ import annotations

import shutil
from pathlib import Path

from codebench import services
from codebench.services import anonymisation
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.picker import CodePicker
from codebench.tui.screens.search import SearchScreen
from codebench.tui.widgets.hit_list import HitList
from codebench.tui.widgets.transcript import TranscriptView
from tests.tui.helpers import settle


async def search_for(app: CodebenchApp, pilot, query: str) -> HitList:
    await pilot.press("slash")
    await settle(pilot)
    assert isinstance(app.screen, SearchScreen)
    for ch in query:
        await pilot.press("space" if ch == " " else ch)
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await settle(pilot)
    return app.screen.query_one(HitList)


def mine(project: services.Project, code: str) -> list[tuple[int, int, int]]:
    return sorted((q.document_id, q.start, q.end) for q in services.quotes(project, code=code, coders=["tester"]))


async def test_code_the_marked_hits_then_undo(sample_copy):
    project = sample_copy
    expected = services.search(project, "tillit*", coder="tester")
    assert len(expected.hits) >= 3
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        hits = await search_for(app, pilot, "tillit*")
        assert [h.start for h in hits.hits] == [h.start for h in expected.hits]
        assert app.focused is hits
        await pilot.press("space", "space")  # mark the first two
        assert len(hits.marked) == 2
        await pilot.press("w", "w", "w")  # sentence → turn → hit → word
        assert app.screen.widen_to == "word"
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CodePicker)
        for ch in "tillit i sok":
            await pilot.press("space" if ch == " " else ch)
        await pilot.press("ctrl+n")
        await settle(pilot)
        first, second = expected.hits[:2]
        assert mine(project, "tillit i sok") == sorted(
            [(first.document_id, first.start, first.end), (second.document_id, second.start, second.end)])
        assert services.audit_log(project, 1)[0].action == "code_hits"
        assert isinstance(app.screen, SearchScreen) and not app.screen.query_one(HitList).marked
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [c for c in services.codings(project) if c.coder == "tester"] == []
        assert "tillit i sok" not in {c.name for c in services.code_tree(project)}

        # Nothing marked: every hit is coded, each widened to its sentence (w: word → sentence).
        await pilot.press("w")
        assert app.screen.widen_to == "sentence"
        await pilot.press("c")
        await settle(pilot)
        for ch in "god mentor":
            await pilot.press("space" if ch == " " else ch)
        await pilot.press("enter")  # the codebook's code of that name
        await settle(pilot)
        coded = mine(project, "god mentor")
        assert len(coded) == len({(h.document_id, h.start) for h in expected.hits})
        for hit in expected.hits:  # each coding holds its hit and ends where a sentence ends
            span = next((d, s, e) for d, s, e in coded if d == hit.document_id and s <= hit.start and hit.end <= e)
            text = services.get_document(project, span[0]).text[span[1]:span[2]]
            assert text.rstrip("»”\"')").endswith((".", "?", "!", "…")) or text == text.split("\n")[0]


async def test_enter_goes_to_the_hit_and_slash_comes_back(sample_copy):
    project = sample_copy
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        hits = await search_for(app, pilot, '"god mentor"')
        await pilot.press("down")
        hit = hits.current
        assert hit is not None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen) and app.screen.document_id == hit.document_id
        assert app.screen.query_one(TranscriptView).selection == app.screen.to_view(hit.start, hit.end)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one(HitList).current == hit  # the hits and the place in them are kept


async def test_a_coder_who_may_not_see_names_is_told_why_nothing_is_found(reviewed_sample_dir: Path, tmp_path: Path):
    target = tmp_path / "reviewed"
    shutil.copytree(reviewed_sample_dir, target)
    project = services.open_project(target)
    try:
        anonymisation.set_original_viewer(project, "ingrid", True)
        app = CodebenchApp(project, "per")
        async with app.run_test(size=(80, 24)) as pilot:
            hits = await search_for(app, pilot, "Kristine")
            assert hits.hits == []
            status = str(app.screen.query_one("#search-status").content)
            assert "no hits in the anonymised text" in status and "may not see original names" in status
            await pilot.press("o")  # no original for this coder
            await settle(pilot)
            assert app.screen.original is False
            hits = await search_for(app, pilot, "mentor")
            assert hits.hits and all("Kristine" not in h.left + h.match + h.right for h in hits.hits)
    finally:
        project.close()


def test_search_screen_snapshot(snap_compare, sample_copy):
    """The hits of a prefix search at the smallest terminal the workbench supports."""

    async def run_before(pilot) -> None:
        await search_for(pilot.app, pilot, "tillit*")
        await pilot.press("down", "space")
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)

    assert snap_compare(CodebenchApp(sample_copy, "snapshot"), terminal_size=(80, 24), run_before=run_before)


def test_a_narrow_hit_list_keeps_each_documents_round():
    """Found by a tester: at 80 columns both rounds of V01 read "V01 veileder r" in the hit list."""
    from codebench.tui.widgets.hit_list import fit_label

    first, second = fit_label("V01 veileder runde 1", 14), fit_label("V01 veileder runde 2", 14)
    assert first != second and first.endswith("r1") and second.endswith("r2") and len(first) <= 14
    assert fit_label("V01 veileder runde 1", 22) == "V01 veileder r1"
    assert fit_label("kort", 14) == "kort"
