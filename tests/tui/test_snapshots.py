"""SVG snapshots of the workbench's key screens, at the smallest supported terminal (80×24) and a
wide one (160×50): project view, transcript with coding stripes, code picker, quotes, codebook
and anonymisation review.

One app run per size walks through the screens and takes a picture of each, so the suite pays
for two app starts, not twelve. The pictures live in tests/tui/__snapshots__/test_snapshots/;
after an intended change to a screen, look at the new SVGs (any browser shows them) and accept
them with ``pytest tests/tui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import pytest
from pytest_textual_snapshot import SVGImageExtension, normalize_svg

from codebench import services
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.anonymise import AnonymisationScreen
from codebench.tui.screens.codebook import CodebookScreen
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.picker import CodePicker
from codebench.tui.screens.project import ProjectScreen
from codebench.tui.screens.quotes import QuotesScreen
from codebench.tui.widgets.transcript import TranscriptView
from tests.tui.helpers import settle

CODER = "snapshot"
SCREENS = ("project", "transcript", "picker", "quotes", "codebook", "review")


async def _tour(app: CodebenchApp, pilot) -> dict[str, str]:
    """The key screens as SVG, in the order a coder meets them."""
    pictures: dict[str, str] = {}

    async def take(name: str, kind: type) -> None:
        # A picture is taken when two in a row are the same: a resize or breakpoint can set off a
        # chain of layouts (classes, then sizes, then names refitted to the new width).
        previous = None
        for _ in range(50):
            await settle(pilot)
            await pilot.wait_for_scheduled_animations()
            picture = normalize_svg(app.export_screenshot(title="codebench"))
            if picture == previous:
                break
            previous = picture
        assert isinstance(app.screen, kind), (name, app.screen)
        pictures[name] = picture

    project = app.project
    await take("project", ProjectScreen)
    await pilot.press("enter")
    await settle(pilot)
    view = app.screen.query_one(TranscriptView)
    doc = services.get_document(project, "Intervju Kristine Holm runde 1")
    view.move_to(doc.text.index("jobbe tettere med folk"))  # where two coders' codings overlap
    await take("transcript", DocumentScreen)
    for _ in range(4):
        await pilot.press("ctrl+shift+right")
    await pilot.press("c")
    await settle(pilot)
    for key in "ment":
        await pilot.press(key)
    await take("picker", CodePicker)
    await pilot.press("escape", "q")
    await settle(pilot)
    app.open_quotes(next(c for c in services.code_tree(project) if c.name == "god mentor"))
    await settle(pilot)
    await pilot.pause(0.1)  # the full-quote panel follows the highlighted row by message
    await take("quotes", QuotesScreen)
    await pilot.press("q", "k")
    await take("codebook", CodebookScreen)
    await pilot.press("q", "a")
    await take("review", AnonymisationScreen)
    return pictures


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
async def test_key_screens(snapshot, rule_detected, size):
    snapshot = snapshot.use_extension(SVGImageExtension)
    app = CodebenchApp(rule_detected, CODER)
    async with app.run_test(size=size) as pilot:
        pictures = await _tour(app, pilot)
    assert list(pictures) == list(SCREENS)
    for name in SCREENS:
        assert pictures[name] == snapshot(name=name), name
