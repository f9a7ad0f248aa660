"""The checking helpers, the chart-filter reader and the by-value answer transport."""

from __future__ import annotations

import json
import math

import altair as alt
import numpy as np
import pandas as pd
import pytest

from defence_course import data
from defence_course.teach import checks, vegalite
from defence_course.teach.grader import value_decoding, value_encoding, values

BAD_VALUES = {
    "None": None,
    "Ellipsis": ...,
    "text": "4",
    "NaN": float("nan"),
    "numpy NaN": np.float64("nan"),
    "pandas NA": pd.NA,
    "list": [1, 2],
    "dict": {"a": 1},
    "Series": pd.Series([4]),
    "DataFrame": pd.DataFrame({"a": [1]}),
    "bool": True,
    "object": object(),
    "function": len,
    "complex": 1 + 2j,
}


def _message(func, *args, **kwargs) -> str:
    with pytest.raises(checks.AnswerError) as caught:
        func(*args, **kwargs)
    text = str(caught.value)
    assert text and "Traceback" not in text
    return text


@pytest.mark.parametrize("label", list(BAD_VALUES))
def test_number_explains_every_wrong_kind(label: str) -> None:
    message = _message(checks.number, BAD_VALUES[label], "answer", whole=True)
    assert "`answer`" in message


@pytest.mark.parametrize("label", list(BAD_VALUES))
def test_dataframe_choice_codes_chart_and_bool_explain_every_wrong_kind(label: str) -> None:
    value = BAD_VALUES[label]
    if label != "DataFrame":
        _message(checks.dataframe, value, "table", columns=["a"])
    _message(checks.choice, value, "letter", ["a", "b"])
    if label not in {"list"}:
        _message(checks.codes, value, "codes")
    _message(checks.chart, value, "chart")
    if label != "bool":
        _message(checks.true_or_false, value, "flag")


def test_messages_say_what_was_expected() -> None:
    assert "Remove the quotes" in _message(checks.number, "4", "n")
    assert "NaN" in _message(checks.number, float("nan"), "n")
    assert "still `...`" in _message(checks.number, ..., "n")
    assert "None or not defined" in _message(checks.number, None, "n")
    assert ".item()" in _message(checks.number, pd.Series([3]), "n")
    assert "pd.DataFrame" in _message(checks.dataframe, [1, 2], "t")
    assert ".reset_index()" in _message(checks.dataframe, pd.Series([1]), "t")
    assert "missing the column(s) 'b'" in _message(
        checks.dataframe, pd.DataFrame({"a": [1]}), "t", columns=["a", "b"]
    )
    assert "whole number" in _message(checks.number, 2.5, "n", whole=True)
    assert "cannot be right" in _message(checks.number, 40, "n", low=0, high=27)
    assert "without quotes" in _message(checks.true_or_false, "True", "flag")
    assert "one of" in _message(checks.choice, "e", "letter", ["a", "b"])


def test_good_answers_pass() -> None:
    assert checks.number(np.int64(4), "n", whole=True, low=0, high=27) == 4
    assert checks.number(4.0, "n", whole=True) == 4
    assert checks.choice(" (B) ", "letter", ["a", "b"]) == "b"
    assert checks.codes(pd.Series(["IE", "AT"]), "c") == ["AT", "IE"]
    assert checks.true_or_false(np.bool_(False), "flag") is False
    checks.close_to(229.0, 228.6, "r", tolerance=0.5)
    hidden = _message(checks.close_to, 200, 228.57, "r", tolerance=0.5)
    assert "228" not in hidden  # a hidden check never gives the expected value away


def test_same_table_matches_rows_whatever_their_order() -> None:
    expected = pd.DataFrame({"country": ["DE", "LT"], "incidents": [3, 3]})
    checks.same_table(expected.iloc[::-1], expected, "t", key="country", columns=["incidents"])
    wrong = expected.assign(incidents=[3, 2])
    assert "LT" in _message(
        checks.same_table, wrong, expected, "t", key="country", columns=["incidents"]
    )
    assert "order" in _message(
        checks.same_table,
        expected.iloc[::-1],
        expected,
        "t",
        key="country",
        columns=["incidents"],
        ordered=True,
    )


# ---------------------------------------------------------------------------------------------
# Charts


@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    return data.load_dataset("incidents")


DRONES = ["drone incursion", "drone sightings"]


@pytest.mark.parametrize(
    "predicate",
    [
        alt.FieldOneOfPredicate(field="kind", oneOf=DRONES),
        (alt.datum.kind == DRONES[0]) | (alt.datum.kind == DRONES[1]),
        ~(alt.datum.kind == "manned aircraft violation"),
        "datum.kind !== 'manned aircraft violation'",
        "indexof(datum.kind, 'drone') == 0",
        {"or": [{"field": "kind", "equal": DRONES[0]}, {"field": "kind", "equal": DRONES[1]}]},
    ],
)
def test_filters_are_read_whatever_way_they_are_written(incidents, predicate) -> None:
    chart = alt.Chart(incidents).mark_bar().encode(x="country:N", y="count():Q")
    spec = checks.chart(chart.transform_filter(predicate), "c")
    shown = checks.filtered_rows(spec, "c")
    assert sorted(shown["kind"]) == sorted(incidents.loc[incidents["kind"].isin(DRONES), "kind"])


def test_null_and_range_filters(incidents) -> None:
    countries = data.load_dataset("countries")
    base = alt.Chart(countries).mark_bar().encode(x="population:Q", y="name:N")
    for predicate in (
        alt.datum.eu_accession_year != None,  # noqa: E711 - Altair expression
        alt.FieldValidPredicate(field="eu_accession_year", valid=True),
        alt.FieldRangePredicate(field="eu_accession_year", range=[1950, 2030]),
    ):
        shown = vegalite.filtered_rows(base.transform_filter(predicate).to_dict())
        assert len(shown) == countries["eu_accession_year"].notna().sum()


def test_chart_checks_explain_problems(incidents) -> None:
    chart = alt.Chart(incidents).mark_line().encode(x="date:T", y="count():Q")
    spec = checks.chart(chart, "c")
    assert "mark_bar()" in _message(checks.chart_mark, spec, "c", "bar")
    assert "'country'" in _message(checks.chart_encoding, spec, "c", "x", field="country")
    assert "no color encoding" in _message(checks.chart_encoding, spec, "c", "color")
    assert "no filter" in _message(checks.filtered_rows, spec, "c")
    layered = chart + chart
    assert "single chart" in _message(checks.chart, layered, "c")
    calc = chart.transform_calculate(y2="datum.aircraft_count * 2")
    assert "transform_filter" in _message(checks.filtered_rows, checks.chart(calc, "c"), "c")
    assert "could not be read" in _message(
        checks.filtered_rows, checks.chart(chart.transform_filter("datum.kind ==="), "c"), "c"
    )
    assert "not support" in _message(
        checks.filtered_rows, checks.chart(chart.transform_filter("__import__('os')"), "c"), "c"
    )


# ---------------------------------------------------------------------------------------------
# Values travel by value


class AlwaysEqual(int):
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = int.__hash__


class Anything:
    def __eq__(self, other: object) -> bool:
        return True

    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")


def test_values_round_trip_plain_data(incidents) -> None:
    chart = alt.Chart(incidents).mark_bar().encode(x="country:N", y="count():Q")
    answers = {
        "n": np.int64(4),
        "x": 2.5,
        "nan": float("nan"),
        "s": "a",
        "b": True,
        "none": None,
        "dots": ...,
        "codes": ["AT", "IE"],
        "table": incidents,
        "series": incidents["country"].value_counts(),
        "chart": chart,
        "nested": {"k": [1, (2, 3)]},
    }
    back = value_decoding.loads(value_encoding.dumps(answers))
    assert back["n"] == 4 and isinstance(back["n"], np.integer)
    assert math.isnan(back["nan"]) and back["s"] == "a" and back["b"] is True
    assert back["none"] is None and back["dots"] is Ellipsis
    pd.testing.assert_frame_equal(back["table"], incidents, check_dtype=False)
    assert back["series"].to_dict() == incidents["country"].value_counts().to_dict()
    assert back["chart"].to_dict() == chart.to_dict()
    assert back["nested"] == {"k": [1, (2, 3)]}


def test_hostile_values_arrive_as_plain_data() -> None:
    back = value_decoding.loads(
        value_encoding.dumps(
            {"a": AlwaysEqual(0), "b": Anything(), "c": [[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]}
        )
    )
    assert type(back["a"]) is int and back["a"] == 0 and back["a"] != 6
    assert isinstance(back["b"], values.Unsupported) and back["b"] != 6
    assert "too deeply" in repr(_deepest(back["c"]))
    with pytest.raises(checks.AnswerError):
        checks.number(back["b"], "b")


def _deepest(value):
    while isinstance(value, list):
        value = value[0]
    return value


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"not json",
        b"[]",
        b'{"a": {"t": "int", "v": "six"}}',
        b'{"a": {"t": "evil"}}',
        b'{"a": {"t": "dataframe", "columns": [{"name": {"t": "str", "v": "x"}, "values": [1, 2]},'
        b' {"name": {"t": "str", "v": "y"}, "values": [1]}]}}',
        b'{"a": {"t": "dataframe", "columns": [{"name": {"t": "str", "v": "x"}, "values": [1],'
        b' "dtype": "evil"}]}}',
        b'{"a": ' * 5000 + b"1" + b"}" * 5000,
    ],
)
def test_malformed_answer_documents_never_escape_as_exceptions(payload: bytes) -> None:
    try:
        back = value_decoding.loads(payload)
    except value_decoding.DecodeError:
        return
    json.dumps({k: repr(v) for k, v in back.items()})
