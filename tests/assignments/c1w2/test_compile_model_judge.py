"""compile_model's judge on real compiled models, through its probe in this process.

Issue 20 item 5: ``SparseCategoricalCrossentropy(from_logits=True)`` on the softmax model trains
as the plain loss does inside fit and evaluate (Keras 3 takes the logits behind a softmax op), but
on the probabilities the model returns (as predict gives them) it is not their cross-entropy. The
probe computes the compiled loss on those probabilities; the judge compares it with their
cross-entropy. Proven both ways: from_logits=True, spelled as an object or inside a function,
loses the loss sub-check with feedback that says why, and every spelling of the loss in the
equivalence corpus, through each import style, keeps full marks. One small model is trained once
(1,000 images, one epoch); each spelling is then compiled, evaluated and stepped, about a
second each (the other import styles are marked slow).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.checks import judge
from autograder.checks.context import JudgeContext
from autograder.checks.reference import References
from autograder.checks.result import ExerciseResult
from autograder.config import load_course
from tests.assignments.c1w2.compiled import probed, write_reference
from tests.corpus.equivalence import AXES, IMPORTS

ASSIGNMENT = load_course().assignment("c1w2")
POINTS = ASSIGNMENT.exercises["compile_model"].points
LOSS_POINTS = 4


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_reference(tmp_path_factory.mktemp("compile-inputs"))


def graded(loss: str, inputs: Path, tmp: Path, imports: str = "") -> ExerciseResult:
    """The verdict on a compile_model that compiles with Adam, ``loss`` and accuracy."""
    empty = np.zeros((0,))
    context = JudgeContext(ASSIGNMENT, References(tmp, empty, empty, empty), tmp)
    return judge("compile_model", probed(loss, inputs, tmp, imports), context)


# Every loss spelling of the equivalence corpus in each import style, and TensorFlow's aliases:
# the tf.keras spellings run in `make test-fast`, the same ones through `keras` only in
# `make test` (about a second each).
CORRECT = [
    pytest.param(
        spelling.replace("${keras}", namespace),
        line,
        marks=[pytest.mark.slow] if namespace != "tf.keras" else [],
    )
    for spelling in AXES["loss"].values()
    for line, namespace in IMPORTS.values()
] + [
    pytest.param("tf.losses.SparseCategoricalCrossentropy()", ""),
    pytest.param("tf.losses.sparse_categorical_crossentropy", ""),
]


@pytest.mark.parametrize("loss, imports", CORRECT)
def test_every_spelling_of_the_loss_keeps_full_marks(
    loss: str, imports: str, inputs: Path, tmp_path: Path
) -> None:
    result = graded(loss, inputs, tmp_path, imports)
    assert result.score == POINTS, result.feedback()
    assert all(check.message for check in result.checks)


@pytest.mark.parametrize(
    "loss, imports",
    [
        ("tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)", ""),
        pytest.param(
            "keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
            "import keras",
            marks=pytest.mark.slow,
        ),
        (
            "lambda y, p: tf.keras.losses.sparse_categorical_crossentropy(y, p, from_logits=True)",
            "",
        ),
    ],
)
def test_from_logits_on_a_softmax_model_loses_the_loss(
    loss: str, imports: str, inputs: Path, tmp_path: Path
) -> None:
    result = graded(loss, inputs, tmp_path, imports)
    assert result.score == POINTS - LOSS_POINTS, result.feedback()
    fix = next(check.message for check in result.checks if check.name == "loss")
    assert "the model already outputs probabilities" in fix
    assert "from_logits must be False" in fix
    assert "where their cross-entropy is" in fix and "{" not in fix
