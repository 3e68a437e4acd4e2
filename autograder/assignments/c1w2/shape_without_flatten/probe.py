"""Probe of shape_without_flatten."""

from __future__ import annotations

from typing import Any

from autograder.probe.harness import (
    ProbeContext,
    call_each,
)


def probe(ctx: ProbeContext) -> dict[str, Any]:
    """shape_without_flatten for each hidden size the grader chose."""
    return call_each(ctx, "shape_without_flatten", list(ctx.settings["flatten_units"]))
