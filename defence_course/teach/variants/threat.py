"""Assignment 1 (threat): its class variants."""

from __future__ import annotations

import random

from defence_course.teach.variants.core import (
    Spec,
    day_text,
    mc_in_order,
    mc_shuffled,
)

THREAT_Q3 = {
    "nat4": "North Atlantic Treaty, Article 4",
    "nat5": "North Atlantic Treaty, Article 5",
    "teu427": "Treaty on European Union, Article 42(7)",
    "tfeu1221": "Treaty on the Functioning of the EU, Article 122(1)",
}
# q2: which incidents the chart keeps (a field and two of its values), as the question words it
# and the chart's name
THREAT_Q2 = [
    (
        "kind",
        ("drone incursion", "drone sightings"),
        "the drone events",
        "the kinds",
        "drone_chart",
    ),
    (
        "kind",
        ("drone incursion", "manned aircraft violation"),
        "the incursions by drones or manned aircraft",
        "the kinds",
        "incursion_chart",
    ),
    (
        "attribution",
        ("Russia (confirmed by the state)", "Russia suspected"),
        "the incidents linked to Russia",
        "the attributions",
        "russia_chart",
    ),
    (
        "attribution",
        ("Russia suspected", "unattributed"),
        "the incidents that no state has confirmed as Russian",
        "the attributions",
        "unconfirmed_chart",
    ),
]
# q6: the end of the interceptor drones' ranges, as the question words it
THREAT_Q6_ENDS = [("high", "top", "worst"), ("low", "bottom", "best")]

THREAT_DEFAULTS = {
    "q1_since": "",
    "q1_scope": "",
    "q2_field": "kind",
    "q2_value_1": "drone incursion",
    "q2_value_2": "drone sightings",
    "q2_events": "the drone events",
    "q2_which": "the kinds",
    "q2_chart": "drone_chart",
    **mc_in_order(list(THREAT_Q3), THREAT_Q3, "q3", tuple(THREAT_Q3)),
    "q6_drone": "drone_cost_usd-1",
    "q6_end": "high",
    "q6_end_word": "top",
    "q6_case": "worst",
}


def _draw_threat(rng: random.Random) -> dict[str, str]:
    import pandas as pd

    from defence_course.data import load_dataset

    incidents = load_dataset("incidents")
    values: dict[str, str] = {}

    # q1: count only the incidents from a date on (the 1st or 15th of a month), a date whose
    # table differs from the whole table's and from every earlier date's, with two or more
    # values of attribution and at least four incidents
    def table(rows: pd.DataFrame) -> tuple:
        return tuple(sorted(rows["attribution"].astype(str).value_counts().items()))

    first, last = incidents["date"].min(), incidents["date"].max()
    seen, starts = {table(incidents)}, []
    for month in pd.date_range(first.to_period("M").to_timestamp(), last, freq="MS"):
        for start in (month, month + pd.Timedelta(days=14)):
            rows = incidents[incidents["date"] >= start]
            if not first < start <= last or len(rows) < 4 or len(table(rows)) < 2:
                continue
            if table(rows) not in seen:
                seen.add(table(rows))
                starts.append(start)
    start = rng.choice(starts)
    values["q1_since"] = f"{start:%Y-%m-%d}"
    values["q1_scope"] = (
        f" Count only the incidents from {day_text(start)} on: first "
        f"select the rows whose `date` is {start:%Y-%m-%d} or later."
    )

    # q2: another pair of values to keep (not the public one), each pair present in the data
    pairs = [
        p
        for p in THREAT_Q2[1:]
        if incidents[p[0]].astype(str).isin(p[1]).sum() >= 3
        and all((incidents[p[0]].astype(str) == v).any() for v in p[1])
    ]
    field_, (one, two), events, which, chart = rng.choice(pairs)
    values.update(
        q2_field=field_,
        q2_value_1=one,
        q2_value_2=two,
        q2_events=events,
        q2_which=which,
        q2_chart=chart,
    )

    # q3: the options in a drawn order
    values.update(mc_shuffled(rng, THREAT_Q3, "q3", tuple(THREAT_Q3)))

    # q6: which Shahed cost (a row with a central value) and which end of the interceptor
    # drones' ranges; not the public pair
    p = load_dataset("attrition_parameters").set_index("parameter_id")
    drones = [
        pid
        for pid in p.index
        if pid.startswith("drone_cost_usd-")
        and pd.notna(p.loc[pid, "value"])
        and "Shahed" in str(p.loc[pid, "system_or_item"])
    ]
    ends = [
        e
        for e in THREAT_Q6_ENDS
        if pd.notna(p.loc["interceptors_per_target-1", e[0]])
        and pd.notna(p.loc["interceptor_drone_cost_usd-1", e[0]])
    ]
    combos = [
        (d, e)
        for d in drones
        for e in ends
        if (d, e[0]) != (THREAT_DEFAULTS["q6_drone"], THREAT_DEFAULTS["q6_end"])
    ]
    drone, (end, word, case) = rng.choice(combos)
    values.update(q6_drone=drone, q6_end=end, q6_end_word=word, q6_case=case)
    return values


SPEC = Spec(THREAT_DEFAULTS, _draw_threat)
