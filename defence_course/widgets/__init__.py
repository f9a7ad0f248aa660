"""Notebook versions of the five explorers (ipywidgets 8): they need a running kernel.

Each class builds ipywidgets controls, a short text result computed by the explorer's model in
Python (``result``) and the website explorer's chart (``chart``), drawn once as an offline
``JupyterChart`` (``view``) whose signals the controls set; ``widget`` is the whole layout, and
displaying the object shows it. On the website the kernel-free chart alone is shown, with its
own HTML inputs (:mod:`defence_course.explorers`).
"""

from __future__ import annotations

import importlib

from defence_course.explorers import EXPLORERS as _REGISTRY

# Class name: module, from the one registry of explorers (defence_course.explorers.EXPLORERS).
EXPLORERS = {cls: module for module, _, cls in _REGISTRY.values()}

__all__ = list(EXPLORERS)


def __getattr__(name: str):
    if name in EXPLORERS:
        module = importlib.import_module(f"defence_course.widgets.{EXPLORERS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'defence_course.widgets' has no attribute {name!r}")
