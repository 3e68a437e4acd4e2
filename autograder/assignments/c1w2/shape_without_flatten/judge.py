"""Judge of shape_without_flatten."""

from __future__ import annotations

from autograder.checks.answers import read_answers
from autograder.checks.context import JudgeContext
from autograder.checks.inputs import FLATTEN_UNITS
from autograder.checks.result import ExerciseResult

from .record import Record

# One sub-check per hidden size the grader tries, each an equal share.
SUBCHECKS = {f"hidden_units={units}": 1 for units in FLATTEN_UNITS}


def judge(record: Record, ctx: JudgeContext, result: ExerciseResult) -> ExerciseResult:
    answers, why = read_answers(record, "shape_without_flatten", len(FLATTEN_UNITS))
    if answers is None:
        return result.fail_all(why)
    for units, answer in zip(FLATTEN_UNITS, answers, strict=True):
        shape = list(answer) if isinstance(answer, (list, tuple)) else answer
        if shape == [None, 10]:
            fix = (
                "(None, 10) is the shape with Flatten; without it each Dense layer works on "
                "the last axis only, so each of the 28 rows gets 10 outputs: (None, 28, 10)."
            )
        elif shape == [28, 10]:
            fix = "include the batch dimension as Keras reports it: (None, 28, 10)."
        else:
            fix = (
                f"shape_without_flatten({units}) returned {answer}; build the model without "
                "Flatten and return its output_shape."
            )
        result.check(
            f"hidden_units={units}",
            shape == [None, 28, 10],
            f"without Flatten the output is (None, 28, 10) for {units} units",
            fix,
        )
    return result
