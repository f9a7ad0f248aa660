"""What every check stands on: the one error type, failing with a message, describing a value
in words, and whether an answer is there at all.

Kept apart from :mod:`defence_course.teach.checks` (which re-exports all of it) so that
:mod:`defence_course.teach.chart_checks` can use it without importing ``checks``.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, NoReturn

import numpy as np
import pandas as pd


class AnswerError(AssertionError):
    """An answer is missing, of the wrong kind, or not right: the message says why in words."""


def fail(message: str) -> NoReturn:
    """Raise :class:`AnswerError` with ``message`` (kept free of quotes at both ends)."""
    raise AnswerError(message.strip().strip("'\""))


# ---------------------------------------------------------------------------------------------
# Describing a value in words


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SIZED_KINDS = (
    (pd.Series, "a pandas Series with {} values"),
    (list, "a list with {} items"),
    (tuple, "a tuple with {} items"),
    (set | frozenset, "a set with {} items"),
    (dict, "a dict with {} keys"),
)


def describe(value: Any) -> str:
    """A short description of ``value`` for a feedback message ("the text '4'", "a list …")."""
    if value is None:
        return "None"
    if value is Ellipsis:
        return "still `...` (the placeholder)"
    if value is pd.NA:
        return "<NA> (a missing value)"
    if isinstance(value, bool | np.bool_):
        return f"the yes/no value {value}"
    if _is_number(value):
        if isinstance(value, numbers.Real) and math.isnan(float(value)):
            return "NaN (not a number)"
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {_short(value)!r}"
    if _is_chart(value):
        return "an Altair chart"
    if isinstance(value, pd.DataFrame):
        return f"a DataFrame with {len(value)} rows and {value.shape[1]} columns"
    for kind, wording in _SIZED_KINDS:
        if isinstance(value, kind):
            return wording.format(len(value))
    if callable(value):
        return "a function (did you forget the brackets that call it?)"
    kind = getattr(value, "type_name", None) or type(value).__name__
    return f"an object of type {kind}"


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool | np.bool_)


def _is_chart(value: Any) -> bool:
    from defence_course.teach.grader.values import ChartSpec

    if isinstance(value, ChartSpec):
        return True
    try:
        import altair as alt
    except ImportError:  # pragma: no cover - altair is a course dependency
        return False
    return isinstance(value, alt.TopLevelMixin)


# ---------------------------------------------------------------------------------------------
# Presence


def answered(value: Any, name: str) -> Any:
    """Fail when ``value`` is missing: ``None``, ``...`` or a pandas missing value."""
    if value is Ellipsis:
        fail(f"`{name}` is still `...`: replace the three dots with your answer and run the cell.")
    if value is None:
        fail(
            f"`{name}` is None or not defined: assign your answer to `{name}` (for example "
            f"`{name} = ...your code...`) and run that cell. A cell that only prints or shows a "
            "value does not store it."
        )
    if value is pd.NA or value is pd.NaT:
        fail(
            f"`{name}` is a missing value (<NA>): check that your calculation does not pick an "
            "empty cell of the data."
        )
    return value
