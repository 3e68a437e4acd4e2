"""What a probe records, as declared types: the probe builds them, the judge validates them once.

Every exercise's record (``record.py`` in its folder) derives from ``ProbeRecord``. The probe
runs in the sandbox, next to student code, and writes its record as JSON; the grader reads it
back with ``Record.model_validate``, so a file a submission forged or broke is refused in one
place (it scores 0 as data the grader would not trust) and a judge reads typed fields, never
a dict. Neutral: imported by both sides, staged into the sandbox beside the probes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """A record part: unknown fields are refused, fields are read-only once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Where(Strict):
    """The innermost line of student code an exception came from."""

    file: str | None = None
    line: int | None = None
    function: str | None = None


class ErrorInfo(Strict):
    """A student error as data: the exception's type, its first useful line, and where."""

    type: str
    message: str = ""
    where: Where | None = None


class Saved(Strict):
    """A value the probe saved for the judge: an array in ``file`` (plain .npy), or why not."""

    kind: Literal["array", "object", "unconvertible"]
    type: str = ""
    file: str | None = None
    error: str | None = None


# A simple value as ``autograder.probe.harness.plain`` writes it: {"int": 3}, {"tuple": [...]},
# a str or None, or {"other": type name, "repr": ...}; ``checks.answers.unplain`` reads it.
Plain = Any


class Answer(Strict):
    """One call of a student function on one input: the error it raised, or its plain value."""

    error: ErrorInfo | None = None
    value: Plain = None


class History(Strict):
    """What a training function returned for a History: its type and its per-epoch logs."""

    type: str
    is_history: bool
    history: dict[str, list[float]] | None = None


class Layer(Strict):
    """One layer of a model: its class, units and output shape, and what its activation (or,
    for an Activation or Softmax layer, the layer itself) does to the grader's fixed logits."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    layer_class: str = Field(alias="class")
    units: int | None = None
    output_shape: list[Any] | None = None  # a list of shapes for a layer of several outputs
    activation: str | None = None
    activation_does: list[list[float]] | None = None
    layer_does: list[list[float]] | None = None


class ModelDescription(Strict):
    """A value returned for a Keras model: its type and, if it is one, its shape and layers."""

    type: str
    is_sequential: bool = False
    is_model: bool = False
    compiled: bool | None = None
    input_shape: list[Any] | None = None  # a list of shapes for a model of several inputs
    layers: list[Layer] = []


class ProbeRecord(Strict):
    """What every probe record has: the error that stopped the probe early (the function is
    missing or raised), and what the worker adds (its time; a grader fault and its trace)."""

    error: ErrorInfo | None = None
    seconds: float | None = None
    trace: str | None = None
    grader_fault: str | None = None


class AnswersRecord(ProbeRecord):
    """A student function called once per input the grader chose: one answer each."""

    answers: list[Answer] = []
