"""Kernel-free explorer for chapter 5: Council voting rules and the Monte Carlo of chance."""

from __future__ import annotations

import functools

import altair as alt
import numpy as np
import pandas as pd

from defence_course import data
from defence_course.charts import (
    BLUE,
    GREEN,
    GREY,
    PURPLE,
    USERMETA_KEY,
    VERMILLION,
    annotate,
)
from defence_course.explorers._common import AUTOSIZE, PANEL_WIDTH, slider, text_panel
from defence_course.explorers.council import AS_PRESET, CHANCE, VOTES
from defence_course.models import council

PRESETS = ["nobody", *council.PRESETS, "all 27"]
CURVE_P = np.round(np.linspace(0, 1, 101), 2)
CURVE_VOTES = 20_000
VOTE_MARK = "council_votes"
# The page script makes the bars of VOTE_MARK clickable (and operable with Enter or Space):
# a bar's click sets the vote_<code> setting to the vote after the bar's current one, and
# choosing another preset sets every vote_<code> back to AS_PRESET.
CLICKABLE = {
    "mark": VOTE_MARK,
    "key": "code",
    "param_prefix": "vote_",
    "current": "vote",
    "values": VOTES,
    "reset_by": "preset",
    "reset_to": AS_PRESET,
    "list_label": "Votes of single states, as a list",
}

# The outcome, from one row that sums the states' votes (see defence_course.models.council).
QMV = (
    "datum.n_for >= 0.55 * datum.n && (datum.pop_for >= 0.65 * datum.pop "
    "|| datum.n - datum.n_for < 4)"
)
REINFORCED = "datum.n_for >= 0.72 * datum.n && datum.pop_for >= 0.65 * datum.pop"
UNANIMITY = (
    "datum.n_for > 0 && datum.n_for + datum.n_abs == datum.n "
    "&& !(datum.n_abs >= datum.n / 3 && datum.pop_abs >= datum.pop / 3)"
)
OUTCOME_LINES = (
    "['In favour: ' + datum.n_for + ' of ' + datum.n + ' states, holding ' "
    "+ format(100 * datum.pop_for / datum.pop, '.1f') + ' % of the EU population.', "
    "'Qualified majority: ' + (datum.qmv ? 'PASSES' : 'FAILS'), '   (' "
    "+ (datum.n_for < 0.55 * datum.n ? datum.n_for + ' states in favour, 55 % needs ' "
    "+ ceil(0.55 * datum.n) : datum.pop_for >= 0.65 * datum.pop ? 'enough states and people' "
    ": datum.n - datum.n_for < 4 ? 'fewer than four states could form a blocking minority' "
    ": 'under 65 % of the population; the states not in favour block') + ').', "
    "'Reinforced qualified majority (TFEU Art. 238(2)): ' + (datum.rqmv ? 'PASSES' : 'FAILS'), "
    "'   (' + (datum.n_for < 0.72 * datum.n ? datum.n_for + ' states in favour, 72 % needs ' "
    "+ ceil(0.72 * datum.n) : datum.pop_for >= 0.65 * datum.pop ? 'enough states and people' "
    ": 'under 65 % of the population') + ').', "
    "'Unanimity: ' + (datum.unanimity ? 'ADOPTED' : 'NOT ADOPTED'), '   (' "
    "+ (datum.n_for + datum.n_abs < datum.n ? (datum.n - datum.n_for - datum.n_abs) "
    "+ ' state(s) vote against' : datum.n_for == 0 ? 'no state supports it' "
    ": datum.unanimity ? 'no state votes against' "
    ": 'the abstainers are a third of the states with a third of the people') + ').']"
)


def members_table() -> pd.DataFrame:
    """EU members with population and preset membership."""
    members = council.eu_members(data.load_dataset("countries"))
    # Largest first, as the bars are drawn, so that the keyboard moves along the bars in order.
    table = members.rename(columns={"country": "code"}).sort_values(
        "population", ascending=False, ignore_index=True
    )
    table["population_m"] = (table["population"] / 1e6).round(2)
    for name, codes in council.PRESETS.items():
        table[name.replace(" ", "_")] = table["code"].isin(codes)
    return table


@functools.cache
def _curve() -> pd.DataFrame:
    return _curve_uncached()


def curve_table() -> pd.DataFrame:
    """Simulated pass rates (%) under both rules for p = 0, 0.01, ..., 1 (computed once)."""
    return _curve().copy()


def _curve_uncached() -> pd.DataFrame:
    curve = council.pass_rate_curve(CURVE_P, council.populations_from_data(), n_votes=CURVE_VOTES)
    return pd.DataFrame(
        {
            "p": curve["p"],
            "qualified majority": (100 * curve["qualified majority"]).round(3),
            "unanimity": (100 * curve["unanimity"]).round(3),
        }
    )


def council_explorer() -> alt.VConcatChart:
    """Presets and a switch per state; the outcome under both rules; pass rates against p."""
    members = members_table()
    n = len(members)
    preset = alt.param(
        name="preset", value="nobody", bind=alt.binding_select(options=PRESETS, name="Start from ")
    )
    votes_of_states = [
        alt.param(
            name=f"vote_{code}",
            value=AS_PRESET,
            bind=alt.binding_select(options=[AS_PRESET, *VOTES], name=f"{name} "),
        )
        for code, name in sorted(
            zip(members["code"], members["name"], strict=True), key=lambda pair: pair[1]
        )
    ]
    others = alt.param(
        name="others",
        value="against",
        bind=alt.binding_select(
            options=["against", "abstain"],
            labels=["vote against", "abstain (constructive abstention, TEU Art. 31(1))"],
            name="States not in the preset ",
        ),
    )

    base = " : ".join(
        f"preset == '{name}' ? datum.{name.replace(' ', '_')}" for name in council.PRESETS
    )
    chosen = " : ".join(f"datum.code == '{code}' ? vote_{code}" for code in members["code"])
    votes = (
        alt.Chart(members)
        .transform_calculate(
            base=f"preset == 'all 27' ? true : {base} : false",
            chosen=f"{chosen} : '{AS_PRESET}'",
        )
        .transform_calculate(
            vote=(
                f"datum.chosen != '{AS_PRESET}' ? datum.chosen : datum.base ? 'in favour' "
                ": others == 'abstain' ? 'abstains' : 'against'"
            ),
        )
        .transform_calculate(
            support="datum.vote == 'in favour'",
            label=(
                "datum.name + ', ' + format(datum.population_m, '.1f') + ' million people: ' "
                "+ datum.vote + '. Enter or Space changes the vote.'"
            ),
        )
    )
    bars = (
        votes.mark_bar(cursor="pointer")
        .encode(
            x=alt.X(
                "name:N",
                title=None,
                sort=alt.EncodingSortField("population", order="descending"),
                axis=alt.Axis(labelAngle=-50),
            ),
            y=alt.Y("population_m:Q", title="Population (millions)"),
            color=alt.Color(
                "vote:N",
                title="Vote",
                scale=alt.Scale(domain=VOTES, range=[GREEN, VERMILLION, GREY]),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="State"),
                alt.Tooltip("vote:N", title="Vote"),
                alt.Tooltip("population_m:Q", title="Population (m)"),
            ],
            description="label:N",
        )
        .properties(
            name=VOTE_MARK,
            title=alt.Title(
                "Who supports the proposal?",
                subtitle=[
                    "Start from a preset, then click a state's bar (or press Enter or Space",
                    "on it) to change its vote: in favour, against, abstains",
                ],
            ),
            width=PANEL_WIDTH,
            height=150,
        )
    )
    outcome = text_panel(
        votes.transform_calculate(
            for01="datum.support ? 1 : 0",
            abs01="datum.vote == 'abstains' ? 1 : 0",
            popfor="datum.support ? datum.population : 0",
            popabs="datum.vote == 'abstains' ? datum.population : 0",
        )
        .transform_aggregate(
            n="count()",
            n_for="sum(for01)",
            n_abs="sum(abs01)",
            pop="sum(population)",
            pop_for="sum(popfor)",
            pop_abs="sum(popabs)",
        )
        .transform_calculate(qmv=QMV, rqmv=REINFORCED, unanimity=UNANIMITY)
        .transform_calculate(
            lines=OUTCOME_LINES,
        )
        .transform_flatten(["lines"])
        .transform_window(line="row_number()")
        .transform_calculate(line="datum.line - 1", text="datum.lines"),
        7,
        size=13,
        bold_first=True,
    )

    curve = alt.Chart(curve_table())
    lines = (
        curve.transform_fold(["qualified majority", "unanimity"], as_=["rule", "rate"])
        .mark_line()
        .encode(
            x=alt.X("p:Q", title="p, the chance that each state says yes"),
            y=alt.Y("rate:Q", title="Proposals passed (%)"),
            color=alt.Color("rule:N", title="Rule", scale=alt.Scale(range=[BLUE, PURPLE])),
            tooltip=[
                alt.Tooltip("p:Q", format=".2f"),
                alt.Tooltip("rule:N", title="Rule"),
                alt.Tooltip("rate:Q", title="Passed (%)", format=".2f"),
            ],
        )
    )
    marker = (
        alt.Chart(alt.sequence(0, 1, as_="i"))
        .transform_calculate(x="p")
        .mark_rule(strokeDash=[4, 3])
        .encode(x="x:Q")
    )
    simulated = (lines + marker).properties(
        title=alt.Title(
            "How often proposals pass if each state says yes with chance p",
            subtitle=f"{CURVE_VOTES:,} simulated votes of the {n} states for each p",
        ),
        width=PANEL_WIDTH,
        height=180,
    )
    at_p = text_panel(
        curve.transform_filter("abs(datum.p - p) < 0.005")
        .transform_calculate(
            lines=(
                "['At p = ' + format(p, '.2f') + ': qualified majority passes ' "
                "+ format(datum['qualified majority'], '.1f') + ' % of simulated votes;', "
                "'unanimity passes ' + format(datum.unanimity, '.2f') + ' % '"
                f" + '(exactly p^{n} = ' + format(100 * pow(p, {n}), '.2f') + ' %).']"
            ),
        )
        .transform_flatten(["lines"])
        .transform_window(line="row_number()")
        .transform_calculate(line="datum.line - 1", text="datum.lines"),
        2,
        size=13,
        bold_first=True,
    )
    growth = (
        alt.Chart(alt.sequence(1, 41, as_="states"))
        .transform_calculate(
            chance="100 * pow(p, datum.states)",
            now=f"datum.states == {n} ? 'today ({n} states)' : 'other sizes'",
        )
        .mark_point(filled=True)
        .encode(
            x=alt.X("states:Q", title="Member states (n)"),
            y=alt.Y("chance:Q", title="All say yes (%)"),
            color=alt.Color(
                "now:N",
                title=None,
                scale=alt.Scale(
                    domain=[f"today ({n} states)", "other sizes"], range=[VERMILLION, BLUE]
                ),
            ),
            tooltip=[
                alt.Tooltip("states:Q", title="States"),
                alt.Tooltip("chance:Q", title="All say yes (%)", format=".3g"),
            ],
        )
        .properties(
            title=alt.Title(
                "Unanimity collapses as the Union grows",
                subtitle="the chance p^n that all n states say yes",
            ),
            width=PANEL_WIDTH,
            height=150,
        )
    )
    chart = (
        alt.vconcat(bars, outcome, simulated, at_p, growth)
        .properties(title="Explorer: how the Council of the EU decides", autosize=AUTOSIZE)
        .add_params(preset, others, *votes_of_states, slider(CHANCE))
        .resolve_scale(color="independent")
    )
    chart = annotate(
        chart,
        source=data.source_line("countries") + " (population on 1 January "
        "2025); voting rules: TEU Art. 16(4) and 31(1), TFEU Art. 238(2)",
        datasets=["countries"],
        description=(
            f"Interactive voting simulator for the {n} EU member states. Choose a "
            "preset coalition (eastern flank, neutrals, founders, all or nobody) "
            "and set how the states outside it vote (against or abstain); a click on "
            "a state's bar, or Enter or Space on it, changes its vote (in favour, "
            "against, abstains). The text gives the outcome by qualified "
            "majority (55 % of states and 65 % of the population, blocking "
            "minority of at least four), by reinforced qualified majority (72 % of "
            "states and 65 % of the population, for decisions not proposed by the "
            "Commission or the High Representative) and by unanimity with constructive "
            "abstention. A line chart shows simulated pass rates under both rules "
            "as p, the chance that each state says yes, varies, and a dot chart "
            "shows how p^n, the chance of unanimity, falls as the number of states "
            "grows."
        ),
    )
    chart.usermeta[USERMETA_KEY]["clickable"] = CLICKABLE
    return chart
