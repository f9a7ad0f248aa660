"""What grading produces: one :class:`Outcome` per submitted file, and the :class:`Report` of a
run (with :meth:`Report.summary`, the run in a few lines for the terminal). Kept apart from
:mod:`~defence_course.teach.grader.grading` (which makes them) and
:mod:`~defence_course.teach.grader.gradebook` (which writes them) so that neither imports the other.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defence_course.teach.grader.isolation import NO_ISOLATION, Isolation

STATUSES = ("graded", "timeout", "crashed", "invalid", "tampered", "error")
# Fields of an outcome that describe this run rather than the grading of the file's bytes:
# they are never cached.
RUN_FIELDS = ("from_cache", "base_id", "counted", "notes", "cacheable", "manual", "manual_comments")


@dataclass
class Outcome:
    """One row of the gradebook, with the detail behind it.

    ``student_id`` is unique in a run (two files of one student get the file name added);
    ``base_id`` is the student's id itself, used in the LMS files for the row that ``counted``.
    """

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
    base_id: str = ""
    counted: bool = True
    notes: list[str] = field(default_factory=list)
    cacheable: bool = True
    # Marks given by hand (question -> points, and an optional comment), from the marks file.
    manual: dict[str, float] = field(default_factory=dict)
    manual_comments: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.base_id = self.base_id or self.student_id

    @property
    def total(self) -> float:
        """Autograded points."""
        return round(sum(self.points.values()), 6)

    @property
    def total_with_manual(self) -> float:
        return round(self.total + sum(self.manual.values()), 6)

    @property
    def full_reason(self) -> str:
        """The reason with this run's remarks (duplicates, id, assignment) added."""
        return "; ".join([self.reason, *self.notes]) if self.notes else self.reason


@dataclass
class DuplicateGroup:
    """Several files for one student id, and which of them (if any) goes to the LMS files."""

    student_id: str
    files: list[str]
    counted: str | None
    policy: str


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
    isolation: Isolation = NO_ISOLATION
    duplicates: list[DuplicateGroup] = field(default_factory=list)
    duplicate_policy: str = "flag"
    stray_sandboxes: list[int] = field(default_factory=list)  # pids that would not end
    marks_file: Path | None = None  # marks given by hand were merged from this file

    @property
    def autograded(self) -> list[dict[str, Any]]:
        return [q for q in self.questions if not q["manual"]]

    @property
    def max_total(self) -> float:
        return round(sum(q["points"] for q in self.autograded), 6)

    @property
    def full_max_total(self) -> float:
        """Points possible on every question, those marked by hand included."""
        return round(sum(q["points"] for q in self.questions), 6)

    def final_total(self, outcome: Outcome) -> float:
        """The total the LMS files get: autograded, plus the marks given by hand if merged."""
        return outcome.total_with_manual if self.marks_file else outcome.total

    def final_max(self) -> float:
        return self.full_max_total if self.marks_file else self.max_total

    def unmarked(self, outcome: Outcome) -> list[str]:
        """Questions marked by hand that this row has no mark for (when marks were merged)."""
        if not self.marks_file:
            return []
        return [
            q["name"] for q in self.questions if q["manual"] and q["name"] not in outcome.manual
        ]

    def by_id(self) -> dict[str, Outcome]:
        return {o.student_id: o for o in self.outcomes}

    @property
    def unsafe(self) -> bool:
        return not self.isolation.isolated

    def summary(self) -> list[tuple[str, bool]]:
        """The run in a few lines for the terminal, each with whether it is a warning (the
        command line prints those to stderr); the command line adds the files written."""
        lines: list[tuple[str, bool]] = []

        def say(text: str, warning: bool = False) -> None:
            lines.append((text, warning))

        counts = Counter(outcome.status for outcome in self.outcomes)
        cached = sum(o.from_cache for o in self.outcomes)
        say(
            f"{self.title}: {len(self.outcomes)} submissions in {self.seconds:.1f} s "
            f"({self.graded_now} run now, {cached} from the cache)"
        )
        say("  " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
        say(f"  isolation: {self.isolation.describe()}")
        if self.unsafe:
            say("  WARNING: graded with --unsafe, without isolation; the gradebook says so", True)
        if self.stray_sandboxes:
            pids = ", ".join(map(str, self.stray_sandboxes))
            say(
                f"  WARNING: sandboxes that would not end (pids {pids}); "
                "they cannot reach the results",
                True,
            )
        for group in self.duplicates:
            what = (
                f"{group.counted} counts ({group.policy})"
                if group.counted
                else "flagged: none sent to the LMS files, choose one"
            )
            files = ", ".join(group.files)
            say(f"  several files for {group.student_id}: {files}; {what}", not group.counted)
        if self.marks_file:
            given = sum(len(o.manual) for o in self.outcomes)
            waiting = [o.student_id for o in self.outcomes if self.unmarked(o)]
            say(
                f"  marks given by hand: {given} from {self.marks_file}"
                + (f"; not marked yet: {', '.join(waiting)}" if waiting else "")
            )
        if self.ignored:
            say(f"  ignored (not .ipynb): {', '.join(self.ignored)}")
        return lines
