"""The website's charts: each Altair chart as a self-contained ``<figure>``.

The page holds the chart's Vega spec, compiled from Vega-Lite when the site is built
(:func:`website_vega`), its source line, its description and a toggle showing its data; the
site's own Vega runtime (``tools/vega-runtime``) draws it. :func:`site_renderer` is the Altair
renderer that :func:`defence_course.charts.setup_notebook` enables while the website is built.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
from typing import Any

from defence_course.charts import (
    CHART_CLASSES,
    FIGURE_CLASS,
    MAX_TABLE_ROWS,
    SPEC_CLASS,
    USERMETA_KEY,
    VIEW_CLASS,
    chart_annotations,
    site_themes,
)

_chart_counter = itertools.count(1)


def _table_html(spec: dict[str, Any]) -> str:
    # The first tabular dataset (a map's outlines are a TopoJSON object, not a table).
    tables = [
        v
        for v in (spec.get("datasets") or {}).values()
        if isinstance(v, list) and v and isinstance(v[0], dict)
    ]
    if not tables:
        return ""
    rows = tables[0]
    columns = list(rows[0].keys())
    shown = rows[:MAX_TABLE_ROWS]
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(r.get(c)))}</td>" for c in columns) + "</tr>"
        for r in shown
    )
    note = ""
    if len(rows) > len(shown):
        note = f"<p>Showing the first {len(shown)} of {len(rows)} rows.</p>"
    return (
        f'<details class="{CHART_CLASSES["data"]}">'
        "<summary>Show the data behind this chart</summary>"
        f'<div class="dc-table-wrap"><table class="dc-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>{note}</details>"
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# The top-level keys of a chart made of several views (they keep the widths they were given).
COMPOSITE_KEYS = ("vconcat", "hconcat", "concat", "facet", "repeat")


def _recolour(value: Any, swap: dict[str, str], skip: tuple[str, ...]) -> Any:
    """``value`` with each colour named in ``swap`` replaced (keys in ``skip`` left alone)."""
    if isinstance(value, str):
        return swap.get(value.lower(), value)
    if isinstance(value, list):
        return [_recolour(v, swap, skip) for v in value]
    if isinstance(value, dict):
        return {k: v if k in skip else _recolour(v, swap, skip) for k, v in value.items()}
    return value


def _merge(target: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    for key, value in source.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = json.loads(json.dumps(value))
    return target


def website_vega(spec: dict[str, Any]) -> dict[str, Any]:
    """The Vega spec the website draws for the Vega-Lite ``spec``, compiled at build time.

    The site's pages load Vega alone (``_static/vega/vega-runtime.js``, built from
    ``tools/vega-runtime``), not Vega-Lite. The chart is compiled in the light variant of the
    theme (its config merged over the chart's, its named colours as ``site_themes`` maps them);
    the page script draws the dark variant by recolouring the Vega spec with the dark ``swap``
    map, which gives the same spec as compiling with the dark config
    (tests/test_chart_themes.py). A single view made without a width takes its container's.
    ``usermeta.defence_course`` keeps what the page script reads (source line, explorer name,
    datasets…) and gains ``title`` (the chart's name for screen readers and file names),
    ``table`` (the data the CSV download writes: the first table, as under the chart) and
    ``wrap_views`` (the titles of stacked views are wrapped to the container's width too).
    """
    import vl_convert
    from altair.utils.html import vl_version_for_vl_convert

    themes = site_themes()
    light = _recolour(spec, themes["swap"]["light"], ("datasets", "data", "usermeta"))
    light["config"] = _merge(light.get("config") or {}, themes["config"]["light"])
    if "width" not in light and not any(key in light for key in COMPOSITE_KEYS):
        light["width"] = "container"
    # Through JSON, as the page's spec was: a key that is a number becomes a string.
    light = json.loads(json.dumps(light))
    vega = vl_convert.vegalite_to_vega(light, vl_version=vl_version_for_vl_convert())
    meta = vega.setdefault("usermeta", {}).setdefault(USERMETA_KEY, {})
    meta["title"] = chart_annotations(spec)["title"]
    # The JSON the page script read had its keys sorted: its first table is the first by name.
    tables = [
        name
        for name, rows in sorted((spec.get("datasets") or {}).items())
        if isinstance(rows, list) and rows and isinstance(rows[0], dict)
    ]
    if tables:
        meta["table"] = tables[0]
    # The page script wraps a title given as a string (one with a subtitle or a style stays as
    # it is): the chart's own, and those of its stacked views (by their place).
    meta["wrap_title"] = isinstance(_own_title(spec), str)
    views = spec.get("vconcat") or spec.get("concat") or []
    meta["wrap_views"] = [i for i, view in enumerate(views) if isinstance(_own_title(view), str)]
    return vega


def _own_title(spec: dict[str, Any]) -> Any:
    """A view's title, or its first layer's that has one (Vega-Lite lifts it)."""
    return spec.get("title") or next(
        (layer["title"] for layer in spec.get("layer", []) if layer.get("title")), None
    )


def site_renderer(spec: dict[str, Any], **_: Any) -> tuple[dict[str, str], dict[str, Any]]:
    """Render a chart as self-contained HTML for the website (no third-party requests).

    The page holds the chart's Vega spec (:func:`website_vega`); the Vega-Lite spec rides in
    the output's metadata, for the reader's notebook.
    """
    notes = chart_annotations(spec)
    payload = json.dumps(website_vega(spec), sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha1(payload.encode()).hexdigest()[:8]
    chart_id = f"dc-chart-{next(_chart_counter)}-{digest}"
    description = notes["description"] or ""
    source = notes["source"] or ""
    safe_payload = payload.replace("</", "<\\/")
    figure = (
        f'<figure class="{FIGURE_CLASS}" aria-describedby="{chart_id}-desc">'
        f'<div class="{VIEW_CLASS}" id="{chart_id}"></div>'
        f'<figcaption><p class="{CHART_CLASSES["source"]}">Source: {html.escape(source)}</p>'
        f'<p class="{CHART_CLASSES["description"]}" id="{chart_id}-desc">'
        f"{html.escape(description)}</p>"
        f"</figcaption>{_table_html(spec)}"
        f'<script type="application/json" class="{SPEC_CLASS}" data-chart-id="{chart_id}">'
        f"{safe_payload}</script></figure>"
    )
    # The website shows the HTML; the spec rides in the output's metadata (myst-nb would warn
    # about an extra mime type) for the notebook behind the download button.
    bundle = {"text/html": figure, "text/plain": f"Chart: {notes['title'] or 'untitled'}"}
    return bundle, {USERMETA_KEY: {"vegalite": spec}}
