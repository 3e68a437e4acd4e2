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
