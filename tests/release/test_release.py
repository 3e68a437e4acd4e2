"""release/ and solutions/ are generated from source/, in sync, and leak nothing."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder import release
from autograder.errors import GraderError
from tests.conftest import EXERCISES, RELEASED_NOTEBOOK, ROOT, STUB_MODULE

# Every exercise but the callback class is a function the stub leaves to write.
EXERCISE_FUNCTIONS = [e for e in EXERCISES if e != "ThresholdCallback"]


@pytest.fixture(scope="module")
def course_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch copy of the course directory to break things in."""
    root = tmp_path_factory.mktemp("course")
    for name in ("source", "release", "solutions"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("nbgrader_config.py", "course.yaml"):
        shutil.copyfile(ROOT / name, root / name)
    return root


# That the committed release is what source/ generates is `make test`'s step before pytest
# (`autograder release c1w2 --check`), not repeated here.


def test_release_holds_no_solution_and_no_hidden_test() -> None:
    for path in (ROOT / "release" / "c1w2").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            text = path.read_text()
            for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "autograder.checks"):
                assert marker not in text, (path.name, marker)
    stub = STUB_MODULE.read_text()
    for solution_line in (
        "return images / 255.0",
        "np.argmax(probabilities, axis=1)",
        "self.model.stop_training = True",
        'loss="sparse_categorical_crossentropy"',
    ):
        assert solution_line not in stub


def test_stub_raises_not_implemented_in_every_exercise() -> None:
    tree = ast.parse(STUB_MODULE.read_text())
    bodies = {
        node.name: ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.ClassDef))
    }
    for name in [*EXERCISE_FUNCTIONS, "on_epoch_end", "__init__"]:
        assert "raise NotImplementedError()" in bodies[name], name
    assert "def load_data" in STUB_MODULE.read_text()  # given code stays


def test_released_notebook_has_hidden_cells_emptied_with_points() -> None:
    notebook = nbformat.read(RELEASED_NOTEBOOK, as_version=4)
    graded = {
        c.metadata.nbgrader["grade_id"]: c
        for c in notebook.cells
        if c.get("metadata", {}).get("nbgrader", {}).get("grade")
    }
    assert sorted(graded) == sorted(f"test_{e}" for e in [*EXERCISE_FUNCTIONS, "ThresholdCallback"])
    assert sum(c.metadata.nbgrader["points"] for c in graded.values()) == 100
    for cell in graded.values():
        assert "check(" not in cell.source


def test_check_names_a_file_that_drifted(course_copy: Path) -> None:
    target = course_copy / "release" / "c1w2" / "fashion_mnist.py"
    target.write_text(target.read_text() + "\n# edited by hand\n")
    assert release.main("c1w2", check=True, root=course_copy) == ["release/c1w2/fashion_mnist.py"]
    release.main("c1w2", root=course_copy, validate=False)  # the trial is test_trial.py's
    assert release.main("c1w2", check=True, root=course_copy) == []


def test_a_solution_cell_that_differs_from_the_module_is_refused(course_copy: Path) -> None:
    path = course_copy / "source" / "c1w2" / "fashion_mnist.ipynb"
    original = path.read_text()
    path.write_text(original.replace("return images / 255.0", "return images / 255"))
    try:
        with pytest.raises(
            GraderError, match="solution cell 'normalize' differs from fashion_mnist.py"
        ):
            release.build("c1w2", root=course_copy)
    finally:
        path.write_text(original)
