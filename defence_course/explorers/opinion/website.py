"""Kernel-free explorer for chapter 2: survey answers by country against the aggregate."""

from __future__ import annotations

import altair as alt
import pandas as pd

from defence_course import data
from defence_course.charts import BLACK, BLUE, VERMILLION, annotate
from defence_course.explorers._common import AUTOSIZE, PANEL_WIDTH, lines_frame, text_panel, wrap
from defence_course.explorers.opinion import DEFAULT_QUESTION, NONE
from defence_course.models import opinion

DETAIL_LINES = 10


def _tables() -> dict[str, pd.DataFrame]:
    answers = data.load_dataset("opinion")
    questions = data.load_dataset("survey_questions")
    sources = data.load_dataset("sources")
    countries = data.load_dataset("countries")
    names = countries.set_index("country")["name"].astype(str)
    choices = opinion.question_choices(answers, questions)
    ids = [qid for _, qid in choices]
    codes = sorted({str(c) for c in answers["country"].dropna()}, key=lambda c: names[c])

    bars, details, history = [], {}, []
    for qid in ids:
        aggregate = opinion.aggregate_row(answers, qid)
        common = {
            "question": qid,
            "agg_area": str(aggregate["area"]),
            "agg_value": float(aggregate["value_pct"]),
            "by_country": bool(opinion.countries_with_figures(answers, qid)),
        }
        bars.append(
            {
                **common,
                "area": str(aggregate["area"]),
                "code": "",
                "value": float(aggregate["value_pct"]),
                "kind": "survey aggregate",
            }
        )
        figures = answers[answers["question_id"].eq(qid) & answers["country"].notna()]
        for row in figures.itertuples():
            bars.append(
                {
                    **common,
                    "area": names[row.country],
                    "code": str(row.country),
                    "value": float(row.value_pct),
                    "kind": "country",
                }
            )
        d = opinion.question_details(questions, sources, qid, answers)
        lines = wrap(f"{d.survey} (fieldwork {d.fieldwork})", 80)
        lines += wrap("Question: " + d.wording, 80)
        lines += wrap(f"Answer shown: {d.answer}. Asked: {d.population}.", 80)
        lines += wrap("Source: " + d.source, 80)
        details[qid] = lines[:DETAIL_LINES]
        for h in opinion.item_history(answers, questions, qid).itertuples():
            history.append(
                {
                    "question": qid,
                    "year": h.year,
                    "value": h.value_pct,
                    "area": h.area,
                    "survey": h.survey,
                    "wave": "this survey" if h.chosen else "other waves",
                }
            )
    return {
        "choices": pd.DataFrame(choices, columns=["label", "question"]),
        "codes": pd.DataFrame({"code": codes, "name": [names[c] for c in codes]}),
        "bars": pd.DataFrame(bars),
        "details": lines_frame(details, "question"),
        "history": pd.DataFrame(history),
    }


# The comparison sentence, from one row aggregated over the chosen question's bars.
COMPARISON = (
    "country == 'none' ? (datum.agg_area + ': ' + format(datum.agg_value, '.0f') + ' %. '"
    " + (datum.by_country ? 'Choose a country to compare.'"
    " : 'The source gives no by-country figures for this question.'))"
    " : !isValid(datum.hit) ? names[country] + ': no figure in the source for this question.'"
    " : names[country] + ': ' + format(datum.hit, '.0f') + ' %, '"
    " + (datum.hit == datum.agg_value ? 'equal to'"
    " : format(abs(datum.hit - datum.agg_value), '.0f') + ' points '"
    " + (datum.hit > datum.agg_value ? 'above' : 'below'))"
    " + ' the ' + datum.agg_area + ' (' + format(datum.agg_value, '.0f') + ' %).'"
)


def opinion_explorer() -> alt.VConcatChart:
    """Pick a survey question and a country: bars, comparison, exact wording and source."""
    t = _tables()
    question = alt.param(
        name="question",
        value=DEFAULT_QUESTION,
        bind=alt.binding_select(
            options=t["choices"]["question"].tolist(),
            labels=t["choices"]["label"].tolist(),
            name="Survey question ",
        ),
    )
    country = alt.param(
        name="country",
        value=NONE,
        bind=alt.binding_select(
            options=[NONE, *t["codes"]["code"]],
            labels=["(none)", *t["codes"]["name"]],
            name="Compare a country ",
        ),
    )

    chosen = alt.Chart(t["bars"]).transform_filter("datum.question == question")
    colour = (
        alt.when("datum.code == country")
        .then(alt.value(VERMILLION))
        .when("datum.kind == 'survey aggregate'")
        .then(alt.value(BLACK))
        .otherwise(alt.value(BLUE))
    )
    bars = chosen.mark_bar().encode(
        x=alt.X("value:Q", title="Share of respondents (%)", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("area:N", title=None, sort="-x"),
        color=colour,
        tooltip=[alt.Tooltip("area:N", title="Who"), alt.Tooltip("value:Q", title="Share (%)")],
    )
    labels = chosen.mark_text(align="left", dx=4).encode(
        x="value:Q", y=alt.Y("area:N", sort="-x"), text=alt.Text("value:Q", format=".0f")
    )
    top = (bars + labels).properties(
        title=alt.Title(
            "Share giving the answer shown, by country and for the whole survey",
            subtitle="black: survey aggregate; orange: the country compared",
        ),
        width=PANEL_WIDTH - 120,
        height=alt.Step(18),
    )

    names = "{" + ", ".join(f"'{r.code}': '{r.name}'" for r in t["codes"].itertuples()) + "}"
    comparison = text_panel(
        chosen.transform_calculate(hit="datum.code == country ? datum.value : null")
        .transform_aggregate(hit="max(hit)", groupby=["agg_area", "agg_value", "by_country"])
        .transform_calculate(
            line="0", text=COMPARISON.replace("names[country]", f"{names}[country]")
        ),
        1,
        size=14,
        bold_first=True,
    )
    details = text_panel(
        alt.Chart(t["details"]).transform_filter("datum.question == question"),
        DETAIL_LINES,
        size=12,
        title="Exact wording and source",
    )
    trend = (
        alt.Chart(t["history"])
        .transform_filter("datum.question == question")
        .mark_point(filled=True, size=90)
        .encode(
            x=alt.X(
                "year:Q",
                title="Survey year",
                axis=alt.Axis(format="d"),
                scale=alt.Scale(domain=[2004, 2026]),
            ),
            y=alt.Y("value:Q", title="Share (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "wave:N",
                title=None,
                sort=["this survey", "other waves"],
                scale=alt.Scale(range=[VERMILLION, BLUE]),
            ),
            tooltip=[
                alt.Tooltip("survey:N", title="Survey"),
                alt.Tooltip("area:N", title="Who"),
                alt.Tooltip("value:Q", title="Share (%)"),
            ],
        )
        .properties(
            title="The same item in every wave in the data (survey aggregate)",
            width=PANEL_WIDTH - 120,
            height=120,
        )
    )
    chart = alt.vconcat(top, comparison, details, trend).properties(
        title="Explorer: what Europeans answered, country by country", autosize=AUTOSIZE
    )
    chart = chart.add_params(question, country)
    chart = chart.resolve_scale(color="independent")
    return annotate(
        chart,
        source=data.source_line("opinion"),
        datasets=["opinion"],
        description=(
            "Interactive bar chart. Choose one of the "
            f"{len(t['choices'])} survey questions in the data and, optionally, a country: the "
            "bars show the survey aggregate (the EU average for Eurobarometer, the average of the "
            "surveyed countries for Le Grand Continent polls) and every country with a published "
            "figure; the text compares the chosen country with the aggregate and gives the exact "
            "question wording and source; a dot chart shows the same item in other waves."
        ),
    )
