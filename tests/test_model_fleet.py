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
        (us - us_tr) / (total - tr)
    )
    assert fleet.us_share_today(fleets, include_turkey=False) < fleet.us_share_today(fleets)


def test_planned_deliveries_follow_the_status_column(frames):
    plan = fleet.planned_deliveries(*frames).set_index(["country", "aircraft_type"])
    assert plan.loc[("GB", "F-35A/B"), "still_to_come"] == 0  # long-term plan overlaps
    assert plan.loc[("GB", "F-35B"), "still_to_come"] == 48 - 34
    assert plan.loc[("NL", "F-35A"), "still_to_come"] == 52 - 39  # Kamerstuk 26 488 nr. 476
    assert plan.loc[("BE", "F-35A"), "still_to_come"] == 34  # delivered jets not in the fleet
    assert plan.loc[("CH", "F-35A"), "still_to_come"] == 0  # no fleet figures: left out
    firm = fleet.planned_deliveries(*frames, include_announced=False)
    assert (
        firm.set_index(["country", "aircraft_type"]).loc[
            ("BE", "F-35A (additional)"), "still_to_come"
        ]
        == 0
    )


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
        table["today_us"].sum() + table["coming_other_us"].sum()
    )
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


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"moved_share": 50}, ValueError, "moved_share .* percentage"),
        ({"moved_share": "half"}, TypeError, "moved_share"),
        ({"include_turkey": "yes"}, TypeError, "include_turkey"),
        ({"include_announced": 1}, TypeError, "include_announced"),
        ({"countries": ["XX"]}, ValueError, "countries: unknown"),
        ({"countries": []}, ValueError, "countries is empty"),
        ({"countries": ["TR"], "include_turkey": False}, ValueError, "empty once Türkiye"),
    ],
)
def test_bad_input_is_refused(frames, kwargs, error, message):
    with pytest.raises(error, match=message):
        fleet.fleet_by_country(*frames, **kwargs)


def test_wrong_frames_are_refused(frames):
    fleets, orders = frames
    with pytest.raises(TypeError, match="fleets"):
        fleet.us_share_after_orders("fleets", orders)
    with pytest.raises(ValueError, match="status"):
        fleet.planned_deliveries(fleets, orders.drop(columns="status"))


# Years of deliveries at the sourced production rates.


@pytest.fixture(scope="module")
def production():
    return data.load_dataset("fighter_production")


def test_delivery_years_by_hand():
    coming = {"F-35": 100, "Eurofighter": 30, "Rafale": 10, "Gripen": 0}
    rates = {"F-35": 150, "Eurofighter": 15, "Rafale": 30, "Gripen": 15}
    table = fleet.delivery_years(coming, rates, moved_share=0.6)
    # 60 F-35s switched, shared 15:30:15 by rate: 15, 30 and 15 jets, one more year on each line.
    assert table.loc["F-35", ["years", "years_after"]].tolist() == pytest.approx(
        [100 / 150, 40 / 150]
    )
    assert table["moved"].tolist() == pytest.approx([-60, 15, 30, 15])
    assert table.loc["Eurofighter", ["years", "years_after"]].tolist() == pytest.approx([2, 3])
    assert table.loc["Rafale", "years_after"] == pytest.approx(40 / 30)
    assert table.loc["Gripen", ["years", "years_after"]].tolist() == pytest.approx([0, 1])
    assert table.loc[list(fleet.EUROPEAN_TYPES), "change"].tolist() == pytest.approx([1, 1, 1])
    total = fleet.total_years(table)
    assert (total.years, total.years_after, total.longest_after) == (
        pytest.approx(2),
        pytest.approx(3),
        "Eurofighter",
    )
    unchanged = fleet.delivery_years(coming, rates)
    assert (unchanged["change"] == 0).all() and (unchanged["moved"] == 0).all()
    assert not (unchanged["moved"].to_numpy() < 0).any()  # no -0.0 shown as "-0"


def test_sourced_rates_follow_the_csv(production):
    with open(DATA_DIR / "fighter_production.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    planned = {
        r["aircraft_family"]: float(r["deliveries_per_year"])
        for r in rows
        if r["kind"] == "planned rate" and r["year"] == "2026"
    }
    assert fleet.sourced_rates(production) == planned
    assert set(planned) == {"F-35", *fleet.EUROPEAN_TYPES}
    # No 2027 row: the latest earlier one (2026) is taken.
    assert fleet.sourced_rates(production, 2027) == planned
    assert fleet.sourced_rates(production, 2028)["Rafale"] == 48
    actual = fleet.sourced_rates(production, 2025, fleet.ACTUAL_DELIVERIES)
    assert actual == {"F-35": 191, "Rafale": 26}  # no yearly counts for Eurofighter, Gripen
    assert fleet.sourced_rates(production, 2020) == {}


def test_delivery_years_from_the_data(frames, production):
    coming = fleet.coming_by_family(*frames)
    plan = fleet.planned_deliveries(*frames)
    assert coming["F-35"] == fleet.f35_still_to_come(*frames) == 416
    assert coming["Eurofighter"] == 38 + 20 + 24 + 20 + 25 + 20  # DE, DE, IT, ES, ES, TR
    assert sum(coming.values()) == plan["still_to_come"].sum()
    rates = fleet.sourced_rates(production)
    rated = {family: n for family, n in coming.items() if family in rates}
    table = fleet.delivery_years(rated, rates, moved_share=1.0)
    european = sum(rates[f] for f in fleet.EUROPEAN_TYPES)
    assert table.loc["F-35", "years"] == pytest.approx(416 / rates["F-35"])
    assert table.loc["F-35", "years_after"] == 0
    assert table.loc["Eurofighter", "years_after"] == pytest.approx(
        (147 + 416 * rates["Eurofighter"] / european) / rates["Eurofighter"]
    )
    assert table["coming_after"].sum() == pytest.approx(table["coming"].sum())
    no_turkey = fleet.coming_by_family(*frames, include_turkey=False)
    assert coming["Eurofighter"] - no_turkey["Eurofighter"] == 20


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (([("F-35", 1)], {"F-35": 1}), TypeError, "coming_by_family must be a mapping"),
        (({"F-35": 1}, "fast"), TypeError, "rates must be a mapping"),
        (({"Spitfire": 1}, {}), ValueError, "unknown aircraft family 'Spitfire'"),
        (({"F-35": -1}, {}), ValueError, r"coming_by_family\['F-35'\] must be ≥ 0"),
        (({"F-35": "many"}, {}), TypeError, r"coming_by_family\['F-35'\] must be a number"),
        (({"F-35": 1}, {"F-35": 0}), ValueError, r"rates\['F-35'\] must be > 0"),
        (({"F-35": 1}, {"F-35": float("nan")}), ValueError, "must be a finite number"),
        (
            ({"F-35": 1}, {"F-35": 156, "Eurofighter": 14, "Rafale": 28}),
            ValueError,
            "no delivery rate for Gripen",
        ),
        (
            ({"FA-50": 36}, {"F-35": 1, "Eurofighter": 1, "Rafale": 1, "Gripen": 1}),
            ValueError,
            "no delivery rate for FA-50",
        ),
        (
            ({"F-35": 1}, {"F-35": 1, "Eurofighter": 1, "Rafale": 1, "Gripen": 1}, 50),
            ValueError,
            "moved_share .* percentage",
        ),
        (
            ({"F-35": 1}, {"F-35": 1, "Eurofighter": 1, "Rafale": 1, "Gripen": 1}, "half"),
            TypeError,
            "moved_share",
        ),
    ],
)
def test_delivery_years_refuses_bad_input(args, error, message):
    with pytest.raises(error, match=message):
        fleet.delivery_years(*args)


def test_sourced_rates_and_totals_refuse_bad_input(production):
    with pytest.raises(TypeError, match="production must be a DataFrame"):
        fleet.sourced_rates({"F-35": 156})
    with pytest.raises(ValueError, match="lacks column"):
        fleet.sourced_rates(production.drop(columns="kind"))
    with pytest.raises(ValueError, match="kind must be"):
        fleet.sourced_rates(production, kind="estimate")
    with pytest.raises(TypeError, match="year must be a whole number"):
        fleet.sourced_rates(production, year="2026")
    with pytest.raises(TypeError, match="delivery_years"):
        fleet.total_years({"years": 1})
