"""Checks on the built website that need no browser: off-site resources and page sizes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

# Elements whose URLs the browser fetches by itself when the page loads.
FETCHED_ATTRIBUTES = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "audio": ("src",),
    "video": ("src", "poster"),
    "embed": ("src",),
    "object": ("data",),
}
# <link rel> values that only name a page; browsers do not fetch them.
NON_FETCHING_RELS = {
    "canonical",
    "alternate",
    "author",
    "license",
    "next",
    "prev",
    "index",
    "search",
    "help",
    "bookmark",
    "top",
    "up",
    "first",
    "last",
}
CSS_URL = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)|url\(\s*['"]?([^'")]+)""")


@dataclass(frozen=True)
class OffsiteResource:
    """A resource a page would load from another host."""

    page: str
    element: str
    url: str

    def __str__(self) -> str:
        return f"{self.page}: <{self.element}> loads {self.url}"


def is_offsite(url: str) -> bool:
    """True if the browser would contact a host other than the site's own."""
    url = url.strip()
    if url.startswith("//"):
        return True
    parts = urlsplit(url)
    if parts.scheme in ("", "data", "blob", "about", "javascript", "mailto"):
        return False
    return parts.scheme in ("http", "https", "ws", "wss", "ftp") and parts.hostname not in (
        "localhost",
        "127.0.0.1",
    )


class _ResourceParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if (
            tag == "link"
            and set(values.get("rel", "").lower().split()) <= NON_FETCHING_RELS
            and values.get("rel")
        ):
            return
        for attribute in FETCHED_ATTRIBUTES.get(tag, ()):
            value = values.get(attribute, "")
            urls = (
                [part.strip().split(" ")[0] for part in value.split(",")]
                if attribute == "srcset"
                else [value]
            )
            self.found.extend((tag, u) for u in urls if u)
        if "style" in values:
            self.found.extend(("style attribute", u) for u in css_urls(values["style"]))
        if tag == "style":
            self._in_style = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found.extend(("style", u) for u in css_urls(data))


def css_urls(css: str) -> list[str]:
    """URLs a stylesheet imports or loads (fonts, images)."""
    return [a or b for a, b in CSS_URL.findall(css)]


def offsite_resources_in_html(html: str, page: str = "<page>") -> list[OffsiteResource]:
    """Off-site resources referenced by one HTML page (plain hyperlinks are allowed)."""
    parser = _ResourceParser()
    parser.feed(html)
    return [OffsiteResource(page, tag, url) for tag, url in parser.found if is_offsite(url)]


def offsite_resources(site: Path) -> list[OffsiteResource]:
    """Off-site resources referenced anywhere in a built site (HTML pages and CSS files)."""
    site = Path(site)
    found: list[OffsiteResource] = []
    for path in sorted(site.rglob("*.html")):
        page = str(path.relative_to(site))
        found += offsite_resources_in_html(path.read_text(encoding="utf-8"), page)
    for path in sorted(site.rglob("*.css")):
        page = str(path.relative_to(site))
        found += [
            OffsiteResource(page, "css", u)
            for u in css_urls(path.read_text(encoding="utf-8", errors="replace"))
            if is_offsite(u)
        ]
    return found


def content_pages(site: Path) -> list[Path]:
    """The course's own pages in a built site (not search, index or generated pages)."""
    skip = {"search.html", "genindex.html", "index.html", "py-modindex.html"}
    return sorted(
        p
        for p in Path(site).rglob("*.html")
        if p.name not in skip
        and "_static" not in p.parts
        and "_sources" not in p.parts
        and "_images" not in p.parts
    )
