"""Visible tests: a first check of each exercise (the grader checks more)."""

import numpy as np

import mini_lab


def test_double_doubles():
    assert np.allclose(mini_lab.double(np.array([1, 2])), [2, 4])


def test_build_tiny_outputs_one_number():
    assert mini_lab.build_tiny().output_shape == (None, 1)
