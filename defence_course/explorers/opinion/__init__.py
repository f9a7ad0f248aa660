"""The opinion explorer (chapter 2): survey answers by country against the survey aggregate.

What its two versions share; the kernel-free chart is :mod:`.website`, the notebook version
(ipywidgets) :mod:`.notebook`.
"""

NONE = "none"  # the country setting when no country is compared
DEFAULT_QUESTION = "eb96-2022-common-defence-security-policy"
