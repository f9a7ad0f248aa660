"""The fleet explorer (chapter 3): the US-made share of Europe's combat fleets, what if?

What its two versions share; the kernel-free chart is :mod:`.website`, the notebook version
(ipywidgets) :mod:`.notebook`.
"""

from defence_course.explorers._common import Range

MIXED_YEARS = (
    "Fleet counts refer to different years (2019-2025); missing rows are not "
    "estimated; nothing is retired."
)
MOVED = Range("moved_pct", "F-35s still to come switched to European types (%)", 0, 0, 100, 5)
# The two switches, by setting: their labels (both start switched on).
SWITCHES = {
    "include_turkey": "Include Türkiye",
    "announced": "Count announced orders (not yet contracted)",
}
# A scenario to share: `explorers.show("fleet", **EXAMPLE)` in a notebook, the same settings
# in the website's URL (`?fleet.<setting>=<value>&...`). The tests start both versions at it;
# its first setting is the one they change as a reader would.
EXAMPLE = {"include_turkey": False, "moved_pct": 50}
