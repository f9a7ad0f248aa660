"""Answers passed *by value*: student objects out as JSON, plain objects back in.

The runner (the process that executes a student's notebook) turns each answer variable into a
small tagged JSON document (:mod:`~defence_course.teach.grader.value_encoding`); the
evaluator (the process that runs the tests and never runs student code) rebuilds plain Python,
numpy and pandas objects (:mod:`~defence_course.teach.grader.value_decoding`). Nothing is ever
pickled, so no student-defined class, ``__eq__`` override or monkeypatch can travel from one
process to the other: whatever the student's objects claim, the evaluator only ever sees
numbers, texts, lists, dicts, DataFrames built from those, and chart specifications
(:class:`ChartSpec`).

Limits keep a hostile value cheap to handle: at most :data:`MAX_ITEMS` items per container,
:data:`MAX_DEPTH` levels of nesting, :data:`MAX_CELLS` DataFrame cells, :data:`MAX_TEXT`
characters per text; anything larger is replaced by a ``too_large`` marker, anything the
encoder does not know by an ``other`` marker (its type name and a short repr).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 12
MAX_ITEMS = 10_000
MAX_CELLS = 200_000
MAX_TEXT = 100_000
MAX_SPEC_CHARS = 5_000_000
ALLOWED_DTYPES = {
    "int64",
    "int32",
    "Int64",
    "Int32",
    "float64",
    "float32",
    "Float64",
    "bool",
    "boolean",
    "object",
    "string",
    "str",
    "category",
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
