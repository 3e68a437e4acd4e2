"""What the probe of normalize records: one call per kind of input the grader chose."""

from __future__ import annotations

from autograder.records import ErrorInfo, ProbeRecord, Saved, Strict


class NormalizeCall(Strict):
    """normalize on one input: what it raised or printed, what it returned, and the input
    as it was afterwards (the judge compares it with the images it generated itself)."""

    error: ErrorInfo | None = None
    output: str = ""
    returned: Saved | None = None
    input_after: Saved | None = None


class Record(ProbeRecord):
    inputs: list[NormalizeCall] = []
