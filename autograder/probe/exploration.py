"""Probes of Part 3, the exploration exercises, on inputs the student has not seen."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.probe import captured
from autograder.probe.harness import ProbeContext, call, defaults, lookup, observed_fits, plain
from autograder.samples import train_slice


def _calls(ctx: ProbeContext, name: str, inputs: list[Any]) -> dict[str, Any]:
    function, missing = lookup(ctx, name)
    if missing:
        return {"error": missing}
    answers = []
    for argument in inputs:
        result = call(ctx, function, argument)
        answers.append({"error": result["error"], "value": plain(result["value"])})
    return {"error": None, "answers": answers}


def probe_count_params(ctx: ProbeContext) -> dict[str, Any]:
    """count_params for each hidden size the grader chose."""
    return _calls(ctx, "count_params", list(ctx.settings["count_params_units"]))


def probe_shape_without_flatten(ctx: ProbeContext) -> dict[str, Any]:
    """shape_without_flatten for each hidden size the grader chose."""
    return _calls(ctx, "shape_without_flatten", list(ctx.settings["flatten_units"]))


def probe_output_units_needed(ctx: ProbeContext) -> dict[str, Any]:
    """output_units_needed for each label array the grader chose."""
    arrays = [np.asarray(labels, dtype=np.uint8) for labels in ctx.settings["label_sets"]]
    return _calls(ctx, "output_units_needed", arrays)


def probe_overfitting_epoch(ctx: ProbeContext) -> dict[str, Any]:
    """overfitting_epoch on the grader's histories, as dicts and as Keras History objects."""
    inputs: list[Any] = []
    for logs in ctx.settings["histories"]:
        inputs.append({key: list(values) for key, values in logs.items()})
        history = captured.History()
        history.history = {key: list(values) for key, values in logs.items()}
        inputs.append(history)
    return _calls(ctx, "overfitting_epoch", inputs)


def probe_normalization_effect(ctx: ProbeContext) -> dict[str, Any]:
    """normalization_effect on a fixed slice of real data, seeded by the grader."""
    settings = ctx.settings["normalization_effect"]
    function, missing = lookup(ctx, "normalization_effect")
    if missing:
        return {"error": missing}
    images, labels = train_slice(settings["images"])
    with observed_fits() as ran:
        result = call(ctx, function, images.copy(), labels.copy(), epochs=1, seed=settings["seed"])
    return {
        "error": result["error"],
        "value": plain(result["value"]),
        "fits": list(ran),
        "defaults": defaults(function),
    }
