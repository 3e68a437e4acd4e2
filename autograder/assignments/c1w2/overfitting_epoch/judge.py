"""Judge of overfitting_epoch."""

from __future__ import annotations

import numpy as np

from autograder.checks.answers import read_answers
from autograder.checks.context import JudgeContext
from autograder.checks.inputs import HISTORIES
from autograder.checks.result import ExerciseResult

from .record import Record

OVERFITTING_BEHAVIOURS = (
    ("lowest val_loss", (0, 4), "the epoch of the lowest val_loss once a later one is worse"),
    ("None without overfitting", (1, 3), "returns None when no later epoch is worse"),
    ("first on ties", (2,), "returns the first of tied lowest epochs"),
)
# Each behaviour, and the same answers for a History, an equal share of the points.
SUBCHECKS = {**{name: 0.5 for name, _, _ in OVERFITTING_BEHAVIOURS}, "History input": 0.5}


def judge(record: Record, ctx: JudgeContext, result: ExerciseResult) -> ExerciseResult:
    """Each behaviour on the histories that show it, given as dicts; History input as dicts."""
    answers, why = read_answers(record, "overfitting_epoch", 2 * len(HISTORIES))
    if answers is None:
        return result.fail_all(why)
    expected = [_best_epoch(logs["val_loss"]) for logs in HISTORIES]
    given, from_history = answers[0::2], answers[1::2]
    finds_one = any(
        isinstance(want, int) and answer == want
        for answer, want in zip(given, expected, strict=True)
    )
    for name, indexes, ok in OVERFITTING_BEHAVIOURS:
        wrong = [i for i in indexes if given[i] != expected[i]]
        fix = ""
        if wrong:
            i = wrong[0]
            fix = (
                f"for val_loss {HISTORIES[i]['val_loss']} you returned {given[i]}, expected "
                f"{expected[i]}: the epoch of the lowest val_loss (first on ties), or None if no "
                "later epoch is worse."
            )
        elif not finds_one:
            fix = "it never returned the epoch where validation loss turns up."
        result.check(name, not wrong and finds_one, ok, fix)
    differ = [i for i in range(len(HISTORIES)) if from_history[i] != given[i]]
    history_fix = (
        f"given a History with val_loss {HISTORIES[differ[0]]['val_loss']} it returned "
        f"{from_history[differ[0]]}, but {given[differ[0]]} for the same numbers as a dict: "
        "read history.history when given a History."
        if differ
        else "it never returned the epoch where validation loss turns up."
    )
    result.check(
        "History input",
        not differ and finds_one,
        "gives the same answers for a History as for its .history dict",
        history_fix,
    )
    return result


def _best_epoch(val_loss: list[float]) -> int | None:
    best = int(np.argmin(val_loss))
    return best if any(v > val_loss[best] for v in val_loss[best + 1 :]) else None
