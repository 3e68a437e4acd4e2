"""Judges of Part 1: normalize, build_model, compile_model, predict_labels."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.checks.context import JudgeContext, UnreadableOutput
from autograder.checks.explain import explain_error
from autograder.checks.inputs import HIDDEN_UNITS_PROBE
from autograder.checks.result import ExerciseResult
from autograder.samples import pixel_images


def _returned_nothing(name: str, described: Any) -> str:
    kind = described.get("type") if isinstance(described, dict) else "something unreadable"
    if kind == "NoneType":
        return f"{name} returned None: did you forget `return`?"
    return f"{name} returned a {kind}, which is not an array of numbers."


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


def judge_normalize(data: dict, ctx: JudgeContext) -> ExerciseResult:
    """Shape, floating type, values pixel/255, and the input left alone."""
    result = ExerciseResult("normalize", 10)
    if data.get("error"):
        return result.fail_all(explain_error("normalize", data["error"]))
    try:
        values = ctx.array(data.get("returned"))
    except UnreadableOutput:
        return result.fail_all(_returned_nothing("normalize", data.get("returned")))
    images = pixel_images(ctx.assignment.seed)
    expected = images / 255.0
    result.add(
        "same shape",
        2,
        values.shape == images.shape,
        f"the shape {images.shape} is kept",
        f"the shape changed from {images.shape} to {values.shape}: scale, don't reshape.",
    )
    floating = np.issubdtype(values.dtype, np.floating)
    result.add(
        "floating point",
        2,
        floating,
        f"values are floating point ({values.dtype})",
        f"values are {values.dtype}, not floating point: integer types cannot hold 0.5; "
        "use true division `/ 255.0`.",
    )
    correct = values.shape == images.shape and np.allclose(values, expected, atol=1e-6)
    result.add(
        "scaled to 0-1",
        4,
        bool(correct),
        "pixel values 0-255 become 0.0-1.0",
        _diagnose_scaling(values, expected)
        if values.shape == images.shape
        else "values cannot be compared with pixel / 255 because the shape changed.",
    )
    try:
        unchanged = np.array_equal(ctx.array(data.get("input_after")), images)
    except UnreadableOutput:
        unchanged = False
    result.add(
        "input unchanged",
        2,
        unchanged,
        "the array passed in is left unchanged",
        "normalize changed the array it was given (in place, e.g. `images /= 255`): "
        "return a new array, `images / 255.0`, so the caller's data stays raw.",
    )
    return result


def _dense_layers(model: dict) -> list[dict]:
    return [layer for layer in model.get("layers", []) if layer.get("class") == "Dense"]


def judge_build_model(data: dict, ctx: JudgeContext) -> ExerciseResult:
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
    result.add(
        "hidden relu",
        2,
        hidden is not None and hidden.get("activation") == "relu",
        "the hidden layer uses relu",
        "the hidden layer is missing."
        if hidden is None
        else f"the hidden layer's activation is {hidden.get('activation')}: use "
        "activation='relu' (without it, stacked Dense layers are just one linear map).",
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
    out_activation = output.get("activation") if output else None
    result.add(
        "output softmax",
        2,
        out_activation == "softmax",
        "the output uses softmax: 10 probabilities that sum to 1",
        f"the output activation is {out_activation}: use activation='softmax' so the 10 "
        "outputs are class probabilities (and sparse_categorical_crossentropy gets them).",
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


LOSS_ADVICE = {
    "categorical_crossentropy": "loss is categorical_crossentropy, which expects one-hot labels; "
    "these labels are integers 0-9: use sparse_categorical_crossentropy.",
    "mean_squared_error": "loss is mean squared error, which treats class numbers as quantities "
    "(a 9 is not 'more' than a 3): use sparse_categorical_crossentropy.",
    "binary_crossentropy": "loss is binary_crossentropy, for two classes: Fashion-MNIST has 10 "
    "integer classes, use sparse_categorical_crossentropy.",
}
ACCURACY_NAMES = {"accuracy", "acc", "sparse_categorical_accuracy"}


def judge_compile_model(data: dict, ctx: JudgeContext) -> ExerciseResult:
    """Adam, sparse categorical cross-entropy, accuracy, and the same model returned."""
    result = ExerciseResult("compile_model", 10)
    if data.get("error"):
        return result.fail_all(explain_error("compile_model", data["error"]))
    if not data.get("compiled"):
        return result.fail_all(
            "the model is not compiled after compile_model: call model.compile(optimizer=..., "
            "loss=..., metrics=[...])."
        )
    result.add(
        "returns the model",
        1,
        data.get("returned_same") is True,
        "returns the model it compiled",
        "compile_model did not return the model it was given: model.compile returns None, "
        "so end with `return model`.",
    )
    optimizer = str(data.get("optimizer", "")).lower()
    result.add(
        "optimizer",
        3,
        optimizer == "adam",
        "optimizer is Adam",
        f"the optimizer is {data.get('optimizer')}: use optimizer='adam'.",
    )
    loss = str(data.get("loss")).lower()
    if loss in ("mse", "mean_squared_error"):
        loss = "mean_squared_error"
    loss_ok = loss == "sparse_categorical_crossentropy" and not data.get("from_logits")
    if data.get("from_logits") and loss == "sparse_categorical_crossentropy":
        loss_fix = (
            "the loss has from_logits=True, but the model already ends in softmax: "
            "use the plain 'sparse_categorical_crossentropy'."
        )
    else:
        loss_fix = LOSS_ADVICE.get(
            loss, f"the loss is {data.get('loss')}: use loss='sparse_categorical_crossentropy'."
        )
    result.add(
        "loss", 4, loss_ok, "loss is sparse categorical cross-entropy (integer labels)", loss_fix
    )
    metrics = [str(name).lower() for name in data.get("metrics") or []]
    result.add(
        "accuracy metric",
        2,
        bool(ACCURACY_NAMES & set(metrics)),
        "accuracy is reported while training",
        f"the metrics are {metrics or 'none'}: pass metrics=['accuracy'] so fit reports "
        "accuracy (the callback reads it).",
    )
    return result


def judge_predict_labels(data: dict, ctx: JudgeContext) -> ExerciseResult:
    """Integer class indices of shape (n,), equal to the argmax of the model's output."""
    result = ExerciseResult("predict_labels", 10)
    if data.get("error"):
        return result.fail_all(explain_error("predict_labels", data["error"]))
    expected = ctx.references.predicted_labels
    try:
        values = ctx.array(data.get("returned"))
    except UnreadableOutput:
        return result.fail_all(_returned_nothing("predict_labels", data.get("returned")))
    n = len(expected)
    if values.shape == (n, 10):
        shape_fix = (
            f"returned shape {values.shape}: those are the 10 class probabilities of "
            "each image; take np.argmax(probabilities, axis=1)."
        )
    elif values.shape == (10,):
        shape_fix = (
            "returned shape (10,): argmax ran over axis 0 (across images); use "
            "axis=1 (across the classes of each image)."
        )
    else:
        shape_fix = f"returned shape {values.shape}, not ({n},): one label per image."
    result.add("one label per image", 3, values.shape == (n,), f"shape ({n},)", shape_fix)
    integer = np.issubdtype(values.dtype, np.integer)
    result.add(
        "integer labels",
        2,
        integer,
        "labels are integers",
        f"labels are {values.dtype}: return class indices as integers (np.argmax gives them).",
    )
    agree = float(np.mean(values == expected)) if values.shape == (n,) and integer else 0.0
    result.add(
        "most probable class",
        5,
        agree >= 0.98,
        "each label is the most probable class",
        f"only {agree:.0%} of the labels are the model's most probable class: use "
        "np.argmax(model.predict(images), axis=1).",
    )
    return result
