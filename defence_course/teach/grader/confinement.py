"""Choosing the isolation of a grading run, and refusing to grade without one.

:func:`prepare` finds the mechanism (:func:`defence_course.teach.grader.isolation.detect`), builds
the sandbox's layout, checks with a probe run that a sandbox really starts on this machine
(:func:`defence_course.teach.grader.sandbox.probe`), and covers the paths a notebook must never see.
When no isolation works it raises :class:`IsolationUnavailable`, with what to install, unless
the teacher passed ``--unsafe``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from defence_course import paths
from defence_course.teach.grader.isolation import (
    BUBBLEWRAP,
    NONE,
    Isolation,
    IsolationUnavailable,
    Layout,
    course_layout,
    detect,
)
from defence_course.teach.grader.sandbox import probe

HOW_TO = (
    "install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo "
    "dnf install bubblewrap), which needs a Linux kernel with user namespaces, or, to "
    "grade anyway with student code running as you, unisolated, pass --unsafe (the "
    "gradebook will say so)"
)


def data_dir() -> Path:
    """The course data notebooks read now (``DEFENCE_COURSE_DATA`` is read at run time)."""
    override = os.environ.get("DEFENCE_COURSE_DATA")
    return Path(override) if override else Path(paths.DATA_DIR)


def prepare(
    preference: str = "auto", *, unsafe: bool = False, hide: Iterable[Path] = ()
) -> tuple[Isolation, Layout | None]:
    """The isolation of this run and its sandbox layout (``None`` when unisolated)."""
    iso = detect(preference)
    layout: Layout | None = None
    if iso.isolated:
        base = course_layout(data_dir())
        problem = probe(iso, base)
        if problem is None:
            layout = base.with_hidden(hide)
        else:
            detail = (
                f"bubblewrap {iso.version} is installed but cannot build a sandbox here: {problem}"
            )
            if preference == BUBBLEWRAP:
                raise IsolationUnavailable(
                    f"{detail}. The kernel must allow namespaces (user, mount, PID, network)"
                )
            iso = Isolation(NONE, detail=detail)
    if not iso.isolated and not unsafe:
        raise IsolationUnavailable(
            f"student code cannot be isolated on this machine ({iso.detail}): {HOW_TO}"
        )
    return iso, layout
