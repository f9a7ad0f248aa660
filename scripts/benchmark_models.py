"""Benchmark the explorers' models: the recompute behind one UI change, and the Monte Carlo.

Run with `.venv/bin/python scripts/benchmark_models.py`. For each model it prints the median
time of the model calls that one change of a control triggers (target: 20 ms or less), the
median time of 100,000 simulated Council votes (target: 100 ms or less), and, for information,
the whole notebook redraw (model, text and Altair chart). Datasets are loaded once beforehand,
as the explorers do.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

from defence_course import attrition_inputs, data
from defence_course.models import attrition, council, fleet, obligations, opinion

MODEL_TARGET_MS = 20.0
MONTE_CARLO_TARGET_MS = 100.0


def median_ms(action: Callable[[], object], repeat: int = 25) -> float:
    action()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def model_changes() -> dict[str, Callable[[], object]]:
    """One UI change per model: the calls its notebook explorer makes."""
    d = {
        name: data.load_dataset(name)
        for name in (
            "opinion",
            "survey_questions",
            "sources",
            "countries",
            "fighter_fleets",
            "fighter_orders",
            "treaty_articles",
            "defence_spending",
            "spending_targets",
        )
    }
    params = attrition_inputs.defaults_from_data()
    values = {name: attrition_inputs.model_value(p, p.value) for name, p in params.items()}
    nights = np.arange(1, 91, dtype=float)
    drones = iter(np.linspace(74, 810, 10_000))
    populations = council.populations_from_data()
    coalitions = iter([list(council.PRESETS[k]) for k in council.PRESETS] * 1000)
    moved = iter(np.linspace(0, 1, 10_000))
    questions = iter(
        [q for _, q in opinion.question_choices(d["opinion"], d["survey_questions"])] * 100
    )
    members = iter(obligations.member_codes(d["countries"]) * 100)

    def attrition_change():
        changed = {**values, "drones_per_night": next(drones)}
        attrition.attrition_summary(**changed, horizon_nights=90)
        attrition.cumulative_exchange(nights, **changed)

    def opinion_change():
        qid = next(questions)
        codes = opinion.countries_with_figures(d["opinion"], qid) or ["DE"]
        opinion.compare_with_aggregate(
            d["opinion"], d["survey_questions"], d["countries"], qid, codes
        )
        opinion.question_details(d["survey_questions"], d["sources"], qid, d["opinion"])
        opinion.item_history(d["opinion"], d["survey_questions"], qid)

    deliveries = fleet.deliveries_by_country(d["fighter_fleets"], d["fighter_orders"])

    def fleet_change():  # the explorer keeps the per-country deliveries; a slider move:
        table = fleet.switch_f35s(deliveries, float(next(moved)))
        fleet.europe_wide(table)
        fleet.europe_wide(fleet.switch_f35s(deliveries, 0.0))

    def fleet_first():  # the first draw, or the first time announced orders are left out
        fleet.deliveries_by_country(
            d["fighter_fleets"], d["fighter_orders"], include_announced=False
        )

    def obligations_change():
        code = next(members)
        obligations.commitments(d["countries"], d["treaty_articles"], code)
        status = obligations.spending_vs_targets(
            d["defence_spending"], d["spending_targets"], d["countries"], code
        )
        obligations.spending_series(d["defence_spending"], code)
        if status.pct_gdp is not None:
            obligations.split_budget(status.pct_gdp, 0.2, 0.5)

    def council_change():
        council.vote_outcome(next(coalitions), populations=populations)

    return {
        "attrition": attrition_change,
        "opinion": opinion_change,
        "fleet": fleet_change,
        "fleet (first computation)": fleet_first,
        "obligations": obligations_change,
        "council": council_change,
    }


def notebook_redraws() -> dict[str, Callable[[], object]]:
    from defence_course import explorers

    return {name: explorers.notebook_version(name).update for name in explorers.EXPLORERS}


def main() -> int:
    failed = False
    print(f"{'one UI change, model only':40s} {'median':>9s}   target")
    for name, action in model_changes().items():
        ms = median_ms(action)
        failed |= ms > MODEL_TARGET_MS
        print(
            f"  {name:38s} {ms:7.2f} ms   <= {MODEL_TARGET_MS:.0f} ms"
            + ("" if ms <= MODEL_TARGET_MS else "  SLOWER THAN TARGET")
        )
    populations = council.populations_from_data()
    rng = np.random.default_rng(0)
    print(f"\n{'Monte Carlo, 100,000 simulated votes':40s}")
    for rule in council.RULES:
        ms = median_ms(
            lambda rule=rule: council.pass_probability_monte_carlo(
                0.8, rule, populations, n_votes=100_000, rng=rng
            ),
            repeat=15,
        )
        failed |= ms > MONTE_CARLO_TARGET_MS
        print(
            f"  {rule:38s} {ms:7.2f} ms   <= {MONTE_CARLO_TARGET_MS:.0f} ms"
            + ("" if ms <= MONTE_CARLO_TARGET_MS else "  SLOWER THAN TARGET")
        )
    print(f"\n{'whole notebook redraw (for information)':40s}")
    for name, action in notebook_redraws().items():
        print(f"  {name:38s} {median_ms(action, repeat=7):7.2f} ms")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
