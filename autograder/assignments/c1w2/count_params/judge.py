"""Judge of count_params."""

from __future__ import annotations

from typing import Any

from autograder.checks.answers import read_answers
from autograder.checks.context import JudgeContext
from autograder.checks.inputs import COUNT_PARAMS_UNITS
from autograder.checks.result import ExerciseResult

from .record import Record

# Each sub-check's share of the exercise's points (course.yaml sets the points).
SUBCHECKS = {"128 units": 1, "any size": 1}


def expected_params(units: int) -> int:
    """784 inputs to each hidden unit plus a bias, then units*10 weights and 10 biases."""
    return 28 * 28 * units + units + units * 10 + 10


def judge(record: Record, ctx: JudgeContext, result: ExerciseResult) -> ExerciseResult:
    answers, why = read_answers(record, "count_params", len(COUNT_PARAMS_UNITS))
    if answers is None:
        return result.fail_all(why)
    expected = [expected_params(units) for units in COUNT_PARAMS_UNITS]
    wrong = [
        (u, a, e) for u, a, e in zip(COUNT_PARAMS_UNITS, answers, expected, strict=True) if a != e
    ]
    result.check(
        "128 units",
        answers[0] == expected[0],
        f"count_params(128) = {expected[0]}",
        _params_fix(answers, wrong),
    )
    result.check(
        "any size",
        not wrong,
        "right for sizes it has not seen: more neurons, more parameters",
        _params_fix(answers, wrong),
    )
    return result


def _params_fix(answers: list[Any], wrong: list[tuple[int, Any, int]]) -> str:
    if not wrong:
        return "count_params(128) is wrong, see the next check."
    units, answer, expected = wrong[0]
    if len(set(map(str, answers))) == 1:
        return f"count_params gives {answer} for every size: compute it from hidden_units."
    if answer == 28 * 28 * units + units * 10:
        why = "you counted the weights but not the biases (one per unit)"
    elif answer == 28 * 28 * units + units:
        why = "you left out the output layer (hidden_units*10 weights + 10 biases)"
    else:
        why = "count (784 + 1) * hidden_units for the hidden layer and (hidden_units + 1) * 10"
    return f"count_params({units}) returned {answer}, expected {expected}: {why}."
