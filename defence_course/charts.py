"""The course's one Altair theme, its chart footer and the kernel's renderer.

Every chart in the course goes through :func:`annotate`, which records the chart's
primary source and a text description for screen readers. When the website is built
(:mod:`defence_course.sphinxext` sets ``DEFENCE_COURSE_SITE``), :func:`setup_notebook` enables
the website's renderer (:mod:`defence_course.website_charts`): a ``<figure>`` whose spec,
compiled to Vega at build time, the site's own small Vega runtime draws. In a live kernel
(JupyterLab, Notebook, Binder) charts are Altair ``JupyterChart`` widgets whose JavaScript
comes from ``vl-convert-python`` instead of a CDN, captioned with the same source line.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from typing import Any, TypeVar, cast

import altair as alt

SITE_ENV = "DEFENCE_COURSE_SITE"
THEME_NAME = "defence_course"
RENDERER_NAME = "defence_course_site"
NOTEBOOK_RENDERER_NAME = "defence_course_notebook"
USERMETA_KEY = "defence_course"
# Class names of a chart's HTML: those site_renderer writes, and those the page script adds
# (its toolbar, the list of an explorer's inputs, the source line of an SVG download). The
# script's CLASSES table repeats them (_static/defence_course.js; a test checks they agree);
# the tests find a chart's parts by these names.
FIGURE_CLASS = "dc-chart"
VIEW_CLASS = "dc-chart-view"
SPEC_CLASS = "dc-chart-spec"
ERROR_CLASS = "dc-chart-error"
CHART_CLASSES = {
    "figure": FIGURE_CLASS,
    "view": VIEW_CLASS,
    "spec": SPEC_CLASS,
    "error": ERROR_CLASS,
    "source": "dc-chart-source",
    "description": "dc-chart-description",
    "data": "dc-chart-data",
    "toolbar": "dc-chart-toolbar",
    "toolbarLabel": "dc-chart-toolbar-label",
    "download": "dc-chart-download",
    "dataset": "dc-chart-dataset",
    "share": "dc-chart-share",
    "copyLink": "dc-chart-copy-link",
    "link": "dc-chart-link",
    "status": "dc-chart-status",
    "list": "dc-chart-list",
    "listItems": "dc-chart-list-items",
    "sourceLine": "dc-source-line",
}
# A page's charts are settled when each of its n specs is drawn or reported broken.
CHARTS_SETTLED_JS = (
    f"n => document.querySelectorAll('.{VIEW_CLASS}[data-rendered=true]')"
    f".length + document.querySelectorAll('.{ERROR_CLASS}').length >= n"
)
MAX_TABLE_ROWS = 300
VEGALITE_MIME = f"application/vnd.vegalite.v{alt.SCHEMA_VERSION.lstrip('v').split('.')[0]}+json"

# Okabe & Ito's palette: distinguishable with the common forms of colour blindness. The
# figures and explorers name their colours with these constants: no colour is written out
# anywhere else in the package (tests/test_chart_themes.py checks it).
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"  # bluish green
PURPLE = "#CC79A7"  # reddish purple
SKY_BLUE = "#56B4E9"
VERMILLION = "#D55E00"
YELLOW = "#F0E442"
BLACK = "#000000"  # the "ink" colour: the text colour of the dark theme replaces it
PALETTE = [BLUE, ORANGE, GREEN, PURPLE, SKY_BLUE, VERMILLION, YELLOW, BLACK]
# Greys for what is not the point of a chart: "other" or "no position" categories and
# reference rules (Okabe & Ito's grey), the countries outside every group of a map, and the
# empty cells of a table chart.
GREY = "#999999"
LIGHT_GREY = "#d9d9d9"
PALE_GREY = "#eeeeee"
# The named colours of the two variants of the one theme. The website draws its charts in the
# variant of its light/dark toggle (the dark one on the theme's dark page, #14181e); Altair,
# the notebooks and the downloads use the light one. Every other colour of a chart (the
# palette's hues, the greys of a map) reads on both backgrounds.
THEME_COLOURS: dict[str, dict[str, str]] = {
    "light": {"text": "#222222", "grid": "#dddddd", "background": "white", "ink": "#000000"},
    "dark": {"text": "#ced6dd", "grid": "#3b4452", "background": "#14181e", "ink": "#f3f4f5"},
}
TEXT_COLOUR = THEME_COLOURS["light"]["text"]

# Any top-level chart: annotate() returns the kind of chart it is given.
TopLevelChart = TypeVar("TopLevelChart", bound=alt.TopLevelMixin)


def course_theme(mode: str = "light") -> alt.theme.ThemeConfig:
    """Altair theme shared by every chart of the course (``mode``: "light" or "dark")."""
    colours = THEME_COLOURS[mode]
    text = colours["text"]
    font = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
    return {
        "config": {
            "font": font,
            "background": colours["background"],
            # The whole chart, axes and legend included, fits its container (small screens).
            "autosize": {"type": "fit-x", "contains": "padding"},
            "view": {"continuousWidth": 560, "continuousHeight": 320, "stroke": None},
            "range": {"category": PALETTE[:-1] + [colours["ink"]]},
            "mark": {"color": PALETTE[0]},
            # Reference lines and annotations are drawn in the text colour.
            "rule": {"color": text},
            "text": {"color": text},
            "title": {"anchor": "start", "fontSize": 15, "color": text, "offset": 10},
            "axis": {
                "labelColor": text,
                "titleColor": text,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "gridColor": colours["grid"],
            },
            "legend": {
                "labelColor": text,
                "titleColor": text,
                "labelFontSize": 12,
                "titleFontSize": 12,
                # Below the chart, one entry a line: fits any width.
                "orient": "bottom",
                "direction": "vertical",
                "labelLimit": 260,
            },
            "header": {"labelColor": text, "titleColor": text},
        }
    }


def site_themes() -> dict[str, Any]:
    """What the website's chart loader needs to draw a chart in either variant of the theme.

    ``config``: each variant's Vega-Lite config (it replaces the one a chart was made with);
    ``swap``: for each variant, the light variant's named colours mapped to its own, for the
    colours a chart names outside its config (value labels, map outlines).
    """
    light = THEME_COLOURS["light"]
    return {
        "config": {mode: course_theme(mode)["config"] for mode in THEME_COLOURS},
        "swap": {
            mode: {light[name].lower(): colour for name, colour in colours.items()}
            for mode, colours in THEME_COLOURS.items()
        },
    }


def annotate(
    chart: TopLevelChart, *, source: str, description: str, datasets: Sequence[str] = ()
) -> TopLevelChart:
    """Attach the source line and screen-reader description every course chart must carry.

    ``datasets`` names the course datasets the chart is drawn from: the website links each
    chart to their entries on the data page.
    """
    if not isinstance(source, str) or not source.strip():
        raise ValueError("annotate(): a chart needs a non-empty `source` naming its primary source")
    if not isinstance(description, str) or not description.strip():
        raise ValueError("annotate(): a chart needs a non-empty text `description`")
    from defence_course.data import dataset_names, resource

    known = dataset_names()
    unknown = [name for name in datasets if name not in known]
    if isinstance(datasets, str) or unknown:
        raise ValueError(
            f"annotate(): `datasets` must list dataset names; unknown: {unknown or datasets!r}"
        )
    meta: dict[str, Any] = {"source": source.strip()}
    if datasets:
        meta["datasets"] = [{"name": name, "title": resource(name).title} for name in datasets]
    return chart.properties(description=description.strip(), usermeta={USERMETA_KEY: meta})


def value_labels(chart: alt.Chart, text: Any, **mark_options: Any) -> alt.Chart:
    """Text labels on a chart's marks, in the text colour (not tinted by its colour encoding)."""
    return chart.mark_text(color=TEXT_COLOUR, **mark_options).encode(
        text=text, color=alt.value(TEXT_COLOUR)
    )


def chart_annotations(spec: dict[str, Any]) -> dict[str, str | None]:
    """Title, source line and description of a chart spec (``None`` where missing)."""
    title = spec.get("title")
    for child in spec.get("layer", []):  # a layered chart may carry the title on a layer
        title = title or child.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(title)
    meta = (spec.get("usermeta") or {}).get(USERMETA_KEY) or {}
    return {
        "title": title or None,
        "source": meta.get("source"),
        "description": spec.get("description"),
    }


def on_website() -> bool:
    """True while the website is being built."""
    return os.environ.get(SITE_ENV) == "1"


def caption_html(spec: dict[str, Any]) -> str:
    """The source line and description shown under a chart in a notebook."""
    notes = chart_annotations(spec)
    parts = []
    if notes["source"]:
        parts.append(f"<b>Source:</b> {html.escape(notes['source'])}")
    if notes["description"]:
        parts.append(
            f"<details><summary>Description</summary>{html.escape(notes['description'])}</details>"
        )
    return (
        '<div style="font-size: 0.85em; max-width: 46rem">'
        + "".join(f"<div>{part}</div>" for part in parts)
        + "</div>"
    )


def chart_view(spec: dict[str, Any] | alt.TopLevelMixin) -> Any:
    """An offline ``JupyterChart`` of ``spec``: its params can be read and set from Python."""
    from defence_course import offline

    offline.enable_offline_charts()
    if not isinstance(spec, alt.TopLevelMixin):
        # The class of the top-level view, as Altair itself would have built it.
        kind = next((cls for key, cls in _TOP_LEVEL_CLASSES if key in spec), alt.Chart)
        spec = kind.from_dict(spec, validate=False)
    # Every top-level chart class of Altair is also a TopLevelSpec (the mixin alone is not).
    return alt.JupyterChart(cast(alt.TopLevelSpec, spec))


_TOP_LEVEL_CLASSES = (
    ("layer", alt.LayerChart),
    ("vconcat", alt.VConcatChart),
    ("hconcat", alt.HConcatChart),
    ("concat", alt.ConcatChart),
    ("facet", alt.FacetChart),
    ("repeat", alt.RepeatChart),
)


def notebook_renderer(spec: dict[str, Any], **_: Any) -> dict[str, Any]:
    """Render a chart in a live kernel: the offline chart widget above its source line."""
    import ipywidgets as widgets

    figure = widgets.VBox([chart_view(spec), widgets.HTML(caption_html(spec))])
    bundle = figure._repr_mimebundle_()
    notes = chart_annotations(spec)
    bundle["text/plain"] = f"Chart: {notes['title'] or 'untitled'}"
    return bundle


def in_kernel() -> bool:
    """True in a Jupyter kernel (JupyterLab, Notebook, VS Code, nbclient), where widgets draw."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the course's dependencies
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def setup_notebook() -> None:
    """Enable the course theme, and the renderer for where the page runs.

    The website build gets the site renderer, a Jupyter kernel the offline chart widget;
    anywhere else (a terminal, the grader running a submission) nothing can show a widget, so
    Altair keeps its own renderer and no JavaScript is bundled.
    """
    import pandas as pd

    pd.set_option("display.max_colwidth", None)
    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(course_theme)
    alt.theme.enable(THEME_NAME)
    if RENDERER_NAME not in alt.renderers.names():
        from defence_course.website_charts import site_renderer

        alt.renderers.register(RENDERER_NAME, site_renderer)
    if NOTEBOOK_RENDERER_NAME not in alt.renderers.names():
        alt.renderers.register(NOTEBOOK_RENDERER_NAME, notebook_renderer)
    if on_website():
        alt.renderers.enable(RENDERER_NAME)
    else:
        alt.renderers.enable(NOTEBOOK_RENDERER_NAME if in_kernel() else "default")
