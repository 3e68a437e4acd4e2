"""Probes of Part 2 and training: train_model, ThresholdCallback, train_until."""

from __future__ import annotations

import contextlib
import copy
import io
from typing import Any

import numpy as np

from autograder.probe import captured
from autograder.probe.harness import (
    ProbeContext,
    call,
    defaults,
    describe_error,
    lookup,
    observed_fits,
    student_code,
)
from autograder.probe.model import describe_model, load_reference
from autograder.samples import train_slice

DEFAULT_RUN_IMAGES = 64  # what train_model trains on when left to its defaults


def _recorder() -> Any:
    class EpochRecorder(captured.Callback):
        """Counts the epochs fit really ran with this callback attached."""

        def __init__(self) -> None:
            super().__init__()
            self.epochs_seen: list[int] = []

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            self.epochs_seen.append(int(epoch))

    return EpochRecorder()


def _history_data(history: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": type(history).__name__,
        "is_history": isinstance(history, captured.History),
    }
    with student_code():
        logs = getattr(history, "history", None)
    if isinstance(logs, dict):
        data["history"] = {
            str(key): [float(v) for v in values]
            for key, values in logs.items()
            if isinstance(values, (list, tuple)) and all(np.isscalar(v) for v in values)
        }
    return data


def probe_train_model(ctx: ProbeContext) -> dict[str, Any]:
    """Train reference models with the student's train_model: asked epochs, callbacks, None."""
    train_model, missing = lookup(ctx, "train_model")
    if missing:
        return {"error": missing}
    images, labels = train_slice(ctx.settings["train_model_images"])
    images = images / 255.0
    runs = []
    # The callbacks=None run trains the same model on: a fresh one would cost a second trace.
    model = load_reference(ctx, "reference_compiled.keras")
    # The second run leaves epochs and callbacks to train_model's defaults.
    for epochs, with_callback in ((ctx.settings["train_model_epochs"], True), (None, False)):
        before = [w.copy() for w in captured.get_weights(model)]
        recorder = _recorder() if with_callback else None
        if with_callback:
            kwargs = {"epochs": epochs, "callbacks": [recorder]}
            result = call(ctx, train_model, model, images, labels, **kwargs)
        else:  # its default 5 epochs, on few images: it costs little more than one epoch
            with observed_fits() as ran:
                result = call(
                    ctx,
                    train_model,
                    model,
                    images[:DEFAULT_RUN_IMAGES],
                    labels[:DEFAULT_RUN_IMAGES],
                )
        run: dict[str, Any] = {"epochs": epochs, "with_callback": with_callback}
        if not with_callback:
            run["fits"] = list(ran)  # the epochs each fit ran, whatever train_model returned
        run["error"] = result["error"]
        if result["ok"]:
            run["returned"] = _history_data(result["value"])
            run["weights_changed"] = any(
                not np.array_equal(a, b)
                for a, b in zip(before, captured.get_weights(model), strict=False)
            )
            run["callback_epochs"] = recorder.epochs_seen if recorder else None
        runs.append(run)
    return {"error": None, "runs": runs}


class _FakeModel:
    """Stands in for the model a callback is attached to: only ``stop_training`` matters."""

    stop_training = False


def _run_scenario(ctx: ProbeContext, cls: Any, scenario: dict[str, Any]) -> dict[str, Any]:
    kwargs = scenario.get("kwargs")
    made = call(ctx, cls) if kwargs is None else call(ctx, cls, **kwargs)
    if not made["ok"]:
        return {"error": made["error"], "epochs": []}
    callback = made["value"]
    model = _FakeModel()
    epochs = []
    try:
        with student_code():
            callback.set_model(model)
    except Exception:  # noqa: BLE001 - set it the way Keras's own set_model does
        callback.model = model
    for epoch, logs in enumerate(scenario["logs"]):
        buffer = io.StringIO()
        entry: dict[str, Any] = {"error": None}
        try:
            with contextlib.redirect_stdout(buffer), student_code():
                # Positional, as Keras's CallbackList calls it: any parameter names work.
                callback.on_epoch_end(epoch, copy.deepcopy(logs))
        except Exception as exc:  # noqa: BLE001 - a crashing callback is what we report
            entry["error"] = describe_error(exc, ctx.student_files)
        entry["stopped"] = model.stop_training is True
        entry["output"] = buffer.getvalue()[:500]
        epochs.append(entry)
        if entry["stopped"]:
            break
    return {"error": None, "epochs": epochs}


def probe_threshold_callback(ctx: ProbeContext) -> dict[str, Any]:
    """Feed the student's callback the grader's epoch logs; record when it stops, what it says."""
    cls, missing = lookup(ctx, "ThresholdCallback")
    if missing:
        return {"error": missing}
    data: dict[str, Any] = {
        "error": None,
        "is_class": isinstance(cls, type),
        "is_callback": isinstance(cls, type) and issubclass(cls, captured.Callback),
    }
    if not data["is_class"]:
        return data
    data["scenarios"] = [_run_scenario(ctx, cls, s) for s in ctx.settings["callback_scenarios"]]
    real = ctx.settings["callback_real_fit"]
    images, labels = train_slice(real["images"])
    made = call(ctx, cls, threshold=real["threshold"])
    if made["ok"]:
        model = load_reference(ctx, "reference_compiled.keras")
        fit = call(
            ctx,
            captured.fit,  # the real fit, whatever the submission did to tf.keras.Model.fit
            model,
            images / 255.0,
            labels,
            epochs=real["max_epochs"],
            callbacks=[made["value"]],
            verbose=0,
        )
        data["real_fit"] = {"error": fit["error"], "output": fit["output"][-500:]}
        if fit["ok"]:
            data["real_fit"].update(_history_data(fit["value"]))
    else:
        data["real_fit"] = {"error": made["error"]}
    return data


def probe_train_until(ctx: ProbeContext) -> dict[str, Any]:
    """Run train_until on real data; hand back its history and its model's weights."""
    train_until, missing = lookup(ctx, "train_until")
    if missing:
        return {"error": missing}
    settings = ctx.settings["train_until"]
    images, labels = train_slice(settings["images"])
    result = call(
        ctx,
        train_until,
        images.copy(),
        labels.copy(),
        threshold=settings["threshold"],
        max_epochs=settings["max_epochs"],
    )
    data: dict[str, Any] = {"error": result["error"], "output": result["output"][-1000:]}
    data["defaults"] = defaults(train_until)
    short = settings["short_run"]  # a threshold out of reach: max_epochs is what stops it
    with observed_fits() as ran:
        capped = call(
            ctx,
            train_until,
            images[: short["images"]].copy(),
            labels[: short["images"]].copy(),
            threshold=short["threshold"],
            max_epochs=short["max_epochs"],
        )
    data["short_run"] = {"error": capped["error"], "fits": list(ran)}
    if not result["ok"]:
        return data
    value = result["value"]
    data["returned_type"] = type(value).__name__
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        return data
    model, history = value
    data["history"] = _history_data(history)
    data["model"] = describe_model(model)
    data["weights"] = save_weights(ctx, model, "train_until")
    return data


def save_weights(ctx: ProbeContext, model: Any, prefix: str) -> list[str] | None:
    """Save a model's weights as plain ``.npy`` arrays: the grader rebuilds the model itself."""
    try:
        with student_code():
            weights = model.get_weights()
    except Exception:  # noqa: BLE001 - not a model
        return None
    names = []
    for index, array in enumerate(weights):
        name = f"{prefix}_w{index}.npy"
        np.save(ctx.out_dir / name, np.asarray(array, dtype=np.float32), allow_pickle=False)
        names.append(name)
    return names
