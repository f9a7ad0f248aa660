"""The five explorers, each in one folder, in two versions: the website's and the notebook's.

``explorers/<name>/`` holds one explorer: ``__init__.py`` what both versions share (defaults,
sliders, captions), ``website.py`` the kernel-free version, a function ``<name>_explorer()``
returning an annotated Altair chart whose parameters are bound to inputs and whose results
Vega computes in the browser, and ``notebook.py`` the notebook version, a class
``<Name>Explorer`` whose ipywidgets controls drive the same chart while the explorer's model
computes its results in Python (it needs a running kernel). A folder here is an explorer:
:data:`EXPLORERS` lists them. :func:`show` picks the version for where the page runs: the
chart while the website is built, the notebook version in a live kernel (JupyterLab, Binder).

Settings are named after the chart's parameters, as in the website's URL (``?council.p=0.7``):
``show("council", preset="eastern flank", p=0.7)`` starts either version there.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from defence_course.charts import USERMETA_KEY, on_website
from defence_course.explorers._common import check_settings


def _registry() -> dict[str, tuple[str, str]]:
    """Each folder's explorer: its website function and its notebook class, by name."""
    return {
        module.name: (
            f"{module.name}_explorer",
            module.name.title().replace("_", "") + "Explorer",
        )
        for module in sorted(pkgutil.iter_modules(__path__), key=lambda module: module.name)
        if module.ispkg and not module.name.startswith("_")
    }


# name: (website function in explorers/<name>/website.py, class in explorers/<name>/notebook.py)
EXPLORERS = _registry()


def website_version(name: str, **settings: Any) -> Any:
    """The kernel-free chart of explorer ``name``, its inputs starting at ``settings``."""
    chart = _version(name, "website")()
    settings = check_settings(name, chart, settings)
    for param in chart.params:
        if param.name in settings:
            param.value = settings[param.name]
    # The page's script writes the settings into the URL under this name.
    chart.usermeta[USERMETA_KEY]["explorer"] = name
    return chart


def notebook_version(name: str, **settings: Any) -> Any:
    """The ipywidgets explorer ``name``, its controls set to ``settings`` (see :func:`show`).

    It needs a running kernel to respond.
    """
    explorer = _version(name, "notebook")()
    settings = check_settings(name, explorer.chart, settings)
    if settings:
        explorer.apply(settings)
    return explorer


def show(name: str, **settings: Any) -> Any:
    """The explorer for this context: the chart on the website, the widgets in a kernel.

    ``settings`` (e.g. ``p=0.7``) are the website's inputs by their parameter names; a name
    the explorer lacks or a value its input cannot take is a ValueError.
    """
    return website_version(name, **settings) if on_website() else notebook_version(name, **settings)


def example(name: str) -> dict[str, Any]:
    """A scenario of explorer ``name`` to share: settings for :func:`show` (a copy).

    Each folder defines its ``EXAMPLE``; the tests start both versions at it.
    """
    _check_name(name)
    return dict(importlib.import_module(f"{__name__}.{name}").EXAMPLE)


def tip(name: str) -> str:
    """The website's tip under explorer ``name`` (Markdown): what its notebook version adds.

    Read from the notebook class (its reset and preset buttons), not written on each page, so
    that it promises only controls the notebook version has; ``tests/test_widget_views.py``
    checks those buttons against the ones the explorer draws. Importing the class creates no
    widget.
    """
    cls = _version(name, "notebook")
    offers = ["notebook controls"]
    if cls.preset_labels:
        offers.append("preset buttons")
    if cls.reset_label:
        offers.append("a reset button")
    offers.append("the model's results in Python")
    return (
        "The explorer on this page runs in your browser, with no software behind it. The "
        "notebook version of this page has the same explorer with "
        + ", ".join(offers[:-1])
        + f" and {offers[-1]}: open it with the rocket button at the top (Binder), or download "
        "it with the download button, or run `make lab` on your own computer."
    )


def tip_facts(name: str) -> dict[str, Any]:
    """The tip of explorer ``name`` for the page's text, as ``{glue:md}`explorer_tip```.

    A page's setup cell glues it (``glue_facts(explorers.tip_facts("council"))``) for the tip
    it shows on the website only (class ``dc-website-only``); its reader's notebook has none.
    """
    from IPython.display import Markdown

    return {"explorer_tip": Markdown(tip(name))}


def _check_name(name: str) -> None:
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, one of {', '.join(EXPLORERS)}")
    if name not in EXPLORERS:
        raise ValueError(
            f"name: unknown explorer {name!r}; expected one of " + ", ".join(EXPLORERS)
        )


def _version(name: str, version: str) -> Any:
    """Explorer ``name``'s website function or notebook class (imported when first asked)."""
    _check_name(name)
    attribute = EXPLORERS[name][0 if version == "website" else 1]
    module = importlib.import_module(f"{__name__}.{name}.{version}")
    if not hasattr(module, attribute):
        raise AttributeError(f"{module.__name__} must define {attribute} (see {__name__})")
    return getattr(module, attribute)


def __getattr__(attribute: str) -> Any:
    for name, (function, _) in EXPLORERS.items():
        if attribute == function:
            return _version(name, "website")
    raise AttributeError(f"module {__name__!r} has no attribute {attribute!r}")
