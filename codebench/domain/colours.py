"""Colour contrast by WCAG 2: how readable a text colour is on a background.

The exported heat map and the workbench's heat map both pick a count's ink for its cell with
these, so a number is equally readable in a report and on screen. Colours are plain 8-bit sRGB
``(r, g, b)`` tuples; front ends convert their own colour types at the edge.
"""

from __future__ import annotations

RGB = tuple[int, int, int]
"""An 8-bit sRGB colour, each channel 0–255."""


def _linear(channel: int) -> float:
    """One sRGB channel (0–255) as linear light (0–1)."""
    c = channel / 255
    # WCAG 2 states the knee as 0.03928 (the sRGB standard says 0.04045); no 8-bit value lies
    # between the two, so either gives the same result.
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: RGB) -> float:
    """The relative luminance of a colour as WCAG 2 defines it.

    Args:
        rgb: the colour as 8-bit sRGB channels.

    Returns:
        0.0 for black to 1.0 for white.
    """
    r, g, b = rgb
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast_ratio(a: RGB, b: RGB) -> float:
    """The WCAG 2 contrast ratio of two colours, in either order.

    Args:
        a: one colour (text or background).
        b: the other colour.

    Returns:
        From 1.0 (the same luminance) to 21.0 (black on white); WCAG AA asks 4.5 for body text.
    """
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
