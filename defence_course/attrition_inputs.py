"""The attrition explorer's inputs: each default, slider range, label and source, read from
``data/attrition_parameters.csv``.

The model (:mod:`defence_course.models.attrition`) takes plain numbers; this module says where
each default comes from and how the explorers present it (the website's sliders, the notebook's
table of defaults and the chapter's figures).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Parameter:
    """A model input with its default, slider range and where the default comes from."""

    name: str
    label: str
    unit: str
    value: float
    low: float
    high: float
    step: float
    sourced: bool
    basis: str
    source_ids: tuple[str, ...] = ()
    percent: bool = False  # shown in % in the UIs; the model takes value / 100


def defaults_from_data(parameters: pd.DataFrame | None = None) -> dict[str, Parameter]:
    """Defaults and slider ranges from ``data/attrition_parameters.csv`` (by ``parameter_id``).

    The split of kills between missiles and guns/EW and the interceptor stock have no sourced
    figure: they are returned as labelled assumptions (``sourced=False``).
    """
    if parameters is None:
        from defence_course import data

        parameters = data.load_dataset("attrition_parameters")
    rows = parameters.set_index("parameter_id")

    def row(parameter_id: str) -> pd.Series:
        if parameter_id not in rows.index:
            raise ValueError(f"attrition_parameters has no row {parameter_id!r}")
        return rows.loc[parameter_id]

    def extremes(ids: list[str]) -> tuple[float, float]:
        numbers = pd.concat([row(i)[["value", "low", "high"]] for i in ids]).dropna()
        return float(numbers.min()), float(numbers.max())

    drones = [
        "drones_per_night-1",
        "drones_per_night-2",
        "drones_per_night-3",
        "drones_per_night-4",
    ]
    drone_costs = [f"drone_cost_usd-{i}" for i in range(1, 7)]
    interceptor_costs = ["interceptor_cost_usd-1", "interceptor_cost_usd-4"]
    production = [f"interceptor_production_per_year-{i}" for i in range(1, 7)]
    shares = ["share_downed-1", "share_downed-5", "share_downed-6"]
    share_low, share_high = extremes(shares)
    low, high = extremes(drones)
    cost_low, cost_high = extremes(drone_costs)
    icost_low, icost_high = extremes(interceptor_costs)
    prod_low, prod_high = extremes(production)
    per_target = row("interceptors_per_target-2")
    return {
        "drones_per_night": Parameter(
            "drones_per_night",
            "Drones launched per night",
            "drones",
            float(row("drones_per_night-1")["value"]),
            low,
            high,
            1,
            True,
            f"July 2025 daily average (the record month); range from the lull of August 2025 "
            f"({low:.0f} a night) to the record night of 6-7 September 2025 ({high:.0f})",
            tuple(dict.fromkeys(rows.loc[drones, "source_id"])),
        ),
        "share_intercepted": Parameter(
            "share_intercepted",
            "Share of drones shot down",
            "%",
            float(row("share_downed-6")["value"]),
            0,
            100,
            1,
            True,
            f"drones shot down or suppressed in December 2025; 2025 figures range from "
            f"{share_low:.0f} to {share_high:.0f} %",
            tuple(dict.fromkeys(rows.loc[shares, "source_id"])),
            percent=True,
        ),
        "missile_share": Parameter(
            "missile_share",
            "Share of kills made by missiles (rest: guns, EW, drones)",
            "%",
            20,
            0,
            100,
            1,
            False,
            "ASSUMPTION, no sourced default: no 2025 split of kills between missiles and "
            "guns/EW was found. For context, mobile fire groups (guns, MANPADS) made more than "
            "80 % of Shahed kills in the first half of 2024, and interceptor drones one in "
            "three in February 2026",
            tuple(
                dict.fromkeys(
                    [
                        row("share_by_mobile_fire_groups-1")["source_id"],
                        row("share_by_interceptor_drones-1")["source_id"],
                    ]
                )
            ),
            percent=True,
        ),
        "interceptors_per_target": Parameter(
            "interceptors_per_target",
            "Missiles fired per drone shot down by missile",
            "missiles",
            float(per_target["value"]),
            float(per_target["low"]),
            float(per_target["high"]),
            0.5,
            True,
            "ideally two surface-to-air missiles per target; operators often fire one because "
            "of shortages (Zelensky, September 2024)",
            (str(per_target["source_id"]),),
        ),
        "interceptor_stock": Parameter(
            "interceptor_stock",
            "Interceptor missiles in stock at the start",
            "missiles",
            1000,
            0,
            5000,
            50,
            False,
            "ASSUMPTION, no sourced default: interceptor stocks are classified. For context, "
            "US Patriot stocks were reported at a quarter of what Pentagon war plans need",
            (str(row("interceptor_stock_pct_of_requirement-1")["source_id"]),),
        ),
        "monthly_production": Parameter(
            "monthly_production",
            "Interceptor missiles delivered per month",
            "missiles/month",
            float(row("interceptor_production_per_year-4")["value"]) / 12,
            0,
            prod_high / 12,
            0.5,
            True,
            f"PAC-3 MSE deliveries in 2025 (620 a year, for all customers) divided by 12; "
            f"range from none up to the 2,000-a-year capacity target ({prod_high / 12:.0f} a "
            f"month; 2024 output was {prod_low:.0f} a year)",
            tuple(dict.fromkeys(rows.loc[production, "source_id"])),
        ),
        "drone_cost_usd": Parameter(
            "drone_cost_usd",
            "Cost of one attack drone",
            "USD",
            float(row("drone_cost_usd-1")["value"]),
            cost_low,
            cost_high,
            1000,
            True,
            f"CSIS estimate for a Shahed-136/Geran-2 (February 2025); range from "
            f"{cost_low:,.0f} (lowest estimate) to {cost_high:,.0f} USD (Iranian price 2022-23)",
            tuple(dict.fromkeys(rows.loc[drone_costs, "source_id"])),
        ),
        "interceptor_cost_usd": Parameter(
            "interceptor_cost_usd",
            "Cost of one interceptor missile",
            "USD",
            float(row("interceptor_cost_usd-1")["value"]),
            icost_low,
            icost_high,
            500,
            True,
            f"PAC-3 (Patriot) missile, 'up to' {icost_high:,.0f} USD; the cheapest sourced "
            f"interceptor is the Coyote ({icost_low:,.0f} USD)",
            tuple(dict.fromkeys(rows.loc[interceptor_costs, "source_id"])),
        ),
    }


def model_value(parameter: Parameter, shown: float) -> float:
    """Convert a UI value (percentages for shares) to the model's unit."""
    return shown / 100 if parameter.percent else shown
