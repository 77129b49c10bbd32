"""How the transcript breaks its lines (found by an independent tester at 80×24: "[Person⏎22]")."""

from __future__ import annotations

from codebench.tui.widgets.transcript import wrap_lines


def _lines(text: str, width: int) -> list[str]:
    return [text[a:b] for a, b in wrap_lines(text, width)]


def test_a_pseudonym_is_never_broken_across_lines() -> None:
    text = "Det var egentlig gjennom IA-rådgiveren vår, [Person 22]. Alle kaller ham [Sted 16] nå, sa hun."
    for width in range(20, 60):
        lines = _lines(text, width)
        assert "".join(lines) == text  # every character on exactly one line
        for line in lines:
            assert line.count("[") == line.count("]"), (width, lines)


def test_lines_still_fill_the_width_and_an_unbreakable_run_is_cut() -> None:
    assert _lines("ord ord ord ord ord", 10) == ["ord ord ", "ord ord ", "ord"]
    assert _lines("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
