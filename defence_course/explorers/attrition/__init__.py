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
