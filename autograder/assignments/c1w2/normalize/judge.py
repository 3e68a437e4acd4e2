"""Judge of normalize: pixel / 255 as floats of the same shape, the input left alone."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.checks.answers import why_no_main_answer
from autograder.checks.context import JudgeContext, UnreadableOutput
from autograder.checks.explain import explain_error
from autograder.checks.result import ExerciseResult
from autograder.samples import normalize_inputs

from .record import NormalizeCall, Record

# Each sub-check's share of the exercise's points (course.yaml sets the points).
SUBCHECKS = {"same shape": 2, "floating point": 2, "scaled to 0-1": 4, "input unchanged": 2}


def _diagnose_scaling(values: np.ndarray, expected: np.ndarray) -> str:
    top = float(np.max(values)) if values.size else 0.0
    if top > 2:
        return f"the largest value is {top:g}: the pixels were not scaled; divide by 255.0."
    if set(np.unique(values).tolist()) <= {0.0, 1.0}:
        return (
            "every value is 0 or 1: integer arithmetic dropped the fractions (`//`, or "
            "writing results back into the uint8 array); return `images / 255.0`."
        )
    if np.allclose(values, expected * 255 / 256, atol=1e-6):
        return "the largest value is 0.996, not 1.0: divide by 255 (the largest pixel), not 256."
    if float(np.min(values)) < -0.5:
        return "values run from -1 to 1; this exercise scales to 0-1: divide by 255.0 only."
    return "values differ from pixel / 255 (a pixel of 255 must become 1.0, 0 stay 0.0)."


def judge(record: Record, ctx: JudgeContext, result: ExerciseResult) -> ExerciseResult:
    """Scaled pixel/255 as floats of the same shape, the input left alone: on every input."""
    inputs = normalize_inputs(ctx.assignment.seed)
    why = why_no_main_answer("normalize", record, len(inputs), ctx)
    if why:
        return result.fail_all(why)
    entries = record.inputs
    pairs = zip(inputs, entries, strict=True)
    seen = [_normalized(entry, images, ctx) for (_, images), entry in pairs]
    name_of = [name for name, _ in inputs]
    main_values = seen[0][0]
    if main_values.shape == inputs[0][1].shape and np.array_equal(main_values, inputs[0][1]):
        return result.fail_all(
            "normalize returned the pixel values unchanged (0-255): divide them by 255.0."
        )

    def first_failing(test) -> tuple[str, np.ndarray, np.ndarray, tuple] | None:
        for name, (_, images), (values, after, error) in zip(name_of, inputs, seen, strict=True):
            if not test(values, images, after, error):
                return name, values, images, error
        return None

    shape_bad = first_failing(lambda v, i, a, e: e is not None or v.shape == i.shape)
    result.check(
        "same shape",
        shape_bad is None,
        "the shape of what it is given is kept",
        ""
        if shape_bad is None
        else f"given {shape_bad[0]} of shape {shape_bad[2].shape}, "
        f"it returned shape {shape_bad[1].shape}: scale, don't reshape.",
    )
    float_bad = first_failing(lambda v, i, a, e: e is not None or _floating(v))
    result.check(
        "floating point",
        float_bad is None,
        "values are floating point",
        ""
        if float_bad is None
        else f"given {float_bad[0]}, values are {float_bad[1].dtype}, "
        "not floating point: integer types cannot hold 0.5; use true division `/ 255.0`.",
    )
    scaled_bad = first_failing(
        lambda v, i, a, e: e is None and v.shape == i.shape and _close(v, i / 255.0)
    )
    result.check(
        "scaled to 0-1",
        scaled_bad is None,
        "pixel values 0-255 become 0.0-1.0, whatever the dtype and shape",
        "" if scaled_bad is None else _scaling_fix(*scaled_bad),
    )
    kept_bad = first_failing(lambda v, i, a, e: e is not None or np.array_equal(a, i))
    result.check(
        "input unchanged",
        kept_bad is None,
        "the array passed in is left unchanged",
        ""
        if kept_bad is None
        else f"given {kept_bad[0]}, normalize changed the array it was "
        "given (in place, e.g. `images /= 255`): return a new array, `images / 255.0`, so the "
        "caller's data stays raw.",
    )
    return result


def _normalized(entry: NormalizeCall, images: np.ndarray, ctx: JudgeContext) -> tuple:
    """(values returned, the input afterwards, the error) for one input; unreadable -> empty."""
    if entry.error:
        return np.zeros(0), images, entry.error
    try:
        values = ctx.array(entry.returned)
    except UnreadableOutput:
        return np.zeros(0), images, {"type": "NotAnArray", "message": "not an array"}
    try:
        after = ctx.array(entry.input_after)
    except UnreadableOutput:
        after = np.zeros(0)
    return values, after, None


def _floating(values: np.ndarray) -> bool:
    return bool(values.size) and np.issubdtype(values.dtype, np.floating)


def _close(values: np.ndarray, expected: np.ndarray) -> bool:
    try:
        return bool(np.allclose(values.astype(np.float64), expected, atol=1e-6))
    except (TypeError, ValueError):
        return False


def _scaling_fix(name: str, values: np.ndarray, images: np.ndarray, error: Any) -> str:
    if error is not None:
        return explain_error(f"normalize, given {name},", error)
    if values.shape != images.shape:
        return f"given {name}, the values cannot be compared with pixel / 255: the shape changed."
    return f"given {name}: " + _diagnose_scaling(values.astype(np.float64), images / 255.0)
