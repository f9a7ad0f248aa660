"""Charts in a live kernel without the internet: Altair's JupyterChart in offline mode.

Altair's ``JupyterChart`` loads Vega from a CDN unless it is switched to offline mode, in which
it takes Vega, Vega-Lite and Vega-Embed from ``vl-convert-python`` (an installed package). The
offline bundle takes a few seconds to make, so it is kept in the user's cache folder, keyed by
the Altair and vl-convert versions that made it.
"""

from __future__ import annotations

import os
from importlib.metadata import version
from pathlib import Path


def cache_file() -> Path:
    """Where the offline JupyterChart script is kept between kernels."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = f"altair-{version('altair')}-vl-convert-{version('vl-convert-python')}"
    return root / "defence_course" / f"jupyterchart-{key}.js"


def enable_offline_charts() -> None:
    """Make every JupyterChart draw with the locally installed Vega (no CDN request)."""
    import altair as alt

    if alt.JupyterChart._is_offline:
        return
    cached = cache_file()
    if cached.is_file():
        alt.JupyterChart._esm = cached.read_text(encoding="utf-8")
        alt.JupyterChart._is_offline = True
        return
    alt.JupyterChart.enable_offline()
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(".tmp")
        temporary.write_text(alt.JupyterChart._esm, encoding="utf-8")
        temporary.replace(cached)
    except OSError:
        # A read-only home (some school machines) only costs the next kernel a few seconds.
        pass
