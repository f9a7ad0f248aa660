"""Notebook explorer for chapter 5: Council votes under unanimity and qualified majority."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from defence_course import data
from defence_course.explorers._notebook import ChartView, Explorer, float_slider
from defence_course.explorers.council import AS_PRESET, CHANCE, VOTES
from defence_course.explorers.council.website import council_explorer
from defence_course.models import council


class CouncilExplorer(Explorer):
    """A vote per state, presets, the vote of the rest, p for the Monte Carlo, reset."""

    preset_labels = (*(name.capitalize() for name in council.PRESETS), "All 27", "Nobody")

    def __init__(self) -> None:
        members = council.eu_members(data.load_dataset("countries"))
        self.populations = pd.Series(members["population"].to_numpy(), index=members["country"])
        self.names = dict(zip(members["country"], members["name"], strict=True))
        self.votes = {
            code: widgets.Dropdown(
                options=VOTES,
                value="against",
                description=name,
                style={"description_width": "6.5rem"},
                layout=widgets.Layout(width="14rem"),
            )
            for code, name in sorted(self.names.items(), key=lambda pair: pair[1])
        }
        self.preset_buttons = {
            name: widgets.Button(description=name.capitalize()) for name in council.PRESETS
        }
        self.all_button = widgets.Button(description="All 27")
        self.none_button = widgets.Button(description="Nobody")
        # The values are the chart's: "against" or "abstain". Changing it sets the vote of
        # every state not in favour.
        self.others = widgets.ToggleButtons(
            options=[("vote against", "against"), ("abstain", "abstain")],
            value="against",
            description="States not in favour",
        )
        self.p = float_slider(
            CHANCE, "14rem", "40rem", readout=".2f", label="p (chance each state says yes)"
        )
        self.reset_button = self.make_reset_button()
        self.result = widgets.HTML()
        self.chart = council_explorer()
        self.view = ChartView(
            self.chart,
            {
                **{f"vote_{code}": vote for code, vote in self.votes.items()},
                "others": self.others,
                "p": self.p,
            },
            fixed={"preset": "nobody"},
        )
        self.outcome: council.VoteOutcome | None = None
        self.monte_carlo: dict = {}
        self._holding = False
        for vote in self.votes.values():
            vote.observe(self.update, names="value")
        for name, button in self.preset_buttons.items():
            button.on_click(lambda _, name=name: self.choose(council.PRESETS[name]))
        self.all_button.on_click(lambda _: self.choose(self.names))
        self.none_button.on_click(lambda _: self.choose(()))
        self.others.observe(self.set_others, names="value")
        self.p.observe(self.update, names="value")
        grid = widgets.GridBox(
            list(self.votes.values()),
            layout=widgets.Layout(grid_template_columns="repeat(auto-fill, 14rem)"),
        )
        self.widget = widgets.VBox(
            [
                widgets.HTML("<b>How does each state vote?</b>"),
                widgets.HBox([*self.preset_buttons.values(), self.all_button, self.none_button]),
                grid,
                self.others,
                self.p,
                self.reset_button,
                self.result,
                self.view.widget,
            ]
        )
        self.update()

    def supporters(self) -> list[str]:
        return [code for code in self.names if self.votes[code].value == "in favour"]

    def abstainers(self) -> list[str]:
        return [code for code in self.names if self.votes[code].value == "abstains"]

    def other_vote(self) -> str:
        return "abstains" if self.others.value == "abstain" else "against"

    def set_votes(self, votes: dict[str, str]) -> None:
        """Set each state's vote (one redraw)."""
        self._holding = True
        try:
            for code, vote in votes.items():
                self.votes[code].value = vote
        finally:
            self._holding = False
        self.update()

    def choose(self, codes) -> None:
        """The states in ``codes`` in favour, the others voting as "States not in favour" says."""
        codes = set(codes)
        self.set_votes(
            {code: "in favour" if code in codes else self.other_vote() for code in self.names}
        )

    def set_others(self, change: object = None) -> None:
        if not self._holding:
            self.choose(self.supporters())

    def signal_values(self) -> dict[str, str | float | bool]:
        """The controls as the chart's signals: every state's vote set, starting from nobody."""
        return {
            "preset": "nobody",
            **{f"vote_{code}": vote.value for code, vote in self.votes.items()},
            "others": self.others.value,
            "p": float(self.p.value),
        }

    def update(self, change: object = None) -> None:
        if self._holding:
            return
        self.view.set(self.signal_values())
        supporters = self.supporters()
        self.outcome = council.vote_outcome(supporters, self.abstainers(), self.populations)
        p = float(self.p.value)
        n = len(self.populations)
        if self.monte_carlo.get("p") != p:  # the simulation depends on p only
            self.monte_carlo = {
                "p": p,
                **{
                    rule: council.pass_probability_monte_carlo(p, rule, self.populations, rng=0)
                    for rule in council.RULES
                },
            }
        o = self.outcome
        names = ", ".join(self.names[c] for c in supporters) or "no state"
        self.result.value = (
            f"<p><b>In favour</b>: {html.escape(names)} ({o.states_for} of {o.states_total} "
            f"states, {o.population_share_for:.1%} of the EU population).</p>"
            f"<p><b>Qualified majority</b> (TEU Art. 16(4)): "
            f"{html.escape(o.qualified_majority_reason)}.<br>"
            f"<b>Reinforced qualified majority</b> (TFEU Art. 238(2), when the proposal does not "
            f"come from the Commission or the High Representative): "
            f"{html.escape(o.reinforced_qualified_majority_reason)}.<br>"
            f"<b>Unanimity</b> ({self.vote_counts()}): "
            f"{html.escape(o.unanimity_reason)}.</p>"
            f"<p><b>Monte Carlo</b>: if each state says yes with probability p = {p:.2f}, "
            f"{council.DEFAULT_VOTES:,} simulated votes pass "
            f"{self.monte_carlo['qualified majority']:.1%} of the time by qualified majority, "
            f"{self.monte_carlo['reinforced qualified majority']:.1%} by reinforced qualified "
            f"majority and {self.monte_carlo['unanimity']:.2%} under unanimity (exactly p^{n} = "
            f"{p**n:.2%}).</p>"
        )

    def vote_counts(self) -> str:
        against = len(self.names) - len(self.supporters()) - len(self.abstainers())
        return f"{against} against, {len(self.abstainers())} abstaining"

    def apply(self, settings: dict) -> None:
        """Set the controls to the website's ``settings``: a preset, then single states' votes.

        The notebook has no preset signal: its drop-downs give each state the vote the two
        together make, so that the chart shows the same vote.
        """
        preset = settings.get("preset", "nobody")
        base = set(self.names) if preset == "all 27" else set(council.PRESETS.get(preset, ()))
        self._holding = True
        try:
            self.others.value = settings.get("others", self.others.value)
            self.p.value = settings.get("p", self.p.value)
        finally:
            self._holding = False
        chosen = {code: settings.get(f"vote_{code}", AS_PRESET) for code in self.names}
        self.set_votes(
            {
                code: vote
                if vote != AS_PRESET
                else "in favour"
                if code in base
                else self.other_vote()
                for code, vote in chosen.items()
            }
        )

    def reset(self, _: object = None) -> None:
        self._holding = True
        try:
            self.others.value = "against"
            self.p.value = CHANCE.value
        finally:
            self._holding = False
        self.choose(())
