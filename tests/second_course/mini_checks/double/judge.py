"""Judge of double: twice every value, in the shape it was given."""

from __future__ import annotations

import numpy as np

from autograder.checks.answers import why_no_main_answer
from autograder.checks.context import JudgeContext, UnreadableOutput
from autograder.checks.result import ExerciseResult

from .record import Record, inputs

SUBCHECKS = {"same shape": 1, "twice every value": 3}


def judge(record: Record, ctx: JudgeContext, result: ExerciseResult) -> ExerciseResult:
    given = inputs(ctx.assignment.seed)
    why = why_no_main_answer("double", record, len(given), ctx)
    if why:
        return result.fail_all(why)
    returned = []
    for call in record.inputs:
        try:
            returned.append(ctx.array(call.returned))
        except UnreadableOutput:
            returned.append(np.zeros(0))
    shapes = all(r.shape == g.shape for r, g in zip(returned, given, strict=True))
    result.check(
        "same shape", shapes, "the shape is kept", "double must return the shape it was given."
    )
    doubled = shapes and all(
        np.allclose(r, 2 * g) for r, g in zip(returned, given, strict=True)
    )
    result.check(
        "twice every value",
        doubled,
        "every value is doubled, integers and floats alike",
        "some values are not twice the input: return `values * 2`.",
    )
    return result
