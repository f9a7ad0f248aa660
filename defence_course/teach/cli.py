"""The course's command line: ``python -m defence_course teach …``.

::

    python -m defence_course teach build [NAME …] [--no-run-tests] [--variant SEED]
    python -m defence_course teach grade SUBMISSIONS_DIR --out RESULTS_DIR [--variant SEED] [...]
    python -m defence_course teach scan FOLDER …
    python -m defence_course teach list

``build`` runs ``otter assign`` on each master (all of them by default): it writes the student
notebooks to ``exercises/<name>/student/`` and the autograders (the Gradescope zip and the
grading manifest) to ``_build/exercises/<name>/``. ``grade`` grades a folder of submissions
into a gradebook, feedback files and Moodle/Canvas import files; each notebook runs in a
bubblewrap sandbox, and without one ``grade`` refuses to run unless given ``--unsafe``.
``scan`` looks for solutions and hidden tests in folders students can see (student notebooks,
the built website).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from defence_course.teach.grader.duplicates import POLICIES
from defence_course.teach.grader.isolation import PREFERENCES, IsolationUnavailable
from defence_course.teach.grader.sandbox import Limits

EPILOG = """\
examples:
  python -m defence_course teach build
  python -m defence_course teach grade submissions/threat --out results/threat
  python -m defence_course teach grade subs --out res --assignment eu_nato --jobs 4 --timeout 60
  python -m defence_course teach grade subs --out res --duplicates latest
  python -m defence_course teach grade subs --out res --marks written_answers.csv
  python -m defence_course teach scan exercises/*/student _build/html
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m defence_course",
        description="The course's command line. `teach` holds the teacher's commands.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top = parser.add_subparsers(dest="area", required=True, metavar="{teach}")
    teach = top.add_parser(
        "teach",
        help="build, grade and check the graded assignments",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = teach.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = sub.add_parser(
        "build",
        help="run otter assign: student notebooks and autograders",
        description="Run `otter assign` on the masters in exercises/: write "
        "exercises/<name>/student/<name>.ipynb and "
        "_build/exercises/<name>/ (autograder zip, grading manifest).",
    )
    build.add_argument(
        "names", nargs="*", metavar="NAME", help="assignments to build (default: all)"
    )
    build.add_argument(
        "--no-run-tests",
        action="store_true",
        help="do not run the solutions against the tests (faster)",
    )
    build.add_argument(
        "--build-dir",
        type=Path,
        default=None,
        help="where autograders go (default: _build/exercises)",
    )
    build.add_argument(
        "--variant",
        default=None,
        metavar="SEED",
        help="build your class's version: parameters (countries, years, "
        "thresholds) drawn from SEED and the data; its student notebook goes to "
        "_build/exercises/<name>-variant-SEED/student/. Keep SEED private and "
        "grade with the same --variant",
    )

    grade = sub.add_parser(
        "grade",
        help="grade a folder of submitted notebooks",
        description="Grade every *.ipynb in SUBMISSIONS_DIR (one per student) in parallel. "
        "Each notebook runs in a bubblewrap sandbox (read-only system and course, no "
        "network, its own processes, limits); its answers are passed out as JSON and checked "
        "by a separate process that holds the tests. Writes gradebook.csv, feedback/<id>.md, "
        "moodle_import.csv, canvas_import.csv, answers/ and summary.json to RESULTS_DIR. "
        "Re-running re-grades only new or changed files, and resumes a run that was stopped.",
    )
    grade.add_argument("submissions", type=Path, metavar="SUBMISSIONS_DIR")
    grade.add_argument("--out", type=Path, required=True, metavar="RESULTS_DIR")
    grade.add_argument(
        "--assignment",
        default=None,
        help="assignment name (default: read from the notebooks' metadata)",
    )
    grade.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        help=f"parallel notebooks (default: CPU cores, here {os.cpu_count()})",
    )
    defaults = Limits()
    grade.add_argument(
        "--timeout",
        type=float,
        default=defaults.timeout,
        help="seconds one notebook may run in total (default: %(default)s)",
    )
    grade.add_argument(
        "--cell-timeout",
        type=float,
        default=defaults.cell_timeout,
        help="seconds one cell may run before it is stopped (default: %(default)s)",
    )
    grade.add_argument(
        "--memory",
        type=int,
        default=defaults.memory_mb,
        metavar="MB",
        help="address-space limit of a notebook (default: %(default)s)",
    )
    grade.add_argument(
        "--max-file-mb",
        type=float,
        default=defaults.max_file_mb,
        help="largest notebook file accepted (default: %(default)s)",
    )
    grade.add_argument(
        "--processes",
        type=int,
        default=defaults.processes,
        metavar="N",
        help="processes and threads a notebook may have at once (default: %(default)s)",
    )
    grade.add_argument(
        "--scratch-mb",
        type=int,
        default=defaults.scratch_mb,
        metavar="MB",
        help="size of a notebook's scratch folder, and of any file it writes "
        "(default: %(default)s)",
    )
    grade.add_argument(
        "--output-mb",
        type=int,
        default=defaults.output_mb,
        metavar="MB",
        help="most a notebook may send back (default: %(default)s)",
    )
    grade.add_argument(
        "--duplicates",
        choices=POLICIES,
        default="flag",
        help="several files for one student: all are graded; which one goes to "
        "the LMS files: none, flagged for you (flag, default), the latest file "
        "(latest) or the highest total (highest)",
    )
    grade.add_argument(
        "--isolation",
        choices=PREFERENCES,
        default="auto",
        help="how student code is isolated: auto (bubblewrap when it works), "
        "bubblewrap (fail if it does not), none (needs --unsafe)",
    )
    grade.add_argument(
        "--unsafe",
        action="store_true",
        help="grade even without isolation: student code then runs as you and "
        "can read and change your files; the gradebook says so",
    )
    grade.add_argument(
        "--marks",
        type=Path,
        default=None,
        metavar="CSV",
        help="marks given by hand (columns student_id, question, points and an "
        "optional comment) to merge into the gradebook, feedback and LMS files; "
        "a wrong file is reported line by line and nothing is written",
    )
    grade.add_argument(
        "--build-dir",
        type=Path,
        default=None,
        help="where the autograders are (default: _build/exercises)",
    )
    grade.add_argument(
        "--id-from",
        choices=["filename", "metadata"],
        default="filename",
        help="take student ids from the file name (default) or from the "
        "notebook metadata key student_id",
    )
    grade.add_argument(
        "--id-pattern",
        default=None,
        metavar="REGEX",
        help="regular expression with a group named id, applied to the file "
        r"name, e.g. '(?i)^[a-z]+_(?:late_)?(?P<id>\d+)_' for Canvas downloads",
    )
    grade.add_argument(
        "--variant",
        default=None,
        metavar="SEED",
        help="the class variant the notebooks were handed out as (the SEED "
        "given to `teach build --variant`); notebooks made from another "
        "version are graded against this one and flagged",
    )
    grade.add_argument(
        "--regrade", action="store_true", help="ignore the cache and grade every file again"
    )
    grade.add_argument("--quiet", "-q", action="store_true", help="no progress bar")

    scan = sub.add_parser(
        "scan",
        help="look for solutions and hidden tests in student files",
        description="Search folders (student notebooks, downloads, the built "
        "website) for any solution or hidden-test snippet of the masters. "
        "Exits with status 1 when something is found.",
    )
    scan.add_argument("folders", nargs="+", type=Path, metavar="FOLDER")

    sub.add_parser("list", help="list the assignments")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        return _build(args)
    if args.command == "grade":
        return _grade(args)
    if args.command == "scan":
        return _scan(args)
    return _list()


def _build(args: argparse.Namespace) -> int:
    from defence_course.teach import assignments, variants

    names = args.names or [
        n for n in assignments.ASSIGNMENTS if args.variant is None or n in variants.SPECS
    ]
    for name in names:
        try:
            assignment = assignments.get(name).with_variant(args.variant)
        except KeyError as error:
            print(f"error: {error.args[0]}", file=sys.stderr)
            return 2
        except variants.VariantError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"building {name} …", flush=True)
        result = assignments.build(assignment, root=args.build_dir, run_tests=not args.no_run_tests)
        print(f"  student notebook: {_rel(result.student_notebook)}")
        if result.autograder_zip:
            print(f"  autograder zip:   {_rel(result.autograder_zip)}")
        print(f"  grading manifest: {_rel(result.manifest)}")
    return 0


def _grade(args: argparse.Namespace) -> int:
    from defence_course.teach.grader.evaluate import EvaluatorError
    from defence_course.teach.grader.grading import grade_folder

    problem = _check_limits(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    limits = Limits(
        timeout=args.timeout,
        cell_timeout=args.cell_timeout,
        memory_mb=args.memory,
        max_file_mb=args.max_file_mb,
        processes=args.processes,
        scratch_mb=args.scratch_mb,
        output_mb=args.output_mb,
    )
    try:
        report = grade_folder(
            args.submissions,
            args.out,
            assignment=args.assignment,
            jobs=args.jobs,
            limits=limits,
            id_from=args.id_from,
            id_pattern=args.id_pattern,
            regrade=args.regrade,
            progress=not args.quiet,
            build_root=args.build_dir,
            isolation=args.isolation,
            unsafe=args.unsafe,
            duplicates=args.duplicates,
            marks=args.marks,
            variant=args.variant,
        )
    except IsolationUnavailable as error:
        print(f"error: refusing to grade: {error}", file=sys.stderr)
        return 2
    except EvaluatorError as error:
        print(f"error: the checks could not be started: {error}", file=sys.stderr)
        return 2
    except (FileNotFoundError, ValueError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for line, warning in report.summary():
        print(line, file=sys.stderr if warning else sys.stdout)
    for key in ("gradebook", "feedback", "moodle", "canvas"):
        print(f"  {key:9} {_rel(report.files[key])}")
    return 0


def _check_limits(args: argparse.Namespace) -> str:
    """Name the first limit that makes no sense (grading would fail for every student)."""
    for option, value in (
        ("--timeout", args.timeout),
        ("--cell-timeout", args.cell_timeout),
        ("--memory", args.memory),
        ("--max-file-mb", args.max_file_mb),
        ("--processes", args.processes),
        ("--scratch-mb", args.scratch_mb),
        ("--output-mb", args.output_mb),
    ):
        if not value > 0:
            return f"{option} must be more than 0 (got {value:g})"
    if args.jobs is not None and args.jobs < 1:
        return f"--jobs must be at least 1 (got {args.jobs})"
    return ""


def _scan(args: argparse.Namespace) -> int:
    from defence_course.teach.assignments import ASSIGNMENTS
    from defence_course.teach.grader import leaks

    snippets = leaks.all_snippets()
    masters = [a.master for a in ASSIGNMENTS.values()]
    found = []
    for folder in args.folders:
        if not folder.exists():
            print(f"error: {folder} does not exist", file=sys.stderr)
            return 2
        found.extend(leaks.scan(folder, snippets, exclude=masters))
    for leak in found:
        print(leak)
    print(
        f"{len(found)} leak(s) in {', '.join(map(str, args.folders))} "
        f"({len(snippets)} snippets checked)"
    )
    return 1 if found else 0


def _list() -> int:
    from defence_course.teach import assignments

    for a in assignments.ASSIGNMENTS.values():
        print(f"{a.name:13} {a.title} (about {a.minutes} min) - {_rel(a.master)}")
    return 0


def _rel(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
