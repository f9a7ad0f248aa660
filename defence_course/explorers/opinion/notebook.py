"""Notebook explorer for chapter 2: a survey question, a country and the aggregate."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from defence_course import data
from defence_course.explorers._notebook import ChartView, Explorer
from defence_course.explorers.opinion import DEFAULT_QUESTION, NONE
from defence_course.explorers.opinion.website import opinion_explorer
from defence_course.models import opinion


def details_html(
    details: opinion.QuestionDetails, comparison: pd.DataFrame, has_countries: bool = True
) -> str:
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
            lines.append(
                f"{html.escape(row.area)}: <b>{row.value_pct:.0f} %</b>, {points}{side} "
                f"the {html.escape(aggregate['area'])} ({aggregate['value_pct']:.0f} %)."
            )
    if not lines:
        lines.append(
            f"{html.escape(aggregate['area'])}: <b>{aggregate['value_pct']:.0f} %</b>. "
            + (
                "Choose countries to compare."
                if has_countries
                else "The source gives no by-country figures for this question."
            )
        )
    link = f' <a href="{html.escape(details.url)}" target="_blank">link</a>' if details.url else ""
    return (
        "<p>" + "<br>".join(lines) + "</p>"
        f"<p><b>Question wording</b> ({html.escape(details.survey)}, fieldwork "
        f"{html.escape(details.fieldwork)}): <i>{html.escape(details.wording)}</i><br>"
        f"<b>Answer shown</b>: {html.escape(details.answer)}. "
        f"<b>Who was asked</b>: {html.escape(details.population)}.<br>"
        f"<b>Source</b>: {html.escape(details.source)}{link}.<br>"
        f"<small>{html.escape(details.note)}</small></p>"
    )


class OpinionExplorer(Explorer):
    """A question, a country to compare, a reset button, the chart and the question's text."""

    def __init__(self) -> None:
        self.opinion = data.load_dataset("opinion")
        self.questions = data.load_dataset("survey_questions")
        self.sources = data.load_dataset("sources")
        self.countries = data.load_dataset("countries")
        self.names = self.countries.set_index("country")["name"].astype(str)
        choices = opinion.question_choices(self.opinion, self.questions)
        self.question = widgets.Dropdown(
            options=choices,
            value=DEFAULT_QUESTION,
            description="Survey question",
            style={"description_width": "8rem"},
            layout=widgets.Layout(width="46rem"),
        )
        # Every country with a figure for some question, as on the website (the list stays the
        # same when the question changes; a country without a figure for it is said so).
        codes = sorted(
            {str(c) for c in self.opinion["country"].dropna()}, key=lambda c: self.names[c]
        )
        self.country = widgets.Dropdown(
            options=[("(none: all countries)", NONE)] + [(self.names[c], c) for c in codes],
            value=NONE,
            description="Compare a country",
            style={"description_width": "8rem"},
            layout=widgets.Layout(width="24rem"),
        )
        self.reset_button = self.make_reset_button()
        self.result = widgets.HTML()
        self.chart = opinion_explorer()
        self.view = ChartView(self.chart, {"question": self.question, "country": self.country})
        self.comparison = pd.DataFrame()
        self._holding = False
        self.question.observe(self._question_changed, names="value")
        self.country.observe(self.update, names="value")
        self.widget = widgets.VBox(
            [
                self.question,
                widgets.HBox([self.country, self.reset_button]),
                self.result,
                self.view.widget,
            ]
        )
        self._question_changed()

    def _question_changed(self, change: object = None) -> None:
        self._holding = True
        try:
            self.country.value = NONE
        finally:
            self._holding = False
        self.update()

    def update(self, change: object = None) -> None:
        if self._holding:
            return
        qid, code = self.question.value, self.country.value
        self.view.set({"question": qid, "country": code})
        details = opinion.question_details(self.questions, self.sources, qid, self.opinion)
        with_figures = list(opinion.countries_with_figures(self.opinion, qid))
        selected = [code] if code != NONE else with_figures
        if selected:
            self.comparison = opinion.compare_with_aggregate(
                self.opinion, self.questions, self.countries, qid, selected
            )
        else:
            aggregate = opinion.aggregate_row(self.opinion, qid)
            self.comparison = pd.DataFrame(
                [
                    {
                        "code": "",
                        "area": str(aggregate["area"]),
                        "is_aggregate": True,
                        "value_pct": float(aggregate["value_pct"]),
                        "gap_points": 0.0,
                        "source_id": str(aggregate["source_id"]),
                    }
                ]
            )
        self.result.value = details_html(details, self.comparison, bool(with_figures))

    def reset(self, _: object = None) -> None:
        if self.question.value == DEFAULT_QUESTION:
            self._question_changed()
        else:
            self.question.value = DEFAULT_QUESTION
