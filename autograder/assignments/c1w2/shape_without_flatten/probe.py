"""Probe of shape_without_flatten."""

from __future__ import annotations

from autograder.probe.harness import (
    ProbeContext,
    call_each,
)

from .record import Record


def probe(ctx: ProbeContext) -> Record:
    """shape_without_flatten for each hidden size the grader chose."""
    return Record.model_validate(
        call_each(ctx, "shape_without_flatten", list(ctx.settings["flatten_units"]))
    )
