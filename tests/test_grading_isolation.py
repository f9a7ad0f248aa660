"""The sandbox itself: what student code can see and do, its limits, and the grader's refusal to
grade without it. The attacks on a whole grading run are in ``tests/test_grading_redteam.py``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from defence_course import paths
from defence_course.teach import assignments
from defence_course.teach.grader import duplicates, gradebook, isolation, synthetic
from defence_course.teach.grader.cache import Journal
from defence_course.teach.grader.confinement import data_dir, prepare
from defence_course.teach.grader.evaluate import EvaluatorError, EvaluatorPool
from defence_course.teach.grader.grading import secret_paths
from defence_course.teach.grader.results import Outcome, Report
from defence_course.teach.grader.sandbox import (
    Limits,
    describe_exit,
    run_notebook,
    wait_for_sandboxes,
)

ASSIGNMENT = assignments.get("threat")
QUICK = Limits(timeout=40, cell_timeout=20, processes=32, scratch_mb=32, output_mb=1)


@pytest.fixture(scope="module")
def sandbox(exercise_build, tmp_path_factory):
    """The isolation and layout a grading run of ``threat`` would use."""
    base = tmp_path_factory.mktemp("isolation")
    (base / "submissions").mkdir()
    (base / "results").mkdir()
    hide = secret_paths(ASSIGNMENT, exercise_build, base / "submissions", base / "results")
    iso, layout = prepare("bubblewrap", hide=hide)
    return iso, layout


def _values(result) -> dict:
    assert result.status == "ran", (result.status, result.detail, result.stderr)
    return {name: item.get("v", item.get("items")) for name, item in result.answers.items()}


LOOK_AROUND = r"""
import os, socket, subprocess
uid = os.getuid()
root = sorted(os.listdir("/"))
import defence_course
checkout = sorted(os.listdir(os.path.dirname(os.path.dirname(defence_course.__file__))))
parent = os.getppid()
processes = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
env = sorted(os.environ)
try:
    socket.create_connection(("127.0.0.1", 9), timeout=2)
    network = "connected"
except OSError as error:
    network = type(error).__name__
try:
    socket.getaddrinfo("example.org", 80)
    dns = "resolved"
except OSError as error:
    dns = type(error).__name__
own = len(open("submission.ipynb").read())
open("scratch.txt", "w").write("mine")
wrote = open("scratch.txt").read()
"""

WRITE_COURSE = r"""
from defence_course import paths
try:
    (paths.DATA_DIR / "planted.csv").write_text("x")
    course_write = "written"
except OSError as error:
    course_write = error.strerror
rows = len((paths.DATA_DIR / "incidents.csv").read_text().splitlines())
import pandas, altair, otter
otter_kind = otter.__version__
"""


def test_a_sandbox_shows_the_course_read_only_and_nothing_else(sandbox):
    iso, layout = sandbox
    result = run_notebook(
        [LOOK_AROUND, WRITE_COURSE],
        [
            "uid",
            "root",
            "checkout",
            "parent",
            "processes",
            "env",
            "network",
            "dns",
            "own",
            "wrote",
            "course_write",
            "rows",
            "otter_kind",
        ],
        QUICK,
        isolation=iso,
        layout=layout,
        notebook=b'{"cells": []}',
    )
    got = _values(result)
    assert result.errors == [], result.errors
    assert got["uid"] != 0
    names = {item["v"] for item in got["checkout"]}
    # the checkout shows the package, the data and the Python environment; not the masters
    # (exercises/), the tests, _build (autograders), .git or anything else
    assert names <= {"defence_course", "data", ".venv"}, names
    assert "exercises" not in names and "_build" not in names and "tests" not in names
    # the root holds the system folders and the first folder of each exposed path (the checkout
    # may live anywhere: /work/main here, /check/work/main in CI), nothing else
    exposed_tops = {Path(p).parts[1] for p in (*layout.read_only, *(s for _, s in layout.symlinks))}
    assert {item["v"] for item in got["root"]} <= {
        "dev",
        "proc",
        "scratch",
        "tmp",
        *exposed_tops,
    }, exposed_tops
    assert got["parent"] == 1 and max(i["v"] for i in got["processes"]) < 10
    assert {item["v"] for item in got["env"]} <= set(isolation_env_names())
    assert got["network"] in {"ConnectionRefusedError", "OSError"} and got["dns"] == "gaierror"
    assert got["own"] == len('{"cells": []}') and got["wrote"] == "mine"
    assert got["course_write"] == "Read-only file system"
    assert got["rows"] > 0 and got["otter_kind"] == "stub"


def isolation_env_names() -> list[str]:
    from defence_course.teach.grader.launch import runner_env

    return [*runner_env("/scratch"), "PWD", "SHLVL", "_"]


def test_secret_paths_inside_the_exposed_ones_are_covered(tmp_path):
    exposed = tmp_path / "course"
    (exposed / "exercises" / "threat").mkdir(parents=True)
    (exposed / "results").mkdir()
    layout = isolation.Layout((str(exposed), "/usr"), ())
    hidden = layout.with_hidden(
        [exposed / "exercises", exposed / "results", tmp_path / "x", Path("/elsewhere")]
    ).hidden
    assert hidden == (str(exposed / "exercises"), str(exposed / "results"))
    command = isolation.bwrap_command(
        isolation.Isolation("bubblewrap", binary="bwrap", features=frozenset({"--perms"})),
        layout.with_hidden([exposed / "exercises"]),
        env={},
        scratch_bytes=1,
    )
    at = command.index(str(exposed / "exercises"))
    assert command[at - 1] == "--tmpfs" and command.index("--ro-bind") < at


def test_the_layout_holds_what_notebooks_import_and_no_secret():
    layout = isolation.course_layout(data_dir())
    exposed = layout.read_only
    assert any(Path(paths.__file__).resolve().is_relative_to(p) for p in exposed)
    assert any(data_dir().resolve().is_relative_to(Path(p).resolve()) for p in exposed)
    for secret in (
        paths.REPO_ROOT / "exercises",
        paths.REPO_ROOT / "_build",
        paths.REPO_ROOT / "tests",
        paths.REPO_ROOT,
    ):
        assert not any(
            str(secret) == p or str(secret).startswith(p.rstrip("/") + "/")
            for p in exposed
            if p != "/"
        ), secret


LIMITS_CELLS = [
    # processes: a fork bomb stops at the limit
    "import subprocess\nstarted = 0\nkids = []\n"
    "try:\n    for _ in range(200):\n"
    "        kids.append(subprocess.Popen(['/usr/bin/sleep', '30']))\n        started += 1\n"
    "except OSError as error:\n    fork_error = type(error).__name__",
    # memory
    "try:\n    hog = bytearray(8 * 1024 ** 3)\n    memory = 'allocated'\n"
    "except MemoryError:\n    memory = 'MemoryError'",
    # file size and scratch space
    "try:\n    open('big', 'wb').write(b'x' * 48 * 1024 * 1024)\n    disk = 'written'\n"
    "except OSError as error:\n    disk = error.strerror",
]


def test_limits_hold_in_the_sandbox(sandbox):
    iso, layout = sandbox
    result = run_notebook(
        LIMITS_CELLS,
        ["started", "fork_error", "memory", "disk"],
        QUICK,
        isolation=iso,
        layout=layout,
        preload=False,
    )
    got = _values(result)
    assert got["started"] < QUICK.processes and got["fork_error"] in {
        "BlockingIOError",
        "OSError",
        "PermissionError",
    }
    assert got["memory"] == "MemoryError"
    assert got["disk"] in {"File too large", "No space left on device"}


def test_wall_time_output_size_and_leftover_processes(sandbox):
    iso, layout = sandbox
    marker = f"sandbox-leftover-{os.getpid()}"
    cells = [
        "import subprocess\nsubprocess.Popen(['/usr/bin/sleep', '300'],"
        f" start_new_session=True, env={{'M': '{marker}'}})",
        "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass",
    ]
    result = run_notebook(
        cells,
        [],
        dataclasses.replace(QUICK, timeout=8),
        isolation=iso,
        layout=layout,
        preload=False,
    )
    assert result.status == "timeout" and "within 8 s" in result.detail
    assert wait_for_sandboxes() == []
    assert not _processes_with(marker), "a process of the notebook outlived it"
    flood = [
        "import sys, os\nfd = int(sys.argv[sys.argv.index('--result-fd') + 1])\n"
        "os.write(fd, b'x' * 3 * 1024 * 1024)"
    ]
    result = run_notebook(flood, [], QUICK, isolation=iso, layout=layout, preload=False)
    assert result.status == "error" and "more than 1 MB" in result.detail


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if marker.encode() in Path(f"/proc/{entry}/environ").read_bytes():
                    found.append(int(entry))
            except OSError:
                continue
    return found


def test_the_user_namespace_sandbox_of_an_ordinary_user_works(sandbox):
    """As root the runner drops to its own uid; as a teacher's account bwrap uses a user
    namespace. Both command lines must build a working sandbox."""
    iso, layout = sandbox
    other = dataclasses.replace(iso, drop_uid=not iso.drop_uid)
    result = run_notebook(
        ["import os\nuid = os.getuid()"],
        ["uid"],
        QUICK,
        isolation=other,
        layout=layout,
        preload=False,
    )
    assert result.status == "ran", (result.detail, result.stderr)


def test_describe_exit_reads_bwrap_signal_statuses():
    assert describe_exit(137) == "was killed by signal SIGKILL"
    assert describe_exit(-9) == "was killed by signal SIGKILL"
    assert describe_exit(0) == "ended itself with exit code 0"
    assert describe_exit(3) == "ended itself with exit code 3"


# ---------------------------------------------------------------------------------------------
# Refusing to grade without isolation


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "defence_course", "teach", "grade", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=paths.REPO_ROOT,
        timeout=300,
    )


def test_without_isolation_the_grader_refuses_unless_unsafe(exercise_build, tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "empty.ipynb").write_bytes(b"")  # invalid: nothing needs to run
    synthetic.write(synthetic.blank_notebook(ASSIGNMENT), folder / "blank.ipynb")
    common = [str(folder), "--assignment", "threat", "--build-dir", str(exercise_build), "-q"]
    no_bwrap = {**os.environ, "PATH": str(tmp_path / "empty-path")}
    refused = _cli([*common, "--out", str(tmp_path / "r1")], no_bwrap)
    assert refused.returncode == 2
    for words in ("refusing to grade", "bubblewrap", "apt-get install bubblewrap", "--unsafe"):
        assert words in refused.stderr, refused.stderr
    assert not (tmp_path / "r1" / "gradebook.csv").exists()
    switched_off = _cli(
        [*common, "--out", str(tmp_path / "r2"), "--isolation", "none"], dict(os.environ)
    )
    assert switched_off.returncode == 2 and "--unsafe" in switched_off.stderr
    unsafe = _cli([*common, "--out", str(tmp_path / "r3"), "--unsafe"], no_bwrap)
    assert unsafe.returncode == 0, unsafe.stderr
    assert "WARNING" in unsafe.stderr and "isolation: none" in unsafe.stdout
    book = (tmp_path / "r3" / "gradebook.csv").read_text()
    assert book.startswith("# UNSAFE: graded with --unsafe, without isolation")
    assert book.splitlines()[1].startswith("student_id,file,status")
    summary = json.loads((tmp_path / "r3" / "summary.json").read_text())
    assert summary["isolation"] == {
        "mechanism": "none",
        "unsafe": True,
        "description": summary["isolation"]["description"],
    }


def test_bad_limits_are_named(tmp_path):
    done = _cli([str(tmp_path), "--out", str(tmp_path / "r"), "--processes", "0"], dict(os.environ))
    assert done.returncode == 2 and "--processes must be more than 0" in done.stderr


# ---------------------------------------------------------------------------------------------
# The evaluator, the journal, duplicates and file names


def test_a_killed_evaluator_is_replaced_and_the_submission_evaluated(exercise_build):
    manifest = assignments.load_manifest(ASSIGNMENT, root=exercise_build)
    pool = EvaluatorPool(manifest["tests"])
    try:
        pool.warm()
        first = pool.running[0]
        first.process.kill()
        first.process.join()
        answers = json.dumps({"confirmed_russian": {"t": "int", "v": 1, "type": "int"}})
        results = pool.evaluate(answers.encode(), timeout=60)
        assert set(results) >= {"q1", "q2"} and pool.running[0] is not first
    finally:
        pool.close()


def test_an_evaluator_that_cannot_start_gives_an_error_not_a_crash():
    pool = EvaluatorPool({"q1": "this is not python ("}, startup_timeout=60)
    try:
        with pytest.raises(EvaluatorError, match="evaluator"):
            pool.evaluate(b"{}", timeout=10)
        with pytest.raises(EvaluatorError):
            pool.evaluate(b"{}", timeout=10)
        assert pool.broken  # it stopped trying after repeated failures
    finally:
        pool.close()


def _outcome(student_id: str, file: str, total: float = 0.0, base_id: str = "") -> Outcome:
    return Outcome(
        student_id, file, "0" * 64, "graded", "ran", points={"q1": total}, base_id=base_id
    )


def test_the_journal_trusts_only_isolated_entries_and_keeps_what_is_asked(tmp_path):
    journal = Journal(tmp_path / ".cache")
    journal.write("a" * 64, _outcome("alice", "alice.ipynb", 2), "bubblewrap")
    journal.write("b" * 64, _outcome("bob", "bob.ipynb", 1), "none")
    (tmp_path / ".cache" / f"{'c' * 64}.json").write_text('{"grader_version": "2"}')
    entries = journal.read()
    assert list(entries) == ["a" * 64] and entries["a" * 64]["points"] == {"q1": 2}
    assert "notes" not in entries["a" * 64] and "from_cache" not in entries["a" * 64]
    journal.prune({"a" * 64})
    assert sorted(p.name for p in (tmp_path / ".cache").iterdir()) == [f"{'a' * 64}.json"]


def test_feedback_file_names_never_collide():
    outcomes = [
        _outcome("frank (frank_v1.ipynb)", "frank_v1.ipynb"),
        _outcome("frank_frank_v1.ipynb", "frank (frank_v1.ipynb).ipynb"),
        _outcome("Alice", "Alice.ipynb"),
        _outcome("alice", "alice.ipynb"),
    ]
    report = Report("threat", "t", [], outcomes, [], Path("."))
    stems = gradebook.output_stems(report)
    assert len({s.lower() for s in stems.values()}) == 4


def test_duplicate_policies():
    def group() -> list[Outcome]:
        return [
            _outcome("g (a.ipynb)", "a.ipynb", 5, "g"),
            _outcome("g (b.ipynb)", "b.ipynb", 2, "g"),
            _outcome("h", "h.ipynb", 1),
        ]

    mtimes = {"a.ipynb": 1.0, "b.ipynb": 2.0}
    flagged = group()
    (found,) = duplicates.apply(flagged, "flag", mtimes)
    assert found.counted is None and [o.counted for o in flagged] == [False, False, True]
    assert "flagged" in flagged[0].full_reason
    latest = group()
    duplicates.apply(latest, "latest", mtimes)
    assert [o.counted for o in latest] == [False, True, True]
    assert "not counted: b.ipynb counts" in latest[0].full_reason
    highest = group()
    duplicates.apply(highest, "highest", mtimes)
    assert [o.counted for o in highest] == [True, False, True]
    with pytest.raises(ValueError, match="latest"):
        duplicates.check_policy("newest")
