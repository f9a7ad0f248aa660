"""Benchmark grading: the isolated grader, the same grader unisolated, and plain ``otter run``.

Makes N synthetic submissions of one assignment (default 100 of "threat": correct, partly wrong
and broken ones), then, on the same files,

1. grades them with the course's grader as ``teach grade`` runs it: every notebook in its own
   bubblewrap sandbox (all cores, a fresh results folder so nothing comes from the cache);
2. grades them with the same grader without isolation (``--isolation none --unsafe``: the
   grader as it was before sandboxes, a temporary folder and a process group per notebook);
3. runs ``otter run -a <autograder zip> <submission>`` on each file, one after the other, with
   the same per-submission time limit (``otter run`` has none of its own; the loop kills it),

and prints wall time and throughput of each, the cost of isolation (target: under 20 % of
throughput) and how often the modes agree on the total. ``--rounds 2`` alternates the two
grader modes twice, to average out a busy machine.

    .venv/bin/python scripts/benchmark_grading.py [--count 100] [--rounds 1] [--skip-otter]

The data the notebooks read is a temporary copy (``DEFENCE_COURSE_DATA``), and only that copy
is watched for tampering, so the benchmark never writes to the repository. Not a test: it takes
about twenty minutes on two cores, half of it in the ``otter run`` loop.
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
from defence_course.teach import assignments
from defence_course.teach.grader import synthetic
from defence_course.teach.grader.grading import grade_folder
from defence_course.teach.grader.isolation import IsolationUnavailable
from defence_course.teach.grader.results import Report
from defence_course.teach.grader.sandbox import Limits

MIX = [
    ("correct", 45),
    ("partly wrong", 30),
    ("syntax error", 9),
    ("exception", 9),
    ("blank", 5),
    ("endless loop", 2),
]


def make_submissions(
    assignment: assignments.Assignment, folder: Path, count: int, seed: int = 2026
) -> dict[str, str]:
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
            nb = synthetic.broken(
                correct,
                {"syntax error": "syntax", "exception": "exception", "endless loop": "loop"}[kind],
            )
        # every file differs (a comment), so the grader's cache cannot help
        nb = synthetic.as_json(nb)
        nb["cells"].append(
            {
                "cell_type": "markdown",
                "id": f"bench-{index:03d}",
                "metadata": {},
                "source": f"Submission {index} ({kind}).",
            }
        )
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
            proc = subprocess.Popen(
                [str(otter), "run", "-a", str(zip_path), "-o", out, "--no-logo", str(path)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=out,
                start_new_session=True,
            )
            try:
                proc.wait(timeout=timeout)
                results = json.loads((Path(out) / "results.json").read_text())
                totals[path.stem] = sum(
                    t.get("score") or 0 for t in results["tests"] if t.get("name") != "Public Tests"
                )
            except (subprocess.TimeoutExpired, FileNotFoundError, ValueError, KeyError):
                totals[path.stem] = 0.0
            finally:
                try:  # otter run has no time limit: stop it and its kernel
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
    return time.monotonic() - start, totals


MODES = {"isolated": "bubblewrap", "unisolated": "none"}


def grade_in_mode(
    mode: str, folder: Path, out: Path, args: argparse.Namespace, build_root: Path, data_copy: Path
) -> Report:
    limits = Limits(timeout=args.timeout, cell_timeout=min(10.0, args.timeout))
    print(f"course grader, {mode} …", flush=True)
    return grade_folder(
        folder,
        out,
        jobs=args.jobs,
        limits=limits,
        progress=True,
        build_root=build_root,
        protect=[data_copy],
        isolation=MODES[mode],
        unsafe=mode == "unisolated",
    )


def agreement(a: dict[str, float], b: dict[str, float], kinds: dict[str, str]) -> list[str]:
    return [n for n in kinds if abs(a.get(n, -1) - b.get(n, -2)) < 1e-6]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--assignment", default="threat")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="times each grader mode runs, alternating (default: 1)",
    )
    parser.add_argument(
        "--skip-otter", action="store_true", help="only time the course's grader, in both modes"
    )
    args = parser.parse_args()

    assignment = assignments.get(args.assignment)
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        base = Path(tmp)
        data_copy = base / "data"
        shutil.copytree(DATA_DIR, data_copy, ignore=shutil.ignore_patterns("__pycache__"))
        os.environ["DEFENCE_COURSE_DATA"] = str(data_copy)
        build = assignments.build(
            assignment, root=base / "build", run_tests=False, student_out=base / "student.ipynb"
        )
        folder = base / "submissions"
        folder.mkdir()
        kinds = make_submissions(assignment, folder, args.count)
        mix = ", ".join(f"{sum(k == kind for k in kinds.values())} {kind}" for kind, _ in MIX)
        cores = os.cpu_count() or 1
        print(
            f"{args.count} submissions of '{assignment.name}' ({mix}); {cores} cores; "
            f"time limit {args.timeout:g} s per submission\n"
        )

        seconds: dict[str, list[float]] = {mode: [] for mode in MODES}
        totals: dict[str, dict[str, float]] = {}
        for round_ in range(args.rounds):
            for mode in MODES if round_ % 2 == 0 else reversed(list(MODES)):
                try:
                    report = grade_in_mode(
                        mode,
                        folder,
                        base / f"results-{mode}-{round_}",
                        args,
                        base / "build",
                        data_copy,
                    )
                except IsolationUnavailable as error:
                    print(f"error: {error}", file=sys.stderr)
                    return 2
                seconds[mode].append(report.seconds)
                totals[mode] = {o.student_id: o.total for o in report.outcomes}
                # Other work on the machine shows here: compare rounds run at similar load.
                print(
                    f"  {mode}, round {round_ + 1}: {report.seconds:.1f} s; load average "
                    f"now {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        rows = {
            f"course grader, {mode} ({args.jobs or cores} workers)": sum(values) / len(values)
            for mode, values in seconds.items()
        }
        if not args.skip_otter:
            if build.autograder_zip is None:
                print("no autograder zip was built")
                return 1
            print("plain `otter run` on each file, sequentially …", flush=True)
            otter_seconds, totals["otter"] = otter_loop(build.autograder_zip, folder, args.timeout)
            rows["otter run loop (1 at a time)"] = otter_seconds
        print(f"\n{'mode':44} {'wall s':>8} {'submissions/min':>16}")
        for name, wall in rows.items():
            print(f"{name:44} {wall:8.1f} {args.count / wall * 60:16.1f}")
        iso, plain = (sum(seconds[m]) / len(seconds[m]) for m in MODES)
        cost = 1 - plain / iso
        print(
            f"\nthroughput lost to isolation: {cost * 100:.1f} % (target: under 20 %; "
            "negative: the isolated runs were faster)"
        )
        same = agreement(totals["isolated"], totals["unisolated"], kinds)
        print(f"same total, isolated and unisolated: {len(same)}/{len(kinds)}")
        if "otter" in totals:
            with_otter = agreement(totals["isolated"], totals["otter"], kinds)
            print(f"same total, isolated grader and otter run: {len(with_otter)}/{len(kinds)}")
            for name in sorted(set(kinds) - set(with_otter))[:5]:
                print(
                    f"  {name} ({kinds[name]}): course grader {totals['isolated'].get(name)},"
                    f" otter run {totals['otter'].get(name)}"
                )
            print(
                f"speed-up of the isolated grader over the otter run loop: "
                f"{rows['otter run loop (1 at a time)'] / iso:.2f}x"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
