"""The opinion explorer (chapter 2): survey answers by country against the survey aggregate.

What its two versions share; the kernel-free chart is :mod:`.website`, the notebook version
(ipywidgets) :mod:`.notebook`.
"""

NONE = "none"  # the country setting when no country is compared
DEFAULT_QUESTION = "eb96-2022-common-defence-security-policy"
# A scenario to share: `explorers.show("opinion", **EXAMPLE)` in a notebook, the same settings
# in the website's URL (`?opinion.<setting>=<value>&...`). The tests start both versions at it;
# its first setting is the one they change as a reader would.
EXAMPLE = {"country": "PL", "question": "lgc-2025-12-trump-enemy-of-europe"}
