"""Charts in a live kernel without the internet: Vega from ``vl-convert-python``, not a CDN.

Altair's ``JupyterChart`` loads Vega from a CDN unless it is switched to offline mode, in which
it takes Vega, Vega-Lite and Vega-Embed from ``vl-convert-python`` (an installed package); the
explorers' own chart widget (:mod:`defence_course.explorers._notebook`) is bundled the same way.
A bundle takes a few seconds to make, so it is kept in the user's cache folder, keyed by the
Altair and vl-convert versions and by the script it wraps.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path


def cache_file(name: str, key: str = "") -> Path:
    """Where the bundle ``name`` is kept between kernels."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    versions = f"altair-{version('altair')}-vl-convert-{version('vl-convert-python')}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:12] if key else ""
    return root / "defence_course" / f"{name}-{versions}{'-' + digest if digest else ''}.js"


def cached_bundle(name: str, make: Callable[[], str], key: str = "") -> str:
    """The bundle ``name``: read from the cache, or made by ``make()`` and cached."""
    cached = cache_file(name, key)
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    bundle = make()
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(bundle, encoding="utf-8")
        temporary.replace(cached)
    except OSError:
        # A read-only home (some school machines) only costs the next kernel a few seconds.
        pass
    return bundle


def vega_bundle(snippet: str) -> str:
    """``snippet`` (an ES module that uses ``vegaEmbed``) bundled with Vega, offline."""
    import vl_convert
    from altair.utils.html import vl_version_for_vl_convert

    return cached_bundle(
        "widget",
        lambda: vl_convert.javascript_bundle(snippet, vl_version=vl_version_for_vl_convert()),
        key=snippet,
    )


def enable_offline_charts() -> None:
    """Make every JupyterChart draw with the locally installed Vega (no CDN request)."""
    import altair as alt

    if alt.JupyterChart._is_offline:
        return

    def make() -> str:
        alt.JupyterChart.enable_offline()
        return alt.JupyterChart._esm

    alt.JupyterChart._esm = cached_bundle("jupyterchart", make)
    alt.JupyterChart._is_offline = True
