"""The attrition explorer (chapter 1): how long an interceptor stock lasts against drone raids.

What its two versions share; the kernel-free chart is :mod:`.website`, the notebook version
(ipywidgets) :mod:`.notebook`. Each input's default, range and sources come from
:mod:`defence_course.attrition_inputs`.
"""

HORIZON_NIGHTS = 90
# Signal names in the browser for each model parameter: the settings of a shared link.
SIGNALS = {
    "drones_per_night": "drones",
    "share_intercepted": "shot_down_pct",
    "missile_share": "missile_pct",
    "interceptors_per_target": "per_target",
    "interceptor_stock": "stock",
    "monthly_production": "production",
    "drone_cost_usd": "drone_cost",
    "interceptor_cost_usd": "interceptor_cost",
}
# A scenario to share: `explorers.show("attrition", **EXAMPLE)` in a notebook, the same settings
# in the website's URL (`?attrition.<setting>=<value>&...`). The tests start both versions at it;
# its first setting is the one they change as a reader would.
EXAMPLE = {"drones": 400, "production": 51.67}
