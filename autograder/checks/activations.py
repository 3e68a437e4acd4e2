"""What an activation does, judged from its outputs on the grader's logits, whatever its name.

``tf.nn.softmax``, ``"softmax"`` and ``keras.activations.softmax`` are different objects with
different names in a layer's config; they all turn logits into the same probabilities. The
probe hands back what the activation made of the logits, and these functions decide.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TOLERANCE = 1e-4


def _softmax(x: np.ndarray) -> np.ndarray:
    shifted = np.exp(x - x.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


# Known activations, to word feedback ("behaves like sigmoid"); never to decide a verdict.
KNOWN: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "relu": lambda x: np.maximum(x, 0),
    "softmax": _softmax,
    "linear (no activation)": lambda x: x,
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "elu": lambda x: np.where(x > 0, x, np.exp(np.minimum(x, 0)) - 1),
    "softplus": lambda x: np.log1p(np.exp(x)),
    "swish": lambda x: x * _sigmoid(x),
    "leaky relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "relu6": lambda x: np.clip(x, 0, 6),
}


def outputs(described: Any, shape: tuple[int, ...]) -> np.ndarray | None:
    """The probe's record of an activation's outputs as an array, or None if unusable."""
    try:
        values = np.asarray(described, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return values if values.shape == shape and np.all(np.isfinite(values)) else None


def is_relu(logits: np.ndarray, values: np.ndarray | None) -> bool:
    """Zeroes every negative and keeps every positive as it is."""
    if values is None:
        return False
    return bool(np.allclose(values, np.maximum(logits, 0), atol=TOLERANCE))


def is_probability(logits: np.ndarray, values: np.ndarray | None) -> bool:
    """Each row non-negative, summing to 1, and in the order of its logits (softmax does it)."""
    if values is None or np.any(values < -TOLERANCE):
        return False
    if not np.allclose(values.sum(axis=-1), 1.0, atol=1e-3):
        return False
    for row_in, row_out in zip(logits, values, strict=True):
        order = np.argsort(row_in, kind="stable")
        ranked_in, ranked_out = row_in[order], row_out[order]
        ties = np.diff(ranked_in) == 0
        steps = np.diff(ranked_out)
        if np.any(steps[~ties] <= 0) or np.any(np.abs(steps[ties]) > TOLERANCE):
            return False
    return True


def looks_like(logits: np.ndarray, values: np.ndarray | None) -> str:
    """A name for what the activation does: the first known one it matches, for feedback."""
    if values is None:
        return "something the grader could not apply to a batch of logits"
    for name, function in KNOWN.items():
        if np.allclose(values, function(logits), atol=TOLERANCE):
            return name
    return "an activation that is neither relu nor softmax"
