"""Run a ThresholdCallback class through the grader's probe in this process, without training.

The scenarios are the probe's own (``threshold_callback.probe._run_scenario`` on the grader's
epoch logs); the probe's real ``model.fit`` is stood in for by the same loop Keras runs (call
``on_epoch_end``, stop once ``model.stop_training`` is set) over a fixed accuracy curve that
reaches the real fit's threshold at its second epoch, as the reference model's fit does.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

from autograder.assignments.c1w2.threshold_callback.probe import _FakeModel, _run_scenario
from autograder.assignments.c1w2.threshold_callback.record import Record
from autograder.checks import judge
from autograder.checks.context import JudgeContext
from autograder.checks.inputs import probe_settings
from autograder.checks.reference import References
from autograder.checks.result import ExerciseResult
from autograder.config import load_course
from autograder.probe import captured
from autograder.probe.harness import ProbeContext, call

ASSIGNMENT = load_course().assignment("c1w2")
ROOT = Path(__file__).resolve().parents[3]
SOLUTION = ROOT / "solutions" / "c1w2" / "fashion_mnist.py"
REAL_FIT_ACCURACY = [0.62, 0.71, 0.76, 0.79, 0.81, 0.82]  # threshold 0.7: reached at epoch 1


class DoesNothing(captured.Callback):
    """What the template gives, its bodies left empty."""

    def __init__(self, threshold=0.85, metric="accuracy"):
        super().__init__()

    def on_epoch_end(self, epoch, logs=None):
        pass


class SpeaksNeverStops(captured.Callback):
    """Prints the right message at the right epoch, and never stops training."""

    def __init__(self, threshold=0.85, metric="accuracy"):
        super().__init__()
        self.threshold, self.metric = threshold, metric

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.metric)
        if value is not None and value >= self.threshold:
            print(f"Reached {self.metric} {value} so cancelling training!")


def load_module(path: Path, source: str) -> Any:
    """``source`` written to ``path`` and imported as a module of its own."""
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fit_like_keras(ctx: ProbeContext, cls: type, settings: dict) -> dict[str, Any]:
    made = call(ctx, cls, threshold=settings["threshold"])
    if not made["ok"]:
        return {"error": made["error"]}
    callback, model, accuracy = made["value"], _FakeModel(), []
    callback.set_model(model)
    for epoch, value in enumerate(REAL_FIT_ACCURACY[: settings["max_epochs"]]):
        ran = call(ctx, callback.on_epoch_end, epoch, {"accuracy": value, "loss": 1 - value})
        if not ran["ok"]:
            return {"error": ran["error"]}
        accuracy.append(value)
        if model.stop_training:
            break
    return {"history": {"accuracy": accuracy}, "type": "History", "is_history": True}


def record_of(cls: Any, tmp: Path) -> Record:
    """What the probe records of ``cls``, its real fit simulated as described above."""
    settings = probe_settings(ASSIGNMENT)
    ctx = ProbeContext({}, tmp, tmp, settings)
    data: dict[str, Any] = {
        "is_class": isinstance(cls, type),
        "is_callback": isinstance(cls, type) and issubclass(cls, captured.Callback),
    }
    if data["is_class"]:
        data["scenarios"] = [_run_scenario(ctx, cls, s) for s in settings["callback_scenarios"]]
        data["real_fit"] = _fit_like_keras(ctx, cls, settings["callback_real_fit"])
    return Record.model_validate(data)


def context(tmp: Path) -> JudgeContext:
    """A judge's context with no reference data: enough for the exercises that need none."""
    empty = np.zeros((0,))
    return JudgeContext(ASSIGNMENT, References(tmp, empty, empty, empty), tmp)


def judged(cls: Any, tmp: Path) -> ExerciseResult:
    """The grader's verdict on ``cls``."""
    return judge("ThresholdCallback", record_of(cls, tmp).model_dump(mode="json"), context(tmp))
