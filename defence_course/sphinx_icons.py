"""The site's icons as one small style sheet, drawn from the theme's Font Awesome.

The theme draws a few dozen icons with Font Awesome's 1.4 MiB script and its webfonts; these
functions find the icons the built pages show and draw each as an inline SVG mask in the text
colour (:mod:`defence_course.sphinxext` writes the style sheet when the build finishes).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Set as AbstractSet
from pathlib import Path

# Font Awesome icon classes the theme writes: a style (solid, regular, brands) and a name.
ICON_CLASS = re.compile(r"\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)\b")
ICON_STYLE = {
    "fa-solid": "fas",
    "fas": "fas",
    "fa-regular": "far",
    "far": "far",
    "fa-brands": "fab",
    "fab": "fab",
}
# Where the theme's icon classes are written: class attributes of the pages, strings of its
# scripts (e.g. the search dialog's close button).
ICON_SOURCES = re.compile(
    r'class="([^"]*\bfa[bsr]?\b[^"]*|[^"]*\bfa-(?:solid|regular|brands)'
    r'\b[^"]*)"|"((?:fa-(?:solid|regular|brands)|fa[bsr]) fa-[a-z0-9 -]+)"'
)


def icons_used(texts: list[str]) -> set[tuple[str, str]]:
    """(style, name) of every Font Awesome icon written in ``texts`` (pages and scripts)."""
    used = set()
    for text in texts:
        for match in ICON_SOURCES.finditer(text):
            classes = (match.group(1) or match.group(2)).split()
            style = next((ICON_STYLE[c] for c in classes if c in ICON_STYLE), "fas")
            used |= {
                (style, m.group(1))
                for c in classes
                if c not in ICON_STYLE
                for m in [ICON_CLASS.fullmatch(c)]
                if m
            }
    return used


FA_PACK_END = re.compile(r'd\("(fa[bsr])",p\)')


def icon_paths(fontawesome_js: str) -> dict[tuple[str, str], tuple[int, int, str]]:
    """(style, name) -> (width, height, SVG path) of every icon in Font Awesome's script."""
    icons = {}
    start = 0
    for end in FA_PACK_END.finditer(fontawesome_js):
        pack = fontawesome_js[start : end.start()]
        for match in re.finditer(
            r'"?([a-z0-9-]+)"?:\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]*",'
            r'("[^"]*"|\[[^\]]*\])\]',
            pack,
        ):
            path = match.group(4)
            # A duotone icon has two paths; these styles have one.
            path = path.strip('"') if path.startswith('"') else path.split('"')[1]
            icons[(end.group(1), match.group(1))] = (int(match.group(2)), int(match.group(3)), path)
        start = end.end()
    return icons


# The theme draws an admonition's title icon with Font Awesome's font (content: a codepoint):
# its type, the theme's icon for it (pydata-sphinx-theme's --pst-icon-admonition-*).
ADMONITION_ICONS = {
    "default": "bell",
    "note": "circle-info",
    "attention": "circle-exclamation",
    "important": "circle-exclamation",
    "caution": "triangle-exclamation",
    "warning": "triangle-exclamation",
    "danger": "triangle-exclamation",
    "error": "circle-xmark",
    "hint": "lightbulb",
    "tip": "lightbulb",
    "seealso": "share",
    "todo": "pencil",
}
ADMONITION_CLASS = re.compile(r'class="admonition ([a-z]+)')


def _svg_url(width: int, height: int, path: str) -> str:
    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'>"
        f"<path d='{path}'/></svg>"
    )
    return 'url("data:image/svg+xml,' + urllib.parse.quote(svg, safe=" /:=',.-") + '")'


MASK = (
    "background-color:currentColor;-webkit-mask:var(--dc-icon) center/contain no-repeat;"
    "mask:var(--dc-icon) center/contain no-repeat"
)


def icon_stylesheet(
    used: set[tuple[str, str]], paths: dict, admonitions: AbstractSet[str] = frozenset()
) -> str:
    """CSS that draws each used icon as an SVG mask in the text colour (no webfont, no JS).

    ``used``: (style, name) of the icon classes on the pages; ``admonitions``: the admonition
    types on the pages (their title icons).
    """
    selectors = {
        "fas": (".fa-solid", ".fas"),
        "far": (".fa-regular", ".far"),
        "fab": (".fa-brands", ".fab"),
    }
    rules, drawn = [], []
    for style, name in sorted(used):
        if (style, name) not in paths:  # a modifier class (fa-lg, fa-fw)
            continue
        selector = ",".join(f"{s}.fa-{name}::before" for s in selectors[style])
        drawn.append(selector)
        width, height, path = paths[(style, name)]
        rules.append(
            f"{selector}{{--dc-icon:{_svg_url(width, height, path)};width:{width / height:.4g}em}}"
        )
    common = (
        ",".join(drawn) + '{content:"";display:inline-block;height:1em;'
        f"vertical-align:-0.125em;{MASK}}}"
    )
    # The icon elements keep the text's font: the webfonts are never needed.
    fonts = ",".join(sum(selectors.values(), ())) + "{font-family:inherit}"
    title = ">.admonition-title::after"
    admonition = [
        f'.admonition{title},div.admonition{title}{{content:""!important;font:inherit;{MASK}}}'
    ]
    for kind in sorted({"default"} | (set(admonitions) & set(ADMONITION_ICONS))):
        key = ("fas", ADMONITION_ICONS[kind])
        if key not in paths:
            continue
        where = "" if kind == "default" else f".{kind}"
        admonition.append(
            f".admonition{where}{title},div.admonition{where}{title}"
            f"{{--dc-icon:{_svg_url(*paths[key])}}}"
        )
    rules = [
        "/* Written by defence_course.sphinxext from the theme's Font Awesome Free icons "
        "(CC BY 4.0, fontawesome.com): only the icons the site shows. */",
        fonts,
        common,
        *rules,
        *admonition,
    ]
    return "\n".join(rules) + "\n"


# Font Awesome's rule for each of its ~1,900 icons in the theme's style sheet (86 KB a page):
# ".fa-bars:before{content:"\f0c9"}". ICON_STYLES draws the icons the site uses.
FA_ICON_RULE = re.compile(r'(?:\.fa-[a-z0-9-]+::?(?:before|after),?)+\{content:"[^"]*"\}')
THEME_STYLES = Path("_static") / "styles" / "pydata-sphinx-theme.css"


def without_icon_rules(css: str) -> str:
    """The theme's style sheet without Font Awesome's per-icon rules (the rest is kept)."""
    return FA_ICON_RULE.sub("", css)


# Font Awesome classes that size or place an icon rather than name one.
ICON_MODIFIERS = {
    "lg",
    "xs",
    "sm",
    "xl",
    "2xl",
    "fw",
    "spin",
    "pulse",
    "border",
    "inverse",
    "1x",
    "2x",
    "3x",
    "4x",
    "5x",
    "6x",
    "7x",
    "8x",
    "9x",
    "10x",
    "2xs",
    "pull-left",
    "pull-right",
    "stack",
    "stack-1x",
    "stack-2x",
    "rotate-90",
    "rotate-180",
    "rotate-270",
    "flip-horizontal",
    "flip-vertical",
    "flip-both",
}
