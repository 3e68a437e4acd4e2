"""Auto-graded teaching kit for TensorFlow Course 1, Week 2 (Fashion-MNIST and callbacks)."""

__version__ = "0.1.0"
