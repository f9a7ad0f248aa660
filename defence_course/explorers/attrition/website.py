"""Kernel-free explorer for chapter 1: the attrition model computed in the browser."""

from __future__ import annotations

import altair as alt
import pandas as pd

from defence_course import attrition_inputs, data
from defence_course.charts import BLUE, VERMILLION, annotate
from defence_course.explorers._common import AUTOSIZE, PANEL_WIDTH, Range, slider, text_panel
from defence_course.explorers.attrition import HORIZON_NIGHTS, SIGNALS
from defence_course.models import attrition

# The model of defence_course.models.attrition, written as Vega expressions.
EXPRESSIONS = {
    "use": "drones * shot_down_pct / 100 * missile_pct / 100 * per_target",
    "made": f"production / {attrition.DAYS_PER_MONTH}",
    "nights": "use - made > 0 ? stock / (use - made) : 1 / 0",
    "ratio": "shot_down_pct / 100 * missile_pct / 100 * per_target * interceptor_cost / drone_cost",
}


def source_line() -> str:
    """Chart source line: the dataset behind the defaults, and what is assumed."""
    return (
        data.source_line("attrition_parameters") + " (each default's source is listed "
        "with the explorer). Share of kills made by missiles and interceptor stock: "
        "assumptions, no sourced figure."
    )


def parameter_table(parameters: dict[str, attrition_inputs.Parameter]) -> pd.DataFrame:
    """Each input with its default, range and source (or the word 'assumption')."""
    rows = []
    for p in parameters.values():
        rows.append(
            {
                "input": p.label,
                "default": round(p.value, 1),
                "unit": p.unit,
                "range": f"{p.low:,.0f}-{p.high:,.0f}",
                "sourced": "yes" if p.sourced else "NO: assumption",
                "basis": p.basis,
                "sources": ("" if p.sourced else "context only, not the value's source: ")
                + "; ".join(data.source_titles(p.source_ids)),
            }
        )
    return pd.DataFrame(rows)


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == round(value) else f"{value:,.1f}"


def _label(p: attrition_inputs.Parameter) -> str:
    unit = f" ({p.unit})" if p.unit in ("%", "USD", "missiles/month") else ""
    return p.label + unit + (" [assumption, no sourced default]" if not p.sourced else "")


def attrition_explorer() -> alt.VConcatChart:
    """Sliders for the eight inputs; results, missiles left and cost ratio drawn in the page."""
    parameters = attrition_inputs.defaults_from_data()
    params = [
        slider(Range(SIGNALS[name], _label(p), round(p.value, 2), p.low, p.high, p.step))
        for name, p in parameters.items()
    ]
    derived = [alt.param(name=name, expr=expr) for name, expr in EXPRESSIONS.items()]

    summary = alt.Chart(alt.sequence(0, 4, as_="line")).transform_calculate(
        text="datum.line == 0 ? (isFinite(nights) ? 'The interceptor stock runs out after ' "
        "+ format(nights, '.1f') + ' nights.' : 'The stock never runs out: deliveries keep "
        "up.')"
        " : datum.line == 1 ? 'Each night the defender fires ' + format(use, '.1f') "
        "+ ' missiles and receives ' + format(made, '.1f') + '.'"
        " : datum.line == 2 ? 'While missiles last, it spends ' + format(ratio, '.1f') "
        "+ ' USD on missiles' : 'for every dollar the attacker spends on drones.'"
    )
    results = text_panel(summary, 4, title="Result", size=14, bold_first=True)

    nights = alt.Chart(alt.sequence(0, HORIZON_NIGHTS + 0.5, 0.5, as_="night"))
    left = (
        nights.transform_calculate(
            left="max(stock - (use - made) * datum.night, 0)",
        )
        .mark_line(color=BLUE)
        .encode(
            x=alt.X("night:Q", title="Night", scale=alt.Scale(domain=[0, HORIZON_NIGHTS])),
            y=alt.Y("left:Q", title="Interceptor missiles left"),
            tooltip=[
                alt.Tooltip("night:Q", title="Night"),
                alt.Tooltip("left:Q", title="Missiles left", format=",.0f"),
            ],
        )
        .properties(
            title="Interceptor missiles left, night by night", width=PANEL_WIDTH, height=170
        )
    )
    ratio = (
        nights.transform_filter("datum.night > 0")
        .transform_calculate(
            ratio=(
                "min(use * datum.night, stock + made * datum.night) * interceptor_cost "
                "/ (drones * datum.night * drone_cost)"
            ),
        )
        .mark_line(color=VERMILLION)
        .encode(
            x=alt.X("night:Q", title="Night", scale=alt.Scale(domain=[0, HORIZON_NIGHTS])),
            y=alt.Y("ratio:Q", title="USD on missiles per USD of drones"),
            tooltip=[
                alt.Tooltip("night:Q", title="Night"),
                alt.Tooltip("ratio:Q", title="Cumulative ratio", format=".1f"),
            ],
        )
        .properties(
            title=f"Cumulative cost exchange ratio over {HORIZON_NIGHTS} nights",
            width=PANEL_WIDTH,
            height=150,
        )
    )

    chart = alt.vconcat(left, ratio, results).properties(
        title="Explorer: how long do the interceptor missiles last?", autosize=AUTOSIZE
    )
    chart = chart.add_params(*params, *derived)
    # Not drawn: the website shows it as the table of "the data behind this chart".
    table = parameter_table(parameters)
    chart = chart.properties(datasets={"starting_values": table.to_dict(orient="records")})
    sourced = [p for p in parameters.values() if p.sourced]
    description = (
        "Interactive model with eight sliders. The defender fires missiles at a share of the "
        "drones launched each night and receives new missiles every month. The charts show the "
        f"missiles left and the cumulative cost exchange ratio over {HORIZON_NIGHTS} nights; the "
        "table below the chart gives each starting value with its source. "
        "Sourced starting values: "
        + "; ".join(f"{p.label} {_number(p.value)} {p.unit}" for p in sourced)
        + ". Assumptions without a sourced figure: share of kills made by missiles "
        f"{parameters['missile_share'].value:.0f} %, starting stock "
        f"{parameters['interceptor_stock'].value:,.0f} missiles."
    )
    return annotate(
        chart, source=source_line(), datasets=["attrition_parameters"], description=description
    )
