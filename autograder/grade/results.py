"""Turning judged exercises into the Gradescope results.json of the contract."""

from __future__ import annotations

from typing import Any

from autograder.checks.result import ExerciseResult


def results_json(
    results: list[ExerciseResult], total: float, seconds: float, overall: str
) -> dict[str, Any]:
    """The results.json document: always one test entry per exercise, in course order."""
    score = round(sum(result.score for result in results), 2)
    return {
        "score": score,
        "max_score": total,
        "execution_time": round(seconds, 2),
        "output": overall,
        "tests": [
            {
                "name": result.exercise,
                "score": result.score,
                "max_score": result.max_score,
                "output": result.feedback(),
                "visibility": "visible",
            }
            for result in results
        ],
    }
