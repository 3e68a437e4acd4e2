"""What the probe of train_model records: two runs on reference models, one with the epochs
and a callback the grader asks for, one with train_model's defaults."""

from __future__ import annotations

from autograder.records import ErrorInfo, History, ProbeRecord, Strict


class Run(Strict):
    """One call of train_model: what it was asked, what it returned and what it did."""

    epochs: int | None = None  # None: left to train_model's default
    with_callback: bool
    fits: list[int] | None = None  # the defaults run: epochs each Model.fit ran
    error: ErrorInfo | None = None
    returned: History | None = None
    weights_changed: bool | None = None  # the model passed in was trained
    callback_epochs: list[int] | None = None  # epochs the grader's callback saw


class Record(ProbeRecord):
    runs: list[Run] = []
