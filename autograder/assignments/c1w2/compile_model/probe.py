"""Probe of compile_model."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.probe import captured
from autograder.probe.describe import load_reference
from autograder.probe.harness import ProbeContext, call, lookup, student_code
from autograder.samples import (
    COMPILE_IMAGES,
    OPTIMIZER_GRADIENTS,
    OPTIMIZER_KEYS,
    OPTIMIZER_START,
    test_slice,
)

from .record import Record


def probe(ctx: ProbeContext) -> Record:
    """Compile a reference model with the student's compile_model; observe what it does."""
    compile_model, missing = lookup(ctx, "compile_model")
    if missing:
        return Record(error=missing)
    # Trained weights: confident outputs, on which different losses give different values.
    model = load_reference(ctx, "reference_trained.keras", compile=False)
    result = call(ctx, compile_model, model)
    data: dict[str, Any] = {"error": result["error"]}
    if not result["ok"]:
        return Record.model_validate(data)
    data["returned_same"] = result["value"] is model
    data["compiled"] = bool(getattr(model, "compiled", False))
    if data["compiled"]:
        data["names"] = _compiled_names(model)
        data["evaluated"] = _evaluate(ctx, model)
        data["optimizer"] = _optimizer_steps(model)
    return Record.model_validate(data)


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
    """The model's outputs on held-out images, the loss and metrics Keras logs for them, and
    the compiled loss on those outputs as predict returns them."""
    images, labels = test_slice(COMPILE_IMAGES)
    images = (images / 255.0).astype(np.float32)
    outputs = np.asarray(model(images, training=False), dtype=np.float32)
    ran = call(ctx, captured.evaluate, model, images, labels, verbose=0, return_dict=True)
    data: dict[str, Any] = {
        "error": ran["error"],
        "outputs": [[float(v) for v in row] for row in outputs],
        "labels": [int(label) for label in labels],
        "on_probabilities": _loss_on_probabilities(ctx, model, outputs, labels),
    }
    if ran["ok"] and isinstance(ran["value"], dict):
        data["logs"] = {str(k): _number(v) for k, v in ran["value"].items()}
    return data


def _loss_on_probabilities(
    ctx: ProbeContext, model: Any, probabilities: np.ndarray, labels: np.ndarray
) -> dict[str, Any]:
    """The compiled loss on plain probability arrays: inside fit, Keras 3 hands a loss with
    from_logits=True the logits behind a softmax layer, so only here does that setting show."""
    ran = call(
        ctx,
        captured.compute_loss,
        model,
        y=captured.constant(labels, dtype="int64"),
        y_pred=captured.constant(probabilities, dtype="float32"),
        training=False,
    )
    return {"error": ran["error"], "value": _number(ran["value"]) if ran["ok"] else None}


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
