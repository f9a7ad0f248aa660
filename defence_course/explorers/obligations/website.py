"""Kernel-free explorer for chapter 4: commitments, spending and a budget split by country.

The budget split is not zero-sum: one slider sends a share of the budget through EU joint
programmes, the other says how much of that money also fills NATO capability targets
(:func:`defence_course.models.obligations.split_budget`).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from defence_course import data
from defence_course.charts import BLUE, GREEN, ORANGE, PURPLE, VERMILLION, annotate
from defence_course.explorers._common import (
    AUTOSIZE,
    PANEL_WIDTH,
    lines_frame,
    slider,
    text_panel,
    wrap,
)
from defence_course.explorers.obligations import BOTH_SHARE, DEFAULT_COUNTRY, EU_SHARE
from defence_course.models import obligations

PARTS = (
    "National programmes for NATO targets",
    "EU programmes that also fill NATO targets",
    "EU programmes only",
)
MAX_COMMITMENT_LINES = 14
RELEASES = {  # short names of NATO's releases, for the text under the chart
    "2024-06": "NATO release of June 2024",
    "2025-08": "NATO release of August 2025 (partial)",
    "2026-07": "NATO release of July 2026 (core spending; after the article)",
}


def _tables() -> dict[str, pd.DataFrame]:
    countries = data.load_dataset("countries")
    articles = data.load_dataset("treaty_articles")
    spending = data.load_dataset("defence_spending")
    targets = data.load_dataset("spending_targets")
    names = countries.set_index("country")["name"].astype(str)
    codes = sorted(obligations.member_codes(countries), key=lambda c: names[c])
    texts, latest, series = {}, [], []
    for code in codes:
        lines = []
        for r in obligations.commitments(countries, articles, code).itertuples():
            lines.append(f"{r.commitment}: {'BINDS' if r.binds else 'does not bind'} ({r.why}).")
            if r.caveat:
                lines += wrap("   Caveat: " + r.caveat, 80)
        texts[code] = lines[:MAX_COMMITMENT_LINES]
        status = obligations.spending_vs_targets(spending, targets, countries, code)
        release = status.nato_release
        latest.append(
            {
                "country": code,
                "name": names[code],
                "year": status.year,
                "pct_gdp": status.pct_gdp,
                "estimate": status.estimate,
                "release": RELEASES.get(release, release) if release else "",
            }
        )
        if release:
            for r in obligations.spending_series(spending, code, release).itertuples():
                series.append(
                    {"country": code, "year": r.year, "pct_gdp": r.pct_gdp, "estimate": r.estimate}
                )
    goals = obligations.targets_pct(targets)
    return {
        "latest": pd.DataFrame(latest),
        "series": pd.DataFrame(series),
        "commitments": lines_frame(texts, "country"),
        "targets": pd.DataFrame({"target": list(goals), "pct_gdp": list(goals.values())}),
    }


EU_PART = "datum.pct_gdp * eu_pct / 100"
BOTH_PART = "datum.pct_gdp * eu_pct / 100 * both_pct / 100"
NATIONAL_PART = "datum.pct_gdp * (1 - eu_pct / 100)"
SPENDING_TEXT = (
    "!isValid(datum.pct_gdp) ? [datum.name + ' is not in NATO\\'s defence expenditure tables:', "
    "'no spending figure to compare with the targets,', 'and no budget to split.'] : "
    "[datum.name + ', ' + datum.year + (datum.estimate ? ' (NATO estimate)' : '') + ': ' "
    "+ format(datum.pct_gdp, '.2f') + ' % of GDP on defence.', "
    "'2 % guideline ' + (datum.pct_gdp >= 2 ? 'met' : 'not met') + '; 3.5 % core target ' "
    "+ (datum.pct_gdp >= 3.5 ? 'met.' : 'not met.'), "
    f"'EU joint programmes: ' + format({EU_PART}, '.2f') + ' % of GDP, of which ' "
    f"+ format({BOTH_PART}, '.2f') + ' % also fills NATO targets.', "
    f"'NATO capability targets: ' + format({NATIONAL_PART} + {BOTH_PART}, '.2f') "
    f"+ ' % (' + format({NATIONAL_PART}, '.2f') + ' % national + ' "
    f"+ format({BOTH_PART}, '.2f') + ' % via the EU).', "
    "'NATO\\'s spending targets count all ' + format(datum.pct_gdp, '.2f') + ' % either way.', "
    "'Figures: ' + datum.release + '.']"
)


def obligations_explorer() -> alt.VConcatChart:
    """Pick a country: its commitments, spending against 2 % and 3.5 %, and a budget split."""
    t = _tables()
    latest = t["latest"]
    n_lines = int(t["commitments"]["line"].max()) + 1
    top = max(6.0, float(latest["pct_gdp"].max()) + 0.5) // 1
    country = alt.param(
        name="country",
        value=DEFAULT_COUNTRY,
        bind=alt.binding_select(
            options=latest["country"].tolist(), labels=latest["name"].tolist(), name="Country "
        ),
    )
    commitments = text_panel(
        alt.Chart(t["commitments"]).transform_filter("datum.country == country"),
        n_lines,
        size=12,
        title="Mutual-defence commitments",
    )
    line = (
        alt.Chart(t["series"])
        .transform_filter("datum.country == country")
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="Year"),
            y=alt.Y(
                "pct_gdp:Q", title="Defence spending (% of GDP)", scale=alt.Scale(domain=[0, top])
            ),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("pct_gdp:Q", title="% of GDP"),
                alt.Tooltip("estimate:N", title="NATO estimate"),
            ],
        )
    )
    rules = (
        alt.Chart(t["targets"])
        .mark_rule(strokeDash=[4, 3])
        .encode(
            y="pct_gdp:Q",
            color=alt.Color(
                "target:N", title="Target", scale=alt.Scale(range=[ORANGE, VERMILLION])
            ),
        )
    )
    spending = (line + rules).properties(
        title="Defence spending against NATO's targets (one NATO release per country)",
        width=PANEL_WIDTH - 60,
        height=180,
    )
    table = [
        {
            key: None if pd.isna(value) else int(value) if key == "year" else value
            for key, value in row.items()
        }
        for row in latest.to_dict(orient="records")
    ]
    chosen = alt.Chart(alt.NamedData("latest_spending")).transform_filter(
        "datum.country == country"
    )
    split = (
        chosen.transform_filter("isValid(datum.pct_gdp)")
        .transform_calculate(
            national=NATIONAL_PART,
            both=BOTH_PART,
            eu_only=f"{EU_PART} - {BOTH_PART}",
        )
        .transform_fold(["national", "both", "eu_only"], as_=["key", "pct"])
        .transform_calculate(
            order="indexof(['national', 'both', 'eu_only'], datum.key)",
            part=f"{list(PARTS)!r}[indexof(['national', 'both', 'eu_only'], datum.key)]",
        )
        .mark_bar()
        .encode(
            x=alt.X(
                "pct:Q", title="Share of GDP (%)", stack="zero", scale=alt.Scale(domain=[0, top])
            ),
            color=alt.Color(
                "part:N",
                title="What the budget pays for",
                scale=alt.Scale(domain=list(PARTS), range=[GREEN, BLUE, PURPLE]),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("part:N", title="Part"),
                alt.Tooltip("pct:Q", title="% of GDP", format=".2f"),
            ],
        )
    )
    marks = alt.Chart(t["targets"]).mark_rule(strokeDash=[4, 3]).encode(x="pct_gdp:Q")
    budget = (split + marks).properties(
        title="What the latest budget pays for", width=PANEL_WIDTH - 60, height=40
    )
    summary = text_panel(
        chosen.transform_calculate(lines=SPENDING_TEXT)
        .transform_flatten(["lines"])
        .transform_window(line="row_number()")
        .transform_calculate(line="datum.line - 1", text="datum.lines"),
        6,
        size=12,
        bold_first=True,
    )
    chart = alt.vconcat(commitments, spending, budget, summary).properties(
        title="Explorer: who must help whom, and who pays?", autosize=AUTOSIZE
    )
    chart = chart.add_params(country, slider(EU_SHARE), slider(BOTH_SHARE))
    # Named, so that it is listed first (the website's "data behind this chart" table shows it)
    # and the views that read it share one copy of it.
    chart = chart.properties(datasets={"latest_spending": table})
    chart = chart.resolve_scale(color="independent")
    datasets = ["countries", "treaty_articles", "defence_spending", "spending_targets"]
    return annotate(
        chart,
        source="; ".join(data.source_line(name) for name in datasets),
        datasets=datasets,
        description=(
            f"Interactive explorer for the {len(latest)} EU and NATO member states. "
            "Choose a country to see whether NATO Article 5 and EU Article 42(7) "
            "bind it, with neutrality caveats; its defence spending by year "
            "from the latest NATO release complete for it, against the 2 % "
            "guideline and the 3.5 % core target; and two sliders that split its "
            "latest spending between national programmes and EU joint "
            "programmes, a share of which also fills NATO capability targets: "
            "spending is not assumed to be zero-sum."
        ),
    )
