"""The checks of an Altair chart answer: its mark, its encodings, its data and its filters.

Re-exported by :mod:`defence_course.teach.checks`, where the exercise tests call them
(``checks.chart(...)``, ``checks.chart_mark(...)`` …).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from defence_course.teach import vegalite
from defence_course.teach.check_basics import _is_chart, _short, answered, describe, fail


def chart(value: Any, name: str) -> dict[str, Any]:
    """Check that ``value`` is an Altair chart and return its Vega-Lite specification."""
    answered(value, name)
    if isinstance(value, pd.DataFrame):
        fail(
            f"`{name}` should be an Altair chart, but it is {describe(value)}. Wrap the table "
            "in a chart: `alt.Chart(table).mark_bar().encode(...)`."
        )
    if not _is_chart(value):
        fail(
            f"`{name}` should be an Altair chart (made with `alt.Chart(...)`), but it is "
            f"{describe(value)}."
        )
    try:
        spec = value.to_dict()
    except Exception as error:  # altair validates here: report the first line only
        text = str(error).strip()
        first = _short(text.splitlines()[0], 160) if text else type(error).__name__
        fail(
            f"`{name}` is a chart that Altair cannot turn into a specification: {first}. "
            "Check the column names and types in `encode(...)`."
        )
    if not isinstance(spec, dict):
        fail(f"`{name}` could not be read as a chart specification.")
    try:
        vegalite.top_level(spec)
    except vegalite.SpecError as error:
        fail(f"`{name}`: {error}.")
    return spec


def chart_mark(spec: Mapping[str, Any], name: str, expected: str | Iterable[str]) -> str:
    """Check the chart's mark type ("bar", "line", …)."""
    wanted = [expected] if isinstance(expected, str) else list(expected)
    mark = vegalite.mark_type(spec)
    if mark not in wanted:
        what = " or ".join(f"mark_{w}()" for w in wanted)
        fail(
            f"`{name}` should use {what}, but it uses "
            f"{'mark_' + mark + '()' if mark else 'no mark'}."
        )
    return mark


_TYPE_WORDS = {"quantitative": "Q", "nominal": "N", "ordinal": "O", "temporal": "T"}


def chart_encoding(
    spec: Mapping[str, Any],
    name: str,
    channel: str,
    *,
    field: str | Iterable[str] | None = None,
    aggregate: str | None = None,
    types: Iterable[str] | None = None,
) -> Mapping[str, Any]:
    """Check one encoding channel: its field, aggregate ("count", "sum" …) and type."""
    enc = vegalite.encoding(spec, channel)
    if enc is None:
        fail(f"`{name}` has no {channel} encoding: add `{channel}=...` inside `.encode(...)`.")
    if field is not None:
        fields = [field] if isinstance(field, str) else list(field)
        got = enc.get("field")
        if got not in fields:
            want = " or ".join(repr(f) for f in fields)
            fail(
                f"`{name}`: the {channel} channel should show the column {want}, but it shows "
                f"{repr(got) if got else 'no column'}."
            )
    if aggregate is not None and enc.get("aggregate") != aggregate:
        shown = f"'{enc['aggregate']}'" if enc.get("aggregate") else "none"
        fail(
            f"`{name}`: the {channel} channel should use the aggregate '{aggregate}' (for "
            f"example `{channel}='{aggregate}(…)'`), but its aggregate is {shown}."
        )
    if types is not None:
        allowed = list(types)
        if enc.get("type") not in allowed:
            letters = " or ".join(f":{_TYPE_WORDS.get(t, t)}" for t in allowed)
            fail(
                f"`{name}`: the {channel} channel should have the type {letters}, but it is "
                f"{enc.get('type')!r}."
            )
    return enc


def chart_data(spec: Mapping[str, Any], name: str) -> pd.DataFrame:
    """All rows of the chart's data (before its filters)."""
    try:
        rows = vegalite.inline_rows(spec)
    except vegalite.SpecError as error:
        fail(f"`{name}`: {error}.")
    return pd.DataFrame(rows)


def filtered_rows(
    spec: Mapping[str, Any], name: str, *, require_filter: bool = True
) -> pd.DataFrame:
    """The rows the chart shows after its ``transform_filter`` steps."""
    try:
        if require_filter and not vegalite.filters(spec):
            fail(
                f"`{name}` has no filter: add `.transform_filter(...)` to the chart, as the "
                "question asks."
            )
        return vegalite.filtered_rows(spec)
    except vegalite.SpecError as error:
        fail(f"`{name}`: {error}.")
    raise AssertionError  # unreachable
