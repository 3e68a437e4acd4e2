"""Keras objects a student's code returned, described as plain data for the judges."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.probe import captured
from autograder.probe.harness import ProbeContext, student_code
from autograder.samples import ACTIVATION_INPUT


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


def load_reference(ctx: ProbeContext, name: str, compile: bool = True) -> Any:
    """A reference model the grader saved for this probe (independent of the student's)."""
    return captured.load_model(ctx.inputs_dir / name, safe_mode=True, compile=compile)


def history_data(history: Any) -> dict[str, Any]:
    """A History (or whatever was returned for one) as its type and per-epoch logs."""
    data: dict[str, Any] = {
        "type": type(history).__name__,
        "is_history": isinstance(history, captured.History),
    }
    with student_code():
        logs = getattr(history, "history", None)
    if isinstance(logs, dict):
        data["history"] = {
            str(key): [float(v) for v in values]
            for key, values in logs.items()
            if isinstance(values, (list, tuple)) and all(np.isscalar(v) for v in values)
        }
    return data
