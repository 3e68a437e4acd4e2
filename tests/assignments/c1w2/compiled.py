"""Run a compile_model through the grader's probe in this process, on a small trained model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tensorflow as tf

from autograder.assignments.c1w2.compile_model.probe import probe
from autograder.checks.inputs import probe_settings
from autograder.checks.reference import compile_reference, reference_model
from autograder.probe.harness import ProbeContext
from autograder.samples import train_slice
from tests.assignments.c1w2.callbacks import ASSIGNMENT, load_module


def write_reference(folder: Path) -> Path:
    """A reference_trained.keras as the grader makes it, smaller (1,000 images, one epoch,
    32 hidden units): trained, so its outputs are confident and losses tell apart."""
    tf.keras.utils.set_random_seed(ASSIGNMENT.seed)
    model = compile_reference(reference_model(32))
    images, labels = train_slice(1000)
    model.fit(images / 255.0, labels, epochs=1, verbose=0)
    model.save(folder / "reference_trained.keras")
    return folder


def probed(loss: str, inputs: Path, tmp: Path, imports: str = "") -> dict[str, Any]:
    """What the probe records of a compile_model that compiles with Adam, ``loss`` and
    accuracy (``imports``: an import line the spelling needs)."""
    source = (
        f"import tensorflow as tf\n{imports}\n\n"
        "def compile_model(model):\n"
        f"    model.compile(optimizer='adam', loss={loss}, metrics=['accuracy'])\n"
        "    return model\n"
    )
    module = load_module(tmp / "submission.py", source)
    namespace: dict[str, Any] = {"compile_model": module.compile_model}
    ctx = ProbeContext(namespace, inputs, tmp, probe_settings(ASSIGNMENT), (str(module.__file__),))
    return probe(ctx).model_dump(mode="json", by_alias=True)
