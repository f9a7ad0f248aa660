"""The light and dark variants of the one chart theme: same settings, readable colours."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from defence_course import charts, website_charts


def luminance(colour: str) -> float:
    colour = {"white": "#ffffff", "black": "#000000"}.get(colour, colour)
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
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
        return (
            "colour"
            if isinstance(config, str) and (config.startswith("#") or config == "white")
            else config
        )

    assert shape(light) == shape(dark)
    assert dark["axis"]["labelColor"] == charts.THEME_COLOURS["dark"]["text"]
    assert dark["background"] == charts.THEME_COLOURS["dark"]["background"]


def test_the_website_gets_both_variants_and_the_colour_swaps():
    themes = charts.site_themes()
    assert set(themes["config"]) == set(themes["swap"]) == {"light", "dark"}
    swap = themes["swap"]["dark"]
    assert swap[charts.TEXT_COLOUR.lower()] == charts.THEME_COLOURS["dark"]["text"]
    assert all(key == value for key, value in themes["swap"]["light"].items())


HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
# charts.py is the one home of the colours. handout_printer.py styles the PDF handouts'
# printed header and footer (inline CSS for Chromium), not a chart.
COLOUR_HOMES = {"charts.py", "handout_printer.py"}


def test_colours_are_named_in_charts_only():
    """Figures and explorers use charts' named colours (charts.BLUE, charts.GREY, …): a hex
    literal elsewhere in the package is a colour the theme does not know."""
    package = Path(charts.__file__).parent
    literals = [
        f"{path.relative_to(package)}:{number}: {match}"
        for path in sorted(package.rglob("*.py"))
        if path.name not in COLOUR_HOMES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in HEX_COLOUR.findall(line)
    ]
    assert literals == [], "name these colours in charts.py:\n" + "\n".join(literals)


def test_the_named_colours_are_the_palette():
    assert charts.PALETTE == [
        charts.BLUE,
        charts.ORANGE,
        charts.GREEN,
        charts.PURPLE,
        charts.SKY_BLUE,
        charts.VERMILLION,
        charts.YELLOW,
        charts.BLACK,
    ]
    assert charts.BLACK == charts.THEME_COLOURS["light"]["ink"]


def test_recolouring_the_compiled_chart_gives_the_dark_variant():
    """The page script draws the dark variant by recolouring the light Vega spec with the swap
    map (_static/defence_course.js, applyTheme): the same spec as compiling with the dark config."""
    import json

    import vl_convert
    from altair.utils.html import vl_version_for_vl_convert

    from defence_course import explorers

    from .explorer_specs import spec

    themes = charts.site_themes()
    for name in explorers.EXPLORERS:
        vega = website_charts.website_vega(spec(name))
        recoloured = website_charts._recolour(vega, themes["swap"]["dark"], ("values", "usermeta"))
        dark = website_charts._recolour(
            spec(name), themes["swap"]["dark"], ("datasets", "data", "usermeta")
        )
        dark["config"] = website_charts._merge(dark.get("config") or {}, themes["config"]["dark"])
        compiled = vl_convert.vegalite_to_vega(dark, vl_version=vl_version_for_vl_convert())
        recoloured.pop("usermeta")
        compiled.pop("usermeta", None)
        assert json.dumps(recoloured, sort_keys=True) == json.dumps(compiled, sort_keys=True), name
