"""Judge of train_until."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.checks.answers import unplain
from autograder.checks.artifacts import heldout_results, training_history
from autograder.checks.context import JudgeContext, UnreadableOutput
from autograder.checks.explain import explain_error
from autograder.checks.inputs import SHORT_RUN, TRAIN_UNTIL_DEFAULT_MAX_EPOCHS
from autograder.checks.reference import rebuild_dense_model
from autograder.checks.result import ExerciseResult
from autograder.outcome import HISTORY_MISMATCH, UNREADABLE_WEIGHTS, UNVERIFIABLE_HISTORY, Outcome

from .record import Record, ShortRun

# Each sub-check's share of the exercise's points (course.yaml sets the points).
SUBCHECKS = {
    "returns (model, history)": 1,
    "reaches threshold": 2,
    "stops at first epoch reaching it": 2,
    "halts before max_epochs": 1,
    "classifies held-out images": 4,
}

HISTORY_TOLERANCE = 0.05  # a fit's running accuracy trails the final model's by a little


PREDICT_BATCH = 2048  # images per batch when the grader evaluates a returned model


def judge(record: Record, ctx: JudgeContext, result: ExerciseResult) -> ExerciseResult:
    """Reaches the threshold on real data, halts there, and returns a model that works."""
    if record.error:
        return result.fail_all(explain_error("train_until", record.error))
    settings = ctx.assignment.checks
    threshold, max_epochs = settings.train_until_threshold, settings.train_until_max_epochs
    if record.history is None:
        return result.fail_all(
            f"train_until returned a {record.returned_type}: return the pair (model, history)."
        )
    model = _ReturnedModel.of(record, ctx)
    returned = record.history
    if not returned.is_history:
        why = (
            f"train_until returned ({record.model.type if record.model else None}, "
            f"{returned.type}): the second item must be the History that fit returns, "
            "so training cannot be checked."
        )
        result.check("returns (model, history)", False, "", why)
        _fail_history_checks(result, why)
        _add_heldout(result, model)
        return result
    history = returned.history or {}
    epochs_run = max((len(v) for v in history.values()), default=0)
    if epochs_run == 0:  # History() made by hand, or one fit never wrote to: nothing trained
        why = (
            "train_until returned a History with no epochs in it, so training cannot be "
            "checked: return the History that fit (or train_model) gives back."
        )
        result.check("returns (model, history)", False, "", why)
        _fail_history_checks(result, why)
        _add_heldout(result, model)
        return result
    result.check("returns (model, history)", True, "returns (model, history)", "")
    accuracy = history.get("accuracy") or []
    threshold_claimed = bool(accuracy) and accuracy[-1] >= threshold
    forged = _history_disagrees(model, ctx, accuracy[-1]) if threshold_claimed else ""
    if forged:
        result.untrusted(UNVERIFIABLE_HISTORY if model.rebuilt is None else HISTORY_MISMATCH)
        _fail_history_checks(result, forged)
        _add_heldout(result, model)
        return result
    result.artifacts["history"] = training_history(history, threshold, max_epochs)
    if not accuracy:
        result.check(
            "reaches threshold",
            False,
            "",
            "the history has no 'accuracy': compile with metrics=['accuracy'] so training "
            "reports it (the callback needs it too).",
        )
    else:
        hint = ""
        if accuracy[0] < 0.7:
            hint = (
                f" The first epoch reached only {accuracy[0]:.2f}: were the images "
                "normalized (normalize(images)) before training?"
            )
        result.check(
            "reaches threshold",
            accuracy[-1] >= threshold,
            f"training accuracy reached {accuracy[-1]:.3f} >= {threshold}",
            f"training ended at accuracy {accuracy[-1]:.3f}, below {threshold}.{hint}",
        )
    first = next((i for i, value in enumerate(accuracy) if value >= threshold), None)
    result.check(
        "stops at first epoch reaching it",
        first is not None and len(accuracy) == first + 1,
        f"stopped at epoch {len(accuracy)}, the first to reach {threshold}",
        f"accuracy first reached {threshold} at epoch {first + 1} but training went on to "
        f"epoch {len(accuracy)}: pass ThresholdCallback(threshold) in callbacks."
        if first is not None
        else "the threshold was never reached, so stopping could not be checked.",
    )
    halts_fix = _max_epochs_fix(record, ctx.assignment.checks.callback_threshold)
    result.check(
        "halts before max_epochs",
        epochs_run < max_epochs and not halts_fix,
        f"stopped before max_epochs={max_epochs}, and at max_epochs when out of reach",
        halts_fix
        or f"ran {epochs_run} epochs of max_epochs={max_epochs}: the callback should end "
        "training as soon as the threshold is reached.",
    )
    _add_heldout(result, model)
    return result


def _max_epochs_fix(record: Record, threshold: float) -> str:
    """Why train_until does not honour max_epochs or its defaults, or ""."""
    short = record.short_run or ShortRun()
    if short.error:
        return explain_error("train_until with a threshold out of reach", short.error)
    ran = sum(short.fits) if short.fits is not None else None
    if ran != SHORT_RUN["max_epochs"]:
        return (
            f"with a threshold out of reach and max_epochs={SHORT_RUN['max_epochs']} it trained "
            f"{ran} epoch{'' if ran == 1 else 's'}: pass epochs=max_epochs to fit, so max_epochs "
            "is where it stops."
        )
    given = record.defaults
    wanted = {"threshold": threshold, "max_epochs": TRAIN_UNTIL_DEFAULT_MAX_EPOCHS}
    for name, value in wanted.items():
        if unplain(given.get(name)) != value:
            return (
                f"the default of {name} is {unplain(given.get(name))}, not {value}: keep the "
                "template's signature."
            )
    return ""


HISTORY_CHECKS = (
    "reaches threshold",
    "stops at first epoch reaching it",
    "halts before max_epochs",
)


def _fail_history_checks(result: ExerciseResult, why: str) -> None:
    """The checks that rest on the history, failed for one reason."""
    for name in HISTORY_CHECKS:
        result.check(name, False, "", why)


def _add_heldout(result: ExerciseResult, model: _ReturnedModel) -> None:
    wanted = model.ctx.assignment.checks.heldout_accuracy
    predicted, why = model.heldout_predictions()
    if model.untrusted and result.outcome is not Outcome.UNTRUSTED:
        result.untrusted(model.untrusted)
    heldout = None
    if predicted is not None:
        figures = heldout_results(predicted, model.ctx.references.heldout_labels)
        result.artifacts["heldout"] = figures
        heldout = figures["accuracy"]
    result.check(
        "classifies held-out images",
        heldout is not None and heldout >= wanted,
        f"the returned model classifies {heldout or 0:.1%} of unseen test images correctly",
        why
        or f"the returned model classifies only {heldout:.1%} of unseen, normalized test "
        f"images correctly (needs {wanted:.0%}): train it on normalize(images) until the "
        "threshold, and return that model.",
    )


@dataclass
class _ReturnedModel:
    """The model train_until returned, rebuilt once on the grader's side (or why it cannot be)."""

    ctx: JudgeContext
    rebuilt: object | None
    why: str
    untrusted: str = ""  # the kind of data that was not trusted, if that is why it is None

    @classmethod
    def of(cls, record: Record, ctx: JudgeContext) -> _ReturnedModel:
        model = record.model
        if model is None or not model.is_model:
            kind = model.type if model else None
            return cls(ctx, None, f"the first item returned is a {kind}, not a Keras model.")
        names = record.weights
        if names is None:
            return cls(ctx, None, "the model's weights could not be read.", UNREADABLE_WEIGHTS)
        try:
            weights = [ctx.load(str(name)) for name in names]
        except UnreadableOutput as exc:
            why = f"the model's weights could not be read ({exc})."
            return cls(ctx, None, why, UNREADABLE_WEIGHTS)
        layers = [layer.model_dump(by_alias=True) for layer in model.layers]
        rebuilt = rebuild_dense_model(layers, weights)
        if rebuilt is None:
            return cls(
                ctx,
                None,
                (
                    "the returned model is not a Flatten/Dense model of 28x28 inputs, so it "
                    "cannot be checked on held-out images: build it with build_model()."
                ),
            )
        return cls(ctx, rebuilt, "")

    def heldout_predictions(self) -> tuple[np.ndarray | None, str]:
        """The class the model predicts for each reference held-out image (or why not)."""
        if self.rebuilt is None:
            return None, self.why
        return _predict(self.rebuilt, self.ctx.references.heldout_images), ""


def _predict(model: Any, images: np.ndarray) -> np.ndarray:
    # Called eagerly on large batches: predict()'s tracing and batches of 32 cost a second.
    batches = [
        np.asarray(model(images[start : start + PREDICT_BATCH], training=False))
        for start in range(0, len(images), PREDICT_BATCH)
    ]
    return np.argmax(np.concatenate(batches), axis=1)


def _accuracy(model: Any, images: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(_predict(model, images) == labels))


def _history_disagrees(model: _ReturnedModel, ctx: JudgeContext, claimed: float) -> str:
    """Why the reported final accuracy cannot be the returned model's, or ""."""
    rebuilt, why = model.rebuilt, model.why
    images, labels = ctx.references.seen_images, ctx.references.seen_labels
    if images is None or labels is None:
        return ""
    if rebuilt is None:  # a history that cannot be checked against its model earns nothing
        return f"the history cannot be checked against the returned model: {why}"
    # The student may have trained on raw pixels: the model must match on one of the two.
    measured = max(_accuracy(rebuilt, images, labels), _accuracy(rebuilt, images * 255, labels))
    if measured >= claimed - HISTORY_TOLERANCE:
        return ""
    return (
        f"the history reports a final training accuracy of {claimed:.3f}, but the returned "
        f"model classifies only {measured:.3f} of the training images: return the model "
        "and the History of the same training run."
    )
