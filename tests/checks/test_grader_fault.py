"""A failure of the grader's own code is named as the grader's, never as the student's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder import checks
from autograder.checks.context import JudgeContext
from autograder.checks.reference import References
from autograder.checks.result import GRADER_FAULT
from autograder.config import load_course
from autograder.grade.results import results_json
from autograder.registry import load
from autograder.report.parse import incidents
from autograder.run.worker import _grader_fault

ASSIGNMENT = load_course().assignment("c1w2")


@pytest.fixture
def ctx(tmp_path: Path) -> JudgeContext:
    empty = np.zeros((0,))
    return JudgeContext(ASSIGNMENT, References(tmp_path, empty, empty, empty), tmp_path)


def test_a_judge_that_raises_is_a_grader_fault(ctx, monkeypatch) -> None:
    def broken(record: object, ctx: JudgeContext, result: object):
        raise AttributeError("'str' object has no attribute 'get'")

    monkeypatch.setattr(load(ASSIGNMENT.package, "compile_model", "judge"), "judge", broken)
    result = checks.judge("compile_model", {"error": None}, ctx)
    assert result.score == 0 and result.grader_fault == "AttributeError in its judge"
    assert result.feedback().startswith(GRADER_FAULT)
    assert "not a mistake in your code" in result.feedback()
    document = results_json([result], 10, 0.1, "")
    extra = document["tests"][0]["extra_data"]
    assert (extra["outcome"], extra["detail"]) == ("grader_fault", "AttributeError in its judge")
    assert incidents(document) == [("compile_model", "grader fault", "limit")]


def test_a_probe_that_raises_is_a_grader_fault(ctx) -> None:
    result = checks.judge("normalize", {"grader_fault": "KeyError in the probe of normalize"}, ctx)
    assert result.score == 0 and "KeyError in the probe of normalize" in result.feedback()
    assert result.feedback().startswith(GRADER_FAULT)


def test_a_student_error_is_not_a_grader_fault(ctx) -> None:
    error = {"type": "ValueError", "message": "bad", "where": None}
    result = checks.judge("normalize", {"error": error}, ctx)
    assert not result.grader_fault and "normalize raised ValueError" in result.feedback()
    extra = results_json([result], 10, 0.1, "")["tests"][0]["extra_data"]
    assert (extra["outcome"], extra["detail"]) == ("raised", "ValueError")


def _raised(code: str, filename: str) -> BaseException:
    try:
        exec(compile(code, filename, "exec"), {})  # noqa: S102 - a test's own code
    except BaseException as exc:  # noqa: BLE001
        return exc
    raise AssertionError("did not raise")


def test_the_worker_tells_whose_code_raised() -> None:
    student = "/scratch/fashion_mnist.py"
    assert _grader_fault(_raised("{}['x']", "/grader/probe/model.py"), (student,))
    assert not _grader_fault(_raised("{}['x']", student), (student,))
    assert not _grader_fault(_raised("{}['x']", "<cell 3>"), ())
    assert not _grader_fault(_raised("raise SystemExit(1)", "/grader/probe.py"), (student,))
