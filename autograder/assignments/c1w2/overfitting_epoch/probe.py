"""Probe of overfitting_epoch."""

from __future__ import annotations

from typing import Any

from autograder.probe import captured
from autograder.probe.harness import (
    ProbeContext,
    call_each,
)


def probe(ctx: ProbeContext) -> dict[str, Any]:
    """overfitting_epoch on the grader's histories, as dicts and as Keras History objects."""
    inputs: list[Any] = []
    for logs in ctx.settings["histories"]:
        inputs.append({key: list(values) for key, values in logs.items()})
        history = captured.History()
        history.history = {key: list(values) for key, values in logs.items()}
        inputs.append(history)
    return call_each(ctx, "overfitting_epoch", inputs)
