"""Grading each submission: what is known without running it, running and checking it, and the
parallel pass over those left to run.

:func:`plan` settles the files that need no run (journalled, invalid); :func:`run_pending`
grades the others in parallel, each with :func:`grade_one` (run in a sandbox, answers checked by
the evaluator), then runs again, alone, every one that ran while the course's files were
changed (``--unsafe`` runs only). :mod:`~defence_course.teach.grader.grading` sets up the run
and makes the report.
"""

from __future__ import annotations

import json
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defence_course.teach import variants
from defence_course.teach.grader import submissions as subs
from defence_course.teach.grader.cache import Journal
from defence_course.teach.grader.evaluate import EvaluatorError, EvaluatorPool
from defence_course.teach.grader.isolation import Isolation, Layout
from defence_course.teach.grader.progress import Progress
from defence_course.teach.grader.reasons import describe_run, grader_failed, tampered, zero_points
from defence_course.teach.grader.results import Outcome
from defence_course.teach.grader.sandbox import Guard, Limits, RunResult, run_notebook

# Valid submissions left to run, each with the notebook read from it.
Pending = list[tuple[subs.Submission, subs.Notebook]]


@dataclass
class GradingContext:
    """What every submission of a run is graded with."""

    manifest: dict[str, Any]
    limits: Limits
    guard: Guard
    keep: Path
    evaluators: EvaluatorPool
    isolation: Isolation
    layout: Layout | None
    slots: queue.Queue[int]
    journal: Journal
    keys: dict[str, str]
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, outcome: Outcome) -> None:
        """Journal a final outcome at once (isolated runs only: see the cache module)."""
        if self.isolation.isolated and outcome.cacheable:
            self.journal.write(self.keys[outcome.file], outcome, self.isolation.mechanism)


def plan(
    submissions: list[subs.Submission],
    name: str,
    cache: dict[str, dict[str, Any]],
    keys: dict[str, str],
    limits: Limits,
    questions: list[dict[str, Any]],
    variant: str | None = None,
) -> tuple[dict[str, Outcome], Pending]:
    """Outcomes known without running anything (cached, invalid), and what is left to run."""
    outcomes: dict[str, Outcome] = {}
    pending = []
    graded_as = variant or variants.PUBLIC
    for sub in submissions:
        declared = subs.declared_assignment(sub)
        if declared and declared != name:
            sub.notes.append(f"the notebook says it is for assignment {declared!r}")
        made_from = subs.declared_variant(sub)
        if made_from and made_from != graded_as:
            # The class's variant decides; a notebook from another one (or edited metadata)
            # is graded against the class's answers, and the teacher is told.
            sub.notes.append(
                f"the notebook was made from variant {made_from!r}; graded against {graded_as!r}"
            )
        cached = cache.get(keys[sub.file])
        if cached is not None:
            try:
                outcomes[sub.file] = Outcome(
                    **{
                        **cached,
                        "student_id": sub.student_id,
                        "file": sub.file,
                        "from_cache": True,
                        "base_id": sub.base_id,
                    }
                )
                continue
            except TypeError:
                pass  # an entry of another shape: grade the file again
        try:
            notebook = subs.parse(sub, max_mb=limits.max_file_mb)
        except subs.InvalidSubmission as error:
            outcomes[sub.file] = Outcome(
                sub.student_id,
                sub.file,
                sub.sha256,
                "invalid",
                f"{error}; no points",
                points=zero_points(questions),
                base_id=sub.base_id,
            )
            continue
        pending.append((sub, notebook))
    return outcomes, pending


def _run_in_sandbox(
    sub: subs.Submission, notebook: subs.Notebook, ctx: GradingContext
) -> RunResult:
    slot = ctx.slots.get()
    try:
        return run_notebook(
            notebook.code_cells,
            ctx.manifest["answer_names"],
            ctx.limits,
            isolation=ctx.isolation,
            layout=ctx.layout,
            notebook=sub.data,
            slot=slot,
        )
    finally:
        ctx.slots.put(slot)


def grade_one(
    sub: subs.Submission, notebook: subs.Notebook, ctx: GradingContext
) -> tuple[Outcome, list[Path], bool]:
    """Run and evaluate one valid submission.

    Also returns the protected files found changed (and put back) after it ran, and whether it
    must be re-run alone (it ran while protected files were changed, by itself or another).
    """
    questions = ctx.manifest["questions"]
    start_epoch = ctx.guard.epoch
    run = _run_in_sandbox(sub, notebook, ctx)
    changed = ctx.guard.check_and_restore(keep=ctx.keep)
    suspect = bool(changed) or ctx.guard.epoch != start_epoch
    reason = describe_run(run, notebook)
    outcome = Outcome(
        sub.student_id,
        sub.file,
        sub.sha256,
        "graded",
        reason,
        points=zero_points(questions),
        seconds=run.seconds,
        base_id=sub.base_id,
    )
    if run.status != "ran":
        outcome.status = {"timeout": "timeout", "crashed": "crashed"}.get(run.status, "error")
        outcome.cacheable = not run.detail.startswith("could not start")
        return outcome, changed, suspect
    outcome.answers = run.answers
    try:
        payload = json.dumps(run.answers).encode("utf-8")
        results = ctx.evaluators.evaluate(payload, timeout=ctx.limits.eval_timeout)
    except (EvaluatorError, TypeError, ValueError) as error:
        outcome.status = "error"
        outcome.cacheable = False  # tried again on the next run
        outcome.reason = (
            f"{reason}; the checks could not be run on the answers ({error}); no points"
        )
        return outcome, changed, suspect
    for question in questions:
        result = None if question["manual"] else results.get(question["name"])
        if result is not None:
            outcome.points[question["name"]] = round(float(result["score"]), 6)
            outcome.cases[question["name"]] = result["cases"]
    return outcome, changed, suspect


def run_pending(
    pending: Pending,
    ctx: GradingContext,
    outcomes: dict[str, Outcome],
    workers: int,
    bar: Progress,
) -> None:
    """Grade ``pending`` on ``workers`` threads into ``outcomes``, then re-run the suspects."""
    questions = ctx.manifest["questions"]
    suspects: Pending = []

    def work(item: tuple[subs.Submission, subs.Notebook]) -> None:
        sub, notebook = item
        try:
            outcome, _, suspect = grade_one(sub, notebook, ctx)
        except Exception as error:  # a fault of the grader costs this row, never the batch
            outcome, suspect = grader_failed(sub, error, questions), False
        with ctx.lock:
            outcomes[sub.file] = outcome
            if suspect:
                suspects.append(item)
        if not suspect:
            ctx.record(outcome)
        bar.update(outcome.status)

    pool = ThreadPoolExecutor(max_workers=workers)
    futures = [pool.submit(work, item) for item in pending]
    try:
        for future in futures:
            future.result()
    except BaseException:  # Ctrl-C: finish what runs (it is journalled), start nothing more
        for future in futures:
            future.cancel()
        raise
    finally:
        pool.shutdown(wait=True)
    # Anyone who ran while the course's files were changed runs again, alone.
    for sub, notebook in sorted(suspects, key=lambda s: s[0].file):
        ctx.guard.check_and_restore(keep=ctx.keep)
        try:
            outcome, changed, _ = grade_one(sub, notebook, ctx)
            if changed:
                outcome = tampered(sub, changed, questions, outcome.seconds)
        except Exception as error:
            outcome = grader_failed(sub, error, questions)
        outcomes[sub.file] = outcome
        ctx.record(outcome)
