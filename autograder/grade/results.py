"""Turning judged exercises into the Gradescope results.json of the contract."""

from __future__ import annotations

from typing import Any

from autograder.checks.result import ExerciseResult
from autograder.outcome import NotRunRecord, Outcome, SubmissionRecord

# The figures' data rides along in the document grade_submission returns (which must stay
# plain JSON) under this private key; the batch writer takes it out before results.json.
ARTIFACTS_KEY = "_artifacts"


def results_json(
    results: list[ExerciseResult],
    total: float,
    seconds: float,
    overall: str,
    outcome: Outcome = Outcome.GRADED,
    detail: str = "",
    not_run: list[NotRunRecord] | None = None,
) -> dict[str, Any]:
    """The results.json document: always one test entry per exercise, in course order.

    Besides the feedback text, each test's ``extra_data`` holds its ``ExerciseRecord`` (its
    outcome, kind and sub-checks as data; Gradescope keeps it for the staff) and the top-level
    ``extra_data`` the submission's (``outcome``: could it be loaded at all): what reports sort
    students by, so that the wording of a sentence never decides a category. ``not_run``: what
    of a module the grader left out, as it grades a notebook (``autograder.notebook_only``)."""
    score = round(sum(result.score for result in results), 2)
    submission = SubmissionRecord(outcome=outcome, detail=detail, not_run=not_run or [])
    return {
        "score": score,
        "max_score": total,
        "execution_time": round(seconds, 2),
        "output": overall,
        "extra_data": submission.model_dump(mode="json", exclude={"lateness"}),
        "tests": [_test_entry(result) for result in results],
    }


def _test_entry(result: ExerciseResult) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": result.exercise,
        "score": result.score,
        "max_score": result.max_score,
        "output": result.feedback(),
        "visibility": "visible",
    }
    entry["extra_data"] = result.record().model_dump(mode="json", exclude={"exercise"})
    return entry


def exercise_artifacts(results: list[ExerciseResult]) -> dict[str, dict[str, Any]]:
    """Exercise id -> the plain numbers its judge left for the feedback figures."""
    return {result.exercise: result.artifacts for result in results if result.artifacts}


def split_artifacts(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the results.json document without the private key, the artifacts it carried)."""
    results = {key: value for key, value in document.items() if key != ARTIFACTS_KEY}
    artifacts = document.get(ARTIFACTS_KEY)
    return results, artifacts if isinstance(artifacts, dict) else {}
