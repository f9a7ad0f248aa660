"""Grade a folder of submissions: in parallel, safely, and only what changed.

For each submission the grader

1. checks that the file is a notebook (:mod:`~defence_course.teach.submissions`); a file that
   is not gets a gradebook row with status ``invalid`` and the reason;
2. runs its code cells in a throw-away process (:mod:`~defence_course.teach.sandbox`, which
   starts :mod:`~defence_course.teach.runner`) with a time limit, and receives the answer
   variables *by value*, as JSON;
3. sends that JSON to an evaluator process (:mod:`~defence_course.teach.evaluate`) that holds
   the tests, public and hidden, and never runs student code;
4. checks that the files grading depends on were not changed; if they were, puts them back and
   re-runs, one at a time, every submission that may have seen the change, to find the one that
   made it (status ``tampered``, no points) and give everyone else their clean result.

Results are cached under ``RESULTS_DIR/.cache`` by the submission's SHA-256, the assignment's
tests and the limits, so a second run over the same folder re-grades only new or changed files
and writes the same gradebook.

Statuses: ``graded`` (the notebook ran; cells that failed are listed in the reason),
``timeout``, ``crashed`` (the process ended before its answers were collected), ``invalid``,
``tampered``, ``error`` (the grader could not evaluate the answers).
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from defence_course.paths import DATA_DIR, REPO_ROOT
from defence_course.teach import assignments as assignments_mod
from defence_course.teach import submissions as subs
from defence_course.teach.evaluate import Evaluator, EvaluatorError
from defence_course.teach.sandbox import Guard, Limits, RunResult, describe_exit, run_notebook

GRADER_VERSION = "1"
CACHE_DIR = ".cache"


@dataclass
class Outcome:
    """One row of the gradebook, with the detail behind it."""

    student_id: str
    file: str
    sha256: str
    status: str
    reason: str
    points: dict[str, float] = field(default_factory=dict)
    cases: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    answers: dict[str, Any] | None = None
    seconds: float = 0.0
    from_cache: bool = False

    @property
    def total(self) -> float:
        return round(sum(self.points.values()), 6)


@dataclass
class Report:
    """What one grading run produced."""

    assignment: str
    title: str
    questions: list[dict[str, Any]]
    outcomes: list[Outcome]
    ignored: list[str]
    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    graded_now: int = 0

    @property
    def autograded(self) -> list[dict[str, Any]]:
        return [q for q in self.questions if not q["manual"]]

    @property
    def max_total(self) -> float:
        return round(sum(q["points"] for q in self.autograded), 6)

    def by_id(self) -> dict[str, Outcome]:
        return {o.student_id: o for o in self.outcomes}


# ---------------------------------------------------------------------------------------------
# Progress


class Progress:
    """A one-line progress bar on a terminal, a line every 10 % otherwise."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.counts: Counter[str] = Counter()
        self.start = time.monotonic()
        self.lock = threading.Lock()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_decile = -1

    def update(self, status: str) -> None:
        with self.lock:
            self.done += 1
            self.counts[status] += 1
            if not self.enabled:
                return
            width = 30
            filled = int(width * self.done / self.total)
            elapsed = time.monotonic() - self.start
            summary = ", ".join(f"{n} {s}" for s, n in sorted(self.counts.items()))
            line = (f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                    f"in {elapsed:.0f} s: {summary}")
            decile = self.done * 10 // self.total
            if self.tty:
                self.stream.write("\r" + line + ("\n" if self.done == self.total else ""))
                self.stream.flush()
            elif decile != self._last_decile:
                self._last_decile = decile
                self.stream.write(line + "\n")
                self.stream.flush()


# ---------------------------------------------------------------------------------------------
# Helpers


def _manifest_hash(manifest: dict[str, Any]) -> str:
    core = {k: manifest[k] for k in ("assignment", "questions", "tests", "answer_names")}
    return hashlib.sha256(json.dumps(core, sort_keys=True).encode()).hexdigest()


def _cache_key(sub: subs.Submission, manifest_hash: str, limits: Limits) -> str:
    text = "|".join([GRADER_VERSION, manifest_hash, limits.key(), sub.sha256])
    return hashlib.sha256(text.encode()).hexdigest()


def _guess_assignment(submissions: list[subs.Submission]) -> str | None:
    names: Counter[str] = Counter()
    for sub in submissions:
        try:
            nb = json.loads(sub.data.decode("utf-8"))
            name = nb["metadata"]["otter"]["assignment_name"]
        except Exception:
            continue
        if isinstance(name, str) and name in assignments_mod.ASSIGNMENTS:
            names[name] += 1
    return names.most_common(1)[0][0] if names else None


def _notebook_assignment(sub: subs.Submission) -> str | None:
    try:
        nb = json.loads(sub.data.decode("utf-8"))
        name = nb["metadata"]["otter"]["assignment_name"]
        return name if isinstance(name, str) else None
    except Exception:
        return None


def _zero_points(questions: list[dict[str, Any]]) -> dict[str, float]:
    return {q["name"]: 0.0 for q in questions if not q["manual"]}


def _describe_run(run: RunResult, notebook: subs.Notebook) -> str:
    parts = []

    def number(index: int | None) -> int | str:
        cells = notebook.cell_numbers
        return cells[index] if index is not None and 0 <= index < len(cells) else "?"

    if run.status == "timeout":
        parts.append(f"{run.detail} (it was running cell {number(run.last_cell)}); no points "
                     "(an endless loop?)")
    elif run.status == "crashed":
        what = run.detail or (f"the notebook's process {describe_exit(run.returncode)} while "
                              f"running cell {number(run.last_cell)}, before its answers could "
                              "be collected")
        parts.append(what + "; no points")
    elif run.status == "error":
        parts.append(run.detail + "; no points")
    if run.errors:
        shown = "; ".join(f"cell {number(i)}: {msg}" for i, msg in run.errors[:4])
        more = f" (and {len(run.errors) - 4} more)" if len(run.errors) > 4 else ""
        parts.append(f"{len(run.errors)} cell(s) failed: {shown}{more}")
    if run.status == "ran" and run.missing:
        parts.append("not defined when the notebook finished: " + ", ".join(run.missing))
    if run.status == "ran" and not parts:
        parts.append(f"all {len(notebook.code_cells)} code cells ran")
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------------
# Grading one submission


@dataclass
class _Context:
    manifest: dict[str, Any]
    limits: Limits
    guard: Guard
    keep: Path
    evaluators: queue.Queue[Evaluator]


def _grade(sub: subs.Submission, notebook: subs.Notebook, ctx: _Context
           ) -> tuple[Outcome, list[Path], bool]:
    """Run and evaluate one valid submission.

    Also returns the protected files found changed (and put back) after it ran, and whether it
    must be re-run alone (it ran while protected files were changed, by itself or another).
    """
    questions = ctx.manifest["questions"]
    start_epoch = ctx.guard.epoch
    run = run_notebook(notebook.code_cells, ctx.manifest["answer_names"], ctx.limits)
    changed = ctx.guard.check_and_restore(keep=ctx.keep)
    suspect = bool(changed) or ctx.guard.epoch != start_epoch
    reason = _describe_run(run, notebook)
    outcome = Outcome(sub.student_id, sub.file, sub.sha256, "graded", reason,
                      points=_zero_points(questions), seconds=run.seconds)
    if run.status != "ran":
        outcome.status = {"timeout": "timeout", "crashed": "crashed"}.get(run.status, "error")
        return outcome, changed, suspect
    outcome.answers = run.answers
    evaluator = ctx.evaluators.get()
    try:
        payload = json.dumps(run.answers).encode("utf-8")
        results = evaluator.evaluate(payload, timeout=ctx.limits.eval_timeout)
    except (EvaluatorError, TypeError, ValueError) as error:
        outcome.status = "error"
        outcome.reason = (f"{reason}; the checks could not be run on the answers ({error}); "
                          "no points")
        return outcome, changed, suspect
    finally:
        ctx.evaluators.put(evaluator)
    for question in questions:
        if question["manual"]:
            continue
        result = results.get(question["name"])
        if result is None:
            continue
        outcome.points[question["name"]] = round(float(result["score"]), 6)
        outcome.cases[question["name"]] = result["cases"]
    return outcome, changed, suspect


def _tampered(sub: subs.Submission, changed: list[Path], questions: list[dict[str, Any]],
              seconds: float) -> Outcome:
    names = ", ".join(_short_path(p) for p in changed[:5])
    more = f" and {len(changed) - 5} more" if len(changed) > 5 else ""
    return Outcome(sub.student_id, sub.file, sub.sha256, "tampered",
                   f"the notebook changed files the grading depends on ({names}{more}); they "
                   "were put back, and the submission gets no points",
                   points=_zero_points(questions), seconds=seconds)


def _short_path(path: Path) -> str:
    for base in (REPO_ROOT, DATA_DIR.parent):
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return path.name


# ---------------------------------------------------------------------------------------------
# Grading a folder


def default_protected(assignment: assignments_mod.Assignment, build_root: Path | None
                      ) -> list[Path]:
    """The files a submission must not change: course package, data, master, manifest."""
    return [REPO_ROOT / "defence_course", DATA_DIR, assignment.master,
            assignment.build_dir(build_root) / assignments_mod.MANIFEST]


def grade_folder(submissions_dir: Path, out_dir: Path, *, assignment: str | None = None,
                 jobs: int | None = None, limits: Limits | None = None,
                 id_from: str = "filename", id_pattern: str | None = None,
                 regrade: bool = False, progress: bool = True,
                 build_root: Path | None = None, protect: list[Path] | None = None,
                 write: bool = True) -> Report:
    """Grade every ``*.ipynb`` in ``submissions_dir`` and write the results to ``out_dir``."""
    from defence_course.teach import gradebook

    started = time.monotonic()
    limits = limits or Limits()
    out_dir = Path(out_dir)
    submissions, ignored = subs.read_folder(Path(submissions_dir))
    subs.assign_ids(submissions, id_from=id_from, id_pattern=id_pattern)
    name = assignment or _guess_assignment(submissions)
    if name is None:
        raise ValueError("could not tell which assignment these notebooks belong to (no otter "
                         "metadata): pass --assignment NAME")
    assign = assignments_mod.get(name)
    manifest = assignments_mod.load_manifest(assign, root=build_root)
    questions = manifest["questions"]
    manifest_hash = _manifest_hash(manifest)
    cache = _read_cache(out_dir / CACHE_DIR) if not regrade else {}

    outcomes: dict[str, Outcome] = {}
    pending: list[tuple[subs.Submission, subs.Notebook, str]] = []
    keys: dict[str, str] = {}
    for sub in submissions:
        key = _cache_key(sub, manifest_hash, limits)
        keys[sub.file] = key
        notes = list(sub.notes)
        declared = _notebook_assignment(sub)
        if declared and declared != name:
            notes.append(f"the notebook says it is for assignment {declared!r}")
        cached = cache.get(key)
        if cached is not None:
            outcome = Outcome(**{**cached, "student_id": sub.student_id, "file": sub.file,
                                 "from_cache": True})
            outcomes[sub.file] = outcome
            continue
        try:
            notebook = subs.parse(sub, max_mb=limits.max_file_mb)
        except subs.InvalidSubmission as error:
            outcomes[sub.file] = Outcome(sub.student_id, sub.file, sub.sha256, "invalid",
                                         f"{error}; no points", points=_zero_points(questions))
            continue
        pending.append((sub, notebook, "; ".join(notes)))

    bar = Progress(len(submissions), enabled=progress)
    for outcome in outcomes.values():
        bar.update("from cache" if outcome.from_cache else outcome.status)
    graded_now = 0
    if pending:
        graded_now = len(pending)
        workers = max(1, min(jobs or os.cpu_count() or 1, len(pending)))
        guard = Guard(protect if protect is not None else default_protected(assign, build_root))
        # One evaluator serves every worker: checking one submission's answers takes
        # milliseconds, running its notebook more than a second.
        evaluators: queue.Queue[Evaluator] = queue.Queue()
        started_evaluators = [Evaluator(manifest["tests"])]
        for evaluator in started_evaluators:
            evaluators.put(evaluator)
        ctx = _Context(manifest, limits, guard, out_dir / "tampered-files", evaluators)
        suspects: list[tuple[subs.Submission, subs.Notebook, str]] = []
        try:
            def work(item: tuple[subs.Submission, subs.Notebook, str]) -> None:
                sub, notebook, notes = item
                outcome, _, suspect = _grade(sub, notebook, ctx)
                if notes:
                    outcome.reason = f"{outcome.reason}; {notes}"
                outcomes[sub.file] = outcome
                if suspect:
                    suspects.append(item)
                bar.update(outcome.status)

            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(work, pending))
            # Anyone who ran while the course's files were changed runs again, alone.
            for sub, notebook, notes in sorted(suspects, key=lambda s: s[0].file):
                guard.check_and_restore(keep=ctx.keep)
                outcome, changed, _ = _grade(sub, notebook, ctx)
                if changed:
                    outcome = _tampered(sub, changed, questions, outcome.seconds)
                if notes:
                    outcome.reason = f"{outcome.reason}; {notes}"
                outcomes[sub.file] = outcome
        finally:
            for evaluator in started_evaluators:
                evaluator.close()

    ordered = sorted(outcomes.values(), key=lambda o: (o.student_id, o.file))
    report = Report(name, manifest["title"], questions, ordered, ignored, out_dir,
                    seconds=time.monotonic() - started, graded_now=graded_now)
    if write:
        report.files = gradebook.write_all(report)
        _write_cache(out_dir / CACHE_DIR, {keys[o.file]: o for o in ordered})
    return report


# ---------------------------------------------------------------------------------------------
# Cache


def _read_cache(folder: Path) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    if not folder.is_dir():
        return entries
    allowed = set(Outcome.__dataclass_fields__) - {"from_cache"}
    for path in folder.glob("*.json"):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if (isinstance(record, dict) and record.get("grader_version") == GRADER_VERSION
                and isinstance(record.get("outcome"), dict)
                and set(record["outcome"]) <= allowed
                and path.stem == record.get("key")):
            entries[path.stem] = record["outcome"]
    return entries


def _write_cache(folder: Path, outcomes: dict[str, Outcome]) -> None:
    """Rewrite the cache with exactly this run's results (stale entries go)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):
        old.unlink()
    for key, outcome in outcomes.items():
        record = asdict(outcome)
        record.pop("from_cache", None)
        text = json.dumps({"grader_version": GRADER_VERSION, "key": key, "outcome": record},
                          sort_keys=True)
        tmp = folder / f".{key}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(folder / f"{key}.json")
