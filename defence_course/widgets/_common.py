"""Pieces shared by the notebook explorers: redrawing a chart, naming sources."""

from __future__ import annotations

from typing import Any

import altair as alt
import ipywidgets as widgets

from defence_course.explorers._common import source_html, source_titles  # noqa: F401


def redraw(output: widgets.Output, chart: alt.TopLevelMixin) -> None:
    """Show ``chart`` in ``output`` (in a running kernel; headless tests read ``ui.chart``)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipywidgets
        return
    if get_ipython() is None:
        return
    from IPython.display import display

    with output:
        output.clear_output(wait=True)
        display(chart)


class Explorer:
    """Base class: ``widget`` is what the notebook shows; displaying the object shows it."""

    widget: widgets.Widget

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.widget._repr_mimebundle_(**kwargs)
