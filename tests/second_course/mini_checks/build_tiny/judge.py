"""Judge of build_tiny: a Keras model that takes 3 numbers and has one Dense unit."""

from __future__ import annotations

from autograder.checks.context import JudgeContext
from autograder.checks.explain import explain_error
from autograder.checks.result import ExerciseResult

from .record import Record

SUBCHECKS = {"input of 3 values": 1, "one Dense unit": 1}


def judge(record: Record, ctx: JudgeContext, result: ExerciseResult) -> ExerciseResult:
    if record.error:
        return result.fail_all(explain_error("build_tiny", record.error))
    model = record.model
    if model is None or not model.is_model:
        kind = model.type if model else "nothing"
        return result.fail_all(f"build_tiny returned {kind}, not a Keras model.")
    result.check(
        "input of 3 values",
        model.input_shape == [None, 3],
        "the model takes 3 numbers",
        f"the input shape is {model.input_shape}: start with tf.keras.Input(shape=(3,)).",
    )
    dense = [layer for layer in model.layers if layer.layer_class == "Dense"]
    result.check(
        "one Dense unit",
        len(dense) == 1 and dense[0].units == 1,
        "one Dense layer with one unit",
        "the model needs exactly one Dense layer of 1 unit: tf.keras.layers.Dense(1).",
    )
    return result
