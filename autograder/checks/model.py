"""Judges of Part 1: normalize, build_model, compile_model, predict_labels."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.checks import activations
from autograder.checks.context import JudgeContext, UnreadableOutput
from autograder.checks.explain import explain_error
from autograder.checks.inputs import HIDDEN_UNITS_PROBE
from autograder.checks.result import ExerciseResult
from autograder.samples import ACTIVATION_INPUT as LOGITS
from autograder.samples import (
    COMPILE_IMAGES,
    OPTIMIZER_GRADIENTS,
    OPTIMIZER_START,
    PREDICT_INPUTS,
    normalize_inputs,
)


def _returned_nothing(name: str, described: Any) -> str:
    kind = described.get("type") if isinstance(described, dict) else "something unreadable"
    if kind == "NoneType":
        return f"{name} returned None: did you forget `return`?"
    return f"{name} returned a {kind}, which is not an array of numbers."


def _why_no_main_answer(name: str, data: dict, count: int, ctx: JudgeContext) -> str:
    """Why the exercise earns nothing as a whole: no array back for the main (first) input of
    the ``count`` the probe tried, or ""."""
    if data.get("error"):
        return explain_error(name, data["error"])
    entries = data.get("inputs")
    if not isinstance(entries, list) or len(entries) != count:
        return f"{name} could not be called on every input."
    main = entries[0] if isinstance(entries[0], dict) else {}
    if main.get("error"):
        return explain_error(name, main["error"])
    try:
        ctx.array(main.get("returned"))
    except UnreadableOutput:
        return _returned_nothing(name, main.get("returned"))
    return ""


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
    """Scaled pixel/255 as floats of the same shape, the input left alone: on every input."""
    result = ExerciseResult("normalize", 10)
    inputs = normalize_inputs(ctx.assignment.seed)
    why = _why_no_main_answer("normalize", data, len(inputs), ctx)
    if why:
        return result.fail_all(why)
    entries = data["inputs"]
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
    result.add(
        "same shape",
        2,
        shape_bad is None,
        "the shape of what it is given is kept",
        ""
        if shape_bad is None
        else f"given {shape_bad[0]} of shape {shape_bad[2].shape}, "
        f"it returned shape {shape_bad[1].shape}: scale, don't reshape.",
    )
    float_bad = first_failing(lambda v, i, a, e: e is not None or _floating(v))
    result.add(
        "floating point",
        2,
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
    result.add(
        "scaled to 0-1",
        4,
        scaled_bad is None,
        "pixel values 0-255 become 0.0-1.0, whatever the dtype and shape",
        "" if scaled_bad is None else _scaling_fix(*scaled_bad),
    )
    kept_bad = first_failing(lambda v, i, a, e: e is not None or np.array_equal(a, i))
    result.add(
        "input unchanged",
        2,
        kept_bad is None,
        "the array passed in is left unchanged",
        ""
        if kept_bad is None
        else f"given {kept_bad[0]}, normalize changed the array it was "
        "given (in place, e.g. `images /= 255`): return a new array, `images / 255.0`, so the "
        "caller's data stays raw.",
    )
    return result


def _normalized(entry: Any, images: np.ndarray, ctx: JudgeContext) -> tuple:
    """(values returned, the input afterwards, the error) for one input; unreadable -> empty."""
    if not isinstance(entry, dict) or entry.get("error"):
        error = entry.get("error") if isinstance(entry, dict) else {"type": "Unreadable"}
        return np.zeros(0), images, error or {"type": "Unreadable"}
    try:
        values = ctx.array(entry.get("returned"))
    except UnreadableOutput:
        return np.zeros(0), images, {"type": "NotAnArray", "message": "not an array"}
    try:
        after = ctx.array(entry.get("input_after"))
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


LOSS_ADVICE = {
    "categorical_crossentropy": "the loss is categorical_crossentropy, which expects one-hot "
    "labels; these labels are integers 0-9: use sparse_categorical_crossentropy.",
    "mean_squared_error": "the loss is mean squared error, which treats class numbers as "
    "quantities (a 9 is not 'more' than a 3): use sparse_categorical_crossentropy.",
    "binary_crossentropy": "the loss is binary_crossentropy, for two classes: Fashion-MNIST has "
    "10 integer classes, use sparse_categorical_crossentropy.",
}
LOSS_NAMES = {"mse": "mean_squared_error", "categorical_crossentropy": "categorical_crossentropy"}
LOSS_TOLERANCE = 1e-3  # relative: Keras computes in float32 and clips probabilities at 1e-7
METRIC_KEY = "accuracy"  # the logs key ThresholdCallback and train_until read


def _sparse_crossentropy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    picked = np.clip(probabilities[np.arange(len(labels)), labels], 1e-7, 1.0)
    return float(np.mean(-np.log(picked)))


def _adam_steps(config: dict) -> np.ndarray | None:
    """Where Keras's Adam, with the hyperparameters the optimizer reports, takes the variable."""
    try:
        rate = float(config["learning_rate"])
        beta_1, beta_2 = float(config.get("beta_1", 0.9)), float(config.get("beta_2", 0.999))
        epsilon = float(config.get("epsilon", 1e-7))
        decay = float(config.get("weight_decay") or 0.0)
    except (KeyError, TypeError, ValueError):
        return None
    variable = np.array(OPTIMIZER_START, dtype=np.float64)
    m, v, v_max, steps = np.zeros(4), np.zeros(4), np.zeros(4), []
    for t, gradient in enumerate(np.array(OPTIMIZER_GRADIENTS, dtype=np.float64), start=1):
        variable = variable - variable * decay * rate
        m += (gradient - m) * (1 - beta_1)
        v += (gradient**2 - v) * (1 - beta_2)
        v_max = np.maximum(v_max, v)
        used = v_max if config.get("amsgrad") else v
        alpha = rate * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        variable = variable - alpha * m / (np.sqrt(used) + epsilon)
        steps.append(variable.copy())
    return np.array(steps)


def _is_adam(optimizer: Any) -> bool:
    if not isinstance(optimizer, dict) or optimizer.get("steps") is None:
        return False
    expected = _adam_steps(optimizer.get("config") or {})
    try:
        steps = np.asarray(optimizer["steps"], dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return (
        expected is not None
        and steps.shape == expected.shape
        and bool(np.allclose(steps, expected, rtol=1e-4, atol=1e-6))
    )


def judge_compile_model(data: dict, ctx: JudgeContext) -> ExerciseResult:
    """Behaves as Adam, as sparse categorical cross-entropy, logs `accuracy`; same model back."""
    result = ExerciseResult("compile_model", 10)
    if data.get("error"):
        return result.fail_all(explain_error("compile_model", data["error"]))
    if not data.get("compiled"):
        return result.fail_all(
            "the model is not compiled after compile_model: call model.compile(optimizer=..., "
            "loss=..., metrics=[...])."
        )
    names = data.get("names") or {}
    result.add(
        "returns the model",
        1,
        data.get("returned_same") is True,
        "returns the model it compiled",
        "compile_model did not return the model it was given: model.compile returns None, "
        "so end with `return model`.",
    )
    optimizer = data.get("optimizer") or {}
    result.add(
        "optimizer",
        3,
        _is_adam(optimizer),
        "the optimizer updates weights as Adam does",
        f"the optimizer is {optimizer.get('class') or names.get('optimizer')}, which does not "
        "update weights as Adam does: use optimizer='adam' (or tf.keras.optimizers.Adam()).",
    )
    evaluated = data.get("evaluated") or {}
    loss_ok, loss_fix = _loss_verdict(evaluated, names)
    result.add("loss", 4, loss_ok, "the loss is sparse categorical cross-entropy", loss_fix)
    metric_ok, metric_fix = _metric_verdict(evaluated, names)
    result.add("accuracy metric", 2, metric_ok, "fit and evaluate log 'accuracy'", metric_fix)
    return result


def _outputs_and_labels(evaluated: dict) -> tuple[np.ndarray, np.ndarray] | None:
    try:
        outputs = np.asarray(evaluated.get("outputs"), dtype=np.float64)
        labels = np.asarray(evaluated.get("labels"), dtype=np.int64)
    except (TypeError, ValueError):
        return None
    if outputs.shape != (COMPILE_IMAGES, 10) or labels.shape != (COMPILE_IMAGES,):
        return None
    return outputs, labels


def _loss_verdict(evaluated: dict, names: dict) -> tuple[bool, str]:
    """Whether the compiled loss gives sparse categorical cross-entropy's value, and why not."""
    name = LOSS_NAMES.get(str(names.get("loss")).lower(), str(names.get("loss")).lower())
    advice = LOSS_ADVICE.get(
        name,
        f"the loss {names.get('loss')} is not sparse categorical cross-entropy: "
        "use loss='sparse_categorical_crossentropy'.",
    )
    if evaluated.get("error"):
        why = explain_error("evaluating the compiled model", evaluated["error"])
        return False, f"{advice} ({why})"
    pair = _outputs_and_labels(evaluated)
    loss = (evaluated.get("logs") or {}).get("loss")
    if pair is None or not isinstance(loss, (int, float)):
        return False, "the model reports no loss: pass loss='sparse_categorical_crossentropy'."
    expected = _sparse_crossentropy(*pair)
    if abs(loss - expected) <= LOSS_TOLERANCE * max(1.0, expected):
        return True, ""
    outputs, labels = pair
    if abs(loss - _sparse_crossentropy(activations.KNOWN["softmax"](outputs), labels)) <= (
        LOSS_TOLERANCE * max(1.0, expected)
    ):
        return False, (
            "the loss has from_logits=True, but the model already ends in softmax: use the "
            "plain 'sparse_categorical_crossentropy'."
        )
    if name in LOSS_ADVICE:
        return False, advice
    return False, (
        f"on the grader's images the compiled loss is {loss:.3f}, where sparse categorical "
        f"cross-entropy is {expected:.3f}: use loss='sparse_categorical_crossentropy'."
    )


def _metric_verdict(evaluated: dict, names: dict) -> tuple[bool, str]:
    """Whether the logs hold 'accuracy' with the share of right predictions, and why not."""
    logs = evaluated.get("logs")
    if not isinstance(logs, dict):
        metrics = [str(name) for name in names.get("metrics") or []]
        if METRIC_KEY in metrics:
            return True, ""
        return False, (
            f"the metrics are {', '.join(metrics) or 'none'}: pass metrics=['accuracy'] so fit "
            "logs 'accuracy' (the callback reads it)."
        )
    others = sorted(key for key in logs if key != "loss")
    if METRIC_KEY not in logs:
        if others:
            return False, (
                f"fit logs {', '.join(others)}, not 'accuracy': ThresholdCallback and "
                "train_until read logs['accuracy'], so write metrics=['accuracy']."
            )
        return False, (
            "no metric is logged: pass metrics=['accuracy'] so fit reports accuracy (the "
            "callback reads it)."
        )
    pair = _outputs_and_labels(evaluated)
    value = logs[METRIC_KEY]
    if pair is None or not isinstance(value, (int, float)):
        return False, "the logged 'accuracy' could not be read."
    outputs, labels = pair
    expected = float(np.mean(np.argmax(outputs, axis=1) == labels))
    if abs(value - expected) <= 1e-6 + 1 / len(labels) / 2:
        return True, ""
    return False, (
        f"the metric logged as 'accuracy' is {value:.3f} where the share of right predictions "
        f"is {expected:.3f}: use metrics=['accuracy']."
    )


def judge_predict_labels(data: dict, ctx: JudgeContext) -> ExerciseResult:
    """Integer class indices, one per image, equal to the argmax of the model's output."""
    result = ExerciseResult("predict_labels", 10)
    why = _why_no_main_answer("predict_labels", data, len(PREDICT_INPUTS), ctx)
    if why:
        return result.fail_all(why)
    entries = data["inputs"]
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
    result.add(
        "one label per image",
        3,
        bad_shape is None,
        "one label per image, shape (n,)",
        "" if bad_shape is None else bad_shape["shape_fix"],
    )
    result.add(
        "integer labels",
        2,
        bad_type is None,
        "labels are integers",
        ""
        if bad_type is None
        else f"given {bad_type['name']}, labels are "
        f"{bad_type['dtype']}: return class indices as integers (np.argmax gives them).",
    )
    result.add(
        "most probable class",
        5,
        bad_class is None,
        "each label is the most probable class",
        ""
        if bad_class is None
        else f"given {bad_class['name']}, only "
        f"{bad_class['agree']:.0%} of the labels are the model's most probable class: use "
        "np.argmax(model.predict(images), axis=1).",
    )
    return result


def _labels_verdict(entry: Any, name: str, expected: np.ndarray, ctx: JudgeContext) -> dict:
    """What one input's returned labels show: shape, integer type, agreement."""
    verdict = {"name": name, "shape_ok": False, "integer": False, "right": False, "agree": 0.0,
               "predicts": False, "dtype": None, "numeric_shape": False}  # fmt: skip
    n = len(expected)
    if not isinstance(entry, dict) or entry.get("error"):
        error = entry.get("error") if isinstance(entry, dict) else None
        verdict["shape_fix"] = explain_error(f"predict_labels, given {name},", error)
        return verdict
    try:
        values = ctx.array(entry.get("returned"))
    except UnreadableOutput:
        returned = _returned_nothing("predict_labels", entry.get("returned"))
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
