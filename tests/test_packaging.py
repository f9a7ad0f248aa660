"""``pip install .`` (not editable) gives a complete course, usable outside the repository.

Binder, a student's ``pip install`` and a downloaded notebook all get the course package
from a wheel. The wheel must hold every subpackage and the datasets (as package data: the top-level
``data/`` is the only committed copy), and nothing a student must not see (the masters hold the
solutions). With only that wheel, a student notebook saved under another name in a folder of
its own checks answers, and a chapter notebook downloaded from the website installs the course
into an environment that has nothing but Python, pip and a kernel, and draws its charts.
"""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from tests.fresh_env import clean_env, copy_working_tree, make_venv, run

pytestmark = pytest.mark.slow

# Where the wheel keeps the course's files (see defence_course/paths.py and setup.py).
INSTALLED_FILES = "defence_course/course_files"

# Modules that only the website build imports: they need the "book" extra, which a
# student's environment does not have. Each maps to the missing module its import names.
BOOK_ONLY_MODULES = {
    "defence_course.sphinxext": "sphinx",
    # The minifiers are in the `book` extra only: the lean style sheets and scripts are built.
    "defence_course.sphinx_css": "rcssmin",
    "defence_course.sphinx_minify": "rjsmin",
}

# Run by the fresh environment's Python from a folder outside the repository, so that
# `import defence_course` can only find the installed wheel.
CHECK_INSTALLED = r"""
import importlib, json, pkgutil, sys
from pathlib import Path

import defence_course
from defence_course import data, paths

report = {"package": defence_course.__file__, "course_files": str(paths.COURSE_FILES),
          "data_dir": str(paths.DATA_DIR), "imported": [], "failed": {}, "datasets": {}}
for module in pkgutil.walk_packages(defence_course.__path__, "defence_course."):
    try:
        importlib.import_module(module.name)
        report["imported"].append(module.name)
    except Exception as error:
        report["failed"][module.name] = [type(error).__name__, getattr(error, "name", None),
                                         str(error)]
for name in data.dataset_names():
    report["datasets"][name] = len(data.load_dataset(name))
report["map_objects"] = len(data.load_europe_map()["objects"]["countries"]["geometries"])
json.dump(report, sys.stdout)
"""


def _source_packages(root: Path) -> set[str]:
    return {
        init.parent.relative_to(root).as_posix()
        for init in (root / "defence_course").rglob("__init__.py")
    }


def test_wheel_installs_a_working_course(tmp_path: Path):
    source = copy_working_tree(tmp_path / "clone")
    dist = tmp_path / "dist"
    # pip builds the wheel as `pip install .` would: in an isolated build environment.
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", dist, source],
        cwd=tmp_path,
    )
    wheel = next(dist.glob("defence_course-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())

    missing_packages = sorted(
        p for p in _source_packages(source) if f"{p}/__init__.py" not in names
    )
    assert not missing_packages, f"the wheel lacks these subpackages: {missing_packages}"
    data_files = sorted(p.name for p in (source / "data").iterdir() if p.is_file())
    missing_data = [n for n in data_files if f"{INSTALLED_FILES}/data/{n}" not in names]
    assert not missing_data, f"the wheel lacks these files of data/: {missing_data}"
    # The masters hold solutions and hidden tests: nothing of exercises/ may ship.
    leaked = sorted(n for n in names if "exercises/" in n or n.endswith(".ipynb"))
    assert not leaked, f"the wheel ships teacher-only files: {leaked}"

    bin_dir = make_venv(tmp_path / "env")
    env = clean_env(tmp_path / "home", bin_dir)
    run(
        [
            bin_dir / "python",
            "-m",
            "pip",
            "install",
            "--quiet",
            "-r",
            source / "requirements.txt",
            wheel,
        ],
        env=env,
        cwd=tmp_path,
    )
    run([bin_dir / "python", "-m", "pip", "check"], env=env, cwd=tmp_path)

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    done = run([bin_dir / "python", "-c", CHECK_INSTALLED], env=env, cwd=outside)
    report = json.loads(done.stdout)

    site_packages = next((tmp_path / "env" / "lib").glob("python3.*/site-packages"))
    assert Path(report["package"]).is_relative_to(site_packages), report["package"]
    assert report["course_files"] == str(site_packages / INSTALLED_FILES)
    assert report["data_dir"] == str(site_packages / INSTALLED_FILES / "data")

    expected_modules = {p.replace("/", ".") for p in _source_packages(source)} - {"defence_course"}
    found = set(report["imported"]) | set(report["failed"])
    assert expected_modules <= found, f"not found: {sorted(expected_modules - found)}"
    unexpected = {
        name: error
        for name, error in report["failed"].items()
        if not (
            name in BOOK_ONLY_MODULES
            and error[0] == "ModuleNotFoundError"
            and error[1] == BOOK_ONLY_MODULES[name]
        )
    }
    assert not unexpected, f"modules that fail to import from the wheel: {unexpected}"

    package = json.loads((source / "data" / "datapackage.json").read_text(encoding="utf-8"))
    listed = [r["name"] for r in package["resources"]]
    assert sorted(report["datasets"]) == sorted(listed)
    assert all(rows > 0 for rows in report["datasets"].values()), report["datasets"]
    assert report["map_objects"] > 0

    # A student notebook, renamed as a re-download names it, alone in a fresh folder.
    student = tmp_path / "downloads"
    student.mkdir()
    shutil.copy(
        source / "exercises" / "eu_nato" / "student" / "eu_nato.ipynb",
        student / "eu_nato (1).ipynb",
    )
    done = run([bin_dir / "python", "-c", CHECK_STUDENT], env=env, cwd=student)
    assert done.stdout.splitlines()[-2:] == ["wrong kind explained", "right answer passes"]


CHECK_STUDENT = r"""
from defence_course.teach.checks import assignment_grader

grader = assignment_grader("eu_nato")
result = grader.check("q1", global_env={"n_eu_not_nato": "4"})
assert "Remove the quotes" in repr(result), repr(result)
print("wrong kind explained")
assert grader.check("q1", global_env={"n_eu_not_nato": 4}).passed_all
print("right answer passes")
"""


def test_a_downloaded_chapter_installs_the_course_and_draws_its_charts(tmp_path: Path):
    """Only Python, pip and a kernel: the notebook's first cell installs the rest."""
    source = copy_working_tree(tmp_path / "clone")
    bin_dir = make_venv(tmp_path / "env")
    env = clean_env(tmp_path / "home", bin_dir)
    run(
        [bin_dir / "python", "-m", "pip", "install", "--quiet", "nbclient", "ipykernel"],
        env=env,
        cwd=tmp_path,
    )
    notebook = json.loads((source / "notebooks" / "01_threat.ipynb").read_text("utf-8"))
    install = notebook["cells"][2]
    assert install["metadata"]["tags"] == ["install"]
    lines = "".join(install["source"]).splitlines(keepends=True)
    # The cell installs from the course's repository; here, from the copy of this work.
    line = next(i for i, text in enumerate(lines) if text.startswith("COURSE_PACKAGE = "))
    lines[line] = f'COURSE_PACKAGE = "{source}"\n'
    install["source"] = lines
    downloaded = tmp_path / "reader" / "01_threat.ipynb"
    downloaded.parent.mkdir()
    downloaded.write_text(json.dumps(notebook), encoding="utf-8")
    done = run([bin_dir / "python", "-c", RUN_NOTEBOOK, downloaded], env=env, cwd=downloaded.parent)
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["errors"] == [], report["errors"]
    assert "Installed" in report["install_output"]
    assert report["chart_widgets"] >= report["figure_cells"] + 1  # every figure, the explorer


RUN_NOTEBOOK = r"""
import json, sys
import nbformat
from nbclient import NotebookClient

path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
NotebookClient(nb, timeout=600, allow_errors=True).execute()
code = [c for c in nb.cells if c.cell_type == "code"]
outputs = [o for c in code for o in c.outputs]
print(json.dumps({
    "errors": [o.get("ename", "") + ": " + o.get("evalue", "") for o in outputs
               if o.output_type == "error"],
    "install_output": "".join(o.get("text", "") for o in code[0].outputs),
    "chart_widgets": sum("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                         for o in outputs),
    "figure_cells": sum("threat." in c.source for c in code),
}))
"""
