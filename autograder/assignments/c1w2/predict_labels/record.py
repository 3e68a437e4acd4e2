"""What the probe of predict_labels records: one call per held-out batch the grader chose."""

from __future__ import annotations

from autograder.records import ErrorInfo, ProbeRecord, Saved, Strict


class PredictCall(Strict):
    """predict_labels on one batch, with a reference model: its error, or what it returned."""

    error: ErrorInfo | None = None
    returned: Saved | None = None


class Record(ProbeRecord):
    inputs: list[PredictCall] = []
