"""No built page loads anything from a third-party host."""

from __future__ import annotations

from defence_course.sitecheck import is_offsite, offsite_resources, offsite_resources_in_html


def test_built_site_loads_nothing_offsite(site_dir):
    found = offsite_resources(site_dir)
    assert found == [], "pages load third-party resources:\n" + "\n".join(map(str, found))


def test_scanner_flags_every_kind_of_offsite_resource():
    page = """
    <html><head>
      <script src="https://cdn.jsdelivr.net/npm/vega@5"></script>
      <link rel="stylesheet" href="//fonts.googleapis.com/css?family=Roboto">
      <style>@import url("https://example.org/theme.css");
             body { background: url(http://x.test/a.png) }</style>
    </head><body>
      <img src="https://example.org/chart.png"
           srcset="local.png 1x, https://example.org/big.png 2x">
      <iframe src="https://www.youtube.com/embed/x"></iframe>
      <video><source src="https://example.org/clip.mp4"></video>
      <div style="background-image: url('https://example.org/bg.jpg')"></div>
    </body></html>
    """
    found = {(r.element, r.url) for r in offsite_resources_in_html(page)}
    assert found == {
        ("script", "https://cdn.jsdelivr.net/npm/vega@5"),
        ("link", "//fonts.googleapis.com/css?family=Roboto"),
        ("style", "https://example.org/theme.css"),
        ("style", "http://x.test/a.png"),
        ("img", "https://example.org/chart.png"),
        ("img", "https://example.org/big.png"),
        ("iframe", "https://www.youtube.com/embed/x"),
        ("source", "https://example.org/clip.mp4"),
        ("style attribute", "https://example.org/bg.jpg"),
    }


def test_scanner_allows_hyperlinks_and_local_resources():
    page = """
    <link rel="canonical" href="https://example.org/course/">
    <a href="https://www.nato.int/">NATO</a>
    <script src="_static/vega/vega-runtime.js"></script>
    <img src="data:image/png;base64,AAAA">
    <link rel="stylesheet" href="../_static/styles/theme.css">
    """
    assert offsite_resources_in_html(page) == []


def test_localhost_is_not_offsite():
    assert not is_offsite("http://127.0.0.1:8000/_static/x.js")
    assert is_offsite("https://unpkg.com/thebe@0.8.2/lib/index.js")
