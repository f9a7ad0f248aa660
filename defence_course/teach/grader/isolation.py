"""Operating-system isolation for student code: which mechanism this machine offers, what a
sandbox shows, and the bubblewrap command line that builds it.

A graded notebook is code written by a student, run on the teacher's computer. A folder and a
process are not a boundary: the code could read the masters and the hidden tests, change the
results, poison the grader's Python or kill the grader. So each notebook runs in a sandbox built
by `bubblewrap <https://github.com/containers/bubblewrap>`_ (``bwrap``, Debian/Ubuntu package
``bubblewrap``, the tool Flatpak uses), with Linux namespaces:

- a **mount namespace** whose root is empty except for what :func:`course_layout` lists, all
  read-only: the system (``/usr`` and its links), the Python installation, the site-packages
  of the grader's environment, the course package and the course data. The repository, the
  masters, ``_build``, the autograders, the submissions and the results folder are simply not
  there (and are covered by an empty folder if they lie inside something that is);
- a private writable **scratch** folder (a size-limited tmpfs, also ``/tmp``) holding a copy of
  the submission itself, thrown away with the sandbox;
- a **PID namespace**: the notebook sees only its own processes, cannot signal the grader, the
  evaluator or other notebooks, and everything it started dies with it;
- a **network namespace** with no interfaces but loopback: no network;
- IPC and UTS namespaces, a new terminal session, no capabilities, ``no_new_privs``;
- as an ordinary user, a **user namespace** that may not create further user namespaces; when
  the grader runs as root, the runner drops to an unprivileged user id instead (so that the
  process limit applies: the kernel exempts root from it).

:func:`detect` finds the mechanism; :mod:`~defence_course.teach.grader.sandbox` checks that it
really works here (a probe run) before any submission is graded. When nothing works the grader
refuses to grade unless the teacher passes ``--unsafe`` (then :data:`NO_ISOLATION` is used and the
gradebook says so).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import site
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

BUBBLEWRAP = "bubblewrap"
NONE = "none"
PREFERENCES = ("auto", BUBBLEWRAP, NONE)

SCRATCH = "/scratch"
SCRATCH_TMP = f"{SCRATCH}/tmp"
NOTEBOOK_INSIDE = f"{SCRATCH}/submission.ipynb"
# When the grader is root, notebooks run as these user ids (one per parallel worker, so that
# the process limit of one notebook does not count another's processes). They are far above the
# ranges distributions and container tools hand out.
SANDBOX_UID_BASE = 2_000_000_000

# The system a sandbox shows, read-only: /usr, and the top-level links or folders of the loader.
SYSTEM_DIRS = ("/usr",)
ROOT_ENTRIES = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# The few files of /etc that programs need to start (the dynamic loader's cache, the time zone),
# not /etc itself (it holds the machine's accounts and configuration).
ETC_ENTRIES = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/alternatives",
)
# What student notebooks and the runner import; each must be reachable inside the sandbox.
REQUIRED_MODULES = (
    "defence_course",
    "numpy",
    "pandas",
    "altair",
    "IPython",
    "traitlets",
    "otter",
    "vl_convert",
)


class IsolationUnavailable(RuntimeError):
    """No isolation mechanism works here (the message says why and what to do)."""


@dataclass(frozen=True)
class Isolation:
    """The mechanism a grading run uses."""

    mechanism: str
    version: str = ""
    binary: str = ""
    detail: str = ""
    drop_uid: bool = False
    features: frozenset[str] = field(default_factory=frozenset)

    @property
    def isolated(self) -> bool:
        return self.mechanism != NONE

    def describe(self) -> str:
        if not self.isolated:
            return f"none ({self.detail})" if self.detail else "none"
        who = (
            "as an unprivileged user id (the grader runs as root)"
            if self.drop_uid
            else "in a user namespace"
        )
        return (
            f"{self.mechanism} {self.version}: namespaces (mount, PID, network, IPC, UTS), "
            f"read-only system, private scratch, {who}"
        )


NO_ISOLATION = Isolation(NONE, detail="student code runs as your own user, unisolated")


def _bwrap_features(binary: str) -> frozenset[str]:
    """Options of this bubblewrap build that the sandbox uses when present (0.8 has all)."""
    try:
        text = subprocess.run([binary, "--help"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    wanted = ("--disable-userns", "--size", "--perms", "--info-fd", "--unshare-cgroup-try")
    return frozenset(option for option in wanted if option in text)


def detect(preference: str = "auto") -> Isolation:
    """The mechanism to use: ``auto`` (bubblewrap if installed), ``bubblewrap`` or ``none``.

    Only looks for the program; :func:`defence_course.teach.grader.sandbox.probe` then checks
    that it can build a sandbox on this machine (kernel features, security modules).
    """
    if preference not in PREFERENCES:
        raise ValueError(
            f"unknown isolation {preference!r}; choose one of {', '.join(PREFERENCES)}"
        )
    if preference == NONE:
        return Isolation(NONE, detail="isolation switched off with --isolation none")
    binary = shutil.which("bwrap")
    if binary is None:
        if preference == BUBBLEWRAP:
            raise IsolationUnavailable(
                "bubblewrap (the program bwrap) is not installed: "
                "install the package bubblewrap (apt-get install "
                "bubblewrap)"
            )
        return Isolation(NONE, detail="bubblewrap (bwrap) is not installed")
    try:
        done = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
        version = done.stdout.strip().split()[-1] if done.stdout.strip() else "?"
    except (OSError, subprocess.SubprocessError, IndexError):
        version = "?"
    return Isolation(
        BUBBLEWRAP,
        version=version,
        binary=binary,
        drop_uid=os.geteuid() == 0,
        features=_bwrap_features(binary),
    )


# ---------------------------------------------------------------------------------------------
# What a sandbox shows


@dataclass(frozen=True)
class Layout:
    """The file system of a sandbox: paths bound read-only at their own place, links, masks."""

    read_only: tuple[str, ...]
    symlinks: tuple[tuple[str, str], ...]
    hidden: tuple[str, ...] = ()
    python: str = sys.executable

    def with_hidden(self, paths: Iterable[Path]) -> Layout:
        """The same layout with ``paths`` covered wherever they lie inside an exposed path."""
        covered = []
        for path in paths:
            text = os.path.abspath(path)
            if os.path.lexists(text) and any(_inside(text, root) for root in self.read_only):
                covered.append(text)
        return Layout(self.read_only, self.symlinks, tuple(sorted(set(covered))), self.python)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _minimal(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop duplicates and paths that lie inside another path of the list."""
    kept: list[str] = []
    for path in sorted(set(paths), key=lambda p: (p.count("/"), p)):
        if not any(_inside(path, other) for other in kept):
            kept.append(path)
    return tuple(sorted(kept))


def module_locations(names: Iterable[str]) -> list[str]:
    """Where each importable module lives (its package folder, or its file)."""
    found: list[str] = []
    for name in names:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            continue
        if spec.submodule_search_locations:
            found.extend(os.path.abspath(p) for p in spec.submodule_search_locations)
        elif spec.origin and os.path.isabs(spec.origin):
            found.append(os.path.abspath(spec.origin))
    return found


def course_layout(data_dir: Path) -> Layout:
    """What student code needs to run: system, Python, site-packages, course package, data."""
    exposed = [p for p in SYSTEM_DIRS if os.path.isdir(p)]
    links = []
    for entry in ROOT_ENTRIES:
        if os.path.islink(entry):
            links.append((os.readlink(entry), entry))
        elif os.path.isdir(entry):
            exposed.append(entry)
    exposed += [p for p in ETC_ENTRIES if os.path.exists(p)]
    exposed.append(os.path.realpath(sys.base_prefix))
    exposed.append(os.path.abspath(sys.executable))  # a venv's python: bound at its own path
    if sys.prefix != sys.base_prefix and os.path.exists(os.path.join(sys.prefix, "pyvenv.cfg")):
        exposed.append(os.path.join(os.path.abspath(sys.prefix), "pyvenv.cfg"))
    exposed += [os.path.abspath(p) for p in site.getsitepackages() if os.path.isdir(p)]
    exposed += module_locations(REQUIRED_MODULES)  # e.g. an editable install of the course
    exposed.append(os.path.abspath(data_dir))
    return Layout(_minimal(exposed), tuple(links), (), os.path.abspath(sys.executable))


def _parents(paths: Iterable[str], exposed: tuple[str, ...]) -> list[str]:
    """Folders to create (readable by everyone) so that every bound path can be reached."""
    needed: set[str] = set()
    for path in paths:
        parent = os.path.dirname(path)
        while parent not in ("/", ""):
            if not any(_inside(parent, root) for root in exposed):
                needed.add(parent)
            parent = os.path.dirname(parent)
    return sorted(needed, key=lambda p: (p.count("/"), p))


def bwrap_command(
    iso: Isolation,
    layout: Layout,
    *,
    env: Mapping[str, str],
    scratch_bytes: int,
    info_fd: int | None = None,
    notebook_fd: int | None = None,
) -> list[str]:
    """The ``bwrap …`` prefix that starts a command in a fresh sandbox (see the module doc)."""
    has = iso.features.__contains__
    cmd = [iso.binary, "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts"]
    if has("--unshare-cgroup-try"):
        cmd.append("--unshare-cgroup-try")
    if iso.drop_uid:
        # Root creates the namespaces itself; the runner keeps only the right to change to its
        # unprivileged user id, and does so before any student code runs.
        cmd += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        cmd.append("--unshare-user")
        if has("--disable-userns"):
            cmd.append("--disable-userns")
    cmd += ["--die-with-parent", "--new-session", "--hostname", "sandbox", "--clearenv"]
    for key, value in sorted(env.items()):
        cmd += ["--setenv", key, value]
    if info_fd is not None and has("--info-fd"):
        cmd += ["--info-fd", str(info_fd)]
    perms = ["--perms", "0755"] if has("--perms") else []
    size = ["--size", str(scratch_bytes)] if has("--size") else []
    open_perms = ["--perms", "1777"] if has("--perms") else []
    # Normally /tmp is a link into the scratch folder. When something bound lies under /tmp
    # (course data in a temporary folder), /tmp is a tmpfs of its own, mounted first.
    tmp_holds_binds = any(_inside(path, "/tmp") for path in layout.read_only)
    if tmp_holds_binds:
        cmd += [*size, *open_perms, "--tmpfs", "/tmp"]
    for folder in _parents([*layout.read_only, SCRATCH], layout.read_only):
        if folder != "/tmp" or not tmp_holds_binds:
            cmd += [*perms, "--dir", folder]
    for target, link in layout.symlinks:
        cmd += ["--symlink", target, link]
    for path in layout.read_only:
        cmd += ["--ro-bind", path, path]
    for path in layout.hidden:
        if os.path.isdir(path):
            cmd += ["--tmpfs", path, "--remount-ro", path]
        else:
            cmd += ["--ro-bind", "/dev/null", path]
    cmd += ["--proc", "/proc", "--dev", "/dev"]
    cmd += [*size, *open_perms, "--tmpfs", SCRATCH, *open_perms, "--dir", SCRATCH_TMP]
    if not tmp_holds_binds:
        cmd += ["--symlink", SCRATCH_TMP, "/tmp"]
    if notebook_fd is not None:
        cmd += ["--perms", "0444"] if has("--perms") else []
        cmd += ["--ro-bind-data", str(notebook_fd), NOTEBOOK_INSIDE]
    cmd += ["--remount-ro", "/", "--chdir", SCRATCH, "--"]
    return cmd


def sandbox_uid(slot: int) -> int:
    return SANDBOX_UID_BASE + max(0, slot)
