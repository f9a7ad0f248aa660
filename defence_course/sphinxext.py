"""Sphinx extension that keeps the website self-contained.

It copies the site's chart runtime (Vega alone, with the transforms the course's charts use
and a tooltip handler: ``tools/vega-runtime``, whose built bundle is committed) into
``_static/vega/`` and adds it (with the course's small chart loader) only to pages that
hold a chart; the charts' specs are compiled from Vega-Lite to Vega when the book is built
(:func:`defence_course.website_charts.website_vega`). It also tells notebook kernels started by the
build to use the website renderer of :mod:`defence_course.charts`.

Each page that has a reader's notebook (:mod:`defence_course.notebooks`) gets it behind its
download button, executed, with its charts as Vega-Lite and SVG; its Binder button opens
that notebook rather than the MyST source.

It keeps pages lean (measured by ``scripts/benchmark_pages.py``): each page loads the
self-check, code-copy, toggle and sphinx-design assets only when it uses them, sphinx-yaq's
maths library (math.js) only when a question is a "math" question; the theme's Font Awesome
script and webfonts are replaced by a small stylesheet of the icons the site shows, drawn as
inline SVG masks in the text colour; the search index loads on the search page only; and the
third-party style sheets keep only the rules the pages and scripts can use
(:mod:`defence_course.sphinx_css`).

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
from pathlib import Path
from typing import Any

from sphinx.util.docutils import SphinxDirective

from defence_course.charts import SITE_ENV, SPEC_CLASS, site_themes
from defence_course.notebooks import PAGES
from defence_course.sphinx_assets import (
    drop_duplicate_scripts,
    drop_thebe,
    drop_unused_assets,
    lean_head,
)
from defence_course.sphinx_handouts import PRINT_STYLES, add_handout_script, mark_handouts
from defence_course.sphinx_icons import (
    ADMONITION_CLASS,
    ICON_MODIFIERS,
    THEME_STYLES,
    icon_paths,
    icon_stylesheet,
    icons_used,
    without_icon_rules,
)

VEGA_BUNDLE = "vega/vega-runtime.js"
# The committed build of tools/vega-runtime (`npm ci && npm run build` there remakes it).
VEGA_RUNTIME = (
    Path(__file__).resolve().parent.parent / "tools" / "vega-runtime" / "dist" / "vega-runtime.js"
)
CHART_LOADER = "defence_course.js"
CHART_STYLES = "defence_course.css"
ICON_STYLES = "dc-icons.css"
TEMPLATES = Path(__file__).parent / "templates"


@functools.lru_cache(maxsize=1)
def chart_settings() -> str:
    """The inline script the chart loader reads: the chart theme's light and dark variants,
    the licence of the course's data (named in each chart's CSV download) and the link to a
    dataset's section on the data page, less the dataset's name."""
    from defence_course.data import read_package
    from defence_course.sphinx_datasets import dataset_link

    licence = (read_package().get("licenses") or [{}])[0]
    compact: dict[str, Any] = {"separators": (",", ":"), "ensure_ascii": False}
    return (
        "window.dcChartThemes = " + json.dumps(site_themes(), **compact) + ";\n"
        "window.dcChartLicence = "
        + json.dumps(
            {
                "title": licence.get("title", licence.get("name", "")),
                "path": licence.get("path", ""),
            },
            **compact,
        )
        + ";\n"
        "window.dcDatasetLink = " + json.dumps(dataset_link("")) + ";"
    ).replace("</", "<\\/")


def vega_bundle_source() -> str:
    """The site's chart runtime: Vega's parser and View with the transforms the course's charts
    use, and vega-tooltip, as ``window.dcVega`` (tools/vega-runtime/entry.js)."""
    if not VEGA_RUNTIME.is_file():
        raise RuntimeError(
            f"{VEGA_RUNTIME} is missing: run `npm ci && npm run build` in tools/vega-runtime"
        )
    return VEGA_RUNTIME.read_text(encoding="utf-8")


def write_vega_bundle(static_dir: Path) -> Path:
    """Write the bundle under ``static_dir`` (only when it changed) and return its path.

    Any other script in its folder (an earlier bundle, e.g. ``vega-embed-bundle.js`` from
    before the Vega-only runtime) is removed: Jupyter Book would add it to every page."""
    target = static_dir / VEGA_BUNDLE
    source = vega_bundle_source()
    if not target.exists() or target.read_text(encoding="utf-8") != source:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")
    for stale in target.parent.glob("*.js"):
        if stale != target:
            stale.unlink()
    return target


def _on_config_inited(app: Any, config: Any) -> None:
    write_vega_bundle(Path(app.srcdir) / "_static")
    # templates/layout.html trims the theme's <head> (see sphinx_assets.lean_head).
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.append(str(TEMPLATES))


# Docutils marks a citation list role="list" but its entries role="doc-biblioentry", which
# breaks the ARIA rule that a list contains list items; the plain container reads the same.
CITATION_LIST = re.compile(r'<div role="list" class="citation-list">')


def _on_page_context(app: Any, pagename: str, templatename: str, context: dict, doctree) -> None:
    if "body" in context:
        context["body"] = CITATION_LIST.sub('<div class="citation-list">', context["body"])
    drop_duplicate_scripts(context)
    drop_thebe(context)
    drop_unused_assets(app, context, doctree)
    context["dc_lean_head"] = lambda html: lean_head(html, context)
    # The chart scripts go on the pages that have charts, and only there: Jupyter Book lists
    # every script of _static/ for every page, so ours leave the list, and add_js_file during
    # html-page-context adds them to this page alone. With them, the chart theme's light and dark
    # variants (defence_course.charts), which the loader switches with the site's light/dark
    # toggle.
    # Everything under _static/vega/ is ours: a bundle an earlier build left there is listed by
    # Jupyter Book before write_vega_bundle removes it.
    vega_folder = f"_static/{Path(VEGA_BUNDLE).parent}/"

    def ours(script: Any) -> bool:
        name = str(getattr(script, "filename", None) or "")
        return name == f"_static/{CHART_LOADER}" or name.startswith(vega_folder)

    scripts = context.setdefault("script_files", [])
    scripts[:] = [s for s in scripts if not ours(s)]
    if SPEC_CLASS in (context.get("body") or ""):
        app.add_js_file(VEGA_BUNDLE)
        app.add_js_file(None, body=chart_settings())
        app.add_js_file(CHART_LOADER)


# pydata-sphinx-theme's sidebar: a page with pages under it gets a <details> whose <summary>
# holds only a decorative chevron, so screen readers announce a nameless control.
TOCTREE_TOGGLE = re.compile(
    r'(<a class="reference internal"[^>]*>(.*?)</a>)(<details[^>]*>)'
    r'<summary>(<span class="toctree-toggle")'
)


def _name_toctree_toggles(
    app: Any, pagename: str, templatename: str, context: dict, doctree
) -> None:
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


def _launch_reader_notebook(
    app: Any, pagename: str, templatename: str, context: dict, doctree
) -> None:
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
            raise RuntimeError(
                f"{executed}: the executed notebook of {docname} is missing, so "
                "its download cannot be written; build the website again"
            )
        notebook = page_notebook(docname, nbformat.read(executed, as_version=4))
        target = Path(app.outdir) / "_sources" / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(notebook_text(notebook), encoding="utf-8")


def _write_icon_styles(app: Any, exception: Exception | None) -> None:
    """Write ICON_STYLES for the icons the built pages and the theme's scripts show."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    fontawesome = out / "_static" / "scripts" / "fontawesome.js"
    if not fontawesome.exists():
        raise RuntimeError(
            f"{fontawesome} is missing: the theme no longer ships Font Awesome's "
            "script, from which the site's icons are drawn"
        )
    texts = [
        p.read_text(encoding="utf-8")
        for p in out.rglob("*.html")
        if "_static" not in p.relative_to(out).parts
    ]
    texts += [
        p.read_text(encoding="utf-8")
        for p in (out / "_static" / "scripts").glob("*.js")
        if p.name != "fontawesome.js"
    ]
    used = icons_used(texts)
    admonitions = {m.group(1) for text in texts for m in ADMONITION_CLASS.finditer(text)}
    paths = icon_paths(fontawesome.read_text(encoding="utf-8"))
    missing = sorted(f"{s} {n}" for s, n in used if (s, n) not in paths and n not in ICON_MODIFIERS)
    if missing:
        raise RuntimeError(f"icons not found in the theme's Font Awesome: {missing}")
    (out / "_static" / ICON_STYLES).write_text(
        icon_stylesheet(used, paths, admonitions), encoding="utf-8"
    )
    theme_styles = out / THEME_STYLES
    if theme_styles.exists():
        css = theme_styles.read_text(encoding="utf-8")
        trimmed = without_icon_rules(css)
        if trimmed != css:
            theme_styles.write_text(trimmed, encoding="utf-8")


def _lean_assets(app: Any, exception: Exception | None) -> None:
    """Once the pages and the icon styles are written: the site's third-party style sheets keep
    only the rules its pages and scripts can use (:mod:`defence_course.sphinx_css`), then its
    scripts and the course's own style sheets are minified, and the source maps that no longer
    map anything leave (:mod:`defence_course.sphinx_minify`)."""
    if exception is not None or app.builder.format != "html":
        return
    from sphinx.util import logging

    from defence_course.sphinx_css import purge_site
    from defence_course.sphinx_minify import minify_site, remove_stale_source_maps

    log = logging.getLogger(__name__)
    for label, done in (
        ("lean style sheets (unused rules out; originals in _build/unpurged-css)", purge_site),
        ("lean scripts and own style sheets (minified)", minify_site),
        ("stale source maps (removed)", remove_stale_source_maps),
    ):
        files = done(Path(app.outdir))
        before, after = sum(f.before for f in files), sum(f.after for f in files)
        log.info(f"{label}: {len(files)} files {before / 1000:.0f} -> {after / 1000:.0f} KB")


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
    app.connect("html-page-context", add_handout_script, priority=600)
    app.connect("doctree-resolved", mark_handouts)
    app.connect("build-finished", _write_downloadable_notebooks)
    app.connect("build-finished", _write_icon_styles)
    # Last: it reads the pages and scripts as written, and the theme's icon-trimmed style sheet.
    app.connect("build-finished", _lean_assets, priority=900)
    app.add_css_file(CHART_STYLES)
    app.add_css_file(ICON_STYLES)
    app.add_css_file(PRINT_STYLES)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
