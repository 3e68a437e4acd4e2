"""What the probe of compile_model records: a reference model compiled by the student's
compile_model, and what that compiled model does (its loss and metrics on held-out images, its
optimizer's steps on the grader's variable); the names it was given, for wording only."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from autograder.records import ErrorInfo, ProbeRecord, Strict


class Names(Strict):
    """How the student spelled optimizer, loss and metrics (feedback wording only)."""

    optimizer: str | None = None
    loss: str | None = None
    from_logits: bool = False
    metrics: list[str | None] = []


class ProbabilityLoss(Strict):
    """The compiled loss called on the model's outputs as plain probabilities, as predict
    returns them (no softmax op behind them, unlike inside fit and evaluate), and the labels."""

    error: ErrorInfo | None = None
    value: float | None = None


class Evaluated(Strict):
    """The model's outputs on held-out images, their labels, what evaluate logged, and the
    compiled loss on those outputs taken as plain probabilities."""

    error: ErrorInfo | None = None
    outputs: list[list[float]] = []
    labels: list[int] = []
    logs: dict[str, float | None] | None = None
    on_probabilities: ProbabilityLoss | None = None


class Optimizer(Strict):
    """A fresh copy of the optimizer: its class, its steps on the grader's variable, its
    hyperparameters."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    optimizer_class: str = Field(alias="class")
    steps: list[list[float]] | None = None
    config: dict[str, float | bool | None] | None = None


class Record(ProbeRecord):
    returned_same: bool | None = None
    compiled: bool | None = None
    names: Names | None = None
    evaluated: Evaluated | None = None
    optimizer: Optimizer | None = None
