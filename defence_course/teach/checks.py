"""Checking helpers for the exercise tests: every wrong answer gets a message in plain words.

The tests of every assignment (public ones, which students run with ``grader.check("q1")``, and
hidden ones, which only the grader runs) call these helpers instead of bare ``assert``s. Each
helper first checks that the answer is *the right kind of thing* — a number, a DataFrame, a
chart, one of the offered letters — and explains what was expected when it is not: text where a
number is expected, ``None``, ``NaN``, ``...`` (the placeholder of the student notebook), a list
instead of a DataFrame, a Series instead of a single number, and so on. Failures are raised as
:class:`AnswerError`, a subclass of :class:`AssertionError`, which otter shows as a failed check
(never as a traceback).

Hidden tests compare against values computed from ``data/`` at grading time and never put the
expected value in their message.

The helpers accept the values a student's kernel holds (Altair charts, pandas objects, numpy
numbers) and the values the safe grader rebuilds from JSON (see
:mod:`defence_course.teach.grader.values`), so a check behaves the same in both places.

The error type, :func:`fail`, :func:`describe` and :func:`answered` live in
:mod:`defence_course.teach.check_basics`, the chart checks in
:mod:`defence_course.teach.chart_checks`; all are imported here, and tests call them as
``checks.<name>``.
"""

from __future__ import annotations

import json
import math
import numbers
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from defence_course.teach.chart_checks import (
    chart,
    chart_data,
    chart_encoding,
    chart_mark,
    filtered_rows,
)
from defence_course.teach.check_basics import AnswerError, _is_number, answered, describe, fail

__all__ = [
    "AnswerError",
    "answered",
    "assignment_grader",
    "chart",
    "chart_data",
    "chart_encoding",
    "chart_mark",
    "choice",
    "close_to",
    "codes",
    "dataframe",
    "describe",
    "filtered_rows",
    "number",
    "same_codes",
    "same_table",
    "true_or_false",
]


# ---------------------------------------------------------------------------------------------
# Simple kinds


def number(
    value: Any,
    name: str,
    *,
    whole: bool = False,
    low: float | None = None,
    high: float | None = None,
) -> float | int:
    """Check that ``value`` is one number (optionally whole, optionally in a plausible range)."""
    answered(value, name)
    what = "a whole number" if whole else "a number"
    if isinstance(value, bool | np.bool_):
        fail(f"`{name}` should be {what}, but it is the yes/no value {value}.")
    if isinstance(value, str):
        hint = ""
        try:
            float(value.replace(",", "").strip())
            hint = f" Remove the quotes: write {value.strip()} rather than {value!r}."
        except ValueError:
            pass
        fail(f"`{name}` should be {what}, but it is {describe(value)}.{hint}")
    if isinstance(value, pd.Series | pd.DataFrame):
        size = value.size
        hint = (
            " It holds one value: take it out with `.item()` (or `.iloc[0]`)."
            if size == 1
            else " Reduce it to one number, e.g. with `.sum()` or `len(...)`."
        )
        fail(f"`{name}` should be {what}, but it is {describe(value)}.{hint}")
    if isinstance(value, list | tuple | set | dict):
        fail(f"`{name}` should be a single number, but it is {describe(value)}.")
    if not _is_number(value):
        fail(f"`{name}` should be {what}, but it is {describe(value)}.")
    try:
        result = float(value)  # complex numbers and odd objects fail here
    except (TypeError, ValueError, OverflowError):
        fail(f"`{name}` should be a real number, but it is {describe(value)}.")
    if math.isnan(result):
        fail(
            f"`{name}` is NaN (not a number). This usually means a calculation met missing "
            "values (empty cells) or divided zero by zero: look at the rows you used."
        )
    if math.isinf(result):
        fail(f"`{name}` is infinite: did you divide by zero?")
    if whole and result != int(result):
        fail(f"`{name}` should be a whole number (a count), but it is {result:g}.")
    if (low is not None and result < low) or (high is not None and result > high):
        bounds = (
            f"between {low:g} and {high:g}"
            if low is not None and high is not None
            else f"at least {low:g}"
            if low is not None
            else f"at most {high:g}"
        )
        fail(
            f"`{name}` is {result:g}, which cannot be right: the answer is {bounds}. Check what "
            "you counted or added up."
        )
    return int(result) if whole else result


def close_to(
    value: Any, expected: float, name: str, *, tolerance: float = 0.0, hint: str = ""
) -> None:
    """Hidden check: ``value`` equals ``expected`` within ``tolerance`` (never printed)."""
    result = number(value, name)
    if abs(result - float(expected)) > tolerance:
        extra = f" {hint}" if hint else ""
        fail(f"`{name}` is {result:g}, which is not right yet.{extra}")


def true_or_false(value: Any, name: str) -> bool:
    """Check that ``value`` is ``True`` or ``False``."""
    answered(value, name)
    if isinstance(value, str) and value.strip().lower() in {"true", "false", "yes", "no"}:
        fail(f"`{name}` is the text {value!r}; write True or False without quotes.")
    if isinstance(value, bool | np.bool_):
        return bool(value)
    fail(f"`{name}` should be True or False, but it is {describe(value)}.")
    raise AssertionError  # unreachable, for type checkers


def choice(value: Any, name: str, options: Sequence[str]) -> str:
    """Check a multiple-choice answer: one of ``options`` (letters), case and brackets ignored."""
    answered(value, name)
    allowed = ", ".join(repr(o) for o in options)
    if not isinstance(value, str):
        fail(
            f"`{name}` should be one of the letters {allowed} (as text, in quotes), but it is "
            f"{describe(value)}."
        )
    letter = value.strip().strip("()").strip(".)").strip().lower()
    if letter not in [o.lower() for o in options]:
        fail(f"`{name}` should be one of {allowed}, but it is {value!r}.")
    return letter


# ---------------------------------------------------------------------------------------------
# Tables


def dataframe(
    value: Any, name: str, *, columns: Iterable[str] = (), min_rows: int = 1
) -> pd.DataFrame:
    """Check that ``value`` is a DataFrame with ``columns`` and at least ``min_rows`` rows."""
    answered(value, name)
    columns = list(columns)
    if isinstance(value, pd.Series):
        fail(
            f"`{name}` should be a pandas DataFrame, but it is {describe(value)}. Turn it into "
            "a table with `.reset_index()` (which keeps the index as a column) and name the "
            "columns."
        )
    if isinstance(value, list | tuple):
        fail(
            f"`{name}` should be a pandas DataFrame, but it is {describe(value)}. Keep the "
            "result of your pandas operations, or build a table with `pd.DataFrame(...)`."
        )
    if isinstance(value, dict):
        fail(
            f"`{name}` should be a pandas DataFrame, but it is {describe(value)}. Build one "
            "with `pd.DataFrame(your_dict)`."
        )
    if not isinstance(value, pd.DataFrame):
        fail(f"`{name}` should be a pandas DataFrame, but it is {describe(value)}.")
    names = [str(c) for c in value.columns]
    missing = [c for c in columns if c not in names]
    if missing:
        have = ", ".join(repr(c) for c in names) or "none"
        index_names = [n for n in value.index.names if n]
        hint = ""
        if any(m in index_names for m in missing):
            hint = " Some of them are in the index: add `.reset_index()`."
        else:
            hint = " Rename columns with `.rename(columns={'old': 'new'})`."
        fail(
            f"`{name}` is missing the column(s) {', '.join(repr(c) for c in missing)}. Its "
            f"columns are: {have}.{hint}"
        )
    if len(value) < min_rows:
        fail(
            f"`{name}` has {len(value)} rows; it should have at least {min_rows}. Did a filter "
            "remove everything?"
        )
    return value


def same_table(
    value: Any,
    expected: pd.DataFrame,
    name: str,
    *,
    key: str,
    columns: Iterable[str],
    tolerance: float = 1e-9,
    ordered: bool = False,
) -> None:
    """Hidden check: ``value`` has the same rows as ``expected`` (matched on ``key``)."""
    columns = list(columns)
    table = dataframe(value, name, columns=[key, *columns], min_rows=0)
    got_keys = [_plain(k) for k in table[key].tolist()]
    want_keys = [_plain(k) for k in expected[key].tolist()]
    if len(got_keys) != len(set(got_keys)):
        fail(f"`{name}` has the same {key} more than once: it should have one row per {key}.")
    if set(got_keys) != set(want_keys):
        extra = sorted(map(str, set(got_keys) - set(want_keys)))
        lacking = len(set(want_keys) - set(got_keys))
        parts = []
        if extra:
            parts.append(f"rows that do not belong ({', '.join(extra[:5])})")
        if lacking:
            parts.append(f"{lacking} missing row(s)")
        fail(f"`{name}` does not have the right rows: it has {' and '.join(parts)}.")
    if ordered and got_keys != want_keys:
        fail(f"`{name}` has the right rows but not in the order asked for.")
    got = {k: row for k, row in zip(got_keys, table[columns].itertuples(index=False), strict=True)}
    for key_value, row in zip(want_keys, expected[columns].itertuples(index=False), strict=True):
        for column, want, have in zip(columns, row, got[key_value], strict=True):
            if not _same_value(have, want, tolerance):
                fail(f"`{name}`: the value in column '{column}' for {key_value} is not right yet.")


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return str(value)


def _same_value(have: Any, want: Any, tolerance: float) -> bool:
    have, want = _plain(have), _plain(want)
    if have is None or want is None:
        return have is None and want is None
    if isinstance(want, int | float) and isinstance(have, int | float):
        return abs(have - want) <= tolerance
    return str(have) == str(want)


def codes(value: Any, name: str) -> list[str]:
    """Check that ``value`` is a collection of texts (e.g. country codes); return them sorted."""
    answered(value, name)
    if isinstance(value, str):
        fail(
            f"`{name}` should be a list of texts such as ['AT', 'IE'], but it is one text "
            f"{value!r}. Put each item in quotes inside square brackets."
        )
    if isinstance(value, pd.DataFrame):
        fail(
            f"`{name}` should be a list, but it is {describe(value)}. Take one column and "
            "convert it with `.tolist()`."
        )
    if isinstance(value, pd.Series | pd.Index):
        value = value.tolist()
    if not isinstance(value, list | tuple | set | frozenset):
        fail(f"`{name}` should be a list of texts, but it is {describe(value)}.")
    items = list(value)
    bad = [v for v in items if not isinstance(v, str)]
    if bad:
        fail(f"`{name}` should hold texts only, but it also holds {describe(bad[0])}.")
    return sorted(v.strip() for v in items)


def same_codes(value: Any, expected: Iterable[str], name: str) -> None:
    """Hidden check: ``value`` holds exactly the texts in ``expected`` (order ignored)."""
    got = codes(value, name)
    want = sorted(expected)
    if len(got) != len(set(got)):
        fail(f"`{name}` lists some items more than once.")
    if got != want:
        fail(f"`{name}` does not hold the right items yet ({len(got)} given).")


# ---------------------------------------------------------------------------------------------
# The student's notebook: found whatever it is called now


def find_notebook(assignment: str, folder: Path | None = None) -> Path | None:
    """The notebook of ``assignment`` this kernel runs, whatever its file is called now.

    A downloaded and re-uploaded notebook is often renamed ("threat (1).ipynb"). The notebook
    carries its public tests, so ``grader.check`` only needs to know which file it is: the one
    the Jupyter server or VS Code says the kernel belongs to, else the newest notebook of this
    assignment in the working folder.
    """
    folder = Path(folder or Path.cwd())
    main = sys.modules.get("__main__")
    named = [os.environ.get("JPY_SESSION_NAME"), getattr(main, "__vsc_ipynb_file__", None)]
    for name in named:
        if name and name.endswith(".ipynb"):
            for path in (Path(name), folder / Path(name).name):
                if path.is_file() and _assignment_of(path) == assignment:
                    return path
    mine = [path for path in folder.glob("*.ipynb") if _assignment_of(path) == assignment]
    return max(mine, key=lambda path: path.stat().st_mtime) if mine else None


def _assignment_of(path: Path) -> str | None:
    try:
        metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return None
    otter_metadata = metadata.get("otter") if isinstance(metadata, dict) else None
    return otter_metadata.get("assignment_name") if isinstance(otter_metadata, dict) else None


def assignment_grader(assignment: str) -> Any:
    """``otter.Notebook`` for the assignment's notebook, found by its content, not its name."""
    import otter

    path = find_notebook(assignment)
    if path is None:
        print(
            f"The checks could not find this notebook (assignment '{assignment}') in "
            f"{Path.cwd()}: grader.check will not work until the notebook is saved there. "
            "Open the notebook from the folder it is saved in, save it, and run this cell again."
        )
        return otter.Notebook()
    return otter.Notebook(str(path))
