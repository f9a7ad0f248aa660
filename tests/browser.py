"""Helpers for the browser tests: a local server for the built site and a guarded page."""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from defence_course.charts import CHART_CLASSES, CHARTS_SETTLED_JS, SPEC_CLASS

# one way to find and start the browser, shared with the handout printer
from defence_course.handouts import CHROMIUM_ARGS as CHROMIUM_ARGS
from defence_course.handouts import chromium_path as chromium_path


def part(name: str) -> str:
    """The CSS selector of a part of a chart, by its name in ``charts.CHART_CLASSES``."""
    return "." + CHART_CLASSES[name]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class SiteServer:
    """Serves a folder on 127.0.0.1 on a free port, in a background thread."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass
class PageLog:
    """What happened while a page was open."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"off-site request: {u}" for u in self.blocked]
            + [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"failed request: {u}" for u in self.failed]
        )


def guard(page, log: PageLog) -> None:
    """Block and record every request to a host other than localhost; record errors."""

    def route(route):
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith("data:") or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            log.blocked.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: None if r.url in log.blocked else log.failed.append(r.url))
    page.on(
        "response", lambda r: log.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )


def open_page(
    browser,
    url: str,
    log: PageLog,
    viewport=(1280, 900),
    mode: str | None = None,
    init: str | None = None,
):
    """Open ``url`` in a fresh context with the network guarded; wait for every chart.

    ``mode``: "light" or "dark" opens the page in that colour theme, as chosen before with the
    theme's toggle (which it keeps in localStorage). ``init``: a script run before the page's.
    """
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    if mode:
        context.add_init_script(
            f"localStorage.setItem('mode', '{mode}');localStorage.setItem('theme', '{mode}');"
        )
    if init:
        context.add_init_script(init)
    page = context.new_page()
    guard(page, log)
    page.goto(url, wait_until="load")
    charts = page.locator(f"script.{SPEC_CLASS}").count()
    if charts:
        page.wait_for_function(CHARTS_SETTLED_JS, arg=charts, timeout=15000)
    return context, page, charts
