"""A coder kept from original names is not offered the keys that are always refused to them.

A tester (kept from names) saw `a mark name` and `e edit` in the transcript's footer and
`a anonymise` in the project's, and each only gave a refusal. They are out of that coder's
footer now; pressed anyway, they still say why.
"""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from codebench import services
from codebench.services import anonymisation
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.project import ProjectScreen
from tests.tui.helpers import settle

FIRST_DOC = "Intervju Kristine Holm runde 1"


def _footer_actions(app) -> set[str]:
    return {key.action for key in app.screen.query(FooterKey) if key.display}


def _messages(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def test_keys_refused_to_a_coder_kept_from_names_are_not_offered_but_explain_themselves(sample_copy):
    anonymisation.set_original_viewer(sample_copy, "eva", True)  # only eva sees names
    doc = services.get_document(sample_copy, FIRST_DOC)
    app = CodebenchApp(sample_copy, "tarjei")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProjectScreen)
        actions = _footer_actions(app)
        assert "quotes" in actions and "anonymisation" not in actions
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ProjectScreen)
        assert "anonymisation review shows original names" in _messages(app)
        app.clear_notifications()

        app.open_document(doc.info.id)
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        actions = _footer_actions(app)
        assert "code_selection" in actions
        assert not actions & {"mark_name", "mark_as", "edit", "not_yours"}
        await pilot.press("a")
        await settle(pilot)
        assert "Marking a name needs a coder allowed to see original names" in _messages(app)
        app.clear_notifications()
        await pilot.press("e")
        await settle(pilot)
        assert "correcting the words needs a coder allowed to see original names" in _messages(app)
        assert isinstance(app.screen, DocumentScreen)


async def test_a_coder_allowed_names_is_offered_marking_editing_and_the_review(sample_copy):
    anonymisation.set_original_viewer(sample_copy, "eva", True)
    doc = services.get_document(sample_copy, FIRST_DOC)
    app = CodebenchApp(sample_copy, "eva")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        assert "anonymisation" in _footer_actions(app)
        app.open_document(doc.info.id)
        await settle(pilot)
        actions = _footer_actions(app)
        assert {"mark_name", "edit"} <= actions and "not_yours" not in actions
