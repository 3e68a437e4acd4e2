"""autograder.notebook_check: the entry point of the notebook's hidden test cells."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# What an nbgrader kernel does: the student's cells (TensorFlow logs on stderr there, which is
# allowed), then one hidden cell per exercise (where stderr must stay quiet), then it exits.
KERNEL = """
import json, sys
import tensorflow as tf
from autograder import notebook_check as notebook

sys.stderr.write(MARK)
sys.stderr.flush()
right = notebook.check("output_units_needed", {"output_units_needed": lambda y: int(max(y)) + 1})
wrong = notebook.check("output_units_needed", {"output_units_needed": lambda y: len(set(y))})
workdir = notebook._setup_for("output_units_needed")[2]
print(json.dumps({"workdir": str(workdir), "existed": workdir.is_dir(), "scores": [right, wrong]}))
"""
MARK = "--- the hidden cells ---"


@pytest.fixture(scope="module")
def kernel() -> tuple[dict, str, str]:
    """What the kernel printed last (as JSON), its whole stdout, and its stderr after MARK."""
    done = subprocess.run(
        [sys.executable, "-c", f"MARK = {MARK!r}\n" + KERNEL],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "0", "HOME": str(Path.home())},
    )
    assert MARK in done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stdout, done.stderr.split(MARK)[1]


def test_check_prints_feedback_and_returns_the_score_with_stderr_quiet(kernel):
    report, stdout, stderr = kernel
    assert report["scores"] == [2, 1]
    assert "output_units_needed: 2/2" in stdout
    assert "output_units_needed: 1/2" in stdout
    assert "you counted the distinct labels" in stdout
    assert stderr == "", "nbgrader gives 0 to a cell that writes to stderr"


def test_each_kernel_removes_its_working_folder_when_it_exits(kernel):
    report, _, _ = kernel
    assert report["existed"], "the check's working folder was never made"
    assert not Path(report["workdir"]).exists(), "the kernel left its working folder in /tmp"
