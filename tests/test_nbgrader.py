"""The repository is an nbgrader course: real nbgrader gives the solution 100, the released
notebook 0, and the same per-exercise scores as ``autograder grade`` on the same notebooks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import grade
from tests.conftest import RELEASED_NOTEBOOK, ROOT, SOLUTION_NOTEBOOK, edited_notebook, replacing

pytestmark = pytest.mark.slow
MISTAKES = {  # solution cell -> (right, wrong): partial credit on two exercises
    "normalize": ("return images / 255.0", "return images // 255"),
    "ThresholdCallback": ("reached = value >= self.threshold", "reached = value > self.threshold"),
}


DEMO_SUBSET = "x_train, y_train = x_train[:3000], y_train[:3000]  # (the test's course only)"


def nbgrader(course: Path, *args: str) -> None:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def notebook_with_mistakes(target: Path) -> None:
    edited_notebook(target, {cell: replacing(*change) for cell, change in MISTAKES.items()})


def lighter_demos(source: Path) -> None:
    """The demonstrations train on a 3,000-image subset: they grade nothing, and nbgrader runs
    them as the source has them (it restores locked cells), so this only saves time."""
    edited_notebook(source, {"demo_load": lambda cell: f"{cell}\n{DEMO_SUBSET}"}, source)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "source", course / "source")
    lighter_demos(course / "source" / "c1w2" / "fashion_mnist.ipynb")
    config = (ROOT / "nbgrader_config.py").read_text()
    (course / "nbgrader_config.py").write_text(
        config + f"\nc.CourseDirectory.root = {str(course)!r}\n"
    )
    nbgrader(course, "generate_assignment", "c1w2", "--force")
    for student, notebook in (("solution", SOLUTION_NOTEBOOK), ("stub", RELEASED_NOTEBOOK)):
        folder = course / "submitted" / student / "c1w2"
        folder.mkdir(parents=True)
        shutil.copyfile(notebook, folder / "fashion_mnist.ipynb")
    mistakes = course / "submitted" / "mistakes" / "c1w2"
    mistakes.mkdir(parents=True)
    notebook_with_mistakes(mistakes / "fashion_mnist.ipynb")
    nbgrader(course, "autograde", "c1w2")
    return course


@pytest.fixture(scope="module")
def nbgrader_scores(course: Path) -> dict[str, dict[str, float]]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {
            student: {
                g.name.removeprefix("test_"): g.score
                for g in gradebook.find_submission_notebook("fashion_mnist", "c1w2", student).grades
                if g.name.startswith("test_")
            }
            for student in ("solution", "stub", "mistakes")
        }


def test_released_notebook_is_generated_by_nbgrader(course: Path) -> None:
    """nbgrader makes the committed release, cell for cell (but the demo cell made lighter)."""

    def cells(path: Path) -> list[dict]:
        notebook = nbformat.read(path, as_version=4)
        return [
            c
            for c in notebook.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") != "demo_load"
        ]

    made = course / "release" / "c1w2" / "fashion_mnist.ipynb"
    assert DEMO_SUBSET in made.read_text()
    assert cells(made) == cells(RELEASED_NOTEBOOK)
    assert len(cells(made)) == len(nbformat.read(made, as_version=4).cells) - 1


def test_nbgrader_gives_the_solution_100_and_the_stub_0(nbgrader_scores) -> None:
    assert sum(nbgrader_scores["solution"].values()) == 100, nbgrader_scores["solution"]
    assert sum(nbgrader_scores["stub"].values()) == 0, nbgrader_scores["stub"]


def test_nbgrader_reads_partial_credit(nbgrader_scores) -> None:
    got = nbgrader_scores["mistakes"]
    assert 0 < got["normalize"] < 10 and 0 < got["ThresholdCallback"] < 20, got
    untouched = set(got) - {"normalize", "ThresholdCallback", "train_until", "normalization_effect"}
    assert sum(got[e] for e in untouched) == 100 - 10 - 20 - 10 - 2, got


def test_autograder_agrees_with_nbgrader_per_exercise(
    course: Path, nbgrader_scores, tmp_path: Path
) -> None:
    graded = grade.main("c1w2", [course / "submitted"], tmp_path, jobs=2)
    ours = {
        g.submission.student: {t["name"]: t["score"] for t in g.results["tests"]} for g in graded
    }
    assert ours == nbgrader_scores
