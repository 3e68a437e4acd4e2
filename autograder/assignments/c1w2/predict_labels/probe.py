"""Probe of predict_labels."""

from __future__ import annotations

from autograder.probe.describe import load_reference
from autograder.probe.harness import ProbeContext, call, lookup
from autograder.samples import PREDICT_INPUTS, test_slice

from .record import PredictCall, Record


def probe(ctx: ProbeContext) -> Record:
    """Predict held-out batches with a reference model; save what comes back for each."""
    predict_labels, missing = lookup(ctx, "predict_labels")
    if missing:
        return Record(error=missing)
    model = load_reference(ctx, "reference_trained.keras")
    images, _ = test_slice(ctx.settings["predict_images"])
    calls = []
    for index, (_, count, dtype) in enumerate(PREDICT_INPUTS):
        batch = (images[:count] / 255.0).astype(dtype)
        result = call(ctx, predict_labels, model, batch)
        returned = ctx.save_array(f"predicted_{index}", result["value"]) if result["ok"] else None
        calls.append(PredictCall(error=result["error"], returned=returned))
    return Record(inputs=calls)
