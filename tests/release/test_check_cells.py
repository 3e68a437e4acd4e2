"""The notebook's check cells judge behaviour (issue 20): correct answers spelled otherwise pass
every check cell, realistic mistakes fail the check cell of their exercise with the fix, and
the untouched notebook passes none. Run as a student would: answers in the released notebook,
demonstrations left out, every other cell in a Jupyter kernel. A correct variant passing
every check cell and the untouched notebook failing all of them are shown by
tests/test_corpus_selfcheck.py; here, four mistakes in one run. The whole corpus:
``python -m tests.release.check_cells OUT_DIR``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import edited_notebook, replacing
from tests.release.check_cells import failed_check_cells

pytestmark = pytest.mark.slow

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


def test_mistakes_fail_their_check_cell_with_the_fix(tmp_path: Path) -> None:
    edits = {cell: replacing(right, wrong) for cell, (right, wrong, _) in MISTAKES.items()}
    failed = failed_check_cells(edited_notebook(tmp_path / "fashion_mnist.ipynb", edits))
    assert set(failed) == {f"check_{exercise}" for exercise in MISTAKES}, failed
    for exercise, (_, _, fix) in MISTAKES.items():
        assert fix in failed[f"check_{exercise}"], failed
