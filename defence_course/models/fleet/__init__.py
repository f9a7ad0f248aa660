"""Fleet what-if: how much of Europe's combat-aircraft fleet is US-made, today and after orders.

Two parts, each name available here as ``fleet.<name>``:

- :mod:`~defence_course.models.fleet.shares`: the fleets and orders (``fighter_fleets``,
  ``fighter_orders``), the aircraft still to come and the US-made share today and after planned
  deliveries, with a share of the F-35s still to come switched to European types;
- :mod:`~defence_course.models.fleet.production`: how many years those aircraft take at each
  manufacturer's sourced annual rate (``fighter_production``), before and after the switch.
"""

from defence_course.models.fleet.production import (
    ACTUAL_DELIVERIES,
    PLANNED_RATE,
    RATES_YEAR,
    DeliveryTotals,
    delivery_years,
    sourced_rates,
    total_years,
)
from defence_course.models.fleet.shares import (
    ANNOUNCED,
    EUROPEAN_TYPES,
    FAMILIES,
    ORDERED,
    OVERLAPPING_PLAN,
    TURKEY,
    EuropeWideShares,
    aircraft_family,
    coming_by_family,
    deliveries_by_country,
    europe_wide,
    f35_still_to_come,
    fleet_by_country,
    planned_deliveries,
    switch_f35s,
    us_share_after_orders,
    us_share_today,
)

__all__ = [
    "ACTUAL_DELIVERIES",
    "ANNOUNCED",
    "EUROPEAN_TYPES",
    "FAMILIES",
    "ORDERED",
    "OVERLAPPING_PLAN",
    "PLANNED_RATE",
    "RATES_YEAR",
    "TURKEY",
    "DeliveryTotals",
    "EuropeWideShares",
    "aircraft_family",
    "coming_by_family",
    "deliveries_by_country",
    "delivery_years",
    "europe_wide",
    "f35_still_to_come",
    "fleet_by_country",
    "planned_deliveries",
    "sourced_rates",
    "switch_f35s",
    "total_years",
    "us_share_after_orders",
    "us_share_today",
]
