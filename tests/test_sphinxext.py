"""The Sphinx extension writes the Vega bundle and keeps pages free of duplicate scripts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from defence_course import charts, sphinx_assets, sphinx_icons, sphinxext
from defence_course.paths import REPO_ROOT


@dataclass
class Asset:
    """A script or style sheet as Sphinx hands it to a page's handlers (its private class)."""

    filename: str | None
    priority: int = 500
    attributes: dict = field(default_factory=dict)


def script(filename: str | None, **attributes: str) -> Asset:
    return Asset(filename, attributes=attributes)


class PageApp:
    """Sphinx's add_js_file as an html-page-context handler sees it: the script joins the page."""

    def __init__(self, context: dict) -> None:
        self.context = context

    def add_js_file(self, filename: str | None, priority: int = 500, **attributes: str) -> None:
        name = f"_static/{filename}" if filename else filename
        self.context["script_files"].append(Asset(name, priority, attributes))


def test_bundle_is_written_once_and_is_the_vega_runtime(tmp_path):
    target = sphinxext.write_vega_bundle(tmp_path)
    text = target.read_text(encoding="utf-8")
    assert text == sphinxext.VEGA_RUNTIME.read_text(encoding="utf-8")
    assert "dcVega=" in text and len(text) > 100_000
    assert "vegaEmbed" not in text and "vega-lite" not in text  # Vega alone
    stamp = target.stat().st_mtime_ns
    sphinxext.write_vega_bundle(tmp_path)
    assert target.stat().st_mtime_ns == stamp, "an unchanged bundle was rewritten"
    # A bundle of an earlier build left in the folder would be added to every page.
    stale = target.parent / "vega-embed-bundle.js"
    stale.write_text("old", encoding="utf-8")
    sphinxext.write_vega_bundle(tmp_path)
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_duplicate_inline_scripts_are_dropped():
    body = 'const THEBE_JS_URL = "x"'
    context = {
        "script_files": [
            script(None, body=body),
            script("", body=body),
            script("_static/a.js"),
            script("_static/a.js"),
        ]
    }
    sphinx_assets.drop_duplicate_scripts(context)
    assert len(context["script_files"]) == 2


def test_thebe_assets_stay_off_the_pages():
    settings = script(None, body='const THEBE_JS_URL = "https://unpkg.com"')
    context = {
        "script_files": [settings, script("_static/sphinx-thebe.js"), script("_static/a.js")],
        "css_files": [Asset("_static/sphinx-thebe.css"), Asset("_static/b.css")],
    }
    sphinx_assets.drop_thebe(context)
    assert [s.filename for s in context["script_files"]] == ["_static/a.js"]
    assert [c.filename for c in context["css_files"]] == ["_static/b.css"]


# A few entries shaped like Font Awesome's script: icons, then the pack they belong to.
FONTAWESOME = (
    'var p={"github":[496,512,[],"f09b","M1 1h2z"]};d("fab",p),d("fa-brands",p);'
    'var p={"sun":[512,512,[],"f185","M9 9h1z"]};d("far",p),d("fa-regular",p);'
    'var p={"sun":[512,512,[9728],"f185","M5 5h5z"],"bars":[448,512,[],"f0c9",'
    '"M0 96h4z"],"bell":[448,512,[],"f0f3","M2 2h2z"]};d("fas",p),d("fa-solid",p);'
)


def test_icons_are_read_from_font_awesome_by_style():
    paths = sphinx_icons.icon_paths(FONTAWESOME)
    assert paths[("fab", "github")] == (496, 512, "M1 1h2z")
    assert paths[("far", "sun")][2] == "M9 9h1z"
    assert paths[("fas", "sun")][2] == "M5 5h5z"
    assert paths[("fas", "bars")][0] == 448


def test_the_icons_of_the_pages_and_scripts_are_found():
    page = (
        '<i class="fa-solid fa-bars fa-lg"></i><i class="fab fa-github"></i>'
        '<span class="fa-regular fa-sun"></span><div class="fa-lg other"></div>'
    )
    script = 'e.className="fa-solid fa-xmark"'
    assert sphinx_icons.icons_used([page, script]) == {
        ("fas", "bars"),
        ("fas", "lg"),
        ("fab", "github"),
        ("far", "sun"),
        ("fas", "xmark"),
    }


def test_icon_stylesheet_draws_each_icon_as_a_mask_without_the_webfont():
    paths = sphinx_icons.icon_paths(FONTAWESOME)
    css = sphinx_icons.icon_stylesheet(
        {("fas", "bars"), ("fas", "lg"), ("fab", "github")}, paths, {"note", "custom"}
    )
    assert ".fa-solid.fa-bars::before,.fas.fa-bars::before{--dc-icon:url(" in css
    assert "viewBox='0 0 448 512'" in css and "M0 96h4z" in css
    assert ".fa-brands.fa-github::before" in css and "fa-lg" not in css
    assert "{font-family:inherit}" in css and "mask:var(--dc-icon)" in css
    # Admonition titles: the default icon (bell) and the note's, if Font Awesome has it.
    assert ".admonition>.admonition-title::after" in css and "M2 2h2z" in css
    assert ".admonition.custom" not in css


def _page(body: str, scripts: list, css: list) -> dict:
    return {
        "body": body,
        "script_files": [Asset(s) for s in scripts],
        "css_files": [Asset(c) for c in css],
        "pagename": "chapters/x",
    }


ASSETS = (
    [
        "_static/sphinx_yaq/math.js",
        "_static/sphinx_yaq/yaq.js",
        "_static/clipboard.min.js",
        "_static/copybutton.js",
        "_static/togglebutton.js",
        "_static/design-tabs.js",
        "_static/doctools.js",
    ],
    [
        "_static/sphinx_yaq/css/yaq.css",
        "_static/sphinx-design.min.css",
        "_static/copybutton.css",
        "_static/defence_course.css",
        "_static/defence_course.css",
    ],
)


def test_a_plain_page_loads_no_quiz_copy_toggle_or_design_assets():
    context = _page("<p>Text</p>", *ASSETS)
    sphinx_assets.drop_unused_assets(PageApp(context), context, None)
    assert [s.filename for s in context["script_files"]] == ["_static/doctools.js"]
    assert [c.filename for c in context["css_files"]] == ["_static/defence_course.css"]


def test_a_page_with_a_quiz_but_no_maths_gets_the_stand_in_for_math_js():
    body = '<div class="yaq" data-model="{}"></div><div class="highlight"><pre>x</pre></div>'
    context = _page(body, *ASSETS)
    sphinx_assets.drop_unused_assets(PageApp(context), context, None)
    # As Sphinx writes them: in order of priority.
    names = [s.filename for s in sorted(context["script_files"], key=lambda s: s.priority)]
    assert "_static/sphinx_yaq/yaq.js" in names and "_static/sphinx_yaq/math.js" not in names
    assert "_static/copybutton.js" in names and "_static/togglebutton.js" not in names
    stand_in = [s for s in context["script_files"] if s.filename is None]
    assert len(stand_in) == 1 and "window.math" in stand_in[0].attributes["body"]
    assert names.index(None) < names.index("_static/sphinx_yaq/yaq.js")


def test_a_page_with_a_maths_question_keeps_math_js():
    from docutils import nodes
    from sphinx_yaq.models import parse_question
    from sphinx_yaq.quiz import QuizQuestion

    doctree = nodes.document(None, None)
    model = parse_question(
        '{"type": "FB", "answer": "2*x", "flags": "math", "vars": {"x": [1, 2]}}'
    )
    doctree += QuizQuestion(model=model, args={})
    assert sphinx_assets.page_uses_maths(doctree)
    context = _page('<div class="yaq"></div>', *ASSETS)
    sphinx_assets.drop_unused_assets(PageApp(context), context, doctree)
    assert "_static/sphinx_yaq/math.js" in [s.filename for s in context["script_files"]]


def test_the_head_loses_font_awesome_and_the_search_index_but_on_the_search_page():
    head = (
        '<script defer src="../_static/scripts/fontawesome.js?digest=1"></script>\n'
        '<link rel="preload" as="script" href="../_static/scripts/bootstrap.js" />\n'
        '    <script src="../_static/searchtools.js"></script>\n'
        '    <script src="../_static/language_data.js"></script>\n'
        '    <script src="../searchindex.js"></script>'
    )
    lean = sphinx_assets.lean_head(
        head, {"pagename": "chapters/x", "theme_search_as_you_type": False}
    )
    assert "fontawesome" not in lean and "search" not in lean and "bootstrap.js" in lean
    kept = sphinx_assets.lean_head(
        head, {"pagename": "chapters/x", "theme_search_as_you_type": True}
    )
    assert "searchindex.js" in kept and "fontawesome" not in kept


def test_font_awesome_icon_rules_leave_the_theme_style_sheet_and_nothing_else():
    css = (
        '.fa-bars:before{content:"\\f0c9"}.fa-a:before,.fa-b::after{content:"\\f000"}'
        '.fa-solid{font-family:"Font Awesome 6 Free"}.fa-lg{font-size:1.25em}'
        ".admonition-title:after{content:var(--pst-icon-bell)}"
        "@font-face{font-family:x;src:url(a.woff2)}"
    )
    assert sphinx_icons.without_icon_rules(css) == (
        '.fa-solid{font-family:"Font Awesome 6 Free"}.fa-lg{font-size:1.25em}'
        ".admonition-title:after{content:var(--pst-icon-bell)}"
        "@font-face{font-family:x;src:url(a.woff2)}"
    )


def test_sidebar_toggles_are_named_after_their_page():
    sidebar = (
        '<li class="toctree-l1 has-children"><a class="reference internal" href="k.html">'
        'Teacher <em>kit</em> &amp; notes</a><details open="open"><summary><span '
        'class="toctree-toggle" role="presentation"><i class="fa-solid fa-chevron-down">'
        "</i></span></summary><ul></ul></details></li>"
    )
    context = {"generate_toctree_html": lambda *args, **kwargs: sidebar}
    sphinxext._name_toctree_toggles(None, "intro", "page.html", context, None)
    named = str(context["generate_toctree_html"]("sidebar"))
    assert '<summary aria-label="Pages under Teacher kit &amp; notes">' in named
    assert named.count("<summary") == 1


def js_class_table(script: str) -> dict[str, str]:
    """The CLASSES table of the page script, as a dict."""
    table = re.search(r"var CLASSES = \{(.*?)\};", script, re.S)
    assert table, "the page script has no CLASSES table"
    return dict(re.findall(r"(\w+): \"([\w-]+)\"", table.group(1)))


def test_the_page_script_uses_the_chart_class_names_python_writes():
    script = (REPO_ROOT / "_static" / "defence_course.js").read_text(encoding="utf-8")
    assert js_class_table(script) == charts.CHART_CLASSES
    # ... and the check notices a name changed on one side only.
    assert js_class_table(script.replace('"dc-chart-spec"', '"dc-spec"')) != charts.CHART_CLASSES
    # Outside the table the script names the classes only through it.
    body = script.split("var CLASSES", 1)[1].split("};", 1)[1]
    assert not [
        name
        for name in charts.CHART_CLASSES.values()
        if re.search(rf"[\"'.]{re.escape(name)}[\"' .\[]", body)
    ]
