"""Lean scripts: the site's JavaScript and the course's own style sheets, minified.

When the build finishes (after the style sheets are purged, :mod:`defence_course.sphinx_css`,
which minifies the third-party style sheets it rewrites), every script under ``_static/`` and
the course's own style sheets lose their comments and spare whitespace: ``rjsmin`` and
``rcssmin``, which only remove what the languages ignore (licence comments, ``/*! … */``,
stay). The sources in the repository stay readable; a minified file minifies to itself, so an
incremental build that leaves a copied file in place is unaffected.

Minifying drops the ``sourceMappingURL`` comments, so the themes' source maps (3.4 MB) no longer
map anything a browser loads: they leave the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rjsmin

from defence_course.sphinx_css import OWN_STYLES, minify_css


@dataclass(frozen=True)
class Minified:
    path: Path  # relative to the site's root
    before: int  # bytes
    after: int


def minify_js(text: str) -> str:
    return rjsmin.jsmin(text, keep_bang_comments=True)


def minify_site(html_dir: Path) -> list[Minified]:
    """Minify the site's scripts and the course's own style sheets in place."""
    html_dir = Path(html_dir)
    static = html_dir / "_static"
    targets = [(path, minify_js) for path in sorted(static.rglob("*.js"))]
    targets += [(static / name, minify_css) for name in sorted(OWN_STYLES)]
    done = []
    for path, minify in targets:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        smaller = minify(text)
        if smaller != text:
            path.write_text(smaller, encoding="utf-8")
        done.append(Minified(path.relative_to(html_dir), len(text.encode()), len(smaller.encode())))
    return done


def remove_stale_source_maps(html_dir: Path) -> list[Minified]:
    """Delete each ``*.map`` under ``_static/`` that the file it maps no longer names."""
    html_dir = Path(html_dir)
    removed = []
    for source_map in sorted((html_dir / "_static").rglob("*.map")):
        mapped = source_map.with_suffix("")
        named = mapped.is_file() and f"sourceMappingURL={source_map.name}" in mapped.read_text(
            encoding="utf-8", errors="replace"
        )
        if not named:
            size = source_map.stat().st_size
            source_map.unlink()
            removed.append(Minified(source_map.relative_to(html_dir), size, 0))
    return removed
