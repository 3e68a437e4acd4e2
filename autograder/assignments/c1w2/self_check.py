"""What the student's self-check covers, per exercise, by the grader's sub-check names.

The one place that says it: ``autograder release`` turns it into the notebook's last cell and
into the summary pytest prints after the visible tests (see ``autograder.release.self_check``),
and every sub-check of a judge's ``SUBCHECKS`` not named here is reported as one only the grader
checks. ``tests/release/test_self_check_summary.py`` keeps the names real and the tests named
here present.

- ``NOTEBOOK``: exercise -> the sub-checks its check cell (``check_<exercise>``) covers.
- ``MODULE``: exercise -> visible test (in ``student/test_<module>.py``) -> the sub-checks it
  covers.

A sub-check is covered when a self-check judges the same behaviour, so that an answer failing
that sub-check fails the self-check too (on the self-check's own inputs, never the grader's).
"""

from __future__ import annotations

NOTEBOOK: dict[str, tuple[str, ...]] = {
    "normalize": ("same shape", "floating point", "scaled to 0-1", "input unchanged"),
    "build_model": (
        "Sequential",
        "not compiled",
        "input shape",
        "Flatten first",
        "hidden units",
        "hidden relu",
        "output units",
        "output softmax",
        "three layers",
        "uses hidden_units",
    ),
    "compile_model": ("returns the model", "optimizer", "loss", "accuracy metric"),
    "ThresholdCallback": ("is a Callback", "stops at the threshold"),
    "count_params": ("128 units",),
    "output_units_needed": ("Fashion-MNIST labels",),
    "overfitting_epoch": ("lowest val_loss",),
}

MODULE: dict[str, dict[str, tuple[str, ...]]] = {
    "normalize": {
        "test_normalize_scales_pixels_to_0_1": ("scaled to 0-1",),
        "test_normalize_returns_floats": ("floating point",),
        "test_normalize_keeps_shape": ("same shape",),
        "test_normalize_leaves_its_input_unchanged": ("input unchanged",),
    },
    "build_model": {
        "test_build_model_returns_a_sequential": ("Sequential",),
        "test_build_model_is_not_compiled": ("not compiled",),
        "test_build_model_input_is_one_28x28_image": ("input shape",),
        "test_build_model_layers_are_flatten_dense_dense": ("Flatten first", "three layers"),
        "test_build_model_hidden_layer_is_dense_128_relu": ("hidden units", "hidden relu"),
        "test_build_model_output_layer_is_dense_10_softmax": ("output units", "output softmax"),
        "test_build_model_uses_hidden_units": ("uses hidden_units",),
    },
    "compile_model": {
        "test_compile_model_returns_the_model": ("returns the model",),
        "test_compile_model_uses_adam": ("optimizer",),
        "test_compile_model_uses_sparse_categorical_crossentropy": ("loss",),
        "test_compile_model_reports_accuracy": ("accuracy metric",),
    },
    "train_model": {
        "test_train_model_returns_a_history": ("returns History",),
        "test_train_model_runs_the_epochs_asked": ("asked epochs",),
        "test_train_model_passes_the_callbacks": ("uses callbacks",),
    },
    "predict_labels": {
        "test_predict_labels_returns_one_integer_per_image": (
            "one label per image",
            "integer labels",
        ),
        "test_predict_labels_picks_the_most_probable_class": ("most probable class",),
    },
    "ThresholdCallback": {
        "test_callback_is_a_keras_callback": ("is a Callback",),
        "test_callback_keeps_training_below_threshold": ("stops at the threshold",),
        "test_callback_stops_when_accuracy_reaches_threshold": ("stops at the threshold",),
        "test_callback_prints_reached_message": ("message",),
    },
    "count_params": {"test_count_params_for_128_hidden_units": ("128 units",)},
    "output_units_needed": {
        "test_output_units_needed_for_labels_0_to_9": ("Fashion-MNIST labels",),
    },
    "overfitting_epoch": {"test_overfitting_epoch_finds_lowest_val_loss": ("lowest val_loss",)},
}
