"""Reading a folder of submissions: one notebook per student, checked before anything runs.

Every ``*.ipynb`` file directly inside the folder is one submission. All files are read into
memory (with their SHA-256) before any student code runs, so a submission that deletes or
rewrites files in the folder cannot change what is graded in the same batch. A file that is not
a usable notebook (empty, too large, not UTF-8, not JSON, no cells, wrong format version,
malformed cells) is *invalid*: it still gets a gradebook row, with the reason.

Student ids come from the file name (its stem, or the ``id`` group of ``--id-pattern``) or, with
``id_from="metadata"``, from the notebook's metadata (``student_id`` at the top level or under
``defence_course``), falling back to the file name. Two files with the same id both keep their
row, each with the file name appended to the id (``alice (alice_v2.ipynb)``), and the reason
says so; :mod:`~defence_course.teach.grader.duplicates` then decides, by the teacher's policy, which
of them goes to the LMS files. Cleaned ids never contain spaces or brackets, so such a name can
never be another student's id.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUPPORTED_NBFORMAT = 4


class InvalidSubmission(ValueError):
    """The file cannot be graded; the message says why, in words."""


@dataclass
class Submission:
    file: str
    data: bytes
    sha256: str
    student_id: str = ""
    notes: list[str] = field(default_factory=list)
    base_id: str = ""  # the id before duplicates were told apart
    mtime: float = 0.0  # when the file was last changed (the "latest" duplicate policy)


@dataclass
class Notebook:
    """What the grader takes from a valid notebook: the code cells and their positions."""

    code_cells: list[str]
    cell_numbers: list[int]
    metadata: dict[str, Any]


def read_folder(folder: Path) -> tuple[list[Submission], list[str]]:
    """All ``*.ipynb`` submissions of ``folder`` (read now), and the names of ignored files."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    submissions, ignored = [], []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix.lower() != ".ipynb":
            ignored.append(path.name)
            continue
        data = path.read_bytes()
        submissions.append(
            Submission(
                path.name, data, hashlib.sha256(data).hexdigest(), mtime=path.stat().st_mtime
            )
        )
    return submissions, ignored


def parse(submission: Submission, *, max_mb: float) -> Notebook:
    """Check that the submission is a notebook this grader can run (no code runs here)."""
    size = len(submission.data)
    if size == 0:
        raise InvalidSubmission("the file is empty (0 bytes)")
    if size > max_mb * 1024 * 1024:
        raise InvalidSubmission(
            f"the file is {size / 1024 / 1024:.1f} MB, more than the "
            f"{max_mb:g} MB allowed (clear the outputs and save again)"
        )
    try:
        text = submission.data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidSubmission("the file is not a notebook: it is not UTF-8 text") from None
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidSubmission(
            f"the file is not a notebook: it is not valid JSON (line {error.lineno}: {error.msg})"
        ) from None
    except RecursionError:
        raise InvalidSubmission(
            "the file is not a notebook: its JSON is nested too deeply"
        ) from None
    if not isinstance(nb, dict):
        raise InvalidSubmission("the file is not a notebook: its JSON is not an object")
    version = nb.get("nbformat")
    if version != SUPPORTED_NBFORMAT:
        shown = version if isinstance(version, int) else "missing"
        raise InvalidSubmission(
            f"the notebook format version is {shown}; this grader reads version "
            f"{SUPPORTED_NBFORMAT} (open the file in a current Jupyter and save it again)"
        )
    cells = nb.get("cells")
    if not isinstance(cells, list):
        raise InvalidSubmission("the notebook has no list of cells")
    code, numbers = [], []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise InvalidSubmission(f"cell {number} of the notebook is malformed")
        if cell["cell_type"] != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise InvalidSubmission(f"cell {number} of the notebook has malformed code")
        code.append(source)
        numbers.append(number)
    metadata = nb.get("metadata")
    return Notebook(code, numbers, metadata if isinstance(metadata, dict) else {})


def metadata_id(metadata: dict[str, Any]) -> str | None:
    for holder in (metadata, metadata.get("defence_course")):
        if isinstance(holder, dict):
            value = holder.get("student_id")
            if isinstance(value, str | int) and str(value).strip():
                return _clean(str(value))
    return None


def _declared(sub: Submission, section: str, key: str) -> str | None:
    """A text the notebook's metadata gives under ``section`` / ``key`` (None if it does not)."""
    try:
        value = json.loads(sub.data.decode("utf-8"))["metadata"][section][key]
        return value if isinstance(value, str) else None
    except Exception:
        return None


def declared_assignment(sub: Submission) -> str | None:
    """The assignment a notebook says it is for (otter's metadata)."""
    return _declared(sub, "otter", "assignment_name")


def declared_variant(sub: Submission) -> str | None:
    """The variant a notebook says it was made from (``"public"`` for the public one)."""
    return _declared(sub, "defence_course", "variant")


def _clean(value: str) -> str:
    value = re.sub(r"[^\w.@+-]+", "_", value.strip(), flags=re.UNICODE)
    return value.strip("._")[:120] or "unnamed"


def assign_ids(
    submissions: list[Submission], *, id_from: str = "filename", id_pattern: str | None = None
) -> None:
    """Set ``student_id`` on every submission; make duplicates unique and say so."""
    pattern = re.compile(id_pattern) if id_pattern else None
    for sub in submissions:
        stem = Path(sub.file).stem
        chosen = None
        if id_from == "metadata":
            try:
                nb = json.loads(sub.data.decode("utf-8"))
                chosen = metadata_id(nb.get("metadata") or {}) if isinstance(nb, dict) else None
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, AttributeError):
                chosen = None
            if chosen is None:
                sub.notes.append(
                    "no student_id in the notebook metadata: id taken from the file name"
                )
        if chosen is None and pattern is not None:
            match = pattern.search(stem)
            if match and match.groupdict().get("id"):
                chosen = _clean(match.group("id"))
            elif match is None:
                sub.notes.append("the file name does not match --id-pattern: id is the file name")
        sub.student_id = sub.base_id = chosen or _clean(stem)
    seen: dict[str, list[Submission]] = {}
    for sub in submissions:
        seen.setdefault(sub.student_id, []).append(sub)
    for student_id, subs in seen.items():
        if len(subs) > 1:
            for sub in subs:
                sub.student_id = f"{student_id} ({sub.file})"
                others = ", ".join(o.file for o in subs if o is not sub)
                sub.notes.append(
                    f"{len(subs)} files have the id {student_id!r} (also "
                    f"{others}); the file name was added to tell them apart"
                )
