"""Every internal link and anchor of the built site resolves; external links are reported."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from defence_course.paths import REPO_ROOT


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path) -> tuple[list[str], list[str]]:
    """(broken internal links, external links) of every HTML page under ``site``."""
    pages = {p: parse(p) for p in site.rglob("*.html") if "_static" not in p.parts}
    broken, external = [], set()
    for page, parsed in pages.items():
        for href in parsed.links:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                external.add(href)
                continue
            if parts.scheme in ("mailto", "javascript"):
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(site)} -> {href}"
            if not target.exists():
                broken.append(f"{where}: no such file")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{where}: no anchor #{parts.fragment}")
    return broken, sorted(external)


def test_internal_links_and_anchors_resolve(site_dir):
    broken, external = broken_links(site_dir.resolve())
    report = REPO_ROOT / "test-artifacts" / "external-links.txt"
    report.parent.mkdir(exist_ok=True)
    report.write_text("\n".join(external) + "\n", encoding="utf-8")
    assert not broken, "broken links:\n" + "\n".join(broken[:40])


def test_the_checker_finds_a_broken_link_and_anchor(tmp_path):
    (tmp_path / "a.html").write_text(
        '<a href="b.html#here">x</a><a href="missing.html">y</a>'
        '<a href="#nowhere">z</a><a href="https://x.org/">w</a>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text('<h1 id="elsewhere">B</h1>', encoding="utf-8")
    broken, external = broken_links(tmp_path)
    assert len(broken) == 3 and external == ["https://x.org/"]
