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
from numpy.typing import ArrayLike

from defence_course.models import _checks

DAYS_PER_MONTH = 365.25 / 12
MAX_DRONES_PER_NIGHT = 100_000
MAX_STOCK = 10_000_000

# A result: a float for single-number inputs, else an array of the inputs' broadcast shape.
Result = float | np.ndarray

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


def _inputs(**values: ArrayLike) -> dict[str, np.ndarray]:
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
    drones_per_night: ArrayLike,
    share_intercepted: ArrayLike,
    missile_share: ArrayLike,
    interceptors_per_target: ArrayLike,
) -> Result:
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


def production_per_night(monthly_production: ArrayLike) -> Result:
    """Missiles delivered per night (a month is 365.25 / 12 nights)."""
    v = _inputs(monthly_production=monthly_production)
    return _checks.scalar_or_array(v["monthly_production"] / DAYS_PER_MONTH)


def nights_until_depleted(
    drones_per_night: ArrayLike,
    share_intercepted: ArrayLike,
    missile_share: ArrayLike,
    interceptors_per_target: ArrayLike,
    interceptor_stock: ArrayLike,
    monthly_production: ArrayLike,
) -> Result:
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
    share_intercepted: ArrayLike,
    missile_share: ArrayLike,
    interceptors_per_target: ArrayLike,
    drone_cost_usd: ArrayLike,
    interceptor_cost_usd: ArrayLike,
) -> Result:
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
    nights: ArrayLike,
    drones_per_night: float,
    share_intercepted: float,
    missile_share: float,
    interceptors_per_target: float,
    interceptor_stock: float,
    monthly_production: float,
    drone_cost_usd: float,
    interceptor_cost_usd: float,
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


@dataclass(frozen=True)
class AttritionSummary:
    """The headline numbers of one attrition scenario (see :func:`attrition_summary`)."""

    missiles_per_night: float  # fired while the stock lasts
    production_per_night: float  # missiles delivered
    nights_until_depleted: float  # inf if production keeps up
    cost_exchange_ratio: float  # defender's dollars per attacker's dollar, while missiles last
    horizon_nights: int
    cumulative_cost_exchange_ratio: float  # the same ratio over the first horizon_nights


def attrition_summary(
    drones_per_night: float,
    share_intercepted: float,
    missile_share: float,
    interceptors_per_target: float,
    interceptor_stock: float,
    monthly_production: float,
    drone_cost_usd: float,
    interceptor_cost_usd: float,
    horizon_nights: int = 90,
) -> AttritionSummary:
    """The headline numbers for one set of single-number parameters."""
    horizon_nights = _checks.whole_number("horizon_nights", horizon_nights, low=1, high=3650)
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
    return AttritionSummary(
        missiles_per_night=float(missiles_fired_per_night(**params)),
        production_per_night=float(production_per_night(monthly_production)),
        nights_until_depleted=float(nights),
        cost_exchange_ratio=float(
            cost_exchange_ratio(
                share_intercepted,
                missile_share,
                interceptors_per_target,
                drone_cost_usd,
                interceptor_cost_usd,
            )
        ),
        horizon_nights=horizon_nights,
        cumulative_cost_exchange_ratio=float(table["cost_exchange_ratio"].iloc[0]),
    )
