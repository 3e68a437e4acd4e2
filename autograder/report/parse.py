"""Reading results.json back: each exercise's sub-checks, and what happened to a submission.

results.json is the one record of a grade (a resumed batch has nothing else), so the feedback
page and the class report read it rather than keeping a second copy. Its feedback text is the
grader's own format (``autograder.checks.result.ExerciseResult.feedback``): an optional note,
then one line per sub-check, ``PASS|FAIL <name> (<earned>/<points>): <message>``. Only the
grader's own wording is matched, anchored at the start of a note or message, so a student's
printed output or exception text does not pass for a limit or a tampering verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

CHECK_LINE = re.compile(r"^(PASS|FAIL) (.+?) \(([-+0-9.e]+)/([-+0-9.e]+)\): ?(.*)$")
# What the supervisor notes when it had to stop an exercise (autograder/run/supervisor.py).
LIMIT_NOTE = re.compile(
    r"^(?:was not graded: loading the submission )?"
    r"(timed out|was not run: the submission used up|ran out of memory|crashed|"
    r"stopped: wrote more than)"
)
LIMIT_KINDS = {
    "timed out": "timed out",
    "was not run: the submission used up": "timed out",
    "ran out of memory": "out of memory",
    "crashed": "crashed",
    "stopped: wrote more than": "disk limit",
}
# The judges' words for data that was forged or cannot be verified (autograder/checks/).
TAMPERING = (
    ("the history reports a final training accuracy of", "history does not match its model"),
    ("the history cannot be checked against the returned model", "unverifiable history"),
    ("what the submission produced could not be read", "unreadable probe data"),
    ("the grader got no readable result", "unreadable probe data"),
    ("the model's weights could not be read", "unreadable model weights"),
)
GRADER_FAILED = "the grader failed on this submission"
# The note of an exercise the grader's own code failed on (autograder/checks/result.py).
GRADER_FAULT = "Grader fault: "
NOT_WRITTEN = "not written yet"  # the kind of an exercise left as the template gave it
TOLERANCE = 0.02  # results.json rounds scores to 2 decimals, feedback prints points with :g


@dataclass
class Check:
    """One sub-check as results.json reports it."""

    name: str
    passed: bool
    earned: float
    points: float
    message: str


@dataclass
class Exercise:
    """One exercise of results.json: its score, its note and its sub-checks."""

    name: str
    score: float
    max_score: float
    note: str = ""
    checks: list[Check] = field(default_factory=list)

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
        if self.note.startswith(GRADER_FAULT):
            return "grader fault"
        body = self.note.removeprefix(f"{self.name} ")
        match = LIMIT_NOTE.match(body) if self.note.startswith(f"{self.name} ") else None
        return LIMIT_KINDS[match.group(1)] if match else ""

    @property
    def tampering(self) -> str:
        """Why the judge would not trust what this exercise reported, or ""."""
        texts = [self.note.removeprefix(f"{self.name}: ")] + [c.message for c in self.failed]
        for text in texts:
            for words, kind in TAMPERING:
                if text.startswith(words):
                    return kind
        return ""

    def mistakes(self) -> list[tuple[str, float]]:
        """What went wrong, by name, and the points it cost: each failed sub-check, or the kind
        of the note when the exercise earned nothing as a whole."""
        if self.score >= self.max_score:
            return []
        if self.checks:
            return [(check.name, check.points - check.earned) for check in self.failed]
        return [(note_kind(self.name, self.note), self.max_score - self.score)]


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def parse_feedback(name: str, score: float, max_score: float, output: str) -> Exercise:
    """An exercise's feedback text split into its note and sub-checks."""
    exercise = Exercise(name, score, max_score)
    note: list[str] = []
    for line in output.splitlines():
        match = CHECK_LINE.match(line)
        if match:
            mark, check, earned, points, message = match.groups()
            exercise.checks.append(
                Check(check, mark == "PASS", _number(earned), _number(points), message)
            )
        elif exercise.checks:  # a message that spans lines (an error text with newlines)
            exercise.checks[-1].message += "\n" + line
        else:
            note.append(line)
    exercise.note = "\n".join(note)
    if exercise.checks and not _consistent(exercise):
        # Check lines that do not add up to the score came from text a submission wrote (an
        # error message with a forged "PASS ..." line): show it all as one note instead.
        exercise.checks, exercise.note = [], output
    return exercise


def _consistent(exercise: Exercise) -> bool:
    """The sub-checks' points add up to the maximum and what they earned to the score."""
    points = sum(check.points for check in exercise.checks)
    earned = min(sum(check.earned for check in exercise.checks), exercise.max_score)
    return (
        all(check.points > 0 for check in exercise.checks)
        and abs(points - exercise.max_score) < TOLERANCE
        and abs(earned - exercise.score) < TOLERANCE
    )


def exercises(results: dict[str, Any]) -> list[Exercise]:
    """Every exercise of a results.json document, in its order."""
    return [
        parse_feedback(
            str(test.get("name", "")),
            float(test.get("score") or 0),
            float(test.get("max_score") or 0),
            str(test.get("output") or ""),
        )
        for test in results.get("tests") or []
    ]


def note_kind(exercise: str, note: str) -> str:
    """A short name for why an exercise earned nothing as a whole (no sub-checks ran)."""
    exercise_note = Exercise(exercise, 0, 1, note)
    if exercise_note.limit:
        return exercise_note.limit
    if exercise_note.tampering:
        return exercise_note.tampering
    if "is not written yet" in note:
        return NOT_WRITTEN
    if note.startswith(GRADER_FAILED):
        return "grader failed"
    if re.match(r"^\S+ could not be imported: ", note):
        return "file could not be imported"
    if re.match(r"^no '\S+' is defined", note):
        return "not defined"
    raised = re.match(rf"^{re.escape(exercise)}\S* raised (\w+)", note)
    if raised:
        return f"raises {raised.group(1)}"
    return "earned nothing"


def incidents(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(exercise, kind, "limit" or "tampering") for each exercise a limit or tampering hit."""
    found = []
    for exercise in exercises(results):
        if exercise.limit:
            found.append((exercise.name, exercise.limit, "limit"))
        elif exercise.tampering:
            found.append((exercise.name, exercise.tampering, "tampering"))
    return found
