"""Probe of train_model."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.probe import captured
from autograder.probe.describe import history_data, load_reference
from autograder.probe.harness import (
    ProbeContext,
    call,
    lookup,
    observed_fits,
)
from autograder.samples import train_slice

from .record import Record

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


def probe(ctx: ProbeContext) -> Record:
    """Train reference models with the student's train_model: asked epochs, callbacks, None."""
    train_model, missing = lookup(ctx, "train_model")
    if missing:
        return Record(error=missing)
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
            run["returned"] = history_data(result["value"])
            run["weights_changed"] = any(
                not np.array_equal(a, b)
                for a, b in zip(before, captured.get_weights(model), strict=False)
            )
            run["callback_epochs"] = recorder.epochs_seen if recorder else None
        runs.append(run)
    return Record.model_validate({"runs": runs})
