"""Grade a folder of submissions: isolated, in parallel, resumable, and only what changed.

For each submission the grader

1. checks that the file is a notebook (:mod:`~defence_course.teach.grader.submissions`); a file that
   is not gets a gradebook row with status ``invalid`` and the reason;
2. runs its code cells in a sandbox (:mod:`~defence_course.teach.grader.sandbox` and
   :mod:`~defence_course.teach.grader.isolation`: namespaces, read-only course, no network, limits)
   and receives the answer variables *by value*, as JSON;
3. sends that JSON to an evaluator (:mod:`~defence_course.teach.grader.evaluate`) that holds the
   tests, public and hidden, and never runs student code; an evaluator that dies is replaced
   and the submission tried once more, so one submission can never cost another its row;
4. without isolation (``--unsafe``), checks that the files grading depends on were not
   changed; if they were, puts them back and re-runs, one at a time, every submission that may
   have seen the change, to find the one that made it (status ``tampered``, no points);
5. records the outcome at once in the journal (:mod:`~defence_course.teach.grader.cache`), so that a
   run that is killed resumes where it stopped.

The steps for each file are in :mod:`~defence_course.teach.grader.per_submission`; this module
sets up the run (the assignment, the sandbox, the journal) and makes its report.

When every submission has ended, and every sandbox with it, the grader alone writes the
gradebook, feedback and LMS files (:mod:`~defence_course.teach.grader.gradebook`) into the results
folder, which no sandbox can see. Several files for one student are all graded; the teacher's
policy picks the one for the LMS files (:mod:`~defence_course.teach.grader.duplicates`).

Without isolation the grader refuses to run unless ``unsafe=True`` (``--unsafe``); the
gradebook then says so in its first line.

Statuses: ``graded`` (the notebook ran; cells that failed are listed in the reason),
``timeout``, ``crashed`` (the process ended before its answers were collected), ``invalid``,
``tampered``, ``error`` (the grader could not evaluate the answers).
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import time
from collections import Counter
from pathlib import Path
from typing import Any

from defence_course import paths
from defence_course.teach import assignments as assignments_mod
from defence_course.teach.grader import duplicates as dups
from defence_course.teach.grader import manual
from defence_course.teach.grader import submissions as subs
from defence_course.teach.grader.cache import CACHE_DIR, GRADER_VERSION, Journal, entry_key
from defence_course.teach.grader.confinement import data_dir, prepare
from defence_course.teach.grader.evaluate import EvaluatorPool
from defence_course.teach.grader.per_submission import GradingContext, plan, run_pending
from defence_course.teach.grader.progress import Progress
from defence_course.teach.grader.results import DuplicateGroup, Outcome, Report
from defence_course.teach.grader.sandbox import Guard, Limits, wait_for_sandboxes

__all__ = [
    "CACHE_DIR",
    "GRADER_VERSION",
    "DuplicateGroup",
    "Outcome",
    "Progress",
    "Report",
    "default_protected",
    "grade_folder",
]


def _manifest_hash(manifest: dict[str, Any]) -> str:
    core = {k: manifest[k] for k in ("assignment", "questions", "tests", "answer_names")}
    return hashlib.sha256(json.dumps(core, sort_keys=True).encode()).hexdigest()


def _guess_assignment(submissions: list[subs.Submission]) -> str | None:
    names: Counter[str] = Counter()
    for sub in submissions:
        name = subs.declared_assignment(sub)
        if name in assignments_mod.ASSIGNMENTS:
            names[name] += 1
    return names.most_common(1)[0][0] if names else None


def default_protected(
    assignment: assignments_mod.Assignment, build_root: Path | None
) -> list[Path]:
    """The files a submission must not change: course package, data, master, manifest."""
    return [
        Path(paths.__file__).resolve().parent,
        data_dir(),
        assignment.master,
        assignment.build_dir(build_root) / assignments_mod.MANIFEST,
    ]


def secret_paths(
    assignment: assignments_mod.Assignment,
    build_root: Path | None,
    submissions_dir: Path,
    out_dir: Path,
) -> list[Path]:
    """What a sandbox must never show, even where it lies inside something it shows."""
    exercises = getattr(paths, "EXERCISES_DIR", assignments_mod.EXERCISES_DIR)
    return [
        exercises,
        assignments_mod.EXERCISES_DIR,
        assignment.master.parent,
        assignment.build_dir(build_root).parent,
        assignments_mod.BUILD_ROOT,
        paths.REPO_ROOT / "_build",
        paths.REPO_ROOT / "tests",
        paths.REPO_ROOT / ".git",
        Path(submissions_dir),
        Path(out_dir),
    ]


def grade_folder(
    submissions_dir: Path,
    out_dir: Path,
    *,
    assignment: str | None = None,
    jobs: int | None = None,
    limits: Limits | None = None,
    id_from: str = "filename",
    id_pattern: str | None = None,
    regrade: bool = False,
    progress: bool = True,
    build_root: Path | None = None,
    protect: list[Path] | None = None,
    write: bool = True,
    isolation: str = "auto",
    unsafe: bool = False,
    duplicates: str = "flag",
    marks: Path | None = None,
    variant: str | None = None,
) -> Report:
    """Grade every ``*.ipynb`` in ``submissions_dir`` and write the results to ``out_dir``.

    ``marks`` is a CSV file of marks given by hand (:mod:`~defence_course.teach.grader.manual`),
    merged into every output. ``variant`` is the class's seed
    (:mod:`~defence_course.teach.variants`): every notebook is graded against that version.
    Raises :class:`~defence_course.teach.grader.isolation.IsolationUnavailable`
    when student code cannot be isolated here and ``unsafe`` is not set, and
    :class:`~defence_course.teach.grader.manual.ManualMarksError` for a wrong marks file (before any
    notebook runs when it can tell, and in any case before anything is written).
    """
    from defence_course.teach.grader import gradebook

    started = time.monotonic()
    limits = limits or Limits()
    dups.check_policy(duplicates)
    out_dir = Path(out_dir)
    submissions, ignored = subs.read_folder(Path(submissions_dir))
    subs.assign_ids(submissions, id_from=id_from, id_pattern=id_pattern)
    name = assignment or _guess_assignment(submissions)
    if name is None:
        raise ValueError(
            "could not tell which assignment these notebooks belong to (no otter "
            "metadata): pass --assignment NAME"
        )
    assign = assignments_mod.get(name).with_variant(variant)
    manifest = assignments_mod.load_manifest(assign, root=build_root)
    questions = manifest["questions"]
    hand_marks = manual.read_manual_marks(marks, questions) if marks else []
    if marks:
        manual.check_students(
            hand_marks, [i for s in submissions for i in (s.student_id, s.base_id)], marks
        )
    out_dir.mkdir(parents=True, exist_ok=True)  # before the sandbox layout: it must be hidden
    iso, layout = prepare(
        isolation, unsafe=unsafe, hide=secret_paths(assign, build_root, submissions_dir, out_dir)
    )
    journal = Journal(out_dir / CACHE_DIR)
    if not iso.isolated:
        journal.clear()  # student code could write there: never trust it, never keep it
    cache = journal.read() if iso.isolated and not regrade else {}
    manifest_hash = _manifest_hash(manifest)
    keys = {s.file: entry_key(s.sha256, manifest_hash, limits.key()) for s in submissions}
    outcomes, pending = plan(submissions, name, cache, keys, limits, questions, variant)
    if iso.isolated:
        for outcome in outcomes.values():
            if not outcome.from_cache:  # invalid files: final already
                journal.write(keys[outcome.file], outcome, iso.mechanism)

    bar = Progress(len(submissions), enabled=progress)
    for outcome in outcomes.values():
        bar.update("from cache" if outcome.from_cache else outcome.status)
    if pending:
        workers = max(1, min(jobs or os.cpu_count() or 1, len(pending)))
        slots: queue.Queue[int] = queue.Queue()
        for slot in range(workers):
            slots.put(slot)
        # Isolated, the course is read-only in every sandbox: the guard is for --unsafe runs
        # (it would otherwise "put back" a teacher's own edits made during a long run).
        roots = [] if iso.isolated else default_protected(assign, build_root)
        guard = Guard(protect if protect is not None else roots)
        # One evaluator serves every worker (checking answers takes milliseconds, running a
        # notebook seconds); the pool replaces it if it dies.
        pool = EvaluatorPool(manifest["tests"])
        ctx = GradingContext(
            manifest,
            limits,
            guard,
            out_dir / "tampered-files",
            pool,
            iso,
            layout,
            slots,
            journal,
            keys,
        )
        try:
            pool.warm()
            run_pending(pending, ctx, outcomes, workers, bar)
        finally:
            pool.close()
    # Results are written only once every sandbox is gone, with every process it had.
    stray = wait_for_sandboxes()

    for sub in submissions:
        outcomes[sub.file].notes.extend(sub.notes)
    ordered = sorted(outcomes.values(), key=lambda o: (o.student_id, o.file))
    groups = dups.apply(ordered, duplicates, {s.file: s.mtime for s in submissions})
    if marks:
        manual.attach(hand_marks, ordered, marks)
    title = manifest["title"] + (f" (class variant {variant})" if variant else "")
    report = Report(
        name,
        title,
        questions,
        ordered,
        ignored,
        out_dir,
        seconds=time.monotonic() - started,
        graded_now=len(pending),
        isolation=iso,
        duplicates=groups,
        duplicate_policy=duplicates,
        stray_sandboxes=stray,
        marks_file=Path(marks) if marks else None,
    )
    if write:
        report.files = gradebook.write_all(report)
    if iso.isolated:
        journal.prune({keys[o.file] for o in ordered})
    else:
        journal.clear()
    return report
