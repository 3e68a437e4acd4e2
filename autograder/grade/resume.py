"""Resuming a batch: a submission whose result is already written for the same file, the same
course settings and the same grader is not graded again."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import autograder
from autograder.config import Assignment
from autograder.grade.lateness import TIMESTAMP_FILE
from autograder.grade.submissions import Submission
from autograder.report import FEEDBACK_FILE, write_atomically
from autograder.report.parse import recorded

FINGERPRINT = ".fingerprint"
PACKAGE = Path(autograder.__file__).resolve().parent


def grader_digest(assignment: Assignment) -> str:
    """A digest of the grader's code and the assignment's settings but the deadline (which
    changes no exercise's score: a kept result's lateness is checked on its own)."""
    digest = hashlib.sha256(assignment.model_dump_json(exclude={"deadline"}).encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(submission: Submission, grader: str) -> str:
    """What a result depends on: the submitted file, its timestamp.txt and the grader."""
    digest = hashlib.sha256(grader.encode())
    digest.update(submission.student.encode())
    if submission.path.is_file():
        digest.update(submission.path.read_bytes())
    stamp = submission.path.parent / TIMESTAMP_FILE  # a resubmission at another time
    if stamp.is_file():
        digest.update(stamp.read_bytes())
    return digest.hexdigest()


def finished(out_dir: Path, submission: Submission, grader: str) -> dict[str, Any] | None:
    """The results.json of an earlier run of this batch, if it is complete and current (and
    records each outcome as data: one without, an older grader's, is graded again)."""
    folder = out_dir / submission.student
    try:
        if (folder / FINGERPRINT).read_text() != fingerprint(submission, grader):
            return None
        if not (folder / FEEDBACK_FILE).is_file():
            return None
        results = json.loads((folder / "results.json").read_text())
    except (OSError, ValueError):
        return None
    return results if isinstance(results, dict) and recorded(results) else None


def record(out_dir: Path, submission: Submission, grader: str, results: dict[str, Any]) -> None:
    """Write results.json, then the fingerprint that marks it complete (both atomically)."""
    folder = out_dir / submission.student
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(folder / "results.json", results)
    write_atomically(folder / FINGERPRINT, fingerprint(submission, grader))
