"""The light and dark variants of the one chart theme: same settings, readable colours."""

from __future__ import annotations

import pytest

from defence_course import charts


def luminance(colour: str) -> float:
    colour = {"white": "#ffffff", "black": "#000000"}.get(colour, colour)
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_text_and_marks_keep_their_contrast(mode):
    colours = charts.THEME_COLOURS[mode]
    assert contrast(colours["text"], colours["background"]) >= 4.5  # WCAG AA, text
    assert contrast(colours["ink"], colours["background"]) >= 3  # WCAG 1.4.11, graphics
    assert contrast(colours["grid"], colours["background"]) >= 1.3  # a visible grid
    if mode == "dark":  # the palette's hues on the dark page (all but black, swapped for ink)
        for hue in charts.PALETTE[:-1]:
            assert contrast(hue, colours["background"]) >= 3, hue


def test_the_variants_differ_only_in_colours():
    light, dark = (charts.course_theme(mode)["config"] for mode in ("light", "dark"))
    assert light == charts.course_theme()["config"]

    def shape(config):
        if isinstance(config, dict):
            return {k: shape(v) for k, v in config.items()}
        if isinstance(config, list):
            return [shape(v) for v in config]
        return "colour" if isinstance(config, str) and (
            config.startswith("#") or config == "white") else config

    assert shape(light) == shape(dark)
    assert dark["axis"]["labelColor"] == charts.THEME_COLOURS["dark"]["text"]
    assert dark["background"] == charts.THEME_COLOURS["dark"]["background"]


def test_the_website_gets_both_variants_and_the_colour_swaps():
    themes = charts.site_themes()
    assert set(themes["config"]) == set(themes["swap"]) == {"light", "dark"}
    swap = themes["swap"]["dark"]
    assert swap[charts.TEXT_COLOUR.lower()] == charts.THEME_COLOURS["dark"]["text"]
    assert all(key == value for key, value in themes["swap"]["light"].items())
