"""Starting and stopping the process that runs one notebook, and reading what it sends.

:func:`start_isolated` starts :mod:`defence_course.teach.grader.runner` inside a bubblewrap sandbox
(:func:`defence_course.teach.grader.isolation.bwrap_command`) and learns, from bwrap's
``--info-fd``, the host pid of the sandbox's first process; :meth:`Launch.stop` kills that process,
which makes the kernel end every process of the sandbox's PID namespace, and waits until bwrap has
seen them all go. :func:`start_unisolated` is the ``--unsafe`` way: an empty temporary folder and a
process group. :func:`collect` reads the result pipe until the notebook ends, its time is up or it
sends too much.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from defence_course.teach.grader import isolation as iso_mod
from defence_course.teach.grader.evaluate import die_with
from defence_course.teach.grader.isolation import Isolation, Layout

# The runner is started by its path, not with -m: importing the package (and Altair) first
# would delay its reading of the job, and an orphaned sandbox must notice at once that no job
# will come (see Launch.send_job).
RUNNER = Path(__file__).with_name("runner.py")
STDERR_KEPT = 4096


def runner_env(home: str) -> dict[str, str]:
    """The only environment variables a notebook sees while graded."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "USER": "student",
        "LOGNAME": "student",
        "TMPDIR": f"{home}/tmp",
        "IPYTHONDIR": f"{home}/.ipython",
        "MPLCONFIGDIR": f"{home}/.matplotlib",
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


@dataclass
class Launch:
    """One started notebook process (in its sandbox, or in a temporary folder)."""

    proc: subprocess.Popen[bytes]
    result_fd: int
    stderr_fd: int
    info_fd: int | None = None
    workdir: Path | None = None
    child_pid: int | None = None
    pid_namespace: int | None = None
    info: bytes = b""
    job: bytes = b""
    job_sent: bool = False

    def send_job(self) -> None:
        """Write the job to the runner's standard input (from a thread: it may be large).

        With bwrap the job is sent only once bwrap has reported its sandbox, which it does
        after arranging to die with the grader: a sandbox orphaned by a grader killed while
        starting it reads no job, runs no student code and ends at once.
        """
        if not self.job_sent:
            self.job_sent = True
            threading.Thread(target=_feed, args=(self.proc, self.job), daemon=True).start()

    def stop(self) -> None:
        """End the notebook and everything it started; return once they are all gone."""
        if (
            self.proc.poll() is None
            and self.child_pid
            and _parent_of(self.child_pid) == self.proc.pid
        ):
            # The sandbox's first process: killing it ends the whole PID namespace, and the
            # kernel waits for every process in it before bwrap sees it exit.
            _signal(self.child_pid)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.proc.poll() is None:
            _signal(self.proc.pid)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self._end_namespace()
        if self.proc.stdin is not None and not self.job_sent:
            self.proc.stdin.close()
        for fd in (self.result_fd, self.stderr_fd, self.info_fd):
            if fd is not None:
                _close(fd)
        if self.workdir is not None:
            _remove(self.workdir)

    def _end_namespace(self) -> None:
        """bwrap leaves when the runner does; make sure the rest of the sandbox goes too.

        bwrap 0.8 kills its first process when it leaves, older versions keep it (and any
        background process of the notebook) running. The kernel ends every process of the
        sandbox before its first one is gone, but tearing the sandbox's namespaces down takes
        it a second or so: the first process is killed now and waited for later, all at once,
        by :func:`wait_for_sandboxes` (grading waits for it before writing any result).
        """
        if (
            self.child_pid
            and self.pid_namespace
            and _in_namespace(self.child_pid, self.pid_namespace)
        ):
            _signal(self.child_pid)
            with _ENDING_LOCK:
                _ENDING.append((self.child_pid, self.pid_namespace))


# Sandboxes whose first process was killed but may still be on its way out: (pid, namespace).
_ENDING: list[tuple[int, int]] = []
_ENDING_LOCK = threading.Lock()


def _in_namespace(pid: int, namespace: int) -> bool:
    """Is ``pid`` still the first process of that sandbox (not a later process with its pid)?"""
    try:
        return os.readlink(f"/proc/{pid}/ns/pid") == f"pid:[{namespace}]"
    except OSError:
        return False


def wait_for_sandboxes(timeout: float = 30.0) -> list[int]:
    """Wait until every sandbox stopped so far is gone, with every process it had.

    Returns the pids of sandboxes still there after ``timeout`` seconds (none, normally).
    """
    deadline = time.monotonic() + timeout
    with _ENDING_LOCK:
        pending = list(_ENDING)
        _ENDING.clear()
    while pending and time.monotonic() < deadline:
        pending = [(pid, ns) for pid, ns in pending if _in_namespace(pid, ns)]
        for pid, _ in pending:
            _signal(pid)
        if pending:
            time.sleep(0.02)
    return [pid for pid, _ in pending]


def _signal(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _close(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return int(stat.rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _runner_args(result_fd: int) -> list[str]:
    return ["-I", str(RUNNER), "--result-fd", str(result_fd)]


def start_isolated(
    iso: Isolation, layout: Layout, *, scratch_mb: int, notebook: bytes, slot: int
) -> Launch:
    result_r, result_w = os.pipe()
    err_r, err_w = os.pipe()
    info_r, info_w = os.pipe() if "--info-fd" in iso.features else (None, None)
    notebook_fd = os.memfd_create("submission", 0)
    try:
        view = memoryview(notebook)
        while view:
            view = view[os.write(notebook_fd, view) :]
        os.lseek(notebook_fd, 0, os.SEEK_SET)
        command = iso_mod.bwrap_command(
            iso,
            layout,
            env=runner_env(iso_mod.SCRATCH),
            scratch_bytes=scratch_mb * 1024 * 1024,
            info_fd=info_w,
            notebook_fd=notebook_fd,
        )
        command += [layout.python, *_runner_args(result_w)]
        if iso.drop_uid:
            command += ["--drop-uid", str(iso_mod.sandbox_uid(slot))]
        passed = tuple(fd for fd in (result_w, info_w, notebook_fd) if fd is not None)
        proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=err_w,
            env={"PATH": "/usr/bin:/bin"},
            cwd="/",
            pass_fds=passed,
            start_new_session=True,
            close_fds=True,
            # armed in the child before bwrap runs: a grader killed mid-launch takes
            # the sandbox with it
            preexec_fn=die_with(os.getpid()),
        )
    except BaseException:
        for fd in (result_r, info_r, err_r):
            if fd is not None:
                _close(fd)
        raise
    finally:
        for fd in (result_w, info_w, err_w, notebook_fd):
            if fd is not None:
                _close(fd)
    return Launch(proc, result_r, err_r, info_fd=info_r)


def start_unisolated(notebook: bytes) -> Launch:
    workdir = Path(tempfile.mkdtemp(prefix="dc-grade-"))
    (workdir / "tmp").mkdir()
    (workdir / "submission.ipynb").write_bytes(notebook)
    result_r, result_w = os.pipe()
    err_r, err_w = os.pipe()
    try:
        proc = subprocess.Popen(
            [sys.executable, *_runner_args(result_w)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=err_w,
            cwd=workdir,
            env=runner_env(str(workdir)),
            pass_fds=(result_w,),
            start_new_session=True,
            close_fds=True,
        )
    except BaseException:
        for fd in (result_r, err_r):
            _close(fd)
        _remove(workdir)
        raise
    finally:
        _close(result_w)
        _close(err_w)
    return Launch(proc, result_r, err_r, workdir=workdir)


def first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:300] if lines else ""


def collect(launch: Launch, *, output_mb: int, deadline: float) -> tuple[bytes, str, bool, bool]:
    """Read the result pipe (and bwrap's info and errors) until the notebook ends or time is up.

    Returns the result bytes, the first bytes of stderr, whether the time ran out, and whether
    the notebook sent more than it may.
    """
    chunks: list[bytes] = []
    size, timed_out, flooded = 0, False, False
    err = bytearray()
    selector = selectors.DefaultSelector()
    selector.register(launch.result_fd, selectors.EVENT_READ, "result")
    selector.register(launch.stderr_fd, selectors.EVENT_READ, "stderr")
    if launch.info_fd is not None:
        selector.register(launch.info_fd, selectors.EVENT_READ, "info")
    else:
        launch.send_job()
    result_open = True
    try:
        while result_open:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            events = selector.select(timeout=min(remaining, 0.5))
            if not events and launch.proc.poll() is not None:
                break  # ended; a process it left holds the pipe open (unisolated runs only)
            for key, _ in events:
                chunk = os.read(key.fd, 1 << 16)
                if key.data == "result":
                    if not chunk:
                        result_open = False
                        continue
                    size += len(chunk)
                    if size > output_mb * 1024 * 1024:
                        flooded = True
                        result_open = False
                        break
                    chunks.append(chunk)
                elif not chunk:
                    selector.unregister(key.fd)
                elif key.data == "stderr":
                    err.extend(chunk[: max(0, STDERR_KEPT - len(err))])
                else:
                    _read_info(launch, chunk, selector)
        if not timed_out and not flooded:
            try:
                launch.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                timed_out = True
    finally:
        selector.close()
    return b"".join(chunks), err.decode("utf-8", "replace"), timed_out, flooded


def _read_info(launch: Launch, chunk: bytes, selector: selectors.BaseSelector) -> None:
    """bwrap's ``--info-fd`` JSON: the host pid of the sandbox's first process."""
    launch.info += chunk[:4096]
    try:
        info = json.loads(launch.info)
    except ValueError:
        return
    if isinstance(info, dict) and isinstance(info.get("child-pid"), int):
        launch.child_pid = info["child-pid"]
        if isinstance(info.get("pid-namespace"), int):
            launch.pid_namespace = info["pid-namespace"]
    assert launch.info_fd is not None  # the info pipe this chunk came from
    selector.unregister(launch.info_fd)
    launch.send_job()


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
