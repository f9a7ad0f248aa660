"""Notebook explorer for chapter 5: Council votes under unanimity and qualified majority."""

from __future__ import annotations

import html

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd

from defence_course import data
from defence_course.charts import annotate
from defence_course.explorers._common import AUTOSIZE
from defence_course.models import council
from defence_course.widgets._common import Explorer, redraw

DEFAULT_P = 0.8
CURVE_P = np.round(np.linspace(0, 1, 101), 2)
STATE_COUNTS = np.arange(1, 41)


def council_source() -> str:
    return (data.source_line("countries") + " (population on 1 January 2025); voting rules: TEU "
            "Art. 16(4) and 31(1), TFEU Art. 238(3)")


def coalition_frame(outcome: dict) -> pd.DataFrame:
    return pd.DataFrame({
        "measure": ["Member states in favour (%)", "Population in favour (%)"],
        "value": [100 * outcome["states_for"] / outcome["states_total"],
                  100 * outcome["population_share_for"]],
        "threshold": [100 * council.STATE_THRESHOLD, 100 * council.POPULATION_THRESHOLD],
        "detail": [f"{outcome['states_for']} of {outcome['states_total']} states",
                   f"{100 * outcome['population_share_for']:.1f} % of EU population"],
    })


def council_chart(outcome: dict, curve: pd.DataFrame, p: float, n_states: int) -> alt.VConcatChart:
    """The coalition against the QMV thresholds; pass rate against p; p**n against n."""
    frame = coalition_frame(outcome)
    bars = alt.Chart(frame).mark_bar(color="#0072B2").encode(
        x=alt.X("value:Q", title="Share in favour (%)", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("measure:N", title=None),
        tooltip=[alt.Tooltip("measure:N", title="Measure"), alt.Tooltip("detail:N", title="Count"),
                 alt.Tooltip("threshold:Q", title="QMV threshold (%)")],
    )
    ticks = alt.Chart(frame).mark_tick(color="#D55E00", thickness=3, size=30).encode(
        x="threshold:Q", y="measure:N")
    verdict = (("passes" if outcome["qualified_majority"] else "fails")
               + " by qualified majority; "
               + ("adopted" if outcome["unanimity"] else "not adopted") + " under unanimity")
    top = (bars + ticks).properties(
        title=alt.Title("The coalition against the qualified-majority thresholds",
                        subtitle=f"It {verdict} (orange ticks: 55 % of states, 65 % of people)"),
        width=460, height=90)
    long = curve.melt("p", ["qualified majority", "unanimity"], var_name="rule",
                      value_name="pass_rate")
    long["pass_rate"] *= 100
    lines = alt.Chart(long).mark_line().encode(
        x=alt.X("p:Q", title="Probability that each state supports (p)"),
        y=alt.Y("pass_rate:Q", title="Proposals passed (%)"),
        color=alt.Color("rule:N", title="Rule"),
        tooltip=[alt.Tooltip("p:Q", format=".2f"), alt.Tooltip("rule:N", title="Rule"),
                 alt.Tooltip("pass_rate:Q", title="Passed (%)", format=".2f")],
    )
    marker = alt.Chart(pd.DataFrame({"p": [p]})).mark_rule(strokeDash=[4, 3]).encode(x="p:Q")
    middle = (lines + marker).properties(
        title=alt.Title("How often a proposal passes if each state says yes with probability p",
                        subtitle=f"{len(CURVE_P)} values of p, 20,000 simulated votes each"),
        width=460, height=200)
    collapse = pd.DataFrame({"states": STATE_COUNTS,
                             "pass_rate": 100 * council.unanimity_pass_probability(
                                 p, STATE_COUNTS)})
    collapse["now"] = collapse["states"].eq(n_states)
    bottom = alt.Chart(collapse).mark_line(point=True).encode(
        x=alt.X("states:Q", title="Number of member states (n)"),
        y=alt.Y("pass_rate:Q", title="Unanimous yes (%)"),
        tooltip=[alt.Tooltip("states:Q", title="States"),
                 alt.Tooltip("pass_rate:Q", title="Chance all say yes (%)", format=".3g")],
    ).properties(title=alt.Title(f"Unanimity collapses as the Union grows: p^n with p = {p:.2f}",
                                 subtitle=f"today n = {n_states}"), width=460, height=160)
    chart = alt.vconcat(top, middle, bottom).properties(autosize=AUTOSIZE)
    return annotate(chart, source=council_source(), description=(
        f"Three charts. The chosen coalition has {outcome['states_for']} of "
        f"{outcome['states_total']} states and {100 * outcome['population_share_for']:.1f} % of "
        f"the EU population and {verdict}. Simulated pass rates rise with p much sooner under "
        f"qualified majority than under unanimity; with p = {p:.2f}, the chance that all "
        f"{n_states} states say yes is {100 * p ** n_states:.3g} %."))


class CouncilExplorer(Explorer):
    """Checkboxes per state, presets, the abstention choice, p for the Monte Carlo, reset."""

    def __init__(self) -> None:
        members = council.eu_members(data.load_dataset("countries"))
        self.populations = pd.Series(members["population"].to_numpy(), index=members["country"])
        self.names = dict(zip(members["country"], members["name"], strict=True))
        self.checkboxes = {code: widgets.Checkbox(value=False, description=name, indent=False,
                                                  layout=widgets.Layout(width="11rem"))
                           for code, name in self.names.items()}
        self.preset_buttons = {name: widgets.Button(description=name.capitalize())
                               for name in council.PRESETS}
        self.all_button = widgets.Button(description="All 27")
        self.none_button = widgets.Button(description="Nobody")
        self.others = widgets.ToggleButtons(options=["vote against", "abstain"],
                                            value="vote against",
                                            description="States not in favour")
        self.p = widgets.FloatSlider(value=DEFAULT_P, min=0, max=1, step=0.01,
                                     continuous_update=False, readout_format=".2f",
                                     description="p (chance each state says yes)",
                                     style={"description_width": "14rem"},
                                     layout=widgets.Layout(width="40rem"))
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self.result = widgets.HTML()
        self.output = widgets.Output()
        self.chart: alt.TopLevelMixin | None = None
        self.outcome: dict = {}
        self.monte_carlo: dict = {}
        self.curve = council.pass_rate_curve(CURVE_P, self.populations)
        self._holding = False
        for box in self.checkboxes.values():
            box.observe(self.update, names="value")
        for name, button in self.preset_buttons.items():
            button.on_click(lambda _, name=name: self.choose(council.PRESETS[name]))
        self.all_button.on_click(lambda _: self.choose(self.names))
        self.none_button.on_click(lambda _: self.choose(()))
        self.others.observe(self.update, names="value")
        self.p.observe(self.update, names="value")
        self.reset_button.on_click(self.reset)
        grid = widgets.GridBox(list(self.checkboxes.values()),
                               layout=widgets.Layout(grid_template_columns="repeat(4, 11rem)"))
        self.widget = widgets.VBox([
            widgets.HTML("<b>Which states support the proposal?</b>"),
            widgets.HBox([*self.preset_buttons.values(), self.all_button, self.none_button]),
            grid, self.others, self.p, self.reset_button, self.result, self.output])
        self.update()

    def supporters(self) -> list[str]:
        return [code for code, box in self.checkboxes.items() if box.value]

    def choose(self, codes) -> None:
        """Tick exactly the states in ``codes`` (one redraw)."""
        codes = set(codes)
        self._holding = True
        try:
            for code, box in self.checkboxes.items():
                box.value = code in codes
        finally:
            self._holding = False
        self.update()

    def update(self, change: object = None) -> None:
        if self._holding:
            return
        supporters = self.supporters()
        abstainers = ([c for c in self.names if c not in supporters]
                      if self.others.value == "abstain" else [])
        self.outcome = council.vote_outcome(supporters, abstainers, self.populations)
        p = float(self.p.value)
        n = len(self.populations)
        if self.monte_carlo.get("p") != p:  # the simulation depends on p only
            self.monte_carlo = {"p": p, **{
                rule: council.pass_probability_monte_carlo(p, rule, self.populations, rng=0)
                for rule in council.RULES}}
        o = self.outcome
        names = ", ".join(self.names[c] for c in supporters) or "no state"
        self.result.value = (
            f"<p><b>In favour</b>: {html.escape(names)} ({o['states_for']} of {o['states_total']} "
            f"states, {o['population_share_for']:.1%} of the EU population).</p>"
            f"<p><b>Qualified majority</b>: {html.escape(o['qualified_majority_reason'])}.<br>"
            f"<b>Unanimity</b> (the others {self.others.value}): "
            f"{html.escape(o['unanimity_reason'])}.</p>"
            f"<p><b>Monte Carlo</b>: if each state says yes with probability p = {p:.2f}, "
            f"{council.DEFAULT_VOTES:,} simulated votes pass "
            f"{self.monte_carlo['qualified majority']:.1%} of the time by qualified majority and "
            f"{self.monte_carlo['unanimity']:.2%} under unanimity (exactly p^{n} = "
            f"{p ** n:.2%}).</p>")
        self.chart = council_chart(self.outcome, self.curve, p, n)
        redraw(self.output, self.chart)

    def reset(self, _: object = None) -> None:
        self._holding = True
        try:
            self.others.value = "vote against"
            self.p.value = DEFAULT_P
        finally:
            self._holding = False
        self.choose(())
