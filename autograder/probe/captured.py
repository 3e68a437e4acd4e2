"""What the probes observe with, taken when the probe package is imported: before student code.

The worker imports ``autograder.probe`` before it loads a submission, so the originals of
builtins, numpy and the Keras classes a probe relies on are recorded here first. ``restore``
puts them back after every piece of student code has run: a submission that patches
``tf.keras.Model.fit``, ``np.array_equal`` or ``builtins.any`` changes nothing it is scored on.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np
import tensorflow as tf

Model = tf.keras.Model
Sequential = tf.keras.Sequential
Layer = tf.keras.layers.Layer
Callback = tf.keras.callbacks.Callback
History = tf.keras.callbacks.History
Optimizer = tf.keras.optimizers.Optimizer
fit = tf.keras.Model.fit
evaluate = tf.keras.Model.evaluate
compute_loss = tf.keras.Model.compute_loss
get_weights = tf.keras.Model.get_weights
load_model = tf.keras.models.load_model
convert_to_tensor = tf.convert_to_tensor
Variable = tf.Variable
constant = tf.constant

_MODULES = (builtins, np, np.testing, np.linalg, np.random)
_CLASSES = tuple(
    {
        cls
        for base in (
            Model,
            Sequential,
            tf.keras.layers.Dense,
            tf.keras.layers.Flatten,
            Callback,
            History,
            tf.keras.optimizers.Adam,
        )
        for cls in base.__mro__
        if cls is not object
    }
)


def _snapshot() -> list[tuple[Any, dict[str, Any]]]:
    saved: list[tuple[Any, dict[str, Any]]] = [(m, dict(vars(m))) for m in _MODULES]
    saved += [(cls, dict(vars(cls))) for cls in _CLASSES]
    return saved


_SAVED = _snapshot()


def restore() -> None:
    """Undo whatever student code changed in the modules and classes probes rely on."""
    for owner, original in _SAVED:
        current = vars(owner)
        is_class = isinstance(owner, type)
        for name, value in original.items():
            if current.get(name, _MISSING) is not value:
                try:
                    setattr(owner, name, value)
                except (AttributeError, TypeError):
                    pass  # read-only slots of built-in types cannot be patched either
        if is_class:  # a method added to a subclass would shadow the original (Sequential.fit)
            for name in [n for n in current if n not in original and not n.startswith("_")]:
                try:
                    delattr(owner, name)
                except (AttributeError, TypeError):
                    pass


_MISSING = object()
