"""A second assignment, declared in its own course folder, goes through the kit unchanged.

tests/second_course/ holds a course.yaml with one small assignment (``mini``: a numpy function
and a Keras model builder), its source module, notebook and student files, and its own checks
package (``mini_checks/``). Copied to a temporary folder, it is released (nbgrader makes the
notebook), the released visible tests pass on the solution and fail on the stub, and
``autograder grade`` scores the solution 10/10 (module and notebook), the stub 0, with a report:
nothing in ``autograder/`` names it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _autograder(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    return subprocess.run(
        [sys.executable, "-m", "autograder", *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("second") / "course"
    shutil.copytree(HERE / "second_course", folder)
    done = _autograder(folder, "release", "mini")
    assert done.returncode == 0, done.stderr
    return folder


def test_the_release_holds_what_students_get(course: Path) -> None:
    released = course / "release" / "mini"
    assert sorted(p.name for p in released.iterdir() if not p.name.startswith(".")) == [
        "README.md",
        "mini_lab.ipynb",
        "mini_lab.py",
        "notebook_only.py",  # the visible tests import the student's file through it
        "test_mini_lab.py",
    ]
    stub = (released / "mini_lab.py").read_text()
    assert "raise NotImplementedError()" in stub and "np.asarray(values) * 2" not in stub
    notebook = json.loads((released / "mini_lab.ipynb").read_text())
    points = {
        cell["metadata"]["nbgrader"]["grade_id"]: cell["metadata"]["nbgrader"]["points"]
        for cell in notebook["cells"]
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade")
    }
    assert points == {"test_double": 4, "test_build_tiny": 6}
    assert _autograder(course, "release", "mini", "--check").returncode == 0


@pytest.mark.parametrize(("module", "passes"), [("solutions", True), ("release", False)])
def test_the_self_check_passes_the_solution_and_fails_the_stub(
    course: Path, tmp_path: Path, module: str, passes: bool
) -> None:
    student = tmp_path / "student"
    shutil.copytree(course / "release" / "mini", student)
    shutil.copyfile(course / module / "mini" / "mini_lab.py", student / "mini_lab.py")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=student,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (done.returncode == 0) is passes, done.stdout[-2000:]


def test_grade_scores_the_solution_full_and_the_stub_zero_with_a_report(
    course: Path, tmp_path: Path
) -> None:
    submissions = tmp_path / "submitted"
    for student, source in (
        ("sol", course / "solutions" / "mini" / "mini_lab.py"),
        ("nb", course / "solutions" / "mini" / "mini_lab.ipynb"),
        ("stub", course / "release" / "mini" / "mini_lab.py"),
    ):
        (submissions / student / "mini").mkdir(parents=True)
        shutil.copyfile(source, submissions / student / "mini" / source.name)
    out = tmp_path / "graded"
    done = _autograder(course, "grade", "mini", str(submissions), "--out", str(out))
    assert done.returncode == 0, done.stderr
    scores = {
        student: json.loads((out / student / "results.json").read_text())
        for student in ("sol", "nb", "stub")
    }
    assert scores["sol"]["score"] == scores["nb"]["score"] == 10
    assert scores["stub"]["score"] == 0
    assert [test["name"] for test in scores["sol"]["tests"]] == ["double", "build_tiny"]
    assert "not written yet" in scores["stub"]["tests"][0]["output"]
    report = (out / "report.html").read_text()
    assert "mini class report" in report and "double" in report and "build_tiny" in report
    assert (out / "grades.csv").read_text().splitlines()[0].endswith("double,build_tiny")


def test_the_package_does_not_name_the_second_assignment() -> None:
    names = ("mini_lab", "mini_checks", "build_tiny")
    for path in (ROOT / "autograder").rglob("*.py"):
        text = path.read_text()
        assert not any(name in text for name in names), path
