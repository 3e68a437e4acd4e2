"""``run_autograder`` on a folder laid out as Gradescope lays out /autograder: it grades as
``autograder grade`` does and always leaves a results.json, whatever was uploaded."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder import gradescope
from autograder.gradescope import run
from tests.conftest import EXERCISES, SOLUTION_MODULE, without_training

pytestmark = pytest.mark.slow


def gradescope_root(tmp: Path) -> Path:
    """/autograder as Gradescope prepares it: the zip in source/, run_autograder beside it."""
    root = tmp / "autograder"
    zip_path = gradescope.main("c1w2", tmp / "autograder.zip")
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(root / "source")
    for name in ("setup.sh", "run_autograder"):  # zipfile does not restore modes
        (root / "source" / name).chmod(0o755)
    shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    (root / "results").mkdir()
    return root


def results_of(root: Path) -> dict:
    return json.loads((root / "results" / "results.json").read_text())


def test_the_solution_scores_as_autograder_grade_scores_it(tmp_path: Path, cheap_class) -> None:
    root = gradescope_root(tmp_path)
    (root / "submission" / "fashion_mnist.py").write_text(
        without_training(SOLUTION_MODULE.read_text())
    )
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable)
    done = subprocess.run(
        [str(root / "run_autograder")], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    got = results_of(root)
    _, expected = cheap_class
    want = expected["solution"]
    assert got["score"] == want["score"] == 88, got["output"]
    assert [(t["name"], t["score"], t["output"]) for t in got["tests"]] == [
        (t["name"], t["score"], t["output"]) for t in want["tests"]
    ]
    assert got["max_score"] == 100 and len(got["tests"]) == len(EXERCISES)
    assert "WITHOUT isolation" not in got["output"]  # bubblewrap works on this machine


@pytest.mark.parametrize(
    "uploads, found",
    [({}, "found: nothing"), ({"notes.txt": "hi", "a.py": "", "b.py": ""}, "found: a.py, b.py")],
)
def test_an_upload_without_a_submission_gets_a_clear_zero(
    tmp_path: Path, uploads: dict[str, str], found: str
) -> None:
    root = gradescope_root(tmp_path)
    for name, text in uploads.items():
        (root / "submission" / name).write_text(text)
    assert run.main("c1w2", root) == 0
    got = results_of(root)
    assert got["score"] == 0 and len(got["tests"]) == len(EXERCISES)
    assert got["output"].startswith("No file to grade in your submission (" + found)
    assert "upload fashion_mnist.py or fashion_mnist.ipynb" in got["output"]


def test_garbage_without_a_sandbox_scores_0_and_says_how_it_was_graded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Gradescope's container: bubblewrap fails, so the upload is graded without it, and the
    results say so; a file that is not Python scores 0 with the import error named."""
    root = gradescope_root(tmp_path)
    (root / "submission" / "work").mkdir()
    (root / "submission" / "work" / "fashion_mnist.py").write_bytes(b"\x00\xff garbage {{{")
    monkeypatch.setattr(run, "isolation_gap", lambda: "bubblewrap cannot create its namespaces")
    assert run.main("c1w2", root) == 0
    got = results_of(root)
    assert got["score"] == 0 and len(got["tests"]) == len(EXERCISES)
    assert got["output"].startswith("Gradescope: bubblewrap cannot create its namespaces.")
    assert "Graded WITHOUT isolation" in got["output"]
    assert "fashion_mnist.py could not be imported" in got["tests"][0]["output"]


def test_a_course_file_without_the_assignment_still_gives_results(tmp_path: Path) -> None:
    root = gradescope_root(tmp_path)
    (root / "source" / "course.yaml").write_text("assignments: {}\n")
    assert run.main("c1w2", root) == 0
    got = results_of(root)
    assert got["score"] == 0
    assert got["output"].startswith("The autograder is misconfigured (unknown assignment 'c1w2'")


def test_the_real_sandbox_probe_runs_here() -> None:
    assert run.bubblewrap_gap() is None
