"""Figures of chapter 2, the US posture and European opinion."""

from __future__ import annotations

from typing import Any, Literal

import altair as alt
import pandas as pd

from defence_course import data
from defence_course.charts import BLUE, ORANGE, annotate, value_labels
from defence_course.figures._registry import figure
from defence_course.figures.eu_nato import ally_rows


@figure
def trump_poll_march_2025() -> alt.LayerChart:
    """The Le Grand Continent / Cluster17 poll of March 2025 behind the article's 63 % and 51 %."""
    opinion = data.load_dataset("opinion")
    questions = data.load_dataset("survey_questions").set_index("question_id")
    chosen = opinion[
        opinion["question_id"].str.startswith("lgc-2025-03") & opinion["country"].isna()
    ].copy()
    chosen["statement"] = chosen["question_id"].map(questions["short_label"])
    chosen = chosen[["statement", "area", "value_pct"]]
    bars = (
        alt.Chart(chosen, title="What nine EU countries' voters said in March 2025")
        .mark_bar()
        .encode(
            x=alt.X("value_pct:Q", title="Respondents (%)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y(
                "statement:N",
                title=None,
                sort=list(chosen.sort_values("value_pct", ascending=False)["statement"]),
                axis=alt.Axis(labelLimit=320),
            ),
            tooltip=[
                alt.Tooltip("statement:N", title="Answer"),
                alt.Tooltip("area:N", title="Who"),
                alt.Tooltip("value_pct:Q", title="Share (%)"),
            ],
        )
    )
    labels = value_labels(bars, alt.Text("value_pct:Q", format=".0f"), align="left", dx=4)
    chart = (bars + labels).properties(width="container", height=140)
    return annotate(
        chart,
        source=data.source_line("opinion", matching="Le Grand Continent"),
        datasets=["opinion"],
        description="Bar chart: "
        + "; ".join(f"{r.statement}: {r.value_pct:.0f} %" for r in chosen.itertuples()),
    )


COMMON_POLICY = "common-defence-security-policy"


@figure
def support_for_common_defence_trend() -> alt.LayerChart:
    """Eurobarometer: share of EU citizens for a common defence and security policy, by wave."""
    opinion = data.load_dataset("opinion")
    questions = data.load_dataset("survey_questions").set_index("question_id")
    chosen = opinion[
        opinion["question_id"].str.endswith(COMMON_POLICY)
        & opinion["country"].isna()
        & opinion["area"].str.fullmatch(r"EU\d\d")
    ].copy()
    chosen["year"] = chosen["question_id"].map(questions["year"]).astype(int)
    chosen["survey"] = chosen["question_id"].map(questions["survey"])
    frame = chosen[["year", "survey", "area", "value_pct"]].sort_values("year")
    line = (
        alt.Chart(
            frame, title="Support for a common defence and security policy among EU member states"
        )
        .mark_line(point=alt.OverlayMarkDef(size=80, filled=True))
        .encode(
            x=alt.X(
                "year:Q",
                title="Year of the survey",
                scale=alt.Scale(zero=False),
                axis=alt.Axis(format="d", tickMinStep=1),
            ),
            y=alt.Y(
                "value_pct:Q", title="Respondents in favour (%)", scale=alt.Scale(domain=[0, 100])
            ),
            tooltip=[
                alt.Tooltip("survey:N", title="Survey"),
                alt.Tooltip("area:N", title="Who was asked"),
                alt.Tooltip("value_pct:Q", title="In favour (%)"),
            ],
        )
    )
    labels = value_labels(line, alt.Text("value_pct:Q", format=".0f"), dy=-12)
    chart = (line + labels).properties(width="container", height=240)
    return annotate(
        chart,
        source=data.source_line("survey_questions", matching="Eurobarometer"),
        datasets=["survey_questions"],
        description="Line chart of the EU-wide share in favour, by survey: "
        + "; ".join(f"{r.year} ({r.area}): {r.value_pct:.0f} %" for r in frame.itertuples())
        + ".",
    )


@figure
def support_by_country_2022() -> alt.LayerChart:
    """Eurobarometer 96 (early 2022): support for a common defence policy in the countries
    for which results were published, beside the EU average."""
    opinion = data.load_dataset("opinion")
    chosen = opinion[opinion["question_id"] == f"eb96-2022-{COMMON_POLICY}"].copy()
    chosen["is EU average"] = chosen["country"].isna()
    frame = chosen[["area", "value_pct", "is EU average"]]
    bars = (
        alt.Chart(frame, title="In favour of a common defence and security policy, early 2022")
        .mark_bar()
        .encode(
            x=alt.X(
                "value_pct:Q", title="Respondents in favour (%)", scale=alt.Scale(domain=[0, 100])
            ),
            y=alt.Y(
                "area:N",
                title=None,
                sort=list(frame.sort_values("value_pct", ascending=False)["area"]),
            ),
            color=alt.Color(
                "is EU average:N",
                title=None,
                scale=alt.Scale(domain=[False, True], range=[BLUE, ORANGE]),
                legend=alt.Legend(
                    labelExpr="datum.value ? 'EU average' : 'Country (only those reported)'"
                ),
            ),
            tooltip=[
                alt.Tooltip("area:N", title="Who"),
                alt.Tooltip("value_pct:Q", title="In favour (%)"),
            ],
        )
    )
    labels = value_labels(bars, alt.Text("value_pct:Q", format=".0f"), align="left", dx=3)
    chart = (bars + labels).properties(width="container", height=260)
    return annotate(
        chart,
        source=data.source_line("opinion", matching="Eurobarometer"),
        datasets=["opinion"],
        description="Bar chart of the share in favour in early 2022: "
        + "; ".join(
            f"{r.area} {r.value_pct:.0f} %"
            for r in frame.sort_values("value_pct", ascending=False).itertuples()
        )
        + ".",
    )


@figure
def enemy_of_europe_by_country() -> alt.Chart:
    """Le Grand Continent / Cluster17: 'Trump is an enemy of Europe', by country and wave."""
    opinion = data.load_dataset("opinion")
    questions = data.load_dataset("survey_questions").set_index("question_id")
    chosen = opinion[opinion["question_id"].str.endswith("trump-enemy-of-europe")].copy()
    chosen["wave"] = chosen["question_id"].map(questions["survey"]).str.extract(r"\((.+)\)")[0]
    frame = chosen[["wave", "area", "value_pct"]]
    order = list(dict.fromkeys(frame["wave"]))
    chart = (
        alt.Chart(frame, title="Share who call Donald Trump 'an enemy of Europe'")
        .mark_circle(size=110, opacity=0.9)
        .encode(
            x=alt.X("value_pct:Q", title="Respondents (%)", scale=alt.Scale(domain=[0, 80])),
            y=alt.Y(
                "area:N",
                title=None,
                sort=alt.EncodingSortField("value_pct", op="max", order="descending"),
            ),
            color=alt.Color("wave:N", title="Poll wave", sort=order),
            shape=alt.Shape("wave:N", title="Poll wave", sort=order),
            tooltip=[
                alt.Tooltip("wave:N", title="Wave"),
                alt.Tooltip("area:N", title="Who"),
                alt.Tooltip("value_pct:Q", title="Enemy of Europe (%)"),
            ],
        )
        .properties(width="container", height=300)
    )
    return annotate(
        chart,
        source=data.source_line("opinion", matching="Le Grand Continent"),
        datasets=["opinion"],
        description="Dot chart by country and poll wave; the averages are "
        + "; ".join(
            f"{r.wave}: {r.value_pct:.0f} % ({r.area})"
            for r in frame[frame["area"].str.contains("average")].itertuples()
        )
        + ".",
    )


def facts() -> dict[str, object]:
    """Numbers the chapter's prose quotes, computed from the data."""
    opinion = data.load_dataset("opinion").set_index(["question_id", "area"])["value_pct"]
    poll = "9-country average"

    def pct(question: str, area: str) -> str:
        return f"{opinion[(question, area)]:.0f}"

    return {
        "posture_less_safe": pct("lgc-2025-03-trump-election-world-less-safe", poll),
        "posture_enemy": pct("lgc-2025-03-trump-enemy-of-europe", poll),
        "posture_own_forces": pct("lgc-2025-03-eu-rely-on-own-forces", poll),
        "posture_support_2025": pct(f"eb103-2025-{COMMON_POLICY}", "EU27"),
        "posture_support_2024": pct(f"eb101-2024-{COMMON_POLICY}", "EU27"),
        "posture_cooperation_2023": pct("eb100-2023-more-eu-defence-cooperation", "EU27"),
        "posture_cooperation_2024": pct("eb102-2024-more-defence-cooperation", "EU27"),
    }


# Allies that share a land border with Russia or Belarus (for the burden-sharing chart).
BORDER_STATES = {"EE", "LV", "LT", "PL", "FI", "NO"}
BURDEN_RELEASE = "2024-06"
BURDEN_GROUPS = ["United States", "Borders Russia or Belarus", "Other allies"]


@figure
def burden_sharing_table(year: int = 2024, release: str = BURDEN_RELEASE) -> pd.DataFrame:
    """Each ally's economic size and defence effort in ``year``, from one NATO release.

    GDP is derived from NATO's own two figures (defence spending in constant US dollars divided
    by defence spending as a share of GDP), so both axes of the chart come from one table.
    """
    allies = ally_rows(year, release)
    allies["gdp_usd_bn"] = (allies["usd_m_constant"] / (allies["pct_gdp"] / 100) / 1000).round(1)
    allies["group"] = allies["country"].map(
        lambda c: (
            BURDEN_GROUPS[0]
            if c == "US"
            else BURDEN_GROUPS[1]
            if c in BORDER_STATES
            else BURDEN_GROUPS[2]
        )
    )
    allies["pct_gdp"] = allies["pct_gdp"].astype(float)
    return (
        allies[["country", "area", "group", "gdp_usd_bn", "pct_gdp", "price_base"]]
        .sort_values("gdp_usd_bn", ascending=False)
        .reset_index(drop=True)
    )


@figure
def burden_sharing(year: int = 2024) -> alt.LayerChart:
    """Olson and Zeckhauser's prediction tested: do larger allies spend larger shares of GDP?"""
    frame = burden_sharing_table(year)
    base = alt.Chart(frame)
    points = base.mark_point(size=110, filled=True, opacity=0.9).encode(
        # two lines: on a phone one line would be wider than the chart
        x=alt.X(
            "gdp_usd_bn:Q",
            title=["GDP (billion US dollars, log scale),", str(frame["price_base"].iloc[0])],
            scale=alt.Scale(type="log", domain=[4, 40000], nice=False),
            # one label per power of ten: log axes otherwise crowd their labels on phones
            axis=alt.Axis(values=[10, 100, 1000, 10000], format=",.0f"),
        ),
        y=alt.Y(
            "pct_gdp:Q", title="Defence expenditure (% of GDP)", scale=alt.Scale(domain=[0, 4.5])
        ),
        color=alt.Color(
            "group:N",
            title="Ally",
            scale=alt.Scale(domain=BURDEN_GROUPS),
            legend=alt.Legend(orient="bottom", direction="vertical"),
        ),
        shape=alt.Shape(
            "group:N",
            title="Ally",
            scale=alt.Scale(domain=BURDEN_GROUPS),
            legend=alt.Legend(orient="bottom", direction="vertical"),
        ),
        tooltip=[
            alt.Tooltip("area:N", title="Ally"),
            alt.Tooltip("group:N", title="Group"),
            alt.Tooltip("gdp_usd_bn:Q", title="GDP (USD bn)", format=",.0f"),
            alt.Tooltip("pct_gdp:Q", title="Defence (% of GDP)", format=".2f"),
        ],
    )
    labelled = {"US", "DE", "IT", "PL", "EE", "LV", "LT", "GR"}
    named = base.transform_filter(alt.FieldOneOfPredicate(field="country", oneOf=sorted(labelled)))
    # Names of the largest economies go to the left of their point, so none runs off the chart.
    right_edge = alt.datum.gdp_usd_bn >= 2000
    sides: tuple[tuple[Any, Literal["left", "right"], int], ...] = (
        (~right_edge, "left", 7),
        (right_edge, "right", -7),
    )
    labels = [
        named.transform_filter(keep)
        .mark_text(align=align, dx=dx, dy=-6, fontSize=11)
        .encode(x="gdp_usd_bn:Q", y="pct_gdp:Q", text="area:N")
        for keep, align, dx in sides
    ]
    chart = alt.layer(points, *labels).properties(
        title=f"Economic size and defence effort of NATO allies, {year}",
        width="container",
        height=320,
    )
    # alt.layer() returns a FacetChart only for layers with facet encodings; these have none.
    assert isinstance(chart, alt.LayerChart)
    largest = frame.iloc[0]
    next_five = frame.iloc[1:6]
    border = frame[frame["group"] == BURDEN_GROUPS[1]]
    others = frame[frame["group"] == BURDEN_GROUPS[2]]
    rank = frame[["gdp_usd_bn", "pct_gdp"]].corr(method="spearman").iloc[0, 1]
    return annotate(
        chart,
        source=data.source_line("defence_spending", matching="2014-2024"),
        datasets=["defence_spending"],
        description=(
            f"Scatter plot of {len(frame)} allies in {year} (NATO, June 2024): economic size on a "
            f"log scale against defence spending as a share of GDP. The largest economy "
            f"({largest['area']}) spends {largest['pct_gdp']:.2f} %. The next five economies "
            f"({', '.join(next_five['area'])}) spend between {next_five['pct_gdp'].min():.2f} % "
            f"and {next_five['pct_gdp'].max():.2f} %. The {len(border)} allies bordering Russia "
            f"or Belarus have a median of {border['pct_gdp'].median():.2f} %, the other "
            f"{len(others)} a median of {others['pct_gdp'].median():.2f} %. Across all allies the "
            f"rank correlation between size and share is {rank:.2f}."
        ),
    )
