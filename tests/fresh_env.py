"""Helpers for the tests that install the course the way a newcomer would.

They work on a copy of the repository (so a build never writes into the checkout) and in
fresh virtual environments (so nothing from the development environment leaks in).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import venv
from pathlib import Path

from defence_course.paths import REPO_ROOT


def run(command: list[str | Path], **kwargs) -> subprocess.CompletedProcess:
    """Run ``command``; fail with its output when it exits non-zero."""
    command = [str(part) for part in command]
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, (
        f"{' '.join(command)} (in {kwargs.get('cwd', os.getcwd())}) exited with "
        f"{done.returncode}:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    )
    return done


def copy_working_tree(dest: Path) -> Path:
    """Copy what a clean clone of the current work would hold into ``dest``.

    That is every tracked file as it is on disk now plus every new file git does not ignore:
    uncommitted work is included (HEAD alone would test yesterday's code), while ``.venv``,
    ``_build`` and other ignored files stay out, as they would be missing from a clone.
    """
    listed = run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO_ROOT
    ).stdout
    for name in sorted(set(filter(None, listed.split("\0")))):
        source = REPO_ROOT / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree but not yet in git's index
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        # copy2 keeps the executable bit, which postBuild needs.
        shutil.copy2(source, target, follow_symlinks=False)
    return dest


def make_venv(path: Path) -> Path:
    """A fresh virtual environment at ``path``; returns its ``bin`` folder."""
    venv.create(path, with_pip=True, clear=True)
    return path / "bin"


def clean_env(home: Path, bin_dir: Path | None = None) -> dict[str, str]:
    """The process environment for commands run in a fresh environment.

    ``HOME`` points at a scratch folder (so Jupyter settings written by postBuild never touch
    the real home) and Jupyter/Python variables of the calling environment are dropped.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JUPYTER", "PYTHON", "VIRTUAL_ENV", "PIP_REQUIRE"))
        and key != "DEFENCE_COURSE_DATA"
    }
    home.mkdir(parents=True, exist_ok=True)
    env["HOME"] = str(home)
    if bin_dir is not None:
        env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(bin_dir.parent)
    return env
