"""The kernel-free explorers as specifications: annotated, labelled, small, self-contained."""

from __future__ import annotations

import json

import altair as alt
import pytest

from defence_course import charts, explorers

from .explorer_specs import spec

PAGE_BUDGET = 350 * 1024  # page-specific bytes allowed per chapter


@pytest.fixture(scope="module")
def specs():
    return {name: spec(name) for name in explorers.EXPLORERS}


@pytest.mark.parametrize("name", list(explorers.EXPLORERS))
def test_explorer_is_annotated_and_labelled(specs, name):
    spec = specs[name]
    notes = charts.chart_annotations(spec)
    assert notes["title"] and notes["source"], name
    assert notes["description"] and len(notes["description"]) > 80
    bound = [p for p in spec["params"] if "bind" in p]
    assert bound, f"{name}: no input is bound"
    for param in bound:
        assert param["bind"].get("name", "").strip(), f"{name}: input {param['name']} unlabelled"


@pytest.mark.parametrize("name", list(explorers.EXPLORERS))
def test_explorer_is_small_and_self_contained(specs, name):
    html = charts.site_renderer(specs[name])[0]["text/html"]
    assert len(html.encode()) < PAGE_BUDGET / 3, f"{name}: {len(html.encode())} bytes"
    text = json.dumps(specs[name], allow_nan=False)  # browsers reject NaN in JSON
    for host in ("cdn", "jsdelivr", "unpkg", "googleapis"):
        assert host not in text
    assert "http" not in html.replace("https://vega.github.io/schema", "")


def test_show_picks_the_version_for_the_context(monkeypatch):
    monkeypatch.setenv(charts.SITE_ENV, "1")
    assert isinstance(explorers.show("fleet"), alt.TopLevelMixin)
    monkeypatch.delenv(charts.SITE_ENV)
    notebook = explorers.show("fleet")
    assert type(notebook).__name__ == "FleetExplorer" and "result" in vars(notebook)
    with pytest.raises(ValueError, match="unknown explorer 'fleets'"):
        explorers.show("fleets")
    with pytest.raises(TypeError, match="name"):
        explorers.show(None)
