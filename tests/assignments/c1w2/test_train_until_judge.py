"""train_until's judge: a History with no epochs in it earns no training points (issue 20).

A submission that returns ``(model, tf.keras.callbacks.History())``, or a History that fit never
wrote to, used to keep "returns (model, history)". It is run through the real probe in this
process (it trains nothing), and the same record with empty columns is judged as well.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder.assignments.c1w2.train_until.probe import probe
from autograder.checks import judge
from autograder.checks.context import JudgeContext
from autograder.checks.inputs import SHORT_RUN, probe_settings
from autograder.checks.reference import References
from autograder.checks.result import ExerciseResult
from autograder.config import load_course
from autograder.probe.harness import ProbeContext
from tests.assignments.c1w2.callbacks import SOLUTION, load_module

ASSIGNMENT = load_course().assignment("c1w2")
EMPTY_HISTORY = """

def train_until(images, labels, threshold=0.85, max_epochs=10):
    return compile_model(build_model()), tf.keras.callbacks.History()
"""


def context(tmp: Path) -> JudgeContext:
    rng = np.random.default_rng(1)
    images = rng.random((40, 28, 28)).astype(np.float32)
    labels = rng.integers(0, 10, 40)
    return JudgeContext(ASSIGNMENT, References(tmp, np.zeros(0), images, labels), tmp)


def judged(data: dict[str, Any], tmp: Path) -> ExerciseResult:
    return judge("train_until", data, context(tmp))


@pytest.fixture(scope="module")
def probed(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    """What the probe records of a train_until that returns History() and an untrained model,
    and the folder it wrote the model's weights to."""
    tmp = tmp_path_factory.mktemp("empty-history")
    module = load_module(tmp / "submission.py", SOLUTION.read_text() + EMPTY_HISTORY)
    namespace = {"train_until": module.train_until}
    ctx = ProbeContext(namespace, tmp, tmp, probe_settings(ASSIGNMENT), (str(module.__file__),))
    return probe(ctx).model_dump(mode="json", by_alias=True), tmp


def test_an_empty_history_earns_nothing(probed: tuple[dict, Path]) -> None:
    record, folder = probed
    assert record["history"]["is_history"] is True
    result = judged(record, folder)
    assert result.score == 0, result.feedback()
    returns = next(check for check in result.checks if check.name == "returns (model, history)")
    assert returns.message.startswith("train_until returned a History with no epochs in it")
    assert "return the History that fit (or train_model) gives back" in returns.message
    heldout = next(check for check in result.checks if check.name == "classifies held-out images")
    assert "the returned model classifies only" in heldout.message  # it was read, and untrained


def test_empty_columns_are_no_epochs_either(probed: tuple[dict, Path]) -> None:
    record, folder = probed
    data = {**record, "history": {**record["history"], "history": {"accuracy": [], "loss": []}}}
    result = judged(data, folder)
    assert not any(check.passed for check in result.checks), result.feedback()
    assert "a History with no epochs in it" in result.feedback()


def test_one_epoch_is_a_history(probed: tuple[dict, Path]) -> None:
    """The gate is "no epochs", not "too few": one epoch still counts as a returned History."""
    record, folder = probed
    data = {**record, "history": {**record["history"], "history": {"accuracy": [0.5]}}}
    passed = {check.name for check in judged(data, folder).checks if check.passed}
    assert "returns (model, history)" in passed


def test_a_history_that_reaches_the_threshold_in_time_passes(probed: tuple[dict, Path]) -> None:
    """The same returned model with a History of two epochs, the second at the threshold, and a
    short run that stopped at max_epochs: every check that rests on the history passes."""
    record, folder = probed
    threshold = ASSIGNMENT.checks.train_until_threshold
    columns = {"accuracy": [threshold - 0.1, threshold], "loss": [0.6, 0.4]}
    data = {
        **record,
        "history": {**record["history"], "history": columns},
        "short_run": {"error": None, "fits": [SHORT_RUN["max_epochs"]]},
    }
    result = judged(data, folder)
    failed = [c.name for c in result.checks if not c.passed]
    assert failed == ["classifies held-out images"], result.feedback()  # it is untrained
