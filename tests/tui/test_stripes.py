"""Coding stripes (#16 item 2): every coded span's code beside the text, by main category.

The layout rules are tested on their own (lanes, labels, initials); the app tests check what a
coder sees at 80×24 and 160×50 on the sample project, with codings the test makes itself.
"""

from __future__ import annotations

import pytest
from textual.color import Color

from codebench import services
from codebench.domain.colours import contrast_ratio
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.picker import CodePicker
from codebench.tui.widgets.stripes import abbreviate, coder_initials, fit_label, place_stripes
from codebench.tui.widgets.transcript import TranscriptView
from tests.tui.helpers import settle

FIRST_DOC = "Intervju Kristine Holm runde 1"
QUESTION = "Hvorfor sa du ja så fort?"  # a one-line turn nobody has coded


# -- layout rules ----------------------------------------------------------------------------


def test_overlapping_codings_stand_side_by_side_and_lanes_are_reused():
    # 0–3 and 2–5 overlap: two lanes; 6–7 starts a new cluster and takes lane 0 again.
    placed = place_stripes([(0, 3), (2, 5), (6, 7), (3, 3)])
    lanes = {p.mark: (p.lane, p.lanes, p.cluster) for p in placed}
    assert lanes[0][0] != lanes[1][0] and lanes[0][1] == lanes[1][1] == 3  # (3, 3) overlaps both
    assert lanes[3][0] not in (lanes[0][0], lanes[1][0])
    assert lanes[2] == (0, 1, 1)


def test_a_long_coding_takes_the_lane_next_to_the_text():
    placed = place_stripes([(4, 5), (4, 20)])
    assert {p.mark: p.lane for p in placed} == {1: 0, 0: 1}


@pytest.mark.parametrize("width", range(1, 30))
def test_an_abbreviated_name_fits_and_keeps_the_start_of_its_words(width):
    name = "kapasitet og portefølje"
    short = abbreviate(name, width)
    assert 0 < len(short) <= width
    if width >= 11:  # room for a few letters of each word: both words stay recognisable
        assert short.startswith("kap") and "port" in short


def test_labels_are_whole_when_they_fit_wrapped_down_a_long_stripe_and_abbreviated_on_a_short_one():
    assert fit_label("lederstøtte", 20, 1) == ["lederstøtte"]
    assert fit_label("kapasitet og portefølje", 12, 3) == ["kapasitet og", "portefølje"]
    assert fit_label("kapasitet og portefølje", 12, 1) == ["kapa. port."]


def test_coder_initials_are_short_and_distinct():
    assert coder_initials(["ingrid", "per"]) == {"ingrid": "I", "per": "P"}
    assert coder_initials(["Ingrid Nilsen", "per"]) == {"Ingrid Nilsen": "IN", "per": "P"}
    clash = coder_initials(["per", "petter", "pia"])
    assert len(set(clash.values())) == 3 and all(v[0] == "P" for v in clash.values())


# -- in the workbench ---------------------------------------------------------------------------


def _code_the_question(project) -> tuple[int, int, int]:
    """Two coders code the same short question, under two main categories."""
    doc = services.get_document(project, FIRST_DOC)
    start = doc.text.index(QUESTION)
    end = start + len(QUESTION)
    services.apply_code(project, doc.info.id, start, end, "kapasitet og portefølje", "tester")  # under veileder
    services.apply_code(project, doc.info.id, start, end, "rollefordeling", "other")  # under samskaping
    return doc.info.id, start, end


def _labels(view: TranscriptView, line: int) -> dict[str, tuple[int, str]]:
    return {code: (lane, label) for lane, code, label in view.stripe_labels(line)}


async def _open(pilot, document_id: int) -> tuple[DocumentScreen, TranscriptView]:
    await settle(pilot)
    pilot.app.open_document(document_id)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DocumentScreen)
    return screen, screen.query_one(TranscriptView)


async def test_stripes_name_the_codes_abbreviated_at_80_columns_and_whole_at_160(sample_copy):
    document_id, start, end = _code_the_question(sample_copy)
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        screen, view = await _open(pilot, document_id)
        assert view.stripes and screen.has_class("-stripes")
        # The side panel gives way to the stripes at 80 columns: the text keeps its room.
        assert not screen.query_one("#side").display
        view.move_to(start)
        await settle(pilot)
        line = view.line_of(start)
        labels = _labels(view, line)
        # Four coders' codings are on screen, so each label starts with its coder's initials.
        (tester_lane, tester_label), (other_lane, other_label) = labels["kapasitet og portefølje"], labels["rollefordeling"]
        assert tester_lane != other_lane, "overlapping codings stand side by side"
        assert tester_label.startswith("T ") and other_label.startswith("O ")
        assert tester_label != "T kapasitet og portefølje" and "kap" in tester_label, "abbreviated at 80 columns"
        strip = view.render_line(line - view.scroll_offset.y)
        assert tester_label in strip.text and other_label in strip.text

        await pilot.resize_terminal(160, 50)
        await settle(pilot)
        line = view.line_of(start)
        labels = _labels(view, line)
        assert labels["kapasitet og portefølje"][1] == "T kapasitet og portefølje"
        assert labels["rollefordeling"][1] == "O rollefordeling"
        assert screen.query_one("#side").display  # room for the side panel again


async def test_an_abbreviated_label_keeps_its_coders_initials(sample_copy):
    # Tried at 80x24 with coders ingrid and per: ingrid's "I" was taken for the small word "i"
    # and dropped when the name was abbreviated, so her stripe named no coder at all.
    doc = services.get_document(sample_copy, FIRST_DOC)
    start = doc.text.index(QUESTION)
    services.apply_code(sample_copy, doc.info.id, start, start + len(QUESTION), "kapasitet og portefølje", "ingrid")
    services.apply_code(sample_copy, doc.info.id, start, start + len(QUESTION), "rollefordeling", "per")
    app = CodebenchApp(sample_copy, "ingrid")
    async with app.run_test(size=(80, 24)) as pilot:
        _, view = await _open(pilot, doc.info.id)
        labels = _labels(view, view.line_of(start))
        ingrid_label = labels["kapasitet og portefølje"][1]
        assert ingrid_label != "I kapasitet og portefølje", "abbreviated at 80 columns"
        assert ingrid_label.startswith("I kap"), ingrid_label
        assert labels["rollefordeling"][1].startswith("P ")


def test_a_label_abbreviated_keeps_its_head_whole():
    assert fit_label("kapasitet og portefølje", 14, 1, head="I") == ["I kapa. port."]
    assert fit_label("lederstøtte", 20, 1, head="IN") == ["IN lederstøtte"]
    assert fit_label("kapasitet og portefølje", 12, 3, head="A") == ["A kapasitet", "og", "portefølje"]


async def test_every_coding_has_a_stripe_coloured_by_its_main_category(sample_copy):
    document_id, start, _ = _code_the_question(sample_copy)
    spans = services.document_codings(sample_copy, document_id)
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(160, 50)) as pilot:
        screen, view = await _open(pilot, document_id)
        # Every coding is drawn on its first line, in a lane or counted in "+n".
        for mark in view.marks:
            line = view.line_of(mark.start)
            assert any(label for _, code, label in view.stripe_labels(line) if code == mark.code) \
                or view.stripe_hidden(line), mark
        assert {m.uuid for m in view.marks} == {s.uuid for s in spans}
        # Colours come from the theme, one per main category, the same for all its codes.
        line = view.line_of(start)
        strip = view.render_line(line - view.scroll_offset.y)
        bars = {seg.style.color for seg in strip if seg.text == "▌"}
        veileder = view.category_style(0).color
        samskaping = view.category_style(4).color
        assert bars == {veileder, samskaping} and veileder != samskaping
        washes = {seg.style.bgcolor for seg in strip if seg.text.strip() and seg.text != "▌"
                  and ("kapasitet" in seg.text or "rollefordeling" in seg.text)}
        assert washes == {view.category_style(0, label=True).bgcolor, view.category_style(4, label=True).bgcolor}
        ranks = {m.code: m.category_rank for m in view.marks}
        assert ranks["kapasitet og portefølje"] == ranks["lederstøtte"] == 0


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_stripe_colours_stay_readable_in_both_themes(sample_copy, theme):
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = theme
        document_id = services.get_document(sample_copy, FIRST_DOC).info.id
        _, view = await _open(pilot, document_id)
        base = view.rich_style
        for rank in [*range(8), "none"]:
            # The code name on its category's wash of colour.
            style = base + view.get_component_rich_style(f"transcript--label-{rank}")
            ink, paper = Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor)
            assert contrast_ratio(ink.rgb, paper.rgb) >= 4.5, (theme, rank, ink.hex, paper.hex)
        # The bars tell the main categories apart.
        bars = {view.category_style(rank).color for rank in range(6)}
        assert len(bars) == 6


async def test_shift_s_hides_and_shows_the_stripes_and_later_transcripts_follow(sample_copy):
    document_id, start, _ = _code_the_question(sample_copy)
    other = services.get_document(sample_copy, "Intervju Kristine Holm runde 2").info.id
    app = CodebenchApp(sample_copy, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        screen, view = await _open(pilot, document_id)
        await pilot.press("S")
        await settle(pilot)
        assert not view.stripes and not app.show_stripes and not screen.has_class("-stripes")
        assert view.stripe_labels(view.line_of(start)) == []
        assert screen.query_one("#side").display  # without stripes, the codes show in the side panel
        await pilot.press("q")
        screen, view = await _open(pilot, other)
        assert not view.stripes
        await pilot.press("S")
        await settle(pilot)
        assert view.stripes and app.show_stripes


async def test_stripes_in_the_anonymised_rendition_name_no_one(rule_detected):
    """An in-vivo code made from the original words can hold a name: the anonymised view's
    stripes show it as the exports do."""
    project = rule_detected  # the sample project after rule-based detection by "fixture"
    kristine = next(e for e in services.anonymisation.entities(project, with_mentions=True) if "Kristine Holm" in e.forms)
    services.anonymisation.decide(project, "accept", entity=kristine.id, coder="fixture")
    doc = services.get_document(project, FIRST_DOC)
    start = doc.text.index("jeg heter Kristine Holm")
    end = start + len("jeg heter Kristine Holm")
    services.apply_code(project, doc.info.id, start, end, "jeg heter Kristine Holm", "tester", create="in-vivo")
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(160, 50)) as pilot:
        screen, view = await _open(pilot, doc.info.id)
        assert any("Kristine" in label for lane, code, label in view.stripe_labels(view.line_of(start)))
        await pilot.press("o")
        await settle(pilot)
        assert screen.anonymised
        shown = view.text.index(kristine.pseudonym)
        labels = [label for line in range(view.line_of(shown) - 1, view.line_of(shown) + 2)
                  for _, _, label in view.stripe_labels(line)]
        assert labels and not any("Kristine" in label or "Holm" in label for label in labels)
        assert not any("Kristine" in m.code for m in view.marks)


async def test_the_picker_leaves_the_words_being_coded_in_sight_at_80x24(sample_copy):
    project = sample_copy
    doc = services.get_document(project, FIRST_DOC)
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        screen, view = await _open(pilot, doc.info.id)
        # Words far down the transcript, selected at the bottom of the view.
        start = doc.text.index("Han har nettopp begynt")
        view.move_to(start)
        for _ in range(4):
            await pilot.press("ctrl+shift+right")
        await settle(pilot)
        selection = view.selection
        assert selection is not None
        await pilot.press("c")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, CodePicker)
        box = picker.query_one("#picker").region
        first = view.line_of(selection[0])
        row = view.region.y + first - view.scroll_offset.y
        assert 0 <= first - view.scroll_offset.y < view.size.height, "the selected words are on screen"
        assert not box.y <= row < box.bottom, (row, box)
        # The picker itself is whole: its list shows codes, its input is on screen.
        assert picker.query_one("#picker-input").region.bottom <= 24
        assert picker.query_one("#picker-options").option_count > 0
        await pilot.press("escape")


async def test_several_overlapping_codings_at_80_columns_say_how_many_more(sample_copy):
    project = sample_copy
    doc = services.get_document(project, FIRST_DOC)
    start = doc.text.index(QUESTION)
    end = start + len(QUESTION)
    for n in range(8):
        services.apply_code(project, doc.info.id, start, end, "god mentor", f"coder{n}")
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        _, view = await _open(pilot, doc.info.id)
        view.move_to(start)
        await settle(pilot)
        line = view.line_of(start)
        shown = view.stripe_labels(line)
        assert len(shown) >= 2 and view.stripe_hidden(line) == 8 - len(shown)
        assert f"+{view.stripe_hidden(line)}" in view.render_line(line - view.scroll_offset.y).text
