"""The Sphinx extension writes the Vega bundle and keeps pages free of duplicate scripts."""

from __future__ import annotations

from sphinx.builders.html import _JavaScript

from defence_course import sphinxext


def test_bundle_is_written_once_and_defines_vega_embed(tmp_path):
    target = sphinxext.write_vega_bundle(tmp_path)
    text = target.read_text(encoding="utf-8")
    assert "window.vegaEmbed" in text and len(text) > 100_000
    stamp = target.stat().st_mtime_ns
    sphinxext.write_vega_bundle(tmp_path)
    assert target.stat().st_mtime_ns == stamp, "an unchanged bundle was rewritten"


def test_duplicate_inline_scripts_are_dropped():
    body = 'const THEBE_JS_URL = "x"'
    context = {"script_files": [_JavaScript(None, body=body), _JavaScript("", body=body),
                                _JavaScript("_static/a.js"), _JavaScript("_static/a.js")]}
    sphinxext._drop_duplicate_scripts(context)
    assert len(context["script_files"]) == 2


def test_thebe_assets_stay_off_the_pages():
    from sphinx.builders.html import _CascadingStyleSheet

    settings = _JavaScript(None, body='const THEBE_JS_URL = "https://unpkg.com"')
    context = {"script_files": [settings, _JavaScript("_static/sphinx-thebe.js"),
                                _JavaScript("_static/a.js")],
               "css_files": [_CascadingStyleSheet("_static/sphinx-thebe.css"),
                             _CascadingStyleSheet("_static/b.css")]}
    sphinxext._drop_thebe(context)
    assert [s.filename for s in context["script_files"]] == ["_static/a.js"]
    assert [c.filename for c in context["css_files"]] == ["_static/b.css"]
