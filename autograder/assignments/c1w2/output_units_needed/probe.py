"""Probe of output_units_needed."""

from __future__ import annotations

import numpy as np

from autograder.probe.harness import (
    ProbeContext,
    call_each,
)

from .record import Record


def probe(ctx: ProbeContext) -> Record:
    """output_units_needed for each label array the grader chose."""
    arrays = [np.asarray(labels, dtype=np.uint8) for labels in ctx.settings["label_sets"]]
    return Record.model_validate(call_each(ctx, "output_units_needed", arrays))
