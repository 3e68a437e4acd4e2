"""Probe of double: call it on each input the grader chose; save what comes back."""

from __future__ import annotations

from autograder.probe.harness import ProbeContext, call, lookup

from .record import Call, Record, inputs


def probe(ctx: ProbeContext) -> Record:
    double, missing = lookup(ctx, "double")
    if missing:
        return Record(error=missing)
    calls = []
    for index, values in enumerate(inputs(ctx.settings["seed"])):
        result = call(ctx, double, values)
        returned = ctx.save_array(f"double_{index}", result["value"]) if result["ok"] else None
        calls.append(Call(error=result["error"], returned=returned))
    return Record(inputs=calls)
