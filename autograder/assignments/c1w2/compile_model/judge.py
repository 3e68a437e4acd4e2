"""Judge of compile_model."""

from __future__ import annotations

import numpy as np

from autograder.checks import activations
from autograder.checks.context import JudgeContext
from autograder.checks.explain import explain_error
from autograder.checks.result import ExerciseResult
from autograder.samples import COMPILE_IMAGES, OPTIMIZER_GRADIENTS, OPTIMIZER_START

from .record import Evaluated, Names, Optimizer, ProbabilityLoss, Record

# Each sub-check's share of the exercise's points (course.yaml sets the points).
SUBCHECKS = {"returns the model": 1, "optimizer": 3, "loss": 4, "accuracy metric": 2}

LOSS_ADVICE = {
    "categorical_crossentropy": "the loss is categorical_crossentropy, which expects one-hot "
    "labels; these labels are integers 0-9: use sparse_categorical_crossentropy.",
    "mean_squared_error": "the loss is mean squared error, which treats class numbers as "
    "quantities (a 9 is not 'more' than a 3): use sparse_categorical_crossentropy.",
    "binary_crossentropy": "the loss is binary_crossentropy, for two classes: Fashion-MNIST has "
    "10 integer classes, use sparse_categorical_crossentropy.",
}


LOSS_NAMES = {"mse": "mean_squared_error", "categorical_crossentropy": "categorical_crossentropy"}


LOSS_TOLERANCE = 1e-3  # relative: Keras computes in float32 and clips probabilities at 1e-7


METRIC_KEY = "accuracy"  # the logs key ThresholdCallback and train_until read


def _sparse_crossentropy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    picked = np.clip(probabilities[np.arange(len(labels)), labels], 1e-7, 1.0)
    return float(np.mean(-np.log(picked)))


def _adam_steps(config: dict) -> np.ndarray | None:
    """Where Keras's Adam, with the hyperparameters the optimizer reports, takes the variable."""
    try:
        rate = float(config["learning_rate"])
        beta_1, beta_2 = float(config.get("beta_1", 0.9)), float(config.get("beta_2", 0.999))
        epsilon = float(config.get("epsilon", 1e-7))
        decay = float(config.get("weight_decay") or 0.0)
    except (KeyError, TypeError, ValueError):
        return None
    variable = np.array(OPTIMIZER_START, dtype=np.float64)
    m, v, v_max, steps = np.zeros(4), np.zeros(4), np.zeros(4), []
    for t, gradient in enumerate(np.array(OPTIMIZER_GRADIENTS, dtype=np.float64), start=1):
        variable = variable - variable * decay * rate
        m += (gradient - m) * (1 - beta_1)
        v += (gradient**2 - v) * (1 - beta_2)
        v_max = np.maximum(v_max, v)
        used = v_max if config.get("amsgrad") else v
        alpha = rate * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        variable = variable - alpha * m / (np.sqrt(used) + epsilon)
        steps.append(variable.copy())
    return np.array(steps)


def _is_adam(optimizer: Optimizer | None) -> bool:
    if optimizer is None or optimizer.steps is None:
        return False
    expected = _adam_steps(optimizer.config or {})
    try:
        steps = np.asarray(optimizer.steps, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return (
        expected is not None
        and steps.shape == expected.shape
        and bool(np.allclose(steps, expected, rtol=1e-4, atol=1e-6))
    )


def judge(record: Record, ctx: JudgeContext, result: ExerciseResult) -> ExerciseResult:
    """Behaves as Adam, as sparse categorical cross-entropy, logs `accuracy`; same model back."""
    if record.error:
        return result.fail_all(explain_error("compile_model", record.error))
    if not record.compiled:
        return result.fail_all(
            "the model is not compiled after compile_model: call model.compile(optimizer=..., "
            "loss=..., metrics=[...])."
        )
    names = record.names or Names()
    result.check(
        "returns the model",
        record.returned_same is True,
        "returns the model it compiled",
        "compile_model did not return the model it was given: model.compile returns None, "
        "so end with `return model`.",
    )
    optimizer = record.optimizer
    result.check(
        "optimizer",
        _is_adam(optimizer),
        "the optimizer updates weights as Adam does",
        f"the optimizer is {(optimizer.optimizer_class if optimizer else None) or names.optimizer}"
        ", which does not "
        "update weights as Adam does: use optimizer='adam' (or tf.keras.optimizers.Adam()).",
    )
    evaluated = record.evaluated or Evaluated()
    loss_ok, loss_fix = _loss_verdict(evaluated, names)
    result.check("loss", loss_ok, "the loss is sparse categorical cross-entropy", loss_fix)
    metric_ok, metric_fix = _metric_verdict(evaluated, names)
    result.check("accuracy metric", metric_ok, "fit and evaluate log 'accuracy'", metric_fix)
    return result


def _outputs_and_labels(evaluated: Evaluated) -> tuple[np.ndarray, np.ndarray] | None:
    try:
        outputs = np.asarray(evaluated.outputs, dtype=np.float64)
        labels = np.asarray(evaluated.labels, dtype=np.int64)
    except (TypeError, ValueError):
        return None
    if outputs.shape != (COMPILE_IMAGES, 10) or labels.shape != (COMPILE_IMAGES,):
        return None
    return outputs, labels


def _loss_verdict(evaluated: Evaluated, names: Names) -> tuple[bool, str]:
    """Whether the compiled loss gives sparse categorical cross-entropy's value, in evaluate and
    on the probabilities the model returns, and why not."""
    name = LOSS_NAMES.get(str(names.loss).lower(), str(names.loss).lower())
    advice = LOSS_ADVICE.get(
        name,
        f"the loss {names.loss} is not sparse categorical cross-entropy: "
        "use loss='sparse_categorical_crossentropy'.",
    )
    if evaluated.error:
        why = explain_error("evaluating the compiled model", evaluated.error)
        return False, f"{advice} ({why})"
    pair = _outputs_and_labels(evaluated)
    loss = (evaluated.logs or {}).get("loss")
    if pair is None or not isinstance(loss, (int, float)):
        return False, "the model reports no loss: pass loss='sparse_categorical_crossentropy'."
    expected = _sparse_crossentropy(*pair)
    outputs, labels = pair
    as_if_logits = _sparse_crossentropy(activations.KNOWN["softmax"](outputs), labels)
    if _close(loss, expected):
        return _probabilities_verdict(evaluated.on_probabilities, expected, as_if_logits)
    if _close(loss, as_if_logits):
        return False, FROM_LOGITS_FIX
    if name in LOSS_ADVICE:
        return False, advice
    return False, (
        f"on the grader's images the compiled loss is {loss:.3f}, where sparse categorical "
        f"cross-entropy is {expected:.3f}: use loss='sparse_categorical_crossentropy'."
    )


FROM_LOGITS_FIX = (
    "the loss has from_logits=True, but the model already ends in softmax: use the "
    "plain 'sparse_categorical_crossentropy'."
)


def _close(value: float, target: float) -> bool:
    """Equal within LOSS_TOLERANCE, relative to ``target`` (at least 1)."""
    return abs(value - target) <= LOSS_TOLERANCE * max(1.0, target)


def _probabilities_verdict(
    measured: ProbabilityLoss | None, expected: float, as_if_logits: float
) -> tuple[bool, str]:
    """The compiled loss on the probabilities the model returns (as predict gives them) must be
    their cross-entropy: inside fit and evaluate Keras 3 quietly hands a from_logits=True loss
    the logits behind the softmax, so only this shows that setting."""
    measured = measured or ProbabilityLoss()
    if measured.error:
        why = explain_error("the compiled loss on the model's probabilities", measured.error)
        return False, f"{why} The loss must take the probabilities the model returns."
    value = measured.value
    if value is None:
        return False, (
            "the compiled loss could not be computed on the probabilities the model returns: "
            "use loss='sparse_categorical_crossentropy'."
        )
    if _close(value, expected):
        return True, ""
    if _close(value, as_if_logits):
        return False, (
            f"the loss has from_logits=True, but the model already outputs probabilities (it "
            f"ends in softmax), so from_logits must be False. Inside fit Keras quietly takes "
            f"the numbers before the softmax, so training looks right, but on the "
            f"probabilities the model returns the loss is {value:.3f} where their "
            f"cross-entropy is {expected:.3f}: use loss='sparse_categorical_crossentropy' "
            "(or SparseCategoricalCrossentropy() without from_logits=True)."
        )
    return False, (
        f"on the probabilities the model returns, the compiled loss is {value:.3f}, where "
        f"their sparse categorical cross-entropy is {expected:.3f}: use "
        "loss='sparse_categorical_crossentropy'."
    )


def _metric_verdict(evaluated: Evaluated, names: Names) -> tuple[bool, str]:
    """Whether the logs hold 'accuracy' with the share of right predictions, and why not."""
    logs = evaluated.logs
    if logs is None:
        metrics = [str(name) for name in names.metrics]
        if METRIC_KEY in metrics:
            return True, ""
        return False, (
            f"the metrics are {', '.join(metrics) or 'none'}: pass metrics=['accuracy'] so fit "
            "logs 'accuracy' (the callback reads it)."
        )
    others = sorted(key for key in logs if key != "loss")
    if METRIC_KEY not in logs:
        if others:
            return False, (
                f"fit logs {', '.join(others)}, not 'accuracy': ThresholdCallback and "
                "train_until read logs['accuracy'], so write metrics=['accuracy']."
            )
        return False, (
            "no metric is logged: pass metrics=['accuracy'] so fit reports accuracy (the "
            "callback reads it)."
        )
    pair = _outputs_and_labels(evaluated)
    value = logs[METRIC_KEY]
    if pair is None or not isinstance(value, (int, float)):
        return False, "the logged 'accuracy' could not be read."
    outputs, labels = pair
    expected = float(np.mean(np.argmax(outputs, axis=1) == labels))
    if abs(value - expected) <= 1e-6 + 1 / len(labels) / 2:
        return True, ""
    return False, (
        f"the metric logged as 'accuracy' is {value:.3f} where the share of right predictions "
        f"is {expected:.3f}: use metrics=['accuracy']."
    )
