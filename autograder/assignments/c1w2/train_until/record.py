"""What the probe of train_until records: one run on real data (its History, its model and
the model's weights), a short run whose threshold is out of reach, and its defaults."""

from __future__ import annotations

from autograder.records import ErrorInfo, History, ModelDescription, Plain, ProbeRecord, Strict


class ShortRun(Strict):
    """train_until asked for a threshold it cannot reach: the epochs each of its fits ran."""

    error: ErrorInfo | None = None
    fits: list[int] | None = None


class Record(ProbeRecord):
    output: str = ""
    defaults: dict[str, Plain] = {}  # parameter -> its default, as plain values
    short_run: ShortRun | None = None
    returned_type: str | None = None  # set once the main run returned
    history: History | None = None  # set when it returned a pair
    model: ModelDescription | None = None
    weights: list[str] | None = None  # .npy files of the model's weights, in order
