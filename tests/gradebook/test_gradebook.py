"""``autograder gradebook`` puts the grader's scores into nbgrader's gradebook (SQLite and
PostgreSQL), where nbgrader's own tools read them: the solution's 88, the stub's 0."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from nbgrader.api import Gradebook

from autograder import gradebook
from autograder.cli import cli
from autograder.errors import GraderError
from tests.conftest import EXERCISES, ROOT, scores

pytestmark = pytest.mark.slow


def course_copy(tmp: Path) -> Path:
    """The course directory (source/, release/, nbgrader_config.py) rooted at ``tmp``."""
    course = tmp / "course"
    shutil.copytree(ROOT / "source", course / "source")
    shutil.copytree(ROOT / "release" / "c1w2", course / "release" / "c1w2")
    config = (ROOT / "nbgrader_config.py").read_text()
    (course / "nbgrader_config.py").write_text(
        config + f"\nc.CourseDirectory.root = {str(course)!r}\n"
    )
    return course


def recorded(db_url: str, student: str) -> dict[str, float]:
    """Exercise -> auto_score nbgrader holds for ``student``, read back through its API."""
    with Gradebook(db_url) as book:
        notebook = book.find_submission_notebook("fashion_mnist", "c1w2", student)
        return {g.name.removeprefix("test_"): g.auto_score for g in notebook.grades}


def test_sqlite_gradebook_then_nbgrader_generate_feedback(tmp_path: Path, cheap_class) -> None:
    graded, results = cheap_class
    course = course_copy(tmp_path)
    done = gradebook.main("c1w2", graded, course_root=course)
    db_url = f"sqlite:///{course / 'gradebook.db'}"  # nbgrader's default for the course
    assert done.db_url == db_url and done.totals == {"solution": 88, "stub": 0}
    for student in ("solution", "stub"):
        assert recorded(db_url, student) == scores(results[student])
    again = gradebook.main("c1w2", graded, course_root=course)  # running twice updates in place
    assert again.totals == done.totals
    with Gradebook(db_url) as book:
        assert len(book.find_assignment("c1w2").submissions) == 2
        assert book.find_submission("c1w2", "solution").score == 88
    swapped = tmp_path / "course.yaml"  # points that disagree with the notebook's cells
    text = (ROOT / "course.yaml").read_text()
    normalize, build = '"Normalize pixel values", points: 10', 'softmax model", points: 20'
    assert normalize in text and build in text
    swapped.write_text(
        text.replace(normalize, normalize[:-2] + "20").replace(build, build[:-2] + "10")
    )
    with pytest.raises(GraderError, match="has 10 points for test_normalize, course.yaml 20"):
        gradebook.main("c1w2", graded, course_root=course, course_file=swapped)

    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    feedback = subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_feedback", "c1w2"],
        cwd=course, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert feedback.returncode == 0, feedback.stderr[-3000:]
    page = {
        s: (course / "feedback" / s / "c1w2" / "fashion_mnist.html").read_text()
        for s in ("solution", "stub")
    }
    assert "fashion_mnist (Score: 88.0 / 100.0)" in page["solution"]
    assert "fashion_mnist (Score: 0.0 / 100.0)" in page["stub"]
    assert len(re.findall(r"Score: 0\.0 / (?:10|2|20)\.0", page["stub"])) >= len(EXERCISES)
    normalize = next(t["output"] for t in results["solution"]["tests"] if t["name"] == "normalize")
    assert "normalize: 10/10" in page["solution"]
    assert normalize.splitlines()[0].split(":")[0] in page["solution"]  # the grader's feedback
    assert "### BEGIN HIDDEN TESTS" not in page["solution"]


def test_postgresql_gradebook(tmp_path: Path, cheap_class, postgres_url: str) -> None:
    graded, results = cheap_class
    course = course_copy(tmp_path)
    done = gradebook.main("c1w2", graded, db_url=postgres_url, course_root=course)
    assert done.db_url == postgres_url and done.totals == {"solution": 88, "stub": 0}
    assert not (course / "gradebook.db").exists()
    for student in ("solution", "stub"):
        assert recorded(postgres_url, student) == scores(results[student])


@pytest.mark.parametrize("layout", ["missing", "empty", "garbage"])
def test_a_bad_graded_dir_is_a_one_line_error(tmp_path: Path, layout: str) -> None:
    graded = tmp_path / "graded"
    if layout != "missing":
        (graded / "alice").mkdir(parents=True)
    if layout == "garbage":
        (graded / "alice" / "results.json").write_text("{not json")
    result = CliRunner().invoke(cli, ["gradebook", "c1w2", str(graded)])
    hint = f"(grade first: `autograder grade c1w2 SUBMISSIONS --out {graded}`)"
    expected = {
        "missing": f"Error: cannot read {graded}: no such folder {hint}\n",
        "empty": f"Error: no <student>/results.json in {graded} {hint}\n",
        "garbage": f"Error: {graded / 'alice' / 'results.json'} is not a readable results.json "
        f"{hint}\n",
    }[layout]
    assert (result.exit_code, result.stderr) == (1, expected)


def test_an_unreachable_database_is_a_one_line_error(tmp_path: Path, cheap_class) -> None:
    graded, _ = cheap_class
    url = "postgresql://someone:secret@127.0.0.1:1/nothing"
    result = CliRunner().invoke(cli, ["gradebook", "c1w2", str(graded), "--db-url", url])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: cannot open the gradebook postgresql://someone:***@127.0.0.1:1/nothing: "
    )
    assert result.stderr.endswith("(check --db-url)\n") and result.stderr.count("\n") == 1
