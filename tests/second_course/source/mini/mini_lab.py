"""A second, small assignment: arrays with numpy, and a first Keras model.

Fill in every function marked ``# YOUR CODE HERE``; check yourself with ``python -m pytest``.
"""

import numpy as np
import tensorflow as tf


def double(values):
    """Twice every value of ``values``, in the same shape."""
    ### BEGIN SOLUTION
    return np.asarray(values) * 2
    ### END SOLUTION


def build_tiny():
    """An uncompiled Sequential model: 3 numbers in, one Dense unit out."""
    ### BEGIN SOLUTION
    return tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(1)])
    ### END SOLUTION
