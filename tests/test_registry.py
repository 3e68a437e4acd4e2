"""One exercise, one place: the registry, course.yaml and the released notebook agree.

Each assignment's package (course.yaml ``package:``) registers its exercises in EXERCISES; every
one has a probe (``probe``) and a judge (``Record``, ``SUBCHECKS``, ``judge``). The graded cells
of the released notebook (``test_<exercise>``, with course.yaml's points) are the same list.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import nbformat
import pytest

from autograder.config import load_course
from autograder.records import ProbeRecord
from autograder.registry import RegistryError, exercise_table, load, module_name

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course()
ASSIGNMENTS = sorted(COURSE.assignments)


def _graded_cells(assignment_id: str) -> dict[str, float]:
    """grade_id -> points of every graded (hidden test) cell of the released notebook."""
    (released,) = (ROOT / "release" / assignment_id).glob("*.ipynb")
    notebook = nbformat.read(released, 4)
    cells = {}
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade"):
            cells[meta["grade_id"]] = float(meta["points"])
    return cells


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_the_registry_lists_course_yamls_exercises_in_order(assignment_id: str) -> None:
    assignment = COURSE.assignment(assignment_id)
    assert list(exercise_table(assignment.package)) == list(assignment.exercises)


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_the_released_notebook_grades_the_same_exercises_with_course_points(
    assignment_id: str,
) -> None:
    assignment = COURSE.assignment(assignment_id)
    expected = {f"test_{name}": exercise.points for name, exercise in assignment.exercises.items()}
    assert _graded_cells(assignment_id) == expected


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_every_exercise_has_a_probe_and_a_typed_judge(assignment_id: str) -> None:
    package = COURSE.assignment(assignment_id).package
    for exercise in exercise_table(package):
        probe = load(package, exercise, "probe")
        judge = load(package, exercise, "judge")
        assert callable(probe.probe), exercise
        assert issubclass(judge.Record, ProbeRecord), exercise
        assert judge.SUBCHECKS and all(share > 0 for share in judge.SUBCHECKS.values()), exercise
        assert list(inspect.signature(judge.judge).parameters) == ["record", "ctx", "result"]


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_judges_hold_no_points_of_their_own(assignment_id: str) -> None:
    """Points come from course.yaml only: a judge's source never builds an ExerciseResult."""
    package = COURSE.assignment(assignment_id).package
    for exercise in exercise_table(package):
        source = inspect.getsource(load(package, exercise, "judge"))
        assert "ExerciseResult(" not in source, exercise
        assert ".add(" not in source, exercise


def test_an_unknown_exercise_or_package_is_a_one_line_error() -> None:
    with pytest.raises(RegistryError, match="has no exercise 'nope'"):
        module_name(COURSE.assignment("c1w2").package, "nope", "probe")
    with pytest.raises(RegistryError, match="cannot be imported"):
        exercise_table("no_such_package_here")


def test_a_package_beside_course_yaml_is_found(tmp_path: Path) -> None:
    """A course's own assignment package lives in its folder, beside course.yaml."""
    package = tmp_path / "my_course_checks"
    package.mkdir()
    (package / "__init__.py").write_text('EXERCISES = {"double": "double"}\n')
    text = (ROOT / "course.yaml").read_text()
    (tmp_path / "course.yaml").write_text(text)
    load_course(tmp_path / "course.yaml")
    assert exercise_table("my_course_checks") == {"double": "double"}
    importlib.invalidate_caches()
