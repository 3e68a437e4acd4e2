"""Probe of normalize."""

from __future__ import annotations

from typing import Any

from autograder.probe.harness import ProbeContext, call, lookup
from autograder.samples import (
    normalize_inputs,
)


def probe(ctx: ProbeContext) -> dict[str, Any]:
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
