"""Probe of count_params."""

from __future__ import annotations

from autograder.probe.harness import (
    ProbeContext,
    call_each,
)

from .record import Record


def probe(ctx: ProbeContext) -> Record:
    """count_params for each hidden size the grader chose."""
    return Record.model_validate(
        call_each(ctx, "count_params", list(ctx.settings["count_params_units"]))
    )
