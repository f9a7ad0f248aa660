"""Kernel-free explorer for chapter 3: the US-made share of combat fleets, what if?"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from defence_course import data
from defence_course.charts import BLUE, GREY, ORANGE, annotate
from defence_course.explorers._common import AUTOSIZE, PANEL_WIDTH, slider, text_panel
from defence_course.explorers.fleet import MIXED_YEARS, MOVED, SWITCHES
from defence_course.models import fleet

EUROPE = "Europe-wide (all shown)"
# Families whose years of deliveries are shown: the F-35 and where its switched jets go.
RATED = ("F-35", *fleet.EUROPEAN_TYPES)
COLUMN = {"Eurofighter": "ef", "Rafale": "rafale", "Gripen": "gripen"}


def fleet_table() -> pd.DataFrame:
    """Per country: aircraft today and still to come (contracted and announced orders apart)."""
    fleets = data.load_dataset("fighter_fleets")
    orders = data.load_dataset("fighter_orders")
    names = data.load_dataset("countries").set_index("country")["name"].astype(str)
    firm = fleet.fleet_by_country(fleets, orders, include_announced=False).set_index("country")
    every = fleet.fleet_by_country(fleets, orders, include_announced=True).set_index("country")
    table = pd.DataFrame(
        {
            "country": firm.index,
            "name": [names[c] for c in firm.index],
            "today_us": firm["today_us"].astype(int),
            "today_total": firm["today_total"].astype(int),
            "f35_ordered": firm["coming_f35"].astype(int),
            "f35_announced": (every["coming_f35"] - firm["coming_f35"]).astype(int),
            "other_us_ordered": firm["coming_other_us"].astype(int),
            "other_us_announced": (every["coming_other_us"] - firm["coming_other_us"]).astype(int),
            "total_ordered": firm["coming_total"].astype(int),
            "total_announced": (every["coming_total"] - firm["coming_total"]).astype(int),
            "fleet_years": firm["reference_years"].astype(str),
        }
    )
    for announced in (False, True):
        plan = fleet.planned_deliveries(fleets, orders, include_announced=announced)
        coming = (
            plan.pivot_table(
                index="country", columns="family", values="still_to_come", aggfunc="sum"
            )
            .reindex(index=firm.index, columns=list(COLUMN))
            .fillna(0)
        )
        for family, column in COLUMN.items():
            if announced:
                table[f"{column}_announced"] = (
                    coming[family].astype(int) - table[f"{column}_ordered"]
                )
            else:
                table[f"{column}_ordered"] = coming[family].astype(int)
    return table.reset_index(drop=True)


# The fleet model of defence_course.models.fleet as Vega expressions.
AFTER = {
    "f35": "datum.f35_ordered + (announced ? datum.f35_announced : 0)",
    "other_us": "datum.other_us_ordered + (announced ? datum.other_us_announced : 0)",
    "coming": "datum.total_ordered + (announced ? datum.total_announced : 0)",
    **{
        column: f"datum.{column}_ordered + (announced ? datum.{column}_announced : 0)"
        for column in COLUMN.values()
    },
}


def years_lines(rates: dict[str, float]) -> str:
    """Vega expressions, comma-separated: the text lines of :func:`fleet.delivery_years`.

    Reads the Europe-wide sums ``f35``, ``ef``, ``rafale``, ``gripen`` and the slider; the
    switched jets are shared among the European types in proportion to their rates.
    """
    missing = [family for family in RATED if family not in rates]
    if missing:
        raise ValueError(f"fighter_production gives no rate for {', '.join(missing)}")
    european = " + ".join(f"{rates[f]:g}" for f in fleet.EUROPEAN_TYPES)
    switched = "datum.f35 * moved_pct / 100"
    before = {"F-35": f"datum.f35 / {rates['F-35']:g}"}
    after = {"F-35": f"(datum.f35 - {switched}) / {rates['F-35']:g}"}
    for family, column in COLUMN.items():
        before[family] = f"datum.{column} / {rates[family]:g}"
        after[family] = f"{before[family]} + {switched} / ({european})"

    def pair(family: str) -> str:
        return (
            f"'{family} ' + format({before[family]}, '.1f') + ' → ' + "
            f"format({after[family]}, '.1f')"
        )

    longest = {
        when: "max(" + ", ".join(years.values()) + ")"
        for when, years in (("before", before), ("after", after))
    }
    rated = ", ".join(f"{f} {rates[f]:g}" for f in RATED)
    return (
        "'Years of deliveries before → after, at each maker’s whole output',"
        f" '({rated} a year):',"
        f" {pair('F-35')} + ', ' + {pair('Eurofighter')} + ', ' + {pair('Rafale')} + ',',"
        f" {pair('Gripen')} + '; all of them ' + format({longest['before']}, '.1f')"
        f" + ' → ' + format({longest['after']}, '.1f') + ' years.',"
        " 'Switched jets split by rate; other buyers share these lines.'"
    )


def fleet_explorer() -> alt.VConcatChart:
    """A slider for the F-35s switched to European types; Türkiye and announced orders apart.

    Text lines add the years of deliveries of :func:`fleet.delivery_years`, computed in Vega:
    the switched jets are shared among the European types in proportion to their sourced rates,
    and each rate is the manufacturer's whole output, which other buyers share.
    """
    table = fleet_table()
    rates = fleet.sourced_rates(data.load_dataset("fighter_production"))
    switches = [
        alt.param(name=name, value=True, bind=alt.binding_checkbox(name=label + " "))
        for name, label in SWITCHES.items()
    ]

    base = (
        alt.Chart(table)
        .transform_filter("include_turkey || datum.country != 'TR'")
        .transform_calculate(**AFTER)
        .transform_calculate(
            after_us="datum.today_us + datum.other_us + datum.f35 * (1 - moved_pct / 100)",
            after_total="datum.today_total + datum.coming",
        )
    )
    per_country = base.transform_calculate(
        today=" 100 * datum.today_us / datum.today_total",
        after="100 * datum.after_us / datum.after_total",
        area="datum.name",
    )
    # Typed as Any: the sums are keyword arguments of transform_aggregate, not its parameters.
    column_sums: dict[str, Any] = {column: f"sum({column})" for column in COLUMN.values()}
    europe = base.transform_aggregate(
        today_us="sum(today_us)",
        today_total="sum(today_total)",
        after_us="sum(after_us)",
        after_total="sum(after_total)",
        f35="sum(f35)",
        n="count()",
        **column_sums,
    ).transform_calculate(
        today="100 * datum.today_us / datum.today_total",
        after="100 * datum.after_us / datum.after_total",
        area=f"'{EUROPE}'",
    )
    order = [EUROPE, *sorted(table["name"])]

    def dots(source: alt.Chart) -> alt.LayerChart:
        long = source.transform_fold(["today", "after"], as_=["when", "share"]).transform_calculate(
            when="datum.when == 'today' ? 'today' : 'after planned deliveries'"
        )
        line = source.mark_rule(color=GREY).encode(
            x="today:Q", x2="after:Q", y=alt.Y("area:N", sort=order, title=None)
        )
        points = long.mark_point(filled=True, size=80).encode(
            x=alt.X(
                "share:Q",
                title="US-made share of combat aircraft (%)",
                scale=alt.Scale(domain=[0, 100]),
            ),
            y=alt.Y("area:N", sort=order, title=None),
            color=alt.Color(
                "when:N",
                title=None,
                sort=["today", "after planned deliveries"],
                scale=alt.Scale(domain=["today", "after planned deliveries"], range=[BLUE, ORANGE]),
            ),
            tooltip=[
                alt.Tooltip("area:N", title="Where"),
                alt.Tooltip("when:N", title="When"),
                alt.Tooltip("share:Q", title="US-made (%)", format=".1f"),
            ],
        )
        return line + points

    plot = alt.layer(dots(europe), dots(per_country)).properties(
        title=alt.Title(
            "US-made share of combat aircraft, today and after planned deliveries",
            subtitle=MIXED_YEARS,
        ),
        width=PANEL_WIDTH - 140,
        height=alt.Step(16),
    )
    summary = text_panel(
        europe.transform_calculate(
            lines=(
                "['Europe-wide: ' + format(datum.today, '.1f') + ' % US-made today, '"
                " + format(datum.after, '.1f') + ' % after planned deliveries,',"
                " 'with ' + format(moved_pct, '.0f') + ' % of the ' + datum.f35"
                " + ' F-35s still to come switched to European types.', " + years_lines(rates) + "]"
            ),
        )
        .transform_flatten(["lines"])
        .transform_window(line="row_number()")
        .transform_calculate(line="datum.line - 1", text="datum.lines"),
        7,
        size=14,
        bold_first=True,
    )
    chart = alt.vconcat(plot, summary).properties(
        title="Explorer: how US-made will Europe's combat fleets be?", autosize=AUTOSIZE
    )
    chart = chart.add_params(slider(MOVED), *switches)
    fleets = data.load_dataset("fighter_fleets")
    orders = data.load_dataset("fighter_orders")
    today = fleet.us_share_today(fleets)
    after = fleet.us_share_after_orders(fleets, orders)
    coming = fleet.coming_by_family(fleets, orders)
    coming = {family: coming.get(family, 0) for family in RATED}
    totals = fleet.total_years(fleet.delivery_years(coming, rates))
    switched = fleet.total_years(fleet.delivery_years(coming, rates, 1.0))
    datasets = ["fighter_fleets", "fighter_orders", "fighter_production"]
    sources = "; ".join(data.source_line(name) for name in datasets)
    return annotate(
        chart,
        source=sources,
        datasets=datasets,
        description=(
            "Interactive dot plot by country and Europe-wide: the share of US-made combat aircraft "
            "today and after planned deliveries. A slider moves a share of the F-35s still to come "
            "to European types; two switches leave out Türkiye or the announced (not yet "
            f"contracted) orders. With all countries and no F-35 switched, {today:.1%} are US-made "
            f"today and {after:.1%} after planned deliveries. Text lines give the years the F-35, "
            "Eurofighter, Rafale and Gripen orders take at each manufacturer's stated rate (its "
            f"whole output, which other buyers share): {totals.years:.1f} years for all of them, "
            f"{switched.years_after:.1f} with every F-35 switched and shared among the European "
            f"types in proportion to their rates. {MIXED_YEARS}"
        ),
    )
