"""Probe of ThresholdCallback."""

from __future__ import annotations

import contextlib
import copy
import io
from typing import Any

from autograder.probe import captured
from autograder.probe.describe import history_data, load_reference
from autograder.probe.harness import (
    ProbeContext,
    call,
    describe_error,
    lookup,
    student_code,
)
from autograder.samples import train_slice

from .record import Record


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


def probe(ctx: ProbeContext) -> Record:
    """Feed the student's callback the grader's epoch logs; record when it stops, what it says."""
    cls, missing = lookup(ctx, "ThresholdCallback")
    if missing:
        return Record(error=missing)
    data: dict[str, Any] = {
        "error": None,
        "is_class": isinstance(cls, type),
        "is_callback": isinstance(cls, type) and issubclass(cls, captured.Callback),
    }
    if not data["is_class"]:
        return Record.model_validate(data)
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
            data["real_fit"].update(history_data(fit["value"]))
    else:
        data["real_fit"] = {"error": made["error"]}
    return Record.model_validate(data)
