"""Reading back what ``autograder grade --out DIR`` wrote: one results.json per student."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from autograder.config import Assignment
from autograder.errors import GraderError


def read_graded(graded_dir: Path, assignment_id: str, assignment: Assignment) -> dict[str, Any]:
    """Student -> results.json document, in name order; a GraderError for a folder that holds
    none, or for a results.json that is not one of this assignment."""
    hint = f"grade first: `autograder grade {assignment_id} SUBMISSIONS --out {graded_dir}`"
    if not graded_dir.is_dir():
        raise GraderError(f"cannot read {graded_dir}: no such folder ({hint})")
    found = {}
    for path in sorted(graded_dir.glob("*/results.json")):
        try:
            results = json.loads(path.read_text())
            scores = {t["name"]: float(t["score"]) for t in results["tests"]}
        except (OSError, ValueError, KeyError, TypeError):
            raise GraderError(f"{path} is not a readable results.json ({hint})") from None
        missing = [e for e in assignment.exercises if e not in scores]
        if missing:
            raise GraderError(f"{path} has no score for '{missing[0]}' ({hint})")
        found[path.parent.name] = results
    if not found:
        raise GraderError(f"no <student>/results.json in {graded_dir} ({hint})")
    return found


def exercise_scores(results: dict[str, Any]) -> dict[str, float]:
    """Exercise id -> score of one results.json."""
    return {test["name"]: float(test["score"]) for test in results["tests"]}


def exercise_feedback(results: dict[str, Any]) -> dict[str, str]:
    """Exercise id -> feedback text of one results.json."""
    return {test["name"]: str(test.get("output", "")) for test in results["tests"]}
