"""Encoding answers in the student's process: every value becomes tagged JSON, and nothing raises.

The encoder reads a value through base-class methods, so whatever a student's subclass overrides,
only its true number, text or table travels (:mod:`defence_course.teach.grader.values`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import numbers
from collections.abc import Mapping
from typing import Any

from defence_course.teach.grader.values import (
    MAX_CELLS,
    MAX_DEPTH,
    MAX_ITEMS,
    MAX_SPEC_CHARS,
    MAX_TEXT,
)


def encode(value: Any) -> dict[str, Any]:
    """The tagged JSON form of ``value`` (never raises)."""
    try:
        return _encode(value, 0)
    except RecursionError:
        return {"t": "too_large", "type": _type_name(value), "why": "nested too deeply"}
    except Exception as error:  # a student's object may raise anything from its methods
        return {
            "t": "other",
            "type": _type_name(value),
            "repr": f"(could not be read: {type(error).__name__})",
        }


def _type_name(value: Any) -> str:
    kind = type(value)
    module = getattr(kind, "__module__", "") or ""
    name = getattr(kind, "__qualname__", getattr(kind, "__name__", "?"))
    return f"{module}.{name}" if module not in {"builtins", ""} else str(name)


def _encode(value: Any, depth: int) -> dict[str, Any]:
    if depth > MAX_DEPTH:
        return {"t": "too_large", "type": _type_name(value), "why": "nested too deeply"}
    # The order matters: bool before int, a chart before anything with to_dict, pandas and
    # numpy before plain sequences.
    for encoder in (_encode_scalar, _encode_chart, _encode_array, _encode_collection):
        encoded = encoder(value, depth)
        if encoded is not None:
            return encoded
    if isinstance(value, dt.datetime | dt.date):
        return {"t": "str", "v": value.isoformat()}
    text = ""
    try:
        text = repr(value)[:200]
    except Exception:
        text = "(no description)"
    return {"t": "other", "type": _type_name(value), "repr": text}


def _encode_scalar(value: Any, _depth: int) -> dict[str, Any] | None:
    import numpy as np
    import pandas as pd

    if value is None:
        return {"t": "none"}
    if value is Ellipsis:
        return {"t": "ellipsis"}
    if value is pd.NA:
        return {"t": "na"}
    if value is pd.NaT:
        return {"t": "nat"}
    if isinstance(value, bool | np.bool_):
        return {"t": "bool", "v": bool.__bool__(bool(value))}
    # Base-class methods read the true value of a subclass whatever it overrides.
    if isinstance(value, numbers.Integral):
        whole = int.__index__(value) if isinstance(value, int) else int.__index__(int(value))
        return {"t": "int", "v": whole, "type": _type_name(value)}
    if isinstance(value, numbers.Real):
        real = float.__float__(value) if isinstance(value, float) else float(value)
        return {"t": "float", "v": _float(float.__float__(real)), "type": _type_name(value)}
    if isinstance(value, str):
        text = str.__str__(value)
        if len(text) > MAX_TEXT:
            return {"t": "too_large", "type": "str", "why": f"{len(text)} characters"}
        return {"t": "str", "v": text}
    return None


def _encode_chart(value: Any, _depth: int) -> dict[str, Any] | None:
    if not _is_chart(value):
        return None
    spec = value.to_dict()
    text = json.dumps(spec, default=str, allow_nan=False)
    if len(text) > MAX_SPEC_CHARS:
        return {"t": "too_large", "type": "chart", "why": f"{len(text)} characters"}
    return {"t": "chart", "spec": json.loads(text)}


def _encode_array(value: Any, depth: int) -> dict[str, Any] | None:
    """A pandas table, series or index, or a numpy array."""
    import numpy as np
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return _encode_frame(value, depth)
    if isinstance(value, pd.Series):
        frame = _encode_frame(value.to_frame(name="__values__"), depth)
        if frame["t"] != "dataframe":
            return frame
        return {"t": "series", "name": _encode(value.name, depth + 1), "frame": frame}
    if isinstance(value, pd.Index):
        return {"t": "index", "items": _encode_items(value.tolist(), depth)}
    if isinstance(value, np.ndarray):
        if value.size > MAX_ITEMS:
            return {"t": "too_large", "type": "numpy.ndarray", "why": f"{value.size} items"}
        return {"t": "ndarray", "items": _encode_items(value.tolist(), depth)}
    return None


def _encode_collection(value: Any, depth: int) -> dict[str, Any] | None:
    if isinstance(value, list | tuple | set | frozenset):
        kind = "list" if isinstance(value, list) else "tuple" if isinstance(value, tuple) else "set"
        items = list(value)
        if len(items) > MAX_ITEMS:
            return {"t": "too_large", "type": kind, "why": f"{len(items)} items"}
        return {"t": kind, "items": _encode_items(items, depth)}
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            return {"t": "too_large", "type": "dict", "why": f"{len(value)} items"}
        return {
            "t": "dict",
            "items": [
                [_encode(k, depth + 1), _encode(v, depth + 1)] for k, v in list(dict.items(value))
            ],
        }
    return None


def _float(value: float) -> float | str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def _encode_items(items: list[Any], depth: int) -> list[dict[str, Any]]:
    return [_encode(item, depth + 1) for item in items]


def _is_chart(value: Any) -> bool:
    try:
        import altair as alt
    except ImportError:  # pragma: no cover
        return False
    return isinstance(value, alt.TopLevelMixin)


def _encode_frame(frame: Any, depth: int) -> dict[str, Any]:
    import pandas as pd

    if frame.size > MAX_CELLS or len(frame.columns) > MAX_ITEMS:
        return {
            "t": "too_large",
            "type": "pandas.DataFrame",
            "why": f"{len(frame)} rows x {len(frame.columns)} columns",
        }
    columns = []
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        dtype = str(column.dtype)
        if isinstance(column.dtype, pd.DatetimeTZDtype) or dtype.startswith("datetime64"):
            values = [None if pd.isna(v) else pd.Timestamp(v).isoformat() for v in column]
            dtype = "datetime64"
        else:
            values = [_cell(v, depth) for v in column.tolist()]
        columns.append(
            {"name": _encode(frame.columns[position], depth + 1), "dtype": dtype, "values": values}
        )
    index = frame.index
    if isinstance(index, pd.RangeIndex):
        encoded_index: dict[str, Any] = {"range": [index.start, index.stop, index.step]}
    elif isinstance(index, pd.MultiIndex):
        encoded_index = {
            "values": [_cell(str(v), depth) for v in index.tolist()],
            "names": [str(n) for n in index.names],
        }
    else:
        encoded_index = {
            "values": [_cell(v, depth) for v in index.tolist()],
            "names": [index.name if isinstance(index.name, str) else None],
        }
    return {"t": "dataframe", "columns": columns, "index": encoded_index}


def _cell(value: Any, depth: int) -> Any:
    """A DataFrame cell: plain JSON scalars where possible, a tagged value otherwise."""
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return None if math.isnan(number) else _float(number)
    if isinstance(value, str):
        return value[:MAX_TEXT]
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return value.isoformat()
    return {"tagged": _encode(value, depth + 1)}


def dumps(answers: Mapping[str, Any]) -> str:
    """JSON text of ``{name: encode(value)}`` (runner side)."""
    return json.dumps({str(k): encode(v) for k, v in answers.items()}, allow_nan=False)
