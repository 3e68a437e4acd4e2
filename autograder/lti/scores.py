"""The final scores of a graded folder: ``DIR/<student>/results.json`` as ``autograder grade``
writes them, read through a typed record (results.json's top-level ``score`` is the final one:
after any late penalty)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from autograder.errors import GraderError


class FinalScore(BaseModel):
    """What a push needs of one results.json: the score given, out of the maximum."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    score: float = Field(ge=0)
    max_score: float = Field(gt=0)


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
