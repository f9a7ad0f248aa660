"""Binder starts: repo2docker's build steps, reproduced without Docker, run the course.

mybinder.org builds the repository with repo2docker. This test follows repo2docker's own
decision logic for a Python repository (release at commit 808ae6bb of jupyterhub/repo2docker,
``repo2docker/buildpacks/base.py`` and ``python/__init__.py``): which configuration folder is
read, which Python is used, which requirements file is installed, whether ``pip install .``
is added and which ``postBuild`` runs. It replays those steps in a fresh Python 3.11
environment that holds the base image's Jupyter packages at the image's versions, then
executes chapter 1 and the threat assignment's student notebook from their own folders,
as JupyterLab does. It works on a copy of the repository.
"""

from __future__ import annotations

import json
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from defence_course.paths import REPO_ROOT
from tests.fresh_env import clean_env, copy_working_tree, make_venv, run

# repo2docker's base environment for Python 3.11: the Jupyter packages of
# repo2docker/buildpacks/conda/environment.py-3.11-linux-64.lock (jupyterhub/repo2docker
# commit 808ae6bb, frozen 2025-10-16), by their PyPI names (conda's jupyterhub-base and
# jupyterhub-singleuser are PyPI's jupyterhub). Binder's pip starts from these.
BASE_IMAGE_PINS = {
    "pip": "25.2",
    "setuptools": "80.9.0",
    "wheel": "0.45.1",
    "jupyterlab": "4.4.9",
    "notebook": "7.4.7",
    "jupyter_server": "2.17.0",
    "jupyterlab_server": "2.27.3",
    "notebook_shim": "0.2.4",
    "jupyter-lsp": "2.3.0",
    "jupyterhub": "5.4.0",
    "jupyter-offlinenotebook": "0.3.2",
    "jupyter-resource-usage": "1.2.0",
    "ipywidgets": "8.1.7",
    "jupyterlab_widgets": "3.0.15",
    "widgetsnbextension": "4.0.14",
    "ipykernel": "7.0.1",
    "ipython": "9.6.0",
    "jupyter_client": "8.6.3",
    "jupyter_core": "5.8.1",
    "nbclient": "0.10.2",
    "nbconvert": "7.16.6",
    "nbformat": "5.10.4",
    "traitlets": "5.14.3",
    "tornado": "6.5.2",
    "pyzmq": "27.1.0",
}
# repo2docker's defaults (conda/__init__.py: major_pythons; supported_python_version.py).
DEFAULT_PYTHON = "3.10"
SUPPORTED_PYTHONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14")
# Files that make repo2docker pick another buildpack than the Python one (app.py's order:
# Dockerfile, Julia, Nix, R, conda, Pipfile before Python). This test only replays Python.
OTHER_BUILDPACK_FILES = (
    "Dockerfile",
    "Project.toml",
    "JuliaProject.toml",
    "REQUIRE",
    "default.nix",
    "install.R",
    "environment.yml",
    "environment.yaml",
    "Pipfile",
    "Pipfile.lock",
)


@dataclass
class Plan:
    """What repo2docker does for a repository, in order."""

    binder_dir: str
    python: str
    requirements: str | None
    pip_install_dot: bool
    post_build: str | None
    notes: list[str] = field(default_factory=list)


def repo2docker_plan(repo: Path) -> Plan:
    """repo2docker's decisions for ``repo``, as its Python buildpack makes them."""
    has_binder, has_dotbinder = (repo / "binder").is_dir(), (repo / ".binder").is_dir()
    assert not (has_binder and has_dotbinder), "both binder/ and .binder/: repo2docker stops"
    binder_dir = ".binder" if has_dotbinder else "binder" if has_binder else ""

    def binder_path(name: str) -> Path:
        return repo / binder_dir / name

    others = [name for name in OTHER_BUILDPACK_FILES if binder_path(name).exists()]
    if not binder_dir and (repo / "DESCRIPTION").exists():
        others.append("DESCRIPTION")
    assert not others, f"repo2docker would not use its Python buildpack here: {others}"

    # runtime.txt is read only from the configuration folder when there is one.
    notes = []
    python, source = DEFAULT_PYTHON, "default"
    # base.py `runtime`: name-version, name-version-yyyy-mm-dd or name-yyyy-mm-dd.
    runtime = binder_path("runtime.txt")
    if runtime.exists():
        parts = runtime.read_text(encoding="utf-8").strip().split("-")
        assert len(parts) in (2, 4, 5) and all(parts), f"{runtime}: invalid runtime.txt"
        assert parts[0] == "python", f"{runtime}: runtime {parts[0]!r} is not Python"
        version = parts[1] if len(parts) in (2, 5) else None
        if version is not None:
            # A bare major version ("python-3") means that major's default.
            python, source = (
                (version, "runtime")
                if len(Version(version).release) > 1
                else (DEFAULT_PYTHON, "default")
            )
    pyproject = {}
    if (repo / "pyproject.toml").exists():
        pyproject = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    # requires-python counts only without a configuration folder.
    requires = pyproject.get("project", {}).get("requires-python")
    if not binder_dir and requires and python not in SpecifierSet(requires):
        assert source != "runtime", "runtime.txt version not supported by pyproject.toml"
        python = list(SpecifierSet(requires).filter(SUPPORTED_PYTHONS))[-1]
        notes.append(f"Python {python} chosen from requires-python {requires}")

    requirements = binder_path("requirements.txt")
    is_package = not binder_dir and (
        (repo / "setup.py").exists() or ("project" in pyproject and "build-system" in pyproject)
    )
    post_build = binder_path("postBuild")
    return Plan(
        binder_dir=binder_dir,
        python=python,
        requirements=str(requirements.relative_to(repo)) if requirements.exists() else None,
        pip_install_dot=is_package,
        post_build=str(post_build.relative_to(repo)) if post_build.exists() else None,
        notes=notes,
    )


# Executes one notebook the way JupyterLab runs it (kernel started in the notebook's folder)
# and prints, for each code cell, its error outputs and its text.
EXECUTE = r"""
import json, sys
from pathlib import Path

import jupytext, nbclient

path = Path(sys.argv[1])
notebook = jupytext.read(path)
client = nbclient.NotebookClient(notebook, timeout=600, allow_errors=True,
                                 kernel_name="python3",
                                 resources={"metadata": {"path": str(path.parent)}})
client.execute()
cells = []
for cell in notebook.cells:
    if cell.cell_type != "code":
        continue
    errors = [[o.ename, o.evalue] for o in cell.outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("data", {}).get("text/plain", o.get("text", "")))
                     for o in cell.outputs)
    cells.append({"source": cell.source, "executed": cell.execution_count is not None,
                  "errors": errors, "text": text})
json.dump(cells, sys.stdout)
"""


def _execute(bin_dir: Path, notebook: Path, env: dict[str, str]) -> list[dict]:
    done = run([bin_dir / "python", "-c", EXECUTE, notebook], env=env, cwd=notebook.parent)
    cells = json.loads(done.stdout)
    assert cells and all(cell["executed"] for cell in cells), f"{notebook}: cells not run"
    return cells


def _repository(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


PACKAGE = (
    '[build-system]\nrequires = ["setuptools"]\n[project]\nname = "x"\n'
    'requires-python = ">=3.11,<3.12"\n'
)


def test_plan_without_binder_folder_installs_the_package(tmp_path: Path):
    """Root files count, and a pyproject package gets `pip install .` (the old layout)."""
    plan = repo2docker_plan(
        _repository(tmp_path, {"pyproject.toml": PACKAGE, "requirements.txt": "", "postBuild": ""})
    )
    assert (plan.binder_dir, plan.requirements, plan.pip_install_dot, plan.post_build) == (
        "",
        "requirements.txt",
        True,
        "postBuild",
    )
    # No runtime.txt: the default 3.10 is outside requires-python, so the newest allowed.
    assert plan.python == "3.11"


def test_plan_with_binder_folder_ignores_root_files(tmp_path: Path):
    """With binder/, a root runtime.txt is ignored: Python falls back to the default."""
    plan = repo2docker_plan(
        _repository(
            tmp_path,
            {
                "pyproject.toml": PACKAGE,
                "runtime.txt": "python-3.11",
                "requirements.txt": "",
                "binder/requirements.txt": "",
            },
        )
    )
    assert (plan.python, plan.requirements, plan.pip_install_dot, plan.post_build) == (
        "3.10",
        "binder/requirements.txt",
        False,
        None,
    )
    plan = repo2docker_plan(_repository(tmp_path, {"binder/runtime.txt": "python-3.11\n"}))
    assert plan.python == "3.11"


def test_repo2docker_plan_for_this_repository():
    """The checked-in configuration makes repo2docker build what the course needs."""
    plan = repo2docker_plan(REPO_ROOT)
    assert plan.python == "3.11", (
        f"repo2docker would build Python {plan.python} ({plan.binder_dir or 'no'} binder "
        "folder); the locked pins need 3.11 (binder/runtime.txt)"
    )
    assert plan.requirements == "binder/requirements.txt"
    assert plan.post_build == "binder/postBuild"


@pytest.mark.slow
def test_binder_build_runs_a_chapter_and_an_assignment(tmp_path: Path):
    repo = copy_working_tree(tmp_path / "repo")
    plan = repo2docker_plan(repo)
    assert plan.python == "3.11", (
        f"repo2docker would build Python {plan.python} here ({plan.notes}); the pins need 3.11"
    )

    bin_dir = make_venv(tmp_path / "srv")
    env = clean_env(tmp_path / "home", bin_dir)
    pip = bin_dir / "pip"
    run(
        [bin_dir / "python", "-m", "pip", "install", "--quiet", "pip==" + BASE_IMAGE_PINS["pip"]],
        env=env,
    )
    run(
        [
            pip,
            "install",
            "--quiet",
            *(f"{name}=={version}" for name, version in BASE_IMAGE_PINS.items()),
        ],
        env=env,
    )

    # repo2docker's commands, from the repository root (its ${REPO_DIR}). repo2docker adds
    # --no-cache-dir; the test uses pip's cache to stay fast.
    if plan.requirements:
        run([pip, "install", "--quiet", "-r", plan.requirements], env=env, cwd=repo)
    if plan.pip_install_dot:
        run([pip, "install", "--quiet", "."], env=env, cwd=repo)
    # Every problem is collected, so that one run shows them all.
    problems = []
    check = subprocess.run([str(pip), "check"], env=env, cwd=repo, capture_output=True, text=True)
    if check.returncode:
        problems.append(f"pip check: {check.stdout.strip()}")
    if plan.post_build:
        run([f"./{plan.post_build}"], env=env, cwd=repo)
        # jupytext-config writes to the user's Jupyter config folder (HOME is scratch here).
        settings = tmp_path / "home" / ".jupyter" / "labconfig" / "default_setting_overrides.json"
        if "Jupytext Notebook" not in (
            settings.read_text(encoding="utf-8") if settings.exists() else ""
        ):
            problems.append("postBuild did not make JupyterLab open chapters as notebooks")
        server = tmp_path / "home" / ".jupyter" / "jupyter_server_config.py"
        if "NeverCheckForUpdate" not in (
            server.read_text(encoding="utf-8") if server.exists() else ""
        ):
            problems.append("postBuild left JupyterLab checking PyPI for updates")

    chapter = repo / "notebooks" / "01_threat.ipynb"
    if not chapter.exists():
        chapter = repo / "chapters" / "01_threat.md"
    failures = [
        (cell["source"][:80], cell["errors"])
        for cell in _execute(bin_dir, chapter, env)
        if cell["errors"]
    ]
    if failures:
        problems.append(f"{chapter.relative_to(repo)} fails: {failures}")

    # A student notebook as handed out: every answer is still `...`. The checks must report
    # unanswered questions as failed tests, never as errors of the notebook itself.
    student = repo / "exercises" / "threat" / "student" / "threat.ipynb"
    cells = _execute(bin_dir, student, env)
    failures = [(cell["source"][:80], cell["errors"]) for cell in cells if cell["errors"]]
    if failures:
        problems.append(f"{student.relative_to(repo)} fails: {failures}")
    checks = [cell for cell in cells if "grader.check(" in cell["source"]]
    silent = [cell["source"] for cell in checks if "results" not in cell["text"]]
    if not checks or silent:
        problems.append(f"grader.check cells without results: {silent or 'none found'}")
    assert not problems, "Binder would not work:\n" + "\n".join(problems)
