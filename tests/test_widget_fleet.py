"""The fleet what-if notebook explorer, driven headlessly."""

from __future__ import annotations

import pandas as pd
import pytest

from defence_course import charts, data
from defence_course.explorers.fleet.notebook import FleetExplorer
from defence_course.models import fleet


@pytest.fixture(scope="module")
def ui():
    return FleetExplorer()


def test_defaults(ui):
    ui.reset()
    assert "<b>46.0%</b> of combat aircraft are US-made today" in ui.result.value
    assert "refer to different years" in ui.result.value and "Switzerland" in ui.result.value
    # 50.0 % since France's own order for 42 Rafales (January 2024) was added and the
    # Netherlands' F-35s follow Kamerstuk 26 488 nr. 476 (52 ordered, 39 delivered; issue 11).
    assert "After all planned deliveries: <b>50.0%</b>" in ui.result.value
    assert charts.chart_annotations(ui.chart.to_dict())["description"]
    assert ui.view.signals == {"moved_pct": 0, "include_turkey": True, "announced": True}


def test_switching_f35s_lowers_the_dependence(ui):
    ui.reset()
    ui.moved.value = 100
    assert "Switching 100% of the 416 F-35s" in ui.result.value
    after = float(
        ui.result.value.split("European types (Eurofighter, Rafale, Gripen) gives <b>")[1].split(
            "%"
        )[0]
    )
    assert after < 46.0  # below today's share
    assert ui.view.signals["moved_pct"] == 100
    ui.reset()


def test_turkey_and_announced_switches(ui):
    ui.reset()
    ui.include_turkey.value = False
    assert "(without Türkiye)" in ui.result.value and "<b>38.3%</b>" in ui.result.value
    assert ui.view.signals["include_turkey"] is False
    ui.include_announced.value = False
    assert "(contracted orders only)" in ui.result.value
    assert ui.view.signals["announced"] is False
    ui.reset()
    assert ui.include_turkey.value and ui.include_announced.value


def expected_years(moved: float, include_turkey: bool = True) -> pd.DataFrame:
    frames = data.load_dataset("fighter_fleets"), data.load_dataset("fighter_orders")
    rates = fleet.sourced_rates(data.load_dataset("fighter_production"))
    coming = fleet.coming_by_family(*frames, include_turkey=include_turkey)
    return fleet.delivery_years({f: n for f, n in coming.items() if f in rates}, rates, moved)


def test_years_of_deliveries_text(ui):
    ui.reset()
    text = ui.result.value
    assert "(F-35 156, Eurofighter 14, Rafale 28, Gripen 36 a year)" in text
    assert "F-35 <b>2.7 → 2.7</b>" in text and "Eurofighter <b>10.5 → 10.5</b>" in text
    assert "switching 0 F-35s" in text and "whole output" in text
    assert "Orders for F-16 and FA-50 have no sourced rate" in text
    ui.moved.value = 100
    years = expected_years(1.0)
    # 416 F-35s / 156 a year = 2.7 years; shared 14:28:36, they add 416 / 78 = 5.3 years to
    # each European line: Eurofighter 147 / 14 = 10.5 → 15.8 years.
    assert "switching 416 F-35s: F-35 <b>2.7 → 0.0</b>" in ui.result.value
    assert "Eurofighter <b>10.5 → 15.8</b>" in ui.result.value
    gripen = years.loc["Gripen"]
    assert f"Gripen <b>{gripen['years']:.1f} → {gripen['years_after']:.1f}</b>" in ui.result.value
    assert "adding 5.3 years to each European line" in ui.result.value
    assert "take <b>10.5 → 15.8</b> years" in ui.result.value
    ui.include_turkey.value = False  # Türkiye's 20 Eurofighters leave the queue
    assert "Eurofighter <b>9.1 → 14.4</b>" in ui.result.value
    assert ui.years.loc["Eurofighter", "coming"] == 127
    ui.reset()
