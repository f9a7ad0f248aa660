"""The kernel-free explorers as specifications: annotated, labelled, small, self-contained."""

from __future__ import annotations

import json
import re

import altair as alt
import pytest

from defence_course import charts, explorers
from defence_course.models import council

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


# Per explorer: settings it takes (the names of the website's URL), one value that its input
# cannot take, and the error's wording for it.
SETTINGS = {
    "attrition": (
        {"drones": 400, "production": 51.67},
        {"drones": 5000},
        "'drones' must be a number from 74 to 810 in steps of 1, not 5000",
    ),
    "opinion": (
        {"question": "lgc-2025-12-trump-enemy-of-europe", "country": "PL"},
        {"country": "XX"},
        "'country' must be one of 'none', ",
    ),
    "fleet": (
        {"moved_pct": 50, "include_turkey": False},
        {"include_turkey": "no"},
        "'include_turkey' must be True or False, not 'no'",
    ),
    "obligations": (
        {"country": "IE", "eu_pct": 40},
        {"eu_pct": 42},
        "'eu_pct' must be a number from 0 to 100 in steps of 5, not 42",
    ),
    "council": (
        {"preset": "eastern flank", "vote_PL": "abstains", "vote_DE": "in favour", "p": 0.7},
        {"vote_PL": "yes"},
        "'vote_PL' must be one of 'as preset', 'in favour', 'against', 'abstains', not 'yes'",
    ),
}


@pytest.mark.parametrize("name", list(explorers.EXPLORERS))
def test_show_starts_an_explorer_at_its_settings(monkeypatch, name):
    good, bad, message = SETTINGS[name]
    monkeypatch.setenv(charts.SITE_ENV, "1")
    spec = explorers.show(name, **good).to_dict()
    assert {p["name"]: p.get("value") for p in spec["params"] if p["name"] in good} == good
    assert spec["usermeta"]["defence_course"]["explorer"] == name  # the URL's prefix
    with pytest.raises(ValueError, match=f"^{name}: setting {re.escape(message)}"):
        explorers.show(name, **bad)

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
