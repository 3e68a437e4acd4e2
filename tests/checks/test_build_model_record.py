"""build_model's judge reads its typed record: a default build that raised is the student's
error, worded as such, never a fault of the judge."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from autograder import checks
from autograder.checks.context import JudgeContext
from autograder.checks.reference import References
from autograder.config import load_course

ASSIGNMENT = load_course().assignment("c1w2")


def test_a_default_build_that_raised_is_explained(tmp_path: Path) -> None:
    empty = np.zeros((0,))
    ctx = JudgeContext(ASSIGNMENT, References(tmp_path, empty, empty, empty), tmp_path)
    error = {"type": "NotImplementedError", "message": "", "where": None}
    data = {"error": None, "builds": [{"hidden_units": None, "error": error}, {"error": error}]}
    result = checks.judge("build_model", data, ctx)
    assert result.score == 0 and not result.grader_fault
    assert result.feedback().startswith("build_model() is not written yet")
