"""Read by pytest with the visible tests (you need not open it). At the end of the run it says
what the tests checked and what only the grader checks, and, in one line, whether your
TensorFlow or Keras behaves unlike the grader's."""

import numpy as np

# The versions the grader runs (from the course's pins), and per exercise what these tests
# check and what only the grader checks (by the names its feedback uses): both written here by
# the course's release.
GRADER_VERSIONS = {"tensorflow": "2.21.0", "keras": "3.15.1"}
SELF_CHECK = {
    "normalize": {
        "checked": [
            "same shape",
            "floating point",
            "scaled to 0-1",
            "input unchanged"
        ],
        "grader_only": []
    },
    "build_model": {
        "checked": [
            "Sequential",
            "not compiled",
            "input shape",
            "Flatten first",
            "hidden units",
            "hidden relu",
            "output units",
            "output softmax",
            "three layers",
            "uses hidden_units"
        ],
        "grader_only": []
    },
    "compile_model": {
        "checked": [
            "returns the model",
            "optimizer",
            "loss",
            "accuracy metric"
        ],
        "grader_only": []
    },
    "train_model": {
        "checked": [
            "returns History",
            "asked epochs",
            "uses callbacks"
        ],
        "grader_only": [
            "trains the given model",
            "callbacks=None"
        ]
    },
    "predict_labels": {
        "checked": [
            "one label per image",
            "integer labels",
            "most probable class"
        ],
        "grader_only": []
    },
    "ThresholdCallback": {
        "checked": [
            "is a Callback",
            "stops at the threshold",
            "message"
        ],
        "grader_only": [
            "honours threshold",
            "loss goes down",
            "named metric",
            "missing logs",
            "real training"
        ]
    },
    "train_until": {
        "checked": [],
        "grader_only": [
            "returns (model, history)",
            "reaches threshold",
            "stops at first epoch reaching it",
            "halts before max_epochs",
            "classifies held-out images"
        ]
    },
    "count_params": {
        "checked": [
            "128 units"
        ],
        "grader_only": [
            "any size"
        ]
    },
    "shape_without_flatten": {
        "checked": [],
        "grader_only": [
            "hidden_units the grader picks"
        ]
    },
    "output_units_needed": {
        "checked": [
            "Fashion-MNIST labels"
        ],
        "grader_only": [
            "unseen labels"
        ]
    },
    "overfitting_epoch": {
        "checked": [
            "lowest val_loss"
        ],
        "grader_only": [
            "None without overfitting",
            "first on ties",
            "History input"
        ]
    },
    "normalization_effect": {
        "checked": [],
        "grader_only": [
            "two accuracies",
            "normalization helps"
        ]
    }
}


def logged_accuracy_key():
    """The key this Keras logs metrics=["accuracy"] under ('accuracy', or 'acc' in old ones)."""
    import tensorflow as tf

    model = tf.keras.Sequential([tf.keras.layers.Dense(2, activation="softmax", input_shape=(1,))])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    logs = model.fit(np.zeros((2, 1)), np.zeros(2), epochs=1, verbose=0).history
    return next((key for key in logs if key != "loss"), None)


def environment_drift(tensorflow_version, keras_version, accuracy_key, grader=GRADER_VERSIONS):
    """One line when this Keras behaves unlike the grader's (another major version), else None.
    ``accuracy_key`` is asked only then."""
    here, there = str(keras_version).split(".")[0], grader["keras"].split(".")[0]
    if here == there:
        return None
    key = accuracy_key()
    logged = f" and logs metrics=['accuracy'] as '{key}'" if key and key != "accuracy" else ""
    return (
        f"Your TensorFlow {tensorflow_version} runs Keras {here}{logged}, the grader Keras {there} "
        f"(TensorFlow {grader['tensorflow']}): some checks here may disagree with the grader; "
        f"run `pip install tensorflow=={grader['tensorflow']} keras=={grader['keras']}` "
        "and restart, or trust the grader's feedback over these checks."
    )


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """What was checked here and what only the grader checks; the environment, if it drifts."""
    write = terminalreporter.write_line
    terminalreporter.section("what these tests checked")
    try:
        import tensorflow as tf

        drift = environment_drift(
            tf.__version__, getattr(tf.keras, "__version__", "2"), logged_accuracy_key
        )
    except Exception as exc:  # noqa: BLE001 - the tests above say what is wrong
        drift = f"TensorFlow could not be checked ({type(exc).__name__}): see the tests above."
    if drift:
        write(drift)
    for exercise, parts in SELF_CHECK.items():
        checked = ", ".join(parts["checked"]) or "nothing"
        grader_only = ", ".join(parts["grader_only"]) or "the same checks, on its own inputs"
        write(f"{exercise}: checked here: {checked}; only the grader: {grader_only}")
    write(
        "Every test passing is a good sign, not full marks: the grader also runs the checks "
        "named 'only the grader', on inputs you have not seen, and trains on Fashion-MNIST."
    )
