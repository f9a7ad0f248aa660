"""Red team: hostile submissions against the real grading command.

One campaign runs ``python -m defence_course teach grade`` (under a subreaper that reports any
process left behind) on folders that mix innocent students (alice: correct, bob: partly wrong,
carl: blank) with one submission per class of attack (:mod:`tests.redteam.attacks`):

==================  ===========================================================================
batch               what happens
==================  ===========================================================================
main                copy the master, the built autograder or a classmate; harvest the hidden
                    tests; leave a background process that rewrites the results later;
                    plant a ``.pth`` file in the grader's site-packages; vandalise the
                    results, temporary and checkout folders and a classmate's notebook
main again          the same folder graded again (from the cache)
killers             kill every other child of the grader (notebooks, evaluator) for 10 s
grader killer       kill the grader itself
resume              the grader is killed mid-run by the test, then run again; the class
                    includes the student the ``.pth`` file would reward
duplicates          two files for one student, and a file named to collide with them; graded
                    with each duplicate policy
==================  ===========================================================================

Every attack starts from the blank notebook, so every point it gets is unearned. Before the
grader had isolation (commit b0d204e), every class succeeded: see the table in the teacher
guide's threat model. The campaign takes about two minutes on two cores.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from defence_course.paths import DATA_DIR
from defence_course.teach import assignments
from defence_course.teach.grader import gradebook, synthetic
from tests.redteam import attacks, harness

ASSIGNMENT = assignments.get("threat")
# Full marks for the autograded questions, as the gradebook and the LMS files write them.
FULL = gradebook.number(
    sum(q.points for q in assignments.read_master(ASSIGNMENT.master).questions if not q.manual)
)
INNOCENT = ("alice", "bob", "carl")
DISK_READS = ("copy_master", "copy_autograder", "copy_classmate", "harvest_tests")
MAIN_ATTACKS = (*DISK_READS, "outlive", "poison_pth", "vandal")
OUTPUTS = {
    "gradebook.csv",
    "moodle_import.csv",
    "canvas_import.csv",
    "summary.json",
    "feedback",
    "answers",
    ".cache",
}


@dataclass
class Campaign:
    token: str
    base: Path
    canary: Path
    tmpdir: Path
    data: Path
    folders: dict[str, Path]
    runs: dict[str, harness.GraderRun] = field(default_factory=dict)
    hashes: dict[str, dict[str, str]] = field(default_factory=dict)
    planted: list[Path] = field(default_factory=list)

    def rows(self, run: str) -> dict[str, dict[str, str]]:
        return self.runs[run].rows


def _write(folder: Path, name: str, nb: nbformat.NotebookNode | dict) -> Path:
    path = folder / f"{name}.ipynb"
    text = nbformat.writes(nb) if isinstance(nb, nbformat.NotebookNode) else json.dumps(nb)
    path.write_text(text, encoding="utf-8")
    return path


def _folder(base: Path, name: str, notebooks: dict[str, nbformat.NotebookNode | dict]) -> Path:
    folder = base / name
    folder.mkdir()
    for student, nb in notebooks.items():
        _write(folder, student, nb)
    return folder


@pytest.fixture(scope="module")
def campaign(exercise_build, tmp_path_factory) -> Campaign:
    base = tmp_path_factory.mktemp("redteam")
    token = secrets.token_hex(6)
    canary, tmpdir = base / "canary", base / "tmpdir"
    canary.mkdir()
    tmpdir.mkdir()
    data = base / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("__pycache__"))
    env = {
        **os.environ,
        "TMPDIR": str(tmpdir),
        "REDTEAM_ARMED": token,
        "DEFENCE_COURSE_DATA": str(data),
    }
    build = ["--build-dir", str(exercise_build)]
    correct = synthetic.correct_notebook(ASSIGNMENT, root=exercise_build)
    blank = synthetic.blank_notebook(ASSIGNMENT)
    innocent = {
        "alice": correct,
        "bob": synthetic.partly_wrong(correct, random.Random(7)),
        "carl": blank,
    }

    def attack(kind: str, student: str) -> dict:
        return attacks.attack_notebook(
            blank, kind, token=token, canary=str(canary), student=student
        )

    folders = {
        "main": _folder(base, "main", {**innocent, **{k: attack(k, k) for k in MAIN_ATTACKS}}),
        "killers": _folder(
            base, "killers", {"a_kill_siblings": attack("kill_siblings", "x"), "alice": correct}
        ),
        "grader_killer": _folder(
            base, "grader_killer", {"a_kill_grader": attack("kill_grader", "x"), "alice": correct}
        ),
        "resume": _folder(
            base, "resume", {**innocent, "mallory": attacks.pth_beneficiary(blank, token)}
        ),
        "duplicates": _folder(
            base,
            "duplicates",
            {"frank_v1": blank, "frank_v2": correct, "frank (frank_v1.ipynb)": correct},
        ),
    }
    # frank_v1 (blank) was handed in after frank_v2 (correct): "latest" and "highest" differ.
    os.utime(folders["duplicates"] / "frank_v2.ipynb", (1_700_000_000, 1_700_000_000))
    os.utime(folders["duplicates"] / "frank_v1.ipynb", (1_800_000_000, 1_800_000_000))
    result = Campaign(token, base, canary, tmpdir, data, folders)
    result.hashes["data"] = harness.tree_hashes(data)
    for name, folder in folders.items():
        result.hashes[name] = harness.tree_hashes(folder)

    def run(key: str, folder: str, out: str, options: list[str] = (), **kwargs) -> None:
        result.runs[key] = harness.run_grader(
            folders[folder], base / out, work=base, env=env, options=[*build, *options], **kwargs
        )

    try:
        run("main", "main", "out-main")
        result.hashes["main-after"] = harness.tree_hashes(folders["main"])
        result.planted = harness.planted_files(token)
        run("main again", "main", "out-main")
        run("killers", "killers", "out-killers")
        run("grader killer", "grader_killer", "out-grader-killer")
        run(
            "resume killed",
            "resume",
            "out-resume",
            kill_when_glob=str(base / "out-resume" / ".cache" / "*.json"),
        )
        run("resume", "resume", "out-resume")
        pattern = ["--id-pattern", "^(?P<id>[a-z]+)_v"]
        for policy in ("flag", "latest", "highest"):
            run(
                f"duplicates {policy}",
                "duplicates",
                "out-duplicates",
                [*pattern, "--duplicates", policy],
            )
    finally:
        for path in harness.planted_files(token):  # never leave a planted file behind
            path.unlink()
        print(
            "\nred-team runs: "
            + ", ".join(f"{k} {r.seconds:.0f} s" for k, r in result.runs.items())
        )
    return result


# ---------------------------------------------------------------------------------------------
# Every run: one row per file, with its hash; nothing left running; the grader says how it ran


RUNS = [
    "main",
    "main again",
    "killers",
    "grader killer",
    "resume",
    "duplicates flag",
    "duplicates latest",
    "duplicates highest",
]
FOLDER_OF = {
    "main": "main",
    "main again": "main",
    "killers": "killers",
    "grader killer": "grader_killer",
    "resume": "resume",
    "duplicates flag": "duplicates",
    "duplicates latest": "duplicates",
    "duplicates highest": "duplicates",
}


@pytest.mark.parametrize("run", RUNS)
def test_every_file_gets_exactly_one_row_with_its_hash(campaign, run):
    done = campaign.runs[run]
    assert done.returncode == 0, done.describe()
    rows = campaign.rows(run)
    files = campaign.hashes[FOLDER_OF[run]]
    assert sorted(row["file"] for row in rows.values()) == sorted(files), done.describe()
    for row in rows.values():
        assert row["sha256"] == files[row["file"]], row
        assert row["reason"].strip(), row


@pytest.mark.parametrize("run", [*RUNS, "resume killed"])
def test_no_process_outlives_the_run(campaign, run):
    assert campaign.runs[run].leftovers == [], campaign.runs[run].describe()


def test_the_isolation_used_is_reported(campaign):
    done = campaign.runs["main"]
    assert "isolation: bubblewrap" in done.stdout, done.describe()
    assert done.banner == ""
    summary = json.loads((done.out / "summary.json").read_text())
    assert summary["isolation"]["mechanism"] == "bubblewrap"
    assert summary["isolation"]["unsafe"] is False


# ---------------------------------------------------------------------------------------------
# The attack classes


@pytest.mark.parametrize("kind", DISK_READS)
def test_reading_masters_autograders_classmates_or_hidden_tests_earns_nothing(campaign, kind):
    for run in ("main", "main again"):
        row = campaign.rows(run)[kind]
        assert row["status"] == "graded" and row["total"] == "0", row
        assert campaign.runs[run].moodle[kind] == campaign.runs[run].canvas[kind] == "0"


def test_a_background_process_cannot_outlive_the_grader_and_rewrite_its_marks(campaign):
    assert not list(campaign.canary.glob("outlived-*"))
    for run in ("main", "main again"):
        assert campaign.rows(run)["outlive"]["total"] == "0"
        assert campaign.runs[run].moodle["outlive"] == campaign.runs[run].canvas["outlive"] == "0"
    for entry in (campaign.runs["main"].out / ".cache").glob("*.json"):
        outcome = json.loads(entry.read_text())["outcome"]
        if outcome["student_id"] == "outlive":
            assert sum(outcome["points"].values()) == 0


def test_a_pth_file_cannot_poison_the_grader_environment(campaign):
    assert campaign.planted == [], "files planted in site-packages or the checkout"
    assert not list(campaign.canary.glob("pth-ran-*")), "the payload ran in the grader"
    mallory = campaign.rows("resume")["mallory"]  # graded in a later run
    assert mallory["total"] == "0", mallory


def test_vandalism_outside_the_sandbox_changes_nothing(campaign):
    token = campaign.token
    assert not list(campaign.tmpdir.rglob(f"*{token}*")), "the temporary folder"
    assert not list(harness.GRADER_ROOT.glob(f"*{token}*")), "the checkout"
    out = campaign.runs["main"].out
    assert not list(out.rglob(f"*{token}*")), "the results folder"
    assert {p.name for p in out.iterdir()} <= OUTPUTS
    assert campaign.hashes["main-after"] == campaign.hashes["main"], "a classmate's notebook"
    assert harness.tree_hashes(campaign.data) == campaign.hashes["data"], "the course data"
    first, again = campaign.rows("main")["bob"], campaign.rows("main again")["bob"]
    assert (first["total"], first["sha256"]) == (again["total"], again["sha256"])


@pytest.mark.parametrize("run", ["main", "main again", "killers", "grader killer"])
def test_innocent_students_get_what_they_get_alone(campaign, run):
    reference = campaign.rows("resume")
    rows = campaign.rows(run)
    for name in INNOCENT:
        if name not in rows:
            continue
        got, alone = rows[name], reference[name]
        assert (got["status"], got["total"], got["reason"]) == (
            alone["status"],
            alone["total"],
            alone["reason"],
        ), (run, name)
    assert reference["alice"]["total"] == FULL
    assert 0 < float(reference["bob"]["total"]) < float(FULL)


def test_killing_siblings_and_the_evaluator_loses_no_row(campaign):
    rows = campaign.rows("killers")
    assert rows["a_kill_siblings"]["total"] == "0"
    assert rows["alice"]["status"] == "graded" and rows["alice"]["total"] == FULL


def test_killing_the_grader_is_impossible(campaign):
    done = campaign.runs["grader killer"]
    assert done.returncode == 0 and set(campaign.rows("grader killer")) == {
        "a_kill_grader",
        "alice",
    }, done.describe()


def test_a_grader_killed_mid_run_resumes_from_its_journal(campaign):
    killed, resumed = campaign.runs["resume killed"], campaign.runs["resume"]
    assert killed.killed_mid_run, killed.describe()
    assert not (killed.out / "gradebook.csv").exists() or resumed.returncode == 0
    assert resumed.returncode == 0, resumed.describe()
    assert "from the cache" in resumed.stdout
    cached = int(resumed.stdout.split(" run now, ")[1].split(" from the cache")[0])
    assert 1 <= cached < 4, resumed.stdout
    assert set(campaign.rows("resume")) == {"alice", "bob", "carl", "mallory"}


# ---------------------------------------------------------------------------------------------
# Duplicates and identity


def test_duplicates_are_graded_apart_and_nothing_is_overwritten(campaign):
    out = campaign.runs["duplicates flag"].out
    rows = campaign.rows("duplicates flag")
    assert set(rows) == {"frank (frank_v1.ipynb)", "frank (frank_v2.ipynb)", "frank_frank_v1.ipynb"}
    feedback = sorted((out / "feedback").glob("*.md"))
    assert len(feedback) == 3
    named = sorted(
        next(line for line in p.read_text().splitlines() if "File:" in line) for p in feedback
    )
    assert named == sorted(f"- File: `{f}`" for f in campaign.hashes["duplicates"])
    assert len(list((out / "answers").glob("*.json"))) == 3


def test_the_duplicate_policy_decides_what_the_lms_files_get(campaign):
    flag = campaign.runs["duplicates flag"]
    assert "frank" not in flag.moodle
    assert "several files for frank" in flag.stderr and "flagged" in flag.stderr
    for row in campaign.rows("duplicates flag").values():
        if row["file"].startswith("frank_v"):
            assert "flagged" in row["reason"], row
    latest = campaign.runs["duplicates latest"]
    assert latest.moodle["frank"] == latest.canvas["frank"] == "0"  # frank_v1 (blank) came last
    highest = campaign.runs["duplicates highest"]
    assert highest.moodle["frank"] == highest.canvas["frank"] == FULL
    assert highest.moodle["frank_frank_v1.ipynb"] == FULL
