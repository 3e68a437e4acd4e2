"""What the probe of double records, and the inputs both sides agree on."""

from __future__ import annotations

import numpy as np

from autograder.records import ErrorInfo, ProbeRecord, Saved, Strict


def inputs(seed: int) -> list[np.ndarray]:
    """Integers and floats of two shapes: a real answer must not depend on either."""
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 100, size=(2, 3)), rng.normal(size=5)]


class Call(Strict):
    error: ErrorInfo | None = None
    returned: Saved | None = None


class Record(ProbeRecord):
    inputs: list[Call] = []
