"""Judge of build_model."""

from __future__ import annotations

import numpy as np

from autograder.checks import activations
from autograder.checks.context import JudgeContext
from autograder.checks.explain import explain_error
from autograder.checks.inputs import HIDDEN_UNITS_PROBE
from autograder.checks.result import ExerciseResult
from autograder.samples import ACTIVATION_INPUT as LOGITS


def _dense_layers(model: dict) -> list[dict]:
    return [layer for layer in model.get("layers", []) if layer.get("class") == "Dense"]


def _output_behaviour(model: dict, output: dict | None) -> np.ndarray | None:
    """What the model does after the output Dense's weights: its activation, or, if that is
    linear, a parameter-free layer after it (an Activation or Softmax layer)."""
    if output is None:
        return None
    does = activations.outputs(output.get("activation_does"), LOGITS.shape)
    if does is not None and not np.allclose(does, LOGITS, atol=activations.TOLERANCE):
        return does
    layers = model.get("layers", [])
    after = layers[layers.index(output) + 1 :]
    for layer in after:
        layer_does = layer.get("activation_does", layer.get("layer_does"))
        values = activations.outputs(layer_does, LOGITS.shape)
        if values is not None:
            return values
    return does


def judge(data: dict, ctx: JudgeContext) -> ExerciseResult:
    """Sequential, uncompiled, input (28, 28), Flatten, Dense relu, Dense(10) softmax, units."""
    result = ExerciseResult("build_model", 20)
    if data.get("error"):
        return result.fail_all(explain_error("build_model", data["error"]))
    default, custom = (data.get("builds") or [{}, {}])[:2]
    if default.get("error"):
        return result.fail_all(explain_error("build_model()", default["error"]))
    model = default.get("model") or {}
    if not model.get("is_model"):
        return result.fail_all(
            f"build_model returned a {model.get('type', 'value')}, not a Keras model: "
            "return the tf.keras.Sequential you built."
        )
    if not model.get("layers"):
        return result.fail_all(
            "build_model returned a model with no layers: add Flatten and the two Dense layers."
        )
    result.add(
        "Sequential",
        2,
        bool(model.get("is_sequential")),
        "the model is a tf.keras.Sequential",
        f"the model is a {model.get('type')}: build it as tf.keras.Sequential([...]).",
    )
    result.add(
        "not compiled",
        1,
        not model.get("compiled"),
        "the model is returned uncompiled",
        "build_model compiled the model: leave compiling to compile_model.",
    )
    shape = model.get("input_shape")
    result.add(
        "input shape",
        3,
        shape == [None, 28, 28],
        "input shape is (28, 28): one 28x28 image",
        "the model has no input shape: start with tf.keras.Input(shape=(28, 28))."
        if shape is None
        else f"the input shape is {tuple(shape[1:])}, not (28, 28): "
        "declare tf.keras.Input(shape=(28, 28)), the size of one image.",
    )
    layers = model.get("layers", [])
    kinds = [layer.get("class") for layer in layers]
    flatten_first = bool(kinds) and kinds[0] == "Flatten"
    if "Flatten" not in kinds:
        flatten_fix = (
            "there is no Flatten layer: Dense then works on each 28-pixel row separately and "
            "the model outputs (None, 28, 10) instead of one prediction per image; "
            "add tf.keras.layers.Flatten() before the Dense layers."
        )
    else:
        flatten_fix = f"Flatten must come first, before any Dense layer (layers are {kinds})."
    result.add(
        "Flatten first", 3, flatten_first, "Flatten turns each image into 784 numbers", flatten_fix
    )
    dense = _dense_layers(model)
    hidden = dense[0] if len(dense) >= 2 else None
    output = dense[-1] if dense else None
    result.add(
        "hidden units",
        2,
        hidden is not None and hidden.get("units") == 128,
        "the hidden Dense layer has 128 units",
        "there is no hidden Dense layer between Flatten and the output."
        if hidden is None
        else f"the hidden Dense layer has {hidden.get('units')} units; build_model() must "
        "give it hidden_units=128 units.",
    )
    hidden_does = activations.outputs((hidden or {}).get("activation_does"), LOGITS.shape)
    result.add(
        "hidden relu",
        2,
        hidden is not None and activations.is_relu(LOGITS, hidden_does),
        "the hidden layer uses relu: negatives become 0, positives pass unchanged",
        "the hidden layer is missing."
        if hidden is None
        else f"the hidden layer's activation behaves like "
        f"{activations.looks_like(LOGITS, hidden_does)}: use activation='relu' (without it, "
        "stacked Dense layers are just one linear map).",
    )
    out_units = output.get("units") if output else None
    result.add(
        "output units",
        2,
        out_units == 10,
        "the output layer has 10 units, one per class",
        f"the output layer has {out_units} units but Fashion-MNIST has 10 classes: "
        "use Dense(10, ...).",
    )
    output_does = _output_behaviour(model, output)
    result.add(
        "output softmax",
        2,
        output is not None and activations.is_probability(LOGITS, output_does),
        "the output uses softmax: 10 probabilities that sum to 1",
        "there is no output layer."
        if output is None
        else f"the output activation behaves like {activations.looks_like(LOGITS, output_does)}, "
        "so the 10 outputs are not class probabilities: use activation='softmax' (they must be "
        "non-negative and sum to 1 for sparse_categorical_crossentropy).",
    )
    result.add(
        "three layers",
        1,
        kinds == ["Flatten", "Dense", "Dense"],
        "exactly Flatten, Dense, Dense",
        f"the layers are {kinds}: the course model is exactly Flatten, Dense, Dense.",
    )
    custom_model = (custom or {}).get("model") or {}
    custom_dense = _dense_layers(custom_model) if custom_model.get("is_model") else []
    custom_units = custom_dense[0].get("units") if len(custom_dense) >= 2 else None
    result.add(
        "uses hidden_units",
        2,
        custom_units == HIDDEN_UNITS_PROBE,
        "build_model(hidden_units) sets the hidden layer's size",
        explain_error(f"build_model({HIDDEN_UNITS_PROBE})", custom["error"])
        if (custom or {}).get("error")
        else f"build_model({HIDDEN_UNITS_PROBE}) built a hidden layer of {custom_units} units: "
        "use the hidden_units argument, not a fixed number.",
    )
    return result
