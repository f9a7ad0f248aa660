"""Read a Vega-Lite specification the way the exercise tests need it: mark, encodings, data and
the rows that its filters keep.

Charts are checked by their specification, never by their pixels. The filters a student writes
with ``transform_filter`` are applied here to the chart's inline data, so a test can ask "which
rows does this chart show?" whatever way the filter was written: ``alt.datum.kind == 'x'``,
``alt.FieldOneOfPredicate(...)``, ``alt.FieldRangePredicate(...)``, combinations with ``&``,
``|`` and ``~``, or a hand-written expression string. Expressions are parsed with a small
whitelisted evaluator (comparisons, boolean logic, ``datum`` fields and a few Vega functions);
nothing is ever passed to :func:`eval`.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd


class SpecError(ValueError):
    """The specification cannot be read or uses something the checks do not support."""


def top_level(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    """The single-view part of a spec (a layered or concatenated chart is refused)."""
    for key in ("layer", "hconcat", "vconcat", "concat", "facet", "repeat"):
        if key in spec:
            raise SpecError(
                f"it is a combined chart ({key}); this question asks for a single chart with one "
                "mark, e.g. alt.Chart(data).mark_bar().encode(...)"
            )
    return spec


def mark_type(spec: Mapping[str, Any]) -> str | None:
    """The mark type ("bar", "line", …) of a single-view spec."""
    mark = top_level(spec).get("mark")
    if isinstance(mark, Mapping):
        mark = mark.get("type")
    return mark if isinstance(mark, str) else None


def encoding(spec: Mapping[str, Any], channel: str) -> Mapping[str, Any] | None:
    """The encoding of ``channel`` ("x", "y", "color", …), or ``None``."""
    enc = top_level(spec).get("encoding") or {}
    value = enc.get(channel) if isinstance(enc, Mapping) else None
    return value if isinstance(value, Mapping) else None


def inline_rows(spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The rows of the chart's inline data (Altair stores a DataFrame in ``datasets``)."""
    data = top_level(spec).get("data")
    if not isinstance(data, Mapping):
        raise SpecError("it has no data: pass a DataFrame to alt.Chart(...)")
    if "values" in data:
        values = data["values"]
    elif "name" in data:
        values = (spec.get("datasets") or {}).get(data["name"])
    else:
        raise SpecError("its data is loaded from a URL or a file; pass a DataFrame to alt.Chart()")
    if not isinstance(values, list) or not all(isinstance(row, Mapping) for row in values):
        raise SpecError("its data could not be read as a table")
    return [dict(row) for row in values]


def filters(spec: Mapping[str, Any]) -> list[Any]:
    """The predicates of the chart's ``filter`` transforms, in order.

    Any other transform (``calculate``, ``aggregate`` …) raises :class:`SpecError`: the exercises
    ask for filters only, and the rows a chart shows cannot be computed here otherwise.
    """
    result = []
    for step in top_level(spec).get("transform") or []:
        if not isinstance(step, Mapping):
            raise SpecError("one of its transforms could not be read")
        if set(step) == {"filter"}:
            result.append(step["filter"])
        else:
            kind = next(iter(step), "?")
            raise SpecError(
                f"it uses a '{kind}' transform; this question only needs transform_filter "
                "(do other calculations in pandas before making the chart)"
            )
    return result


def filtered_rows(spec: Mapping[str, Any]) -> pd.DataFrame:
    """The inline data rows that pass every filter of the chart, as a DataFrame."""
    rows = inline_rows(spec)
    predicates = [compile_predicate(p) for p in filters(spec)]
    kept = [row for row in rows if all(pred(row) for pred in predicates)]
    columns = list(rows[0].keys()) if rows else []
    return pd.DataFrame(kept, columns=columns)


# ---------------------------------------------------------------------------------------------
# Predicates

Predicate = Callable[[Mapping[str, Any]], bool]


def compile_predicate(pred: Any) -> Predicate:
    """Turn a Vega-Lite predicate (expression string or predicate object) into a function."""
    if isinstance(pred, str):
        tree = parse_expression(pred)
        return lambda row: _truthy(_Evaluator(row).visit(tree))
    if isinstance(pred, bool):
        return lambda row: pred
    if not isinstance(pred, Mapping):
        raise SpecError("one of its filters could not be read")
    if "and" in pred:
        parts = [compile_predicate(p) for p in pred["and"]]
        return lambda row: all(p(row) for p in parts)
    if "or" in pred:
        parts = [compile_predicate(p) for p in pred["or"]]
        return lambda row: any(p(row) for p in parts)
    if "not" in pred:
        part = compile_predicate(pred["not"])
        return lambda row: not part(row)
    if "param" in pred or "selection" in pred:
        raise SpecError("its filter uses a selection parameter; use a fixed condition instead")
    if "field" in pred:
        return _field_predicate(pred)
    raise SpecError(f"its filter {pred!r} is not one the checks understand")


def _field_predicate(pred: Mapping[str, Any]) -> Predicate:
    if "timeUnit" in pred:
        raise SpecError("its filter uses a timeUnit; filter the data in pandas instead")
    field = pred["field"]

    def get(row: Mapping[str, Any]) -> Any:
        return _lookup(row, field)

    if "equal" in pred:
        target = _unwrap(pred["equal"])
        return lambda row: _equal(get(row), target)
    if "oneOf" in pred:
        targets = [_unwrap(v) for v in pred["oneOf"]]
        return lambda row: any(_equal(get(row), t) for t in targets)
    if "range" in pred:
        low, high = (_unwrap(v) for v in pred["range"])
        return lambda row: _in_range(get(row), low, high)
    for key, op in (("lt", "<"), ("lte", "<="), ("gt", ">"), ("gte", ">=")):
        if key in pred:
            target = _unwrap(pred[key])

            def compare(row: Mapping[str, Any], op: str = op, target: Any = target) -> bool:
                return _compare(op, get(row), target)

            return compare
    if "valid" in pred:
        wanted = bool(pred["valid"])
        return lambda row: _is_valid(get(row)) == wanted
    raise SpecError(f"its filter on field '{field}' is not one the checks understand")


def _unwrap(value: Any) -> Any:
    # Date-time objects ({"year": 2025, ...}) are compared as ISO strings.
    if isinstance(value, Mapping) and "year" in value:
        parts = [
            int(value.get("year", 1970)),
            int(value.get("month", 1)),
            int(value.get("date", 1)),
        ]
        return "{:04d}-{:02d}-{:02d}".format(*parts)
    return value


def _lookup(row: Mapping[str, Any], field: str) -> Any:
    if field in row:
        return row[field]
    if "." in field:  # nested access as Vega-Lite does it
        value: Any = row
        for part in field.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return None
            value = value[part]
        return value
    return None


def _is_valid(value: Any) -> bool:
    if value is None:
        return False
    return not (isinstance(value, float) and math.isnan(value))


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        # dates are written as "2025-09-09T00:00:00" by Altair; let "2025-09-09" match them
        return (
            a == b
            or (len(b) == 10 and a.startswith(b + "T"))
            or (len(a) == 10 and b.startswith(a + "T"))
        )
    return a == b


def _compare(op: str, a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    try:
        if op == "<":
            return a < b
        if op == "<=":
            return a <= b
        if op == ">":
            return a > b
        return a >= b
    except TypeError:
        return False


def _in_range(value: Any, low: Any, high: Any) -> bool:
    if value is None:
        return False
    return (low is None or _compare(">=", value, low)) and (
        high is None or _compare("<=", value, high)
    )


def _truthy(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(value)


# ---------------------------------------------------------------------------------------------
# Vega expressions: tokenised, translated to a Python expression tree, evaluated on a whitelist

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)
      | (?P<op>===|!==|==|!=|<=|>=|&&|\|\||[!<>()\[\].,+\-*/%])
      | (?P<name>[A-Za-z_$][A-Za-z0-9_$]*)
    )""",
    re.VERBOSE,
)
_OPS = {"===": "==", "!==": "!=", "&&": " and ", "||": " or ", "!": " not "}
_NAMES = {"null": "None", "true": "True", "false": "False", "undefined": "None"}
_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "isValid": _is_valid,
    "isDefined": lambda v: v is not None,
    "isNumber": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "isString": lambda v: isinstance(v, str),
    "isBoolean": lambda v: isinstance(v, bool),
    "indexof": lambda s, sub: (
        s.find(sub) if isinstance(s, str) else (list(s).index(sub) if sub in list(s) else -1)
    ),
    "lower": lambda s: s.lower() if isinstance(s, str) else s,
    "upper": lambda s: s.upper() if isinstance(s, str) else s,
    "length": lambda s: len(s) if s is not None else 0,
    "toNumber": lambda v: float(v) if v not in (None, "") else None,
    "toString": lambda v: "" if v is None else str(v),
    "year": lambda v: int(str(v)[:4]) if v else None,
    "inrange": lambda v, r: _in_range(v, r[0], r[1]),
}


def parse_expression(text: str) -> ast.Expression:
    """Parse a Vega expression into a Python expression tree (raises :class:`SpecError`)."""
    pieces, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise SpecError(f"its filter expression {text!r} could not be read")
        pos = match.end()
        if match.group("string") is not None:
            pieces.append(repr(ast.literal_eval(match.group("string"))))
        elif match.group("number") is not None:
            pieces.append(match.group("number"))
        elif match.group("op") is not None:
            pieces.append(_OPS.get(match.group("op"), match.group("op")))
        else:
            name = match.group("name")
            pieces.append(_NAMES.get(name, name))
    try:
        return ast.parse(" ".join(pieces), mode="eval")
    except SyntaxError:
        raise SpecError(f"its filter expression {text!r} could not be read") from None


class _Evaluator(ast.NodeVisitor):
    def __init__(self, row: Mapping[str, Any]) -> None:
        self.row = row

    def generic_visit(self, node: ast.AST) -> Any:
        raise SpecError(
            "its filter expression uses something the checks do not support "
            f"({type(node).__name__}); write it as alt.datum.field == value"
        )

    def visit_Expression(self, node: ast.Expression) -> Any:
        return self.visit(node.body)

    def visit_Constant(self, node: ast.Constant) -> Any:
        return node.value

    def visit_List(self, node: ast.List) -> Any:
        return [self.visit(e) for e in node.elts]

    def visit_Name(self, node: ast.Name) -> Any:
        if node.id == "datum":
            return self.row
        raise SpecError(f"its filter expression uses an unknown name '{node.id}'")

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        base = self.visit(node.value)
        return base.get(node.attr) if isinstance(base, Mapping) else None

    def visit_Subscript(self, node: ast.Subscript) -> Any:
        base = self.visit(node.value)
        key = self.visit(node.slice)
        if isinstance(base, Mapping):
            return base.get(key)
        return None

    def visit_BoolOp(self, node: ast.BoolOp) -> Any:
        if isinstance(node.op, ast.And):
            return all(_truthy(self.visit(v)) for v in node.values)
        return any(_truthy(self.visit(v)) for v in node.values)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Any:
        value = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return not _truthy(value)
        if isinstance(node.op, ast.USub) and isinstance(value, int | float):
            return -value
        if isinstance(node.op, ast.UAdd) and isinstance(value, int | float):
            return value
        return self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        left, right = self.visit(node.left), self.visit(node.right)
        ops = {
            ast.Add: lambda a, b: a + b,
            ast.Sub: lambda a, b: a - b,
            ast.Mult: lambda a, b: a * b,
            ast.Div: lambda a, b: a / b if b else None,
            ast.Mod: lambda a, b: a % b if b else None,
        }
        func = ops.get(type(node.op))
        if func is None:
            return self.generic_visit(node)
        try:
            return func(left, right)
        except TypeError:
            return None

    def visit_Compare(self, node: ast.Compare) -> Any:
        left = self.visit(node.left)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.visit(comparator)
            if isinstance(op, ast.Eq):
                ok = _equal(left, right)
            elif isinstance(op, ast.NotEq):
                ok = not _equal(left, right)
            elif isinstance(op, ast.Lt):
                ok = _compare("<", left, right)
            elif isinstance(op, ast.LtE):
                ok = _compare("<=", left, right)
            elif isinstance(op, ast.Gt):
                ok = _compare(">", left, right)
            elif isinstance(op, ast.GtE):
                ok = _compare(">=", left, right)
            else:
                return self.generic_visit(op)
            if not ok:
                return False
            left = right
        return True

    def visit_Call(self, node: ast.Call) -> Any:
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS or node.keywords:
            name = getattr(node.func, "id", "?")
            raise SpecError(
                f"its filter expression calls '{name}', which the checks do not "
                "support; write it as alt.datum.field == value"
            )
        args = [self.visit(a) for a in node.args]
        try:
            return _FUNCTIONS[node.func.id](*args)
        except (TypeError, ValueError, IndexError):
            return None
