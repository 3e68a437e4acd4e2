"""What the release trial asks of normalization_effect: is the course's margin within the
solution's reach on this machine (see ``autograder.release.trial``)?"""

from __future__ import annotations

from typing import Any

from autograder.assignments.c1w2.normalization_effect.record import Record
from autograder.checks.answers import unplain
from autograder.checks.result import ExerciseResult
from autograder.config import Assignment


def problems(assignment: Assignment, record: Record, result: ExerciseResult) -> list[str]:
    """Why checks.normalization_margin cannot be graded, with the accuracies measured."""
    checks = assignment.checks
    value = unplain(record.value)
    if not (isinstance(value, list) and len(value) == 2):
        return []
    normalized, raw = value
    if normalized - raw >= checks.normalization_margin:
        return []
    return [
        f"the solution's normalized accuracy {normalized:.3f} is {normalized - raw:.3f} above "
        f"its raw accuracy {raw:.3f} on {checks.normalization_images:,} images; "
        f"checks.normalization_margin {checks.normalization_margin:g} is out of reach: lower it"
    ]


def figures(record: Record, result: ExerciseResult) -> dict[str, Any]:
    """What the release record keeps of the solution's answer."""
    return {"normalization_effect": unplain(record.value)}
