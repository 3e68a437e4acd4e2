"""course.yaml is read through one typed schema; a wrong key or value is a one-line error."""

from pathlib import Path

import pytest

from autograder.config import load_course
from autograder.errors import GraderError

GOOD = (Path(__file__).resolve().parent.parent / "course.yaml").read_text()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "course.yaml"
    path.write_text(text)
    return path


def test_the_course_file_describes_c1w2_worth_100() -> None:
    assignment = load_course().assignment("c1w2")
    assert sum(e.points for e in assignment.exercises.values()) == 100
    assert list(assignment.exercises)[0] == "normalize"
    assert assignment.time_limit("train_until") == 120
    assert assignment.time_limit("normalize") == assignment.limits.exercise_seconds


def test_unknown_key_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("heldout_images:", "heldout_imgs:"))
    with pytest.raises(GraderError) as error:
        load_course(path)
    assert str(error.value) == f"{path}: assignments.c1w2.checks.heldout_imgs: unknown key"


def test_bad_value_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("callback_threshold: 0.85", "callback_threshold: 1.5"))
    with pytest.raises(
        GraderError,
        match=r"assignments\.c1w2\.checks\.callback_threshold: "
        r"Input should be less than or equal to 0\.95",
    ):
        load_course(path)


def test_points_must_sum_to_the_total(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("points: 10, time_limit", "points: 11, time_limit"))
    with pytest.raises(GraderError, match="exercise points sum to 101, not the total 100"):
        load_course(path)


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "assignments: [unclosed")
    with pytest.raises(GraderError, match=r"course\.yaml: line \d+ is not valid YAML"):
        load_course(path)


def test_unknown_assignment_lists_the_known_ones() -> None:
    with pytest.raises(GraderError) as error:
        load_course().assignment("c9w9")
    assert str(error.value) == "unknown assignment 'c9w9' (course.yaml has: c1w2)"


def test_the_assignment_knows_its_id_and_its_students_file_names() -> None:
    assignment = load_course().assignment("c1w2")
    assert assignment.id == "c1w2"
    assert assignment.module == "fashion_mnist"
    assert assignment.submission_files == ("fashion_mnist.py", "fashion_mnist.ipynb")
    assert "id" not in assignment.values() and assignment.values()["module"] == "fashion_mnist"


@pytest.mark.parametrize("module", ["fashion-mnist", "2nd_week", "class", "week.two"])
def test_the_module_must_be_a_python_module_name(tmp_path: Path, module: str) -> None:
    path = write(tmp_path, GOOD.replace("module: fashion_mnist", f"module: {module}"))
    with pytest.raises(GraderError) as error:
        load_course(path)
    assert str(error.value) == (
        f"{path}: assignments.c1w2.module: '{module}' is not a Python module name "
        "(letters, digits and _, not starting with a digit, not a keyword)"
    )


def test_the_module_is_required(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("module: fashion_mnist", ""))
    with pytest.raises(GraderError) as error:
        load_course(path)
    assert str(error.value) == f"{path}: assignments.c1w2.module: Field required"


@pytest.mark.parametrize("key", ["id: c1w3", "read_only_cells: {}"])
def test_what_the_grader_fills_in_is_not_written_by_hand(tmp_path: Path, key: str) -> None:
    path = write(tmp_path, GOOD.replace("    seed: 0\n", f"    seed: 0\n    {key}\n"))
    with pytest.raises(GraderError) as error:
        load_course(path)
    assert str(error.value) == (
        f"{path}: assignments.c1w2.{key.split(':')[0]}: filled in by the grader, "
        "not written in course.yaml"
    )
