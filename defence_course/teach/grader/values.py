"""Answers passed *by value*: student objects out as JSON, plain objects back in.

The runner (the process that executes a student's notebook) turns each answer variable into a
small tagged JSON document with :func:`encode`; the evaluator (the process that runs the tests
and never runs student code) rebuilds plain Python, numpy and pandas objects with
:func:`decode`. Nothing is ever pickled, so no student-defined class, ``__eq__`` override or
monkeypatch can travel from one process to the other: whatever the student's objects claim, the
evaluator only ever sees numbers, texts, lists, dicts, DataFrames built from those, and chart
specifications (:class:`ChartSpec`).

Limits keep a hostile value cheap to handle: at most :data:`MAX_ITEMS` items per container,
:data:`MAX_DEPTH` levels of nesting, :data:`MAX_CELLS` DataFrame cells, :data:`MAX_TEXT`
characters per text; anything larger is replaced by a ``too_large`` marker, anything the
encoder does not know by an ``other`` marker (its type name and a short repr).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 12
MAX_ITEMS = 10_000
MAX_CELLS = 200_000
MAX_TEXT = 100_000
MAX_SPEC_CHARS = 5_000_000
ALLOWED_DTYPES = {
    "int64", "int32", "Int64", "Int32", "float64", "float32", "Float64", "bool", "boolean",
    "object", "string", "str", "category",
}


@dataclass(frozen=True)
class ChartSpec:
    """A chart as the evaluator sees it: the Vega-Lite specification of the student's chart."""

    spec: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return json.loads(json.dumps(self.spec))


@dataclass(frozen=True)
class Unsupported:
    """A value of a kind the encoder does not carry (a module, a custom class, …)."""

    type_name: str
    text: str

    def __repr__(self) -> str:
        return f"<{self.type_name}: {self.text}>"


# ---------------------------------------------------------------------------------------------
# Encoding (runs in the student's process: must never raise)


def encode(value: Any) -> dict[str, Any]:
    """The tagged JSON form of ``value`` (never raises)."""
    try:
        return _encode(value, 0)
    except RecursionError:
        return {"t": "too_large", "type": _type_name(value), "why": "nested too deeply"}
    except Exception as error:  # a student's object may raise anything from its methods
        return {"t": "other", "type": _type_name(value), "repr": f"(could not be read: "
                f"{type(error).__name__})"}


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
        kind = ("list" if isinstance(value, list) else "tuple" if isinstance(value, tuple)
                else "set")
        items = list(value)
        if len(items) > MAX_ITEMS:
            return {"t": "too_large", "type": kind, "why": f"{len(items)} items"}
        return {"t": kind, "items": _encode_items(items, depth)}
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            return {"t": "too_large", "type": "dict", "why": f"{len(value)} items"}
        return {"t": "dict", "items": [[_encode(k, depth + 1), _encode(v, depth + 1)]
                                       for k, v in list(dict.items(value))]}
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
        return {"t": "too_large", "type": "pandas.DataFrame",
                "why": f"{len(frame)} rows x {len(frame.columns)} columns"}
    columns = []
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        dtype = str(column.dtype)
        if isinstance(column.dtype, pd.DatetimeTZDtype) or dtype.startswith("datetime64"):
            values = [None if pd.isna(v) else pd.Timestamp(v).isoformat() for v in column]
            dtype = "datetime64"
        else:
            values = [_cell(v, depth) for v in column.tolist()]
        columns.append({"name": _encode(frame.columns[position], depth + 1), "dtype": dtype,
                        "values": values})
    index = frame.index
    if isinstance(index, pd.RangeIndex):
        encoded_index: dict[str, Any] = {"range": [index.start, index.stop, index.step]}
    elif isinstance(index, pd.MultiIndex):
        encoded_index = {"values": [_cell(str(v), depth) for v in index.tolist()],
                         "names": [str(n) for n in index.names]}
    else:
        encoded_index = {"values": [_cell(v, depth) for v in index.tolist()],
                         "names": [index.name if isinstance(index.name, str) else None]}
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


# ---------------------------------------------------------------------------------------------
# Decoding (runs in the evaluator: strict, only plain objects come out)


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
    "none": _decode_constant, "ellipsis": _decode_constant, "na": _decode_constant,
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
