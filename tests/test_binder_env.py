"""Binder installs requirements.txt only: a fresh environment from it runs a chapter."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from defence_course.paths import REPO_ROOT

pytestmark = pytest.mark.slow

CHAPTER = REPO_ROOT / "chapters" / "04_eu_nato_overlap.md"


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n" \
        f"{done.stderr[-3000:]}"
    return done


def test_requirements_alone_run_a_chapter(tmp_path: Path):
    env_dir = tmp_path / "binder-env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    run([str(python), "-m", "pip", "install", "--quiet", "-r", "requirements.txt"],
        cwd=REPO_ROOT)
    output = tmp_path / "executed.ipynb"
    # jupytext opens the MyST page as a notebook and executes it in the environment's kernel.
    run([str(env_dir / "bin" / "jupytext"), "--to", "ipynb", "--execute",
         "--output", str(output), str(CHAPTER)], cwd=CHAPTER.parent)
    notebook = json.loads(output.read_text(encoding="utf-8"))
    code_cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code_cells and all(c.get("execution_count") for c in code_cells)
    assert not any(o.get("output_type") == "error" for c in code_cells for o in c["outputs"])
    assert sys.prefix != str(env_dir)
