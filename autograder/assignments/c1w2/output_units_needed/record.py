"""What the probe of output_units_needed records: its answer for each label array."""

from __future__ import annotations

from autograder.records import AnswersRecord


class Record(AnswersRecord):
    """One answer per input, in the order the grader gave them."""
