"""Build the website (or a small test book) with Jupyter Book and report what happened."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from defence_course.paths import REPO_ROOT


@dataclass(frozen=True)
class BuildResult:
    """Outcome of one ``jupyter-book build``."""

    returncode: int
    log: str
    html_dir: Path
    seconds: float

    @property
    def warnings(self) -> list[str]:
        # Sphinx writes "path:line: WARNING: message" (kernels' own log lines differ).
        return [
            line
            for line in self.log.splitlines()
            if "WARNING:" in line or "ERROR:" in line or "CRITICAL:" in line
        ]


def write_config(book_dir: Path, target: Path, **execute: object) -> Path:
    """Copy the book's ``_config.yml`` to ``target``, overriding ``execute`` settings."""
    config = yaml.safe_load((book_dir / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("execute", {}).update(execute)
    target.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return target


def build_book(
    book_dir: Path = REPO_ROOT,
    output_dir: Path | None = None,
    *,
    config: Path | None = None,
    all_files: bool = False,
    handouts: bool = False,
) -> BuildResult:
    """Run ``jupyter-book build`` with warnings as errors and nitpicky references.

    ``handouts``: then, if the website built, print the chapters' handouts into it
    (``html/handouts/``, :mod:`defence_course.handouts`), as ``make book`` does; their report
    ends the log, and a failure makes the return code 1.
    """
    book_dir = Path(book_dir)
    output_dir = Path(output_dir or book_dir)
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(book_dir),
        "--path-output",
        str(output_dir),
        "--warningiserror",
        "--nitpick",
        "--keep-going",
    ]
    if config is not None:
        command += ["--config", str(config)]
    if all_files:
        command.append("--all")
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=book_dir)
    returncode, log = done.returncode, done.stdout + done.stderr
    html_dir = output_dir / "_build" / "html"
    if handouts and returncode == 0:
        printed = subprocess.run(
            [
                sys.executable,
                "-m",
                "defence_course",
                "handouts",
                "--site",
                str(html_dir),
                "--force",
            ],
            capture_output=True,
            text=True,
            cwd=book_dir,
        )
        returncode, log = printed.returncode, log + printed.stdout + printed.stderr
    return BuildResult(
        returncode=returncode,
        log=log,
        html_dir=html_dir,
        seconds=time.perf_counter() - start,
    )
