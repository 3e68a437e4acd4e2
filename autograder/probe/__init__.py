"""Probes: the only grader code that runs next to student code, inside the sandbox.

A probe calls the student's functions on inputs chosen by the grader and writes down what came
back as plain data (JSON-able values and ``.npy`` files). It decides nothing: the judges in
``autograder.checks`` score that data in a process that never imported student code. Probes hold
no solution and no expected answer.
"""

from autograder.probe.exploration import (
    probe_count_params,
    probe_normalization_effect,
    probe_output_units_needed,
    probe_overfitting_epoch,
    probe_shape_without_flatten,
)
from autograder.probe.model import (
    probe_build_model,
    probe_compile_model,
    probe_normalize,
    probe_predict_labels,
)
from autograder.probe.training import probe_threshold_callback, probe_train_model, probe_train_until

PROBES = {
    "normalize": probe_normalize,
    "build_model": probe_build_model,
    "compile_model": probe_compile_model,
    "train_model": probe_train_model,
    "predict_labels": probe_predict_labels,
    "ThresholdCallback": probe_threshold_callback,
    "train_until": probe_train_until,
    "count_params": probe_count_params,
    "shape_without_flatten": probe_shape_without_flatten,
    "output_units_needed": probe_output_units_needed,
    "overfitting_epoch": probe_overfitting_epoch,
    "normalization_effect": probe_normalization_effect,
}
