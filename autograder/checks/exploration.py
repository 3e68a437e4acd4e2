"""Judges of the exploration exercises, on inputs the student has not seen."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.checks.context import JudgeContext
from autograder.checks.explain import explain_error
from autograder.checks.inputs import (
    COUNT_PARAMS_UNITS,
    FLATTEN_UNITS,
    HISTORIES,
    LABEL_SETS,
    NORMALIZATION_EFFECT_DEFAULTS,
)
from autograder.checks.result import ExerciseResult


def unplain(value: Any) -> Any:
    """Undo probe.harness.plain: ``{"int": 3}`` -> 3, ``{"tuple": [...]}`` -> tuple."""
    if not isinstance(value, dict):
        return value
    if "int" in value:
        return int(value["int"])
    if "float" in value:
        return float(value["float"])
    if "bool" in value:
        return bool(value["bool"])
    if "tuple" in value or "list" in value:
        items = value.get("tuple", value.get("list"))
        return [unplain(item) for item in items] if isinstance(items, list) else None
    return f"<{value.get('other', 'value')}>"


def _epochs_of(fits: Any) -> str:
    if not isinstance(fits, list) or not fits:
        return "no"
    return " and ".join(str(epochs) for epochs in fits)


def _shown(value: Any) -> str:
    """A value as feedback shows it: numbers and sequences plainly, anything else by kind."""
    if isinstance(value, list):
        return "(" + ", ".join(_shown(item) for item in value) + ")"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _answers(data: dict, name: str, count: int) -> tuple[list[Any] | None, str]:
    if data.get("error"):
        return None, explain_error(name, data["error"])
    answers = data.get("answers") or []
    if len(answers) != count:
        return None, f"{name} could not be called on every input."
    for answer in answers:
        if answer.get("error"):
            return None, explain_error(name, answer["error"])
    return [unplain(answer.get("value")) for answer in answers], ""


def expected_params(units: int) -> int:
    """784 inputs to each hidden unit plus a bias, then units*10 weights and 10 biases."""
    return 28 * 28 * units + units + units * 10 + 10


def judge_count_params(data: dict, ctx: JudgeContext) -> ExerciseResult:
    result = ExerciseResult("count_params", 2)
    answers, why = _answers(data, "count_params", len(COUNT_PARAMS_UNITS))
    if answers is None:
        return result.fail_all(why)
    expected = [expected_params(units) for units in COUNT_PARAMS_UNITS]
    wrong = [
        (u, a, e) for u, a, e in zip(COUNT_PARAMS_UNITS, answers, expected, strict=True) if a != e
    ]
    result.add(
        "128 units",
        1,
        answers[0] == expected[0],
        f"count_params(128) = {expected[0]}",
        _params_fix(answers, wrong),
    )
    result.add(
        "any size",
        1,
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


def judge_shape_without_flatten(data: dict, ctx: JudgeContext) -> ExerciseResult:
    result = ExerciseResult("shape_without_flatten", 2)
    answers, why = _answers(data, "shape_without_flatten", len(FLATTEN_UNITS))
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
        result.add(
            f"hidden_units={units}",
            1,
            shape == [None, 28, 10],
            f"without Flatten the output is (None, 28, 10) for {units} units",
            fix,
        )
    return result


def judge_output_units_needed(data: dict, ctx: JudgeContext) -> ExerciseResult:
    result = ExerciseResult("output_units_needed", 2)
    answers, why = _answers(data, "output_units_needed", len(LABEL_SETS))
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
    result.add(
        "Fashion-MNIST labels", 1, answers[0] == expected[0], "labels 0-9 need 10 output units", fix
    )
    result.add("unseen labels", 1, not wrong, "the largest label + 1, whatever the labels", fix)
    return result


# The behaviours overfitting_epoch shows, each on the HISTORIES that show it (by index).
OVERFITTING_BEHAVIOURS = (
    ("lowest val_loss", (0, 4), "the epoch of the lowest val_loss once a later one is worse"),
    ("None without overfitting", (1, 3), "returns None when no later epoch is worse"),
    ("first on ties", (2,), "returns the first of tied lowest epochs"),
)


def judge_overfitting_epoch(data: dict, ctx: JudgeContext) -> ExerciseResult:
    """Each behaviour on the histories that show it, given as dicts; History input as dicts."""
    result = ExerciseResult("overfitting_epoch", 2)
    answers, why = _answers(data, "overfitting_epoch", 2 * len(HISTORIES))
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
        result.add(name, 0.5, not wrong and finds_one, ok, fix)
    differ = [i for i in range(len(HISTORIES)) if from_history[i] != given[i]]
    history_fix = (
        f"given a History with val_loss {HISTORIES[differ[0]]['val_loss']} it returned "
        f"{from_history[differ[0]]}, but {given[differ[0]]} for the same numbers as a dict: "
        "read history.history when given a History."
        if differ
        else "it never returned the epoch where validation loss turns up."
    )
    result.add(
        "History input",
        0.5,
        not differ and finds_one,
        "gives the same answers for a History as for its .history dict",
        history_fix,
    )
    return result


def _best_epoch(val_loss: list[float]) -> int | None:
    best = int(np.argmin(val_loss))
    return best if any(v > val_loss[best] for v in val_loss[best + 1 :]) else None


def judge_normalization_effect(data: dict, ctx: JudgeContext) -> ExerciseResult:
    result = ExerciseResult("normalization_effect", 2)
    if data.get("error"):
        return result.fail_all(explain_error("normalization_effect", data["error"]))
    value = unplain(data.get("value"))
    pair = (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in value)
    )
    given = data.get("defaults") or {}
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
    result.add(
        "two accuracies",
        1,
        pair and wrong_default is None,
        "returns (accuracy_normalized, accuracy_raw), both between 0 and 1",
        pair_fix,
    )
    fits = data.get("fits")
    trained_asked = isinstance(fits, list) and len(fits) == 2 and all(f == 1 for f in fits)
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
    result.add(
        "normalization helps",
        1,
        bool(better),
        f"normalized pixels train better ({value[0]:.3f} vs {value[1]:.3f})" if pair else "",
        fix,
    )
    return result
