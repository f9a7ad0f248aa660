"""Assignment 2 (us_posture): its class variants."""

from __future__ import annotations

import random
import re

from defence_course.teach.variants.core import (
    Spec,
    mc_in_order,
    mc_shuffled,
    wave_month,
)

US_POSTURE_SERIES = "trump-enemy-of-europe"
US_POSTURE_Q2 = {
    "worsened": "Europeans' view of Trump worsened by three points in one month.",
    "wrong": "The January poll must be wrong, because opinion does not change that fast.",
    "panels": "Not much from the averages alone: the two waves asked different sets of "
    "countries, so compare the countries asked in both.",
    "same_way": "The rise shows that opinion moved the same way in Poland and in Belgium.",
}
US_POSTURE_Q6 = {
    "fell": "Not supported: support fell between spring 2024 and spring 2025.",
    "partly": "Partly supported: the two figures are right, but the data cannot show that "
    "Trump's return caused the rise.",
    "supported": "Supported: both figures are right, so the sentence can stay as it is.",
    "wording": "Not supported: the two figures come from differently worded questions.",
}
US_POSTURE_Q1_ORDERS = [
    ("oldest", "sorting by `question_id`"),
    ("newest", "sorting by `question_id` in reverse order"),
]
# the two waves that questions 2 and 3 compare: question 1's table must keep them
US_POSTURE_COMPARED = ("lgc-2025-12-trump-enemy-of-europe", "lgc-2026-01-trump-enemy-of-europe")

US_POSTURE_DEFAULTS = {
    "q1_first": "oldest",
    "q1_sort": "sorting by `question_id`",
    "q1_leave_out": "",
    "q1_leave_out_text": "",
    **mc_in_order(list(US_POSTURE_Q2), US_POSTURE_Q2, "q2", ("panels", "worsened")),
    "q4_country": "PL",
    "q4_name": "Poland",
    "q4_variable": "poland_gap",
    "q4_wave": "lgc-2025-12-trump-enemy-of-europe",
    "q4_month": "December 2025",
    **mc_in_order(list(US_POSTURE_Q6), US_POSTURE_Q6, "q6", ("partly", "fell")),
}


def _draw_us_posture(rng: random.Random) -> dict[str, str]:
    from defence_course.data import load_dataset

    opinion = load_dataset("opinion")
    countries = load_dataset("countries").set_index("country")["name"].astype(str)
    series = opinion[opinion["question_id"].str.endswith(US_POSTURE_SERIES)]
    waves = sorted(series["question_id"].unique())
    values: dict[str, str] = {}

    # q1: the order, and a wave to leave out (or none), never the public pair
    leave_out = [""] + [w for w in waves if w not in US_POSTURE_COMPARED]
    combos = [
        (order, wave)
        for order in US_POSTURE_Q1_ORDERS
        for wave in leave_out
        if (order[0], wave) != ("oldest", "")
    ]
    (first, sort), wave = rng.choice(combos)
    values.update(
        q1_first=first,
        q1_sort=sort,
        q1_leave_out=wave,
        q1_leave_out_text=(f" Leave out the {wave_month(wave)} wave (`{wave}`)." if wave else ""),
    )

    values.update(mc_shuffled(rng, US_POSTURE_Q2, "q2", ("panels", "worsened")))

    # q4: a wave with one average and a country with its own figure in it, not the public pair
    pairs = []
    for wave in waves:
        rows = series[series["question_id"] == wave]
        if rows["country"].isna().sum() != 1:
            continue
        pairs += [
            (wave, str(code))
            for code in rows["country"].dropna()
            if str(code) in countries.index
            and (wave, str(code))
            != (US_POSTURE_DEFAULTS["q4_wave"], US_POSTURE_DEFAULTS["q4_country"])
        ]
    wave, code = rng.choice(sorted(pairs))
    name = countries[code]
    values.update(
        q4_country=code,
        q4_name=name,
        q4_variable=re.sub(r"\W+", "_", name.lower()) + "_gap",
        q4_wave=wave,
        q4_month=wave_month(wave),
    )

    values.update(mc_shuffled(rng, US_POSTURE_Q6, "q6", ("partly", "fell")))
    return values


SPEC = Spec(US_POSTURE_DEFAULTS, _draw_us_posture)
