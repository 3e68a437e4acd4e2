"""The inputs every probe gets, chosen here (grader side) and handed to the sandbox as data.

Expected answers are not in here: the judges compute them. The scenarios are fixed so that a
verdict is the same on every run.
"""

from __future__ import annotations

from typing import Any

from autograder.config import Assignment

HIDDEN_UNITS_PROBE = 37  # an unusual size: a hard-coded 128 shows
PREDICT_IMAGES = 64
TRAIN_MODEL_EPOCHS = 3
TRAIN_MODEL_DEFAULT_EPOCHS = 5  # docs/INTERFACE.md: train_model(..., epochs=5, callbacks=None)
# train_until once more, with a threshold no model reaches: it must stop at max_epochs.
SHORT_RUN = {"images": 1000, "threshold": 0.999, "max_epochs": 2}
TRAIN_UNTIL_DEFAULT_MAX_EPOCHS = 10  # docs/INTERFACE.md: train_until(..., max_epochs=10)
NORMALIZATION_EFFECT_DEFAULTS = {"epochs": 1, "seed": 0}
COUNT_PARAMS_UNITS = [128, 1, 37, 300]
FLATTEN_UNITS = [128, 37]
LABEL_SETS = [list(range(10)), [0, 1, 2], [3, 1, 4, 1, 5, 9, 2, 6], [0, 0, 7]]
HISTORIES = [
    {"loss": [0.9, 0.6, 0.5, 0.45, 0.4], "val_loss": [0.6, 0.45, 0.40, 0.42, 0.5]},
    {"loss": [0.9, 0.6, 0.5, 0.45], "val_loss": [0.6, 0.5, 0.45, 0.44]},
    {"loss": [0.8, 0.5, 0.4, 0.3], "val_loss": [0.5, 0.35, 0.35, 0.4]},
    {"loss": [0.5, 0.4], "val_loss": [0.3, 0.3]},
    {"loss": [0.9, 0.7, 0.5, 0.4, 0.3], "val_loss": [0.5, 0.3, 0.6, 0.2, 0.25]},
]


def _epochs(**columns: list[float]) -> list[dict[str, float]]:
    length = len(next(iter(columns.values())))
    return [{key: values[i] for key, values in columns.items()} for i in range(length)]


def callback_scenarios(threshold: float) -> list[dict[str, Any]]:
    """Epoch logs fed to the student's callback; ``expect`` is read by the judge only."""
    below = round(threshold - 0.0001, 4)
    return [
        {  # default settings, the boundary value itself counts as reached
            "name": "default",
            "kwargs": None,
            "logs": _epochs(
                accuracy=[0.6, 0.8, below, threshold, 0.95], loss=[1.0, 0.6, 0.45, 0.4, 0.3]
            ),
            "expect": 3,
        },
        {
            "name": "lower threshold",
            "kwargs": {"threshold": 0.6},
            "logs": _epochs(accuracy=[0.5, 0.55, 0.62, 0.7], loss=[1.5, 1.2, 1.0, 0.9]),
            "expect": 2,
        },
        {
            "name": "never reached",
            "kwargs": {"threshold": 0.95},
            "logs": _epochs(accuracy=[0.8, 0.9, 0.94], loss=[0.6, 0.4, 0.3]),
            "expect": None,
        },
        {
            "name": "loss goes down",
            "kwargs": {"threshold": 0.4, "metric": "loss"},
            "logs": _epochs(loss=[0.9, 0.6, 0.41, 0.4, 0.3], accuracy=[0.7, 0.8, 0.85, 0.86, 0.9]),
            "expect": 3,
        },
        {
            "name": "val_loss goes down",
            "kwargs": {"threshold": 0.3, "metric": "val_loss"},
            "logs": _epochs(
                loss=[0.25, 0.2, 0.15, 0.1],
                val_loss=[0.5, 0.35, 0.3, 0.2],
                accuracy=[0.9, 0.92, 0.94, 0.95],
            ),
            "expect": 2,
        },
        {
            "name": "named metric",
            "kwargs": {"threshold": 0.8, "metric": "val_accuracy"},
            "logs": _epochs(
                accuracy=[0.85, 0.9, 0.95, 0.97],
                val_accuracy=[0.7, 0.75, 0.81, 0.83],
                loss=[0.4, 0.3, 0.2, 0.1],
            ),
            "expect": 2,
        },
        {"name": "logs=None", "kwargs": None, "logs": [None, None, None], "expect": None},
        {
            "name": "missing key",
            "kwargs": None,
            "logs": _epochs(loss=[0.5, 0.3, 0.1]),
            "expect": None,
        },
    ]


def probe_settings(assignment: Assignment) -> dict[str, Any]:
    """Everything the probes need to know, as plain data (no expected answers)."""
    checks = assignment.checks
    scenarios = [
        {key: value for key, value in scenario.items() if key != "expect"}
        for scenario in callback_scenarios(checks.callback_threshold)
    ]
    return {
        "seed": assignment.seed,
        "hidden_units_probe": HIDDEN_UNITS_PROBE,
        "predict_images": PREDICT_IMAGES,
        "train_model_images": checks.train_model_images,
        "train_model_epochs": TRAIN_MODEL_EPOCHS,
        "callback_scenarios": scenarios,
        "callback_real_fit": {"images": 1024, "threshold": 0.7, "max_epochs": 6},
        "train_until": {
            "images": checks.train_until_images,
            "threshold": checks.train_until_threshold,
            "max_epochs": checks.train_until_max_epochs,
            "short_run": SHORT_RUN,
        },
        "count_params_units": COUNT_PARAMS_UNITS,
        "flatten_units": FLATTEN_UNITS,
        "label_sets": LABEL_SETS,
        "histories": HISTORIES,
        "normalization_effect": {"images": checks.normalization_images, "seed": assignment.seed},
    }
