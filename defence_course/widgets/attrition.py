"""Notebook explorer for chapter 1: how long an interceptor stock lasts against drone raids."""

from __future__ import annotations

import html

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd

from defence_course.charts import annotate
from defence_course.explorers._common import AUTOSIZE, source_titles
from defence_course.explorers.attrition import source_line
from defence_course.models import attrition
from defence_course.widgets._common import Explorer, redraw

HORIZON_NIGHTS = 90


def attrition_chart(table: pd.DataFrame, summary: dict, parameters: dict) -> alt.VConcatChart:
    """Missiles left and the cumulative cost exchange ratio, night by night."""
    frame = table.rename(columns={"missiles_left": "Missiles left",
                                  "cost_exchange_ratio": "Cost exchange ratio"})
    base = alt.Chart(frame).properties(width=520, height=180)
    stock = base.mark_line(color="#0072B2").encode(
        x=alt.X("night:Q", title="Night"),
        y=alt.Y("Missiles left:Q", title="Interceptor missiles left"),
        tooltip=[alt.Tooltip("night:Q", title="Night", format=".0f"),
                 alt.Tooltip("Missiles left:Q", format=",.0f")],
    ).properties(title="Interceptor missiles left, night by night")
    ratio = base.mark_line(color="#D55E00").encode(
        x=alt.X("night:Q", title="Night"),
        y=alt.Y("Cost exchange ratio:Q",
                title="USD on missiles per USD of drones (cumulative)"),
        tooltip=[alt.Tooltip("night:Q", title="Night", format=".0f"),
                 alt.Tooltip("Cost exchange ratio:Q", format=".1f")],
    ).properties(title="Cumulative cost exchange ratio")
    nights = summary["nights_until_depleted"]
    if np.isfinite(nights) and nights <= table["night"].max():
        rule = alt.Chart(pd.DataFrame({"night": [nights]})).mark_rule(
            strokeDash=[4, 3]).encode(x="night:Q")
        stock, ratio = stock + rule, ratio + rule
    chart = alt.vconcat(stock, ratio).properties(autosize=AUTOSIZE)
    return annotate(chart, source=source_line(), description=_description(summary))


def _description(summary: dict) -> str:
    nights = summary["nights_until_depleted"]
    lasting = ("the stock never runs out because production keeps up"
               if not np.isfinite(nights) else f"the stock runs out after {nights:.1f} nights")
    return (f"Two line charts over {summary['horizon_nights']} nights. The defender fires "
            f"{summary['missiles_per_night']:.1f} missiles a night and receives "
            f"{summary['production_per_night']:.1f}; {lasting}. The cost exchange ratio is "
            f"{summary['cost_exchange_ratio']:.1f} while missiles last and "
            f"{summary['cumulative_cost_exchange_ratio']:.1f} over the whole period.")


def result_text(summary: dict) -> str:
    """The short text result under the chart."""
    nights = summary["nights_until_depleted"]
    if nights == 0:
        lasting = ("<b>There is no stock</b>: the defender can fire only the missiles "
                   "delivered each night.")
    elif np.isfinite(nights):
        lasting = f"The interceptor stock runs out after <b>{nights:.1f} nights</b>."
    else:
        lasting = ("<b>The stock never runs out</b>: deliveries keep up with the missiles "
                   "fired (for 0 missiles fired, nights are unlimited).")
    return (f"<p>{lasting} Each night the defender fires {summary['missiles_per_night']:.1f} "
            f"missiles and receives {summary['production_per_night']:.1f}.</p>"
            f"<p>While missiles last it spends <b>{summary['cost_exchange_ratio']:.1f} USD</b> "
            f"on missiles for every dollar the attacker spends on drones; over "
            f"{summary['horizon_nights']} nights the cumulative ratio is "
            f"<b>{summary['cumulative_cost_exchange_ratio']:.1f}</b> (once the stock is gone it "
            "can fire only what is delivered). Guns, electronic warfare and interceptor drones "
            "are not costed.</p>")


def defaults_html(parameters: dict[str, attrition.Parameter]) -> str:
    """Where each default comes from (assumptions labelled as such)."""
    rows = []
    for p in parameters.values():
        value = f"{p.value:,.1f}".removesuffix(".0")
        if p.sourced:
            origin = html.escape(p.basis) + ". Source: " + html.escape(
                "; ".join(source_titles(p.source_ids)))
        else:
            origin = ("<b>No sourced default: assumption.</b> " + html.escape(
                p.basis.removeprefix("ASSUMPTION, no sourced default: ")) + ". Context: "
                + html.escape("; ".join(source_titles(p.source_ids))))
        rows.append(f"<li><b>{html.escape(p.label)}</b>: {value} {html.escape(p.unit)}. "
                    f"{origin}</li>")
    return "<details><summary>Where the defaults come from</summary><ul>" + "".join(rows) \
        + "</ul></details>"


class AttritionExplorer(Explorer):
    """Sliders for the eight parameters, a reset button, a chart and a text result."""

    def __init__(self) -> None:
        self.parameters = attrition.defaults_from_data()
        style = {"description_width": "22rem"}
        layout = widgets.Layout(width="44rem")
        self.sliders: dict[str, widgets.FloatSlider] = {}
        for name, p in self.parameters.items():
            label = p.label + (" (assumption)" if not p.sourced else "") \
                + (f" ({p.unit})" if p.unit in ("%", "USD") else "")
            self.sliders[name] = widgets.FloatSlider(
                value=p.value, min=p.low, max=p.high, step=p.step, description=label,
                style=style, layout=layout, continuous_update=False,
                readout_format=".1f" if p.step < 1 else ",.0f")
        self.drones = self.sliders["drones_per_night"]
        self.share_intercepted = self.sliders["share_intercepted"]
        self.missile_share = self.sliders["missile_share"]
        self.interceptors_per_target = self.sliders["interceptors_per_target"]
        self.stock = self.sliders["interceptor_stock"]
        self.production = self.sliders["monthly_production"]
        self.drone_cost = self.sliders["drone_cost_usd"]
        self.interceptor_cost = self.sliders["interceptor_cost_usd"]
        self.reset_button = widgets.Button(description="Reset to defaults", icon="undo")
        self.result = widgets.HTML()
        self.output = widgets.Output()
        self.sources = widgets.HTML(defaults_html(self.parameters))
        self.chart: alt.TopLevelMixin | None = None
        self.summary: dict = {}
        self._holding = False
        for slider in self.sliders.values():
            slider.observe(self.update, names="value")
        self.reset_button.on_click(self.reset)
        self.widget = widgets.VBox([*self.sliders.values(), self.reset_button, self.result,
                                    self.output, self.sources])
        self.update()

    def values(self) -> dict[str, float]:
        """Current parameters in the model's units (shares as fractions)."""
        return {name: attrition.model_value(self.parameters[name], slider.value)
                for name, slider in self.sliders.items()}

    def update(self, change: object = None) -> None:
        if self._holding:
            return
        values = self.values()
        self.summary = attrition.attrition_summary(**values, horizon_nights=HORIZON_NIGHTS)
        nights = np.arange(1, HORIZON_NIGHTS + 1, dtype=float)
        table = attrition.cumulative_exchange(nights, **values)
        self.result.value = result_text(self.summary)
        self.chart = attrition_chart(table, self.summary, self.parameters)
        redraw(self.output, self.chart)

    def reset(self, _: object = None) -> None:
        self._holding = True
        try:
            for name, slider in self.sliders.items():
                slider.value = self.parameters[name].value
        finally:
            self._holding = False
        self.update()
