"""Judge of normalization_effect."""

from __future__ import annotations

from typing import Any

from autograder.checks.answers import unplain
from autograder.checks.context import JudgeContext
from autograder.checks.explain import explain_error
from autograder.checks.inputs import NORMALIZATION_EFFECT_DEFAULTS
from autograder.checks.result import ExerciseResult

from .record import Record

# Each sub-check's share of the exercise's points (course.yaml sets the points).
SUBCHECKS = {"two accuracies": 1, "normalization helps": 1}


def _epochs_of(fits: list[int]) -> str:
    if not fits:
        return "no"
    return " and ".join(str(epochs) for epochs in fits)


def _shown(value: Any) -> str:
    """A value as feedback shows it: numbers and sequences plainly, anything else by kind."""
    if isinstance(value, list):
        return "(" + ", ".join(_shown(item) for item in value) + ")"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def judge(record: Record, ctx: JudgeContext, result: ExerciseResult) -> ExerciseResult:
    """A pair of accuracies in 0-1 with the template's defaults; normalized clearly better,
    each model trained for the epochs asked."""
    if record.error:
        return result.fail_all(explain_error("normalization_effect", record.error))
    value = unplain(record.value)
    pair = (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in value)
    )
    given = record.defaults
    wrong_default = next(
        (k for k, v in NORMALIZATION_EFFECT_DEFAULTS.items() if unplain(given.get(k)) != v), None
    )
    pair_fix = (
        f"the default of {wrong_default} is {unplain(given.get(wrong_default))}, not "
        f"{NORMALIZATION_EFFECT_DEFAULTS[wrong_default]}: keep the template's signature."
        if pair and wrong_default
        else f"returned {_shown(value)}: return a pair of final training accuracies, "
        "(history.history['accuracy'][-1] for each model)."
    )
    result.check(
        "two accuracies",
        pair and wrong_default is None,
        "returns (accuracy_normalized, accuracy_raw), both between 0 and 1",
        pair_fix,
    )
    fits = record.fits
    trained_asked = len(fits) == 2 and all(f == 1 for f in fits)
    margin = ctx.assignment.checks.normalization_margin
    better = pair and value[0] - value[1] >= margin and trained_asked
    fix = "no pair of accuracies to compare."
    if pair and not trained_asked:
        fix = (
            f"asked for epochs=1, its fits ran {_epochs_of(fits)} epochs: train each of the two "
            "models "
            "for `epochs` epochs (pass epochs=epochs to fit)."
        )
    elif pair:
        fix = (
            f"normalized accuracy {value[0]:.3f} is not clearly above raw {value[1]:.3f}: "
            "train one model on normalize(images) and one on the raw images, each after "
            "tf.keras.utils.set_random_seed(seed), and return (normalized, raw) in that order."
        )
    result.check(
        "normalization helps",
        bool(better),
        f"normalized pixels train better ({value[0]:.3f} vs {value[1]:.3f})" if pair else "",
        fix,
    )
    return result
