"""Running the real grading command for the red-team tests, and reading what it left behind.

The grader under test is ``python -m defence_course teach grade`` of this checkout, run with
this interpreter. To see the attacks succeed against another grader (the one before isolation,
say), point ``REDTEAM_GRADER_PYTHON`` at an interpreter that imports that grader's
``defence_course`` and ``REDTEAM_GRADER_ROOT`` at its checkout; options that grader does not
have are left out.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defence_course.paths import REPO_ROOT

REAPER = Path(__file__).with_name("reaper.py")
GRADER_PYTHON = os.environ.get("REDTEAM_GRADER_PYTHON", sys.executable)
GRADER_ROOT = Path(os.environ.get("REDTEAM_GRADER_ROOT", REPO_ROOT))
# Short limits keep the suite fast; the killers' loops fit in them.
BASE_OPTIONS = [
    "--assignment",
    "threat",
    "--jobs",
    "2",
    "--quiet",
    "--timeout",
    "45",
    "--cell-timeout",
    "25",
]


@functools.lru_cache(maxsize=1)
def grade_help() -> str:
    done = subprocess.run(
        [GRADER_PYTHON, "-m", "defence_course", "teach", "grade", "--help"],
        capture_output=True,
        text=True,
        cwd=GRADER_ROOT,
        timeout=120,
    )
    return done.stdout


def supported(options: list[str]) -> list[str]:
    """``options`` without the flags (and their values) this grader does not know."""
    kept, skip = [], False
    for index, option in enumerate(options):
        if skip:
            skip = False
            continue
        if option.startswith("--") and option not in grade_help():
            value_follows = index + 1 < len(options) and not options[index + 1].startswith("-")
            skip = value_follows
            continue
        kept.append(option)
    return kept


@dataclass
class GraderRun:
    """One run of the grading command."""

    out: Path
    returncode: int | None
    stdout: str
    stderr: str
    leftovers: list[dict[str, Any]] = field(default_factory=list)
    killed_mid_run: bool = False
    seconds: float = 0.0
    # What the results folder held right after the run (a later run may rewrite it).
    banner: str = ""
    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    moodle: dict[str, str] = field(default_factory=dict)
    canvas: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        return (
            f"exit {self.returncode} after {self.seconds:.0f} s\nstdout:\n"
            f"{self.stdout[-3000:]}\nstderr:\n{self.stderr[-3000:]}"
        )


def run_grader(
    submissions: Path,
    out: Path,
    *,
    work: Path,
    env: dict[str, str],
    options: list[str] = (),
    kill_when_glob: str | None = None,
    timeout: float = 400,
) -> GraderRun:
    """Grade ``submissions`` into ``out`` with the real command, under a subreaper."""
    report = work / f"reaper-{out.name}-{time.monotonic_ns()}.json"
    command = [
        GRADER_PYTHON,
        "-m",
        "defence_course",
        "teach",
        "grade",
        str(submissions),
        "--out",
        str(out),
        *supported([*BASE_OPTIONS, *options]),
    ]
    watch = ["--kill-when-glob", kill_when_glob] if kill_when_glob else []
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(REAPER), *watch, str(report), "--", *command],
        capture_output=True,
        text=True,
        cwd=GRADER_ROOT,
        env=env,
        timeout=timeout,
    )
    info = json.loads(report.read_text()) if report.exists() else {}
    banner, rows = read_gradebook(out)
    return GraderRun(
        out,
        info.get("returncode"),
        done.stdout,
        done.stderr,
        info.get("leftovers", []),
        bool(info.get("killed_mid_run")),
        time.monotonic() - start,
        banner,
        rows,
        read_moodle(out),
        read_canvas(out),
    )


def read_gradebook(out: Path) -> tuple[str, dict[str, dict[str, str]]]:
    """The banner line (``# UNSAFE …`` or empty) and the rows by ``student_id``."""
    path = out / "gradebook.csv"
    if not path.exists():
        return "", {}
    text = path.read_text(encoding="utf-8")
    banner = ""
    if text.startswith("#"):
        banner, text = text.split("\n", 1)
    rows = list(csv.DictReader(io.StringIO(text)))
    return banner, {row["student_id"]: row for row in rows}


def read_moodle(out: Path) -> dict[str, str]:
    path = out / "moodle_import.csv"
    if not path.exists():
        return {}
    return {
        row["student_id"]: row["grade"]
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    }


def read_canvas(out: Path) -> dict[str, str]:
    path = out / "canvas_import.csv"
    if not path.exists():
        return {}
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return {(row[1] or row[3]): row[5] for row in rows[2:]}


@functools.lru_cache(maxsize=1)
def grader_site_dirs() -> tuple[Path, ...]:
    """The site-packages folders of the grader's Python (where a ``.pth`` file would act)."""
    code = (
        "import json, site, sysconfig; print(json.dumps(sorted(set(site.getsitepackages())"
        " | {sysconfig.get_paths()['purelib']})))"
    )
    done = subprocess.run(
        [GRADER_PYTHON, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return tuple(Path(p) for p in json.loads(done.stdout))


def planted_files(token: str) -> list[Path]:
    """Files with this run's token in their name wherever the attacks try to write."""
    found = []
    for folder in (*grader_site_dirs(), GRADER_ROOT, REPO_ROOT):
        if folder.is_dir():
            found += [p for p in folder.iterdir() if token in p.name]
    return found


def tree_hashes(folder: Path) -> dict[str, str]:
    import hashlib

    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
