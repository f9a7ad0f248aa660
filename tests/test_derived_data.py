"""Derived data files are exactly what their scripts produce from the committed inputs."""

from __future__ import annotations

import importlib.util

import pytest

from defence_course import data
from defence_course.paths import REPO_ROOT
from defence_course.projection import decode_arcs


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


def largest_ring_area(topology: dict, geometry: dict) -> float:
    """The area (in grid units) of the largest ring of a state's outline."""
    arcs = decode_arcs(topology)  # degrees
    sx, sy = topology["transform"]["scale"]
    largest = 0.0
    for polygon in geometry["arcs"]:
        ring = [p for i in polygon[0] for p in (arcs[i] if i >= 0 else arcs[~i][::-1])]
        area = (
            abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)))
            / 2
        )
        largest = max(largest, area / (sx * sy))
    return largest


def test_simplified_map_keeps_every_state_visible():
    """Simplifying the borders must not flatten a small state (Malta, Luxembourg) to nothing:
    each keeps an outline of at least a grid cell's area."""
    topology = data.load_europe_map()
    flat = [
        g["id"]
        for g in topology["objects"]["countries"]["geometries"]
        if largest_ring_area(topology, g) < 1
    ]
    assert not flat, f"states drawn without an area: {flat}"
    # Malta, the smallest EU state, keeps a shape of its own (over 20 grid cells).
    malta = next(g for g in topology["objects"]["countries"]["geometries"] if g["id"] == "MT")
    assert largest_ring_area(topology, malta) > 20


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
