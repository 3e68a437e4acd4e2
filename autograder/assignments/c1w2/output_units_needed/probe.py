"""Probe of output_units_needed."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.probe.harness import (
    ProbeContext,
    call_each,
)


def probe(ctx: ProbeContext) -> dict[str, Any]:
    """output_units_needed for each label array the grader chose."""
    arrays = [np.asarray(labels, dtype=np.uint8) for labels in ctx.settings["label_sets"]]
    return call_each(ctx, "output_units_needed", arrays)
