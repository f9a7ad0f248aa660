"""Building blocks of the kernel-free explorers: bound inputs, text panels, settings.

The notebook versions take from here only :class:`Range` (a slider both versions draw) and
the settings checks; their own building blocks are in :mod:`defence_course.explorers._notebook`.
"""

from __future__ import annotations

import math
import numbers
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import altair as alt
import pandas as pd

PANEL_WIDTH = 480
LINE_HEIGHT = 17
# The course theme fits single charts to their container ("fit-x"); Vega-Lite cannot do that
# for concatenated views, so each explorer keeps its own size and scrolls sideways inside its
# figure on a narrow screen (_static/defence_course.css).
AUTOSIZE = alt.AutoSizeParams(type="pad", contains="padding")


@dataclass(frozen=True)
class Range:
    """A number set with a slider in both versions: its setting's name, label, start and range.

    Numbers are kept as given (an int stays an int in the chart's spec).
    """

    name: str
    label: str
    value: float
    low: float
    high: float
    step: float


def slider(setting: Range) -> alt.Parameter:
    """A parameter bound to a range input with a readable label."""
    return alt.param(
        name=setting.name,
        value=setting.value,
        bind=alt.binding_range(
            min=setting.low, max=setting.high, step=setting.step, name=setting.label + " "
        ),
    )


def bound_params(chart: alt.ChartType) -> dict[str, dict[str, Any]]:
    """The chart's parameters bound to inputs (the explorer's settings), by name."""
    found = {}
    for param in chart.params:
        spec = param.to_dict()
        if "bind" in spec and "select" not in spec:
            found[spec["name"]] = spec
    return found


def check_settings(
    explorer: str, chart: alt.ChartType, settings: Mapping[str, Any]
) -> dict[str, Any]:
    """``settings`` checked against what the chart's inputs accept (ValueError otherwise).

    The names are the chart's parameter names, which the website also writes into the page's
    URL, so that a link and a notebook cell can describe the same scenario.
    """
    params = bound_params(chart)
    checked = {}
    for name, value in settings.items():
        if name not in params:
            raise ValueError(
                f"{explorer}: unknown setting {name!r}; its settings are " + ", ".join(params)
            )
        param, bind = params[name], params[name]["bind"]
        if bind["input"] == "checkbox":
            if not isinstance(value, bool):
                raise ValueError(
                    f"{explorer}: setting {name!r} must be True or False, not {value!r}"
                )
        elif bind["input"] == "range":
            low, high, step = bind["min"], bind["max"], bind["step"]
            number = (
                value
                if isinstance(value, numbers.Real) and not isinstance(value, bool)
                else math.nan
            )
            steps = (number - low) / step
            # A starting value may lie between steps (a sourced figure); others are on a step,
            # where the website's slider can show them.
            if not (
                low <= number <= high
                and (abs(steps - round(steps)) < 1e-6 or number == param.get("value"))
            ):
                raise ValueError(
                    f"{explorer}: setting {name!r} must be a number from {low:g} "
                    f"to {high:g} in steps of {step:g}, not {value!r}"
                )
            value = int(value) if isinstance(value, numbers.Integral) else float(value)
        elif value not in bind["options"] or not isinstance(value, type(bind["options"][0])):
            raise ValueError(
                f"{explorer}: setting {name!r} must be one of "
                + ", ".join(repr(option) for option in bind["options"])
                + f", not {value!r}"
            )
        checked[name] = value
    return checked


def wrap(text: str, width: int = 92) -> list[str]:
    """Lines of at most ``width`` characters (Vega text marks do not wrap)."""
    return textwrap.wrap(str(text), width=width) or [""]


def lines_frame(blocks: dict[str, list[str]], key: str) -> pd.DataFrame:
    """One row per line of text, keyed by ``key`` (e.g. a question or a country)."""
    rows = []
    for value, lines in blocks.items():
        rows += [{key: value, "line": i, "text": text} for i, text in enumerate(lines)]
    return pd.DataFrame(rows)


def text_panel(
    source: alt.Chart,
    n_lines: int,
    *,
    title: str | None = None,
    size: int = 13,
    bold_first: bool = False,
) -> alt.Chart | alt.LayerChart:
    """Left-aligned lines of text: ``source`` must provide ``line`` and ``text`` fields."""

    def lines(chart: alt.Chart, weight: Literal["normal", "bold"]) -> alt.Chart:
        return chart.mark_text(
            align="left", baseline="top", fontSize=size, fontWeight=weight
        ).encode(
            x=alt.value(0),
            y=alt.Y("line:O", axis=None, scale=alt.Scale(domain=list(range(n_lines)))),
            text="text:N",
        )

    chart: alt.Chart | alt.LayerChart
    if bold_first:
        chart = alt.LayerChart(
            layer=[
                lines(source.transform_filter("datum.line == 0"), "bold"),
                lines(source.transform_filter("datum.line > 0"), "normal"),
            ]
        )
    else:
        chart = lines(source, "normal")
    chart = chart.properties(width=PANEL_WIDTH, height=LINE_HEIGHT * n_lines)
    if title:
        chart = chart.properties(title=alt.Title(title, fontSize=13))
    return chart
