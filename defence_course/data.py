"""The course's one data loader.

Every dataset in ``data/`` is a resource of the Frictionless Data Package
``data/datapackage.json``. :func:`load_dataset` reads a resource, checks it against its
Table Schema (columns, types, required values, enums, ranges, primary key, foreign keys)
and returns a typed DataFrame. Anything wrong raises :class:`DataError` naming the file,
the row (the line number in the CSV, header = line 1) and the column. Rows are never
dropped silently.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from defence_course.paths import DATA_DIR

PACKAGE_FILE = "datapackage.json"


class DataError(ValueError):
    """A dataset does not match its schema in ``datapackage.json``."""

    def __init__(
        self, path: Path | str, message: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.path = Path(path)
        self.row = row
        self.column = column
        self.problem = message
        where = [self.path.name]
        if row is not None:
            where.append(f"line {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass(frozen=True)
class Resource:
    """One dataset as described in the Data Package."""

    name: str
    path: Path
    title: str
    schema: dict[str, Any]
    sources: list[dict[str, Any]]

    @property
    def fields(self) -> list[dict[str, Any]]:
        return self.schema["fields"]

    @property
    def primary_key(self) -> list[str]:
        key = self.schema.get("primaryKey") or []
        return [key] if isinstance(key, str) else list(key)


def read_package(data_dir: Path | None = None) -> dict[str, Any]:
    """The parsed ``datapackage.json``."""
    data_dir = Path(data_dir or DATA_DIR)
    path = data_dir / PACKAGE_FILE
    if not path.exists():
        raise DataError(path, "the Data Package descriptor is missing")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError(path, f"not valid JSON ({error.msg})", row=error.lineno) from None


def dataset_names(data_dir: Path | None = None) -> list[str]:
    """Names of all datasets in the Data Package."""
    return [r["name"] for r in read_package(data_dir)["resources"]]


def resource(name: str, data_dir: Path | None = None) -> Resource:
    """The Data Package's description of dataset ``name``."""
    data_dir = Path(data_dir or DATA_DIR)
    for entry in read_package(data_dir)["resources"]:
        if entry["name"] == name:
            return Resource(
                name=name,
                path=data_dir / entry["path"],
                title=entry.get("title", name),
                schema=entry["schema"],
                sources=entry.get("sources", []),
            )
    known = ", ".join(sorted(dataset_names(data_dir)))
    raise KeyError(f"no dataset named {name!r} in {data_dir / PACKAGE_FILE}; known: {known}")


def load_dataset(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Read, validate and type dataset ``name`` (a copy: callers may modify it)."""
    data_dir = Path(data_dir or DATA_DIR).resolve()
    return _load_cached(name, data_dir).copy()


@cache
def _load_cached(name: str, data_dir: Path) -> pd.DataFrame:
    res = resource(name, data_dir)
    frame = _read_csv(res)
    typed = _apply_schema(res, frame)
    _check_primary_key(res, typed)
    _check_foreign_keys(res, typed, data_dir)
    return typed


def clear_cache() -> None:
    """Forget loaded datasets (after editing files in ``data/``)."""
    _load_cached.cache_clear()


def _read_csv(res: Resource) -> pd.DataFrame:
    if not res.path.exists():
        raise DataError(res.path, f"file not found (dataset '{res.name}' in {PACKAGE_FILE})")
    try:
        frame = pd.read_csv(res.path, dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.ParserError as error:
        line = re.search(r"line (\d+)", str(error))
        raise DataError(
            res.path,
            f"not a well-formed CSV file ({error})",
            row=int(line.group(1)) if line else None,
        ) from None
    except pd.errors.EmptyDataError:
        raise DataError(res.path, "the file is empty (a header row is required)") from None
    expected = [f["name"] for f in res.fields]
    actual = list(frame.columns)
    missing = [c for c in expected if c not in actual]
    unexpected = [c for c in actual if c not in expected]
    if missing or unexpected:
        parts = []
        if missing:
            parts.append("missing column(s) " + ", ".join(repr(c) for c in missing))
        if unexpected:
            parts.append("unexpected column(s) " + ", ".join(repr(c) for c in unexpected))
        raise DataError(res.path, "; ".join(parts) + f" (expected {expected})", row=1)
    if actual != expected:
        raise DataError(
            res.path, f"columns are in the wrong order: {actual}, expected {expected}", row=1
        )
    return frame


def _line(index: int) -> int:
    # pandas index 0 is the first data row, which is line 2 of the file.
    return int(index) + 2


def _apply_schema(res: Resource, frame: pd.DataFrame) -> pd.DataFrame:
    columns = {}
    for field in res.fields:
        name = field["name"]
        raw = frame[name].str.strip()
        empty = raw.eq("")
        constraints = field.get("constraints", {})
        if constraints.get("required") and empty.any():
            raise DataError(
                res.path,
                "a value is required but the cell is empty",
                row=_line(empty.idxmax()),
                column=name,
            )
        columns[name] = _convert(res, field, raw, empty)
        _check_constraints(res, field, columns[name], raw)
    return pd.DataFrame(columns, index=pd.RangeIndex(len(frame)))


def _convert(res: Resource, field: dict[str, Any], raw: pd.Series, empty: pd.Series) -> pd.Series:
    name, kind = field["name"], field.get("type", "string")
    present = raw[~empty]

    def fail(mask: pd.Series, expected: str) -> None:
        bad = present[mask]
        if len(bad):
            index = bad.index[0]
            raise DataError(
                res.path, f"{bad.iloc[0]!r} is not {expected}", row=_line(index), column=name
            )

    if kind == "integer":
        fail(~present.str.fullmatch(r"[+-]?\d+"), "an integer")
        return pd.to_numeric(raw.where(~empty, None)).astype("Int64")
    if kind == "number":
        numbers = pd.to_numeric(present, errors="coerce")
        fail(numbers.isna(), "a number")
        return pd.to_numeric(raw.where(~empty, None)).astype("Float64")
    if kind == "boolean":
        truthy = field.get("trueValues", ["true"])
        falsy = field.get("falseValues", ["false"])
        fail(~present.isin(truthy + falsy), f"a boolean ({'/'.join(truthy + falsy)})")
        values = raw.map(lambda v: None if v == "" else v in truthy)
        return values.astype("boolean")
    if kind == "date":
        fail(~present.str.fullmatch(r"\d{4}-\d{2}-\d{2}"), "a date (YYYY-MM-DD)")
        parsed = pd.to_datetime(present, format="%Y-%m-%d", errors="coerce")
        fail(parsed.isna(), "a valid calendar date")
        return pd.to_datetime(raw.where(~empty, None), format="%Y-%m-%d")
    if kind == "string":
        enum = field.get("constraints", {}).get("enum")
        if enum is not None:
            fail(~present.isin(enum), "one of " + ", ".join(map(repr, enum)))
            return pd.Categorical(raw.where(~empty, None), categories=enum)
        return raw.where(~empty, None).astype("string")
    raise DataError(res.path, f"unsupported field type {kind!r} in {PACKAGE_FILE}", column=name)


def _check_constraints(res: Resource, field: dict[str, Any], values: Any, raw: pd.Series) -> None:
    constraints = field.get("constraints", {})
    name = field["name"]
    series = pd.Series(values, index=raw.index)
    if "minimum" in constraints or "maximum" in constraints:
        low, high = constraints.get("minimum"), constraints.get("maximum")
        out = pd.Series(False, index=series.index)
        if low is not None:
            out |= (series < low).fillna(False)
        if high is not None:
            out |= (series > high).fillna(False)
        if out.any():
            index = out.idxmax()
            raise DataError(
                res.path,
                f"{raw[index]!r} is outside the allowed range [{low}, {high}]",
                row=_line(index),
                column=name,
            )
    pattern = constraints.get("pattern")
    if pattern is not None:
        present = raw[raw.ne("")]
        bad = present[~present.str.fullmatch(pattern)]
        if len(bad):
            raise DataError(
                res.path,
                f"{bad.iloc[0]!r} does not match the pattern {pattern}",
                row=_line(bad.index[0]),
                column=name,
            )
    if constraints.get("unique"):
        present = series[series.notna()]
        duplicated = present[present.duplicated()]
        if len(duplicated):
            raise DataError(
                res.path,
                f"{duplicated.iloc[0]!r} appears more than once",
                row=_line(duplicated.index[0]),
                column=name,
            )


def _check_primary_key(res: Resource, frame: pd.DataFrame) -> None:
    key = res.primary_key
    if not key:
        return
    duplicated = frame.duplicated(subset=key, keep="first")
    if duplicated.any():
        index = duplicated.idxmax()
        first = frame.index[(frame[key] == frame.loc[index, key]).all(axis=1)][0]
        values = ", ".join(f"{k}={frame.loc[index, k]}" for k in key)
        raise DataError(
            res.path,
            f"duplicate key ({values}); first seen on line {_line(first)}",
            row=_line(index),
            column=", ".join(key),
        )


def _check_foreign_keys(res: Resource, frame: pd.DataFrame, data_dir: Path) -> None:
    for fk in res.schema.get("foreignKeys", []):
        fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        ref = fk["reference"]
        ref_name = ref.get("resource") or res.name
        ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
        target = frame if ref_name == res.name else _load_cached(ref_name, data_dir)
        known = set(map(tuple, target[ref_fields].astype(object).itertuples(index=False)))
        values = frame[fields].astype(object)
        for index, row in zip(values.index, values.itertuples(index=False), strict=True):
            if any(pd.isna(v) for v in row):
                continue
            if tuple(row) not in known:
                shown = ", ".join(str(v) for v in row)
                raise DataError(
                    res.path,
                    f"{shown!r} is not a known {'/'.join(ref_fields)} in dataset '{ref_name}'",
                    row=_line(index),
                    column=", ".join(fields),
                )


EUROPE_MAP = "europe.topo.json"


def load_europe_map(data_dir: Path | None = None) -> dict[str, Any]:
    """The TopoJSON map of Europe (object ``countries``; each geometry's id is an alpha-2 code).

    Derived from Natural Earth by ``scripts/make_europe_map.py``.
    """
    path = Path(data_dir or DATA_DIR) / EUROPE_MAP
    if not path.exists():
        raise DataError(path, "map file not found (run scripts/make_europe_map.py)")
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError(path, f"not valid JSON ({error.msg})", row=error.lineno) from None
    geometries = topology.get("objects", {}).get("countries", {}).get("geometries")
    if topology.get("type") != "Topology" or not geometries:
        raise DataError(path, "not a TopoJSON topology with a 'countries' object")
    return topology


def source_line(name: str, data_dir: Path | None = None, *, matching: str | None = None) -> str:
    """The 'Source: …' text for charts drawn from dataset ``name``.

    ``matching`` keeps only the dataset's sources whose title contains it (for a chart that
    uses one survey of several, say).
    """
    res = resource(name, data_dir)
    titles = [s["title"] for s in res.sources]
    if matching is not None:
        titles = [t for t in titles if matching in t]
    if not titles:
        wanted = f" matching {matching!r}" if matching else ""
        raise DataError(res.path, f"dataset '{name}' names no source{wanted} in {PACKAGE_FILE}")
    return "; ".join(titles)


def source_titles(source_ids: Iterable[str], data_dir: Path | None = None) -> list[str]:
    """'Title (publisher, date)' for each source id, from the ``sources`` dataset."""
    sources = load_dataset("sources", data_dir).set_index("source_id")
    found = []
    for source_id in dict.fromkeys(source_ids):
        row = sources.loc[source_id]
        found.append(f"{row['title']} ({row['publisher']}, {row['published']})")
    return found


def catalogue(data_dir: Path | None = None) -> pd.DataFrame:
    """One row per dataset: its name, title, number of rows and primary source(s)."""
    rows = []
    for name in dataset_names(data_dir):
        res = resource(name, data_dir)
        rows.append(
            {
                "dataset": name,
                "what it holds": res.title,
                "rows": len(load_dataset(name, data_dir)),
                "main sources": source_line(name, data_dir),
            }
        )
    return pd.DataFrame(rows).set_index("dataset")
