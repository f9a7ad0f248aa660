"""Running a notebook's code in a throw-away process, and watching the course's files.

:func:`run_notebook` starts :mod:`defence_course.teach.runner` in a fresh, empty working
directory (deleted afterwards) with a scrubbed environment, in its own process group, sends it
the code cells and the names of the answer variables on its standard input, and reads its
result pipe until it finishes or its time is up. Then the whole process group is killed. What
comes back is only data: the answers as JSON text, which cell was running, which cells failed.

:class:`Guard` keeps the bytes of the files grading depends on (the course package, ``data/``,
the masters and the grading manifests) and checks them after every submission. A notebook that
changed them is found out, the files are put back, and the grader re-runs every submission that
may have seen the changed files (see :mod:`defence_course.teach.grading`).

Without containers this is the limit of what can be enforced: student code runs under the
teacher's account and can read what that account can read. The teacher guide's threat model
says what this does and does not prevent.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESULT_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Per-submission limits (all in seconds or megabytes)."""

    timeout: float = 120.0
    cell_timeout: float = 30.0
    memory_mb: int = 3072
    max_file_mb: float = 20.0
    eval_timeout: float = 60.0

    def key(self) -> str:
        return json.dumps([self.timeout, self.cell_timeout, self.memory_mb, self.max_file_mb,
                           self.eval_timeout])


@dataclass
class RunResult:
    """What came back from one run of a notebook."""

    status: str  # "ran", "timeout", "crashed", "error"
    answers: dict[str, Any] | None = None
    missing: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    last_cell: int | None = None
    returncode: int | None = None
    detail: str = ""
    seconds: float = 0.0


def runner_env(workdir: Path) -> dict[str, str]:
    """The only environment variables a notebook sees while graded."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(workdir),
        "TMPDIR": str(workdir / "tmp"),
        "IPYTHONDIR": str(workdir / ".ipython"),
        "MPLCONFIGDIR": str(workdir / ".matplotlib"),
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
    }
    if os.environ.get("DEFENCE_COURSE_DATA"):
        env["DEFENCE_COURSE_DATA"] = os.environ["DEFENCE_COURSE_DATA"]
    return env


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    for target in (proc.pid,):
        try:
            os.killpg(target, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        proc.kill()
    except ProcessLookupError:
        pass


def run_notebook(cells: list[str], names: list[str], limits: Limits) -> RunResult:
    """Execute ``cells`` in a throw-away process; collect the variables ``names`` by value."""
    start = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="dc-grade-"))
    (workdir / "tmp").mkdir()
    job = json.dumps({
        "cells": cells, "names": names, "cell_timeout": limits.cell_timeout,
        "memory_mb": limits.memory_mb, "cpu_seconds": int(limits.timeout * 1.5) + 5,
    }).encode("utf-8")
    read_fd, write_fd = os.pipe()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-m", "defence_course.teach.runner",
             "--result-fd", str(write_fd)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd=workdir, env=runner_env(workdir), pass_fds=(write_fd,),
            start_new_session=True, close_fds=True,
        )
    except OSError as error:
        os.close(read_fd)
        os.close(write_fd)
        shutil.rmtree(workdir, ignore_errors=True)
        return RunResult("error", detail=f"could not start the notebook process ({error})")
    os.close(write_fd)
    feeder = threading.Thread(target=_feed, args=(proc, job), daemon=True)
    feeder.start()
    chunks, size, timed_out, flooded = [], 0, False, False
    deadline = start + limits.timeout
    selector = selectors.DefaultSelector()
    selector.register(read_fd, selectors.EVENT_READ)
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            if not selector.select(timeout=min(remaining, 1.0)):
                continue
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            size += len(chunk)
            if size > RESULT_LIMIT:
                flooded = True
                break
            chunks.append(chunk)
        if not timed_out and not flooded:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                timed_out = True
    finally:
        selector.close()
        os.close(read_fd)
        _kill_group(proc)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        _remove(workdir)
    result = _interpret(b"".join(chunks), proc.returncode)
    result.seconds = time.monotonic() - start
    if flooded:
        return RunResult("error", last_cell=result.last_cell, seconds=result.seconds,
                         detail="the notebook flooded the grader's result channel")
    if timed_out:
        result.status, result.answers = "timeout", None
        result.detail = f"the notebook did not finish within {limits.timeout:g} s"
    return result


def _feed(proc: subprocess.Popen[bytes], job: bytes) -> None:
    try:
        assert proc.stdin is not None
        proc.stdin.write(job)
        proc.stdin.close()
    except (BrokenPipeError, OSError):
        pass


def _remove(path: Path) -> None:
    def make_writable(func: Any, target: str, _exc: Any) -> None:
        try:
            os.chmod(target, 0o700)
            func(target)
        except OSError:
            pass

    for root, dirs, _files in os.walk(path):
        for name in dirs:
            try:
                os.chmod(os.path.join(root, name), 0o700)
            except OSError:
                pass
    shutil.rmtree(path, onerror=make_writable)


def _interpret(raw: bytes, returncode: int | None) -> RunResult:
    result = RunResult("crashed", returncode=returncode)
    fatal = ""
    for line in raw.splitlines():
        try:
            event = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if not isinstance(event, dict):
            continue
        kind = event.get("event")
        if kind == "cell" and isinstance(event.get("index"), int):
            result.last_cell = event["index"]
        elif kind == "error" and isinstance(event.get("index"), int):
            result.errors.append((event["index"], str(event.get("message", ""))[:400]))
        elif kind == "answers" and isinstance(event.get("answers"), dict):
            result.answers = event["answers"]
            missing = event.get("missing")
            result.missing = [str(m) for m in missing] if isinstance(missing, list) else []
        elif kind == "fatal":
            fatal = str(event.get("message", ""))[:300]
    if result.answers is not None:
        result.status = "ran"
    elif fatal:
        result.detail = f"the grader's runner failed: {fatal}"
    return result


def describe_exit(returncode: int | None) -> str:
    if returncode is None:
        return "did not exit"
    if returncode < 0:
        try:
            return f"was killed by signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"was killed by signal {-returncode}"
    return f"ended itself with exit code {returncode}"


# ---------------------------------------------------------------------------------------------
# The files grading depends on


class Guard:
    """Snapshot of the files grading reads; finds, reports and undoes changes to them."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = [Path(r) for r in roots if Path(r).exists()]
        self.snapshot = self._read()
        self.lock = threading.Lock()
        self.epoch = 0

    @staticmethod
    def _skip(path: Path) -> bool:
        return "__pycache__" in path.parts or path.suffix == ".pyc" or (
            ".ipynb_checkpoints" in path.parts)

    def _files(self) -> list[Path]:
        found = []
        for root in self.roots:
            if root.is_file():
                found.append(root)
                continue
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink() and not self._skip(path):
                    found.append(path)
        return found

    def _read(self) -> dict[Path, bytes]:
        contents = {}
        for path in self._files():
            try:
                contents[path] = path.read_bytes()
            except OSError:
                continue
        return contents

    def changes(self) -> list[Path]:
        """Files added, removed or changed since the snapshot."""
        changed = []
        current = set()
        for path in self._files():
            current.add(path)
            try:
                data = path.read_bytes()
            except OSError:
                changed.append(path)
                continue
            old = self.snapshot.get(path)
            if old != data:
                changed.append(path)
        changed.extend(p for p in self.snapshot if p not in current)
        return sorted(set(changed))

    def check_and_restore(self, keep: Path | None = None) -> list[Path]:
        """Put changed files back; keep a copy of what was found under ``keep``."""
        with self.lock:
            changed = self.changes()
            if not changed:
                return []
            self.epoch += 1
            for path in changed:
                if keep is not None and path.exists() and path.is_file():
                    copy = keep / f"{self.epoch:03d}" / path.relative_to(path.anchor)
                    copy.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        shutil.copyfile(path, copy)
                    except OSError:
                        pass
                original = self.snapshot.get(path)
                try:
                    if original is None:
                        path.unlink()
                    else:
                        path.parent.mkdir(parents=True, exist_ok=True)
                        path.write_bytes(original)
                except OSError:
                    pass
            return changed
