"""Notebook explorer for chapter 1: how long an interceptor stock lasts against drone raids."""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from defence_course import attrition_inputs, data
from defence_course.explorers._common import Range
from defence_course.explorers._notebook import ChartView, Explorer, float_slider
from defence_course.explorers.attrition import HORIZON_NIGHTS, SIGNALS
from defence_course.explorers.attrition.website import attrition_explorer
from defence_course.models import attrition


def result_text(summary: attrition.AttritionSummary) -> str:
    """The short text result under the chart."""
    nights = summary.nights_until_depleted
    if nights == 0:
        lasting = (
            "<b>There is no stock</b>: the defender can fire only the missiles "
            "delivered each night."
        )
    elif np.isfinite(nights):
        lasting = f"The interceptor stock runs out after <b>{nights:.1f} nights</b>."
    else:
        lasting = (
            "<b>The stock never runs out</b>: deliveries keep up with the missiles "
            "fired (for 0 missiles fired, nights are unlimited)."
        )
    return (
        f"<p>{lasting} Each night the defender fires {summary.missiles_per_night:.1f} "
        f"missiles and receives {summary.production_per_night:.1f}.</p>"
        f"<p>While missiles last it spends <b>{summary.cost_exchange_ratio:.1f} USD</b> "
        f"on missiles for every dollar the attacker spends on drones; over "
        f"{summary.horizon_nights} nights the cumulative ratio is "
        f"<b>{summary.cumulative_cost_exchange_ratio:.1f}</b> (once the stock is gone it "
        "can fire only what is delivered). Guns, electronic warfare and interceptor drones "
        "are not costed.</p>"
    )


def defaults_html(parameters: dict[str, attrition_inputs.Parameter]) -> str:
    """Where each default comes from (assumptions labelled as such)."""
    rows = []
    for p in parameters.values():
        value = f"{p.value:,.1f}".removesuffix(".0")
        if p.sourced:
            origin = (
                html.escape(p.basis)
                + ". Source: "
                + html.escape("; ".join(data.source_titles(p.source_ids)))
            )
        else:
            origin = (
                "<b>No sourced default: assumption.</b> "
                + html.escape(p.basis.removeprefix("ASSUMPTION, no sourced default: "))
                + ". Context: "
                + html.escape("; ".join(data.source_titles(p.source_ids)))
            )
        rows.append(
            f"<li><b>{html.escape(p.label)}</b>: {value} {html.escape(p.unit)}. {origin}</li>"
        )
    return (
        "<details><summary>Where the defaults come from</summary><ul>"
        + "".join(rows)
        + "</ul></details>"
    )


class AttritionExplorer(Explorer):
    """Sliders for the eight parameters, a reset button, the website's chart and a result."""

    reset_label = "Reset to defaults"

    def __init__(self) -> None:
        self.parameters = attrition_inputs.defaults_from_data()
        self.sliders: dict[str, widgets.FloatSlider] = {}
        for name, p in self.parameters.items():
            label = (
                p.label
                + (" (assumption)" if not p.sourced else "")
                + (f" ({p.unit})" if p.unit in ("%", "USD") else "")
            )
            self.sliders[name] = float_slider(
                Range(SIGNALS[name], label, p.value, p.low, p.high, p.step),
                "22rem",
                "44rem",
                readout=".1f" if p.step < 1 else ",.0f",
            )
        self.drones = self.sliders["drones_per_night"]
        self.share_intercepted = self.sliders["share_intercepted"]
        self.missile_share = self.sliders["missile_share"]
        self.interceptors_per_target = self.sliders["interceptors_per_target"]
        self.stock = self.sliders["interceptor_stock"]
        self.production = self.sliders["monthly_production"]
        self.drone_cost = self.sliders["drone_cost_usd"]
        self.interceptor_cost = self.sliders["interceptor_cost_usd"]
        self.reset_button = self.make_reset_button()
        self.result = widgets.HTML()
        self.sources = widgets.HTML(defaults_html(self.parameters))
        self.chart = attrition_explorer()
        self.view = ChartView(
            self.chart, {SIGNALS[name]: slider for name, slider in self.sliders.items()}
        )
        self.summary: attrition.AttritionSummary | None = None
        self._holding = False
        for slider in self.sliders.values():
            slider.observe(self.update, names="value")
        self.widget = widgets.VBox(
            [*self.sliders.values(), self.reset_button, self.result, self.view.widget, self.sources]
        )
        self.update()

    def values(self) -> dict[str, float]:
        """Current parameters in the model's units (shares as fractions)."""
        return {
            name: attrition_inputs.model_value(self.parameters[name], slider.value)
            for name, slider in self.sliders.items()
        }

    def signal_values(self) -> dict[str, float]:
        """The sliders as the chart's signals (the website's inputs, in the same units)."""
        return {SIGNALS[name]: slider.value for name, slider in self.sliders.items()}

    def update(self, change: object = None) -> None:
        if self._holding:
            return
        self.view.set(self.signal_values())  # first, so the chart moves without waiting
        self.summary = attrition.attrition_summary(**self.values(), horizon_nights=HORIZON_NIGHTS)
        self.result.value = result_text(self.summary)

    def reset(self, _: object = None) -> None:
        self._holding = True
        try:
            for name, slider in self.sliders.items():
                slider.value = self.parameters[name].value
        finally:
            self._holding = False
        self.update()
