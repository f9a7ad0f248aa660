"""Fleet model: US-made share of combat fleets today and after planned deliveries."""

from __future__ import annotations

import csv

import pytest

from defence_course import data
from defence_course.models import fleet
from defence_course.paths import DATA_DIR


@pytest.fixture(scope="module")
def frames():
    return data.load_dataset("fighter_fleets"), data.load_dataset("fighter_orders")


def test_share_today_by_hand_from_the_csv(frames):
    fleets, _ = frames
    with open(DATA_DIR / "fighter_fleets.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    us = sum(int(r["in_service"]) for r in rows if r["origin"] == "US")
    total = sum(int(r["in_service"]) for r in rows)
    assert fleet.us_share_today(fleets) == pytest.approx(us / total)
    us_tr = sum(int(r["in_service"]) for r in rows if r["origin"] == "US" and r["country"] == "TR")
    tr = sum(int(r["in_service"]) for r in rows if r["country"] == "TR")
    assert fleet.us_share_today(fleets, include_turkey=False) == pytest.approx(
        (us - us_tr) / (total - tr))
    assert fleet.us_share_today(fleets, include_turkey=False) < fleet.us_share_today(fleets)


def test_planned_deliveries_follow_the_status_column(frames):
    plan = fleet.planned_deliveries(*frames).set_index(["country", "aircraft_type"])
    assert plan.loc[("GB", "F-35A/B"), "still_to_come"] == 0  # long-term plan overlaps
    assert plan.loc[("GB", "F-35B"), "still_to_come"] == 48 - 34
    assert plan.loc[("NL", "F-35A"), "still_to_come"] == 57 - 49
    assert plan.loc[("BE", "F-35A"), "still_to_come"] == 34  # delivered jets not in the fleet
    assert plan.loc[("CH", "F-35A"), "still_to_come"] == 0  # no fleet figures: left out
    firm = fleet.planned_deliveries(*frames, include_announced=False)
    assert firm.set_index(["country", "aircraft_type"]).loc[
        ("BE", "F-35A (additional)"), "still_to_come"] == 0


def test_finland_by_hand(frames):
    table = fleet.fleet_by_country(*frames, moved_share=0.5).set_index("country")
    finland = table.loc["FI"]
    # 62 F/A-18 today; 64 F-35 to come, half of them switched to European types.
    assert (finland["today_us"], finland["coming_f35"]) == (62, 64)
    assert finland["after_us_share"] == pytest.approx((62 + 32) / 126)


def test_moving_f35s_lowers_the_share(frames):
    shares = [fleet.us_share_after_orders(*frames, moved_share=m) for m in (0, 0.5, 1)]
    assert shares[0] > shares[1] > shares[2]
    table = fleet.fleet_by_country(*frames, moved_share=1.0)
    assert table["after_us"].sum() == pytest.approx(
        table["today_us"].sum() + table["coming_other_us"].sum())
    assert fleet.f35_still_to_come(*frames) == table["coming_f35"].sum()


def test_turkey_switch_changes_the_europe_wide_share(frames):
    with_tr = fleet.us_share_after_orders(*frames)
    without = fleet.us_share_after_orders(*frames, include_turkey=False)
    assert without < with_tr
    assert "TR" not in set(fleet.fleet_by_country(*frames, include_turkey=False)["country"])


def test_aircraft_families():
    assert fleet.aircraft_family("F-35A (additional; reported)") == "F-35"
    assert fleet.aircraft_family("Gripen E") == "Gripen"
    with pytest.raises(ValueError, match="Spitfire"):
        fleet.aircraft_family("Spitfire")
    with pytest.raises(TypeError, match="aircraft_type"):
        fleet.aircraft_family(None)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"moved_share": 50}, ValueError, "moved_share .* percentage"),
    ({"moved_share": "half"}, TypeError, "moved_share"),
    ({"include_turkey": "yes"}, TypeError, "include_turkey"),
    ({"include_announced": 1}, TypeError, "include_announced"),
    ({"countries": ["XX"]}, ValueError, "countries: unknown"),
    ({"countries": []}, ValueError, "countries is empty"),
    ({"countries": ["TR"], "include_turkey": False}, ValueError, "empty once Türkiye"),
])
def test_bad_input_is_refused(frames, kwargs, error, message):
    with pytest.raises(error, match=message):
        fleet.fleet_by_country(*frames, **kwargs)


def test_wrong_frames_are_refused(frames):
    fleets, orders = frames
    with pytest.raises(TypeError, match="fleets"):
        fleet.us_share_after_orders("fleets", orders)
    with pytest.raises(ValueError, match="status"):
        fleet.planned_deliveries(fleets, orders.drop(columns="status"))
