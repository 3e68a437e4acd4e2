"""What a judge produces: named sub-checks with points, and the feedback they read as."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autograder.outcome import ExerciseRecord, Outcome, SubCheckRecord, outcome_of

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
    outcome: Outcome = Outcome.GRADED  # what kind of outcome this is, as data
    detail: str = ""  # its short machine-readable kind (an exception type, an untrusted kind)

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

    def fail_all(
        self, reason: str, outcome: Outcome | None = None, detail: str | None = None
    ) -> ExerciseResult:
        """Zero for everything, with one reason (a crash, a timeout, a missing function).

        ``outcome`` says what kind of failure it is; without it, the kind a ``Reason`` carries
        (``explain_error``'s), else GRADED: the judge's verdict on the answer as a whole."""
        carried, carried_detail = outcome_of(reason)
        self.checks = []
        self.note = str(reason)
        self.artifacts = {}
        self.outcome = carried if outcome is None else outcome
        self.detail = carried_detail if detail is None else detail
        return self

    def untrusted(self, kind: str) -> ExerciseResult:
        """Mark what the submission reported as not trusted (``kind``, one of
        ``autograder.outcome.UNTRUSTED_KINDS``), keeping the sub-checks the judge recorded."""
        self.outcome, self.detail = Outcome.UNTRUSTED, kind
        return self

    def fault(self, what: str) -> ExerciseResult:
        """Zero, because the grader itself failed (``what``): never reported as the student's."""
        self.fail_all(
            f"{GRADER_FAULT} ({what}): this is not a mistake in your code. It scored 0 here; "
            "please report it to your instructor.",
            Outcome.GRADER_FAULT,
            what,
        )
        self.grader_fault = what
        return self

    def record(self) -> ExerciseRecord:
        """This verdict as data: its outcome, its kind and each sub-check's points."""
        return ExerciseRecord(
            exercise=self.exercise,
            outcome=self.outcome,
            detail=self.detail,
            note=self.note,
            checks=[
                SubCheckRecord(
                    name=c.name,
                    points=c.points,
                    earned=c.earned,
                    passed=c.passed,
                    message=c.message,
                )
                for c in self.checks
            ],
        )

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
