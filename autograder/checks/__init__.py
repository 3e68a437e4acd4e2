"""Judges: score what a probe recorded, in a process that never imported student code.

The same judge serves ``autograder grade`` (probe in the sandbox, judge here) and nbgrader's
hidden test cells (both in the notebook's kernel, see ``autograder.notebook_check``), so both
give every exercise the same score.
"""

from __future__ import annotations

from pydantic import ValidationError

from autograder.checks.context import JudgeContext, UnreadableOutput
from autograder.checks.result import ExerciseResult
from autograder.outcome import UNREADABLE_DATA, Outcome
from autograder.registry import load


def judge(exercise: str, data: object, ctx: JudgeContext) -> ExerciseResult:
    """Score one exercise; data that is malformed (or forged) scores 0, it never crashes us."""
    points = ctx.assignment.exercises[exercise].points
    if not isinstance(data, dict):
        return ExerciseResult(exercise, points).fail_all(
            f"{exercise}: the grader got no readable result for this exercise.",
            Outcome.UNTRUSTED,
            UNREADABLE_DATA,
        )
    if data.get("grader_fault"):
        return ExerciseResult(exercise, points).fault(str(data["grader_fault"])[:200])
    try:
        module = load(ctx.assignment.package, exercise, "judge")
    except Exception as exc:  # noqa: BLE001 - a course's own package may be broken
        return ExerciseResult(exercise, points).fault(f"{type(exc).__name__} loading its judge")
    try:
        record = module.Record.model_validate(data)
    except ValidationError as exc:  # not what the probe writes: forged, or broken mid-write
        return ExerciseResult(exercise, points).fail_all(
            f"{exercise}: what the submission produced could not be read ({_first(exc)}).",
            Outcome.UNTRUSTED,
            UNREADABLE_DATA,
        )
    try:
        result = module.judge(record, ctx, ExerciseResult.of(exercise, module.SUBCHECKS))
    except UnreadableOutput as exc:  # a file the probe should have written is not there
        return ExerciseResult(exercise, points).fail_all(
            f"{exercise}: what the submission produced could not be read ({exc}).",
            Outcome.UNTRUSTED,
            UNREADABLE_DATA,
        )
    except Exception as exc:  # noqa: BLE001 - one exercise's fault must not stop a batch
        return ExerciseResult(exercise, points).fault(f"{type(exc).__name__} in its judge")
    return _scaled(result, points)


def _scaled(result: ExerciseResult, points: float) -> ExerciseResult:
    """``result`` with its sub-checks' shares scaled to the exercise's course.yaml points."""
    if result.max_score != points:  # course.yaml may reweight: scale the sub-checks
        factor = points / result.max_score if result.max_score else 0
        for check in result.checks:
            check.points *= factor
            check.earned *= factor
        result.max_score = points
    return result


def _first(error: ValidationError) -> str:
    """The first field a record failed on, as a path: ``inputs.0.returned``."""
    first = error.errors()[0]
    return ".".join(str(part) for part in first["loc"]) or "the record"
