"""What the probe of overfitting_epoch records: its answer for each history, dict and History."""

from __future__ import annotations

from autograder.records import AnswersRecord


class Record(AnswersRecord):
    """One answer per input, in the order the grader gave them."""
