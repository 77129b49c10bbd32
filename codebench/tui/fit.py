"""Fitting names into narrow columns without losing the part that tells them apart."""

from __future__ import annotations

from rich.cells import cell_len


def middle_ellipsis(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, cut in the middle: "Intervju K…runde 2".

    Names of one informant's interviews differ at the end (round 1, round 2) and the kind of
    document shows at the start, so both ends stay.
    """
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return text[:width]
    tail = (width - 1) // 2
    head = width - 1 - tail
    return text[:head].rstrip() + "…" + text[len(text) - tail:].lstrip()
