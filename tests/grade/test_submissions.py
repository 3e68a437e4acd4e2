"""Finding submissions in the layouts the contract names, with one-line errors otherwise."""

from pathlib import Path

import pytest

from autograder.config import load_course
from autograder.errors import GraderError
from autograder.grade.submissions import find_submissions

C1W2 = load_course().assignment("c1w2")


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    return path


def found(paths: list[Path]) -> list[tuple[str, str]]:
    return [(s.student, s.path.name) for s in find_submissions(paths, C1W2)]


def test_a_file_is_one_submission_named_after_it(tmp_path: Path) -> None:
    assert found([touch(tmp_path / "alice.py")]) == [("alice", "alice.py")]


def test_nbgrader_submitted_layout(tmp_path: Path) -> None:
    touch(tmp_path / "submitted" / "bob" / "c1w2" / "fashion_mnist.ipynb")
    touch(tmp_path / "submitted" / "carol" / "c1w2" / "fashion_mnist.py")
    assert found([tmp_path / "submitted"]) == [
        ("bob", "fashion_mnist.ipynb"),
        ("carol", "fashion_mnist.py"),
    ]


def test_folder_of_student_folders(tmp_path: Path) -> None:
    touch(tmp_path / "class" / "dan" / "fashion_mnist.py")
    touch(tmp_path / "class" / "eve" / "whatever.ipynb")
    assert found([tmp_path / "class"]) == [("dan", "fashion_mnist.py"), ("eve", "whatever.ipynb")]


def test_folder_holding_one_submission(tmp_path: Path) -> None:
    touch(tmp_path / "frank" / "fashion_mnist.py")
    assert found([tmp_path / "frank"]) == [("frank", "fashion_mnist.py")]


def test_a_student_folder_without_a_file_is_still_graded(tmp_path: Path) -> None:
    touch(tmp_path / "class" / "gina" / "fashion_mnist.py")
    (tmp_path / "class" / "hal").mkdir()
    assert [s for s, _ in found([tmp_path / "class"])] == ["gina", "hal"]


def test_missing_path_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(GraderError) as error:
        find_submissions([tmp_path / "nope"], C1W2)
    assert str(error.value) == f"cannot read {tmp_path / 'nope'}: no such file or folder"


def test_wrong_kind_of_file(tmp_path: Path) -> None:
    with pytest.raises(GraderError, match=r"is not a \.py or \.ipynb submission"):
        find_submissions([touch(tmp_path / "essay.docx")], C1W2)


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(GraderError, match="no submissions in"):
        find_submissions([tmp_path], C1W2)
