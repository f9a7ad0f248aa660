"""JupyterLab from the course's virtual environment, on localhost, driven by Playwright.

Used by tests/test_notebooks_lab.py and scripts/benchmark_explorers_lab.py. The server runs in a
temporary folder: running every cell makes JupyterLab autosave the outputs into the notebooks,
so notebooks are never opened inside the checkout. Its configuration, data, runtime and settings
folders are temporary too, so the reader's own JupyterLab setup (extensions, kernels, settings)
changes nothing, and JupyterLab is told not to fetch its news feed or check PyPI for updates.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from .browser import CHROMIUM_ARGS, PageLog, chromium_path

LOCAL_HOSTS = ("127.0.0.1", "localhost")

# Settings written into the temporary user-settings folder.
LAB_SETTINGS = {
    # No "get Jupyter news?" toast over the notebook, and no news or update fetches.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    # Every cell stays in the page, so every chart output is drawn and can be checked without
    # scrolling it into view first (the default, "full", attaches only the cells in view).
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RefusingProxy:
    """An HTTP(S) proxy on localhost that refuses everything and records what was asked.

    The server and its kernels get it as HTTP_PROXY/HTTPS_PROXY, so Python code that honours
    the proxy variables (pip, urllib, requests, httpx) cannot reach the internet from a
    notebook either, and each attempt is listed in ``attempts``.
    """

    def __init__(self) -> None:
        attempts: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def refuse(self) -> None:
                attempts.append(f"{self.command} {self.path}")
                self.send_error(403, "the network is closed in this test")

            do_CONNECT = do_GET = do_POST = do_HEAD = do_PUT = refuse

            def log_message(self, *args: object) -> None:
                pass

        self.attempts = attempts
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def environment(self) -> dict[str, str]:
        names = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
        env = {name: self.url for name in names} | {n.lower(): self.url for n in names}
        return env | {"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}

    def __enter__(self) -> RefusingProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class JupyterLab:
    """``jupyter lab`` serving ``root`` on 127.0.0.1 with no token, until the context ends.

    With a ``RefusingProxy``, the server and its kernels use it for every off-site request.
    """

    def __init__(
        self,
        root: Path,
        log_path: Path | None = None,
        timeout: float = 90,
        proxy: RefusingProxy | None = None,
    ) -> None:
        self.root = Path(root)
        self.proxy = proxy
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.timeout = timeout
        self.home = Path(tempfile.mkdtemp(prefix="dc-lab-home-"))
        self.log_path = log_path or self.home / "jupyterlab.log"
        self.process: subprocess.Popen | None = None

    def log_text(self) -> str:
        """What the server and its kernels printed (a kernel's stderr lands here: an exception
        in a widget callback is logged, not shown in the notebook)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def command(self) -> list[str]:
        settings = self.home / "user-settings"
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={self.root}",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            # window.jupyterapp: the tests run JupyterLab's own commands (open, run all).
            "--LabApp.expose_app_in_browser=True",
            # The server would otherwise fetch jupyterlab.github.io's feed and ask PyPI for a
            # newer JupyterLab; neither is the course's business and the network may be closed.
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={self.home / 'workspaces'}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        return command

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        for name, folder in {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_DATA_DIR": "data",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "IPYTHONDIR": "ipython",
        }.items():
            env[name] = str(self.home / folder)
            (self.home / folder).mkdir(parents=True, exist_ok=True)
        env.pop("JUPYTER_PATH", None)
        env.pop("JUPYTER_CONFIG_PATH", None)
        env["PYTHONUNBUFFERED"] = "1"
        if self.proxy is not None:
            env.update(self.proxy.environment())
        return env

    def write_settings(self) -> None:
        for name, values in LAB_SETTINGS.items():
            path = self.home / "user-settings" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")

    def __enter__(self) -> JupyterLab:
        self.write_settings()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed in __exit__
        self._log = log
        self.process = subprocess.Popen(
            self.command(),
            cwd=self.root,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited ({self.process.returncode}):\n"
                    + self.log_path.read_text(encoding="utf-8")[-4000:]
                )
            try:
                with urllib.request.urlopen(f"{self.url}/api/status", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(
            f"JupyterLab did not start within {self.timeout:.0f} s:\n"
            + self.log_path.read_text(encoding="utf-8")[-4000:]
        )

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # the server shuts its kernels down
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)  # its own session: the server and its kernels
                self.process.wait(timeout=10)
        self._log.close()
        shutil.rmtree(self.home, ignore_errors=True)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


@dataclass
class NetworkLog(PageLog):
    """The website tests' page log, plus off-site requests answered from this machine."""

    served_locally: list[str] = field(default_factory=list)


def guard_context(context, log: NetworkLog, local_answers=None) -> None:
    """Block every request to a host other than localhost (and record it).

    ``local_answers(url)`` may return a ``(content_type, body)`` to answer an off-site request
    from this machine instead (recorded in ``served_locally``); the benchmark uses it to time
    today's CDN-loading charts as an online user would see them.
    """

    def route(route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
            return
        answer = local_answers(url) if local_answers else None
        if answer is not None:
            log.served_locally.append(url)
            route.fulfill(
                status=200,
                content_type=answer[0],
                body=answer[1],
                headers={"Access-Control-Allow-Origin": "*"},
            )
            return
        log.blocked.append(url)
        route.abort()

    def websocket(ws) -> None:  # never connected to the server: blocked
        log.blocked.append(ws.url)
        ws.close()

    context.route("**/*", route)
    context.route_web_socket(lambda url: urlsplit(url).hostname not in LOCAL_HOSTS, websocket)

    def watch(page) -> None:
        page.on("pageerror", lambda e: log.page_errors.append(str(e)))
        page.on(
            "console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None
        )
        page.on(
            "requestfailed",
            lambda r: None if r.url in log.blocked else log.failed.append(f"{r.failure} {r.url}"),
        )

    context.on("page", watch)


# JavaScript run in the JupyterLab page. ``window.jupyterapp`` is there because the server runs
# with expose_app_in_browser.
NOTEBOOK_STATE = """path => {
  const app = window.jupyterapp;
  if (!app) return null;
  const panel = Array.from(app.shell.widgets('main'))
    .find(w => w.context && w.context.path === path);
  if (!panel || !panel.content || !panel.content.model) return {open: false};
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = Array.from(panel.content.model.cells);
  const code = cells.filter(c => c.type === 'code');
  return {
    open: true,
    kernel: kernel ? kernel.status : null,
    ready: panel.sessionContext.isReady,
    cells: cells.length,
    code: code.length,
    executed: code.filter(c => c.executionCount !== null && c.executionCount !== undefined)
                  .length,
    // Queued and running cells show [*] as their prompt.
    running: Array.from(panel.content.node.querySelectorAll('.jp-InputPrompt'))
               .filter(p => p.textContent.includes('*')).length,
  };
}"""


# Charts in an output, as the reader sees them. A chart output is Altair's HTML (a div
# ``altair-viz-*`` that loads Vega and becomes ``.vega-embed``) or a chart widget (Altair's
# JupyterChart, whose element becomes ``.vega-embed``). It is drawn when Vega put an SVG with
# data marks (the ``role-mark`` groups, not just axes) or a painted canvas in it; ``unseen``
# lists the SVG's layers whose marks all have no size. ``signature`` changes whenever what is
# drawn changes.
CHART_JS = r"""
window.dcLab = window.dcLab || {};
dcLab.hash = s => {
  let h = 5381;
  for (let i = 0; i < s.length; i++) h = ((h * 33) ^ s.charCodeAt(i)) >>> 0;
  return h.toString(16) + ':' + s.length;
};
dcLab.chartElements = root => {
  const all = Array.from(root.querySelectorAll('.vega-embed, [id^="altair-viz-"]'));
  return all.filter(el => !all.some(o => o !== el && o.contains(el)));
};
dcLab.describeChart = el => {
  const svg = el.querySelector('svg');
  const canvas = el.querySelector('canvas');
  const out = {kind: 'none', marks: 0, signature: '', unseen: [],
               text: (el.innerText || '').trim().slice(0, 300)};
  if (svg) {
    out.kind = 'svg';
    out.marks = svg.querySelectorAll('g.role-mark > :not(g)').length;
    out.signature = dcLab.hash(svg.outerHTML);
    // Layers whose marks all have no size (bars of zero width, say): drawn, but not seen.
    out.unseen = [];
    for (const group of svg.querySelectorAll('g.role-mark')) {
      const items = Array.from(group.children).filter(c => c.tagName !== 'g');
      if (!items.length) continue;
      const type = (group.getAttribute('class').match(/mark-(\w+)/) || [])[1];
      const thin = ['rule', 'line', 'area', 'trail'].includes(type);  // may have no height
      const seen = items.filter(item => {
        const box = item.getBBox();
        return thin ? box.width > 0 || box.height > 0 : box.width > 0 && box.height > 0;
      });
      if (!seen.length) out.unseen.push(`${items.length} ${type} marks`);
    }
  } else if (canvas && canvas.width && canvas.height) {
    out.kind = 'canvas';
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 16) if (data[i]) painted++;
    out.marks = painted;
    out.signature = dcLab.hash(canvas.toDataURL());
  }
  out.drawn = out.marks > 0;
  const box = el.getBoundingClientRect();
  out.width = Math.round(box.width); out.height = Math.round(box.height);
  return out;
};
dcLab.panel = path => Array.from(window.jupyterapp.shell.widgets('main'))
  .find(w => w.context && w.context.path === path);
// Errors and stderr the kernel sends, whichever request caused them: an exception in a widget
// callback (a control change) goes to JupyterLab's log console, not into the notebook.
dcLab.kernelMessages = {};
dcLab.watch = path => {
  const panel = dcLab.panel(path);
  if (panel.dcWatched) return;
  panel.dcWatched = true;
  const list = dcLab.kernelMessages[path] = [];
  panel.sessionContext.iopubMessage.connect((_, msg) => {
    const type = msg.header.msg_type, c = msg.content;
    const cause = msg.parent_header ? msg.parent_header.msg_type : null;
    if (type === 'error') list.push({type, cause, text: c.ename + ': ' + c.evalue + '\n'
                                     + (c.traceback || []).join('\n').slice(0, 3000)});
    else if (type === 'stream' && c.name === 'stderr') list.push({type: 'stderr', cause,
                                                                  text: c.text.slice(0, 3000)});
  });
};
dcLab.report = path => {
  const panel = dcLab.panel(path);
  return panel.content.widgets.map((cell, index) => {
    const model = cell.model;
    const area = cell.node.querySelector('.jp-Cell-outputWrapper');
    // A rendered markdown cell hides its editor: what is left is what the reader sees, from
    // JupyterLab's own renderer or from jupyterlab-myst's.
    const input = cell.node.querySelector('.jp-Cell-inputWrapper');
    const outputs = model.type === 'code' ? Array.from({length: model.outputs.length},
      (_, i) => model.outputs.get(i).toJSON()) : [];
    return {
      index, type: model.type, source: model.sharedModel.getSource(),
      execution_count: model.type === 'code' ? model.executionCount : null,
      outputs: outputs.map(o => ({output_type: o.output_type, ename: o.ename, evalue: o.evalue,
                                  name: o.name, mimes: Object.keys(o.data || {}),
                                  text: [].concat(o.text || []).join('').slice(0, 2000),
                                  traceback: (o.traceback || []).join('\n').slice(0, 4000)})),
      markdown_text: model.type === 'markdown' && input ? input.innerText : '',
      output_text: area ? area.innerText : '',
      stderr: area ? Array.from(area.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
        .map(e => e.innerText) : [],
      charts: area ? dcLab.chartElements(area).map(dcLab.describeChart) : [],
    };
  });
};
"""


class LabPage:
    """One browser page on a JupyterLab server, with the network guarded."""

    def __init__(
        self,
        browser,
        lab: JupyterLab,
        viewport=(1400, 1000),
        local_answers=None,
        init_script: str = "",
    ):
        self.lab = lab
        self.log = NetworkLog()
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        guard_context(self.context, self.log, local_answers)
        self.context.add_init_script(CHART_JS + init_script)
        self.page = self.context.new_page()
        self.page.goto(f"{lab.url}/lab", wait_until="domcontentloaded")
        self.page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.started !== undefined"
            " && document.querySelector('#jp-main-dock-panel')",
            timeout=60000,
        )
        self.page.evaluate("() => window.jupyterapp.restored")
        # What JupyterLab itself asked for off-site before any notebook was opened.
        self.startup_blocked = list(self.log.blocked)

    def command(self, name: str, args: dict | None = None, wait: bool = True):
        """Run a JupyterLab command; with ``wait=False`` return without waiting for it."""
        script = (
            "([n, a]) => window.jupyterapp.commands.execute(n, a).then(() => true)"
            if wait
            else "([n, a]) => { window.jupyterapp.commands.execute(n, a); }"
        )
        return self.page.evaluate(script, [name, args or {}])

    def state(self, path: str) -> dict | None:
        return self.page.evaluate(NOTEBOOK_STATE, path)

    def open_notebook(self, path: str, timeout: float = 60) -> None:
        """Open ``path`` (relative to the server root) as a notebook and wait for its kernel."""
        self.command("docmanager:open", {"path": path, "factory": "Notebook"})
        self.wait_until(
            path,
            lambda s: s and s.get("open") and s.get("kernel") == "idle" and s.get("ready"),
            timeout,
            "the kernel to start",
        )
        self.page.evaluate("p => dcLab.watch(p)", path)

    def kernel_messages(self, path: str) -> list[dict]:
        """Every error and stderr text the notebook's kernel sent since it was opened
        (ANSI colours removed)."""
        messages = self.page.evaluate("p => dcLab.kernelMessages[p] || []", path)
        for message in messages:
            message["text"] = re.sub(r"\x1b\[[0-9;]*m", "", message["text"])
        return messages

    def run_all(self, path: str, timeout: float = 120) -> dict:
        """Run every cell (JupyterLab's Run All) and wait until the kernel is idle with no cell
        queued: either every code cell has an execution count, or a cell failed and JupyterLab
        stopped there (the caller checks which)."""
        self.command("docmanager:open", {"path": path, "factory": "Notebook"})
        self.command("notebook:run-all-cells", wait=False)
        return self.wait_until(
            path, lambda s: s["kernel"] == "idle" and not s["running"], timeout, "the cells to run"
        )

    def wait_until(self, path: str, done, timeout: float, what: str) -> dict:
        deadline = time.monotonic() + timeout
        state = None
        settled = 0
        while time.monotonic() < deadline:
            state = self.state(path)
            # The kernel is idle between cells too: ask for the condition 3 times in a row.
            settled = settled + 1 if state and done(state) else 0
            if settled >= 3:
                return state
            self.page.wait_for_timeout(300)
        raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what} in {path}: {state}")

    def report(self, path: str) -> list[dict]:
        """Every cell of the open notebook ``path``: source, outputs, rendered text, charts."""
        return self.page.evaluate("p => dcLab.report(p)", path)

    def cell(self, path: str, index: int):
        """A locator for cell ``index`` of the open notebook ``path`` (in the visible panel)."""
        self.command("docmanager:open", {"path": path, "factory": "Notebook"})
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(
            index
        )

    def close(self) -> None:
        self.context.close()
