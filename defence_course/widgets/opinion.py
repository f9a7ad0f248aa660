"""Notebook explorer for chapter 2: a survey question, chosen countries and the aggregate."""

from __future__ import annotations

import html

import altair as alt
import ipywidgets as widgets
import pandas as pd

from defence_course import data
from defence_course.charts import annotate, value_labels
from defence_course.explorers._common import AUTOSIZE
from defence_course.models import opinion
from defence_course.widgets._common import Explorer, redraw

DEFAULT_QUESTION = "eb96-2022-common-defence-security-policy"


def opinion_chart(comparison: pd.DataFrame, history: pd.DataFrame, details: dict) -> alt.Chart:
    """Bars for the aggregate and the chosen countries; the item's aggregate across waves."""
    shown = comparison.dropna(subset=["value_pct"]).assign(
        who=lambda f: f["is_aggregate"].map({True: "Survey aggregate", False: "Country"}))
    aggregate = float(comparison.loc[comparison["is_aggregate"], "value_pct"].iloc[0])
    title = f"{details['short_label']}: {details['survey'].split('(')[0].strip()}"
    heading = alt.Title(title, subtitle=f"Answer: {details['answer']}")
    bars = alt.Chart(shown, title=heading).mark_bar().encode(
        x=alt.X("value_pct:Q", title="Share of respondents (%)", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("area:N", title=None, sort="-x"),
        color=alt.Color("who:N", title=None, sort=["Survey aggregate", "Country"]),
        tooltip=[alt.Tooltip("area:N", title="Who"), alt.Tooltip("value_pct:Q", title="Share (%)"),
                 alt.Tooltip("gap_points:Q", title="Points above the aggregate", format="+.0f")],
    )
    labels = value_labels(bars, alt.Text("value_pct:Q", format=".0f"), align="left", dx=4)
    rule = alt.Chart(pd.DataFrame({"value_pct": [aggregate]})).mark_rule(
        strokeDash=[4, 3]).encode(x="value_pct:Q")
    top = (bars + labels + rule).properties(width=460, height=max(60, 22 * len(shown)))
    trend = alt.Chart(history, title="The same item in other waves (survey aggregate)").mark_line(
        point=True).encode(
        x=alt.X("year:O", title="Survey year"),
        y=alt.Y("value_pct:Q", title="Share of respondents (%)", scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("survey:N", title="Survey"), alt.Tooltip("area:N", title="Who"),
                 alt.Tooltip("value_pct:Q", title="Share (%)")],
    ).properties(width=460, height=140)
    chart = alt.vconcat(top, trend).properties(autosize=AUTOSIZE)
    described = "; ".join(f"{r.area}: {r.value_pct:.0f} %" for r in shown.itertuples())
    return annotate(chart, source=details["source"] + "; " + data.source_line("opinion"),
                    description=f"Bar chart for '{details['short_label']}' ({details['survey']}): "
                    f"{described}. Below, the survey aggregate of the same item by year.")


def details_html(details: dict, comparison: pd.DataFrame, has_countries: bool = True) -> str:
    """Comparison sentences, then the exact wording and the source."""
    aggregate = comparison[comparison["is_aggregate"]].iloc[0]
    lines = []
    for row in comparison[~comparison["is_aggregate"]].itertuples():
        if pd.isna(row.value_pct):
            lines.append(f"{html.escape(row.area)}: no figure in the source for this question.")
        else:
            gap = row.gap_points
            side = "above" if gap > 0 else "below" if gap < 0 else "equal to"
            points = f"{abs(gap):.0f} points " if gap else ""
            lines.append(f"{html.escape(row.area)}: <b>{row.value_pct:.0f} %</b>, {points}{side} "
                         f"the {html.escape(aggregate['area'])} ({aggregate['value_pct']:.0f} %).")
    if not lines:
        lines.append(f"{html.escape(aggregate['area'])}: <b>{aggregate['value_pct']:.0f} %</b>. "
                     + ("Choose countries to compare." if has_countries else
                        "The source gives no by-country figures for this question."))
    link = (f' <a href="{html.escape(details["url"])}" target="_blank">link</a>'
            if details["url"] else "")
    return ("<p>" + "<br>".join(lines) + "</p>"
            f"<p><b>Question wording</b> ({html.escape(details['survey'])}, fieldwork "
            f"{html.escape(details['fieldwork'])}): <i>{html.escape(details['wording'])}</i><br>"
            f"<b>Answer shown</b>: {html.escape(details['answer'])}. "
            f"<b>Who was asked</b>: {html.escape(details['population'])}.<br>"
            f"<b>Source</b>: {html.escape(details['source'])}{link}.<br>"
            f"<small>{html.escape(details['note'])}</small></p>")


class OpinionExplorer(Explorer):
    """A question dropdown, a country list, a reset button, a chart and the question's text."""

    def __init__(self) -> None:
        self.opinion = data.load_dataset("opinion")
        self.questions = data.load_dataset("survey_questions")
        self.sources = data.load_dataset("sources")
        self.countries = data.load_dataset("countries")
        self.names = self.countries.set_index("country")["name"].astype(str)
        choices = opinion.question_choices(self.opinion, self.questions)
        self.question = widgets.Dropdown(options=choices, value=DEFAULT_QUESTION,
                                         description="Survey question",
                                         style={"description_width": "8rem"},
                                         layout=widgets.Layout(width="46rem"))
        self.countries_select = widgets.SelectMultiple(
            description="Countries", rows=8, style={"description_width": "8rem"},
            layout=widgets.Layout(width="24rem"))
        self.all_button = widgets.Button(description="All with figures")
        self.none_button = widgets.Button(description="None")
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self.result = widgets.HTML()
        self.output = widgets.Output()
        self.chart: alt.TopLevelMixin | None = None
        self.comparison = pd.DataFrame()
        self._holding = False
        self.question.observe(self._question_changed, names="value")
        self.countries_select.observe(self.update, names="value")
        self.all_button.on_click(lambda _: self.select_all())
        self.none_button.on_click(lambda _: self._set_countries(()))
        self.reset_button.on_click(self.reset)
        self.widget = widgets.VBox([
            self.question,
            widgets.HBox([self.countries_select,
                          widgets.VBox([self.all_button, self.none_button, self.reset_button])]),
            self.result, self.output])
        self._question_changed()

    def _question_changed(self, change: object = None) -> None:
        codes = opinion.countries_with_figures(self.opinion, self.question.value)
        self._holding = True
        try:
            self.countries_select.options = [(self.names[c], c) for c in codes]
            self.countries_select.value = tuple(codes)
        finally:
            self._holding = False
        self.update()

    def _set_countries(self, codes: tuple[str, ...]) -> None:
        self.countries_select.value = tuple(codes)

    def select_all(self) -> None:
        self._set_countries(tuple(code for _, code in self.countries_select.options))

    def update(self, change: object = None) -> None:
        if self._holding:
            return
        qid = self.question.value
        details = opinion.question_details(self.questions, self.sources, qid, self.opinion)
        selected = list(self.countries_select.value)
        if selected:
            self.comparison = opinion.compare_with_aggregate(
                self.opinion, self.questions, self.countries, qid, selected)
        else:
            aggregate = opinion.aggregate_row(self.opinion, qid)
            self.comparison = pd.DataFrame([{
                "code": "", "area": str(aggregate["area"]), "is_aggregate": True,
                "value_pct": float(aggregate["value_pct"]), "gap_points": 0.0,
                "source_id": str(aggregate["source_id"])}])
        history = opinion.item_history(self.opinion, self.questions, qid)
        self.result.value = details_html(details, self.comparison,
                                         bool(self.countries_select.options))
        self.chart = opinion_chart(self.comparison, history, details)
        redraw(self.output, self.chart)

    def reset(self, _: object = None) -> None:
        if self.question.value == DEFAULT_QUESTION:
            self._question_changed()
        else:
            self.question.value = DEFAULT_QUESTION
