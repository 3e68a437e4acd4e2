"""Probe of predict_labels."""

from __future__ import annotations

from typing import Any

from autograder.probe.describe import load_reference
from autograder.probe.harness import ProbeContext, call, lookup
from autograder.samples import (
    PREDICT_INPUTS,
    test_slice,
)


def probe(ctx: ProbeContext) -> dict[str, Any]:
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
