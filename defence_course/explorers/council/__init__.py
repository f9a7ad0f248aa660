"""The Council explorer (chapter 5): voting rules and the Monte Carlo of chance.

What its two versions share; the kernel-free chart is :mod:`.website`, the notebook version
(ipywidgets) :mod:`.notebook`.
"""

from defence_course.explorers._common import Range

VOTES = ["in favour", "against", "abstains"]  # the order a click cycles through
AS_PRESET = "as preset"  # a state's vote setting until the reader changes it
# The chance that each state says yes, for the Monte Carlo.
CHANCE = Range("p", "p, the chance that each state says yes", 0.8, 0, 1, 0.01)
# A scenario to share: `explorers.show("council", **EXAMPLE)` in a notebook, the same settings
# in the website's URL (`?council.<setting>=<value>&...`). The tests start both versions at it;
# its first setting is the one they change as a reader would.
EXAMPLE = {"preset": "eastern flank", "vote_PL": "abstains", "vote_DE": "in favour", "p": 0.7}
