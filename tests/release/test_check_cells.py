"""The notebook's check cells judge behaviour (issue 20): correct answers spelled otherwise pass
every check cell, realistic mistakes fail the check cell of their exercise with the fix, and
the untouched notebook passes none. Run as a student would: answers in the released notebook,
demonstrations left out, every other cell in a Jupyter kernel. The whole corpus:
``python -m tests.release.check_cells OUT_DIR``."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.assignments.c1w2.self_check import NOTEBOOK
from tests.conftest import RELEASED_NOTEBOOK, edited_notebook, replacing
from tests.corpus.equivalence import variants
from tests.release.check_cells import failed_check_cells, variant_notebook

pytestmark = pytest.mark.slow

# A variant of the corpus that the old check cells rejected: a loss function, `import keras`,
# tf.nn.softmax (stored as 'softmax_v2'), Flatten(input_shape=...), Adam(learning_rate=...).
# (A loss object takes the same road: the mistakes below compile one.)
SAMPLE = ("eq28",)

MISTAKES = {  # solution cell -> (right, wrong, what its check cell says)
    "normalize": ("return images / 255.0", "return images // 255", "use true division"),
    "build_model": (
        'Dense(hidden_units, activation="relu")',
        'Dense(hidden_units, activation="sigmoid")',
        "activation='relu'",
    ),
    "compile_model": (
        'loss="sparse_categorical_crossentropy"',
        "loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
        "use loss='sparse_categorical_crossentropy'",
    ),
    "ThresholdCallback": (
        "reached = value >= self.threshold",
        "reached = value > self.threshold",
        "the threshold itself counts (>=)",
    ),
}


@pytest.mark.parametrize("name", SAMPLE)
def test_correct_variants_pass_every_check_cell(name: str, tmp_path: Path) -> None:
    variant = next(v for v in variants() if v.name == name)
    assert failed_check_cells(variant_notebook(variant, tmp_path)) == {}, variant.describe()


def test_mistakes_fail_their_check_cell_with_the_fix(tmp_path: Path) -> None:
    edits = {cell: replacing(right, wrong) for cell, (right, wrong, _) in MISTAKES.items()}
    failed = failed_check_cells(edited_notebook(tmp_path / "fashion_mnist.ipynb", edits))
    assert set(failed) == {f"check_{exercise}" for exercise in MISTAKES}, failed
    for exercise, (_, _, fix) in MISTAKES.items():
        assert fix in failed[f"check_{exercise}"], failed


def test_the_untouched_notebook_passes_no_check_cell() -> None:
    failed = failed_check_cells(RELEASED_NOTEBOOK)
    assert set(failed) == {f"check_{exercise}" for exercise in NOTEBOOK}, failed
    assert all(error.startswith("NotImplementedError") for error in failed.values()), failed
