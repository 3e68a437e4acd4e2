"""Probe of build_tiny: build the model and describe it."""

from __future__ import annotations

from autograder.probe.describe import describe_model
from autograder.probe.harness import ProbeContext, call, lookup

from .record import Record


def probe(ctx: ProbeContext) -> Record:
    build_tiny, missing = lookup(ctx, "build_tiny")
    if missing:
        return Record(error=missing)
    result = call(ctx, build_tiny)
    if not result["ok"]:
        return Record(error=result["error"])
    return Record(model=describe_model(result["value"]))
