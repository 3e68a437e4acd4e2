"""The course-value marks of source/: filled from course.yaml, named when wrong; and the
release record that grade compares course.yaml with."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from autograder.config import load_course
from autograder.errors import GraderError
from autograder.release.course_values import fill_file, fill_markdown, fill_python
from autograder.release_record import check_current, difference, record_text
from tests.conftest import ROOT

COURSE = load_course().assignment("c1w2")
SOURCE = ROOT / "source" / "c1w2"


def tailored(**checks: float):
    return COURSE.model_copy(update={"checks": COURSE.checks.model_copy(update=checks)})


def test_a_marked_line_gets_the_value_and_loses_the_mark() -> None:
    text = "def f(threshold=0.85, max_epochs=10):  # course: checks.callback_threshold\n    pass"
    filled = fill_python(text, tailored(callback_threshold=0.9).values(), "x.py")
    assert filled == "def f(threshold=0.9, max_epochs=10):\n    pass"


def test_points_read_as_integers_in_markdown() -> None:
    text = "**Exercise (`{{ exercises.normalize.points }}` points), {{ checks.callback_threshold }}"
    assert fill_markdown(text, COURSE, "README.md") == "**Exercise (`10` points), 0.85"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x = 1  # course: checks.nope", "x.py line 1: `# course: checks.nope` names no course"),
        ("x = y  # course: total", "x.py line 1: `# course: total` marks a line without a number"),
    ],
)
def test_a_wrong_python_mark_is_named(text: str, message: str) -> None:
    with pytest.raises(GraderError, match=message.replace("(", r"\(").replace("`", "`")):
        fill_python(text, COURSE.values(), "x.py")


def test_an_unknown_markdown_key_is_named() -> None:
    expected = r"^README\.md line 2: `{{ checks.nope }}` names no course"
    with pytest.raises(GraderError, match=expected):
        fill_markdown("a\n{{ checks.nope }}", COURSE, "README.md")


def test_shipped_values_fill_source_into_what_it_already_shows() -> None:
    """With course.yaml as shipped, the Python files differ from source/ only by the marks."""
    for name in ("fashion_mnist.py", "student/test_fashion_mnist.py"):
        text = (SOURCE / name).read_text()
        unmarked = "\n".join(line.split("  # course: ")[0] for line in text.split("\n"))
        assert fill_file(name, text, COURSE, name) == unmarked


def test_graded_cells_take_their_points_from_course_yaml() -> None:
    moved = COURSE.model_copy(
        update={
            "exercises": {
                **COURSE.exercises,
                "normalize": COURSE.exercises["normalize"].model_copy(update={"points": 15}),
                "build_model": COURSE.exercises["build_model"].model_copy(update={"points": 15}),
            }
        }
    )
    name = "fashion_mnist.ipynb"
    notebook = nbformat.reads(fill_file(name, (SOURCE / name).read_text(), moved, name), 4)
    points = {
        c.metadata.nbgrader["grade_id"]: c.metadata.nbgrader["points"]
        for c in notebook.cells
        if c.get("metadata", {}).get("nbgrader", {}).get("grade")
    }
    assert points["test_normalize"] == 15 and points["test_build_model"] == 15
    assert points["test_compile_model"] == 10 and sum(points.values()) == 100


def test_difference_names_the_first_key_that_changed() -> None:
    before = COURSE.values()
    assert difference(before, before) is None
    after = tailored(callback_threshold=0.9).values()
    assert difference(after, before) == ("checks.callback_threshold", "0.9", "0.85")


def _course_dir(tmp_path: Path, record: str | None) -> Path:
    (tmp_path / "release" / "c1w2").mkdir(parents=True)
    if record is not None:
        (tmp_path / "release" / "c1w2" / ".course.json").write_text(record)
    return tmp_path


def test_grade_refuses_a_release_without_a_record(tmp_path: Path) -> None:
    with pytest.raises(GraderError, match=r"^release/c1w2 has no \.course\.json, .* run "):
        check_current(_course_dir(tmp_path, None), "c1w2", COURSE)


def test_grade_refuses_an_unreadable_record(tmp_path: Path) -> None:
    with pytest.raises(GraderError, match=r"\.course\.json is not readable JSON: run `autograder"):
        check_current(_course_dir(tmp_path, "{"), "c1w2", COURSE)


def test_a_current_record_and_no_release_pass(tmp_path: Path) -> None:
    check_current(_course_dir(tmp_path, record_text(COURSE.values(), {})), "c1w2", COURSE)
    check_current(tmp_path / "elsewhere", "c1w2", COURSE)  # no release folder: nothing to check


def test_the_committed_record_holds_the_shipped_values() -> None:
    record = json.loads((ROOT / "release" / "c1w2" / ".course.json").read_text())
    assert record["course"] == COURSE.values()
    assert record["solution"]["score"] == 100
