"""Judges of training: train_model, ThresholdCallback, train_until."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from autograder.checks.artifacts import heldout_results, training_history
from autograder.checks.context import JudgeContext, UnreadableOutput
from autograder.checks.explain import explain_error
from autograder.checks.exploration import unplain
from autograder.checks.inputs import (
    SHORT_RUN,
    TRAIN_MODEL_DEFAULT_EPOCHS,
    TRAIN_MODEL_EPOCHS,
    TRAIN_UNTIL_DEFAULT_MAX_EPOCHS,
    callback_scenarios,
)
from autograder.checks.reference import rebuild_dense_model
from autograder.checks.result import ExerciseResult

HISTORY_TOLERANCE = 0.05  # a fit's running accuracy trails the final model's by a little
PREDICT_BATCH = 2048  # images per batch when the grader evaluates a returned model
MESSAGE = re.compile(r"Reached (\S+) (\S+) so cancelling training!")


def _epochs_in(returned: dict) -> int | None:
    history = returned.get("history") if isinstance(returned, dict) else None
    if not isinstance(history, dict) or not history:
        return None
    return max(len(values) for values in history.values())


def judge_train_model(data: dict, ctx: JudgeContext) -> ExerciseResult:
    """A History back, the asked number of epochs, the callbacks used, callbacks=None works."""
    result = ExerciseResult("train_model", 10)
    if data.get("error"):
        return result.fail_all(explain_error("train_model", data["error"]))
    runs = data.get("runs")
    if not (isinstance(runs, list) and len(runs) == 2 and all(isinstance(r, dict) for r in runs)):
        return result.fail_all("train_model could not be run by the grader.")
    asked, plain = runs
    if asked.get("error"):
        return result.fail_all(explain_error("train_model", asked["error"]))
    returned = asked.get("returned") or {}
    trained = asked.get("weights_changed") is True
    result.add(
        "returns History",
        3,
        returned.get("is_history") is True and bool(_epochs_in(returned)),
        "returns the History that fit gives back",
        f"train_model returned {returned.get('type', 'nothing')}: return what model.fit(...) "
        "returns, a History (it holds the per-epoch loss and accuracy).",
    )
    ran = asked.get("callback_epochs")
    epochs = _epochs_in(returned) if returned.get("is_history") else None
    if epochs is None and isinstance(ran, list):
        epochs = len(ran)
    result.add(
        "asked epochs",
        3,
        epochs == TRAIN_MODEL_EPOCHS,
        f"trains for the {TRAIN_MODEL_EPOCHS} epochs asked",
        f"asked for {TRAIN_MODEL_EPOCHS} epochs, trained {epochs}: pass epochs=epochs to fit.",
    )
    result.add(
        "uses callbacks",
        2,
        bool(ran) and ran == list(range(len(ran))) and (epochs is None or len(ran) == epochs),
        "the callbacks given are called at every epoch",
        "the callbacks given were never called: pass callbacks=callbacks to model.fit."
        if not ran
        else f"the callbacks given ran at epochs {ran}: pass callbacks=callbacks to one fit.",
    )
    result.add(
        "trains the given model",
        1,
        trained,
        "the model passed in is the one trained",
        "the model passed in was not trained: call fit on `model`, not on a new one.",
    )
    plain_trained = not plain.get("error") and plain.get("weights_changed") is True
    fits = plain.get("fits")
    default_epochs = (
        sum(fits) if isinstance(fits, list) and all(isinstance(f, int) for f in fits) else None
    )
    if plain.get("error"):
        defaults_fix = (
            explain_error("train_model(model, images, labels)", plain.get("error"))
            + " Pass callbacks straight to fit: it accepts None."
        )
    elif not plain_trained:
        defaults_fix = (
            "with the default callbacks=None the model was not trained: call model.fit(...) "
            "whatever the callbacks are, and pass them straight to fit (it accepts None)."
        )
    else:
        defaults_fix = (
            f"called without epochs, it trained {default_epochs} epochs: keep the default "
            f"epochs={TRAIN_MODEL_DEFAULT_EPOCHS} of the template."
        )
    result.add(
        "callbacks=None",
        1,
        plain_trained and default_epochs == TRAIN_MODEL_DEFAULT_EPOCHS,
        f"with its defaults it trains {TRAIN_MODEL_DEFAULT_EPOCHS} epochs, callbacks=None",
        defaults_fix,
    )
    return result


def _stop_epoch(run: dict) -> tuple[int | None, list]:
    epochs = run.get("epochs") or []
    errors = [epoch.get("error") for epoch in epochs if epoch.get("error")]
    for index, epoch in enumerate(epochs):
        if epoch.get("stopped"):
            return index, errors
    return None, errors


def _scenario_ok(run: dict, scenario: dict) -> tuple[bool, str]:
    if run.get("error"):
        return False, explain_error("ThresholdCallback(...)", run["error"])
    stopped, errors = _stop_epoch(run)
    if errors:
        return False, explain_error("on_epoch_end", errors[0])
    expect = scenario["expect"]
    if stopped == expect:
        return True, ""
    kwargs = scenario["kwargs"] or {}
    metric = kwargs.get("metric", "accuracy")
    logs = scenario["logs"]
    values = [log.get(metric) if isinstance(log, dict) else None for log in logs]
    arguments = ", ".join(f"{key}={value!r}" for key, value in kwargs.items())
    shown = ", ".join("missing" if value is None else f"{value:g}" for value in values)
    told = f"with ThresholdCallback({arguments}), {metric} per epoch {shown}"
    if expect is None:
        if scenario["name"] in ("logs=None", "missing key"):
            return False, (
                f"stopped at epoch {stopped} although logs had no '{metric}': only "
                "stop once the metric is there and has reached the threshold."
            )
        return False, f"{told}: stopped at epoch {stopped}, but the threshold was never reached."
    if stopped is None:
        return False, (
            f"{told}: never stopped although epoch {expect} reached the threshold: read "
            f"logs['{metric}'] (the metric given, via self.metric) and once it reaches "
            "self.threshold set self.model.stop_training = True."
        )
    if stopped == expect + 1:
        return False, (
            f"{told}: stopped one epoch late, at {stopped}; epoch {expect} equals the "
            "threshold, which counts as reached (>=, or <= for a loss)."
        )
    return False, (
        f"{told}: stopped at epoch {stopped}, expected {expect}; compare "
        f"logs['{metric}'] (>= threshold, or <= for a loss) with self.threshold."
    )


def judge_threshold_callback(data: dict, ctx: JudgeContext) -> ExerciseResult:
    """Stops exactly when the threshold is reached, both directions, at the boundary."""
    result = ExerciseResult("ThresholdCallback", 20)
    if data.get("error"):
        return result.fail_all(explain_error("ThresholdCallback", data["error"]))
    if not data.get("is_class"):
        return result.fail_all(
            "ThresholdCallback must be a class: `class ThresholdCallback"
            "(tf.keras.callbacks.Callback):`."
        )
    built = [run for run in data.get("scenarios") or [] if not run.get("error")]
    if not built:
        first = (data.get("scenarios") or [{}])[0].get("error")
        return result.fail_all(explain_error("ThresholdCallback(...)", first))
    scenarios = callback_scenarios(ctx.assignment.checks.callback_threshold)
    names = [s["name"] for s in scenarios]
    runs = dict(zip(names, data.get("scenarios") or [], strict=False))
    verdicts = {s["name"]: _scenario_ok(runs.get(s["name"], {}), s) for s in scenarios}
    # What the template gives (a Callback subclass that does nothing) earns nothing alone: the
    # checks a do-nothing callback would pass count only once it stops or speaks somewhere.
    acts = _acts(runs.values())
    never = "it never stopped training nor printed anything: the template alone earns nothing."
    result.add(
        "is a Callback",
        2,
        data.get("is_callback") is True and acts,
        "subclasses tf.keras.callbacks.Callback",
        "ThresholdCallback does not subclass tf.keras.callbacks.Callback, so fit cannot use it."
        if data.get("is_callback") is not True
        else never,
    )

    def group(name: str, points: float, names: list[str], ok: str) -> None:
        failures = [verdicts[n][1] for n in names if not verdicts[n][0]]
        result.add(name, points, not failures, ok, failures[0] if failures else "")

    threshold = ctx.assignment.checks.callback_threshold
    group(
        "stops at the threshold",
        4,
        ["default"],
        f"with the defaults, stops at the epoch accuracy reaches {threshold} (the boundary "
        "counts), not before",
    )
    group(
        "honours threshold",
        3,
        ["lower threshold", "never reached"],
        "uses the threshold it was given and never stops early",
    )
    group(
        "loss goes down",
        3,
        ["loss goes down", "val_loss goes down"],
        "for a metric ending in 'loss' stops once it is at or below the threshold",
    )
    group("named metric", 2, ["named metric"], "reads the metric it was given from logs")
    if acts:
        group(
            "missing logs",
            3,
            ["logs=None", "missing key"],
            "logs=None or a missing key neither raises nor stops",
        )
    else:
        result.add("missing logs", 3, False, "", never)
    result.add("message", 2, *_message_verdict(runs.get("default", {}), scenarios[0]))
    fit_ok, fit_pass, fit_fix = _real_fit_verdict(data.get("real_fit") or {}, ctx.assignment.seed)
    result.add("real training", 1, fit_ok and acts, fit_pass, fit_fix if not fit_ok else never)
    return result


def _acts(runs) -> bool:
    """Whether the callback did anything at all: stopped training or printed, anywhere."""
    return any(
        epoch.get("stopped") or str(epoch.get("output", "")).strip()
        for run in runs
        if isinstance(run, dict)
        for epoch in run.get("epochs") or []
        if isinstance(epoch, dict)
    )


def _message_verdict(run: dict, scenario: dict) -> tuple[bool, str, str]:
    """The message, where the callback stopped (or, if it never did, where it should have)."""
    ok = "prints 'Reached accuracy <value> so cancelling training!' once, when it stops"
    epochs = run.get("epochs") or []
    stopped, _ = _stop_epoch(run)
    at = stopped if stopped is not None else scenario["expect"]
    if at is None or at >= len(epochs):
        return False, ok, "no message can be checked: the callback did not get that far."
    early = [e.get("output", "") for e in epochs[:at] if "Reached" in e.get("output", "")]
    if early:
        return False, ok, "printed 'Reached ...' before the threshold was reached."
    said = epochs[at].get("output", "")
    match = MESSAGE.search(said)
    if not match:
        shown = f'"{said.strip()[:80]}"' if said.strip() else "nothing"
        return (
            False,
            ok,
            (
                f'printed {shown}; print exactly f"Reached {{metric}} {{value}} so '
                'cancelling training!"'
            ),
        )
    reached = scenario["logs"][at]["accuracy"]
    try:
        value_ok = match.group(1) == "accuracy" and abs(float(match.group(2)) - reached) < 0.01
    except ValueError:
        value_ok = False
    return (
        value_ok,
        ok,
        (
            f'the message says "{match.group(0)}": name the metric and the value '
            f"it reached, e.g. 'Reached accuracy {reached} so cancelling training!'."
        ),
    )


def _real_fit_verdict(fit: dict, seed: int) -> tuple[bool, str, str]:
    ok = "stops a real model.fit at the first epoch that reaches its threshold"
    if fit.get("error"):
        return False, ok, explain_error("model.fit with ThresholdCallback", fit["error"])
    accuracy = (fit.get("history") or {}).get("accuracy") or []
    reached = [i for i, value in enumerate(accuracy) if value >= 0.7]
    expected_len = reached[0] + 1 if reached else 6
    if accuracy and len(accuracy) == expected_len:
        return True, ok, ""
    return (
        False,
        ok,
        (
            f"in a real fit with threshold 0.7, accuracy went {accuracy}: training "
            "must stop at the end of the first epoch that reaches it."
        ),
    )


def judge_train_until(data: dict, ctx: JudgeContext) -> ExerciseResult:
    """Reaches the threshold on real data, halts there, and returns a model that works."""
    result = ExerciseResult("train_until", 10)
    if data.get("error"):
        return result.fail_all(explain_error("train_until", data["error"]))
    settings = ctx.assignment.checks
    threshold, max_epochs = settings.train_until_threshold, settings.train_until_max_epochs
    if "history" not in data:
        return result.fail_all(
            f"train_until returned a {data.get('returned_type')}: return the pair (model, history)."
        )
    model = _ReturnedModel.of(data, ctx)
    returned = data.get("history") or {}
    if not returned.get("is_history"):
        why = (
            f"train_until returned ({(data.get('model') or {}).get('type')}, "
            f"{returned.get('type')}): the second item must be the History that fit returns, "
            "so training cannot be checked."
        )
        result.add("returns (model, history)", 1, False, "", why)
        _fail_history_checks(result, why)
        _add_heldout(result, model)
        return result
    result.add("returns (model, history)", 1, True, "returns (model, history)", "")
    history = returned.get("history") or {}
    accuracy = history.get("accuracy") or []
    epochs_run = max((len(v) for v in history.values()), default=0)
    threshold_claimed = bool(accuracy) and accuracy[-1] >= threshold
    forged = _history_disagrees(model, ctx, accuracy[-1]) if threshold_claimed else ""
    if forged:
        _fail_history_checks(result, forged)
        _add_heldout(result, model)
        return result
    result.artifacts["history"] = training_history(history, threshold, max_epochs)
    if not accuracy:
        result.add(
            "reaches threshold",
            2,
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
        result.add(
            "reaches threshold",
            2,
            accuracy[-1] >= threshold,
            f"training accuracy reached {accuracy[-1]:.3f} >= {threshold}",
            f"training ended at accuracy {accuracy[-1]:.3f}, below {threshold}.{hint}",
        )
    first = next((i for i, value in enumerate(accuracy) if value >= threshold), None)
    result.add(
        "stops at first epoch reaching it",
        2,
        first is not None and len(accuracy) == first + 1,
        f"stopped at epoch {len(accuracy)}, the first to reach {threshold}",
        f"accuracy first reached {threshold} at epoch {first + 1} but training went on to "
        f"epoch {len(accuracy)}: pass ThresholdCallback(threshold) in callbacks."
        if first is not None
        else "the threshold was never reached, so stopping could not be checked.",
    )
    halts_fix = _max_epochs_fix(data, ctx.assignment.checks.callback_threshold)
    result.add(
        "halts before max_epochs",
        1,
        0 < epochs_run < max_epochs and not halts_fix,
        f"stopped before max_epochs={max_epochs}, and at max_epochs when out of reach",
        halts_fix
        or f"ran {epochs_run} epochs of max_epochs={max_epochs}: the callback should end "
        "training as soon as the threshold is reached.",
    )
    _add_heldout(result, model)
    return result


def _max_epochs_fix(data: dict, threshold: float) -> str:
    """Why train_until does not honour max_epochs or its defaults, or ""."""
    short = data.get("short_run") or {}
    if short.get("error"):
        return explain_error("train_until with a threshold out of reach", short["error"])
    fits = short.get("fits")
    ran = sum(fits) if isinstance(fits, list) and all(isinstance(f, int) for f in fits) else None
    if ran != SHORT_RUN["max_epochs"]:
        return (
            f"with a threshold out of reach and max_epochs={SHORT_RUN['max_epochs']} it trained "
            f"{ran} epoch{'' if ran == 1 else 's'}: pass epochs=max_epochs to fit, so max_epochs "
            "is where it stops."
        )
    given = data.get("defaults") or {}
    wanted = {"threshold": threshold, "max_epochs": TRAIN_UNTIL_DEFAULT_MAX_EPOCHS}
    for name, value in wanted.items():
        if unplain(given.get(name)) != value:
            return (
                f"the default of {name} is {unplain(given.get(name))}, not {value}: keep the "
                "template's signature."
            )
    return ""


HISTORY_CHECKS = (
    ("reaches threshold", 2),
    ("stops at first epoch reaching it", 2),
    ("halts before max_epochs", 1),
)


def _fail_history_checks(result: ExerciseResult, why: str) -> None:
    """The checks that rest on the history, failed for one reason."""
    for name, points in HISTORY_CHECKS:
        result.add(name, points, False, "", why)


def _add_heldout(result: ExerciseResult, model: _ReturnedModel) -> None:
    wanted = model.ctx.assignment.checks.heldout_accuracy
    predicted, why = model.heldout_predictions()
    heldout = None
    if predicted is not None:
        figures = heldout_results(predicted, model.ctx.references.heldout_labels)
        result.artifacts["heldout"] = figures
        heldout = figures["accuracy"]
    result.add(
        "classifies held-out images",
        4,
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

    @classmethod
    def of(cls, data: dict, ctx: JudgeContext) -> _ReturnedModel:
        model = data.get("model") or {}
        if not model.get("is_model"):
            return cls(
                ctx, None, f"the first item returned is a {model.get('type')}, not a Keras model."
            )
        names = data.get("weights")
        if not isinstance(names, list):
            return cls(ctx, None, "the model's weights could not be read.")
        try:
            weights = [ctx.load(str(name)) for name in names]
        except UnreadableOutput as exc:
            return cls(ctx, None, f"the model's weights could not be read ({exc}).")
        rebuilt = rebuild_dense_model(model.get("layers") or [], weights)
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


def _predict(model: object, images: np.ndarray) -> np.ndarray:
    # Called eagerly on large batches: predict()'s tracing and batches of 32 cost a second.
    batches = [
        np.asarray(model(images[start : start + PREDICT_BATCH], training=False))
        for start in range(0, len(images), PREDICT_BATCH)
    ]
    return np.argmax(np.concatenate(batches), axis=1)


def _accuracy(model: object, images: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(_predict(model, images) == labels))


def _history_disagrees(model: _ReturnedModel, ctx: JudgeContext, claimed: float) -> str:
    """Why the reported final accuracy cannot be the returned model's, or ""."""
    rebuilt, why = model.rebuilt, model.why
    images, labels = ctx.references.seen_images, ctx.references.seen_labels
    if images is None:
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
