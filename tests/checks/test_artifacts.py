"""The figures' numbers a judge leaves: bounded, plain JSON, and only what the judge verified."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from autograder.checks import activations, judge
from autograder.checks.artifacts import (
    MAX_EPOCHS_DRAWN,
    MISCLASSIFIED_SHOWN,
    heldout_results,
    training_history,
)
from autograder.checks.context import JudgeContext
from autograder.checks.reference import References
from autograder.config import load_course
from autograder.samples import ACTIVATION_INPUT

ASSIGNMENT = load_course().assignment("c1w2")
# As the probe describes layers: what each activation made of the grader's logits.
LAYERS = [
    {"class": "Flatten", "units": None},
    {
        "class": "Dense",
        "units": 8,
        "activation": "relu",
        "activation_does": activations.KNOWN["relu"](ACTIVATION_INPUT).tolist(),
    },
    {
        "class": "Dense",
        "units": 10,
        "activation": "softmax",
        "activation_does": activations.KNOWN["softmax"](ACTIVATION_INPUT).tolist(),
    },
]


def test_history_is_bounded_and_finite() -> None:
    history = {"loss": [0.5, math.nan, math.inf], "accuracy": [0.8] * 5000, "lr": [1e-3]}
    made = training_history(history, 0.85, 6)
    assert made["curves"]["loss"] == [0.5, None, None]
    assert len(made["curves"]["accuracy"]) == MAX_EPOCHS_DRAWN
    assert set(made["curves"]) == {"loss", "accuracy"}
    assert made["stopped_epoch"] is None  # it ran past max_epochs: nothing stopped it
    assert training_history({"accuracy": [0.8, 0.9]}, 0.85, 6)["stopped_epoch"] == 2
    assert training_history({"accuracy": [0.8] * 6}, 0.85, 6)["stopped_epoch"] is None
    json.dumps(made, allow_nan=False)


def test_heldout_confusion_and_mistakes() -> None:
    labels = np.array([0, 1, 2, 3, 3, 9, 9, 9] * 5)
    predicted = labels.copy()
    predicted[[1, 4, 7]] = [0, 5, 12]  # 12: a model with too many outputs
    made = heldout_results(predicted, labels)
    confusion = np.array(made["confusion"])
    assert confusion.sum() == labels.size - 1 and made["outside_classes"] == 1
    assert confusion[1, 0] == 1 and confusion[3, 5] == 1 and confusion[9, 9] == 14
    assert made["misclassified"] == [
        {"index": 1, "true": 1, "predicted": 0},
        {"index": 4, "true": 3, "predicted": 5},
        {"index": 7, "true": 9, "predicted": 12},
    ]
    assert made["accuracy"] == (labels.size - 3) / labels.size
    many = heldout_results(np.zeros(100, int), np.ones(100, int))
    assert len(many["misclassified"]) == MISCLASSIFIED_SHOWN
    json.dumps(made, allow_nan=False)


def _train_until_data(ctx: JudgeContext, accuracy: list[float]) -> dict:
    rng = np.random.default_rng(0)
    weights = [
        rng.normal(size=(784, 8)).astype(np.float32),
        np.zeros(8, np.float32),
        rng.normal(size=(8, 10)).astype(np.float32),
        np.zeros(10, np.float32),
    ]
    names = []
    for index, array in enumerate(weights):
        np.save(ctx.files / f"w{index}.npy", array, allow_pickle=False)
        names.append(f"w{index}.npy")
    return {
        "error": None,
        "returned_type": "tuple",
        "history": {
            "type": "History",
            "is_history": True,
            "history": {"accuracy": accuracy, "loss": [1.0] * len(accuracy)},
        },
        "model": {"is_model": True, "type": "Sequential", "layers": LAYERS},
        "weights": names,
    }


def _context(tmp_path: Path) -> JudgeContext:
    rng = np.random.default_rng(1)
    images = rng.random((40, 28, 28)).astype(np.float32)
    labels = rng.integers(0, 10, 40)
    references = References(tmp_path, np.zeros(0), images, labels, images, labels)
    return JudgeContext(ASSIGNMENT, references, tmp_path)


def test_train_until_leaves_its_history_and_heldout_numbers(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    result = judge("train_until", _train_until_data(ctx, [0.5, 0.6]), ctx)
    assert result.artifacts["history"]["curves"]["accuracy"] == [0.5, 0.6]
    assert result.artifacts["history"]["threshold"] == ASSIGNMENT.checks.train_until_threshold
    heldout = result.artifacts["heldout"]
    assert sum(map(sum, heldout["confusion"])) == 40
    assert f"{heldout['accuracy']:.1%}" in result.feedback()
    json.dumps(result.artifacts, allow_nan=False)


def test_a_forged_history_is_not_drawn(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    result = judge("train_until", _train_until_data(ctx, [0.9]), ctx)  # random weights: ~10%
    assert "the history reports a final training accuracy of 0.900" in result.feedback()
    assert "history" not in result.artifacts and "heldout" in result.artifacts


def test_a_failed_exercise_leaves_nothing(tmp_path: Path) -> None:
    data = {"error": {"type": "NotImplementedError", "message": ""}}
    result = judge("train_until", data, _context(tmp_path))
    assert result.score == 0 and result.artifacts == {}
