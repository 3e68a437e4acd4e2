"""Killing the grader mid-batch and running it again resumes: finished submissions are kept,
none is lost or half-written, no sandbox is left running, and the grades equal an
uninterrupted run."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from autograder import grade
from autograder.checks.result import ExerciseResult
from autograder.grade import resume
from autograder.grade.results import results_json
from autograder.grade.scratch import PREFIX
from autograder.grade.submissions import Submission
from autograder.outcome import Outcome
from tests.conftest import SOLUTION_MODULE, STUB_MODULE, TRAINING_EXERCISES, write_class
from tests.corpus.reach import unwritten

pytestmark = pytest.mark.slow
FITTING = (*TRAINING_EXERCISES, "train_model", "ThresholdCallback")
AUTOGRADER = [sys.executable, "-c", "from autograder.cli import main; main()"]


def comparable(results: dict) -> dict:
    return {key: value for key, value in results.items() if key != "execution_time"}


def workers_of(folder: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if "worker.py" in cmdline and "bwrap" in cmdline and str(folder) in cmdline:
            found.append(process)
    return found


def test_kill_and_rerun_resumes_to_the_same_grades(tmp_path: Path) -> None:
    root = write_class(
        tmp_path / "class",
        {
            "a_stub": STUB_MODULE,
            "b_empty": "",
            # Slow to load, so that it is still being graded when the grader is killed; the
            # exercises that fit a model are left unwritten (this is about resuming, cheaply).
            "c_solution": unwritten(SOLUTION_MODULE.read_text(), FITTING)
            + "\nimport time\ntime.sleep(5)\n",
            "d_syntax": "def normalize(images:\n",
        },
    )
    out = tmp_path / "graded"
    command = [*AUTOGRADER, "grade", "c1w2", str(root), "--out", str(out), "--jobs", "1"]
    scratch = tmp_path / "tmp"  # the graders' temporary directory
    scratch.mkdir()
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TMPDIR=str(scratch))
    first = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while not (out / "b_empty" / ".fingerprint").exists():
        assert first.poll() is None and time.monotonic() < deadline, "grader ended early"
        time.sleep(0.2)
    time.sleep(3)  # now grading c_solution
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    assert not (out / "grades.csv").exists()
    kept = {
        name: (out / name / "results.json").stat().st_mtime_ns for name in ("a_stub", "b_empty")
    }
    time.sleep(2)
    assert workers_of(tmp_path) == [], "a sandbox outlived the grader"
    left = list(scratch.glob(f"{PREFIX}*"))
    assert len(left) == 1, f"the killed grader's scratch folder: {left}"

    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr[-2000:]
    assert "2 submission(s) already graded by an earlier run were kept" in second.stderr
    assert list(scratch.glob(f"{PREFIX}*")) == [], "the rerun left the dead grader's folder"
    for name, mtime in kept.items():
        assert (out / name / "results.json").stat().st_mtime_ns == mtime, f"{name} was regraded"

    fresh = grade.main("c1w2", [root], tmp_path / "fresh", jobs=2)
    for item in fresh:
        resumed = json.loads((out / item.submission.student / "results.json").read_text())
        assert comparable(resumed) == comparable(item.results), item.submission.student
    assert [line.split(",")[:2] for line in (out / "grades.csv").read_text().splitlines()] == [
        line.split(",")[:2] for line in (tmp_path / "fresh" / "grades.csv").read_text().splitlines()
    ]


def test_a_changed_submission_is_graded_again(tmp_path: Path) -> None:
    root = write_class(tmp_path / "class", {"e_empty": ""})
    out = tmp_path / "graded"
    first = grade.main("c1w2", [root], out)
    assert not first[0].resumed
    assert grade.main("c1w2", [root], out)[0].resumed
    (root / "e_empty" / "fashion_mnist.py").write_text("CLASS_NAMES = []\n")
    assert not grade.main("c1w2", [root], out)[0].resumed


def test_a_result_is_complete_only_with_its_feedback_page(tmp_path: Path) -> None:
    submission = Submission("f_student", tmp_path / "fashion_mnist.py")
    submission.path.write_text("")
    results = results_json([], 100, 0, "")
    resume.record(tmp_path / "graded", submission, "grader", results)
    assert resume.finished(tmp_path / "graded", submission, "grader") is None
    (tmp_path / "graded" / "f_student" / "feedback.html").write_text("<p>feedback</p>")
    assert resume.finished(tmp_path / "graded", submission, "grader") == results


def test_a_result_without_its_outcome_records_is_graded_again(tmp_path: Path) -> None:
    submission = Submission("g_student", tmp_path / "fashion_mnist.py")
    submission.path.write_text("")
    test = ExerciseResult("normalize", 10).fail_all("normalize timed out.", Outcome.TIMED_OUT)
    results = results_json([test], 10, 0, "")
    (tmp_path / "graded" / "g_student").mkdir(parents=True)
    (tmp_path / "graded" / "g_student" / "feedback.html").write_text("<p>feedback</p>")
    resume.record(tmp_path / "graded", submission, "grader", results)
    assert resume.finished(tmp_path / "graded", submission, "grader") == results
    older = copy.deepcopy(results)  # as an older grader wrote it: no records
    del older["tests"][0]["extra_data"]
    resume.record(tmp_path / "graded", submission, "grader", older)
    assert resume.finished(tmp_path / "graded", submission, "grader") is None
    del results["extra_data"]
    resume.record(tmp_path / "graded", submission, "grader", results)
    assert resume.finished(tmp_path / "graded", submission, "grader") is None
