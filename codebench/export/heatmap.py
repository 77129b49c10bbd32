"""A code × column frequency heat map as a self-contained SVG string.

Written by hand rather than with a plotting library: the picture is a grid of rectangles and
numbers, and an SVG string embeds in an HTML report without files, fonts or a renderer.
Every cell prints its count, so the colour only helps the eye and never carries the number alone.
"""

from __future__ import annotations

from html import escape

from codebench.domain.colours import RGB, contrast_ratio
from codebench.domain.matrix import CountTable

# A sequential blue scale, light to dark, through a saturated middle so that mid-range counts
# do not turn grey. The text colour is chosen per cell for contrast.
_STOPS = ((0xE4, 0xEE, 0xF9), (0x5B, 0x9B, 0xD5), (0x08, 0x30, 0x6B))
_EMPTY = "#f5f5f5"
_DARK_TEXT = "#1a1a1a"
_LIGHT_TEXT = "#ffffff"
_DARK_RGB: RGB = (0x1A, 0x1A, 0x1A)
_LIGHT_RGB: RGB = (0xFF, 0xFF, 0xFF)
_MUTED_TEXT = "#6b6b6b"  # zero counts: 5:1 contrast on the empty fill

CELL_WIDTH = 64
CELL_HEIGHT = 22
FONT_SIZE = 12
CHAR_WIDTH = 7.4  # generous advance of a 12 px (bold) sans-serif character: labels must never be clipped
MAX_LABEL = 48


def _mix(fraction: float) -> tuple[int, int, int]:
    """The colour ``fraction`` (0–1) of the way along the scale."""
    position = min(max(fraction, 0.0), 1.0) * (len(_STOPS) - 1)
    i = min(int(position), len(_STOPS) - 2)
    local = position - i
    r, g, b = (round(lo + (hi - lo) * local) for lo, hi in zip(_STOPS[i], _STOPS[i + 1]))
    return r, g, b


def cell_colours(count: int, maximum: int) -> tuple[str, str]:
    """``(fill, text colour)`` of a cell holding ``count`` when the largest cell holds ``maximum``.

    Non-zero counts start at a fifth of the scale so that a single quote is visibly not zero.
    The text colour is whichever of near-black and white contrasts more with the fill.
    """
    if count <= 0 or maximum <= 0:
        return _EMPTY, _MUTED_TEXT
    fraction = 0.2 + 0.8 * (count / maximum)
    rgb = _mix(min(fraction, 1.0))
    fill = "#{:02x}{:02x}{:02x}".format(*rgb)
    text = _LIGHT_TEXT if contrast_ratio(rgb, _LIGHT_RGB) > contrast_ratio(rgb, _DARK_RGB) else _DARK_TEXT
    return fill, text


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def heatmap_svg(table: CountTable, *, title: str = "Koder × roller") -> str:
    """The table as an inline SVG heat map, rows grouped under their main categories.

    Args:
        table: frequencies (rows are codes, columns roles or other columns).
        title: accessible name of the picture.
    """
    maximum = table.maximum
    labels = [_short(row.code) for row in table.rows]
    groups = [row.main_category for row in table.rows]
    group_labels = [_short(g or "Uten kategori") for g in dict.fromkeys(groups)]
    label_width = int(max([len(x) for x in labels + group_labels] + [8]) * CHAR_WIDTH) + 28
    column_labels = [_short(c.label) for c in table.columns]
    longest = max([len(x) for x in column_labels] + [0]) * CHAR_WIDTH
    # Short headers (roles, rounds) widen the cells a little; longer ones (document names) are
    # turned 45 degrees instead, since a matrix may have a couple of hundred document columns.
    cell_width = max(CELL_WIDTH, int(longest) + 14) if longest + 14 <= 2 * CELL_WIDTH else CELL_WIDTH
    slanted = longest > cell_width - 6
    header_height = int(longest * 0.71) + 24 if slanted else 30
    parts: list[str] = []
    y = header_height
    previous: object = object()
    for i, row in enumerate(table.rows):
        if row.main_category != previous:
            previous = row.main_category
            y += 6 if i else 0
            parts.append(
                f'<text x="4" y="{y + CELL_HEIGHT - 7}" font-weight="bold">{escape(_short(row.main_category or "Uten kategori"))}</text>'
            )
            y += CELL_HEIGHT
        parts.append(
            f'<text x="14" y="{y + CELL_HEIGHT - 7}"><title>{escape(row.code)}</title>{escape(labels[i])}</text>'
        )
        for j, column in enumerate(table.columns):
            count = table.values[i][j]
            fill, ink = cell_colours(count, maximum)
            x = label_width + j * cell_width
            parts.append(
                f'<g><title>{escape(row.code)} · {escape(column.label)}: {count}</title>'
                f'<rect x="{x}" y="{y}" width="{cell_width - 2}" height="{CELL_HEIGHT - 2}" fill="{fill}"/>'
                f'<text x="{x + (cell_width - 2) / 2:.0f}" y="{y + CELL_HEIGHT - 7}" text-anchor="middle" fill="{ink}">{count}</text></g>'
            )
        y += CELL_HEIGHT
    width = label_width + len(table.columns) * cell_width + 4
    header = []
    for j, column in enumerate(table.columns):
        cx = label_width + j * cell_width + (cell_width - 2) / 2
        if slanted:
            header.append(
                f'<text x="{cx:.0f}" y="{header_height - 6}" transform="rotate(-45 {cx:.0f} {header_height - 6})" '
                f'font-weight="bold"><title>{escape(column.label)}</title>{escape(column_labels[j])}</text>'
            )
        else:
            header.append(
                f'<text x="{cx:.0f}" y="{header_height - 10}" text-anchor="middle" font-weight="bold">'
                f'<title>{escape(column.label)}</title>{escape(column_labels[j])}</text>'
            )
    if slanted:  # the last slanted label reaches to the right of its column
        width += int(longest * 0.71)
    height = y + 8
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="{FONT_SIZE}" fill="{_DARK_TEXT}">'
        f"<title>{escape(title)}</title>" + "".join(header) + "".join(parts) + "</svg>"
    )
