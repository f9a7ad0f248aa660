"""Lean pages: each page loads only the assets it uses.

Jupyter Book loads every extension's scripts and style sheets on every page, and the theme loads
Font Awesome's script and the search index everywhere; :mod:`defence_course.sphinxext` prunes
them page by page (measured by ``scripts/benchmark_pages.py``).

The page's lists are pruned in place: Sphinx's ``add_js_file``, called during
``html-page-context``, adds to these same lists, which is how a script reaches one page only.
"""

from __future__ import annotations

import re
from typing import Any


def drop_thebe(context: dict) -> None:
    # Jupyter Book always loads sphinx-thebe; the course offers no Live Code (_config.yml), so
    # its script, its styles and its inline settings (a CDN address) stay off the pages.
    def is_thebe(asset: Any) -> bool:
        name = getattr(asset, "filename", None) or ""
        body = (getattr(asset, "attributes", None) or {}).get("body", "")
        return "sphinx-thebe" in name or "THEBE_JS_URL" in body

    for key in ("script_files", "css_files"):
        if key in context:
            context[key][:] = [asset for asset in context[key] if not is_thebe(asset)]


# Assets that a page needs only when its body holds one of these marks: sphinx-yaq's self-checks,
# sphinx-copybutton's buttons on code blocks, sphinx-togglebutton's toggles and sphinx-design's
# components (Jupyter Book loads them all on every page).
PAGE_FEATURES = {
    "sphinx_yaq/": re.compile(r'class="yaq[" ]'),
    "clipboard.min.js": re.compile(r'<div class="highlight'),
    "copybutton": re.compile(r'<div class="highlight'),
    "togglebutton": re.compile(r'class="[^"]*\b(toggle|dropdown)\b'),
    "sphinx-design": re.compile(r'class="[^"]*\bsd-'),
    "design-tabs.js": re.compile(r'class="[^"]*\bsd-'),
}
TOGGLE_SETTINGS = re.compile(r"\blet toggle\w+ = |\bvar togglebuttonSelector\b")
YAQ_MATHS = "sphinx_yaq/math.js"
# sphinx-yaq's yaq.js reads the global `math` on every page with a quiz (it builds each answer
# check with math.compile and trims math.Unit.UNITS on load), though only "math" questions use
# it. Pages without one get this stand-in instead of the 675 KiB library.
MATHS_STAND_IN = (
    "window.math = window.math || {compile: function () {"
    " throw new Error('no maths question on this page'); }, Unit: {UNITS: {}}};"
)


def page_uses_maths(doctree: Any) -> bool:
    """True when a self-check question of the page is a sphinx-yaq "math" question."""
    if doctree is None:
        return False
    from sphinx_yaq.quiz import QuizQuestion

    return any(
        "math" in (getattr(node["model"], "flags", None) or ())
        for node in doctree.findall(QuizQuestion)
    )


def drop_unused_assets(app: Any, context: dict, doctree: Any) -> None:
    body = context.get("body") or ""
    maths = page_uses_maths(doctree)

    def needed(asset: Any) -> bool:
        name = getattr(asset, "filename", None) or ""
        inline = (getattr(asset, "attributes", None) or {}).get("body", "")
        if name.endswith(YAQ_MATHS) and not maths:
            return False
        if inline and TOGGLE_SETTINGS.search(inline):
            return bool(PAGE_FEATURES["togglebutton"].search(body))
        return all(pattern.search(body) for key, pattern in PAGE_FEATURES.items() if key in name)

    stand_in_priority = None
    for key in ("script_files", "css_files"):
        if key not in context:
            continue
        kept, seen = [], set()
        for asset in context[key]:
            name = getattr(asset, "filename", None) or ""
            if name.endswith(YAQ_MATHS) and not maths and PAGE_FEATURES["sphinx_yaq/"].search(body):
                stand_in_priority = getattr(asset, "priority", 500) - 1
            if not needed(asset) or (key == "css_files" and name in seen):
                continue  # a style sheet added twice (ours, by Jupyter Book and by setup) once
            seen.add(name)
            kept.append(asset)
        context[key][:] = kept
    if stand_in_priority is not None:
        # Sorted before the library it stands in for, so before yaq.js, which reads it.
        app.add_js_file(None, body=MATHS_STAND_IN, priority=stand_in_priority)


FONTAWESOME_SCRIPT = re.compile(
    r'\s*<script[^>]*src="[^"]*_static/scripts/fontawesome\.js[^"]*"'
    r"[^>]*>\s*</script>"
)
SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="[^"]*(?:_static/searchtools\.js|'
    r'_static/language_data\.js|searchindex\.js)"></script>'
)


def lean_head(html: str, context: dict) -> str:
    """The theme's <head> blocks without Font Awesome's script and, but on the search page,
    without the search index.

    The theme loads Font Awesome's 1.4 MiB script to turn its icon elements into SVG; the
    icons are drawn by a small style sheet instead (sphinx_icons). It loads the search index
    and its tools on every page for search-as-you-type, which is off: the search box opens
    search.html, which loads them itself.
    """
    from markupsafe import Markup

    html = FONTAWESOME_SCRIPT.sub("", str(html))
    if not _truthy(context.get("theme_search_as_you_type")) and context.get("pagename") != "search":
        html = SEARCH_SCRIPTS.sub("", html)
    return Markup(html)


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in {"true", "1", "yes", "on"}


def drop_duplicate_scripts(context: dict) -> None:
    # Scripts added while reading (sphinx-thebe, sphinx-togglebutton) reach the page twice on
    # Sphinx 7, once named None and once "", and the second `const THEBE_JS_URL` throws
    # "Identifier has already been declared".
    scripts = context.setdefault("script_files", [])
    seen: set[tuple[str, str]] = set()
    unique = []
    for script in scripts:
        name = getattr(script, "filename", None) or ""
        key = (name, repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique
