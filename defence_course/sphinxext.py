"""Sphinx extension that keeps the website self-contained.

It writes the Vega / Vega-Lite / Vega-Embed bundle shipped by ``vl-convert-python`` into
``_static/vega/`` and adds it (with the course's small chart loader) only to pages that
hold a chart. It also tells notebook kernels started by the build to use the website
renderer of :mod:`defence_course.charts`.

Each page that has a reader's notebook (:mod:`defence_course.notebooks`) gets it behind its
download button, executed, with its charts as Vega-Lite and SVG; its Binder button opens
that notebook rather than the MyST source.

It keeps pages lean (measured by ``scripts/benchmark_pages.py``): each page loads the
self-check, code-copy, toggle and sphinx-design assets only when it uses them, sphinx-yaq's
maths library (math.js) only when a question is a "math" question; the theme's Font Awesome
script and webfonts are replaced by a small stylesheet of the icons the site shows, drawn as
inline SVG masks in the text colour; and the search index loads on the search page only.

It prepares the chapters for printing (:mod:`defence_course.handouts`): each chapter page
gets a tiny inline script that turns ``?handout=summary`` or ``?handout=worksheet`` into classes
on ``<html>``, its parts are marked by what each handout prints (objectives, evidence, ideas,
self-check, discussion), and each self-check question gets its choices as plain text for paper;
the print stylesheet ``_static/dc-print.css`` does the rest.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import urllib.parse
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from sphinx.builders.html._assets import _JavaScript
from sphinx.util.docutils import SphinxDirective

from defence_course.charts import SITE_ENV, site_themes
from defence_course.notebooks import PAGES

VEGA_BUNDLE = "vega/vega-embed-bundle.js"
CHART_LOADER = "defence_course.js"
CHART_STYLES = "defence_course.css"
ICON_STYLES = "dc-icons.css"
TEMPLATES = Path(__file__).parent / "templates"


@functools.lru_cache(maxsize=1)
def chart_settings() -> str:
    """The inline script the chart loader reads: the chart theme's light and dark variants,
    and the licence of the course's data (named in each chart's CSV download)."""
    from defence_course.data import read_package

    licence = (read_package().get("licenses") or [{}])[0]
    compact: dict[str, Any] = {"separators": (",", ":"), "ensure_ascii": False}
    return ("window.dcChartThemes = " + json.dumps(site_themes(), **compact) + ";\n"
            "window.dcChartLicence = " + json.dumps(
                {"title": licence.get("title", licence.get("name", "")),
                 "path": licence.get("path", "")}, **compact) + ";").replace("</", "<\\/")


def vega_bundle_source() -> str:
    """Vega, Vega-Lite and Vega-Embed in one script, for the Vega-Lite version Altair emits."""
    import vl_convert
    from altair.utils.html import vl_version_for_vl_convert

    # vl-convert's stub makes `snippet` required; it defaults to None (the default snippet).
    bundle = vl_convert.javascript_bundle(  # type: ignore[call-arg]
        vl_version=vl_version_for_vl_convert())
    # The bundle declares top-level consts; a function scope keeps them off the global scope.
    return "(function () {\n" + bundle + "\n})();\n"


def write_vega_bundle(static_dir: Path) -> Path:
    """Write the bundle under ``static_dir`` (only when it changed) and return its path."""
    target = static_dir / VEGA_BUNDLE
    source = vega_bundle_source()
    if not target.exists() or target.read_text(encoding="utf-8") != source:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")
    return target


def _on_config_inited(app: Any, config: Any) -> None:
    write_vega_bundle(Path(app.srcdir) / "_static")
    # templates/layout.html trims the theme's <head> (see _lean_head).
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.append(str(TEMPLATES))


# Docutils marks a citation list role="list" but its entries role="doc-biblioentry", which
# breaks the ARIA rule that a list contains list items; the plain container reads the same.
CITATION_LIST = re.compile(r'<div role="list" class="citation-list">')


def _on_page_context(app: Any, pagename: str, templatename: str, context: dict, doctree) -> None:
    if "body" in context:
        context["body"] = CITATION_LIST.sub('<div class="citation-list">', context["body"])
    _drop_duplicate_scripts(context)
    _drop_thebe(context)
    _drop_unused_assets(context, doctree)
    context["dc_lean_head"] = lambda html: _lean_head(html, context)
    # The chart scripts go on the pages that have charts, and only there (added to this page's
    # own list: the builder's and the app's lists would carry them over to other pages).
    # With them, the chart theme's light and dark variants (defence_course.charts), which the
    # loader switches with the site's light/dark toggle.
    ours = {f"_static/{VEGA_BUNDLE}", f"_static/{CHART_LOADER}"}
    scripts = [s for s in context.get("script_files", [])
               if getattr(s, "filename", None) not in ours]
    if "dc-chart-spec" in (context.get("body") or ""):
        scripts += [_JavaScript(f"_static/{VEGA_BUNDLE}"),
                    # Sphinx's own inline scripts have no file name; its stub wants one.
                    _JavaScript(None, body=chart_settings()),  # type: ignore[arg-type]
                    _JavaScript(f"_static/{CHART_LOADER}")]
    context["script_files"] = scripts


# pydata-sphinx-theme's sidebar: a page with pages under it gets a <details> whose <summary>
# holds only a decorative chevron, so screen readers announce a nameless control.
TOCTREE_TOGGLE = re.compile(r'(<a class="reference internal"[^>]*>(.*?)</a>)(<details[^>]*>)'
                            r'<summary>(<span class="toctree-toggle")')


def _name_toctree_toggles(app: Any, pagename: str, templatename: str, context: dict,
                          doctree) -> None:
    """Name each sidebar toggle after its page ("Pages under …")."""
    original = context.get("generate_toctree_html")
    if not callable(original) or getattr(original, "names_toggles", False):
        return

    def label(match: re.Match) -> str:
        title = html.unescape(re.sub(r"<[^>]+>", "", match.group(2))).strip()
        name = html.escape(f"Pages under {title}", quote=True)
        return f'{match.group(1)}{match.group(3)}<summary aria-label="{name}">{match.group(4)}'

    def named(*args: Any, **kwargs: Any) -> str:
        from markupsafe import Markup

        return Markup(TOCTREE_TOGGLE.sub(label, str(original(*args, **kwargs))))

    named.__dict__["names_toggles"] = True  # the mark that this wrapper is in place
    context["generate_toctree_html"] = named


def _launch_reader_notebook(app: Any, pagename: str, templatename: str, context: dict,
                            doctree) -> None:
    """Point the page's Binder button at its reader's notebook in notebooks/."""
    if pagename not in PAGES:
        return
    source = f"/{pagename}.md"
    target = f"/notebooks/{PAGES[pagename]}.ipynb"
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []) if isinstance(group, dict) else []:
            url = button.get("url", "")
            if "urlpath=" in url and url.endswith(source):
                button["url"] = url[: -len(source)] + target


def _write_downloadable_notebooks(app: Any, exception: Exception | None) -> None:
    """Put each page's executed reader's notebook behind its download button."""
    if exception is not None or app.builder.format != "html":
        return
    import nbformat

    from defence_course.notebooks import notebook_text, page_notebook

    executed_dir = Path(app.outdir).parent / "jupyter_execute"
    for docname in PAGES:
        if docname not in app.env.found_docs:
            continue
        executed = executed_dir / f"{docname}.ipynb"
        if not executed.exists():
            raise RuntimeError(f"{executed}: the executed notebook of {docname} is missing, so "
                               "its download cannot be written; build the website again")
        notebook = page_notebook(docname, nbformat.read(executed, as_version=4))
        target = Path(app.outdir) / "_sources" / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(notebook_text(notebook), encoding="utf-8")


def _drop_thebe(context: dict) -> None:
    # Jupyter Book always loads sphinx-thebe; the course offers no Live Code (_config.yml), so
    # its script, its styles and its inline settings (a CDN address) stay off the pages.
    def is_thebe(asset: Any) -> bool:
        name = getattr(asset, "filename", None) or ""
        body = (getattr(asset, "attributes", None) or {}).get("body", "")
        return "sphinx-thebe" in name or "THEBE_JS_URL" in body

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not is_thebe(asset)]


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

    return any("math" in (getattr(node["model"], "flags", None) or ())
               for node in doctree.findall(QuizQuestion))


def _drop_unused_assets(context: dict, doctree: Any) -> None:
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

    for key in ("script_files", "css_files"):
        if key not in context:
            continue
        kept, seen = [], set()
        for asset in context[key]:
            name = getattr(asset, "filename", None) or ""
            if name.endswith(YAQ_MATHS) and not maths and PAGE_FEATURES["sphinx_yaq/"].search(body):
                # An inline script (no file name, as Sphinx's own; its stub wants one).
                kept.append(_JavaScript(None, body=MATHS_STAND_IN))  # type: ignore[arg-type]
            if not needed(asset) or (key == "css_files" and name in seen):
                continue  # a style sheet added twice (ours, by Jupyter Book and by setup) once
            seen.add(name)
            kept.append(asset)
        context[key] = kept


FONTAWESOME_SCRIPT = re.compile(r'\s*<script[^>]*src="[^"]*_static/scripts/fontawesome\.js[^"]*"'
                                r"[^>]*>\s*</script>")
SEARCH_SCRIPTS = re.compile(r'\s*<script src="[^"]*(?:_static/searchtools\.js|'
                            r'_static/language_data\.js|searchindex\.js)"></script>')


def _lean_head(html: str, context: dict) -> str:
    """The theme's <head> blocks without Font Awesome's script and, but on the search page,
    without the search index.

    The theme loads Font Awesome's 1.4 MiB script to turn its icon elements into SVG; the
    icons are drawn by ICON_STYLES instead. It loads the search index and its tools on every
    page for search-as-you-type, which is off: the search box opens search.html, which loads
    them itself.
    """
    from markupsafe import Markup

    html = FONTAWESOME_SCRIPT.sub("", str(html))
    if not _truthy(context.get("theme_search_as_you_type")) and context.get("pagename") != "search":
        html = SEARCH_SCRIPTS.sub("", html)
    return Markup(html)


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in {"true", "1", "yes", "on"}


# Font Awesome icon classes the theme writes: a style (solid, regular, brands) and a name.
ICON_CLASS = re.compile(r"\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)\b")
ICON_STYLE = {"fa-solid": "fas", "fas": "fas", "fa-regular": "far", "far": "far",
              "fa-brands": "fab", "fab": "fab"}
# Where the theme's icon classes are written: class attributes of the pages, strings of its
# scripts (e.g. the search dialog's close button).
ICON_SOURCES = re.compile(r'class="([^"]*\bfa[bsr]?\b[^"]*|[^"]*\bfa-(?:solid|regular|brands)'
                          r'\b[^"]*)"|"((?:fa-(?:solid|regular|brands)|fa[bsr]) fa-[a-z0-9 -]+)"')


def icons_used(texts: list[str]) -> set[tuple[str, str]]:
    """(style, name) of every Font Awesome icon written in ``texts`` (pages and scripts)."""
    used = set()
    for text in texts:
        for match in ICON_SOURCES.finditer(text):
            classes = (match.group(1) or match.group(2)).split()
            style = next((ICON_STYLE[c] for c in classes if c in ICON_STYLE), "fas")
            used |= {(style, m.group(1)) for c in classes if c not in ICON_STYLE
                     for m in [ICON_CLASS.fullmatch(c)] if m}
    return used


FA_PACK_END = re.compile(r'd\("(fa[bsr])",p\)')


def icon_paths(fontawesome_js: str) -> dict[tuple[str, str], tuple[int, int, str]]:
    """(style, name) -> (width, height, SVG path) of every icon in Font Awesome's script."""
    icons = {}
    start = 0
    for end in FA_PACK_END.finditer(fontawesome_js):
        pack = fontawesome_js[start:end.start()]
        for match in re.finditer(r'"?([a-z0-9-]+)"?:\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]*",'
                                 r'("[^"]*"|\[[^\]]*\])\]', pack):
            path = match.group(4)
            # A duotone icon has two paths; these styles have one.
            path = path.strip('"') if path.startswith('"') else path.split('"')[1]
            icons[(end.group(1), match.group(1))] = (int(match.group(2)), int(match.group(3)),
                                                     path)
        start = end.end()
    return icons


# The theme draws an admonition's title icon with Font Awesome's font (content: a codepoint):
# its type, the theme's icon for it (pydata-sphinx-theme's --pst-icon-admonition-*).
ADMONITION_ICONS = {"default": "bell", "note": "circle-info", "attention": "circle-exclamation",
                    "important": "circle-exclamation", "caution": "triangle-exclamation",
                    "warning": "triangle-exclamation", "danger": "triangle-exclamation",
                    "error": "circle-xmark", "hint": "lightbulb", "tip": "lightbulb",
                    "seealso": "share", "todo": "pencil"}
ADMONITION_CLASS = re.compile(r'class="admonition ([a-z]+)')


def _svg_url(width: int, height: int, path: str) -> str:
    svg = (f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'>"
           f"<path d='{path}'/></svg>")
    return "url(\"data:image/svg+xml," + urllib.parse.quote(svg, safe=" /:=',.-") + "\")"


MASK = ("background-color:currentColor;-webkit-mask:var(--dc-icon) center/contain no-repeat;"
        "mask:var(--dc-icon) center/contain no-repeat")


def icon_stylesheet(used: set[tuple[str, str]], paths: dict,
                    admonitions: AbstractSet[str] = frozenset()) -> str:
    """CSS that draws each used icon as an SVG mask in the text colour (no webfont, no JS).

    ``used``: (style, name) of the icon classes on the pages; ``admonitions``: the admonition
    types on the pages (their title icons).
    """
    selectors = {"fas": (".fa-solid", ".fas"), "far": (".fa-regular", ".far"),
                 "fab": (".fa-brands", ".fab")}
    rules, drawn = [], []
    for style, name in sorted(used):
        if (style, name) not in paths:  # a modifier class (fa-lg, fa-fw)
            continue
        selector = ",".join(f"{s}.fa-{name}::before" for s in selectors[style])
        drawn.append(selector)
        width, height, path = paths[(style, name)]
        rules.append(f"{selector}{{--dc-icon:{_svg_url(width, height, path)};"
                     f"width:{width / height:.4g}em}}")
    common = (",".join(drawn) + "{content:\"\";display:inline-block;height:1em;"
              f"vertical-align:-0.125em;{MASK}}}")
    # The icon elements keep the text's font: the webfonts are never needed.
    fonts = ",".join(sum(selectors.values(), ())) + "{font-family:inherit}"
    title = ">.admonition-title::after"
    admonition = [f".admonition{title},div.admonition{title}{{content:\"\"!important;"
                  f"font:inherit;{MASK}}}"]
    for kind in sorted({"default"} | (set(admonitions) & set(ADMONITION_ICONS))):
        key = ("fas", ADMONITION_ICONS[kind])
        if key not in paths:
            continue
        where = "" if kind == "default" else f".{kind}"
        admonition.append(f".admonition{where}{title},div.admonition{where}{title}"
                          f"{{--dc-icon:{_svg_url(*paths[key])}}}")
    rules = ["/* Written by defence_course.sphinxext from the theme's Font Awesome Free icons "
             "(CC BY 4.0, fontawesome.com): only the icons the site shows. */",
             fonts, common, *rules, *admonition]
    return "\n".join(rules) + "\n"


def _write_icon_styles(app: Any, exception: Exception | None) -> None:
    """Write ICON_STYLES for the icons the built pages and the theme's scripts show."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    fontawesome = out / "_static" / "scripts" / "fontawesome.js"
    if not fontawesome.exists():
        raise RuntimeError(f"{fontawesome} is missing: the theme no longer ships Font Awesome's "
                           "script, from which the site's icons are drawn")
    texts = [p.read_text(encoding="utf-8") for p in out.rglob("*.html")
             if "_static" not in p.relative_to(out).parts]
    texts += [p.read_text(encoding="utf-8") for p in (out / "_static" / "scripts").glob("*.js")
              if p.name != "fontawesome.js"]
    used = icons_used(texts)
    admonitions = {m.group(1) for text in texts for m in ADMONITION_CLASS.finditer(text)}
    paths = icon_paths(fontawesome.read_text(encoding="utf-8"))
    missing = sorted(f"{s} {n}" for s, n in used if (s, n) not in paths and n not in ICON_MODIFIERS)
    if missing:
        raise RuntimeError(f"icons not found in the theme's Font Awesome: {missing}")
    (out / "_static" / ICON_STYLES).write_text(icon_stylesheet(used, paths, admonitions),
                                               encoding="utf-8")
    theme_styles = out / THEME_STYLES
    if theme_styles.exists():
        css = theme_styles.read_text(encoding="utf-8")
        trimmed = without_icon_rules(css)
        if trimmed != css:
            theme_styles.write_text(trimmed, encoding="utf-8")


# Font Awesome's rule for each of its ~1,900 icons in the theme's style sheet (86 KB a page):
# ".fa-bars:before{content:"\f0c9"}". ICON_STYLES draws the icons the site uses.
FA_ICON_RULE = re.compile(r'(?:\.fa-[a-z0-9-]+::?(?:before|after),?)+\{content:"[^"]*"\}')
THEME_STYLES = Path("_static") / "styles" / "pydata-sphinx-theme.css"


def without_icon_rules(css: str) -> str:
    """The theme's style sheet without Font Awesome's per-icon rules (the rest is kept)."""
    return FA_ICON_RULE.sub("", css)


# Font Awesome classes that size or place an icon rather than name one.
ICON_MODIFIERS = {"lg", "xs", "sm", "xl", "2xl", "fw", "spin", "pulse", "border", "inverse",
                  "1x", "2x", "3x", "4x", "5x", "6x", "7x", "8x", "9x", "10x", "2xs",
                  "pull-left", "pull-right", "stack", "stack-1x", "stack-2x", "rotate-90",
                  "rotate-180", "rotate-270", "flip-horizontal", "flip-vertical", "flip-both"}


# --- Printable handouts (defence_course.handouts) ------------------------------------------

PRINT_STYLES = "dc-print.css"
OBJECTIVES_TITLE = "Learning objectives"
# A chapter's sections by the start of their heading: the handout part each is (None: in no
# handout). Any other section is evidence: the summary keeps its heading, charts and claim
# checks.
HANDOUT_SECTIONS = (("Ideas", "dc-handout-ideas"),
                    ("Check your understanding", "dc-handout-selfcheck"),
                    ("Discussion questions", "dc-handout-discussion"),
                    ("Explorer", None), ("Perspectives", None), ("Assignment", None),
                    ("Key terms", None), ("Further reading", None))
HANDOUT_PARTS = ("dc-handout-objectives", "dc-handout-ideas", "dc-handout-selfcheck",
                 "dc-handout-discussion")


def handout_script() -> str:
    """The inline script of a chapter page: ``?handout=<kind>`` -> classes on ``<html>``."""
    from defence_course.handouts import KINDS

    return ("(function () { var m = /[?&]handout=(" + "|".join(KINDS) + ")(?:&|$)/"
            ".exec(window.location.search); if (m) { document.documentElement.classList"
            '.add("dc-handout", "dc-handout-" + m[1]); } })();')


def handout_part(title: str) -> str | None:
    """The class that marks a chapter section with this heading for the handouts."""
    for start, part in HANDOUT_SECTIONS:
        if title.strip().startswith(start):
            return part
    return "dc-handout-evidence"


def printable_choices(model: Any) -> str:
    """A self-check question's choices as HTML for paper (boxes to tick, a line to fill in),
    never its answer. Hidden on screen; shown by the print stylesheet."""
    kind = model.as_dict().get("type")
    choices = {"SC": list(getattr(model, "choices", ())), "TF": ["True", "False"]}.get(kind)
    if not choices:
        return '<span class="dc-print-choices"><span class="dc-print-blank"></span></span>'
    long = " dc-print-choices-long" if any(len(choice) > 28 for choice in choices) else ""
    items = "".join(f'<span class="dc-print-choice">{html.escape(choice)}</span>'
                    for choice in choices)
    return f'<span class="dc-print-choices{long}">{items}</span>'


def mark_handout_parts(doctree: Any) -> set[str]:
    """Mark the parts of a chapter's doctree that its handouts print; return those found."""
    from docutils import nodes
    from sphinx_yaq.quiz import QuizQuestion

    def mark(node: Any, part: str) -> None:
        if part not in node["classes"]:
            node["classes"].append(part)
        found.add(part)

    # A doctree may be resolved more than once (the marks are then already there).
    found: set[str] = set()
    for admonition in doctree.findall(nodes.admonition):
        if (admonition.children and isinstance(admonition[0], nodes.title)
                and admonition[0].astext().strip() == OBJECTIVES_TITLE):
            mark(admonition, "dc-handout-objectives")
    page = next(iter(doctree.findall(nodes.section)), None)
    for section in (page.children if page is not None else []):
        if isinstance(section, nodes.section) and isinstance(section[0], nodes.title):
            part = handout_part(section[0].astext())
            if part:
                mark(section, part)
    for question in list(doctree.findall(QuizQuestion)):
        after = question.parent.index(question) + 1
        following = question.parent[after] if after < len(question.parent) else None
        if isinstance(following, nodes.raw) and "dc-print-choices" in following.astext():
            continue
        choices = nodes.raw("", printable_choices(question["model"]), format="html")
        question.parent.insert(after, choices)
    return found


def _mark_handouts(app: Any, doctree: Any, docname: str) -> None:
    from sphinx.util import logging

    from defence_course.handouts import CHAPTERS

    if docname not in CHAPTERS or app.builder.format != "html":
        return
    missing = [part for part in HANDOUT_PARTS if part not in mark_handout_parts(doctree)]
    if missing:
        logging.getLogger(__name__).warning(
            "%s has no %s for its handouts (see defence_course.sphinxext.HANDOUT_SECTIONS)",
            docname, ", ".join(missing), location=docname)


def _handout_script(app: Any, pagename: str, templatename: str, context: dict,
                    doctree) -> None:
    from defence_course.handouts import CHAPTERS

    if pagename in CHAPTERS:
        context["script_files"] = [*context.get("script_files", []),
                                   # an inline script: see _on_page_context
                                   _JavaScript(None,  # type: ignore[arg-type]
                                               body=handout_script())]


def _drop_duplicate_scripts(context: dict) -> None:
    # Scripts added while reading (sphinx-thebe, sphinx-togglebutton) reach the page twice on
    # Sphinx 7, once named None and once "", and the second `const THEBE_JS_URL` throws
    # "Identifier has already been declared".
    seen: set[tuple[str, str]] = set()
    unique = []
    for script in context.get("script_files", []):
        name = getattr(script, "filename", None) or ""
        key = (name, repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


class AssessmentMapDirective(SphinxDirective):
    """``{assessment-map}``: the table of objectives and the questions that assess them."""

    has_content = False

    def run(self) -> list[Any]:
        from defence_course import assessment

        for path in assessment.source_files():
            self.env.note_dependency(str(path))
        amap = assessment.build_map()
        broken = assessment.problems(amap)
        if broken:
            # A map with gaps would tell teachers something false: fail the (strict) build.
            raise self.error("the assessment map is incomplete:\n" + "\n".join(broken))
        return self.parse_text_to_nodes(assessment.map_markdown(amap))


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("assessment-map", AssessmentMapDirective)
    os.environ[SITE_ENV] = "1"
    app.connect("config-inited", _on_config_inited)
    app.connect("html-page-context", _on_page_context)
    # After sphinx-book-theme has made its launch buttons (priority 501).
    app.connect("html-page-context", _launch_reader_notebook, priority=600)
    # After pydata-sphinx-theme has added its sidebar function (priority 500).
    app.connect("html-page-context", _name_toctree_toggles, priority=600)
    # After _on_page_context has chosen the page's scripts.
    app.connect("html-page-context", _handout_script, priority=600)
    app.connect("doctree-resolved", _mark_handouts)
    app.connect("build-finished", _write_downloadable_notebooks)
    app.connect("build-finished", _write_icon_styles)
    app.add_css_file(CHART_STYLES)
    app.add_css_file(ICON_STYLES)
    app.add_css_file(PRINT_STYLES)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
