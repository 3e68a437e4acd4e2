"""Reference parts made on the grader side: models the probes use, data the judges compare to.

Using reference parts keeps exercises independent: a broken build_model costs nothing in
compile_model, train_model or predict_labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograder.checks import activations
from autograder.checks.inputs import PREDICT_IMAGES
from autograder.config import Assignment
from autograder.samples import ACTIVATION_INPUT

REFERENCE_HIDDEN_UNITS = 128
SEEN_IMAGES = 5000  # training images on which a reported history is checked against the model
# What an activation is seen to do (autograder.checks.activations) -> the Keras name rebuilt.
KERAS_ACTIVATIONS = {
    "relu": "relu",
    "softmax": "softmax",
    "linear (no activation)": "linear",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "elu": "elu",
    "softplus": "softplus",
    "swish": "swish",
    "leaky relu": "leaky_relu",
    "relu6": "relu6",
}


def keras_activation(layer: dict) -> str | None:
    """The Keras activation that does what the layer's did on the grader's logits, or None."""
    does = activations.outputs(layer.get("activation_does"), ACTIVATION_INPUT.shape)
    return KERAS_ACTIVATIONS.get(activations.looks_like(ACTIVATION_INPUT, does))


def reference_model(hidden_units: int = REFERENCE_HIDDEN_UNITS):  # -> tf.keras.Sequential
    """The course model, uncompiled."""
    import tensorflow as tf

    return tf.keras.Sequential(
        [
            tf.keras.Input(shape=(28, 28)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(hidden_units, activation="relu"),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )


def compile_reference(model):
    """The course's compile settings."""
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


@dataclass(frozen=True)
class References:
    """Files for the sandbox (``directory``) and answers kept on the grader side."""

    directory: Path
    predicted_labels: np.ndarray
    heldout_images: np.ndarray
    heldout_labels: np.ndarray
    seen_images: np.ndarray | None = None  # the first training images train_until gets
    seen_labels: np.ndarray | None = None


def make_references(assignment: Assignment, directory: Path) -> References:
    """Write the reference models the probes load, and compute what the judges compare to."""
    import tensorflow as tf

    from autograder.samples import test_slice, train_slice

    directory.mkdir(parents=True, exist_ok=True)
    tf.config.experimental.enable_op_determinism()
    tf.keras.utils.set_random_seed(assignment.seed)
    reference_model().save(directory / "reference_uncompiled.keras")
    compile_reference(reference_model()).save(directory / "reference_compiled.keras")
    trained = compile_reference(reference_model())
    images, labels = train_slice(2000)
    trained.fit(images / 255.0, labels, epochs=1, verbose=0)
    trained.save(directory / "reference_trained.keras")
    test_images, _ = test_slice(PREDICT_IMAGES)
    predicted = np.argmax(trained.predict(test_images / 255.0, verbose=0), axis=1)
    heldout_images, heldout_labels = test_slice(assignment.checks.heldout_images)
    seen_images, seen_labels = train_slice(min(SEEN_IMAGES, assignment.checks.train_until_images))
    return References(
        directory,
        predicted,
        heldout_images / 255.0,
        heldout_labels,
        (seen_images / 255.0).astype(np.float32),
        seen_labels,
    )


def rebuild_dense_model(layers: list[dict], weights: list[np.ndarray]):
    """Rebuild a Flatten/Dense model from plain layer descriptions and weight arrays.

    The grader never deserializes a model a student produced: it builds the layers itself and
    only copies in numbers. Returns None when the model is not of that shape.
    """
    import tensorflow as tf

    built = [tf.keras.Input(shape=(28, 28))]
    for layer in layers:
        kind = layer.get("class")
        if kind == "Flatten":
            built.append(tf.keras.layers.Flatten())
        elif kind == "Dense":
            activation = keras_activation(layer)
            units = layer.get("units")
            if activation is None or not isinstance(units, int) or units < 1:
                return None
            built.append(tf.keras.layers.Dense(units, activation=activation))
        elif kind == "Dropout":
            built.append(tf.keras.layers.Dropout(0.0))
        else:
            return None
    try:
        model = tf.keras.Sequential(built)
        model.set_weights(weights)
    except (ValueError, TypeError):
        return None
    return model
