"""In the workbench a coder not allowed to see original names never sees an in-vivo code's name
as written: the code tree, the codebook, the quotes list, the picker and the stripes show its
anonymised rendition, while the code itself (its name is the key) is unchanged."""

from __future__ import annotations

import shutil

import pytest
from textual.widgets import OptionList, Static

from codebench import services
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.codebook import CodebookScreen
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.picker import CodePicker
from codebench.tui.screens.quotes import QuotesScreen
from codebench.tui.widgets.code_tree import CodeTree
from codebench.tui.widgets.quote_list import QuoteList

from tests.tui.helpers import settle, wait_until

NAME = "Kristine Holm"


@pytest.fixture
def in_vivo(reviewed_sample_dir, tmp_path):
    """The reviewed sample with an in-vivo code holding a name; only 'ingrid' may see originals."""
    shutil.copytree(reviewed_sample_dir, tmp_path / "demo")
    project = services.open_project(tmp_path / "demo")
    doc = next(d for d in services.list_documents(project) if NAME in services.get_document(project, d.id).text)
    text = services.get_document(project, doc.id).text
    end = text.index(NAME) + len(NAME)
    start = text.rindex(" ", 0, end - len(NAME) - 12) + 1
    name = services.in_vivo_code_name(project, doc.id, start, end)
    services.apply_code(project, doc.id, start, end, name, "ingrid", create="in-vivo")
    services.anonymisation.set_original_viewer(project, "ingrid", True)
    yield project, doc.id, start, name
    project.close()


def tree_labels(screen) -> list[str]:
    return [str(node.label) for node in screen.query_one(CodeTree)._all_nodes()]


async def test_a_coder_without_original_rights_sees_in_vivo_names_anonymised(in_vivo):
    project, doc_id, start, name = in_vivo
    app = CodebenchApp(project, "ola")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = next(label for label in tree_labels(app.screen) if "(in-vivo)" in label and "Og hun" in label)
        assert "[Veileder" in shown and "Kristine" not in " ".join(tree_labels(app.screen))

        app.push_screen(CodebookScreen(focus_code=name))
        await settle(pilot)
        assert "Kristine" not in " ".join(tree_labels(app.screen))
        assert app.screen.query_one(CodeTree).selected_code.name == name  # the code itself is unchanged
        detail = str(app.screen.query_one("#code-detail", Static).render())
        assert "[Veileder" in detail and "Kristine" not in detail
        # Typing the hidden name does not find it (no way to test a guess).
        assert not any("Kristine" in row for row in app.screen.query_one(CodeTree).find_rows())
        app.pop_screen()

        app.open_quotes(next(c for c in services.code_tree(project) if c.name == name))
        await settle(pilot)
        assert isinstance(app.screen, QuotesScreen)
        quotes = app.screen.query_one(QuoteList).quotes
        assert quotes and all("Kristine" not in q.code for q in quotes)
        assert "Kristine" not in str(app.screen.query_one("#quotes-title").render())
        app.pop_screen()

        app.open_document(doc_id, position=start + 2)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DocumentScreen)
        view = screen.view
        await wait_until(pilot, lambda: view.marks, "the codings")
        stripes = [label for line in range(len(view.line_texts())) for _, _, label in view.stripe_labels(line)]
        assert stripes and not any("Kristine" in label or "Holm" in label for label in stripes)
        assert "Kristine" not in str(screen.query_one("#here", Static).render())

        app.push_screen(CodePicker(services.code_tree(project)))
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        listed = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert listed and not any("Kristine" in row for row in listed)


async def test_a_coder_allowed_originals_sees_the_name_as_written(in_vivo):
    project, _, _, name = in_vivo
    app = CodebenchApp(project, "ingrid")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert any(name in label for label in tree_labels(app.screen))


def _rename_prompt(app):
    from codebench.tui.screens.picker import TextPrompt
    return app.screen if isinstance(app.screen, TextPrompt) else None


async def test_renaming_a_code_whose_name_shows_anonymised_is_refused_not_built_from_pseudonyms(in_vivo):
    # The rename prompt was filled with the rendition ("Og hun sa at [Veileder 2]"): any edit then
    # replaced the informant's words with pseudonyms, and the original name was lost for good.
    project, _, _, name = in_vivo
    app = CodebenchApp(project, "ola")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        app.push_screen(CodebookScreen(focus_code=name))
        await settle(pilot)
        assert app.screen.query_one(CodeTree).selected_code.name == name
        await pilot.press("f2")
        await settle(pilot)
        assert _rename_prompt(app) is None
        said = [n.message for n in app._notifications][-1]
        assert "a coder allowed to see names can rename it" in said and "Kristine" not in said
    assert any(c.name == name for c in services.code_tree(project))

    # A coder allowed to see names renames against the name as written, in the original view only.
    app = CodebenchApp(project, "ingrid")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        app.push_screen(CodebookScreen(focus_code=name))
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        prompt = _rename_prompt(app)
        assert prompt is not None and prompt.value == name
        await pilot.press("escape")
        app.show_anonymised = True  # as o in a transcript chooses
        app.screen.action_refresh()
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert _rename_prompt(app) is None
        assert "where original names show" in [n.message for n in app._notifications][-1]


async def test_the_picker_does_not_find_a_code_by_a_hidden_name_in_its_description(in_vivo):
    # Type-to-find searched the descriptions as written: typing a name the coder is not shown
    # found the code whose description held it, answering "who is this about?".
    project, _, _, name = in_vivo
    code = next(c for c in services.code_tree(project) if c.name == "tillit mellom partene")
    services.update_code(project, code.name, description="Slik Kristine Holm beskrev samarbeidet", coder="ingrid")
    app = CodebenchApp(project, "ola")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(CodePicker(services.code_tree(project)))
        await settle(pilot)
        picker = app.screen

        def listed(query: str) -> list[str]:
            picker.query_one("#picker-input").value = query
            picker._refresh_options(query)
            options = picker.query_one(OptionList)
            return [str(options.get_option_at_index(i).id) for i in range(options.option_count)]

        assert "code:tillit mellom partene" not in listed("Kristine Holm")
        # What the description shows still finds it.
        assert "code:tillit mellom partene" in listed("beskrev samarbeidet")


async def test_coding_search_hits_with_an_in_vivo_code_says_its_name_as_shown(in_vivo):
    # The search screen's "coded n passage(s) as «…»" named the code as written.
    project, _, _, name = in_vivo
    app = CodebenchApp(project, "ola")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        for key in ("t", "r", "a", "v", "e", "l", "enter"):
            await pilot.press(key)
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CodePicker)
        for key in ("O", "g", "space", "h", "u", "n", "enter"):
            await pilot.press(key)
        await settle(pilot)
        said = [n.message for n in app._notifications][-1]
        assert said.startswith("coded ") and "[Veileder" in said and "Kristine" not in said
    assert any(q.code == name for q in services.quotes(project, coders=["ola"]))


async def test_an_in_vivo_code_from_a_selection_inside_a_name_is_named_with_whole_words(in_vivo):
    # Found by an independent tester: a selection starting inside a name ("stine Holm …") named
    # the code with a piece of the name, which no anonymisation recognises for other coders.
    project, doc_id, _, _ = in_vivo
    text = services.get_document(project, doc_id).text
    inside = text.index(NAME) + 3
    app = CodebenchApp(project, "ingrid")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_document(doc_id, position=inside + 20, select_to=inside)
        await wait_until(pilot, lambda: isinstance(app.screen, DocumentScreen) and app.screen.doc is not None)
        await settle(pilot)
        await pilot.press("v")
        await wait_until(pilot, lambda: any(c.origin == "in-vivo" and c.name.startswith(NAME)
                                            for c in services.code_tree(project)))
    shown = services.shown_code_names(project, anonymised=True)
    made = next(c.name for c in services.code_tree(project) if c.origin == "in-vivo" and c.name.startswith(NAME))
    assert "Holm" not in shown[made] and "stine" not in shown[made], shown[made]
