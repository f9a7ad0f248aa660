"""The assignments (one per chapter, and the capstone) and how they are built with otter.

Each chapter has one assignment, authored as an otter-grader master notebook in
``exercises/<name>/<name>.ipynb`` (otter's assign format: an ``ASSIGNMENT CONFIG`` cell, then
questions with points, solutions, public and hidden tests).

**Test style.** The masters use otter's *exception-based* tests (``tests: ok_format: false``):
each test is a Python function that calls the helpers of :mod:`defence_course.teach.checks` and
computes what it expects from ``data/`` when it runs. OK-format tests would instead freeze the
expected values from the outputs saved in the master, so a master would have to be executed and
saved with outputs before every build; with exception-based tests the masters are committed
without outputs and a clean checkout rebuilds everything.

:func:`build` stages a master with the files its Gradescope autograder needs (the course package
and ``data/``, plus the pinned requirements), runs ``otter assign`` on it into
``_build/exercises/<name>/dist``, writes the student notebook with stable cell ids to
``exercises/<name>/student/<name>.ipynb`` (committed, so Binder can open it) and writes the
grading manifest ``_build/exercises/<name>/grading.json`` (questions, points, every test's
source, the answer variables) that :mod:`defence_course.teach.grader.grading` reads.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import io
import json
import logging
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml

from defence_course.chapters import page_of
from defence_course.paths import DATA_DIR, REPO_ROOT

EXERCISES_DIR = REPO_ROOT / "exercises"
BUILD_ROOT = REPO_ROOT / "_build" / "exercises"
MANIFEST = "grading.json"
MANIFEST_VERSION = 1
NB_VERSION = 4


@dataclass(frozen=True)
class Assignment:
    """One chapter's assignment."""

    name: str
    chapter: str
    title: str
    minutes: int
    capstone: bool = False  # draws on every chapter, so may assess any chapter's objectives
    variant: str | None = None  # a class variant's seed (None: the public assignment)

    @property
    def master(self) -> Path:
        return EXERCISES_DIR / self.name / f"{self.name}.ipynb"

    @property
    def student_notebook(self) -> Path:
        """The committed student notebook (a variant's is in its build folder)."""
        return EXERCISES_DIR / self.name / "student" / f"{self.name}.ipynb"

    def build_dir(self, root: Path | None = None) -> Path:
        folder = self.name if self.variant is None else f"{self.name}-variant-{self.variant}"
        return Path(root or BUILD_ROOT) / folder

    def with_variant(self, seed: str | None) -> Assignment:
        """This assignment for a class's seed (``None``: the public one)."""
        from dataclasses import replace

        from defence_course.teach import variants

        if seed is not None:
            variants.parameters(self.name, seed)  # a clear error for a bad seed or no variants
        return replace(self, variant=seed)

    @property
    def parameters(self) -> dict[str, str]:
        from defence_course.teach import variants

        return variants.parameters(self.name, self.variant)


ASSIGNMENTS: dict[str, Assignment] = {
    a.name: a
    for a in [
        Assignment("threat", page_of("threat"), "Assignment 1: The threat", 60),
        Assignment(
            "us_posture",
            page_of("us_posture"),
            "Assignment 2: The US posture and European opinion",
            60,
        ),
        Assignment("capability", page_of("capability"), "Assignment 3: Capability dependence", 60),
        Assignment("eu_nato", page_of("eu_nato"), "Assignment 4: The EU-NATO overlap", 50),
        Assignment(
            "constitution", page_of("constitution"), "Assignment 5: Constitutional limits", 60
        ),
        Assignment("conclusion", page_of("conclusion"), "Assignment 6: Conclusion", 90),
        Assignment(
            "capstone",
            page_of("conclusion"),
            "Capstone: a memo on Europe's defence",
            240,
            capstone=True,
        ),
    ]
}


def get(name: str) -> Assignment:
    """The assignment called ``name`` (``KeyError`` lists the known ones)."""
    try:
        return ASSIGNMENTS[name]
    except KeyError:
        raise KeyError(f"no assignment {name!r}; known: {', '.join(ASSIGNMENTS)}") from None


# ---------------------------------------------------------------------------------------------
# Reading a master


SKILLS = ("code", "reasoning")


@dataclass
class Question:
    """A question of a master: its otter config plus the course's own keys (otter ignores them).

    ``objectives`` are the ids (``"1.3"``: chapter 1, objective 3) of the learning objectives
    the question assesses; ``skill`` is ``"reasoning"`` for interpretation and argument
    (written answers, choices that need a reason, reading a chart) and ``"code"`` otherwise.
    """

    name: str
    points: float
    manual: bool
    objectives: tuple[str, ...] = ()
    skill: str = "code"


@dataclass
class MasterInfo:
    """What the grader needs to know about a master, read without running it."""

    name: str
    questions: list[Question] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def read_master(path: Path) -> MasterInfo:
    """The assignment config and the questions (name, points, manual) of a master notebook."""
    nb = nbformat.read(path, as_version=NB_VERSION)
    info = MasterInfo(name=path.stem)
    for cell in nb.cells:
        if cell.cell_type != "raw":
            continue
        text = _source(cell).strip()
        first, _, rest = text.partition("\n")
        if first.strip().upper() == "# ASSIGNMENT CONFIG":
            info.config = yaml.safe_load(rest) or {}
            info.name = str(info.config.get("name", info.name))
        elif first.strip().upper() == "# BEGIN QUESTION":
            conf = yaml.safe_load(rest) or {}
            skill = str(conf.get("skill", "code"))
            if skill not in SKILLS:
                raise ValueError(
                    f"{path}: question {conf.get('name')!r} has skill {skill!r}; "
                    f"use one of {', '.join(SKILLS)}"
                )
            info.questions.append(
                Question(
                    str(conf["name"]),
                    float(conf.get("points", 1)),
                    bool(conf.get("manual", False)),
                    tuple(str(o) for o in conf.get("objectives", ())),
                    skill,
                )
            )
    return info


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def master_fingerprint(assignment: Assignment) -> str:
    """The master's hash, and the variant's parameters when there are any."""
    params = assignment.parameters
    if not params and assignment.variant is None:
        return sha256_file(assignment.master)
    extra = json.dumps(params, sort_keys=True).encode()
    return hashlib.sha256(Path(assignment.master).read_bytes() + b"\0" + extra).hexdigest()


# ---------------------------------------------------------------------------------------------
# Building


@dataclass(frozen=True)
class BuildResult:
    assignment: Assignment
    dist: Path
    student_notebook: Path
    manifest: Path
    autograder_zip: Path | None


def _requirements_text() -> str:
    """Pinned runtime libraries for otter's grading image (otter adds otter-grader itself)."""
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return "\n".join(project["project"]["dependencies"]) + "\n"


def _ignore(_dir: str, names: list[str]) -> list[str]:
    return [n for n in names if n in {"__pycache__", ".ipynb_checkpoints"} or n.endswith(".pyc")]


def rendered_master(assignment: Assignment) -> nbformat.NotebookNode:
    """The master as its class meets it: placeholders filled with the variant's parameters
    (the public values when there is no variant). Read the master through this, never raw."""
    from defence_course.teach import variants

    nb = nbformat.read(assignment.master, as_version=NB_VERSION)
    return variants.render_notebook(nb, assignment.parameters, assignment.name)


def _stage(assignment: Assignment, stage: Path) -> Path:
    """Copy the master and the autograder's support files into ``stage``; return the copy."""
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    nb = rendered_master(assignment)
    for cell in nb.cells:
        if cell.cell_type == "raw" and _source(cell).lstrip().upper().startswith(
            "# ASSIGNMENT CONFIG"
        ):
            config = yaml.safe_load(_source(cell).split("\n", 1)[1]) or {}
            # The Gradescope autograder needs the course package and its data next to the
            # notebook (files), and the pinned libraries (requirements).
            config["files"] = ["defence_course", "data"]
            config["requirements"] = "requirements.txt"
            config.setdefault("python_version", "3.11")
            cell.source = "# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False)
    staged = stage / assignment.master.name
    nbformat.write(nb, staged)
    shutil.copytree(REPO_ROOT / "defence_course", stage / "defence_course", ignore=_ignore)
    shutil.copytree(DATA_DIR, stage / "data", ignore=_ignore)
    (stage / "requirements.txt").write_text(_requirements_text(), encoding="utf-8")
    return staged


def normalise_student_notebook(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """Give every cell a stable id and drop outputs, so rebuilding gives the same file."""
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"{name}-{index:02d}"
        if cell.cell_type == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    nb.metadata.pop("widgets", None)
    return nb


def student_notebook_text(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb, version=NB_VERSION) + "\n"


def build(
    assignment: Assignment,
    *,
    root: Path | None = None,
    run_tests: bool = True,
    student_out: Path | None = None,
    quiet: bool = True,
) -> BuildResult:
    """Run ``otter assign`` on ``assignment`` and write the student notebook and the manifest.

    ``student_out`` is where the student notebook goes (default: the committed
    ``exercises/<name>/student/<name>.ipynb``). ``run_tests`` lets otter execute the solutions
    against all tests, which is how a master proves that its solutions pass.
    """
    from otter.assign import main as otter_assign

    build_dir = assignment.build_dir(root)
    staged = _stage(assignment, build_dir / "src")
    dist = build_dir / "dist"
    if dist.exists():
        shutil.rmtree(dist)
    sink = io.StringIO()
    loggers = [logging.getLogger(n) for n in ("otter", "traitlets", "nbconvert")]
    levels = [lg.level for lg in loggers]
    try:
        if quiet:
            for lg in loggers:
                lg.setLevel(logging.ERROR)
        with contextlib.redirect_stdout(sink) if quiet else contextlib.nullcontext():
            otter_assign(str(staged), str(dist), no_pdfs=True, no_run_tests=not run_tests)
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)

    student = nbformat.read(dist / "student" / assignment.master.name, as_version=NB_VERSION)
    student = normalise_student_notebook(student, assignment.name)
    # which version of the assignment this is, so that the grader can tell a wrong one
    student.metadata["defence_course"] = {
        "assignment": assignment.name,
        "variant": assignment.variant or "public",
    }
    if student_out:
        target = Path(student_out)
    elif assignment.variant is not None:  # a class's version: never over the committed one
        target = build_dir / "student" / assignment.master.name
    else:
        target = assignment.student_notebook
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(student_notebook_text(student), encoding="utf-8")

    zips = sorted((dist / "autograder").glob("*-autograder_*.zip"))
    manifest = write_manifest(assignment, dist, build_dir / MANIFEST)
    return BuildResult(assignment, dist, target, manifest, zips[-1] if zips else None)


# ---------------------------------------------------------------------------------------------
# The grading manifest


def answer_names(test_sources: dict[str, str]) -> list[str]:
    """The variables the tests read: the parameter names of every test function.

    Only the module-level functions count: otter calls those with the notebook's variables,
    while a helper nested inside a test takes its own arguments, not a student's answer."""
    names: set[str] = set()
    for source in test_sources.values():
        for node in ast.parse(source).body:
            if isinstance(node, ast.FunctionDef):
                for arg in node.args.args + node.args.kwonlyargs:
                    if arg.arg == "env":
                        raise ValueError(
                            "exercise tests must not take `env` (the whole "
                            "namespace): name the variables they check"
                        )
                    names.add(arg.arg)
    return sorted(names)


def write_manifest(assignment: Assignment, dist: Path, path: Path) -> Path:
    """Write what the grader needs (questions, points, all tests) next to the build."""
    autograder_nb = nbformat.read(
        dist / "autograder" / assignment.master.name, as_version=NB_VERSION
    )
    tests = dict(sorted((autograder_nb.metadata.get("otter") or {}).get("tests", {}).items()))
    info = read_master(assignment.master)
    manifest = {
        "version": MANIFEST_VERSION,
        "assignment": info.name,
        "title": assignment.title,
        "master_sha256": master_fingerprint(assignment),
        "variant": assignment.variant,
        "parameters": assignment.parameters,
        "questions": [q.__dict__ for q in info.questions],
        "tests": tests,
        "answer_names": answer_names(tests),
    }
    path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def load_manifest(
    assignment: Assignment, *, root: Path | None = None, rebuild: bool = True
) -> dict[str, Any]:
    """The grading manifest of ``assignment``, rebuilt (without running tests) when stale."""
    path = assignment.build_dir(root) / MANIFEST
    fresh = False
    if path.exists():
        manifest = json.loads(path.read_text(encoding="utf-8"))
        fresh = manifest.get("version") == MANIFEST_VERSION and manifest.get(
            "master_sha256"
        ) == master_fingerprint(assignment)
    if not fresh:
        if not rebuild:
            raise FileNotFoundError(
                f"{path} is missing or out of date: run "
                "`python -m defence_course teach build` first"
            )
        scratch = assignment.build_dir(root) / "student-scratch.ipynb"
        build(assignment, root=root, run_tests=False, student_out=scratch)
        manifest = json.loads(path.read_text(encoding="utf-8"))
    return manifest
