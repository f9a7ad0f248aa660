"""Run one grading command as a child *subreaper* and report what it left running.

``python reaper.py REPORT.json [--kill-when-glob GLOB] -- COMMAND …``

Every process the command starts, however it detaches (new session, double fork), is
re-parented to this process when its parent dies instead of to init. After the command ends
(and a short grace period) this process lists its remaining children (processes that outlived
the grader), writes them to REPORT.json with the command's exit status, kills exactly them by
pid, and exits. With ``--kill-when-glob`` it kills the command with SIGKILL as soon as a file
matches the pattern (a grader killed mid-run).
"""

from __future__ import annotations

import argparse
import ctypes
import glob
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
GRACE_SECONDS = 10.0  # a loaded 2-core machine may take seconds to deliver and reap


def children() -> list[int]:
    me, found = os.getpid(), []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == me and fields[0] != "Z":
            found.append(int(entry))
    return found


def cmdline(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    return " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)[:500]


def reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("report", type=Path)
    parser.add_argument("--kill-when-glob", default=None)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")
    proc = subprocess.Popen(command)
    killed_mid_run = False
    while proc.poll() is None:
        if args.kill_when_glob and glob.glob(args.kill_when_glob):
            proc.send_signal(signal.SIGKILL)
            killed_mid_run = True
            proc.wait()
            break
        time.sleep(0.1)
    returncode = proc.returncode
    deadline = time.monotonic() + GRACE_SECONDS
    left = children()
    while left and time.monotonic() < deadline:
        reap()
        time.sleep(0.1)
        left = children()
    leftovers = [{"pid": pid, "cmdline": cmdline(pid)} for pid in left]
    for _round in range(20):  # their own children re-parent to us in turn
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.1)
        reap()
        left = children()
        if not left:
            break
    args.report.write_text(
        json.dumps(
            {"returncode": returncode, "leftovers": leftovers, "killed_mid_run": killed_mid_run}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
