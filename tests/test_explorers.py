"""The kernel-free explorers as specifications: annotated, labelled, small, self-contained."""

from __future__ import annotations

import json
import re

import altair as alt
import pytest

from defence_course import charts, explorers, website_charts
from defence_course.models import council

from .explorer_specs import invalid_values, spec

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
    html = website_charts.site_renderer(specs[name])[0]["text/html"]
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
    with pytest.raises(ValueError, match="unknown explorer 'fleets'"):
        explorers.example("fleets")
    with pytest.raises(TypeError, match="name"):
        explorers.show(None)


@pytest.mark.parametrize("name", list(explorers.EXPLORERS))
def test_show_starts_an_explorer_at_its_settings(monkeypatch, name):
    good = explorers.example(name)
    monkeypatch.setenv(charts.SITE_ENV, "1")
    spec = explorers.show(name, **good).to_dict()
    assert {p["name"]: p.get("value") for p in spec["params"] if p["name"] in good} == good
    assert spec["usermeta"]["defence_course"]["explorer"] == name  # the URL's prefix
    for setting in good:
        for bad in invalid_values(name, setting):
            message = f"^{name}: setting '{setting}' must be .*, not {re.escape(repr(bad))}$"
            with pytest.raises(ValueError, match=message):
                explorers.show(name, **{setting: bad})

    monkeypatch.delenv(charts.SITE_ENV)
    signals = explorers.show(name, **good).view.signals
    if name == "council":  # the notebook sets every state's vote: no preset, the same vote
        votes = {
            signal.removeprefix("vote_"): vote
            for signal, vote in signals.items()
            if signal.startswith("vote_")
        }
        in_favour = {code for code, vote in votes.items() if vote == "in favour"}
        assert in_favour == set(council.PRESETS["eastern flank"]) - {"PL"} | {"DE"}
        assert votes["PL"] == "abstains" and votes["FR"] == "against"
        assert signals["p"] == 0.7 and signals["preset"] == "nobody"
    else:
        assert {setting: signals[setting] for setting in good} == good
    with pytest.raises(
        ValueError, match=f"^{name}: unknown setting 'nonsense'; its settings are "
    ) as error:
        explorers.show(name, nonsense=1)
    assert set(good) <= set(str(error.value).split("are ")[1].split(", "))
