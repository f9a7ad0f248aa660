"""Lean style sheets (defence_course.sphinx_css): what the purge keeps and drops."""

from __future__ import annotations

from pathlib import Path

from defence_course.sphinx_css import (
    content_words,
    needed_rules_dropped,
    purge_css,
    purge_site,
)

CSS = """@charset "UTF-8";
:root,[data-bs-theme=light]{--bs-blue:#0d6efd}
html[data-theme=dark] .used{color:red}
.used,.unused{color:blue}
.unused .used{color:green}
.used:not(.unused){margin:0}
.used:is(.unused, .other){padding:0}
#main-id>.used{border:0}
#gone{border:0}
a:hover,a[aria-expanded=true]{color:black}
.bs-tooltip-auto[data-popper-placement^=top] .tooltip-arrow{top:0}
@media (min-width: 960px){.used{width:1px}.unused{width:2px}}
@media print{.unused{display:none}}
@supports (display:grid){@media screen{.used{display:grid}}}
@keyframes spin{from{transform:rotate(0)}to{transform:rotate(1turn)}}
@font-face{font-family:x;src:url(x.woff)}
/*# sourceMappingURL=theme.css.map */
"""


def purged(*texts: str) -> str:
    return purge_css(CSS, content_words(texts))


def test_selectors_naming_absent_classes_or_ids_go_and_the_rest_stays():
    out = purged('<div id="main-id" class="used">', "el.classList.add('tooltip-arrow')")
    assert ".used,.unused" not in out and ".used{color:blue}" in out
    assert ".unused .used" not in out and "#gone" not in out
    assert "#main-id>.used{border:0}" in out
    assert "@media print" not in out  # an at-rule left empty goes too
    assert "@media (min-width: 960px){.used{width:1px}}" in out
    assert "@supports (display:grid){@media screen{.used{display:grid}}}" in out
    assert "sourceMappingURL" not in out


def test_state_and_dark_mode_rules_of_used_classes_stay():
    out = purged('<p class="used">')
    for kept in (
        ":root,[data-bs-theme=light]",
        "html[data-theme=dark] .used",
        "a:hover,a[aria-expanded=true]",
        ".used:not(.unused)",  # :not(.x) matches without .x
        ".used:is(.unused, .other)",  # functional pseudo-classes never decide
        "@keyframes spin",
        "@font-face",
        '@charset "UTF-8"',
    ):
        assert kept in out, kept


def test_words_of_scripts_keep_run_time_classes_and_the_safelist_keeps_built_ones():
    # Bootstrap writes `bs-${NAME}-auto`: no literal holds the name, the safelist does.
    out = purged("const ARROW = '.tooltip-arrow';")
    assert ".bs-tooltip-auto[data-popper-placement^=top] .tooltip-arrow" in out
    assert ".bs-tooltip-auto" not in purged("nothing here")


def test_words_are_compared_without_case():
    assert ".used{color:blue}" in purged('<p class="USED">')


def test_a_needed_rule_that_went_is_reported():
    original = ".a{color:red}\n.a .b{color:blue}\n.c{color:green}\n"
    assert needed_rules_dropped(original, ".a{color:red}\n", {".a", ".b"}) == [".a .b"]
    assert needed_rules_dropped(original, ".a{color:red}\n.a .b{color:blue}", {".a", ".b"}) == []


def test_the_site_is_purged_from_its_originals_on_a_later_build(tmp_path: Path):
    html = tmp_path / "_build" / "html"
    (html / "_static" / "styles").mkdir(parents=True)
    sheet = html / "_static" / "styles" / "theme.css"
    sheet.write_text(".a{color:red}\n.b{color:blue}\n", encoding="utf-8")
    ours = html / "_static" / "defence_course.css"
    ours.write_text(".never-used{color:red}\n", encoding="utf-8")
    page = html / "index.html"
    page.write_text('<p class="a">', encoding="utf-8")
    report = purge_site(html)
    assert [(str(r.path), r.after < r.before) for r in report] == [
        ("_static/styles/theme.css", True)
    ]
    assert sheet.read_text(encoding="utf-8") == ".a{color:red}"  # purged, then minified
    assert ours.read_text(encoding="utf-8") == ".never-used{color:red}\n"  # ours stay whole
    # A later build in the same folder: Sphinx leaves the purged copy, a page gains class b.
    page.write_text('<p class="a b">', encoding="utf-8")
    purge_site(html)
    assert sheet.read_text(encoding="utf-8") == ".a{color:red}.b{color:blue}"
    # A new original copied over by Sphinx is taken as the original.
    sheet.write_text(".a{color:red}\n.c{color:blue}\n", encoding="utf-8")
    purge_site(html)
    assert sheet.read_text(encoding="utf-8") == ".a{color:red}"


def test_scripts_and_our_style_sheets_are_minified(tmp_path: Path):
    from defence_course.sphinx_minify import minify_site

    static = tmp_path / "_static"
    static.mkdir()
    script = static / "page.js"
    script.write_text(
        "/*! licence kept */\n// a comment\nfunction add(a, b) {\n  return a + b; // sum\n}\n",
        encoding="utf-8",
    )
    ours = static / "defence_course.css"
    ours.write_text("/* why */\n.a {\n  color: red;\n}\n", encoding="utf-8")
    report = minify_site(tmp_path)
    assert {str(m.path): m.after < m.before for m in report} == {
        "_static/page.js": True,
        "_static/defence_course.css": True,
    }
    assert script.read_text(encoding="utf-8") == "/*! licence kept */function add(a,b){return a+b;}"
    assert ours.read_text(encoding="utf-8") == ".a{color:red}"
    again = minify_site(tmp_path)  # a later build: minified files minify to themselves
    assert all(m.after == m.before for m in again)


def test_source_maps_leave_once_nothing_names_them(tmp_path: Path):
    from defence_course.sphinx_minify import minify_site, remove_stale_source_maps

    scripts = tmp_path / "_static" / "scripts"
    scripts.mkdir(parents=True)
    (scripts / "kept.js").write_text("var a = 1;\n//# sourceMappingURL=kept.js.map\n")
    (scripts / "kept.js.map").write_text("{}")
    (scripts / "theme.js").write_text("var b = 2;\n//# sourceMappingURL=theme.js.map\n")
    (scripts / "theme.js.map").write_text("{}")
    (scripts / "gone.js.map").write_text("{}")  # its script is not in the site
    (scripts / "theme.js").write_text(
        (scripts / "theme.js").read_text().replace("//# sourceMappingURL=theme.js.map", "")
    )
    removed = remove_stale_source_maps(tmp_path)
    assert sorted(str(m.path) for m in removed) == [
        "_static/scripts/gone.js.map",
        "_static/scripts/theme.js.map",
    ]
    assert (scripts / "kept.js.map").exists()
    # Minifying strips the comment (rjsmin drops it), after which the last map goes too.
    minify_site(tmp_path)
    assert [str(m.path) for m in remove_stale_source_maps(tmp_path)] == [
        "_static/scripts/kept.js.map"
    ]
