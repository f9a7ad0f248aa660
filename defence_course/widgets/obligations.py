"""Notebook explorer for chapter 4: a state's mutual-defence commitments and its spending."""

from __future__ import annotations

import html

import altair as alt
import ipywidgets as widgets
import pandas as pd

from defence_course import data
from defence_course.charts import annotate
from defence_course.explorers._common import AUTOSIZE
from defence_course.models import obligations
from defence_course.widgets._common import Explorer, redraw

DEFAULT_COUNTRY = "PL"
SPLIT_NOTE = ("NATO counts all defence spending towards its targets, whichever way it is split: "
              "the split changes what the money buys, not whether a target is met.")


def commitments_html(table: pd.DataFrame) -> str:
    items = []
    for r in table.itertuples():
        mark = "binds" if r.binds else "does not bind"
        caveat = f"<br><small>Caveat: {html.escape(r.caveat)}</small>" if r.caveat else ""
        summary = f"<br><small>{html.escape(r.summary)}</small>" if r.binds else ""
        items.append(f"<li><b>{html.escape(r.commitment)}</b>: {mark} ({html.escape(r.why)})."
                     f"{summary}{caveat}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def spending_text(status: dict, name: str) -> str:
    if status["nato_release"] is None:
        return (f"<p>{html.escape(name)} is not in NATO's defence expenditure tables, so there is "
                "no NATO spending figure to compare with the targets.</p>")
    gaps = []
    for label, gap in status["gaps"].items():
        side = "above" if gap > 0 else "below" if gap < 0 else "exactly at"
        gaps.append(f"{abs(gap):.2f} points {side} the {label}" if gap else f"{side} the {label}")
    estimate = " (NATO estimate)" if status["estimate"] else ""
    return (f"<p>Defence spending in {status['year']}{estimate}: <b>{status['pct_gdp']:.2f} % of "
            f"GDP</b>, {'; '.join(gaps)}.<br><small>Figures from one release only: "
            f"{html.escape(obligations.release_label(status['nato_release']))}.</small></p>")


def obligations_chart(series: pd.DataFrame, status: dict, name: str, share_to_nato: float,
                      targets: dict[str, float]) -> alt.TopLevelMixin:
    """Spending by year against the targets, and the split of the latest figure."""
    rules = pd.DataFrame({"target": list(targets), "pct_gdp": list(targets.values())})
    release = status["nato_release"]
    if release is None:
        frame = pd.DataFrame({"label": [f"{name}: no NATO spending figures"]})
        chart = alt.Chart(frame, title=f"{name}: defence spending").mark_text(
            align="left", fontSize=14).encode(text="label:N").properties(width=460, height=40)
        return annotate(chart, source=data.source_line("defence_spending"),
                        description=f"{name} is not in NATO's defence expenditure tables.")
    line = alt.Chart(series).mark_line(point=True).encode(
        x=alt.X("year:O", title="Year"),
        y=alt.Y("pct_gdp:Q", title="Defence spending (% of GDP)"),
        tooltip=[alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("pct_gdp:Q", title="% of GDP"),
                 alt.Tooltip("estimate:N", title="NATO estimate")],
    )
    rule = alt.Chart(rules).mark_rule(strokeDash=[4, 3]).encode(
        y="pct_gdp:Q", color=alt.Color("target:N", title="Target"))
    top = (line + rule).properties(
        title=alt.Title(f"{name}: defence spending against NATO's targets",
                        subtitle=obligations.release_label(release)),
        width=460, height=200)
    nato, eu = obligations.split_budget(status["pct_gdp"], share_to_nato)
    split = pd.DataFrame({"part": ["NATO capability targets", "EU joint programmes"],
                          "pct_gdp": [nato, eu], "order": [0, 1]})
    bar = alt.Chart(split).mark_bar().encode(
        x=alt.X("sum(pct_gdp):Q", title=f"Share of GDP ({status['year']})",
                scale=alt.Scale(domain=[0, max(5.0, status["pct_gdp"])])),
        color=alt.Color("part:N", title="Budget split", scale=alt.Scale(range=["#009E73",
                                                                                "#CC79A7"])),
        order="order:Q",
        tooltip=[alt.Tooltip("part:N", title="Part"),
                 alt.Tooltip("pct_gdp:Q", title="% of GDP", format=".2f")],
    )
    marks = alt.Chart(rules).mark_rule(strokeDash=[4, 3]).encode(x="pct_gdp:Q")
    bottom = (bar + marks).properties(title="Splitting the same budget", width=460, height=50)
    chart = alt.vconcat(top, bottom).resolve_scale(color="independent").properties(
        autosize=AUTOSIZE)
    return annotate(chart, source=data.source_line("defence_spending") + "; "
                    + data.source_line("spending_targets"), description=(
                        f"Line chart of {name}'s defence spending by year "
                        f"({obligations.release_label(release)}), latest {status['pct_gdp']:.2f} % "
                        f"of GDP in {status['year']}, with the 2 % and 3.5 % targets; below, a "
                        f"bar splitting it: {nato:.2f} % to NATO capability targets and "
                        f"{eu:.2f} % to EU joint programmes."))


class ObligationsExplorer(Explorer):
    """A country dropdown, a budget-split slider, a reset button, chart and text."""

    def __init__(self) -> None:
        self.countries = data.load_dataset("countries")
        self.articles = data.load_dataset("treaty_articles")
        self.spending = data.load_dataset("defence_spending")
        self.targets = data.load_dataset("spending_targets")
        self.names = self.countries.set_index("country")["name"].astype(str)
        codes = sorted(obligations.member_codes(self.countries), key=lambda c: self.names[c])
        self.country = widgets.Dropdown(options=[(self.names[c], c) for c in codes],
                                        value=DEFAULT_COUNTRY, description="Country")
        self.share_to_nato = widgets.FloatSlider(
            value=50, min=0, max=100, step=5, readout_format=".0f", continuous_update=False,
            description="Share of the budget for NATO capability targets (%)",
            style={"description_width": "22rem"}, layout=widgets.Layout(width="44rem"))
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self.commitments = widgets.HTML()
        self.result = widgets.HTML()
        self.output = widgets.Output()
        self.chart: alt.TopLevelMixin | None = None
        self.status: dict = {}
        self._holding = False
        self.country.observe(self.update, names="value")
        self.share_to_nato.observe(self.update, names="value")
        self.reset_button.on_click(self.reset)
        self.widget = widgets.VBox([widgets.HBox([self.country, self.reset_button]),
                                    self.commitments, self.share_to_nato, self.result,
                                    self.output])
        self.update()

    def update(self, change: object = None) -> None:
        if self._holding:
            return
        code = self.country.value
        name = self.names[code]
        table = obligations.commitments(self.countries, self.articles, code)
        self.commitments.value = commitments_html(table)
        self.status = obligations.spending_vs_targets(self.spending, self.targets,
                                                      self.countries, code)
        share = self.share_to_nato.value / 100
        self.share_to_nato.disabled = self.status["nato_release"] is None
        text = spending_text(self.status, name)
        if self.status["nato_release"] is not None:
            nato, eu = obligations.split_budget(self.status["pct_gdp"], share)
            text += (f"<p>Budget split: of {self.status['pct_gdp']:.2f} % of GDP, <b>{nato:.2f} "
                     f"%</b> to NATO capability targets and <b>{eu:.2f} %</b> to EU joint "
                     f"programmes. <small>{SPLIT_NOTE}</small></p>")
        self.result.value = text
        series = obligations.spending_series(self.spending, code)
        self.chart = obligations_chart(series, self.status, name, share,
                                       obligations.targets_pct(self.targets))
        redraw(self.output, self.chart)

    def reset(self, _: object = None) -> None:
        self._holding = True
        try:
            self.country.value = DEFAULT_COUNTRY
            self.share_to_nato.value = 50
        finally:
            self._holding = False
        self.update()
