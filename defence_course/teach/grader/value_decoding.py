"""Decoding answers in the evaluator: strict, and only plain objects come out.

Unknown or malformed input becomes :class:`~defence_course.teach.grader.values.Unsupported`
rather than an exception, so one hostile document costs only its own answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from defence_course.teach.grader.values import (
    ALLOWED_DTYPES,
    MAX_DEPTH,
    MAX_ITEMS,
    ChartSpec,
    Unsupported,
)


class DecodeError(ValueError):
    """The JSON document is not a valid encoded value."""


def loads(text: str | bytes) -> dict[str, Any]:
    """Decode the runner's JSON ``{name: encoded}`` into ``{name: value}`` (evaluator side)."""
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise DecodeError(f"answers are not valid JSON ({type(error).__name__})") from None
    if not isinstance(raw, dict):
        raise DecodeError("answers are not a JSON object")
    return {str(name): decode(item) for name, item in raw.items()}


def decode(item: Any, depth: int = 0) -> Any:
    """One value from its tagged JSON form; unknown or malformed input becomes ``Unsupported``."""
    try:
        return _decode(item, depth)
    except (DecodeError, KeyError, TypeError, ValueError, IndexError, RecursionError) as error:
        return Unsupported("unreadable", f"could not be rebuilt ({type(error).__name__})")


def _decode(item: Any, depth: int) -> Any:
    if depth > MAX_DEPTH + 2:
        raise DecodeError("nested too deeply")
    if not isinstance(item, dict) or not isinstance(item.get("t"), str):
        raise DecodeError("not a tagged value")
    decoder = _DECODERS.get(item["t"])
    if decoder is None:
        raise DecodeError(f"unknown tag {item['t']!r}")
    return decoder(item, depth)


def _decode_constant(item: dict[str, Any], _depth: int) -> Any:
    import pandas as pd

    return {"none": None, "ellipsis": Ellipsis, "na": pd.NA, "nat": pd.NaT}[item["t"]]


def _decode_int(item: dict[str, Any], _depth: int) -> Any:
    import numpy as np

    value = _expect(item["v"], int)
    if item.get("type", "").startswith("numpy."):
        try:
            return np.int64(value)
        except OverflowError:
            return value
    return value


def _decode_float(item: dict[str, Any], _depth: int) -> Any:
    import numpy as np

    value = item["v"]
    number = float(value) if value in {"nan", "inf", "-inf"} else _expect(value, int | float)
    return np.float64(number) if item.get("type", "").startswith("numpy.") else float(number)


def _decode_sequence(item: dict[str, Any], depth: int) -> Any:
    """A list, tuple, set, numpy array or pandas index."""
    import numpy as np

    items = _expect(item["items"], list)
    if len(items) > MAX_ITEMS:
        raise DecodeError("too many items")
    values = [decode(v, depth + 1) for v in items]
    tag = item["t"]
    if tag == "tuple":
        return tuple(values)
    if tag == "set":
        try:
            return set(values)
        except TypeError:
            return values
    if tag == "ndarray":
        try:
            return np.array(values)
        except (TypeError, ValueError):
            return values
    if tag == "index":
        import pandas as pd

        return pd.Index(values)
    return values


def _decode_dict(item: dict[str, Any], depth: int) -> dict[Any, Any]:
    pairs = _expect(item["items"], list)
    if len(pairs) > MAX_ITEMS:
        raise DecodeError("too many items")
    result = {}
    for pair in pairs:
        key, value = _expect(pair, list)
        key = decode(key, depth + 1)
        try:
            result[key] = decode(value, depth + 1)
        except TypeError:
            result[str(key)] = decode(value, depth + 1)
    return result


def _decode_series(item: dict[str, Any], depth: int) -> Any:
    frame = _decode_frame(_expect(item["frame"], dict), depth)
    series = frame.iloc[:, 0]
    name = decode(item.get("name", {"t": "none"}), depth + 1)
    try:
        series.name = name
    except TypeError:
        series.name = str(name)
    return series


def _decode_unsupported(item: dict[str, Any], _depth: int) -> Unsupported:
    if item["t"] == "too_large":
        return Unsupported(f"too large {item.get('type', 'value')}", str(item.get("why", ""))[:80])
    return Unsupported(str(item.get("type", "object"))[:80], str(item.get("repr", ""))[:200])


def _expect(value: Any, kind: Any) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DecodeError("malformed value")
    return value


def _decode_cell(value: Any, depth: int) -> Any:
    if isinstance(value, dict):
        return decode(value.get("tagged"), depth + 1)
    if isinstance(value, str) and value in {"nan", "inf", "-inf"}:
        return value  # a text cell; floats travel as numbers or null
    return value


def _decode_frame(item: dict[str, Any], depth: int) -> Any:
    import pandas as pd

    columns = _expect(item["columns"], list)
    if len(columns) > MAX_ITEMS:
        raise DecodeError("too many columns")
    data: dict[Any, Any] = {}
    names: list[Any] = []
    length = None
    for column in columns:
        name = decode(column["name"], depth + 1)
        values = [_decode_cell(v, depth) for v in _expect(column["values"], list)]
        if length is None:
            length = len(values)
        elif len(values) != length:
            raise DecodeError("columns of different lengths")
        dtype = str(column.get("dtype", "object"))
        series = pd.Series(values, dtype=object)
        try:
            if dtype == "datetime64":
                series = pd.to_datetime(series)
            elif dtype in ALLOWED_DTYPES:
                series = series.astype(dtype)
            else:
                series = series.infer_objects()
        except (TypeError, ValueError):
            series = series.infer_objects()
        key = name if isinstance(name, str | int | float) else str(name)
        if key in data:
            key = f"{key}.{len(names)}"
        names.append(key)
        data[key] = series.reset_index(drop=True)
    frame = pd.DataFrame(data, columns=names) if names else pd.DataFrame()
    if length is None:
        length = 0
    index = item.get("index") or {}
    if "range" in index:
        start, stop, step = (_expect(v, int) for v in index["range"])
        if len(range(start, stop, step)) == len(frame):
            frame.index = pd.RangeIndex(start, stop, step)
    elif "values" in index:
        values = [_decode_cell(v, depth) for v in _expect(index["values"], list)]
        if len(values) == len(frame):
            frame.index = pd.Index(values)
            index_names = index.get("names") or [None]
            if len(index_names) == 1 and isinstance(index_names[0], str | type(None)):
                frame.index.name = index_names[0]
    return frame


# tag -> how to rebuild a value of it (after every decoder is defined)
_DECODERS: dict[str, Callable[[dict[str, Any], int], Any]] = {
    "none": _decode_constant,
    "ellipsis": _decode_constant,
    "na": _decode_constant,
    "nat": _decode_constant,
    "bool": lambda item, _depth: _expect(item["v"], bool),
    "int": _decode_int,
    "float": _decode_float,
    "str": lambda item, _depth: _expect(item["v"], str),
    "chart": lambda item, _depth: ChartSpec(_expect(item["spec"], dict)),
    **dict.fromkeys(("list", "tuple", "set", "ndarray", "index"), _decode_sequence),
    "dict": _decode_dict,
    "dataframe": _decode_frame,
    "series": _decode_series,
    "too_large": _decode_unsupported,
    "other": _decode_unsupported,
}
