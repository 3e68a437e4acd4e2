"""A regrade preview: ``autograder grade ... --out NEW --compare OLD`` lists each student whose
score changes between two graded folders, by how much and which sub-checks changed, grouped by
cause, before anything is published (terminal, ``NEW/regrade.csv``, and report.html).

Both sides are read from their results.json documents (the records, never the sentences). A
change that only the late penalty explains (every exercise scored the same) is labelled so,
from the lateness records.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from autograder.errors import GraderError
from autograder.report import write_atomically
from autograder.report.parse import Exercise, exercises, submission

REGRADE_CSV = "regrade.csv"
CSV_COLUMNS = ("student", "before", "after", "change", "cause", "exercises", "checks")
LATE_ONLY = "late penalty only"
ONLY_NEW = "graded only now"
ONLY_OLD = "graded only before"


class CheckChange(BaseModel):
    """One sub-check (or, for an exercise judged as a whole, its outcome) that changed."""

    exercise: str
    check: str
    before: float  # points earned
    after: float


class StudentChange(BaseModel):
    """One student whose score changes, and why."""

    student: str
    before: float | None  # None: not graded before
    after: float | None  # None: not graded now
    cause: str
    exercises: dict[str, tuple[float, float]] = {}  # exercise -> (before, after)
    checks: list[CheckChange] = []
    penalty: tuple[float, float] = (0.0, 0.0)  # late penalty before, after

    @property
    def change(self) -> float:
        return round((self.after or 0.0) - (self.before or 0.0), 2)


class Regrade(BaseModel):
    """Every student whose score changes between two graded folders."""

    old_dir: str
    changes: list[StudentChange]
    unchanged: int

    def groups(self) -> dict[str, list[StudentChange]]:
        """Cause -> the students it changed, most students first."""
        found: dict[str, list[StudentChange]] = {}
        for change in self.changes:
            found.setdefault(change.cause, []).append(change)
        return dict(sorted(found.items(), key=lambda item: (-len(item[1]), item[0])))


def read_folder(folder: Path) -> dict[str, dict[str, Any]]:
    """Student -> results.json document of a graded folder; a GraderError when it has none."""
    if not folder.is_dir():
        raise GraderError(f"--compare {folder}: no such folder (give an earlier --out)")
    found = {}
    for student in sorted(folder.iterdir()):
        path = student / "results.json"
        if student.is_dir() and path.is_file():
            try:
                document = json.loads(path.read_text())
            except (OSError, ValueError):
                raise GraderError(f"--compare: {path} is not readable JSON") from None
            if isinstance(document, dict):
                found[student.name] = document
    if not found:
        raise GraderError(f"--compare {folder}: no <student>/results.json in it")
    return found


def _points(exercise: Exercise) -> dict[str, float]:
    """What each sub-check earned; for an exercise judged as a whole, its outcome's score."""
    if exercise.checks:
        return {check.name: check.earned for check in exercise.checks}
    return {exercise.kind if exercise.score < exercise.max_score else "full marks": exercise.score}


def _checks(old: Exercise, new: Exercise) -> list[CheckChange]:
    before, after = _points(old), _points(new)
    changed = []
    for name in [*before, *(n for n in after if n not in before)]:
        if before.get(name) != after.get(name):
            changed.append(
                CheckChange(
                    exercise=new.name,
                    check=name,
                    before=before.get(name, 0.0),
                    after=after.get(name, 0.0),
                )
            )
    return changed


def _penalty(results: Mapping[str, Any]) -> float:
    lateness = submission(dict(results)).lateness
    return lateness.penalty if lateness is not None else 0.0


def student_change(
    student: str, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> StudentChange | None:
    """How ``student``'s score changed from ``old`` to ``new``; None when it did not."""
    if old is None or new is None:
        document = new if new is not None else old
        score = float((document or {}).get("score") or 0)
        return StudentChange(
            student=student,
            before=None if old is None else score,
            after=None if new is None else score,
            cause=ONLY_NEW if old is None else ONLY_OLD,
        )
    before, after = float(old.get("score") or 0), float(new.get("score") or 0)
    if abs(before - after) < 1e-9:
        return None
    old_exercises = {e.name: e for e in exercises(old)}
    moved: dict[str, tuple[float, float]] = {}
    checks: list[CheckChange] = []
    for exercise in exercises(new):
        previous = old_exercises.get(exercise.name)
        if previous is None:
            moved[exercise.name] = (0.0, exercise.score)
            continue
        if abs(previous.score - exercise.score) > 1e-9 or _points(previous) != _points(exercise):
            moved[exercise.name] = (previous.score, exercise.score)
            checks += _checks(previous, exercise)
    penalty = (_penalty(old), _penalty(new))
    if not moved:
        cause = LATE_ONLY if penalty[0] != penalty[1] else "total only"
    else:
        cause = "; ".join(f"{c.exercise}: {c.check}" for c in checks) or ", ".join(moved)
    return StudentChange(
        student=student,
        before=before,
        after=after,
        cause=cause,
        exercises=moved,
        checks=checks,
        penalty=penalty,
    )


def compare(old_dir: Path, new: Mapping[str, dict[str, Any]]) -> Regrade:
    """The regrade from the graded folder ``old_dir`` to ``new`` (student -> results.json)."""
    old = read_folder(old_dir)
    changes = []
    unchanged = 0
    for student in sorted({*old, *new}):
        change = student_change(student, old.get(student), new.get(student))
        if change is None:
            unchanged += 1
        else:
            changes.append(change)
    return Regrade(old_dir=str(old_dir), changes=changes, unchanged=unchanged)


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def describe(change: StudentChange) -> str:
    """One student's line: scores, change, and what moved."""
    line = f"{change.student}: {_score(change.before)} -> {_score(change.after)}"
    if change.before is not None and change.after is not None:
        line += f" ({change.change:+g})"
    if change.cause == LATE_ONLY:
        line += f", late penalty {change.penalty[0]:g} -> {change.penalty[1]:g}"
    elif change.checks:
        line += ", " + "; ".join(
            f"{c.exercise}/{c.check} {c.before:g} -> {c.after:g}" for c in change.checks
        )
    return line


def regrade_text(regrade: Regrade) -> str:
    """The terminal section: each cause and its students."""
    if not regrade.changes:
        return f"regrade against {regrade.old_dir}: no score changes ({regrade.unchanged} same)"
    lines = [
        f"regrade against {regrade.old_dir}: {len(regrade.changes)} student(s) change, "
        f"{regrade.unchanged} stay the same"
    ]
    for cause, changes in regrade.groups().items():
        lines.append(f"  {cause} ({len(changes)}):")
        lines += [f"    {describe(change)}" for change in changes]
    return "\n".join(lines)


def regrade_csv(regrade: Regrade) -> str:
    """One row per changed student: CSV_COLUMNS (exercises and checks joined by ';')."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for change in regrade.changes:
        writer.writerow(
            [
                change.student,
                _score(change.before),
                _score(change.after),
                f"{change.change:g}",
                change.cause,
                ";".join(change.exercises),
                ";".join(f"{c.exercise}/{c.check}" for c in change.checks),
            ]
        )
    return buffer.getvalue()


def write_regrade_csv(out_dir: Path, regrade: Regrade) -> Path:
    """Write ``out_dir/regrade.csv``; return its path."""
    path = out_dir / REGRADE_CSV
    write_atomically(path, regrade_csv(regrade))
    return path
