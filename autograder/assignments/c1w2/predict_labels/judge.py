"""Judge of predict_labels: integer class indices, one per image, the model's argmax."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.checks.answers import returned_nothing, why_no_main_answer
from autograder.checks.context import JudgeContext, UnreadableOutput
from autograder.checks.explain import explain_error
from autograder.checks.result import ExerciseResult
from autograder.samples import PREDICT_INPUTS

from .record import PredictCall, Record

# Each sub-check's share of the exercise's points (course.yaml sets the points).
SUBCHECKS = {"one label per image": 3, "integer labels": 2, "most probable class": 5}


def judge(record: Record, ctx: JudgeContext, result: ExerciseResult) -> ExerciseResult:
    """Integer class indices, one per image, equal to the argmax of the model's output."""
    why = why_no_main_answer("predict_labels", record, len(PREDICT_INPUTS), ctx)
    if why:
        return result.fail_all(why)
    entries = record.inputs
    verdicts = [
        _labels_verdict(entry, name, ctx.references.predicted_labels[:count], ctx)
        for (name, count, _), entry in zip(PREDICT_INPUTS, entries, strict=True)
    ]
    if not any(verdict["predicts"] for verdict in verdicts):
        main_verdict = verdicts[0]
        if main_verdict["numeric_shape"]:
            return result.fail_all(
                f"only {main_verdict['agree']:.0%} of the labels are the model's most probable "
                "class: the labels must come from the model, "
                "np.argmax(model.predict(images), axis=1)."
            )
        return result.fail_all(main_verdict["shape_fix"])

    def first(key: str) -> dict | None:
        return next((verdict for verdict in verdicts if not verdict[key]), None)

    bad_shape, bad_type, bad_class = first("shape_ok"), first("integer"), first("right")
    result.check(
        "one label per image",
        bad_shape is None,
        "one label per image, shape (n,)",
        "" if bad_shape is None else bad_shape["shape_fix"],
    )
    result.check(
        "integer labels",
        bad_type is None,
        "labels are integers",
        ""
        if bad_type is None
        else f"given {bad_type['name']}, labels are "
        f"{bad_type['dtype']}: return class indices as integers (np.argmax gives them).",
    )
    result.check(
        "most probable class",
        bad_class is None,
        "each label is the most probable class",
        ""
        if bad_class is None
        else f"given {bad_class['name']}, only "
        f"{bad_class['agree']:.0%} of the labels are the model's most probable class: use "
        "np.argmax(model.predict(images), axis=1).",
    )
    return result


def _labels_verdict(
    entry: PredictCall, name: str, expected: np.ndarray, ctx: JudgeContext
) -> dict[str, Any]:
    """What one input's returned labels show: shape, integer type, agreement."""
    verdict = {"name": name, "shape_ok": False, "integer": False, "right": False, "agree": 0.0,
               "predicts": False, "dtype": None, "numeric_shape": False}  # fmt: skip
    n = len(expected)
    if entry.error:
        verdict["shape_fix"] = explain_error(f"predict_labels, given {name},", entry.error)
        return verdict
    try:
        values = ctx.array(entry.returned)
    except UnreadableOutput:
        returned = returned_nothing("predict_labels", entry.returned)
        verdict["shape_fix"] = f"given {name}, {returned}"
        return verdict
    verdict["dtype"] = str(values.dtype)
    if values.shape == (n, 10):
        verdict["shape_fix"] = (
            f"given {name}, it returned shape {values.shape}: those are the 10 class "
            "probabilities of each image; take np.argmax(probabilities, axis=1)."
        )
    elif values.shape == (10,) and n != 10:
        verdict["shape_fix"] = (
            f"given {name}, it returned shape (10,): argmax ran over axis 0 (across images); "
            "use axis=1 (across the classes of each image)."
        )
    else:
        verdict["shape_fix"] = (
            f"given {name}, it returned shape {values.shape}, not ({n},): one label per image."
        )
    numeric = np.issubdtype(values.dtype, np.number) and values.shape == (n,)
    agree = float(np.mean(values.astype(np.float64) == expected)) if numeric else 0.0
    verdict["agree"] = agree
    verdict["numeric_shape"] = bool(numeric)
    verdict["predicts"] = agree >= 0.5
    verdict["shape_ok"] = values.shape == (n,) and verdict["predicts"]
    verdict["integer"] = np.issubdtype(values.dtype, np.integer) and verdict["predicts"]
    verdict["right"] = agree >= 0.98 and verdict["integer"]
    return verdict
