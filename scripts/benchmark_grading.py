"""Benchmark grading: the course's grader next to a sequential loop of plain ``otter run``.

Makes N synthetic submissions of one assignment (default 100 of "threat": correct, partly wrong
and broken ones), then, in one run,

1. grades them with ``python -m defence_course teach grade`` (in process, all cores, a fresh
   results folder so nothing comes from the cache), and
2. runs ``otter run -a <autograder zip> <submission>`` on each file, one after the other, with
   the same per-submission time limit (``otter run`` has none of its own; the loop kills it),

and prints wall time, throughput and the speed-up, plus how often the two agree on the total.

    .venv/bin/python scripts/benchmark_grading.py [--count 100] [--assignment threat]

The data the notebooks read is a temporary copy (``DEFENCE_COURSE_DATA``), and only that copy
is watched for tampering, so the benchmark never writes to the repository. Not a test: it takes
about ten minutes on two cores, almost all of it in the ``otter run`` loop.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from defence_course.paths import DATA_DIR
from defence_course.teach import assignments, synthetic
from defence_course.teach.grading import grade_folder
from defence_course.teach.sandbox import Limits

MIX = [("correct", 45), ("partly wrong", 30), ("syntax error", 9), ("exception", 9),
       ("blank", 5), ("endless loop", 2)]


def make_submissions(assignment: assignments.Assignment, folder: Path, count: int,
                     seed: int = 2026) -> dict[str, str]:
    """Write ``count`` submissions in the proportions of :data:`MIX`; return name → kind."""
    rng = random.Random(seed)
    correct = synthetic.correct_notebook(assignment)
    total_weight = sum(n for _, n in MIX)
    kinds = [kind for kind, n in MIX for _ in range(round(n * count / total_weight))]
    kinds = (kinds + ["correct"] * count)[:count]
    rng.shuffle(kinds)
    made = {}
    for index, kind in enumerate(kinds):
        if kind == "correct":
            nb = correct
        elif kind == "partly wrong":
            nb = synthetic.partly_wrong(correct, rng)
        elif kind == "blank":
            nb = synthetic.blank_notebook(assignment)
        else:
            nb = synthetic.broken(correct, {"syntax error": "syntax", "exception": "exception",
                                            "endless loop": "loop"}[kind])
        # every file differs (a comment), so the grader's cache cannot help
        nb = synthetic.as_json(nb)
        nb["cells"].append({"cell_type": "markdown", "id": f"bench-{index:03d}", "metadata": {},
                            "source": f"Submission {index} ({kind})."})
        name = f"student{index:03d}"
        (folder / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
        made[name] = kind
    return made


def otter_loop(zip_path: Path, folder: Path, timeout: float) -> tuple[float, dict[str, float]]:
    """Plain ``otter run`` on every file, one after the other; return seconds and totals."""
    otter = Path(sys.executable).parent / "otter"
    totals: dict[str, float] = {}
    start = time.monotonic()
    for path in sorted(folder.glob("*.ipynb")):
        with tempfile.TemporaryDirectory(prefix="otter-run-") as out:
            proc = subprocess.Popen([str(otter), "run", "-a", str(zip_path), "-o", out,
                                     "--no-logo", str(path)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, cwd=out, start_new_session=True)
            try:
                proc.wait(timeout=timeout)
                results = json.loads((Path(out) / "results.json").read_text())
                totals[path.stem] = sum(t.get("score") or 0 for t in results["tests"]
                                        if t.get("name") != "Public Tests")
            except (subprocess.TimeoutExpired, FileNotFoundError, ValueError, KeyError):
                totals[path.stem] = 0.0
            finally:
                try:  # otter run has no time limit: stop it and its kernel
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
    return time.monotonic() - start, totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--assignment", default="threat")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--skip-otter", action="store_true", help="only time our grader")
    args = parser.parse_args()

    assignment = assignments.get(args.assignment)
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        base = Path(tmp)
        data_copy = base / "data"
        shutil.copytree(DATA_DIR, data_copy, ignore=shutil.ignore_patterns("__pycache__"))
        os.environ["DEFENCE_COURSE_DATA"] = str(data_copy)
        build = assignments.build(assignment, root=base / "build", run_tests=False,
                                  student_out=base / "student.ipynb")
        folder = base / "submissions"
        folder.mkdir()
        kinds = make_submissions(assignment, folder, args.count)
        mix = ", ".join(f"{sum(k == kind for k in kinds.values())} {kind}" for kind, _ in MIX)
        cores = os.cpu_count() or 1
        print(f"{args.count} submissions of '{assignment.name}' ({mix}); {cores} cores; "
              f"time limit {args.timeout:g} s per submission\n")

        limits = Limits(timeout=args.timeout, cell_timeout=min(10.0, args.timeout))
        report = grade_folder(folder, base / "results", jobs=args.jobs, limits=limits,
                              progress=True, build_root=base / "build", protect=[data_copy])
        ours = report.seconds
        print(f"course grader ({args.jobs or cores} workers): {ours:7.1f} s wall, "
              f"{args.count / ours * 60:6.1f} submissions/min")
        if args.skip_otter:
            return 0
        if build.autograder_zip is None:
            print("no autograder zip was built")
            return 1
        print("running plain `otter run` on each file, sequentially …", flush=True)
        seconds, totals = otter_loop(build.autograder_zip, folder, args.timeout)
        print(f"otter run loop (1 at a time):  {seconds:7.1f} s wall, "
              f"{args.count / seconds * 60:6.1f} submissions/min")
        print(f"\nspeed-up: {seconds / ours:.2f}x (target: at least 1.8x on 2 cores)")
        ours_totals = {o.student_id: o.total for o in report.outcomes}
        agree = [n for n in kinds if abs(ours_totals.get(n, -1) - totals.get(n, -2)) < 1e-6]
        print(f"same total in both: {len(agree)}/{len(kinds)}")
        differ = sorted(set(kinds) - set(agree))
        for name in differ[:10]:
            print(f"  {name} ({kinds[name]}): course grader {ours_totals.get(name)}, "
                  f"otter run {totals.get(name)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
