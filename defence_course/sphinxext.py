"""Sphinx extension that keeps the website self-contained.

It writes the Vega / Vega-Lite / Vega-Embed bundle shipped by ``vl-convert-python`` into
``_static/vega/`` and adds it (with the course's small chart loader) only to pages that
hold a chart. It also tells notebook kernels started by the build to use the website
renderer of :mod:`defence_course.charts`.

Each page that has a reader's notebook (:mod:`defence_course.notebooks`) gets it behind its
download button, executed, with its charts as Vega-Lite and SVG; its Binder button opens
that notebook rather than the MyST source.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from sphinx.builders.html._assets import _JavaScript

from defence_course.charts import SITE_ENV
from defence_course.notebooks import PAGES

VEGA_BUNDLE = "vega/vega-embed-bundle.js"
CHART_LOADER = "defence_course.js"
CHART_STYLES = "defence_course.css"


def vega_bundle_source() -> str:
    """Vega, Vega-Lite and Vega-Embed in one script, for the Vega-Lite version Altair emits."""
    import vl_convert
    from altair.utils.html import vl_version_for_vl_convert

    bundle = vl_convert.javascript_bundle(vl_version=vl_version_for_vl_convert())
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


# Docutils marks a citation list role="list" but its entries role="doc-biblioentry", which
# breaks the ARIA rule that a list contains list items; the plain container reads the same.
CITATION_LIST = re.compile(r'<div role="list" class="citation-list">')


def _on_page_context(app: Any, pagename: str, templatename: str, context: dict, doctree) -> None:
    if "body" in context:
        context["body"] = CITATION_LIST.sub('<div class="citation-list">', context["body"])
    _drop_duplicate_scripts(context)
    _drop_thebe(context)
    # The chart scripts go on the pages that have charts, and only there (added to this page's
    # own list: the builder's and the app's lists would carry them over to other pages).
    ours = {f"_static/{VEGA_BUNDLE}", f"_static/{CHART_LOADER}"}
    scripts = [s for s in context.get("script_files", [])
               if getattr(s, "filename", None) not in ours]
    if "dc-chart-spec" in (context.get("body") or ""):
        scripts += [_JavaScript(f"_static/{name}") for name in (VEGA_BUNDLE, CHART_LOADER)]
    context["script_files"] = scripts


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


def setup(app: Any) -> dict[str, Any]:
    os.environ[SITE_ENV] = "1"
    app.connect("config-inited", _on_config_inited)
    app.connect("html-page-context", _on_page_context)
    # After sphinx-book-theme has made its launch buttons (priority 501).
    app.connect("html-page-context", _launch_reader_notebook, priority=600)
    app.connect("build-finished", _write_downloadable_notebooks)
    app.add_css_file(CHART_STYLES)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
