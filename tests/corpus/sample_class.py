"""Build a realistic sample class in the nbgrader layout: ``SUBMITTED/<student>/c1w2/``.

    python tests/corpus/sample_class.py sample_class

Students are the solution (as a module and as a notebook), an untouched stub, and a selection
of the realistic mistakes of ``tests/corpus/mistakes.yaml`` (the same edits the corpus test
grades), so ``make demo`` shows the grader on what a real class hands in.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus" / "mistakes.yaml"
SOLUTION = ROOT / "solutions" / "c1w2" / "fashion_mnist.py"
SOLUTION_NOTEBOOK = ROOT / "solutions" / "c1w2" / "fashion_mnist.ipynb"
STUB = ROOT / "release" / "c1w2" / "fashion_mnist.py"
RELEASED_NOTEBOOK = ROOT / "release" / "c1w2" / "fashion_mnist.ipynb"
# student -> corpus entry: a class of twelve with the mistakes teachers see most.
CLASS = {
    "ada": "integer_division",
    "ben": "missing_flatten",
    "cleo": "categorical_crossentropy",
    "dev": "callback_one_epoch_late",
    "emma": "callback_never_stops",
    "finn": "predict_returns_probabilities",
    "gus": "train_model_fixed_epochs",
    "hana": "count_params_no_biases",
    "ivan": "syntax_error",
}


def load_mistakes() -> dict[str, dict[str, Any]]:
    """The corpus: entry name -> its edits and expected results."""
    return yaml.safe_load(CORPUS.read_text())


def mistake_source(name: str, entry: dict[str, Any], solution: str) -> str:
    """The student's file for ``entry``: its own source, or the solution with its edits."""
    if "source" in entry:
        return entry["source"]
    text = solution
    for old, new in entry["replace"]:
        if old not in text:
            raise ValueError(f"{name}: {old!r} is not in the solution")
        text = text.replace(old, new, 1)
    if text == solution:
        raise ValueError(f"{name}: the edits left the solution unchanged")
    return text


def _notebook_with(edits: list[list[str]]) -> str:
    notebook = nbformat.read(SOLUTION_NOTEBOOK, as_version=4)
    for old, new in edits:
        cell = next(c for c in notebook.cells if c.cell_type == "code" and old in c.source)
        cell.source = cell.source.replace(old, new, 1)
    return nbformat.writes(notebook)


def build(target: Path) -> list[str]:
    """Write the class under ``target``; return the student names."""
    mistakes = load_mistakes()
    solution = SOLUTION.read_text()
    files: dict[str, tuple[str, str]] = {
        "jo": ("fashion_mnist.py", solution),
        "kim": ("fashion_mnist.ipynb", SOLUTION_NOTEBOOK.read_text()),
        "lou": ("fashion_mnist.py", STUB.read_text()),
        "max": ("fashion_mnist.ipynb", RELEASED_NOTEBOOK.read_text()),
        "nia": (
            "fashion_mnist.ipynb",
            _notebook_with(
                [
                    ['Dense(10, activation="softmax")', 'Dense(10, activation="relu")'],
                    ["return int(np.max(labels)) + 1", "return len(np.unique(labels))"],
                ]
            ),
        ),
    }
    for student, entry in CLASS.items():
        files[student] = ("fashion_mnist.py", mistake_source(entry, mistakes[entry], solution))
    for student, (name, text) in files.items():
        folder = target / student / "c1w2"
        folder.mkdir(parents=True)
        (folder / name).write_text(text)
    return sorted(files)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "sample_class")
    students = build(out)
    print(f"{len(students)} submissions in {out}/<student>/c1w2/: {', '.join(students)}")
