"""Reading results.json back: each exercise's outcome and sub-checks, and what happened to a
submission.

results.json is the one record of a grade (a resumed batch has nothing else), so the feedback
page and the class report read it rather than keeping a second copy. They read the records
the grader writes beside the feedback text (each test's ``extra_data``, an
``autograder.outcome.ExerciseRecord``; the document's own ``extra_data``, a
``SubmissionRecord``), never the sentences: rewording feedback moves no student to another
category, and nothing a student prints can pass for a limit or a tampering verdict. A test
without its record (a results.json of an older grader) is read as ``Outcome.NO_RESULT``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from autograder.outcome import (
    HISTORY_MISMATCH,
    UNREADABLE_DATA,
    UNREADABLE_WEIGHTS,
    UNVERIFIABLE_HISTORY,
    ExerciseRecord,
    Outcome,
    SubmissionRecord,
)

# The outcomes the report lists as a limit the grader hit (the student's code was stopped, or
# the grader itself failed), with the short name it shows.
LIMITS = {
    Outcome.TIMED_OUT: "timed out",
    Outcome.OUT_OF_MEMORY: "out of memory",
    Outcome.CRASHED: "crashed",
    Outcome.DISK_LIMIT: "disk limit",
    Outcome.GRADER_FAULT: "grader fault",
}
# Why the judge would not trust what an exercise reported (the detail of UNTRUSTED).
UNTRUSTED = {
    HISTORY_MISMATCH: "history does not match its model",
    UNVERIFIABLE_HISTORY: "unverifiable history",
    UNREADABLE_DATA: "unreadable probe data",
    UNREADABLE_WEIGHTS: "unreadable model weights",
}
# The short name of every other outcome of an exercise that earned nothing as a whole.
KINDS = {
    Outcome.GRADED: "earned nothing",
    Outcome.NO_FILE: "no submission file",
    Outcome.NOT_IMPORTED: "file could not be imported",
    Outcome.NOT_DEFINED: "not defined",
    Outcome.NOT_WRITTEN: "not written yet",
    Outcome.NO_RESULT: "no result",
}
NO_RECORD = (
    "This result has no record of its outcome (an older grader wrote it): grade the "
    "submission again."
)


@dataclass
class Check:
    """One sub-check as results.json records it."""

    name: str
    passed: bool
    earned: float
    points: float
    message: str


@dataclass
class Exercise:
    """One exercise of results.json: its score, its outcome, its note and its sub-checks."""

    name: str
    score: float
    max_score: float
    note: str = ""
    checks: list[Check] = field(default_factory=list)
    outcome: Outcome = Outcome.GRADED
    detail: str = ""

    @property
    def status(self) -> str:
        """``full``, ``partial`` or ``zero``."""
        if self.score >= self.max_score:
            return "full"
        return "partial" if self.score > 0 else "zero"

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]

    @property
    def limit(self) -> str:
        """``timed out``, ``out of memory``, ``crashed``, ``disk limit``, ``grader fault`` or ""."""
        return LIMITS.get(self.outcome, "")

    @property
    def tampering(self) -> str:
        """Why the judge would not trust what this exercise reported, or ""."""
        if self.outcome is not Outcome.UNTRUSTED:
            return ""
        return UNTRUSTED.get(self.detail, self.detail or "untrusted data")

    @property
    def kind(self) -> str:
        """A short name for the outcome of an exercise that earned nothing as a whole."""
        if self.outcome is Outcome.RAISED:
            return f"raises {self.detail or 'an exception'}"
        return self.limit or self.tampering or KINDS.get(self.outcome, str(self.outcome))

    def mistakes(self) -> list[tuple[str, float]]:
        """What went wrong, by name, and the points it cost: each failed sub-check, or the kind
        of the outcome when the exercise earned nothing as a whole."""
        if self.score >= self.max_score:
            return []
        if self.checks:
            return [(check.name, check.points - check.earned) for check in self.failed]
        return [(self.kind, self.max_score - self.score)]


def _number(value: Any) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def _record(test: dict[str, Any]) -> ExerciseRecord | None:
    try:
        return ExerciseRecord.model_validate(test.get("extra_data"))
    except ValidationError:
        return None


def exercise(test: dict[str, Any]) -> Exercise:
    """One test entry of results.json, read from its record (NO_RESULT without one)."""
    name, output = str(test.get("name", "")), str(test.get("output") or "")
    score, max_score = _number(test.get("score")), _number(test.get("max_score"))
    record = _record(test)
    if record is None:
        note = f"{NO_RECORD}\n{output}" if output else NO_RECORD
        return Exercise(name, score, max_score, note, outcome=Outcome.NO_RESULT)
    checks = [Check(c.name, c.passed, c.earned, c.points, c.message) for c in record.checks]
    return Exercise(name, score, max_score, record.note, checks, record.outcome, record.detail)


def exercises(results: dict[str, Any]) -> list[Exercise]:
    """Every exercise of a results.json document, in its order."""
    return [exercise(test) for test in results.get("tests") or [] if isinstance(test, dict)]


def _submission_record(results: dict[str, Any]) -> SubmissionRecord | None:
    try:
        return SubmissionRecord.model_validate(results.get("extra_data"))
    except ValidationError:
        return None


def submission(results: dict[str, Any]) -> SubmissionRecord:
    """What happened to the submission as a whole (NO_RESULT without its record)."""
    return _submission_record(results) or SubmissionRecord(outcome=Outcome.NO_RESULT)


def recorded(results: dict[str, Any]) -> bool:
    """Whether the document and each of its tests carry their records (an older grader's
    results.json does not: a resumed batch grades such a submission again)."""
    tests = results.get("tests")
    return (
        isinstance(tests, list)
        and _submission_record(results) is not None
        and all(isinstance(test, dict) and _record(test) is not None for test in tests)
    )


def incidents(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(exercise, kind, "limit" or "tampering") for each exercise a limit or tampering hit."""
    found = []
    for graded in exercises(results):
        if graded.limit:
            found.append((graded.name, graded.limit, "limit"))
        elif graded.tampering:
            found.append((graded.name, graded.tampering, "tampering"))
    return found
