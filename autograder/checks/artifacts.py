"""Plain numbers a judge hands to the feedback page for its figures (never to results.json).

Everything here is JSON-serialisable (lists of floats and ints) and bounded in size, so a
submission that reports a huge or non-finite history cannot blow up the grader or the page.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

CLASSES = 10
MAX_EPOCHS_DRAWN = 200  # a history longer than this is cut for the figure
MISCLASSIFIED_SHOWN = 12
CURVES = ("loss", "accuracy", "val_loss", "val_accuracy")


def _finite(values: Any) -> list[float | None]:
    """Floats, non-finite ones as None (JSON has no NaN), at most MAX_EPOCHS_DRAWN of them."""
    if not isinstance(values, list):
        return []
    kept: list[float | None] = []
    for value in values[:MAX_EPOCHS_DRAWN]:
        number = float(value) if isinstance(value, (int, float)) else math.nan
        kept.append(number if math.isfinite(number) else None)
    return kept


def training_history(history: dict, threshold: float, max_epochs: int) -> dict[str, Any]:
    """The per-epoch curves of a training run, the threshold, and where training stopped."""
    curves = {name: _finite(history.get(name)) for name in CURVES if history.get(name)}
    epochs = max((len(values) for values in curves.values()), default=0)
    return {
        "curves": curves,
        "threshold": float(threshold),
        "max_epochs": int(max_epochs),
        # 1-based: the epoch at whose end training stopped, when that was before max_epochs.
        "stopped_epoch": epochs if 0 < epochs < max_epochs else None,
    }


def heldout_results(predicted: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    """Held-out accuracy, the 10x10 confusion counts (rows: true class) and a few mistakes."""
    predicted = np.asarray(predicted, dtype=np.int64).ravel()
    labels = np.asarray(labels, dtype=np.int64).ravel()
    in_range = (predicted >= 0) & (predicted < CLASSES)
    pairs = labels[in_range] * CLASSES + predicted[in_range]
    confusion = np.bincount(pairs, minlength=CLASSES * CLASSES).reshape(CLASSES, CLASSES)
    wrong = np.flatnonzero(predicted != labels)[:MISCLASSIFIED_SHOWN]
    return {
        "images": int(labels.size),
        "accuracy": float(np.mean(predicted == labels)) if labels.size else 0.0,
        "confusion": confusion.astype(int).tolist(),
        "outside_classes": int(np.sum(~in_range)),
        "misclassified": [
            {"index": int(i), "true": int(labels[i]), "predicted": int(predicted[i])} for i in wrong
        ],
    }
