"""The attrition notebook explorer, driven headlessly."""

from __future__ import annotations

import pytest

from defence_course import charts
from defence_course.explorers.attrition.notebook import AttritionExplorer


@pytest.fixture(scope="module")
def ui():
    return AttritionExplorer()


def notes(ui):
    return charts.chart_annotations(ui.chart.to_dict())


def test_defaults_give_the_sourced_result(ui):
    ui.reset()
    assert "15.8 nights" in ui.result.value and "37.0 USD" in ui.result.value
    assert notes(ui)["source"] and notes(ui)["description"]
    assert ui.drones.value == 201 and ui.stock.value == 1000
    assert ui.view.signals["drones"] == 201 and ui.view.signals["stock"] == 1000


def test_more_drones_exhaust_the_stock_sooner(ui):
    ui.reset()
    ui.drones.value = 300
    assert "nights" in ui.result.value and "10.5 nights" in ui.result.value
    assert ui.view.signals["drones"] == 300  # the drawn chart has the new number of drones
    ui.reset()
    assert "15.8 nights" in ui.result.value


def test_production_that_keeps_up_means_the_stock_never_runs_out(ui):
    ui.reset()
    ui.missile_share.value = 0
    assert "never runs out" in ui.result.value
    ui.stock.value = 0
    ui.missile_share.value = 50
    assert "no stock" in ui.result.value
    ui.reset()


def test_costs_change_the_exchange_ratio(ui):
    ui.reset()
    ui.drone_cost.value = 70_000
    assert "18.5 USD" in ui.result.value
    ui.interceptor_cost.value = 126_500
    assert "0.6 USD" in ui.result.value
    ui.reset()


def test_assumptions_are_labelled(ui):
    assert "(assumption)" in ui.stock.description
    assert "(assumption)" in ui.missile_share.description
    assert "(assumption)" not in ui.drones.description
    assert ui.sources.value.count("No sourced default: assumption") == 2
    assert "Ukraine increasing intensity" in ui.sources.value
    assert ui.widget.children[-1] is ui.sources
