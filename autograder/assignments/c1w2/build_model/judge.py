"""Judge of build_model."""

from __future__ import annotations

import numpy as np

from autograder.checks import activations
from autograder.checks.context import JudgeContext
from autograder.checks.explain import explain_error
from autograder.checks.inputs import HIDDEN_UNITS_PROBE
from autograder.checks.result import ExerciseResult
from autograder.records import Layer, ModelDescription
from autograder.samples import ACTIVATION_INPUT as LOGITS

from .record import Build, Record

# Each sub-check's share of the exercise's points (course.yaml sets the points).
SUBCHECKS = {
    "Sequential": 2,
    "not compiled": 1,
    "input shape": 3,
    "Flatten first": 3,
    "hidden units": 2,
    "hidden relu": 2,
    "output units": 2,
    "output softmax": 2,
    "three layers": 1,
    "uses hidden_units": 2,
}


def _dense_layers(model: ModelDescription) -> list[Layer]:
    return [layer for layer in model.layers if layer.layer_class == "Dense"]


def _output_behaviour(model: ModelDescription, output: Layer | None) -> np.ndarray | None:
    """What the model does after the output Dense's weights: its activation, or, if that is
    linear, a parameter-free layer after it (an Activation or Softmax layer)."""
    if output is None:
        return None
    does = activations.outputs(output.activation_does, LOGITS.shape)
    if does is not None and not np.allclose(does, LOGITS, atol=activations.TOLERANCE):
        return does
    layers = model.layers
    after = layers[layers.index(output) + 1 :]
    for layer in after:
        layer_does = layer.activation_does if layer.activation is not None else layer.layer_does
        values = activations.outputs(layer_does, LOGITS.shape)
        if values is not None:
            return values
    return does


def judge(record: Record, ctx: JudgeContext, result: ExerciseResult) -> ExerciseResult:
    """Sequential, uncompiled, input (28, 28), Flatten, Dense relu, Dense(10) softmax, units."""
    if record.error:
        return result.fail_all(explain_error("build_model", record.error))
    default, custom = (record.builds + [Build(), Build()])[:2]
    if default.error:
        return result.fail_all(explain_error("build_model()", default.error))
    model = default.model or ModelDescription(type="value")
    if not model.is_model:
        return result.fail_all(
            f"build_model returned a {model.type}, not a Keras model: "
            "return the tf.keras.Sequential you built."
        )
    if not model.layers:
        return result.fail_all(
            "build_model returned a model with no layers: add Flatten and the two Dense layers."
        )
    result.check(
        "Sequential",
        model.is_sequential,
        "the model is a tf.keras.Sequential",
        f"the model is a {model.type}: build it as tf.keras.Sequential([...]).",
    )
    result.check(
        "not compiled",
        not model.compiled,
        "the model is returned uncompiled",
        "build_model compiled the model: leave compiling to compile_model.",
    )
    shape = model.input_shape
    result.check(
        "input shape",
        shape == [None, 28, 28],
        "input shape is (28, 28): one 28x28 image",
        "the model has no input shape: start with tf.keras.Input(shape=(28, 28))."
        if shape is None
        else f"the input shape is {tuple(shape[1:])}, not (28, 28): "
        "declare tf.keras.Input(shape=(28, 28)), the size of one image.",
    )
    kinds = [layer.layer_class for layer in model.layers]
    flatten_first = bool(kinds) and kinds[0] == "Flatten"
    if "Flatten" not in kinds:
        flatten_fix = (
            "there is no Flatten layer: Dense then works on each 28-pixel row separately and "
            "the model outputs (None, 28, 10) instead of one prediction per image; "
            "add tf.keras.layers.Flatten() before the Dense layers."
        )
    else:
        flatten_fix = f"Flatten must come first, before any Dense layer (layers are {kinds})."
    result.check(
        "Flatten first", flatten_first, "Flatten turns each image into 784 numbers", flatten_fix
    )
    dense = _dense_layers(model)
    hidden = dense[0] if len(dense) >= 2 else None
    output = dense[-1] if dense else None
    result.check(
        "hidden units",
        hidden is not None and hidden.units == 128,
        "the hidden Dense layer has 128 units",
        "there is no hidden Dense layer between Flatten and the output."
        if hidden is None
        else f"the hidden Dense layer has {hidden.units} units; build_model() must "
        "give it hidden_units=128 units.",
    )
    hidden_does = activations.outputs(hidden.activation_does if hidden else None, LOGITS.shape)
    result.check(
        "hidden relu",
        hidden is not None and activations.is_relu(LOGITS, hidden_does),
        "the hidden layer uses relu: negatives become 0, positives pass unchanged",
        "the hidden layer is missing."
        if hidden is None
        else f"the hidden layer's activation behaves like "
        f"{activations.looks_like(LOGITS, hidden_does)}: use activation='relu' (without it, "
        "stacked Dense layers are just one linear map).",
    )
    out_units = output.units if output else None
    result.check(
        "output units",
        out_units == 10,
        "the output layer has 10 units, one per class",
        f"the output layer has {out_units} units but Fashion-MNIST has 10 classes: "
        "use Dense(10, ...).",
    )
    output_does = _output_behaviour(model, output)
    result.check(
        "output softmax",
        output is not None and activations.is_probability(LOGITS, output_does),
        "the output uses softmax: 10 probabilities that sum to 1",
        "there is no output layer."
        if output is None
        else f"the output activation behaves like {activations.looks_like(LOGITS, output_does)}, "
        "so the 10 outputs are not class probabilities: use activation='softmax' (they must be "
        "non-negative and sum to 1 for sparse_categorical_crossentropy).",
    )
    result.check(
        "three layers",
        kinds == ["Flatten", "Dense", "Dense"],
        "exactly Flatten, Dense, Dense",
        f"the layers are {kinds}: the course model is exactly Flatten, Dense, Dense.",
    )
    custom_model = custom.model
    custom_dense = _dense_layers(custom_model) if custom_model and custom_model.is_model else []
    custom_units = custom_dense[0].units if len(custom_dense) >= 2 else None
    result.check(
        "uses hidden_units",
        custom_units == HIDDEN_UNITS_PROBE,
        "build_model(hidden_units) sets the hidden layer's size",
        explain_error(f"build_model({HIDDEN_UNITS_PROBE})", custom.error)
        if custom.error
        else f"build_model({HIDDEN_UNITS_PROBE}) built a hidden layer of {custom_units} units: "
        "use the hidden_units argument, not a fixed number.",
    )
    return result
