"""Air-defence attrition: how long an interceptor stock lasts against nightly drone raids.

Each night the attacker launches ``drones_per_night`` drones. A share ``share_intercepted`` is
shot down; a share ``missile_share`` of those kills is made by surface-to-air missiles (the rest
by guns, electronic warfare or interceptor drones, whose cost is not counted). Each missile kill
takes ``interceptors_per_target`` missiles. The defender starts with ``interceptor_stock``
missiles and receives ``monthly_production`` more each month, spread evenly over the nights.

While missiles last the defender fires ``u`` a night and receives ``r``; the stock lasts
``stock / (u - r)`` nights (never, if production keeps up). Afterwards it can fire only what
arrives. The cost exchange ratio is what the defender spends on missiles for each dollar the
attacker spends on drones. Shares are fractions (0 to 1), costs are US dollars. All functions
take numbers or numpy arrays (broadcast together) and return floats or arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from defence_course.models import _checks

DAYS_PER_MONTH = 365.25 / 12
MAX_DRONES_PER_NIGHT = 100_000
MAX_STOCK = 10_000_000

PARAMETERS = (
    "drones_per_night",
    "share_intercepted",
    "missile_share",
    "interceptors_per_target",
    "interceptor_stock",
    "monthly_production",
    "drone_cost_usd",
    "interceptor_cost_usd",
)


def _inputs(**values) -> dict[str, np.ndarray]:
    checks = {
        "drones_per_night": lambda v: _checks.numbers_in_range(
            "drones_per_night", v, 0, MAX_DRONES_PER_NIGHT, unit="drones"
        ),
        "share_intercepted": lambda v: _checks.fraction("share_intercepted", v),
        "missile_share": lambda v: _checks.fraction("missile_share", v),
        "interceptors_per_target": lambda v: _checks.numbers_in_range(
            "interceptors_per_target", v, 1, 10, unit="missiles per target"
        ),
        "interceptor_stock": lambda v: _checks.numbers_in_range(
            "interceptor_stock", v, 0, MAX_STOCK, unit="missiles"
        ),
        "monthly_production": lambda v: _checks.numbers_in_range(
            "monthly_production", v, 0, MAX_STOCK, unit="missiles a month"
        ),
        "drone_cost_usd": lambda v: _checks.numbers_in_range(
            "drone_cost_usd", v, 0, low_open=True, unit="USD"
        ),
        "interceptor_cost_usd": lambda v: _checks.numbers_in_range(
            "interceptor_cost_usd", v, 0, low_open=True, unit="USD"
        ),
        "nights": lambda v: _checks.numbers_in_range("nights", v, 0, low_open=True, unit="nights"),
    }
    return {name: checks[name](value) for name, value in values.items()}


def missiles_fired_per_night(
    drones_per_night, share_intercepted, missile_share, interceptors_per_target
):
    """Missiles the defender fires each night while its stock lasts."""
    v = _inputs(
        drones_per_night=drones_per_night,
        share_intercepted=share_intercepted,
        missile_share=missile_share,
        interceptors_per_target=interceptors_per_target,
    )
    return _checks.scalar_or_array(
        v["drones_per_night"]
        * v["share_intercepted"]
        * v["missile_share"]
        * v["interceptors_per_target"]
    )


def production_per_night(monthly_production):
    """Missiles delivered per night (a month is 365.25 / 12 nights)."""
    v = _inputs(monthly_production=monthly_production)
    return _checks.scalar_or_array(v["monthly_production"] / DAYS_PER_MONTH)


def nights_until_depleted(
    drones_per_night,
    share_intercepted,
    missile_share,
    interceptors_per_target,
    interceptor_stock,
    monthly_production,
):
    """Nights until the missile stock runs out; ``inf`` if production keeps up with use."""
    fired = np.asarray(
        missiles_fired_per_night(
            drones_per_night, share_intercepted, missile_share, interceptors_per_target
        )
    )
    made = np.asarray(production_per_night(monthly_production))
    stock = _inputs(interceptor_stock=interceptor_stock)["interceptor_stock"]
    net = fired - made
    with np.errstate(divide="ignore", invalid="ignore"):
        nights = np.where(net > 0, stock / np.where(net > 0, net, 1.0), np.inf)
    return _checks.scalar_or_array(nights)


def cost_exchange_ratio(
    share_intercepted, missile_share, interceptors_per_target, drone_cost_usd, interceptor_cost_usd
):
    """Dollars spent on missiles per dollar spent on drones, each night while missiles last."""
    v = _inputs(
        share_intercepted=share_intercepted,
        missile_share=missile_share,
        interceptors_per_target=interceptors_per_target,
        drone_cost_usd=drone_cost_usd,
        interceptor_cost_usd=interceptor_cost_usd,
    )
    return _checks.scalar_or_array(
        v["share_intercepted"]
        * v["missile_share"]
        * v["interceptors_per_target"]
        * v["interceptor_cost_usd"]
        / v["drone_cost_usd"]
    )


def cumulative_exchange(
    nights,
    drones_per_night,
    share_intercepted,
    missile_share,
    interceptors_per_target,
    interceptor_stock,
    monthly_production,
    drone_cost_usd,
    interceptor_cost_usd,
) -> pd.DataFrame:
    """Night-by-night totals: missiles left and fired, each side's spending, cumulative ratio.

    ``nights`` is an array of night numbers (> 0); the other parameters are single numbers.
    """
    night = _inputs(nights=nights)["nights"].ravel()
    params = dict(
        drones_per_night=drones_per_night,
        share_intercepted=share_intercepted,
        missile_share=missile_share,
        interceptors_per_target=interceptors_per_target,
    )
    for name, value in {
        **params,
        "interceptor_stock": interceptor_stock,
        "monthly_production": monthly_production,
        "drone_cost_usd": drone_cost_usd,
        "interceptor_cost_usd": interceptor_cost_usd,
    }.items():
        if np.ndim(value) != 0:
            raise TypeError(f"{name} must be a single number here (only nights is an array)")
    use = float(missiles_fired_per_night(**params))
    made = float(production_per_night(monthly_production))
    stock = float(_inputs(interceptor_stock=interceptor_stock)["interceptor_stock"])
    costs = _inputs(drone_cost_usd=drone_cost_usd, interceptor_cost_usd=interceptor_cost_usd)
    fired = np.minimum(use * night, stock + made * night)
    defender = fired * float(costs["interceptor_cost_usd"])
    attacker = float(drones_per_night) * night * float(costs["drone_cost_usd"])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(attacker > 0, defender / np.where(attacker > 0, attacker, 1), np.nan)
    return pd.DataFrame(
        {
            "night": night,
            "missiles_left": np.maximum(stock - (use - made) * night, 0.0),
            "missiles_fired": fired,
            "defender_cost_usd": defender,
            "attacker_cost_usd": attacker,
            "cost_exchange_ratio": ratio,
        }
    )


def attrition_summary(
    drones_per_night,
    share_intercepted,
    missile_share,
    interceptors_per_target,
    interceptor_stock,
    monthly_production,
    drone_cost_usd,
    interceptor_cost_usd,
    horizon_nights: int = 90,
) -> dict[str, float]:
    """The headline numbers for one set of single-number parameters."""
    _checks.whole_number("horizon_nights", horizon_nights, low=1, high=3650)
    params = dict(
        drones_per_night=drones_per_night,
        share_intercepted=share_intercepted,
        missile_share=missile_share,
        interceptors_per_target=interceptors_per_target,
    )
    nights = nights_until_depleted(
        **params, interceptor_stock=interceptor_stock, monthly_production=monthly_production
    )
    table = cumulative_exchange(
        [horizon_nights],
        **params,
        interceptor_stock=interceptor_stock,
        monthly_production=monthly_production,
        drone_cost_usd=drone_cost_usd,
        interceptor_cost_usd=interceptor_cost_usd,
    )
    return {
        "missiles_per_night": float(missiles_fired_per_night(**params)),
        "production_per_night": float(production_per_night(monthly_production)),
        "nights_until_depleted": float(nights),
        "cost_exchange_ratio": float(
            cost_exchange_ratio(
                share_intercepted,
                missile_share,
                interceptors_per_target,
                drone_cost_usd,
                interceptor_cost_usd,
            )
        ),
        "horizon_nights": horizon_nights,
        "cumulative_cost_exchange_ratio": float(table["cost_exchange_ratio"].iloc[0]),
    }


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
