"""Notebook explorer for chapter 3: the US-made share of Europe's combat-aircraft fleets."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from defence_course import data
from defence_course.explorers._notebook import ChartView, Explorer, float_slider
from defence_course.explorers.fleet import MIXED_YEARS, MOVED, SWITCHES
from defence_course.explorers.fleet.website import fleet_explorer
from defence_course.models import fleet

# What MIXED_YEARS leaves out, for the longer text under the chart.
MISSING_ROWS = (
    "Rows missing from the data (Italy's F-35s and Tornados, France after 2019, Greek and "
    "Turkish F-4Es) are not estimated; Switzerland (orders but no fleet figures) is left out."
)
WHOLE_OUTPUT = (
    "Each rate is the manufacturer's whole output, for all its customers: European "
    "buyers would queue with the US services and export customers for it, so the real "
    "wait is longer. Rates are held constant (no ramp-up)."
)


def fleet_source() -> str:
    return data.source_line("fighter_fleets") + "; " + data.source_line("fighter_orders")


def _and(names: list[str] | tuple[str, ...]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def delivery_html(years: pd.DataFrame, rates: dict[str, float], unrated: list[str]) -> str:
    """The years-of-deliveries paragraph: a :func:`fleet.delivery_years` table, before → after."""
    total = fleet.total_years(years)
    rated = ", ".join(f"{family} {rate:.0f}" for family, rate in rates.items())
    lines = ", ".join(
        f"{family} <b>{r.years:.1f} → {r.years_after:.1f}</b>" for family, r in years.iterrows()
    )
    switched = abs(years.loc["F-35", "moved"])
    added = years.loc[list(fleet.EUROPEAN_TYPES), "change"].max()
    left_out = (
        f" Orders for {_and(unrated)} have no sourced rate and are left out." if unrated else ""
    )
    return (
        f"<p>Years of deliveries at the manufacturers' latest stated rates up to "
        f"{fleet.RATES_YEAR} ({rated} a year), before → after switching {switched:.0f} "
        f"F-35s: {lines}. The switched jets are shared among {_and(fleet.EUROPEAN_TYPES)} "
        f"in proportion to their rates, adding {added:.1f} years to each European line. "
        f"All these deliveries take <b>{total.years:.1f} → {total.years_after:.1f}"
        f"</b> years (the longest line: {total.longest_after}).</p>"
        f"<p><small>{WHOLE_OUTPUT}{left_out} Rates: "
        f"{data.source_line('fighter_production')}.</small></p>"
    )


class FleetExplorer(Explorer):
    """A slider for the F-35s switched, two switches, a reset button, the chart and text."""

    def __init__(self) -> None:
        self.fleets = data.load_dataset("fighter_fleets")
        self.orders = data.load_dataset("fighter_orders")
        self.rates = fleet.sourced_rates(data.load_dataset("fighter_production"))
        self.moved = float_slider(MOVED, "22rem", "44rem")
        self.include_turkey = widgets.Checkbox(
            value=True, description=SWITCHES["include_turkey"], indent=False
        )
        self.include_announced = widgets.Checkbox(
            value=True, description=SWITCHES["announced"], indent=False
        )
        self.reset_button = self.make_reset_button()
        self.result = widgets.HTML()
        self.chart = fleet_explorer()
        self.view = ChartView(
            self.chart,
            {
                "moved_pct": self.moved,
                "include_turkey": self.include_turkey,
                "announced": self.include_announced,
            },
        )
        self.table = pd.DataFrame()
        self._cache: dict[bool, pd.DataFrame] = {}
        self._coming: dict[tuple[bool, bool], dict[str, int]] = {}
        self.years = pd.DataFrame()
        self.moved.observe(self.update, names="value")
        self.include_turkey.observe(self.update, names="value")
        self.include_announced.observe(self.update, names="value")
        self.widget = widgets.VBox(
            [
                self.moved,
                widgets.HBox([self.include_turkey, self.include_announced, self.reset_button]),
                self.result,
                self.view.widget,
            ]
        )
        self.update()

    def _deliveries(self, announced: bool) -> pd.DataFrame:
        """Per-country deliveries for all countries, computed once per orders setting."""
        if announced not in self._cache:
            self._cache[announced] = fleet.deliveries_by_country(
                self.fleets, self.orders, include_announced=announced
            )
        return self._cache[announced]

    def _coming_by_family(self, announced: bool, turkey: bool) -> dict[str, int]:
        """Aircraft still to come per family, computed once per switch setting."""
        if (announced, turkey) not in self._coming:
            self._coming[announced, turkey] = fleet.coming_by_family(
                self.fleets, self.orders, include_turkey=turkey, include_announced=announced
            )
        return self._coming[announced, turkey]

    def signal_values(self) -> dict[str, float | bool]:
        """The controls as the chart's signals (the website's inputs)."""
        return {
            "moved_pct": self.moved.value,
            "include_turkey": bool(self.include_turkey.value),
            "announced": bool(self.include_announced.value),
        }

    def update(self, change: object = None) -> None:
        self.view.set(self.signal_values())
        moved = self.moved.value / 100
        turkey = bool(self.include_turkey.value)
        announced = bool(self.include_announced.value)
        table = self._deliveries(announced)
        if not turkey:
            table = table[table["country"] != fleet.TURKEY]
        self.table = fleet.switch_f35s(table, moved)
        shares = fleet.europe_wide(self.table)
        baseline = fleet.europe_wide(fleet.switch_f35s(table, 0.0)).after
        today, after, coming = shares.today, shares.after, shares.f35_still_to_come
        by_family = self._coming_by_family(announced, turkey)
        unrated = [f for f, n in by_family.items() if f not in self.rates and n > 0]
        self.years = fleet.delivery_years(
            {f: n for f, n in by_family.items() if f in self.rates}, self.rates, moved
        )
        self.result.value = (
            f"<p>Europe-wide{'' if turkey else ' (without Türkiye)'}, <b>{today:.1%}</b> of combat "
            f"aircraft are US-made today. After all planned deliveries"
            f"{'' if announced else ' (contracted orders only)'}: <b>{baseline:.1%}</b>. "
            f"Switching {moved:.0%} of the {coming} F-35s still to come to European types "
            f"(Eurofighter, Rafale, Gripen) gives <b>{after:.1%}</b>.</p>"
            f"{delivery_html(self.years, self.rates, unrated)}"
            f"<p><small>{MIXED_YEARS} {MISSING_ROWS}</small></p>"
        )

    def reset(self, _: object = None) -> None:
        self.moved.value = MOVED.value
        self.include_turkey.value = True
        self.include_announced.value = True
