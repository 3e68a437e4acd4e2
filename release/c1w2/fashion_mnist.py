"""Course 1, Week 2: computer vision on Fashion-MNIST, and controlling training with callbacks.

Fill in every function marked ``# YOUR CODE HERE``. Check yourself with ``python -m pytest``
in this folder; the autograder runs more tests than the ones you can see.
"""

import numpy as np
import tensorflow as tf

# The 10 Fashion-MNIST classes, in label order (label 0 is a T-shirt/top, label 9 an ankle boot).
CLASS_NAMES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]


def load_data():
    """Return ``(x_train, y_train), (x_test, y_test)``: uint8 28x28 images and labels 0-9."""
    return tf.keras.datasets.fashion_mnist.load_data()


# ---------------------------------------------------------------------------------------------
# Part 1: the model
# ---------------------------------------------------------------------------------------------


def normalize(images):
    """Scale pixel values from 0-255 to 0-1 as floating point, without modifying ``images``."""
    # YOUR CODE HERE
    raise NotImplementedError()


def build_model(hidden_units=128):
    """An uncompiled Sequential model: Input (28, 28), Flatten, Dense relu, Dense(10) softmax."""
    # YOUR CODE HERE
    raise NotImplementedError()


def compile_model(model):
    """Compile ``model`` with Adam, sparse categorical cross-entropy and accuracy; return it."""
    # YOUR CODE HERE
    raise NotImplementedError()


def train_model(model, images, labels, epochs=5, callbacks=None):
    """Fit ``model`` for ``epochs`` epochs with the given callbacks; return the History."""
    # YOUR CODE HERE
    raise NotImplementedError()


def predict_labels(model, images):
    """The most probable class index of each image: integers of shape (n,)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# ---------------------------------------------------------------------------------------------
# Part 2: stopping training with a callback
# ---------------------------------------------------------------------------------------------


class ThresholdCallback(tf.keras.callbacks.Callback):
    """Stop training once ``logs[metric]`` reaches ``threshold`` (at most, for a loss)."""

    def __init__(self, threshold=0.85, metric="accuracy"):
        super().__init__()
        # YOUR CODE HERE
        raise NotImplementedError()

    def on_epoch_end(self, epoch, logs=None):
        # YOUR CODE HERE
        raise NotImplementedError()


def train_until(images, labels, threshold=0.85, max_epochs=10):
    """Normalize, build, compile and train until accuracy reaches ``threshold``.

    Returns ``(model, history)``; training runs at most ``max_epochs`` epochs.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


# ---------------------------------------------------------------------------------------------
# Part 3: exploration
# ---------------------------------------------------------------------------------------------


def count_params(hidden_units):
    """The trainable parameter count of ``build_model(hidden_units)``, by arithmetic."""
    # YOUR CODE HERE
    raise NotImplementedError()


def shape_without_flatten(hidden_units=128):
    """The output shape Keras reports for ``build_model(hidden_units)`` without its Flatten."""
    # YOUR CODE HERE
    raise NotImplementedError()


def output_units_needed(labels):
    """How many softmax units integer ``labels`` need: the largest label + 1."""
    # YOUR CODE HERE
    raise NotImplementedError()


def overfitting_epoch(history):
    """The 0-based epoch with the lowest ``val_loss`` if a later epoch is worse, else None."""
    # YOUR CODE HERE
    raise NotImplementedError()


def normalization_effect(images, labels, epochs=1, seed=0):
    """``(accuracy_normalized, accuracy_raw)``: final training accuracy of two seeded models."""
    # YOUR CODE HERE
    raise NotImplementedError()
