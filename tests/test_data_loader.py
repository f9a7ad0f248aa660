"""The loader returns typed frames and rejects corrupted files with a precise message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from defence_course import data
from defence_course.paths import DATA_DIR


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("_incoming"))
    return target


def edit_line(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1], f"test setup: {old!r} not on line {line} of {path.name}"
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def line_of(path: Path, prefix: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith(prefix):
            return number
    raise AssertionError(f"test setup: no line starting {prefix!r} in {path.name}")


@pytest.mark.parametrize("name", data.dataset_names())
def test_every_dataset_loads_with_all_rows(name):
    frame = data.load_dataset(name)
    with open(DATA_DIR / f"{name}.csv", encoding="utf-8") as handle:
        raw = pd.read_csv(handle, dtype=str, keep_default_na=False)
    assert len(frame) == len(raw) > 0, f"{name}: rows were dropped or the file is empty"


def test_columns_are_typed():
    countries = data.load_dataset("countries")
    assert countries["eu_accession_year"].dtype == "Int64"
    assert countries["population"].dtype == "Int64"
    spending = data.load_dataset("defence_spending")
    assert spending["pct_gdp"].dtype == "Float64"
    assert spending["year"].dtype == "Int64"
    assert spending["estimate"].dtype == "boolean"
    incidents = data.load_dataset("incidents")
    assert pd.api.types.is_datetime64_any_dtype(incidents["date"])
    assert isinstance(incidents["kind"].dtype, pd.CategoricalDtype)


def test_loaded_frames_are_copies():
    first = data.load_dataset("countries")
    first.loc[0, "name"] = "changed"
    assert data.load_dataset("countries").loc[0, "name"] != "changed"


def test_missing_file(data_copy):
    (data_copy / "incidents.csv").unlink()
    with pytest.raises(data.DataError, match=r"incidents\.csv: file not found"):
        data.load_dataset("incidents", data_copy)


def test_wrong_column(data_copy):
    path = data_copy / "incidents.csv"
    edit_line(path, 1, "aircraft_count", "aircraft")
    with pytest.raises(data.DataError) as error:
        data.load_dataset("incidents", data_copy)
    message = str(error.value)
    assert "incidents.csv, line 1" in message
    assert "missing column(s) 'aircraft_count'" in message
    assert "unexpected column(s) 'aircraft'" in message


def test_value_of_wrong_type(data_copy):
    path = data_copy / "countries.csv"
    line = line_of(path, "AT,")
    edit_line(path, line, ",1995,", ",nineteen-ninety-five,")
    with pytest.raises(data.DataError) as error:
        data.load_dataset("countries", data_copy)
    assert error.value.row == line
    assert error.value.column == "eu_accession_year"
    assert "'nineteen-ninety-five' is not an integer" in str(error.value)


def test_number_out_of_range(data_copy):
    path = data_copy / "opinion.csv"
    edit_line(path, 2, ",77.0,", ",770.0,")
    with pytest.raises(data.DataError, match=r"opinion\.csv, line 2, column 'value_pct'.*range"):
        data.load_dataset("opinion", data_copy)


def test_duplicate_key(data_copy):
    path = data_copy / "treaty_articles.csv"
    line = line_of(path, "TEU-24-1,")
    edit_line(path, line, "TEU-24-1,", "TEU-4-2,")
    with pytest.raises(data.DataError) as error:
        data.load_dataset("treaty_articles", data_copy)
    assert error.value.row == line
    assert "TEU-4-2" in str(error.value)


def test_unknown_country_code(data_copy):
    path = data_copy / "incidents.csv"
    edit_line(path, 2, ",LT,", ",XX,")
    with pytest.raises(data.DataError) as error:
        data.load_dataset("incidents", data_copy)
    assert (error.value.row, error.value.column) == (2, "country")
    assert "'XX' is not a known country in dataset 'countries'" in str(error.value)


def test_unknown_source(data_copy):
    path = data_copy / "timeline.csv"
    text = path.read_text(encoding="utf-8").split("\n")
    old_source = text[1].rsplit(",", 1)[1]
    edit_line(path, 2, old_source, "no-such-source")
    with pytest.raises(data.DataError, match=r"timeline\.csv, line 2, column 'source_id'"):
        data.load_dataset("timeline", data_copy)


def test_empty_required_value(data_copy):
    path = data_copy / "countries.csv"
    line = line_of(path, "BE,")
    edit_line(path, line, ",Belgium,", ",,")
    with pytest.raises(data.DataError, match=rf"line {line}, column 'name': a value is required"):
        data.load_dataset("countries", data_copy)


def test_value_outside_enum(data_copy):
    path = data_copy / "incidents.csv"
    edit_line(path, 2, ",drone incursion,", ",alien landing,")
    with pytest.raises(data.DataError, match=r"line 2, column 'kind': 'alien landing' is not one"):
        data.load_dataset("incidents", data_copy)


def test_invalid_date(data_copy):
    path = data_copy / "incidents.csv"
    edit_line(path, 2, "2025-07-10", "2025-02-30")
    with pytest.raises(data.DataError, match=r"line 2, column 'date': '2025-02-30' is not a valid"):
        data.load_dataset("incidents", data_copy)


def test_ragged_csv(data_copy):
    path = data_copy / "spending_targets.csv"
    edit_line(path, 3, ",", ",extra,cells,here,")
    with pytest.raises(data.DataError, match=r"spending_targets\.csv.*not a well-formed CSV"):
        data.load_dataset("spending_targets", data_copy)


def test_empty_file(data_copy):
    (data_copy / "timeline.csv").write_text("", encoding="utf-8")
    with pytest.raises(data.DataError, match=r"timeline\.csv: the file is empty"):
        data.load_dataset("timeline", data_copy)


def test_broken_descriptor(data_copy):
    (data_copy / "datapackage.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(data.DataError, match=r"datapackage\.json, line 1: not valid JSON"):
        data.load_dataset("countries", data_copy)


def test_unknown_dataset_name():
    with pytest.raises(KeyError, match="no dataset named 'fleets'.*known: "):
        data.load_dataset("fleets")
