"""Notebook versions of the five explorers (ipywidgets 8): they need a running kernel.

Each class builds its controls, a short text result (``result``) and an Altair chart
(``chart``, redrawn in ``output``); ``widget`` is the whole layout, and displaying the object
shows it. On the website the kernel-free versions in :mod:`defence_course.explorers` are shown
instead.
"""

from __future__ import annotations

import importlib

EXPLORERS = {
    "AttritionExplorer": "attrition",
    "OpinionExplorer": "opinion",
    "FleetExplorer": "fleet",
    "ObligationsExplorer": "obligations",
    "CouncilExplorer": "council",
}

__all__ = list(EXPLORERS)


def __getattr__(name: str):
    if name in EXPLORERS:
        module = importlib.import_module(f"defence_course.widgets.{EXPLORERS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'defence_course.widgets' has no attribute {name!r}")
