"""One span for "the whole turn": the workbench's `t`, `show --offsets` and `code` agree.

A tester's two coders coded the same turn, one with `t` in the workbench ([838, 1075): the words)
and one from `show --offsets` ([835, 1075): with the "R: " label); agreement came out κ 0.9931.
"""

from __future__ import annotations

import re

from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.picker import CodePicker
from tests.tui.helpers import settle, type_text

FIRST_DOC = "Intervju Kristine Holm runde 1"


def _cli(*args: object, coder: str) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args], env={"CODEBENCH_CODER": coder})
    assert result.exit_code == 0, result.output
    return result.stdout


def _spans(project: services.Project, coder: str) -> list[tuple[int, int]]:
    return sorted((q.start, q.end) for q in services.quotes(project, coders=[coder]) if q.code == "god mentor")


async def test_a_turn_coded_with_t_and_from_show_offsets_is_one_span(sample_copy):
    project = sample_copy
    doc = services.get_document(project, FIRST_DOC)
    turn = doc.turns[1]
    words = services.turn_span(doc.text, turn)
    assert doc.text[turn.start:words.start].strip() == "R:" and doc.text[words.start] != " "

    # The script's coder: the turn's positions as `show --offsets` prints them.
    shown = _cli("show", project.root, doc.info.id, "--offsets", coder="siv")
    start, end, text = next((int(s), int(e), t) for n, s, e, t in
                            re.findall(r"^turn (\d+) \[(\d+), (\d+)\) (.*)$", shown, flags=re.M) if n == "2")
    assert (start, end) == (words.start, words.end) and text.startswith("Ja. Eh, jeg heter")
    assert "R:\nturn 2 [" in shown, "the label is printed, outside the positions"
    _cli("code", project.root, doc.info.id, "--start", start, "--end", end, "--code", "god mentor", coder="siv")

    # The workbench's coder: t in the turn.
    app = CodebenchApp(project, "oda")
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_document(doc.info.id, position=turn.body_start + 20)
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, CodePicker)
        await type_text(pilot, "god mentor")
        await pilot.press("enter")
        await settle(pilot)

    assert _spans(project, "oda") == _spans(project, "siv") == [(words.start, words.end)]
    result = services.agreement(project, ["oda", "siv"])
    kappas = [row.cohen_kappa for row in result.rows if row.code == "god mentor"]
    assert kappas == [1.0]
