"""Probe of train_until."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.probe.describe import describe_model, history_data
from autograder.probe.harness import (
    ProbeContext,
    call,
    defaults,
    lookup,
    observed_fits,
    student_code,
)
from autograder.samples import train_slice

from .record import Record


def probe(ctx: ProbeContext) -> Record:
    """Run train_until on real data; hand back its history and its model's weights."""
    train_until, missing = lookup(ctx, "train_until")
    if missing:
        return Record(error=missing)
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
        return Record.model_validate(data)
    value = result["value"]
    data["returned_type"] = type(value).__name__
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        return Record.model_validate(data)
    model, history = value
    data["history"] = history_data(history)
    data["model"] = describe_model(model)
    data["weights"] = save_weights(ctx, model, "train_until")
    return Record.model_validate(data)


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
