"""ThresholdCallback's judge on real callbacks run through its probe (no training, seconds).

The gate of issue 20: a callback that never stops training (the template, one that forgets
``self.model.stop_training``, one that sets it on itself) passes "is a Callback", "missing logs",
"message" and, where the metric never reaches the threshold, "real training", so those count
only once the callback stops training when it should somewhere. Proven both ways: every
ThresholdCallback mistake of tests/corpus/mistakes.yaml scores what the corpus lists (the corpus
test grades the same edits in the sandbox, with a real fit), every callback spelling of the
equivalence corpus keeps full marks.
"""

from __future__ import annotations

from itertools import product
from pathlib import Path

import pytest
import tensorflow as tf
import yaml

from autograder.checks import judge
from tests.assignments.c1w2.callbacks import (
    ROOT,
    SOLUTION,
    DoesNothing,
    SpeaksNeverStops,
    context,
    judged,
    load_module,
    record_of,
)
from tests.corpus.equivalence import AXES, render
from tests.corpus.sample_class import mistake_source

MISTAKES = yaml.safe_load((ROOT / "tests" / "corpus" / "mistakes.yaml").read_text())
CALLBACK_MISTAKES = [n for n, e in MISTAKES.items() if "ThresholdCallback" in e.get("expect", {})]
POINTS = 20
GATED = ("is a Callback", "missing logs", "message", "real training")


def callback_of(source: str, tmp: Path) -> type:
    return load_module(tmp / "submission.py", source).ThresholdCallback


@pytest.mark.parametrize("name", CALLBACK_MISTAKES)
def test_each_callback_mistake_scores_what_the_corpus_lists(name: str, tmp_path: Path) -> None:
    source = mistake_source(name, MISTAKES[name], SOLUTION.read_text())
    result = judged(callback_of(source, tmp_path), tmp_path)
    want = MISTAKES[name]["expect"]["ThresholdCallback"]
    feedback = want["feedback"] if isinstance(want["feedback"], list) else [want["feedback"]]
    assert result.score == want["score"], result.feedback()
    assert all(text in result.feedback() for text in feedback), result.feedback()


@pytest.mark.parametrize("callback, message", list(product(AXES["callback"], AXES["message"])))
def test_every_correct_spelling_keeps_full_marks(
    callback: str, message: str, tmp_path: Path
) -> None:
    choices = {"imports": "tf.keras", "callback": callback, "message": message}
    source = "import tensorflow as tf\n\n" + render(choices, "ThresholdCallback") + "\n"
    result = judged(callback_of(source, tmp_path), tmp_path)
    assert result.score == POINTS, result.feedback()


def test_the_solution_keeps_full_marks(tmp_path: Path) -> None:
    result = judged(callback_of(SOLUTION.read_text(), tmp_path), tmp_path)
    assert result.score == POINTS, result.feedback()


@pytest.mark.parametrize(
    "cls, why, passed_alone",
    [
        (DoesNothing, "it never stopped training nor printed anything", GATED[:2]),
        (SpeaksNeverStops, "it never set self.model.stop_training = True", GATED[:3]),
    ],
)
def test_a_callback_that_never_stops_earns_nothing(
    cls: type, why: str, passed_alone: tuple[str, ...], tmp_path: Path
) -> None:
    """The checks it would pass on its own are failed by the gate, saying why in plain words."""
    result = judged(cls, tmp_path)
    assert result.score == 0, result.feedback()
    gated = {c.name: c.message for c in result.checks if c.message.startswith("not counted: ")}
    assert sorted(gated) == sorted(passed_alone), result.feedback()
    for message in gated.values():
        assert why in message, message
        assert "{" not in message and "Run" not in message, message  # plain words, no repr


def test_real_training_is_not_counted_alone_either(tmp_path: Path) -> None:
    """On a real fit that never reaches 0.7, never stopping is right: not counted alone."""
    record = record_of(SpeaksNeverStops, tmp_path).model_dump(mode="json")
    record["real_fit"] = {"type": "History", "is_history": True, "history": {"accuracy": [0.6] * 6}}
    result = judge("ThresholdCallback", record, context(tmp_path))
    gated = [c.name for c in result.checks if c.message.startswith("not counted: ")]
    assert result.score == 0 and gated == [*GATED], result.feedback()


def test_one_correct_stop_is_enough_to_count_the_rest(tmp_path: Path) -> None:
    """Stops right with the defaults, ignores every other threshold: the gated checks count."""

    class DefaultsOnly(tf.keras.callbacks.Callback):
        def __init__(self, threshold=0.85, metric="accuracy"):
            super().__init__()

        def on_epoch_end(self, epoch, logs=None):
            value = (logs or {}).get("accuracy")
            if value is not None and value >= 0.85:
                print(f"Reached accuracy {value} so cancelling training!")
                self.model.stop_training = True

    result = judged(DefaultsOnly, tmp_path)
    passed = {check.name for check in result.checks if check.passed}
    assert {"is a Callback", "missing logs", "message", "stops at the threshold"} <= passed
    assert "honours threshold" not in passed and "real training" not in passed
