"""The obligations explorer (chapter 4): commitments, spending and a budget split by country.

What its two versions share; the kernel-free chart is :mod:`.website`, the notebook version
(ipywidgets) :mod:`.notebook`.
"""

from defence_course.explorers._common import Range

DEFAULT_COUNTRY = "PL"
# The two budget sliders (%): their starting positions are settings to explore, not estimates.
EU_SHARE = Range(
    "eu_pct", "Share of the budget spent through EU joint programmes (%)", 20, 0, 100, 5
)
BOTH_SHARE = Range(
    "both_pct", "Share of that EU spending that also fills NATO targets (%)", 50, 0, 100, 5
)
# A scenario to share: `explorers.show("obligations", **EXAMPLE)` in a notebook, the same settings
# in the website's URL (`?obligations.<setting>=<value>&...`). The tests start both versions at it;
# its first setting is the one they change as a reader would.
EXAMPLE = {"eu_pct": 40, "country": "IE"}
