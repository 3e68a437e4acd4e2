"""The equivalence corpus: correct c1w2 submissions written in many spellings, generated.

Issue 13 item 5 and docs/INTERFACE.md ("Behaviour, not spelling"): every spelling that Keras,
TensorFlow or numpy accept and that behaves the same must score the same. This module makes such
submissions instead of listing them by hand:

- ``AXES`` holds, per spelling axis, a few alternative code snippets. Each snippet is a
  ``string.Template``: ``${keras}`` is the Keras namespace of the chosen import style
  (``tf.keras`` or ``keras``), and the templates of a cell name the axes they take in (the
  ``build_model`` construction takes ``${hidden}`` and ``${output}``, the callback takes
  ``${message}``, ...). Every snippet of every axis is a correct answer by the contract.
- ``variants()`` combines the axes deterministically: axis by axis, option ``i`` of variant
  ``n`` comes from a seeded sequence of shuffled permutations of that axis's options, so the first
  ``len(options)`` variants use each option of that axis exactly once (the first ``COVERING``
  variants use every option of every axis), and the rest mix them differently. Duplicates (two
  choices that spell the same text, say ``tf.keras.activations.relu`` reached through either
  import style) are dropped, until there are ``COUNT`` distinct variants.
- A ``Variant`` renders as a module (``variant.source``: the solution's given part, then one
  function per exercise) or as the solution notebook with each solution cell replaced
  (``as_notebook``; cells are found by nbgrader grade id).

``DOUBTFUL`` lists spellings the contract does not clearly call equivalent (they are not in any
variant and not counted), and ``NOT_EQUIVALENT`` spellings that change behaviour the contract fixes
(mistakes, not variants), each with the reason.

    python tests/corpus/equivalence.py OUT_DIR   # the corpus as a class, modules and notebooks
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from string import Template

import nbformat

ROOT = Path(__file__).resolve().parents[2]
SOLUTION_MODULE = ROOT / "solutions" / "c1w2" / "fashion_mnist.py"
SOLUTION_NOTEBOOK = ROOT / "solutions" / "c1w2" / "fashion_mnist.ipynb"
RELEASE = ROOT / "release" / "c1w2"

COUNT = 64  # variants made; the issue asks for at least 60
SEED = 13

# The graded cells in the order of the module, each with the axis whose snippet is its code.
CELLS = {
    "normalize": "normalize",
    "build_model": "construction",
    "compile_model": "compile_form",
    "train_model": "train_model",
    "predict_labels": "predict_labels",
    "ThresholdCallback": "callback",
    "train_until": "train_until",
    "count_params": "count_params",
    "shape_without_flatten": "shape_without_flatten",
    "output_units_needed": "output_units_needed",
    "overfitting_epoch": "overfitting_epoch",
    "normalization_effect": "normalization_effect",
}

# Import style -> (the line added after ``import tensorflow as tf``, the Keras namespace).
IMPORTS = {
    "tf.keras": ("", "tf.keras"),
    "from_tensorflow_import_keras": ("from tensorflow import keras", "keras"),
    "import_keras": ("import keras", "keras"),
}

AXES: dict[str, dict[str, str]] = {
    "imports": {name: namespace for name, (_, namespace) in IMPORTS.items()},
    # --- normalize ---------------------------------------------------------------------------
    "normalize": {
        "divide_float": """
def normalize(images):
    return images / 255.0
""",
        "divide_int": """
def normalize(images):
    return images / 255
""",
        "np_divide": """
def normalize(images):
    return np.divide(images, 255.0)
""",
        "astype_float32": """
def normalize(images):
    return images.astype("float32") / 255
""",
        "asarray_float64": """
def normalize(images):
    return np.asarray(images, dtype=np.float64) / 255.0
""",
        "copy_then_divide_in_place": """
def normalize(images):
    scaled = images.astype(np.float32)  # astype copies: the caller's array is left alone
    scaled /= 255.0
    return scaled
""",
    },
    # --- build_model -------------------------------------------------------------------------
    "construction": {
        "list_with_input": """
def build_model(hidden_units=128):
    return ${keras}.Sequential([
        ${keras}.Input(shape=(28, 28)),
        ${keras}.layers.Flatten(),
        ${keras}.layers.Dense(hidden_units, activation=${hidden}),
        ${keras}.layers.Dense(10, activation=${output}),
    ])
""",
        "list_flatten_input_shape": """
def build_model(hidden_units=128):
    # the course lab's form
    model = ${keras}.Sequential([
        ${keras}.layers.Flatten(input_shape=(28, 28)),
        ${keras}.layers.Dense(hidden_units, activation=${hidden}),
        ${keras}.layers.Dense(10, activation=${output})
    ])
    return model
""",
        "add_with_input": """
def build_model(hidden_units=128):
    model = ${keras}.Sequential()
    model.add(${keras}.Input(shape=(28, 28)))
    model.add(${keras}.layers.Flatten())
    model.add(${keras}.layers.Dense(hidden_units, activation=${hidden}))
    model.add(${keras}.layers.Dense(10, activation=${output}))
    return model
""",
        "add_flatten_input_shape": """
def build_model(hidden_units=128):
    model = ${keras}.models.Sequential()
    model.add(${keras}.layers.Flatten(input_shape=(28, 28)))
    model.add(${keras}.layers.Dense(hidden_units, activation=${hidden}))
    model.add(${keras}.layers.Dense(10, activation=${output}))
    return model
""",
        "input_layer": """
def build_model(hidden_units=128):
    return ${keras}.Sequential([
        ${keras}.layers.InputLayer(shape=(28, 28)),
        ${keras}.layers.Flatten(),
        ${keras}.layers.Dense(hidden_units, activation=${hidden}),
        ${keras}.layers.Dense(10, activation=${output}),
    ])
""",
        "keywords_and_names": """
def build_model(hidden_units=128):
    return ${keras}.Sequential(
        layers=[
            ${keras}.Input(shape=(28, 28), name="pixels"),
            ${keras}.layers.Flatten(name="flatten"),
            ${keras}.layers.Dense(units=hidden_units, activation=${hidden}, name="hidden"),
            ${keras}.layers.Dense(units=10, activation=${output}, name="probabilities"),
        ],
        name="fashion_classifier",
    )
""",
    },
    "hidden": {
        "string": '"relu"',
        "tf_nn": "tf.nn.relu",
        "keras_activations": "${keras}.activations.relu",
        "tf_keras_activations": "tf.keras.activations.relu",
    },
    "output": {
        "string": '"softmax"',
        "tf_nn": "tf.nn.softmax",
        "keras_activations": "${keras}.activations.softmax",
        "tf_keras_activations": "tf.keras.activations.softmax",
    },
    # --- compile_model -----------------------------------------------------------------------
    "compile_form": {
        "keywords": """
def compile_model(model):
    model.compile(optimizer=${optimizer}, loss=${loss}, metrics=${metrics})
    return model
""",
        "positional": """
def compile_model(model):
    model.compile(${optimizer}, ${loss}, metrics=${metrics})
    return model
""",
        "settings_first": """
def compile_model(model):
    optimizer = ${optimizer}
    loss = ${loss}
    model.compile(
        optimizer=optimizer,
        loss=loss,
        metrics=${metrics},
    )
    return model
""",
    },
    "optimizer": {
        "string": '"adam"',
        "capitalised_string": '"Adam"',
        "object": "${keras}.optimizers.Adam()",
        "object_learning_rate": "${keras}.optimizers.Adam(learning_rate=0.001)",
    },
    "loss": {
        "string": '"sparse_categorical_crossentropy"',
        "object": "${keras}.losses.SparseCategoricalCrossentropy()",
        "object_from_logits_false": "${keras}.losses.SparseCategoricalCrossentropy(from_logits=False)",
        "function": "${keras}.losses.sparse_categorical_crossentropy",
    },
    "metrics": {
        "string": '["accuracy"]',
        "tuple": '("accuracy",)',
        "object_named_accuracy": '[${keras}.metrics.SparseCategoricalAccuracy(name="accuracy")]',
    },
    # --- train_model -------------------------------------------------------------------------
    "train_model": {
        "keywords": """
def train_model(model, images, labels, epochs=5, callbacks=None):
    return model.fit(images, labels, epochs=epochs, callbacks=callbacks)
""",
        "quiet": """
def train_model(model, images, labels, epochs=5, callbacks=None):
    return model.fit(images, labels, epochs=epochs, callbacks=callbacks, verbose=0)
""",
        "positional": """
def train_model(model, images, labels, epochs=5, callbacks=None):
    return model.fit(images, labels, None, epochs, "auto", callbacks)
""",
        "named_xy": """
def train_model(model, images, labels, epochs=5, callbacks=None):
    history = model.fit(x=images, y=labels, epochs=epochs, callbacks=callbacks or [])
    return history
""",
    },
    # --- predict_labels ----------------------------------------------------------------------
    "predict_labels": {
        "np_argmax_axis1": """
def predict_labels(model, images):
    return np.argmax(model.predict(images), axis=1)
""",
        "method_argmax": """
def predict_labels(model, images):
    return model.predict(images, verbose=0).argmax(-1)
""",
        "call_model": """
def predict_labels(model, images):
    return np.argmax(model(images), axis=-1)
""",
        "tf_argmax": """
def predict_labels(model, images):
    return tf.argmax(model.predict(images, verbose=0), axis=1).numpy()
""",
        "astype_int": """
def predict_labels(model, images):
    probabilities = model.predict(images, verbose=0)
    return np.argmax(probabilities, axis=-1).astype(int)
""",
    },
    # --- ThresholdCallback: every style binds ``metric`` and ``value`` before ${message} -----
    "callback": {
        "get_or_empty": """
class ThresholdCallback(${keras}.callbacks.Callback):
    def __init__(self, threshold=0.85, metric="accuracy"):
        super().__init__()
        self.threshold = threshold
        self.metric = metric

    def on_epoch_end(self, epoch, logs=None):
        metric = self.metric
        value = (logs or {}).get(metric)
        if value is None:
            return
        if metric.endswith("loss"):
            reached = value <= self.threshold
        else:
            reached = value >= self.threshold
        if reached:
            ${message}
            self.model.stop_training = True
""",
        "logs_default_dict": """
class ThresholdCallback(${keras}.callbacks.Callback):
    def __init__(self, threshold=0.85, metric="accuracy"):
        super().__init__()
        self.threshold = threshold
        self.metric = metric

    def on_epoch_end(self, epoch, logs={}):
        if not logs or self.metric not in logs:
            return
        metric, value = self.metric, logs[self.metric]
        if metric.endswith("loss") and value <= self.threshold or (
            not metric.endswith("loss") and value >= self.threshold
        ):
            ${message}
            self.model.stop_training = True
""",
        "logs_get_and_helper": """
class ThresholdCallback(${keras}.callbacks.Callback):
    def __init__(self, threshold=0.85, metric="accuracy"):
        super().__init__()
        self.threshold = threshold
        self.metric = metric

    def _reached(self, value):
        if self.metric.endswith("loss"):
            return value <= self.threshold
        return value >= self.threshold

    def on_epoch_end(self, epoch, logs=None):
        metric = self.metric
        value = logs.get(metric) if logs else None
        if value is not None and self._reached(value):
            ${message}
            self.model.stop_training = True
""",
        "if_logs_and": """
class ThresholdCallback(${keras}.callbacks.Callback):
    def __init__(self, threshold=0.85, metric="accuracy"):
        super().__init__()
        self.threshold = threshold
        self.metric = metric

    def on_epoch_end(self, epoch, logs=None):
        metric = self.metric
        if logs and metric in logs:
            value = logs[metric]
            lower_is_better = metric.endswith("loss")
            if (value <= self.threshold) if lower_is_better else (value >= self.threshold):
                ${message}
                self.model.stop_training = True
""",
        "renamed_epoch": """
class ThresholdCallback(${keras}.callbacks.Callback):
    def __init__(self, threshold=0.85, metric="accuracy"):
        super().__init__()
        self.threshold = threshold
        self.metric = metric

    def on_epoch_end(self, ep, logs=None):
        logs = logs or {}
        if self.metric in logs:
            metric = self.metric
            value = logs[metric]
            if metric.endswith("loss"):
                done = value <= self.threshold
            else:
                done = value >= self.threshold
            if done:
                ${message}
                self.model.stop_training = True
""",
        "private_attributes_and_comparison": """
class ThresholdCallback(${keras}.callbacks.Callback):
    def __init__(self, threshold=0.85, metric="accuracy"):
        super(ThresholdCallback, self).__init__()
        self._threshold = threshold
        self._metric = metric
        if metric.endswith("loss"):
            self._good_enough = lambda value: value <= threshold
        else:
            self._good_enough = lambda value: value >= threshold

    def on_epoch_end(self, epoch, logs=None):
        metric = self._metric
        if logs is None or metric not in logs:
            return
        value = logs[metric]
        if self._good_enough(value):
            ${message}
            self.model.stop_training = True
""",
        "try_except": """
class ThresholdCallback(${keras}.callbacks.Callback):
    def __init__(self, threshold=0.85, metric="accuracy"):
        super().__init__()
        self.threshold = threshold
        self.metric = metric

    def on_epoch_end(self, epoch, logs=None):
        metric = self.metric
        try:
            value = logs[metric]
        except (KeyError, TypeError):  # no such key, or logs is None
            return
        sign = -1 if metric.endswith("loss") else 1
        if sign * value >= sign * self.threshold:
            ${message}
            self.model.stop_training = True
""",
    },
    "message": {
        "fstring": 'print(f"Reached {metric} {value} so cancelling training!")',
        "print_arguments": 'print("Reached", metric, value, "so cancelling training!")',
        "format": 'print("Reached {} {} so cancelling training!".format(metric, value))',
        "percent": 'print("Reached %s %s so cancelling training!" % (metric, value))',
        "concatenation": 'print("Reached " + metric + " " + str(value) + " so cancelling training!")',
    },
    # --- train_until -------------------------------------------------------------------------
    "train_until": {
        "composed": """
def train_until(images, labels, threshold=0.85, max_epochs=10):
    model = compile_model(build_model())
    history = train_model(
        model,
        normalize(images),
        labels,
        epochs=max_epochs,
        callbacks=[ThresholdCallback(threshold)],
    )
    return model, history
""",
        "explicit_fit": """
def train_until(images, labels, threshold=0.85, max_epochs=10):
    model = build_model()
    compile_model(model)
    stopper = ThresholdCallback(threshold=threshold, metric="accuracy")
    history = model.fit(normalize(images), labels, epochs=max_epochs, callbacks=[stopper])
    return model, history
""",
        "quiet_fit": """
def train_until(images, labels, threshold=0.85, max_epochs=10):
    x = normalize(images)
    model = compile_model(build_model(128))
    history = model.fit(
        x, labels, epochs=max_epochs, callbacks=[ThresholdCallback(threshold)], verbose=0
    )
    return (model, history)
""",
    },
    # --- the exploration exercises -----------------------------------------------------------
    "count_params": {
        "named_terms": """
def count_params(hidden_units):
    pixels = 28 * 28
    hidden = pixels * hidden_units + hidden_units
    output = hidden_units * 10 + 10
    return hidden + output
""",
        "grouped": """
def count_params(hidden_units):
    return (784 + 1) * hidden_units + (hidden_units + 1) * 10
""",
        "expanded": """
def count_params(hidden_units):
    return 28 * 28 * hidden_units + hidden_units + 10 * hidden_units + 10
""",
        "collapsed": """
def count_params(hidden_units):
    return 795 * hidden_units + 10
""",
        "layer_loop": """
def count_params(hidden_units):
    sizes = [28 * 28, hidden_units, 10]
    return sum((n_in + 1) * n_out for n_in, n_out in zip(sizes, sizes[1:]))
""",
    },
    "shape_without_flatten": {
        "sequential_list": """
def shape_without_flatten(hidden_units=128):
    model = ${keras}.Sequential([
        ${keras}.Input(shape=(28, 28)),
        ${keras}.layers.Dense(hidden_units, activation="relu"),
        ${keras}.layers.Dense(10, activation="softmax"),
    ])
    return model.output_shape
""",
        "sequential_add": """
def shape_without_flatten(hidden_units=128):
    model = ${keras}.Sequential()
    model.add(${keras}.Input(shape=(28, 28)))
    model.add(${keras}.layers.Dense(hidden_units, activation=tf.nn.relu))
    model.add(${keras}.layers.Dense(10, activation=tf.nn.softmax))
    return model.output_shape
""",
        "functional": """
def shape_without_flatten(hidden_units=128):
    inputs = ${keras}.Input(shape=(28, 28))
    hidden = ${keras}.layers.Dense(hidden_units, activation="relu")(inputs)
    outputs = ${keras}.layers.Dense(10, activation="softmax")(hidden)
    return tuple(outputs.shape)
""",
        "compute_output_shape": """
def shape_without_flatten(hidden_units=128):
    model = ${keras}.Sequential([
        ${keras}.layers.Dense(hidden_units, activation="relu"),
        ${keras}.layers.Dense(10, activation="softmax"),
    ])
    return model.compute_output_shape((None, 28, 28))
""",
    },
    "output_units_needed": {
        "int_np_max": """
def output_units_needed(labels):
    return int(np.max(labels)) + 1
""",
        "int_method_max": """
def output_units_needed(labels):
    return int(labels.max()) + 1
""",
        "python_max": """
def output_units_needed(labels):
    return max(int(label) for label in np.ravel(labels)) + 1
""",
    },
    "overfitting_epoch": {
        "argmin": """
def overfitting_epoch(history):
    logs = history.history if hasattr(history, "history") else history
    val_loss = list(logs["val_loss"])
    best = int(np.argmin(val_loss))
    if any(later > val_loss[best] for later in val_loss[best + 1 :]):
        return best
    return None
""",
        "getattr_loop": """
def overfitting_epoch(history):
    logs = getattr(history, "history", history)
    val_loss = logs["val_loss"]
    best = 0
    for epoch in range(1, len(val_loss)):
        if val_loss[epoch] < val_loss[best]:
            best = epoch
    if max(val_loss[best:]) > val_loss[best]:
        return best
    return None
""",
        "isinstance_min_key": """
def overfitting_epoch(history):
    if isinstance(history, ${keras}.callbacks.History):
        history = history.history
    val_loss = [float(v) for v in history["val_loss"]]
    best = min(range(len(val_loss)), key=val_loss.__getitem__)
    worse_later = any(v > val_loss[best] for v in val_loss[best + 1:])
    return best if worse_later else None
""",
        "numpy_mask": """
def overfitting_epoch(history):
    logs = getattr(history, "history", history)
    val_loss = np.asarray(logs["val_loss"], dtype=float)
    best = int(np.flatnonzero(val_loss == val_loss.min())[0])
    if (val_loss[best + 1:] > val_loss[best]).any():
        return best
    return None
""",
    },
    "normalization_effect": {
        "loop": """
def normalization_effect(images, labels, epochs=1, seed=0):
    accuracies = []
    for inputs in (normalize(images), images):
        ${keras}.utils.set_random_seed(seed)
        model = compile_model(build_model())
        history = train_model(model, inputs, labels, epochs=epochs)
        accuracies.append(float(history.history["accuracy"][-1]))
    return tuple(accuracies)
""",
        "unrolled": """
def normalization_effect(images, labels, epochs=1, seed=0):
    ${keras}.utils.set_random_seed(seed)
    normalized_model = compile_model(build_model())
    normalized = normalized_model.fit(normalize(images), labels, epochs=epochs, verbose=0)
    ${keras}.utils.set_random_seed(seed)
    raw_model = compile_model(build_model())
    raw = raw_model.fit(images, labels, epochs=epochs, verbose=0)
    return float(normalized.history["accuracy"][-1]), float(raw.history["accuracy"][-1])
""",
        "helper": """
def normalization_effect(images, labels, epochs=1, seed=0):
    def final_accuracy(inputs):
        tf.keras.utils.set_random_seed(seed)
        model = compile_model(build_model())
        return train_model(model, inputs, labels, epochs=epochs).history["accuracy"][-1]

    return final_accuracy(normalize(images)), final_accuracy(images)
""",
    },
}

# The axis a cell template takes in, besides ${keras}: rendered into it before the cell.
INNER = {"construction": ("hidden", "output"), "compile_form": ("optimizer", "loss", "metrics"),
         "callback": ("message",)}

# Spellings kept out of the corpus: the contract does not clearly call them equivalent.
DOUBTFUL = {
    "separate_softmax_layer": (
        "build_model: Dense(10) then layers.Activation('softmax')",
        "four layers where the contract says 'Flatten, Dense, Dense'",
    ),
    "softmax_layer_as_activation": (
        "build_model: Dense(10, activation=layers.Softmax())",
        "a layer object as activation: Keras accepts it, the contract names none such",
    ),
    "normalize_tf_cast": (
        "normalize: tf.cast(images, tf.float32) / 255.0",
        "returns a tf.Tensor: 'floating point; same shape' holds, but it is not a numpy array",
    ),
    "message_leading_newline": (
        'ThresholdCallback: print(f"\\nReached {metric} {value} so cancelling training!")',
        "the lab's form prints an empty line first; the contract fixes the printed line only",
    ),
    "message_rounded_value": (
        'ThresholdCallback: print(f"Reached {metric} {value:.2f} so cancelling training!")',
        "prints a rounded value where the contract says <value>",
    ),
    "count_params_by_building": (
        "count_params: build_model(hidden_units).count_params()",
        "the right number, but the contract says 'by arithmetic'",
    ),
}

# Spellings Keras accepts that change what the contract fixes: mistakes, not variants.
NOT_EQUIVALENT = {
    "metric_acc": (
        "compile_model: metrics=['acc']",
        "Keras 3 logs it under the key 'acc' (measured: history keys ['acc', 'loss']), "
        "not 'accuracy'",
    ),
    "metric_sparse_categorical_accuracy": (
        "compile_model: metrics=['sparse_categorical_accuracy']",
        "logged as 'sparse_categorical_accuracy', not 'accuracy'",
    ),
    "metrics_bare_string": (
        "compile_model: metrics='accuracy'",
        "Keras 3 raises ValueError: metrics must be a list, tuple or dict",
    ),
    "output_units_max_without_int": (
        "output_units_needed: labels.max() + 1",
        "on a uint8 label array the sum wraps (255 + 1 == 0): int() first",
    ),
}

TRAINING_CELLS = ("train_until", "normalization_effect")


@dataclass(frozen=True)
class Variant:
    """One correct submission: its name, the option chosen on each axis, its cells' code."""

    name: str
    choices: dict[str, str]
    cells: dict[str, str]  # grade id -> the code of that solution cell

    @property
    def import_line(self) -> str:
        return IMPORTS[self.choices["imports"]][0]

    @property
    def source(self) -> str:
        """The whole fashion_mnist.py: the solution's given part, then every graded cell."""
        preamble = _preamble()
        if self.import_line:
            preamble = preamble.replace(
                "import tensorflow as tf\n", f"import tensorflow as tf\n{self.import_line}\n", 1
            )
        return preamble + "\n\n" + "\n\n\n".join(self.cells.values()) + "\n"

    def cell_source(self, grade_id: str) -> str:
        """A notebook cell's code: the variant's import line first where the cell uses it."""
        code = self.cells[grade_id]
        if self.import_line and re.search(r"(?<![\w.])keras\.", code):
            return f"{self.import_line}\n\n{code}"
        return code

    def without_training(self) -> Variant:
        """The same spellings with the two exercises that train on real data left unwritten
        (their stub body): a cheap submission worth 88."""
        cells = dict(self.cells)
        for grade_id in TRAINING_CELLS:
            signature = cells[grade_id].splitlines()[0]
            cells[grade_id] = f"{signature}\n    raise NotImplementedError()"
        return Variant(f"{self.name}-no-training", self.choices, cells)

    def describe(self) -> str:
        return ", ".join(f"{axis}={option}" for axis, option in self.choices.items())


def _preamble() -> str:
    """The solution module up to its first graded function: docstring, imports, CLASS_NAMES,
    load_data (given, not graded)."""
    text = SOLUTION_MODULE.read_text()
    return text[: text.index("\ndef normalize(")].rstrip() + "\n"


def render(choices: dict[str, str], grade_id: str) -> str:
    """The code of one cell for ``choices``: its template with the inner axes and ${keras}."""
    axis = CELLS[grade_id]
    code = AXES[axis][choices[axis]].strip("\n")
    values = {inner: AXES[inner][choices[inner]] for inner in INNER.get(axis, ())}
    values["keras"] = AXES["imports"][choices["imports"]]
    for _ in range(3):  # an inner snippet may hold ${keras} itself
        code = Template(code).safe_substitute(values)
    if "${" in code:
        raise ValueError(f"{grade_id}: unfilled placeholder in\n{code}")
    return code


def _schedules(count: int, rng: random.Random) -> dict[str, list[str]]:
    """Axis -> ``count`` options: shuffled permutations of its options, one after another."""
    schedules = {}
    for axis, options in AXES.items():
        names = list(options)
        sequence: list[str] = []
        while len(sequence) < count:
            sequence += rng.sample(names, len(names))
        schedules[axis] = sequence[:count]
    return schedules


COVERING = max(len(options) for options in AXES.values())


def variants(count: int = COUNT) -> list[Variant]:
    """``count`` distinct correct variants; the first ``COVERING`` use every option of every
    axis at least once."""
    rng = random.Random(SEED)
    made: list[Variant] = []
    seen: set[str] = set()
    attempts = 4 * count
    schedules = _schedules(attempts, rng)
    for index in range(attempts):
        choices = {axis: schedules[axis][index] for axis in AXES}
        cells = {grade_id: render(choices, grade_id) for grade_id in CELLS}
        variant = Variant(f"eq{len(made):02d}", choices, cells)
        if variant.source in seen:
            continue
        seen.add(variant.source)
        made.append(variant)
        if len(made) == count:
            return made
    raise RuntimeError(f"only {len(made)} distinct variants from {attempts} combinations")


def as_notebook(variant: Variant, path: Path, source: Path = SOLUTION_NOTEBOOK) -> Path:
    """Write the solution notebook with each solution cell holding ``variant``'s code."""
    notebook = nbformat.read(source, as_version=4)
    found = set()
    for cell in notebook.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in variant.cells and cell.get("metadata", {}).get("nbgrader", {}).get(
            "solution"
        ):
            cell.source = variant.cell_source(grade_id)
            found.add(grade_id)
    missing = set(variant.cells) - found
    if missing:
        raise ValueError(f"{source} has no solution cells {sorted(missing)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def self_check(variant: Variant, folder: Path) -> str | None:
    """Run the released visible tests (``python -m pytest`` in a copy of release/c1w2) against
    ``variant`` as a module; None if they pass, else the end of their output."""
    shutil.copytree(RELEASE, folder, ignore=shutil.ignore_patterns("*.ipynb", "__pycache__"))
    (folder / "fashion_mnist.py").write_text(variant.source)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=900,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
    )
    return None if done.returncode == 0 else done.stdout[-2500:]


def write_class(root: Path, chosen: list[Variant]) -> dict[str, Variant]:
    """Each variant as ``<name>-py/fashion_mnist.py`` and ``<name>-ipynb/fashion_mnist.ipynb``;
    returns student -> variant."""
    students = {}
    for variant in chosen:
        module = root / f"{variant.name}-py" / "fashion_mnist.py"
        module.parent.mkdir(parents=True, exist_ok=True)
        module.write_text(variant.source)
        as_notebook(variant, root / f"{variant.name}-ipynb" / "fashion_mnist.ipynb")
        students.update({f"{variant.name}-py": variant, f"{variant.name}-ipynb": variant})
    return students


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/corpus/equivalence.py OUT_DIR")
    written = write_class(Path(sys.argv[1]), variants())
    print(f"{COUNT} variants written to {sys.argv[1]} as {len(written)} submissions")
