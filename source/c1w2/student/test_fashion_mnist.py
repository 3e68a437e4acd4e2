"""Visible self-check for Course 1, Week 2. Run ``python -m pytest`` in this folder.

Each test checks one thing and, when it fails, says what is wrong and how to fix it. These tests
are quick (no real dataset, at most one tiny training run) and cover only part of what the grader
checks: the grader also uses inputs you have not seen and trains on real Fashion-MNIST. Passing
here is a good sign, not a guarantee.
"""

import contextlib
import io
import os
import re
import sys
import traceback
import types
import warnings
from pathlib import Path

import numpy as np
import pytest

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"  # quiet TensorFlow; must be set before it is imported
sys.path.insert(0, str(Path(__file__).parent))  # import the fashion_mnist.py next to this file

import tensorflow as tf  # noqa: E402


def _import_student():
    """Import fashion_mnist.py as the grader does: what only a notebook runs (the IPython
    lines of a notebook saved as a script, the notebook's demo and check cells) is left out,
    and said once in pytest's warnings summary."""
    try:
        from notebook_only import module_bytes, released_cells_of, summary
    except ImportError:  # notebook_only.py is not beside this file: import it as it is
        import fashion_mnist

        return fashion_mnist
    here = Path(__file__).parent
    path = here / "fashion_mnist.py"
    data, left_out = module_bytes(path.read_bytes(), released_cells_of(here / "fashion_mnist.ipynb"))
    if left_out:  # shown by pytest as fashion_mnist.py:LINE, at the first line left out
        warnings.warn_explicit(summary(left_out), UserWarning, str(path), left_out[0].line)
    module = types.ModuleType("fashion_mnist")
    module.__file__ = str(path)
    sys.modules["fashion_mnist"] = module
    exec(compile(data, str(path), "exec"), module.__dict__)  # noqa: S102 - as import does
    return module


try:
    student_module = _import_student()
    IMPORT_ERROR = None
except Exception as exc:  # noqa: BLE001 - reported by every test below
    student_module = None
    IMPORT_ERROR = exc

THRESHOLD = 0.85  # course: checks.callback_threshold
RNG_SEED = 2


# ---------------------------------------------------------------------------------------------
# Helpers: turn errors into advice
# ---------------------------------------------------------------------------------------------


def _where(exc):
    """Where in fashion_mnist.py the error happened, if it did happen there."""
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if Path(frame.filename).name == "fashion_mnist.py"
    ]
    if not frames:
        return ""
    frame = frames[-1]
    return f" (fashion_mnist.py line {frame.lineno}, in {frame.name}: {frame.line})"


def student(name):
    """The function or class ``name`` from fashion_mnist.py."""
    if IMPORT_ERROR is not None:
        pytest.fail(
            f"fashion_mnist.py could not be imported: {type(IMPORT_ERROR).__name__}: "
            f"{IMPORT_ERROR}{_where(IMPORT_ERROR)}. Fix that first: every test needs the file "
            "to load (`python fashion_mnist.py` shows the full error).",
            pytrace=False,
        )
    if not hasattr(student_module, name):
        pytest.fail(
            f"fashion_mnist.py has no `{name}`: keep the names exactly as in the template.",
            pytrace=False,
        )
    return getattr(student_module, name)


def run(name, *args, **kwargs):
    """Call the student's ``name``; a crash becomes a message saying what to do."""
    return call(name, student(name), *args, **kwargs)


def call(name, function, *args, **kwargs):
    """Call ``function`` (called ``name`` in messages), explaining any error it raises."""
    try:
        return function(*args, **kwargs)
    except NotImplementedError:
        message = (
            f"{name} is not written yet: replace `raise NotImplementedError()` with your code."
        )
    except Exception as exc:  # noqa: BLE001 - the student's error, explained
        detail = str(exc).strip()
        if len(detail) > 400:
            detail = detail[:400] + " ..."
        message = f"{name} raised {type(exc).__name__}: {detail}{_where(exc)}"
        if isinstance(exc, TypeError) and "Cannot cast ufunc" in detail:
            message += (
                ". An integer (uint8) array cannot store fractions, so dividing it in place "
                "(`images /= 255.0`) fails: return a new array, `images / 255.0`."
            )
    # Failing outside the except block keeps pytest's report to this one message.
    pytest.fail(message, pytrace=False)


def expect(condition, message):
    """Fail with just ``message`` (no code listing) when ``condition`` is false."""
    if not condition:
        pytest.fail(message, pytrace=False)


_ONCE = {}


def once(key, work):
    """Run ``work()`` the first time only; later calls get the same result or failure.

    Lets several tests share one slow call (training, prediction) and each report on it.
    """
    if key not in _ONCE:
        try:
            _ONCE[key] = ("ok", work())
        except pytest.fail.Exception as failure:
            _ONCE[key] = ("failed", failure.msg)
    kind, value = _ONCE[key]
    if kind == "failed":
        pytest.fail(value, pytrace=False)
    return value


def as_array(name, value):
    """``value`` as a NumPy array, or a failure that says what came back instead."""
    if value is None:
        pytest.fail(f"{name} returned None: did you forget `return`?", pytrace=False)
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001
        array = None
    if array is None or array.dtype == object:
        pytest.fail(
            f"{name} returned a {type(value).__name__}, not an array of numbers.", pytrace=False
        )
    return array


def as_model(name, value):
    """``value`` if it is a Keras model, else a failure that says what came back."""
    if value is None:
        pytest.fail(f"{name} returned None: did you forget `return model`?", pytrace=False)
    if not isinstance(value, tf.keras.Model):
        pytest.fail(f"{name} returned a {type(value).__name__}, not a Keras model.", pytrace=False)
    return value


def pixel_images(count=3):
    """Small uint8 'images' (no real data needed), with 0 and 255 both present."""
    images = np.random.default_rng(RNG_SEED).integers(0, 256, size=(count, 28, 28))
    images = images.astype(np.uint8)
    images[0, 0, 0], images[0, 0, 1] = 0, 255
    return images


def tiny_model(compiled=False):
    """A small model of our own, so these tests don't depend on your build_model."""
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(28, 28)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    if compiled:
        model.compile(
            optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
        )
    return model


# ---------------------------------------------------------------------------------------------
# Exercise: normalize
# ---------------------------------------------------------------------------------------------


def test_normalize_scales_pixels_to_0_1():
    images = pixel_images()
    given = images.copy()
    values = as_array("normalize", run("normalize", given))
    if values.shape != images.shape:
        pytest.fail("normalize changed the shape: see test_normalize_keeps_shape.", pytrace=False)
    values = values.astype(np.float64)
    expected = images / 255.0
    top = float(values.max())
    if not np.array_equal(given, images):
        advice = (
            "normalize changed the array it was given (fractions written into uint8 become 0 "
            "or 1): return a new array, images / 255.0, instead of writing into images."
        )
    elif top > 2:
        advice = f"values go up to {top:g}: divide by 255.0 so pixels lie in 0-1."
    elif set(np.unique(values).tolist()) <= {0.0, 1.0}:
        advice = "every value is 0 or 1: that is integer division (`//`); use `/ 255.0`."
    elif np.allclose(values, images / 256.0, atol=1e-6):
        advice = "the brightest pixel became 0.996, not 1.0: divide by 255, not 256."
    elif float(values.min()) < -0.5:
        advice = "values go below 0: this exercise scales to 0-1, just divide by 255.0."
    else:
        advice = "values differ from pixel / 255.0 (255 must become 1.0 and 0 stay 0.0)."
    expect(np.allclose(values, expected, atol=1e-6), f"normalize: {advice}")


def test_normalize_returns_floats():
    values = as_array("normalize", run("normalize", pixel_images()))
    expect(
        np.issubdtype(values.dtype, np.floating),
        f"normalize returned {values.dtype} values: integers cannot hold 0.5; use true "
        "division, `images / 255.0`, which gives floating point.",
    )


def test_normalize_keeps_shape():
    images = pixel_images()
    values = as_array("normalize", run("normalize", images.copy()))
    expect(
        values.shape == images.shape,
        f"normalize turned shape {images.shape} into {values.shape}: only scale the values, "
        "don't reshape or flatten (the model's Flatten layer does that).",
    )


def test_normalize_leaves_its_input_unchanged():
    images = pixel_images()
    given = images.copy()
    run("normalize", given)
    expect(
        np.array_equal(given, images),
        "normalize changed the array it was given: return a new array (images / 255.0) "
        "instead of dividing in place (images /= 255).",
    )


# ---------------------------------------------------------------------------------------------
# Exercise: build_model
# ---------------------------------------------------------------------------------------------


def built_model():
    return as_model("build_model", run("build_model"))


def layer_kinds(model):
    return [type(layer).__name__ for layer in model.layers]


def dense_layers(model):
    return [layer for layer in model.layers if isinstance(layer, tf.keras.layers.Dense)]


def test_build_model_returns_a_sequential():
    model = built_model()
    expect(
        isinstance(model, tf.keras.Sequential),
        f"build_model returned a {type(model).__name__}: build it as tf.keras.Sequential([...]).",
    )


def test_build_model_is_not_compiled():
    expect(
        not getattr(built_model(), "compiled", False),
        "build_model compiled the model: return it uncompiled, compile_model does that.",
    )


def test_build_model_uses_hidden_units():
    model = as_model("build_model(48)", run("build_model", 48))
    dense = dense_layers(model)
    units = dense[0].units if len(dense) >= 2 else None
    expect(
        units == 48,
        f"build_model(48) built a hidden layer of {units} units: give the hidden Dense layer "
        "hidden_units units, not a fixed number.",
    )


def test_build_model_input_is_one_28x28_image():
    model = built_model()
    try:
        shape = tuple(model.input_shape)
    except Exception:  # noqa: BLE001 - a model without an Input has no input shape
        shape = None
    expect(
        shape is not None,
        "the model has no input shape: start the list with tf.keras.Input(shape=(28, 28)).",
    )
    expect(
        shape == (None, 28, 28),
        f"the model's input shape is {shape[1:]}, not (28, 28): use "
        "tf.keras.Input(shape=(28, 28)), the size of one image.",
    )


def test_build_model_layers_are_flatten_dense_dense():
    kinds = layer_kinds(built_model())
    if "Flatten" not in kinds:
        advice = (
            "there is no Flatten layer: without it Dense works on each 28-pixel row on its own; "
            "add tf.keras.layers.Flatten() before the Dense layers."
        )
    else:
        advice = "the model is exactly Flatten, then Dense (hidden), then Dense (output)."
    expect(kinds == ["Flatten", "Dense", "Dense"], f"the layers are {kinds}: {advice}")


# Logits with negatives, zero and positives: what an activation makes of them shows what it is,
# however it was written ("relu", tf.nn.relu, tf.keras.activations.relu...).
LOGITS = np.array([[-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0, 4.0, -2.0]], dtype="float32")


def activation_output(layer):
    return np.asarray(layer.activation(tf.constant(LOGITS)), dtype="float64")


def test_build_model_hidden_layer_is_dense_128_relu():
    dense = dense_layers(built_model())
    expect(
        len(dense) >= 2,
        "there is no hidden Dense layer: put Dense(hidden_units, activation='relu') between "
        "Flatten and the output layer.",
    )
    hidden = dense[0]
    expect(
        hidden.units == 128,
        f"the hidden Dense layer has {hidden.units} units: build_model() must give it "
        "hidden_units units (128 by default).",
    )
    expect(
        np.allclose(activation_output(hidden), np.maximum(LOGITS, 0), atol=1e-5),
        "the hidden layer's activation does not turn negatives into 0 and keep positives: "
        "use activation='relu' (without it, stacked Dense layers are just one linear function).",
    )


def test_build_model_output_layer_is_dense_10_softmax():
    dense = dense_layers(built_model())
    expect(dense, "there is no Dense layer: the model ends in Dense(10, activation='softmax').")
    output = dense[-1]
    expect(
        output.units == 10,
        f"the output layer has {output.units} units but Fashion-MNIST has 10 classes: "
        "use Dense(10, ...).",
    )
    values = activation_output(output)
    expect(
        np.all(values >= 0) and np.allclose(values.sum(axis=-1), 1.0, atol=1e-4),
        "the output activation does not turn the 10 outputs into probabilities that sum to 1: "
        "use activation='softmax'.",
    )


# ---------------------------------------------------------------------------------------------
# Exercise: compile_model
# ---------------------------------------------------------------------------------------------


def compiled():
    """Compile a model of our own with the student's compile_model."""
    model = tiny_model()
    returned = run("compile_model", model)
    if not model.compiled:
        pytest.fail(
            "the model is not compiled after compile_model: call model.compile(optimizer=..., "
            "loss=..., metrics=[...]).",
            pytrace=False,
        )
    return returned, model


def evaluated(model):
    """What the compiled model logs on 16 images (its loss and metrics, as fit logs them),
    with the model's outputs and the labels."""
    images = pixel_images(16) / 255.0
    labels = np.arange(16) % 10
    logs = model.evaluate(images, labels, verbose=0, return_dict=True)
    probabilities = np.asarray(model(images), dtype="float64")
    return logs, probabilities, labels


# Probabilities, as the model's softmax gives them, and integer labels: the compiled loss on
# them must be their sparse categorical cross-entropy, however the loss was written.
PROBABILITIES = np.array(
    [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.25, 0.25, 0.5], [0.6, 0.3, 0.1]], dtype="float32"
)
LABELS = np.array([0, 2, 2, 1])


def sparse_crossentropy(probabilities, labels):
    picked = np.clip(probabilities[np.arange(len(labels)), labels], 1e-7, 1.0)
    return float(np.mean(-np.log(picked)))


ADAM_SETTINGS = ("learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad", "weight_decay")


def steps_taken(optimizer):
    """Where ``optimizer`` takes a variable in three steps of made-up gradients."""
    variable = tf.Variable([0.5, -2.0, 1.0])
    for gradient in ([1.0, 0.5, -0.2], [-0.4, 0.1, 3.0], [0.2, -1.0, 0.0]):
        optimizer.apply_gradients([(tf.constant(gradient), variable)])
    return variable.numpy()


def test_compile_model_returns_the_model():
    returned, model = compiled()
    expect(
        returned is model,
        f"compile_model returned {type(returned).__name__}, not the model: model.compile(...) "
        "returns None, so end with `return model`.",
    )


def test_compile_model_uses_adam():
    _, model = compiled()
    optimizer = model.optimizer
    try:
        settings = optimizer.get_config()
        adam = tf.keras.optimizers.Adam(
            **{key: settings[key] for key in ADAM_SETTINGS if settings.get(key) is not None}
        )
        same = np.allclose(
            steps_taken(type(optimizer).from_config(settings)),
            steps_taken(adam),
            rtol=1e-4,
            atol=1e-6,
        )
    except Exception:  # noqa: BLE001 - an optimizer that cannot step like Adam is not Adam
        same = False
    expect(
        same,
        f"the optimizer is {type(optimizer).__name__}, which does not update weights as Adam "
        "does: use optimizer='adam' (or tf.keras.optimizers.Adam()).",
    )


def test_compile_model_uses_sparse_categorical_crossentropy():
    _, model = compiled()
    expected = sparse_crossentropy(PROBABILITIES, LABELS)
    try:
        loss = float(np.mean(tf.keras.losses.get(model.loss)(LABELS, PROBABILITIES)))
    except Exception as exc:  # noqa: BLE001 - e.g. categorical_crossentropy on integer labels
        pytest.fail(
            f"the compiled loss raised {type(exc).__name__} on integer labels: use "
            "loss='sparse_categorical_crossentropy' (the labels are integers 0-9).",
            pytrace=False,
        )
    if abs(loss - sparse_crossentropy(tf.nn.softmax(PROBABILITIES).numpy(), LABELS)) < 1e-4:
        advice = (
            "the loss has from_logits=True, but the model already ends in softmax: use the "
            "plain loss='sparse_categorical_crossentropy'."
        )
    else:
        advice = (
            "use loss='sparse_categorical_crossentropy' (the labels are integers 0-9, the "
            "outputs already probabilities)."
        )
    expect(
        abs(loss - expected) <= 1e-3 * max(1.0, expected),
        f"on a small batch of probabilities and integer labels the loss is {loss:.3f} where "
        f"sparse categorical cross-entropy gives {expected:.3f}: {advice}",
    )


def test_compile_model_reports_accuracy():
    _, model = compiled()
    try:
        logs, probabilities, labels = evaluated(model)
    except Exception as exc:  # noqa: BLE001 - the loss test says why, if it is the loss
        pytest.fail(
            f"evaluating the compiled model raised {type(exc).__name__}: see the loss test.",
            pytrace=False,
        )
    others = sorted(key for key in logs if key != "loss")
    expect(
        "accuracy" in logs,
        f"training logs {', '.join(others) or 'no metric'}, not 'accuracy': pass "
        "metrics=['accuracy'] (ThresholdCallback and train_until read logs['accuracy']).",
    )
    right = float(np.mean(np.argmax(probabilities, axis=1) == labels))
    expect(
        abs(logs["accuracy"] - right) <= 1e-6 + 1 / len(labels) / 2,
        f"the metric logged as 'accuracy' is {logs['accuracy']:.3f} where the share of right "
        f"predictions is {right:.3f}: use metrics=['accuracy'].",
    )


# ---------------------------------------------------------------------------------------------
# Exercise: train_model (one tiny training run, shared by the three tests)
# ---------------------------------------------------------------------------------------------

EPOCHS_ASKED = 2


class EpochRecorder(tf.keras.callbacks.Callback):
    """Remembers the epochs at which fit called it."""

    def __init__(self):
        super().__init__()
        self.epochs_seen = []

    def on_epoch_end(self, epoch, logs=None):
        self.epochs_seen.append(int(epoch))


def train_once():
    """Run the student's train_model on 128 random images, with our recorder callback."""
    tf.keras.utils.set_random_seed(RNG_SEED)
    images = pixel_images(128) / 255.0
    labels = np.random.default_rng(RNG_SEED).integers(0, 10, size=128)
    recorder = EpochRecorder()
    with contextlib.redirect_stdout(io.StringIO()):  # hide fit's progress bars
        history = run(
            "train_model",
            tiny_model(compiled=True),
            images,
            labels,
            epochs=EPOCHS_ASKED,
            callbacks=[recorder],
        )
    return history, recorder


def trained():
    return once("train_model", train_once)


def test_train_model_returns_a_history():
    history, _ = trained()
    expect(
        isinstance(history, tf.keras.callbacks.History),
        f"train_model returned {type(history).__name__}: return what model.fit(...) returns, "
        "a History (it holds the loss and accuracy of every epoch).",
    )


def test_train_model_runs_the_epochs_asked():
    history, recorder = trained()
    logs = getattr(history, "history", None)
    if isinstance(logs, dict) and logs.get("loss"):
        ran = len(logs["loss"])
    else:
        ran = len(recorder.epochs_seen)
    expect(
        ran == EPOCHS_ASKED,
        f"asked for epochs={EPOCHS_ASKED}, train_model trained {ran}: pass epochs=epochs to "
        "model.fit instead of a fixed number.",
    )


def test_train_model_passes_the_callbacks():
    _, recorder = trained()
    expect(
        recorder.epochs_seen,
        "the callbacks given to train_model were never called: pass callbacks=callbacks to "
        "model.fit.",
    )


# ---------------------------------------------------------------------------------------------
# Exercise: predict_labels
# ---------------------------------------------------------------------------------------------


def predict_once():
    """The student's predict_labels on 8 images and a model with fixed random weights.

    Returns what it gave back, as an array, and the labels it should have given.
    """
    model = tiny_model()
    rng = np.random.default_rng(RNG_SEED)
    kernel, bias = model.get_weights()
    model.set_weights([rng.normal(0, 0.2, kernel.shape), rng.normal(0, 0.2, bias.shape)])
    images = (pixel_images(8) / 255.0).astype(np.float32)
    expected = np.argmax(model(images, training=False).numpy(), axis=1)
    with contextlib.redirect_stdout(io.StringIO()):  # hide predict's progress bar
        returned = run("predict_labels", model, images)
    return as_array("predict_labels", returned), expected


def test_predict_labels_returns_one_integer_per_image():
    values, expected = once("predict_labels", predict_once)
    n = len(expected)
    if values.shape == (n, 10):
        advice = (
            "those are the 10 class probabilities of each image; take "
            "np.argmax(probabilities, axis=1)."
        )
    elif values.shape == (10,):
        advice = "argmax ran across the images (axis 0); use axis=1, across the classes."
    else:
        advice = "return one class index per image."
    expect(
        values.shape == (n,),
        f"predict_labels returned shape {values.shape}, not ({n},): {advice}",
    )
    expect(
        np.issubdtype(values.dtype, np.integer),
        f"predict_labels returned {values.dtype} values: class indices are integers "
        "(np.argmax gives them).",
    )


def test_predict_labels_picks_the_most_probable_class():
    values, expected = once("predict_labels", predict_once)
    if values.shape != expected.shape:
        pytest.fail(
            "predict_labels returned the wrong shape: see "
            "test_predict_labels_returns_one_integer_per_image.",
            pytrace=False,
        )
    expect(
        np.array_equal(values, expected),
        f"predict_labels returned {values.tolist()}, but the most probable classes are "
        f"{expected.tolist()}: use np.argmax(model.predict(images), axis=1).",
    )


# ---------------------------------------------------------------------------------------------
# Exercise: ThresholdCallback
# ---------------------------------------------------------------------------------------------


class StandInModel:
    """Plays the model a callback is attached to: only ``stop_training`` matters here."""

    stop_training = False


def feed_epochs(accuracies, capsys=None):
    """Give a default ThresholdCallback one epoch log per accuracy.

    Returns the epoch at which it set ``stop_training`` (None if it never did) and what it
    printed at each epoch.
    """
    callback = run("ThresholdCallback")
    model = StandInModel()
    callback.set_model(model)
    printed = []
    for epoch, accuracy in enumerate(accuracies):
        logs = {"loss": 1.0 - accuracy, "accuracy": accuracy}
        call("ThresholdCallback.on_epoch_end", callback.on_epoch_end, epoch, logs=logs)
        if capsys is not None:
            printed.append(capsys.readouterr().out)
        if model.stop_training is True:
            return epoch, printed
    return None, printed


def test_callback_is_a_keras_callback():
    callback = run("ThresholdCallback")
    expect(
        isinstance(callback, tf.keras.callbacks.Callback),
        "ThresholdCallback must be a class that subclasses tf.keras.callbacks.Callback, "
        "otherwise model.fit cannot use it.",
    )


def test_callback_keeps_training_below_threshold():
    accuracies = [round(THRESHOLD - value, 2) for value in (0.35, 0.15, 0.01)]
    stopped, _ = feed_epochs(accuracies)
    expect(
        stopped is None,
        f"with accuracy per epoch {accuracies} the callback stopped training at epoch "
        f"{stopped}, but {THRESHOLD} was never reached: only set "
        "self.model.stop_training = True once logs['accuracy'] >= self.threshold.",
    )


def test_callback_stops_when_accuracy_reaches_threshold():
    accuracies = [round(THRESHOLD + value, 2) for value in (-0.25, -0.05, 0, 0.05)]
    stopped, _ = feed_epochs(accuracies)
    if stopped is None:
        advice = (
            "it never stopped: read logs[self.metric] ('accuracy' by default) and, once it "
            "is >= self.threshold, set self.model.stop_training = True."
        )
    elif stopped == 3:
        advice = (
            f"it stopped one epoch late: an accuracy equal to {THRESHOLD} counts as reached, "
            "so compare with >=, not >."
        )
    else:
        advice = f"it stopped at epoch {stopped}: compare logs['accuracy'] >= self.threshold."
    expect(
        stopped == 2,
        f"with accuracy per epoch {accuracies}, training should stop at epoch 2 (counting "
        f"from 0), the first to reach {THRESHOLD}; {advice}",
    )


def test_callback_prints_reached_message(capsys):
    accuracies = [round(THRESHOLD + value, 2) for value in (-0.25, -0.05, 0, 0.05)]
    stopped, printed = feed_epochs(accuracies, capsys)
    if stopped is None:
        pytest.fail(
            "the callback never stopped, so its message cannot be checked: see "
            "test_callback_stops_when_accuracy_reaches_threshold.",
            pytrace=False,
        )
    said = printed[stopped].strip()
    match = re.search(r"Reached accuracy (\S+) so cancelling training!", said)
    expect(
        match is not None,
        f"when it stopped, the callback printed {said[:80] or 'nothing'}: print "
        'f"Reached {self.metric} {value} so cancelling training!", '
        f"e.g. 'Reached accuracy {THRESHOLD} so cancelling training!'.",
    )
    reached = accuracies[stopped]
    try:
        value_ok = abs(float(match.group(1)) - reached) < 0.01
    except ValueError:
        value_ok = False
    expect(
        value_ok,
        f"the message says '{match.group(0)}' but the accuracy reached was {reached}: put the "
        "value from logs in the message.",
    )


# ---------------------------------------------------------------------------------------------
# Exploration exercises
# ---------------------------------------------------------------------------------------------


def test_count_params_for_128_hidden_units():
    answer = run("count_params", 128)
    expect(
        answer == 101770,
        f"count_params(128) returned {answer}, expected 101770: a Dense layer with n inputs "
        "and m units has n * m weights plus m biases; count both Dense layers (Flatten has none).",
    )


def test_shape_without_flatten_is_not_the_flattened_shape():
    answer = run("shape_without_flatten")
    shape = list(answer) if isinstance(answer, (list, tuple)) else answer
    expect(
        isinstance(shape, list) and shape[:1] == [None] and shape[-1:] == [10],
        f"shape_without_flatten() returned {answer}: return the model's output_shape as "
        "Keras reports it, a tuple that starts with None (the batch size).",
    )
    expect(
        shape != [None, 10],
        "(None, 10) is the output shape WITH Flatten: build the same model without the "
        "Flatten layer and return its output_shape.",
    )


def test_output_units_needed_for_labels_0_to_9():
    labels = np.array([9, 0, 3, 3, 1, 2, 8, 4, 5, 6, 7, 0], dtype=np.uint8)
    answer = run("output_units_needed", labels)
    expect(
        answer == 10,
        f"for labels 0-9 output_units_needed returned {answer}, expected 10: label k needs "
        "output unit k, so the answer is the largest label + 1.",
    )


def test_overfitting_epoch_finds_lowest_val_loss():
    logs = {"loss": [1.0, 0.7, 0.5, 0.4], "val_loss": [0.8, 0.6, 0.65, 0.7]}
    answer = run("overfitting_epoch", logs)
    expect(
        answer == 1,
        f"for val_loss {logs['val_loss']} overfitting_epoch returned {answer}, expected 1: "
        "the 0-based epoch with the lowest val_loss, after which validation loss gets worse.",
    )
