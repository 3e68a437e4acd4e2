"""What a notebook submission runs: its code cells minus tests and demos, and the read-only
cells as released even where the student changed them (as ``nbgrader autograde`` does)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from autograder.config import load_course
from autograder.errors import GraderError
from autograder.notebook_cells import code_cells, read_only_cells
from tests.conftest import RELEASED_NOTEBOOK, edited_notebook, replacing

TYPO = ("import tensorflow as tf", "import tensorflw as tf")


def edited(tmp_path: Path, grade_id: str, old: str, new: str) -> Path:
    """The solution notebook with one edit in the cell ``grade_id``."""
    return edited_notebook(tmp_path / "fashion_mnist.ipynb", {grade_id: replacing(old, new)})


def test_the_released_read_only_cells_are_the_locked_non_answer_cells() -> None:
    cells = read_only_cells(RELEASED_NOTEBOOK)
    assert "import tensorflow as tf" in cells["setup"]
    assert "check_count_params" in cells and "demo_train" in cells
    assert not {"normalize", "test_normalize", "train_until"} & set(cells)


def test_a_changed_read_only_cell_runs_as_released(tmp_path: Path) -> None:
    released = read_only_cells(RELEASED_NOTEBOOK)
    sources, restored = code_cells(edited(tmp_path, "setup", *TYPO), released)
    assert restored == ["setup"]
    assert "import tensorflow as tf" in sources[0] and "tensorflw" not in "".join(sources)


def test_without_the_release_the_change_runs(tmp_path: Path) -> None:
    sources, restored = code_cells(edited(tmp_path, "setup", *TYPO), {})
    assert restored == [] and "import tensorflw as tf" in sources[0]


def test_a_changed_read_only_cell_is_restored_even_if_its_metadata_is_unlocked(
    tmp_path: Path,
) -> None:
    path = edited(tmp_path, "setup", *TYPO)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[1].metadata["nbgrader"]["locked"] = False
    nbformat.write(notebook, path)
    _, restored = code_cells(path, read_only_cells(RELEASED_NOTEBOOK))
    assert restored == ["setup"]


def test_answer_cells_run_as_the_student_wrote_them(tmp_path: Path) -> None:
    path = edited(tmp_path, "normalize", "return images / 255.0", "return images // 255")
    sources, restored = code_cells(path, read_only_cells(RELEASED_NOTEBOOK))
    assert restored == [] and any("return images // 255" in s for s in sources)
    assert not any("The grader's tests" in s for s in sources)  # test cells never run
    assert not any(s.startswith("EPOCHS = 5") for s in sources)  # nor the demos


def test_load_course_reads_the_release_beside_course_yaml(tmp_path: Path) -> None:
    assert "setup" in load_course().assignment("c1w2").read_only_cells
    elsewhere = tmp_path / "course.yaml"
    elsewhere.write_text((RELEASED_NOTEBOOK.parents[2] / "course.yaml").read_text())
    assert load_course(elsewhere).assignment("c1w2").read_only_cells == {}


def test_an_unreadable_release_is_a_one_line_error(tmp_path: Path) -> None:
    course = tmp_path / "course.yaml"
    course.write_text((RELEASED_NOTEBOOK.parents[2] / "course.yaml").read_text())
    broken = tmp_path / "release" / "c1w2" / "fashion_mnist.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_text("{not json")
    with pytest.raises(GraderError) as error:
        load_course(course)
    assert str(error.value) == (
        f"{broken} is not a readable notebook (NotJSONError): run `autograder release c1w2` again"
    )
