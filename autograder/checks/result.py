"""What a judge produces: named sub-checks with points, and the feedback they read as."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

GRADER_FAULT = "Grader fault: the grader itself failed while checking this exercise"


@dataclass
class SubCheck:
    """One named part of an exercise: its points, what it earned and why."""

    name: str
    points: float
    earned: float
    message: str

    @property
    def passed(self) -> bool:
        return self.earned >= self.points


@dataclass
class ExerciseResult:
    """The verdict on one exercise: sub-checks plus an optional overall note.

    ``artifacts`` holds plain, JSON-serialisable numbers a feedback page draws figures from
    (a training history, a confusion matrix); they never reach results.json.
    """

    exercise: str
    max_score: float
    checks: list[SubCheck] = field(default_factory=list)
    note: str = ""
    artifacts: dict[str, Any] = field(default_factory=dict)
    grader_fault: str = ""  # what in the grader's own code failed, when it did
    shares: dict[str, float] = field(default_factory=dict)  # the judge's SUBCHECKS

    @classmethod
    def of(cls, exercise: str, shares: dict[str, float]) -> ExerciseResult:
        """An empty verdict whose sub-checks are the judge's, each worth its share."""
        return cls(exercise, float(sum(shares.values())), shares=dict(shares))

    def check(self, name: str, passed: bool, ok: str, fix: str) -> bool:
        """Record the sub-check ``name`` of the judge's SUBCHECKS; return ``passed``."""
        return self.add(name, self.shares[name], passed, ok, fix)

    def add(self, name: str, points: float, passed: bool, ok: str, fix: str) -> bool:
        """Record a pass/fail sub-check worth ``points``; return ``passed``."""
        self.checks.append(SubCheck(name, points, points if passed else 0.0, ok if passed else fix))
        return passed

    def fail_all(self, reason: str) -> ExerciseResult:
        """Zero for everything, with one reason (a crash, a timeout, a missing function)."""
        self.checks = []
        self.note = reason
        self.artifacts = {}
        return self

    def fault(self, what: str) -> ExerciseResult:
        """Zero, because the grader itself failed (``what``): never reported as the student's."""
        self.fail_all(
            f"{GRADER_FAULT} ({what}): this is not a mistake in your code. It scored 0 here; "
            "please report it to your instructor."
        )
        self.grader_fault = what
        return self

    @property
    def score(self) -> float:
        earned = sum(check.earned for check in self.checks)
        return round(min(earned, self.max_score), 2)

    def feedback(self) -> str:
        """Readable feedback: every sub-check passed or failed, with how to fix it."""
        lines = [self.note] if self.note else []
        for check in self.checks:
            mark = "PASS" if check.passed else "FAIL"
            score = f"{check.earned:g}/{check.points:g}"
            lines.append(f"{mark} {check.name} ({score}): {check.message}")
        return "\n".join(lines)
