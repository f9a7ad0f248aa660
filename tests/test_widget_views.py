"""Every notebook explorer draws the website explorer's chart and moves it by its signals."""

from __future__ import annotations

import pytest

from defence_course import explorers
from defence_course.widgets._common import ChartView, unbound_spec


@pytest.fixture(scope="module", params=list(explorers.EXPLORERS))
def ui(request):
    return explorers.notebook_version(request.param)


def test_the_chart_is_the_website_explorer_without_its_html_inputs(ui):
    website = ui.chart.to_dict()
    assert any("bind" in param for param in website["params"])  # the website's own inputs
    drawn = ui.view.spec
    assert not any("bind" in param for param in drawn["params"])  # replaced by ipywidgets
    assert [p["name"] for p in drawn["params"]] == [p["name"] for p in website["params"]]
    assert drawn["vconcat"] == website["vconcat"]  # same views, same data


def test_the_chart_starts_where_the_controls_are(ui):
    starting = {p["name"]: p["value"] for p in ui.view.spec["params"] if "value" in p}
    for name, value in ui.view.signals.items():
        assert starting[name] == value, name
    assert ui.view.view.spec == ui.view.spec  # what the page draws


def test_a_control_change_sends_only_the_changed_signal():
    view = ChartView(explorers.website_version("attrition"), {"drones": 201.0})
    view.set({"drones": 201.0})
    assert view.view._py_to_js_updates is None  # nothing changed, nothing sent
    view.set({"drones": 250.0, "stock": 1000})
    names = [u["name"] for u in view.view._py_to_js_updates]
    assert "drones" in names and view.signals["drones"] == 250.0


def test_a_signal_the_chart_lacks_is_an_error():
    with pytest.raises(ValueError, match="no signal nights_left"):
        unbound_spec(explorers.website_version("attrition"), {"nights_left": 3})
