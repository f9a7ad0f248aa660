"""Several files for one student: every file is graded and keeps its row; the teacher's policy
says which one goes to the LMS import files.

- ``flag`` (the default): none of them; the gradebook, the command's output and
  ``summary.json`` list the student so that the teacher decides;
- ``latest``: the file changed last (its modification time; the file name breaks ties);
- ``highest``: the file with the highest autograded total (then the latest).

Nothing is overwritten: each file keeps its own gradebook row (``alice (alice_v2.ipynb)``), its
own feedback and answers files, and its reason says what happened to it.
"""

from __future__ import annotations

from collections.abc import Mapping

from defence_course.teach.grader.results import DuplicateGroup, Outcome

POLICIES = ("flag", "latest", "highest")


def check_policy(policy: str) -> str:
    if policy not in POLICIES:
        raise ValueError(
            f"unknown duplicate policy {policy!r}; choose one of {', '.join(POLICIES)}"
        )
    return policy


def apply(
    outcomes: list[Outcome], policy: str, mtimes: Mapping[str, float]
) -> list[DuplicateGroup]:
    """Mark which outcome of each student counts; add a note to each; return the groups."""
    check_policy(policy)
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.base_id, []).append(outcome)
    found = []
    for student_id, members in sorted(groups.items()):
        if len(members) < 2:
            continue
        members.sort(key=lambda o: o.file)
        chosen = _choose(members, policy, mtimes)
        files = [o.file for o in members]
        for outcome in members:
            outcome.counted = outcome is chosen
            outcome.notes.append(_note(outcome, chosen, policy))
        found.append(DuplicateGroup(student_id, files, chosen.file if chosen else None, policy))
    return found


def _choose(members: list[Outcome], policy: str, mtimes: Mapping[str, float]) -> Outcome | None:
    if policy == "latest":
        return max(members, key=lambda o: (mtimes.get(o.file, 0.0), o.file))
    if policy == "highest":
        return max(members, key=lambda o: (o.total, mtimes.get(o.file, 0.0), o.file))
    return None


def _note(outcome: Outcome, chosen: Outcome | None, policy: str) -> str:
    if chosen is None:
        return (
            "flagged: several files for this student, none sent to the LMS files; choose "
            "one (or grade again with --duplicates latest or highest)"
        )
    rule = "the latest file" if policy == "latest" else "the highest total"
    if outcome is chosen:
        return f"this file counts ({rule})"
    return f"not counted: {chosen.file} counts ({rule})"
