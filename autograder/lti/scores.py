"""The final scores of a graded folder: ``DIR/<student>/results.json`` as ``autograder grade``
writes them, read through typed records (results.json's top-level ``score`` is the final one:
after any late penalty; its ``extra_data`` says, as ``autograder.outcome`` records, whether the
grader itself failed on it, in which case the score is not one to publish)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from autograder.errors import GraderError
from autograder.outcome import ExerciseRecord, Outcome, SubmissionRecord

GRADER_FAILED = (Outcome.GRADER_FAULT, Outcome.NO_RESULT)


class ExerciseEntry(BaseModel):
    """One exercise of results.json, as far as a push reads it."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    name: str
    extra_data: ExerciseRecord | None = None


class FinalScore(BaseModel):
    """What a push needs of one results.json: the score given, out of the maximum, and
    whether the grader failed on any of it."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    score: float = Field(ge=0)
    max_score: float = Field(gt=0)
    extra_data: SubmissionRecord | None = None
    tests: list[ExerciseEntry] = []

    def held_back(self) -> str:
        """Why this score is not one to publish (the grader failed on it), or ""."""
        if self.extra_data is not None and self.extra_data.outcome in GRADER_FAILED:
            return f"the grader got no result for the submission ({self.extra_data.outcome})"
        for test in self.tests:
            if test.extra_data is not None and test.extra_data.outcome in GRADER_FAILED:
                return f"the grader failed on exercise '{test.name}' ({test.extra_data.outcome})"
        return ""


def read_scores(graded_dir: Path, assignment_id: str) -> dict[str, FinalScore]:
    """Student (the folder name) -> final score, in name order; a GraderError for a folder that
    holds none or a results.json that is not one."""
    hint = f"grade first: `autograder grade {assignment_id} SUBMISSIONS --out {graded_dir}`"
    if not graded_dir.is_dir():
        raise GraderError(f"cannot read {graded_dir}: no such folder ({hint})")
    scores: dict[str, FinalScore] = {}
    for path in sorted(graded_dir.glob("*/results.json")):
        try:
            scores[path.parent.name] = FinalScore.model_validate(json.loads(path.read_text()))
        except (OSError, ValueError, ValidationError):
            raise GraderError(f"{path} is not a readable results.json ({hint})") from None
    if not scores:
        raise GraderError(f"no <student>/results.json in {graded_dir} ({hint})")
    return scores
