"""What the probe of shape_without_flatten records: its answer for each hidden size."""

from __future__ import annotations

from autograder.records import AnswersRecord


class Record(AnswersRecord):
    """One answer per input, in the order the grader gave them."""
