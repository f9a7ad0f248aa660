"""Air-defence attrition model: nights until the stock runs out, cost exchange ratio."""

from __future__ import annotations

import numpy as np
import pytest

from defence_course import attrition_inputs, data
from defence_course.models import attrition

BASE = dict(
    drones_per_night=100, share_intercepted=0.8, missile_share=0.5, interceptors_per_target=2
)


def test_hand_calculation():
    # 100 drones, 80 % shot down, half of the kills by missiles, 2 missiles each: 80 a night.
    assert attrition.missiles_fired_per_night(**BASE) == pytest.approx(80)
    assert attrition.nights_until_depleted(
        **BASE, interceptor_stock=800, monthly_production=0
    ) == pytest.approx(10)
    # One missile a night delivered (a month is 30.4375 nights): 800 / (80 - 1).
    assert attrition.production_per_night(30.4375) == pytest.approx(1)
    assert attrition.nights_until_depleted(
        **BASE, interceptor_stock=800, monthly_production=30.4375
    ) == pytest.approx(800 / 79)
    # 0.8 * 0.5 * 2 missiles of 1 m USD per drone of 50 k USD: 16 USD per USD.
    assert attrition.cost_exchange_ratio(0.8, 0.5, 2, 50_000, 1_000_000) == pytest.approx(16)


def test_boundaries():
    assert attrition.nights_until_depleted(**BASE, interceptor_stock=0, monthly_production=0) == 0
    assert (
        attrition.nights_until_depleted(
            **BASE, interceptor_stock=10, monthly_production=80 * 30.4375
        )
        == np.inf
    )
    no_missiles = {**BASE, "missile_share": 0}
    assert (
        attrition.nights_until_depleted(**no_missiles, interceptor_stock=10, monthly_production=0)
        == np.inf
    )
    assert attrition.cost_exchange_ratio(0.8, 0, 2, 50_000, 1_000_000) == 0
    assert attrition.missiles_fired_per_night(0, 1, 1, 1) == 0


def test_vectorised_inputs_broadcast():
    nights = attrition.nights_until_depleted(
        drones_per_night=np.array([100, 200, 400]),
        share_intercepted=0.8,
        missile_share=0.5,
        interceptors_per_target=2,
        interceptor_stock=800,
        monthly_production=0,
    )
    assert nights.tolist() == pytest.approx([10, 5, 2.5])
    grid = attrition.cost_exchange_ratio(
        np.array([[0.5], [1.0]]), np.array([0.2, 0.4]), 1, 100, 1000
    )
    assert grid.shape == (2, 2)
    np.testing.assert_allclose(grid, [[1, 2], [2, 4]])


def test_cumulative_exchange_falls_after_the_stock_runs_out():
    table = attrition.cumulative_exchange(
        np.arange(1, 31),
        **BASE,
        interceptor_stock=800,
        monthly_production=0,
        drone_cost_usd=50_000,
        interceptor_cost_usd=1_000_000,
    )
    assert table.loc[table["night"] <= 10, "cost_exchange_ratio"].tolist() == pytest.approx(
        [16] * 10
    )
    assert table["missiles_left"].iloc[9] == 0 and table["missiles_fired"].iloc[-1] == 800
    # After night 10 nothing more is fired: over 20 nights the ratio halves.
    assert table.loc[table["night"] == 20, "cost_exchange_ratio"].item() == pytest.approx(8)
    assert table["cost_exchange_ratio"].is_monotonic_decreasing


def test_summary_with_sourced_defaults():
    params = attrition_inputs.defaults_from_data()
    values = {name: attrition_inputs.model_value(p, p.value) for name, p in params.items()}
    summary = attrition.attrition_summary(**values, horizon_nights=90)
    fired = 201 * 0.81 * 0.20 * 2
    assert summary.missiles_per_night == pytest.approx(fired)
    made = 620 / 12 / (365.25 / 12)
    assert summary.nights_until_depleted == pytest.approx(1000 / (fired - made))
    assert summary.cost_exchange_ratio == pytest.approx(0.81 * 0.2 * 2 * 4e6 / 35_000)
    assert summary.cumulative_cost_exchange_ratio < summary.cost_exchange_ratio


def test_defaults_come_from_the_data_with_sources():
    params = attrition_inputs.defaults_from_data()
    assert list(params) == list(attrition.PARAMETERS)
    known = set(data.load_dataset("sources")["source_id"])
    rows = data.load_dataset("attrition_parameters").set_index("parameter_id")
    assert params["drones_per_night"].value == rows.loc["drones_per_night-1", "value"] == 201
    assert (params["drones_per_night"].low, params["drones_per_night"].high) == (74, 810)
    assert params["drone_cost_usd"].value == rows.loc["drone_cost_usd-1", "value"]
    assert params["monthly_production"].value == pytest.approx(620 / 12)
    for p in params.values():
        assert p.low <= p.value <= p.high, p.name
        assert p.source_ids and set(p.source_ids) <= known, p.name
    unsourced = {name for name, p in params.items() if not p.sourced}
    assert unsourced == {"missile_share", "interceptor_stock"}
    for name in unsourced:
        assert params[name].basis.startswith("ASSUMPTION, no sourced default")


def test_defaults_need_the_rows_they_name():
    rows = data.load_dataset("attrition_parameters")
    with pytest.raises(ValueError, match="drones_per_night-1"):
        attrition_inputs.defaults_from_data(rows[rows["parameter_id"] != "drones_per_night-1"])


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"share_intercepted": 87}, ValueError, "share_intercepted .* percentage"),
        ({"missile_share": -0.1}, ValueError, "missile_share"),
        ({"drones_per_night": -5}, ValueError, "drones_per_night must be ≥ 0"),
        ({"drones_per_night": "100"}, TypeError, "drones_per_night must be a number"),
        ({"drones_per_night": True}, TypeError, "drones_per_night"),
        ({"drones_per_night": None}, TypeError, "drones_per_night"),
        ({"drones_per_night": float("nan")}, ValueError, "finite"),
        ({"drones_per_night": []}, ValueError, "empty"),
        ({"drones_per_night": ["a"]}, TypeError, "array of numbers"),
        ({"interceptors_per_target": 0.5}, ValueError, "interceptors_per_target"),
    ],
)
def test_bad_input_is_refused(change, error, message):
    with pytest.raises(error, match=message):
        attrition.missiles_fired_per_night(**{**BASE, **change})


def test_bad_costs_stock_and_horizon_are_refused():
    with pytest.raises(ValueError, match="drone_cost_usd must be > 0"):
        attrition.cost_exchange_ratio(0.8, 0.5, 2, 0, 1_000_000)
    with pytest.raises(ValueError, match="interceptor_stock"):
        attrition.nights_until_depleted(**BASE, interceptor_stock=-1, monthly_production=0)
    with pytest.raises(TypeError, match="single number"):
        attrition.cumulative_exchange(
            [1, 2],
            **{**BASE, "drones_per_night": [1, 2]},
            interceptor_stock=1,
            monthly_production=0,
            drone_cost_usd=1,
            interceptor_cost_usd=1,
        )
    with pytest.raises(ValueError, match="nights"):
        attrition.cumulative_exchange(
            [0],
            **BASE,
            interceptor_stock=1,
            monthly_production=0,
            drone_cost_usd=1,
            interceptor_cost_usd=1,
        )
    with pytest.raises(ValueError, match="horizon_nights"):
        attrition.attrition_summary(
            **BASE,
            interceptor_stock=1,
            monthly_production=0,
            drone_cost_usd=1,
            interceptor_cost_usd=1,
            horizon_nights=0,
        )
