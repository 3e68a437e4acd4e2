"""Probe of normalize: call it on each kind of input the grader chose."""

from __future__ import annotations

from autograder.probe.harness import ProbeContext, call, lookup
from autograder.samples import normalize_inputs

from .record import NormalizeCall, Record


def probe(ctx: ProbeContext) -> Record:
    """Call normalize on each kind of input; save what it returns and the input afterwards."""
    normalize, missing = lookup(ctx, "normalize")
    if missing:
        return Record(error=missing)
    calls = []
    for index, (_, images) in enumerate(normalize_inputs(ctx.settings["seed"])):
        result = call(ctx, normalize, images)
        if not result["ok"]:
            calls.append(NormalizeCall(error=result["error"], output=result["output"]))
            continue
        calls.append(
            NormalizeCall(
                output=result["output"],
                returned=ctx.save_array(f"normalized_{index}", result["value"]),
                input_after=ctx.save_array(f"input_after_{index}", images),
            )
        )
    return Record(inputs=calls)
