"""The fleet what-if notebook explorer, driven headlessly."""

from __future__ import annotations

import pytest

from defence_course import charts
from defence_course.widgets.fleet import FleetExplorer


@pytest.fixture(scope="module")
def ui():
    return FleetExplorer()


def europe(ui):
    values = next(iter(ui.chart.to_dict()["datasets"].values()))
    return {v["when"]: v["share"] for v in values if v["area"].startswith("Europe-wide")}


def test_defaults(ui):
    ui.reset()
    assert "<b>46.3%</b> of combat aircraft are US-made today" in ui.result.value
    assert "different reference years" in ui.result.value
    assert europe(ui)["after planned deliveries"] == pytest.approx(50.9, abs=0.05)
    assert "different reference years" in charts.chart_annotations(
        ui.chart.to_dict())["description"]


def test_switching_f35s_lowers_the_dependence(ui):
    ui.reset()
    ui.moved.value = 100
    assert "Switching 100% of the 411 F-35s" in ui.result.value
    assert europe(ui)["after planned deliveries"] < europe(ui)["today"]
    ui.reset()


def test_turkey_and_announced_switches(ui):
    ui.reset()
    ui.include_turkey.value = False
    assert "(without Türkiye)" in ui.result.value and "<b>38.7%</b>" in ui.result.value
    assert "Türkiye" not in {v["area"] for v in
                             next(iter(ui.chart.to_dict()["datasets"].values()))}
    ui.include_announced.value = False
    assert "(contracted orders only)" in ui.result.value
    ui.reset()
    assert ui.include_turkey.value and ui.include_announced.value
