"""Judges: score what a probe recorded, in a process that never imported student code.

The same judge serves ``autograder grade`` (probe in the sandbox, judge here) and nbgrader's
hidden test cells (both in the notebook's kernel, see ``autograder.notebook_check``), so both
give every exercise the same score.
"""

from __future__ import annotations

from collections.abc import Callable

from autograder.checks.context import JudgeContext, UnreadableOutput
from autograder.checks.exploration import (
    judge_count_params,
    judge_normalization_effect,
    judge_output_units_needed,
    judge_overfitting_epoch,
    judge_shape_without_flatten,
)
from autograder.checks.model import (
    judge_build_model,
    judge_compile_model,
    judge_normalize,
    judge_predict_labels,
)
from autograder.checks.result import ExerciseResult
from autograder.checks.training import (
    judge_threshold_callback,
    judge_train_model,
    judge_train_until,
)

JUDGES: dict[str, Callable[[dict, JudgeContext], ExerciseResult]] = {
    "normalize": judge_normalize,
    "build_model": judge_build_model,
    "compile_model": judge_compile_model,
    "train_model": judge_train_model,
    "predict_labels": judge_predict_labels,
    "ThresholdCallback": judge_threshold_callback,
    "train_until": judge_train_until,
    "count_params": judge_count_params,
    "shape_without_flatten": judge_shape_without_flatten,
    "output_units_needed": judge_output_units_needed,
    "overfitting_epoch": judge_overfitting_epoch,
    "normalization_effect": judge_normalization_effect,
}


def judge(exercise: str, data: object, ctx: JudgeContext) -> ExerciseResult:
    """Score one exercise; data that is malformed (or forged) scores 0, it never crashes us."""
    points = ctx.assignment.exercises[exercise].points
    if not isinstance(data, dict):
        return ExerciseResult(exercise, points).fail_all(
            f"{exercise}: the grader got no readable result for this exercise."
        )
    if data.get("grader_fault"):
        return ExerciseResult(exercise, points).fault(str(data["grader_fault"])[:200])
    try:
        result = JUDGES[exercise](data, ctx)
    except UnreadableOutput as exc:  # a file the probe should have written is not there
        return ExerciseResult(exercise, points).fail_all(
            f"{exercise}: what the submission produced could not be read ({exc})."
        )
    except Exception as exc:  # noqa: BLE001 - one exercise's fault must not stop a batch
        return ExerciseResult(exercise, points).fault(f"{type(exc).__name__} in its judge")
    if result.max_score != points:  # course.yaml may reweight: scale the sub-checks
        factor = points / result.max_score if result.max_score else 0
        for check in result.checks:
            check.points *= factor
            check.earned *= factor
        result.max_score = points
    return result
