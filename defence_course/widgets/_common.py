"""Pieces shared by the notebook explorers: the website's chart, driven by notebook controls.

Each notebook explorer shows the same Vega-Lite chart as the website's kernel-free explorer,
drawn once as an offline ``JupyterChart``. Its inputs are unbound (the notebook's ipywidgets
controls replace the website's HTML inputs) and a control change sets only the chart's
signals, so Vega updates the view in place instead of the kernel redrawing a whole chart.
"""

from __future__ import annotations

import copy
from typing import Any

import altair as alt
import ipywidgets as widgets

from defence_course.charts import caption_html, chart_view
from defence_course.explorers._common import source_html, source_titles  # noqa: F401


def unbound_spec(chart: alt.TopLevelMixin, values: dict[str, Any]) -> dict[str, Any]:
    """The chart's spec without its HTML inputs, its signals starting at ``values``."""
    spec = copy.deepcopy(chart.to_dict())
    names = {param["name"] for param in spec.get("params", [])}
    unknown = set(values) - names
    if unknown:
        raise ValueError(f"the chart has no signal {', '.join(sorted(unknown))}; "
                         f"its signals are {', '.join(sorted(names))}")
    for param in spec.get("params", []):
        param.pop("bind", None)
        if param["name"] in values:
            param["value"] = values[param["name"]]
    return spec


class ChartView:
    """A website explorer's chart in a notebook, updated by setting its signals."""

    def __init__(self, chart: alt.TopLevelMixin, values: dict[str, Any]) -> None:
        self.spec = unbound_spec(chart, values)
        self.signals = dict(values)
        self.view = chart_view(self.spec)
        self.widget = widgets.VBox([self.view, widgets.HTML(caption_html(self.spec))])

    def set(self, values: dict[str, Any]) -> None:
        """Send the signals that changed to the drawn chart (Vega recomputes the view)."""
        changed = {name: value for name, value in values.items()
                   if self.signals.get(name) != value}
        if not changed:
            return
        self.signals.update(changed)
        # Altair's public `params` API sends every param back to the page, derived ones
        # included, and a stale derived value could overwrite a fresh one; this channel of
        # JupyterChart's sets just the named signals, then reruns the view.
        self.view._py_to_js_updates = [
            {"namespace": "signal", "name": name, "scope": [], "value": value}
            for name, value in changed.items()]


class Explorer:
    """Base class: ``widget`` is what the notebook shows; displaying the object shows it."""

    widget: widgets.Widget

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.widget._repr_mimebundle_(**kwargs)
