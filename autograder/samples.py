"""The data probes and judges agree on: seeded arrays and fixed slices of real Fashion-MNIST.

Neutral ground: it imports neither side, and is staged into the sandbox beside the probes."""

from __future__ import annotations

import functools

import numpy as np


def pixel_images(seed: int, count: int = 6) -> np.ndarray:
    """Seeded uint8 images that contain both 0 and 255, so every scaling mistake shows."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(count, 28, 28), dtype=np.uint8)
    images[0, 0, 0] = 0
    images[0, 0, 1] = 255
    return images


# The kinds of input normalize is given: a dtype or shape a real answer could branch on.
NORMALIZE_INPUTS = (
    ("a uint8 batch", "uint8", 6, False),
    ("a float32 batch", "float32", 4, False),
    ("one float64 image", "float64", 1, True),
)


def normalize_inputs(seed: int) -> list[tuple[str, np.ndarray]]:
    """(what it is, the array) for each input normalize is given; the first is the main one."""
    made = []
    for offset, (name, dtype, count, single) in enumerate(NORMALIZE_INPUTS):
        images = pixel_images(seed + offset, count).astype(dtype)
        made.append((name, images[0] if single else images))
    return made


# Logits every activation is tried on: negatives, zero, positives, small and large.
ACTIVATION_INPUT = np.array(
    [
        [-5.0, -1.5, -0.25, 0.0, 0.25, 1.0, 2.5, 4.0, 8.0, -10.0],
        [3.0, 2.0, 1.0, 0.5, -0.5, -1.0, -2.0, -3.0, 0.1, 6.0],
        [0.0] * 10,
    ],
    dtype=np.float32,
)


# Gradients fed, one step each, to a fresh copy of the compiled optimizer.
OPTIMIZER_START = [1.0, -1.0, 0.5, 2.0]
OPTIMIZER_GRADIENTS = [[0.5, -2.0, 1e-3, 4.0], [1.0, 1.0, -1.0, 0.0], [-0.3, 0.2, 0.7, -1.5]]
OPTIMIZER_KEYS = ("learning_rate", "beta_1", "beta_2", "epsilon", "weight_decay", "amsgrad")
COMPILE_IMAGES = 32  # held-out images the compiled loss and metrics are evaluated on


# Held-out batches predict_labels is given: (what they are, how many images, dtype).
PREDICT_INPUTS = (("64 float64 images", None, "float64"), ("one float32 image", 1, "float32"))


@functools.lru_cache(maxsize=1)
def fashion_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The real data set through Keras (read from $KERAS_HOME, downloaded only if absent)."""
    import tensorflow as tf

    return tf.keras.datasets.fashion_mnist.load_data()


def train_slice(count: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``count`` training images (uint8) and labels: a fixed subset."""
    (images, labels), _ = fashion_mnist()
    return images[:count], labels[:count]


def test_slice(count: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``count`` held-out test images (uint8) and labels."""
    _, (images, labels) = fashion_mnist()
    return images[:count], labels[:count]
