"""The website's chart runtime (tools/vega-runtime): the committed bundle is the one the lock file
describes, and it registers every transform the course's compiled charts use."""

from __future__ import annotations

import json
import re
from typing import Any

import altair as alt
import pytest

from defence_course import charts, explorers, figures, sphinxext, website_charts
from defence_course.paths import REPO_ROOT

RUNTIME = REPO_ROOT / "tools" / "vega-runtime"
BANNER_PACKAGE = re.compile(r"^ \*   ((?:@[\w.-]+/)?[\w.-]+)@(\S+) \(", re.M)


def banner() -> str:
    text = sphinxext.VEGA_RUNTIME.read_text(encoding="utf-8")
    return text[: text.index("*/")]


def test_the_committed_bundle_is_the_one_the_lock_file_describes():
    """Change package.json, then `npm install && npm run build`, and commit all three files."""
    lock = json.loads((RUNTIME / "package-lock.json").read_text(encoding="utf-8"))
    manifest = json.loads((RUNTIME / "package.json").read_text(encoding="utf-8"))
    locked = {
        path.rsplit("node_modules/", 1)[1]: entry["version"]
        for path, entry in lock["packages"].items()
        if path.startswith("node_modules/") and "/node_modules/" not in path[len("node_modules/") :]
    }
    bundled = dict(BANNER_PACKAGE.findall(banner()))
    assert {"vega-view", "vega-parser", "vega-tooltip"} <= set(bundled)
    assert {name: locked.get(name) for name in bundled} == bundled
    for name, version in manifest["devDependencies"].items():
        assert locked[name] == version, f"{name}: package.json and package-lock.json disagree"


def test_the_bundle_names_its_licences():
    text = banner()
    assert "BSD-3-Clause" in text and "University of Washington Interactive Data Lab" in text
    assert re.search(r"vega-tooltip@\S+ \(BSD-3-Clause\)", text)


def registered_transforms() -> set[str]:
    found = re.search(r"Transforms: ([\w ]+)", banner())
    assert found, "the banner lists the registered transforms"
    return set(found.group(1).split())


def transform_types(spec: Any) -> set[str]:
    """The transforms a Vega spec names (data and mark transforms, facets)."""
    types: set[str] = set()
    if isinstance(spec, dict):
        for item in spec.get("transform") or []:
            types.add(item["type"].lower())
        if isinstance(spec.get("from"), dict) and "facet" in spec["from"]:
            types.add("facet")
        for key, value in spec.items():
            if key not in ("values", "usermeta"):
                types |= transform_types(value)
    elif isinstance(spec, list):
        for value in spec:
            types |= transform_types(value)
    return types


def course_specs() -> dict[str, dict[str, Any]]:
    charts.setup_notebook()
    specs = {
        f"explorer {name}": explorers.website_version(name).to_dict()
        for name in explorers.EXPLORERS
    }
    for key, function in sorted(figures.all_figures().items()):
        made = function()
        if isinstance(made, alt.TopLevelMixin):  # (some figures are tables)
            specs[key] = made.to_dict()
    return specs


@pytest.fixture(scope="module")
def compiled() -> dict[str, dict[str, Any]]:
    return {name: website_charts.website_vega(spec) for name, spec in course_specs().items()}


def test_the_runtime_registers_the_transforms_the_charts_use(compiled):
    registered = registered_transforms()
    missing = {name: transform_types(spec) - registered for name, spec in compiled.items()}
    assert not {name: types for name, types in missing.items() if types}, (
        "add these transforms to tools/vega-runtime/entry.js and rebuild the bundle"
    )
