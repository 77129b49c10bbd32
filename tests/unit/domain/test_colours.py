"""WCAG 2 relative luminance and contrast ratio, against values published with the guideline."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from codebench.domain.colours import contrast_ratio, relative_luminance

BLACK, WHITE = (0, 0, 0), (255, 255, 255)
channel = st.integers(0, 255)
colour = st.tuples(channel, channel, channel)


def test_luminance_runs_from_black_to_white_with_the_wcag_weights():
    assert relative_luminance(BLACK) == 0.0
    assert relative_luminance(WHITE) == pytest.approx(1.0)
    assert relative_luminance((255, 0, 0)) == pytest.approx(0.2126)
    assert relative_luminance((0, 255, 0)) == pytest.approx(0.7152)
    assert relative_luminance((0, 0, 255)) == pytest.approx(0.0722)
    # The linear segment below the knee: 10/255 is divided by 12.92, not raised to 2.4.
    assert relative_luminance((10, 10, 10)) == pytest.approx(10 / 255 / 12.92)


def test_contrast_ratio_matches_known_pairs():
    assert contrast_ratio(BLACK, WHITE) == pytest.approx(21.0)
    assert contrast_ratio(WHITE, WHITE) == 1.0
    # #767676 is the lightest grey that passes AA (4.5:1) on white; #777777 just fails.
    assert contrast_ratio((0x76, 0x76, 0x76), WHITE) == pytest.approx(4.54, abs=0.005)
    assert contrast_ratio((0x77, 0x77, 0x77), WHITE) < 4.5
    assert contrast_ratio((255, 0, 0), WHITE) == pytest.approx(4.0, abs=0.005)


@given(colour, colour)
def test_contrast_ratio_is_symmetric_and_between_1_and_21(a, b):
    assert contrast_ratio(a, b) == contrast_ratio(b, a)
    assert 1.0 <= contrast_ratio(a, b) <= 21.0 + 1e-9


@given(colour, channel)
def test_luminance_grows_with_every_channel(rgb, value):
    for i in range(3):
        lighter = list(rgb)
        lighter[i] = max(rgb[i], value)
        assert relative_luminance(tuple(lighter)) >= relative_luminance(rgb)
