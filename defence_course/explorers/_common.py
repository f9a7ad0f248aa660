"""Building blocks of the kernel-free explorers: bound inputs and text panels."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

import altair as alt
import pandas as pd

from defence_course import data

PANEL_WIDTH = 480
LINE_HEIGHT = 17
# The course theme fits single charts to their container ("fit-x"); Vega-Lite cannot do that
# for concatenated views, so each explorer keeps its own size and scrolls sideways inside its
# figure on a narrow screen (_static/defence_course.css).
AUTOSIZE = alt.AutoSizeParams(type="pad", contains="padding")


def slider(name: str, label: str, value: float, low: float, high: float,
           step: float) -> alt.Parameter:
    """A parameter bound to a range input with a readable label."""
    return alt.param(name=name, value=value,
                     bind=alt.binding_range(min=low, max=high, step=step, name=label + " "))


def wrap(text: str, width: int = 92) -> list[str]:
    """Lines of at most ``width`` characters (Vega text marks do not wrap)."""
    return textwrap.wrap(str(text), width=width) or [""]


def lines_frame(blocks: dict[str, list[str]], key: str) -> pd.DataFrame:
    """One row per line of text, keyed by ``key`` (e.g. a question or a country)."""
    rows = []
    for value, lines in blocks.items():
        rows += [{key: value, "line": i, "text": text} for i, text in enumerate(lines)]
    return pd.DataFrame(rows)


def text_panel(source: alt.Chart, n_lines: int, *, title: str | None = None,
               size: int = 13, bold_first: bool = False) -> alt.Chart:
    """Left-aligned lines of text: ``source`` must provide ``line`` and ``text`` fields."""

    def lines(chart: alt.Chart, weight: str) -> alt.Chart:
        return chart.mark_text(align="left", baseline="top", fontSize=size,
                               fontWeight=weight).encode(
            x=alt.value(0),
            y=alt.Y("line:O", axis=None, scale=alt.Scale(domain=list(range(n_lines)))),
            text="text:N",
        )

    if bold_first:
        chart = (lines(source.transform_filter("datum.line == 0"), "bold")
                 + lines(source.transform_filter("datum.line > 0"), "normal"))
    else:
        chart = lines(source, "normal")
    chart = chart.properties(width=PANEL_WIDTH, height=LINE_HEIGHT * n_lines)
    if title:
        chart = chart.properties(title=alt.Title(title, fontSize=13))
    return chart


def source_titles(source_ids: Iterable[str]) -> list[str]:
    """'Title (publisher, date)' for each source id, from the ``sources`` dataset."""
    sources = data.load_dataset("sources").set_index("source_id")
    found = []
    for source_id in dict.fromkeys(source_ids):
        row = sources.loc[source_id]
        found.append(f"{row['title']} ({row['publisher']}, {row['published']})")
    return found
