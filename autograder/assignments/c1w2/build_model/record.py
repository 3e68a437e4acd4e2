"""What the probe of build_model records: the model built with the default hidden_units and
with a size the student has not seen, each described."""

from __future__ import annotations

from autograder.records import ErrorInfo, ModelDescription, ProbeRecord, Strict


class Build(Strict):
    """One call of build_model: its argument (None: the default), its error or its model."""

    hidden_units: int | None = None
    error: ErrorInfo | None = None
    model: ModelDescription | None = None


class Record(ProbeRecord):
    builds: list[Build] = []  # the default first, then the unseen size
