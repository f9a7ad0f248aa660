"""Derived data files are exactly what their scripts produce from the committed inputs."""

from __future__ import annotations

import importlib.util

import pytest

from defence_course import data
from defence_course.paths import REPO_ROOT


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_europe_map_matches_its_script():
    script = load_script("make_europe_map")
    committed = (REPO_ROOT / "data" / "europe.topo.json").read_text(encoding="utf-8")
    assert committed == script.render(), "data/europe.topo.json is stale: run the script"


def test_europe_map_covers_every_european_member_state():
    topology = data.load_europe_map()
    drawn = {g["id"] for g in topology["objects"]["countries"]["geometries"]}
    countries = data.load_dataset("countries")
    european = countries[~countries["country"].isin(["US", "CA"])]
    missing = set(european["country"]) - drawn
    assert not missing, f"states missing from the map: {sorted(missing)}"


def test_broken_map_is_reported(tmp_path):
    (tmp_path / "europe.topo.json").write_text('{"type": "Feature"}', encoding="utf-8")
    with pytest.raises(data.DataError, match="not a TopoJSON topology"):
        data.load_europe_map(tmp_path)


def test_references_match_the_sources_table():
    script = load_script("make_references")
    committed = (REPO_ROOT / "references.bib").read_text(encoding="utf-8")
    assert committed == script.render(), "references.bib is stale: run scripts/make_references.py"


def test_bibliography_groups_are_current() -> None:
    script = load_script("make_references")
    committed = (REPO_ROOT / "bibliography.md").read_text(encoding="utf-8")
    assert committed == script.render_bibliography_page(committed), (
        "bibliography.md's groups are stale: run scripts/make_references.py"
    )
    assert ':filter: cited and keywords == "official"' in committed
