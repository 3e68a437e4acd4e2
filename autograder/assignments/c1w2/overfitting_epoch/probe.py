"""Probe of overfitting_epoch."""

from __future__ import annotations

from typing import Any

from autograder.probe import captured
from autograder.probe.harness import (
    ProbeContext,
    call_each,
)

from .record import Record


def probe(ctx: ProbeContext) -> Record:
    """overfitting_epoch on the grader's histories, as dicts and as Keras History objects."""
    inputs: list[Any] = []
    for logs in ctx.settings["histories"]:
        inputs.append({key: list(values) for key, values in logs.items()})
        history = captured.History()
        history.history = {key: list(values) for key, values in logs.items()}
        inputs.append(history)
    return Record.model_validate(call_each(ctx, "overfitting_epoch", inputs))
