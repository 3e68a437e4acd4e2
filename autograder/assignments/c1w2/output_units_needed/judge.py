"""Judge of output_units_needed."""

from __future__ import annotations

from autograder.checks.answers import read_answers
from autograder.checks.context import JudgeContext
from autograder.checks.inputs import LABEL_SETS
from autograder.checks.result import ExerciseResult

from .record import Record

# Each sub-check's share of the exercise's points (course.yaml sets the points).
SUBCHECKS = {"Fashion-MNIST labels": 1, "unseen labels": 1}


def judge(record: Record, ctx: JudgeContext, result: ExerciseResult) -> ExerciseResult:
    answers, why = read_answers(record, "output_units_needed", len(LABEL_SETS))
    if answers is None:
        return result.fail_all(why)
    expected = [max(labels) + 1 for labels in LABEL_SETS]
    wrong = [(lab, a, e) for lab, a, e in zip(LABEL_SETS, answers, expected, strict=True) if a != e]
    fix = ""
    if wrong:
        labels, answer, want = wrong[0]
        fix = f"for labels {labels} you returned {answer}, expected {want}"
        if answer == len(set(labels)):
            fix += (
                ": you counted the distinct labels, but label k needs output unit k, "
                "so the answer is the largest label + 1."
            )
        else:
            fix += ": the largest label + 1."
    result.check(
        "Fashion-MNIST labels", answers[0] == expected[0], "labels 0-9 need 10 output units", fix
    )
    result.check("unseen labels", not wrong, "the largest label + 1, whatever the labels", fix)
    return result
