"""What the probe of normalization_effect records: its answer, the epochs each of its fits
ran, and the defaults of its signature."""

from __future__ import annotations

from autograder.records import Plain, ProbeRecord


class Record(ProbeRecord):
    value: Plain = None  # the pair it returned, as a plain value
    fits: list[int] = []  # epochs each Model.fit it called ran
    defaults: dict[str, Plain] = {}  # parameter -> its default, as plain values
