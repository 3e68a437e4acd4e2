"""Probes of Part 1: normalize, build_model, compile_model, predict_labels."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.probe import captured
from autograder.probe.harness import ProbeContext, call, lookup, student_code
from autograder.samples import (
    ACTIVATION_INPUT,
    COMPILE_IMAGES,
    OPTIMIZER_GRADIENTS,
    OPTIMIZER_KEYS,
    OPTIMIZER_START,
    PREDICT_INPUTS,
    normalize_inputs,
    test_slice,
)


def probe_normalize(ctx: ProbeContext) -> dict[str, Any]:
    """Call normalize on each kind of input; save what it returns and the input afterwards."""
    normalize, missing = lookup(ctx, "normalize")
    if missing:
        return {"error": missing}
    data: dict[str, Any] = {"error": None, "inputs": []}
    for index, (_, images) in enumerate(normalize_inputs(ctx.settings["seed"])):
        result = call(ctx, normalize, images)
        entry: dict[str, Any] = {"error": result["error"], "output": result["output"]}
        if result["ok"]:
            entry["returned"] = ctx.save_array(f"normalized_{index}", result["value"])
            # The judge compares the input as it is now with the images it generated itself.
            entry["input_after"] = ctx.save_array(f"input_after_{index}", images)
        data["inputs"].append(entry)
    return data


def _behaviour(function: Any) -> list[list[float]] | None:
    """What ``function`` (an activation, or a parameter-free layer) makes of the logits."""
    try:
        with student_code():
            values = np.asarray(function(captured.constant(ACTIVATION_INPUT)), dtype=np.float64)
    except Exception:  # noqa: BLE001 - not callable on a batch of logits: no behaviour to judge
        return None
    if values.shape != ACTIVATION_INPUT.shape:
        return None
    return [[float(v) for v in row] for row in values]


def _activation_name(activation: Any) -> str | None:
    """The activation as the student spelled it, for wording only: 'relu', 'softmax_v2'..."""
    if isinstance(activation, str):
        return activation
    name = getattr(activation, "__name__", None)
    return name if isinstance(name, str) else type(activation).__name__


def describe_model(model: Any) -> dict[str, Any]:
    """A Keras model as plain data: type, input shape, layers and what each one does."""
    info: dict[str, Any] = {
        "type": type(model).__name__,
        "is_sequential": isinstance(model, captured.Sequential),
        "is_model": isinstance(model, captured.Model),
    }
    if not info["is_model"]:
        return info
    with student_code():
        info["compiled"] = bool(getattr(model, "compiled", False))
    try:
        with student_code():
            info["input_shape"] = list(model.input_shape)
    except Exception:  # noqa: BLE001 - a model without an Input has no input shape
        info["input_shape"] = None
    info["layers"] = [_describe_layer(layer) for layer in model.layers]
    return info


def _describe_layer(layer: Any) -> dict[str, Any]:
    described: dict[str, Any] = {"class": type(layer).__name__, "units": None}
    try:
        with student_code():
            units = getattr(layer, "units", None)
            described["units"] = int(units) if isinstance(units, (int, np.integer)) else None
            described["output_shape"] = list(layer.output.shape)
    except Exception:  # noqa: BLE001 - unbuilt layers have no output yet
        described["output_shape"] = None
    activation = getattr(layer, "activation", None)
    if activation is not None:
        described["activation"] = _activation_name(activation)
        described["activation_does"] = _behaviour(activation)
    elif described["class"] not in ("Flatten", "InputLayer", "Dropout", "Reshape"):
        described["layer_does"] = _behaviour(layer)  # an Activation or Softmax layer
    return described


def probe_build_model(ctx: ProbeContext) -> dict[str, Any]:
    """Build with the default and with an unseen ``hidden_units``; describe both models."""
    build_model, missing = lookup(ctx, "build_model")
    if missing:
        return {"error": missing}
    data: dict[str, Any] = {"error": None, "builds": []}
    for units in (None, ctx.settings["hidden_units_probe"]):
        result = call(ctx, build_model) if units is None else call(ctx, build_model, units)
        entry: dict[str, Any] = {"hidden_units": units, "error": result["error"]}
        if result["ok"]:
            entry["model"] = describe_model(result["value"])
        data["builds"].append(entry)
    return data


def load_reference(ctx: ProbeContext, name: str, compile: bool = True) -> Any:
    """A reference model the grader saved for this probe (independent of the student's)."""
    return captured.load_model(ctx.inputs_dir / name, safe_mode=True, compile=compile)


def probe_compile_model(ctx: ProbeContext) -> dict[str, Any]:
    """Compile a reference model with the student's compile_model; observe what it does."""
    compile_model, missing = lookup(ctx, "compile_model")
    if missing:
        return {"error": missing}
    # Trained weights: confident outputs, on which different losses give different values.
    model = load_reference(ctx, "reference_trained.keras", compile=False)
    result = call(ctx, compile_model, model)
    data: dict[str, Any] = {"error": result["error"]}
    if not result["ok"]:
        return data
    data["returned_same"] = result["value"] is model
    data["compiled"] = bool(getattr(model, "compiled", False))
    if data["compiled"]:
        data["names"] = _compiled_names(model)
        data["evaluated"] = _evaluate(ctx, model)
        data["optimizer"] = _optimizer_steps(model)
    return data


def _compiled_names(model: Any) -> dict[str, Any]:
    """How the student spelled optimizer, loss and metrics: for wording the feedback only."""
    try:
        with student_code():
            config = model.get_compile_config() or {}
    except Exception:  # noqa: BLE001 - names only word the feedback
        config = {}
    metrics = config.get("metrics") if isinstance(config, dict) else None
    if not isinstance(metrics, (list, tuple)):
        metrics = [] if metrics is None else [metrics]
    return {
        "optimizer": type(getattr(model, "optimizer", None)).__name__,
        "loss": _name_of(config.get("loss") if isinstance(config, dict) else None),
        "from_logits": _from_logits(config.get("loss") if isinstance(config, dict) else None),
        "metrics": [_name_of(metric) for metric in metrics],
    }


def _evaluate(ctx: ProbeContext, model: Any) -> dict[str, Any]:
    """The model's outputs on held-out images, and the loss and metrics Keras logs for them."""
    images, labels = test_slice(COMPILE_IMAGES)
    images = (images / 255.0).astype(np.float32)
    outputs = np.asarray(model(images, training=False), dtype=np.float64)
    ran = call(ctx, captured.evaluate, model, images, labels, verbose=0, return_dict=True)
    data: dict[str, Any] = {
        "error": ran["error"],
        "outputs": [[float(v) for v in row] for row in outputs],
        "labels": [int(label) for label in labels],
    }
    if ran["ok"] and isinstance(ran["value"], dict):
        data["logs"] = {str(k): _number(v) for k, v in ran["value"].items()}
    return data


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _optimizer_steps(model: Any) -> dict[str, Any]:
    """A fresh copy of the optimizer takes three steps on a variable the grader made."""
    optimizer = getattr(model, "optimizer", None)
    data: dict[str, Any] = {"class": type(optimizer).__name__, "steps": None}
    if not isinstance(optimizer, captured.Optimizer):
        return data
    try:
        with student_code():
            config = optimizer.get_config()
            fresh = type(optimizer).from_config(config)
            variable = captured.Variable(OPTIMIZER_START, dtype="float32")
            steps = []
            for gradient in OPTIMIZER_GRADIENTS:
                fresh.apply_gradients([(captured.constant(gradient, dtype="float32"), variable)])
                steps.append([float(v) for v in np.asarray(variable.numpy())])
    except Exception:  # noqa: BLE001 - an optimizer that cannot step is judged as not Adam
        return data
    data["steps"] = steps
    data["config"] = {
        key: (_number(config[key]) if not isinstance(config[key], bool) else config[key])
        for key in OPTIMIZER_KEYS
        if key in config and config[key] is not None
    }
    return data


def _name_of(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict):
        config = value.get("config")
        if isinstance(config, str):
            return config
        if isinstance(config, dict) and isinstance(config.get("name"), str):
            return config["name"]
        return str(value.get("class_name"))
    name = getattr(value, "name", None) or getattr(value, "__name__", None)
    return name if isinstance(name, str) else type(value).__name__


def _from_logits(value: Any) -> bool:
    if isinstance(value, dict):
        config = value.get("config")
        return bool(config.get("from_logits", False)) if isinstance(config, dict) else False
    return bool(getattr(value, "from_logits", False))


def probe_predict_labels(ctx: ProbeContext) -> dict[str, Any]:
    """Predict held-out batches with a reference model; save what comes back for each."""
    predict_labels, missing = lookup(ctx, "predict_labels")
    if missing:
        return {"error": missing}
    model = load_reference(ctx, "reference_trained.keras")
    images, _ = test_slice(ctx.settings["predict_images"])
    data: dict[str, Any] = {"error": None, "inputs": []}
    for index, (_, count, dtype) in enumerate(PREDICT_INPUTS):
        batch = (images[:count] / 255.0).astype(dtype)
        result = call(ctx, predict_labels, model, batch)
        entry: dict[str, Any] = {"error": result["error"]}
        if result["ok"]:
            entry["returned"] = ctx.save_array(f"predicted_{index}", result["value"])
        data["inputs"].append(entry)
    return data
