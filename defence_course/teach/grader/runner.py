"""Run one student notebook in a throw-away process and report its answers *by value*.

This module is the only place where student code runs during grading. The grader starts it as
``python -I -m defence_course.teach.grader.runner --result-fd N [--drop-uid U]`` inside a sandbox
(see :mod:`defence_course.teach.grader.sandbox`; or, with ``--unsafe``, in an empty working
directory with its own process group), with a scrubbed environment, and writes the job to its
standard input:

``{"cells": ["source", …], "names": ["answer_variable", …], "cell_timeout": s,
"memory_mb": m, "cpu_seconds": c, "processes": p, "file_mb": f, "preload": true}``

The runner then

1. with ``--drop-uid`` (the grader runs as root), gives up root for that unprivileged user id
   for good, before anything else happens;
2. lowers its resource limits (address space, CPU time, processes, file size, no core dumps) so
   that a runaway cell or a fork bomb hits a limit instead of the machine;
3. sends standard output and error to ``/dev/null``: nothing a notebook prints reaches the
   grader, so fake "all tests passed" text is simply never read;
4. replaces ``otter`` with a stub whose ``Notebook.check`` does nothing, so the notebook's own
   check cells run no tests (and no tests are present to run: the working directory holds none);
5. runs every code cell in an IPython shell, each with a soft time limit (an alarm that stops an
   endless loop and moves on to the next cell);
6. writes one JSON line per event to the result pipe: ``{"event": "cell", "index": i}`` before
   each cell, ``{"event": "error", …}`` for a cell that failed, and finally
   ``{"event": "answers", "answers": {name: encoded value}, "missing": […]}``, where each value
   is encoded by :func:`defence_course.teach.grader.value_encoding.encode` (plain JSON, never
   pickle);
7. leaves with ``os._exit`` so that no exit handler the notebook registered can run.

Everything the runner writes is *data* for the grader, never code, and the grader treats it as
untrusted: a notebook that tampers with this process can at worst change its own answers.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import re
import resource
import signal
import sys
import types
from typing import Any

MAX_MESSAGE = 300


class CellTimeout(BaseException):  # noqa: N818 - raised inside student code, read by IPython
    """A cell ran longer than its time limit."""


def _limit(kind: int, soft: int) -> None:
    try:
        _, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(kind, (soft, soft))
    except (ValueError, OSError):
        pass


def set_limits(memory_mb: int, cpu_seconds: int, file_mb: int = 64, processes: int = 0) -> None:
    """Lower this process's limits (they can never be raised again by the notebook).

    The process limit counts the processes and threads of this user id: in a sandbox, those of
    this notebook only (its own user namespace, or its own user id when the grader is root).
    """
    if memory_mb > 0:
        _limit(resource.RLIMIT_AS, memory_mb * 1024 * 1024)
    if cpu_seconds > 0:
        _limit(resource.RLIMIT_CPU, cpu_seconds)
    if processes > 0:
        _limit(resource.RLIMIT_NPROC, processes)
    _limit(resource.RLIMIT_FSIZE, file_mb * 1024 * 1024)
    _limit(resource.RLIMIT_CORE, 0)


def drop_root(uid: int) -> None:
    """Become user ``uid`` (group ``uid``, no other groups) for good; fail loudly otherwise."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    if (os.getuid(), os.geteuid(), os.getgid(), os.getegid()) != (uid, uid, uid, uid):
        raise RuntimeError(f"could not change to user id {uid}")
    try:
        os.setuid(0)
    except PermissionError:
        return
    raise RuntimeError("root privileges could be taken back")


def silence_output() -> None:
    """Point file descriptors 1 and 2 (and ``sys.stdout``/``sys.stderr``) at ``/dev/null``."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115


def install_otter_stub() -> None:
    """Make ``import otter`` give a harmless stand-in: checks are not run while grading."""
    stub = types.ModuleType("otter")

    class Notebook:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def check(self, *args: Any, **kwargs: Any) -> str:
            return "(checks are not run while grading)"

        def __getattr__(self, name: str) -> Any:
            return lambda *args, **kwargs: None

    stub.Notebook = Notebook  # type: ignore[attr-defined]
    stub.__version__ = "stub"  # type: ignore[attr-defined]
    sys.modules["otter"] = stub


def _message(error: BaseException | None) -> str:
    if error is None:
        return ""
    try:
        text = str(error)
    except Exception:
        text = ""
    text = " ".join(text.split())
    text = re.sub(r"\(<ipython-input-[^>]*>, (line \d+)\)", r"(\1 of the cell)", text)
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1] + "…"
    name = type(error).__name__ if not isinstance(error, CellTimeout) else "TimeLimit"
    return f"{name}: {text}" if text else name


class Channel:
    """The result pipe: one JSON document per line."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def send(self, message: dict[str, Any]) -> None:
        data = (json.dumps(message, allow_nan=False) + "\n").encode("utf-8")
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]


PRELOAD = ("numpy", "pandas", "altair", "defence_course.data")


def run(job: dict[str, Any], channel: Channel) -> None:
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    from defence_course.teach.grader.value_encoding import encode

    # The course's libraries are imported before the first cell, outside the cells' time
    # limits: a slow machine must not cost a student the cell that imports pandas.
    for module in PRELOAD if job.get("preload", True) else ():
        try:
            importlib.import_module(module)
        except Exception:  # the notebook will meet (and report) the same error
            pass

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    shell = InteractiveShell.instance(config=config)
    cell_timeout = float(job.get("cell_timeout") or 0)

    def on_alarm(signum: int, frame: Any) -> None:
        raise CellTimeout(f"the cell ran for more than {cell_timeout:g} s and was stopped")

    for index, source in enumerate(job["cells"]):
        channel.send({"event": "cell", "index": index})
        signal.signal(signal.SIGALRM, on_alarm)
        if cell_timeout > 0:
            signal.setitimer(signal.ITIMER_REAL, cell_timeout)
        try:
            result = shell.run_cell(source, store_history=False, silent=False)
        except BaseException as error:  # an alarm between IPython's own handlers
            result = None
            failure: BaseException | None = error
        else:
            failure = result.error_before_exec or result.error_in_exec
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if failure is not None:
            channel.send({"event": "error", "index": index, "message": _message(failure)})

    namespace = shell.user_ns
    answers, missing = {}, []
    for name in job["names"]:
        if name in namespace:
            answers[name] = encode(namespace[name])
        else:
            missing.append(name)
    channel.send({"event": "answers", "answers": answers, "missing": missing})


def probe(job: dict[str, Any], channel: Channel) -> None:
    """The grader's check that a sandbox works: limits set, modules reachable (not imported)."""
    missing = [name for name in job.get("modules", []) if importlib.util.find_spec(name) is None]
    if missing:
        raise ModuleNotFoundError(f"not reachable in the sandbox: {', '.join(missing)}")
    channel.send({"event": "answers", "answers": {}, "missing": []})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--result-fd", type=int, required=True)
    parser.add_argument("--drop-uid", type=int, default=None)
    args = parser.parse_args(argv)

    channel = Channel(args.result_fd)
    try:
        if args.drop_uid is not None:
            drop_root(args.drop_uid)
        job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    except BaseException as error:  # noqa: BLE001 - no student code has run yet
        channel.send({"event": "fatal", "message": _message(error)})
        os._exit(3)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    set_limits(
        int(job.get("memory_mb", 0)),
        int(job.get("cpu_seconds", 0)),
        int(job.get("file_mb", 64)),
        int(job.get("processes", 0)),
    )
    silence_output()
    try:
        if job.get("probe"):
            probe(job, channel)
        else:
            install_otter_stub()
            run(job, channel)
    except BaseException as error:  # noqa: BLE001 - report and leave, whatever happened
        try:
            channel.send({"event": "fatal", "message": _message(error)})
        except BaseException:
            pass
        os._exit(3)
    os._exit(0)


if __name__ == "__main__":
    main()
