"""Issue 14: no module of the package over 400 lines (ruff's C901 keeps each function's
complexity at 15 or less; see pyproject.toml)."""

from __future__ import annotations

from defence_course.paths import REPO_ROOT

PACKAGE = REPO_ROOT / "defence_course"
MAX_LINES = 400


def test_no_module_is_over_the_line_limit():
    too_long = {
        str(path.relative_to(REPO_ROOT)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"over {MAX_LINES} lines (split along a seam a reader sees): " + ", ".join(
        f"{name} ({lines})" for name, lines in too_long.items()
    )
