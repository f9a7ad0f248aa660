"""Running one notebook's code in a throw-away sandbox, and nothing else.

:func:`run_notebook` starts :mod:`defence_course.teach.grader.runner` and sends it the code
cells and the names of the answer variables on its standard input. What comes back on a pipe is only
data: the answers as JSON, which cell was running, which cells failed.

With isolation (the default, see :mod:`~defence_course.teach.grader.isolation`) the runner starts
inside a bubblewrap sandbox: its own mount, PID, network, IPC and UTS namespaces, a read-only
system and course, a private size-limited scratch folder holding a copy of the submission, no
network, and an unprivileged user. When the notebook ends, or its time is up, the sandbox's
first process is killed and the kernel ends every process of the PID namespace with it: nothing
a notebook starts outlives its run.

Without isolation (``--unsafe``) the runner starts as before this module had namespaces: an
empty temporary folder, a scrubbed environment and its own process group. That protects the
verdict, not the computer (see the teacher guide's threat model).

Limits per notebook (:class:`Limits`): wall time (the grader kills it), CPU time, address
space, processes, size of a file written and of the scratch folder, and size of what it sends
back; stdout and stderr go nowhere.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import signal
import time
from dataclasses import dataclass, field
from typing import Any

from defence_course.teach.grader.guard import Guard
from defence_course.teach.grader.isolation import NO_ISOLATION, REQUIRED_MODULES, Isolation, Layout
from defence_course.teach.grader.launch import (
    collect,
    first_line,
    runner_env,
    start_isolated,
    start_unisolated,
    wait_for_sandboxes,
)

__all__ = [
    "Guard",
    "Limits",
    "RunResult",
    "describe_exit",
    "probe",
    "run_notebook",
    "runner_env",
    "wait_for_sandboxes",
]


@dataclass(frozen=True)
class Limits:
    """Per-submission limits (seconds, megabytes, counts)."""

    timeout: float = 120.0  # wall time of the whole notebook
    cell_timeout: float = 30.0  # one cell; the notebook goes on with the next
    memory_mb: int = 3072  # address space of each process
    max_file_mb: float = 20.0  # largest submitted file accepted
    eval_timeout: float = 60.0  # the checks of one submission
    processes: int = 64  # processes and threads of the notebook at once
    scratch_mb: int = 256  # largest file it writes, and its scratch folder in all
    output_mb: int = 64  # what it may send back to the grader

    @property
    def cpu_seconds(self) -> int:
        """CPU time of each process: the wall time and a margin for a second thread."""
        return int(self.timeout * 1.5) + 5

    def key(self) -> str:
        return json.dumps(dataclasses.astuple(self))


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
    stderr: str = ""


# ---------------------------------------------------------------------------------------------
# One run


def run_notebook(
    cells: list[str],
    names: list[str],
    limits: Limits,
    *,
    isolation: Isolation = NO_ISOLATION,
    layout: Layout | None = None,
    notebook: bytes = b"",
    slot: int = 0,
    preload: bool = True,
    probe_modules: tuple[str, ...] = (),
) -> RunResult:
    """Execute ``cells`` in a throw-away sandbox; collect the variables ``names`` by value.

    With ``probe_modules`` nothing runs: the runner only checks that those modules can be
    found (see :func:`probe`).
    """
    start = time.monotonic()
    job = json.dumps(
        {
            "probe": bool(probe_modules),
            "modules": list(probe_modules),
            "cells": cells,
            "names": names,
            "cell_timeout": limits.cell_timeout,
            "memory_mb": limits.memory_mb,
            "cpu_seconds": limits.cpu_seconds,
            # Unisolated, the process limit would count every process of the teacher's account.
            "processes": limits.processes if isolation.isolated else 0,
            "file_mb": limits.scratch_mb,
            "preload": preload,
        }
    ).encode("utf-8")
    try:
        if isolation.isolated:
            if layout is None:
                raise ValueError("an isolated run needs the sandbox's layout")
            launch = start_isolated(
                isolation, layout, scratch_mb=limits.scratch_mb, notebook=notebook, slot=slot
            )
        else:
            launch = start_unisolated(notebook)
    except OSError as error:
        return RunResult("error", detail=f"could not start the notebook process ({error})")
    launch.job = job
    try:
        raw, stderr, timed_out, flooded = collect(
            launch, output_mb=limits.output_mb, deadline=start + limits.timeout
        )
    finally:
        launch.stop()
    result = _interpret(raw, launch.proc.returncode)
    result.seconds = time.monotonic() - start
    result.stderr = stderr
    if flooded:
        return RunResult(
            "error",
            last_cell=result.last_cell,
            seconds=result.seconds,
            detail=f"the notebook sent the grader more than {limits.output_mb} MB",
        )
    if timed_out:
        result.status, result.answers = "timeout", None
        result.detail = f"the notebook did not finish within {limits.timeout:g} s"
    elif result.status == "crashed" and not raw.strip() and stderr.strip():
        result.detail = f"the sandbox could not start the notebook: {first_line(stderr)}"
    return result


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
    """In words; bwrap reports a child killed by signal N as exit status 128 + N."""
    if returncode is None:
        return "did not exit"
    number = -returncode if returncode < 0 else returncode - 128 if returncode > 128 else 0
    if number:
        try:
            return f"was killed by signal {signal.Signals(number).name}"
        except ValueError:
            if returncode < 0:
                return f"was killed by signal {number}"
    return f"ended itself with exit code {returncode}"


# ---------------------------------------------------------------------------------------------
# Does the sandbox work here?


@functools.lru_cache(maxsize=8)
def probe(isolation: Isolation, layout: Layout) -> str | None:
    """Start the runner once in a sandbox; ``None`` if it works, else what went wrong."""
    if not isolation.isolated:
        return None
    result = run_notebook(
        [],
        [],
        Limits(timeout=60),
        isolation=isolation,
        layout=layout,
        probe_modules=REQUIRED_MODULES,
    )
    if result.status == "ran":
        return None
    what = result.detail or f"the test run {describe_exit(result.returncode)}"
    if result.stderr.strip() and result.stderr.strip() not in what:
        what += f" ({first_line(result.stderr)})"
    return what
