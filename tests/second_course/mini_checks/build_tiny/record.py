"""What the probe of build_tiny records: the model it returned, described."""

from __future__ import annotations

from autograder.records import ModelDescription, ProbeRecord


class Record(ProbeRecord):
    model: ModelDescription | None = None
