"""What the probe of ThresholdCallback records: the callback fed the grader's epoch logs, one
scenario at a time, and a real fit with it."""

from __future__ import annotations

from autograder.records import ErrorInfo, ProbeRecord, Strict


class Epoch(Strict):
    """One on_epoch_end call: whether it raised, set stop_training, printed."""

    error: ErrorInfo | None = None
    stopped: bool = False
    output: str = ""


class ScenarioRun(Strict):
    """One scenario: the callback made with its arguments (or the error), then its epochs up
    to the one it stopped at."""

    error: ErrorInfo | None = None
    epochs: list[Epoch] = []


class RealFit(Strict):
    """A real model.fit with the callback: its error or its History."""

    error: ErrorInfo | None = None
    output: str = ""
    type: str | None = None
    is_history: bool | None = None
    history: dict[str, list[float]] | None = None


class Record(ProbeRecord):
    is_class: bool = False
    is_callback: bool = False
    scenarios: list[ScenarioRun] = []  # in the order of the grader's scenarios
    real_fit: RealFit | None = None
