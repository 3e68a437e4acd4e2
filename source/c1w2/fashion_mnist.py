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
    ### BEGIN SOLUTION
    return images / 255.0
    ### END SOLUTION


def build_model(hidden_units=128):
    """An uncompiled Sequential model: Input (28, 28), Flatten, Dense relu, Dense(10) softmax."""
    ### BEGIN SOLUTION
    return tf.keras.Sequential(
        [
            tf.keras.Input(shape=(28, 28)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(hidden_units, activation="relu"),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    ### END SOLUTION


def compile_model(model):
    """Compile ``model`` with Adam, sparse categorical cross-entropy and accuracy; return it."""
    ### BEGIN SOLUTION
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model
    ### END SOLUTION


def train_model(model, images, labels, epochs=5, callbacks=None):
    """Fit ``model`` for ``epochs`` epochs with the given callbacks; return the History."""
    ### BEGIN SOLUTION
    return model.fit(images, labels, epochs=epochs, callbacks=callbacks)
    ### END SOLUTION


def predict_labels(model, images):
    """The most probable class index of each image: integers of shape (n,)."""
    ### BEGIN SOLUTION
    probabilities = model.predict(images, verbose=0)
    return np.argmax(probabilities, axis=1)
    ### END SOLUTION


# ---------------------------------------------------------------------------------------------
# Part 2: stopping training with a callback
# ---------------------------------------------------------------------------------------------


class ThresholdCallback(tf.keras.callbacks.Callback):
    """Stop training once ``logs[metric]`` reaches ``threshold`` (at most, for a loss)."""

    def __init__(self, threshold=0.85, metric="accuracy"):  # course: checks.callback_threshold
        super().__init__()
        ### BEGIN SOLUTION
        self.threshold = threshold
        self.metric = metric
        ### END SOLUTION

    def on_epoch_end(self, epoch, logs=None):
        ### BEGIN SOLUTION
        value = (logs or {}).get(self.metric)
        if value is None:
            return
        if self.metric.endswith("loss"):
            reached = value <= self.threshold
        else:
            reached = value >= self.threshold
        if reached:
            print(f"Reached {self.metric} {value} so cancelling training!")
            self.model.stop_training = True
        ### END SOLUTION


def train_until(images, labels, threshold=0.85, max_epochs=10):  # course: checks.callback_threshold
    """Normalize, build, compile and train until accuracy reaches ``threshold``.

    Returns ``(model, history)``; training runs at most ``max_epochs`` epochs.
    """
    ### BEGIN SOLUTION
    model = compile_model(build_model())
    history = train_model(
        model,
        normalize(images),
        labels,
        epochs=max_epochs,
        callbacks=[ThresholdCallback(threshold)],
    )
    return model, history
    ### END SOLUTION


# ---------------------------------------------------------------------------------------------
# Part 3: exploration
# ---------------------------------------------------------------------------------------------


def count_params(hidden_units):
    """The trainable parameter count of ``build_model(hidden_units)``, by arithmetic."""
    ### BEGIN SOLUTION
    pixels = 28 * 28
    hidden = pixels * hidden_units + hidden_units
    output = hidden_units * 10 + 10
    return hidden + output
    ### END SOLUTION


def shape_without_flatten(hidden_units=128):
    """The output shape Keras reports for ``build_model(hidden_units)`` without its Flatten."""
    ### BEGIN SOLUTION
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(28, 28)),
            tf.keras.layers.Dense(hidden_units, activation="relu"),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    return model.output_shape
    ### END SOLUTION


def output_units_needed(labels):
    """How many softmax units integer ``labels`` need: the largest label + 1."""
    ### BEGIN SOLUTION
    return int(np.max(labels)) + 1
    ### END SOLUTION


def overfitting_epoch(history):
    """The 0-based epoch with the lowest ``val_loss`` if a later epoch is worse, else None."""
    ### BEGIN SOLUTION
    logs = history.history if hasattr(history, "history") else history
    val_loss = list(logs["val_loss"])
    best = int(np.argmin(val_loss))
    if any(later > val_loss[best] for later in val_loss[best + 1 :]):
        return best
    return None
    ### END SOLUTION


def normalization_effect(images, labels, epochs=1, seed=0):
    """``(accuracy_normalized, accuracy_raw)``: final training accuracy of two seeded models."""
    ### BEGIN SOLUTION
    accuracies = []
    for inputs in (normalize(images), images):
        tf.keras.utils.set_random_seed(seed)
        model = compile_model(build_model())
        history = train_model(model, inputs, labels, epochs=epochs)
        accuracies.append(float(history.history["accuracy"][-1]))
    return tuple(accuracies)
    ### END SOLUTION
