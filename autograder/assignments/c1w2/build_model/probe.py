"""Probe of build_model."""

from __future__ import annotations

from typing import Any

from autograder.probe.describe import describe_model
from autograder.probe.harness import ProbeContext, call, lookup

from .record import Record


def probe(ctx: ProbeContext) -> Record:
    """Build with the default and with an unseen ``hidden_units``; describe both models."""
    build_model, missing = lookup(ctx, "build_model")
    if missing:
        return Record(error=missing)
    data: dict[str, Any] = {"error": None, "builds": []}
    for units in (None, ctx.settings["hidden_units_probe"]):
        result = call(ctx, build_model) if units is None else call(ctx, build_model, units)
        entry: dict[str, Any] = {"hidden_units": units, "error": result["error"]}
        if result["ok"]:
            entry["model"] = describe_model(result["value"])
        data["builds"].append(entry)
    return Record.model_validate(data)
