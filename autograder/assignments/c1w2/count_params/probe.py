"""Probe of count_params."""

from __future__ import annotations

from typing import Any

from autograder.probe.harness import (
    ProbeContext,
    call_each,
)


def probe(ctx: ProbeContext) -> dict[str, Any]:
    """count_params for each hidden size the grader chose."""
    return call_each(ctx, "count_params", list(ctx.settings["count_params_units"]))
