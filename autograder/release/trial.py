"""Before a release is written: can the course as configured be graded at all?

The solution module, as the release would ship it, is graded here under the new course values,
with the same staging, sandbox and judges as ``autograder grade``. A course on which the
solution would not score full marks, or whose time limits leave less than ``TIME_MARGIN``
times what the solution needs on this machine, is refused, saying why with the measured figure.
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from pydantic import ValidationError

from autograder import registry
from autograder.checks.result import ExerciseResult
from autograder.config import Assignment
from autograder.data import copy_cache_into
from autograder.grade.one import judge_all
from autograder.grade.scratch import make_scratch
from autograder.grade.staging import stage
from autograder.grade.submissions import Submission
from autograder.outcome import Outcome
from autograder.records import ProbeRecord
from autograder.run.lanes import run_lanes
from autograder.run.sandbox import Sandbox
from autograder.run.supervisor import RunOutcome

TIME_MARGIN = 2.0  # a limit must be at least twice what the solution needs here


@dataclass
class Trial:
    """The solution graded under a course: the judged exercises and what the sandbox saw."""

    results: dict[str, ExerciseResult]
    outcome: RunOutcome


def grade_solution(assignment: Assignment, module_text: str) -> Trial:
    """Grade ``module_text`` (the solution module) under ``assignment`` on this machine."""
    root = make_scratch()
    try:
        sandbox = Sandbox(isolated=Sandbox.available() is None)  # trusted code: bare if need be
        staging, references = stage(assignment, root / "staging", sandbox, os.cpu_count() or 1)
        work = root / "work"
        payload = work / "submission" / assignment.module_file
        payload.parent.mkdir(parents=True)
        payload.write_text(module_text)
        scratch = work / "scratch"
        scratch.mkdir()
        copy_cache_into(scratch / ".keras")
        outcome = run_lanes("module", payload, scratch, staging, assignment)
        submission = Submission("solution", payload)
        judged = judge_all(submission, "module", assignment, references, scratch, outcome)
        return Trial({result.exercise: result for result in judged}, outcome)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _records(assignment: Assignment, trial: Trial) -> dict[str, ProbeRecord]:
    """Each exercise's probe record, validated as its judge reads it (none if unreadable)."""
    records = {}
    for exercise, data in trial.outcome.data.items():
        if exercise not in trial.results or not isinstance(data, dict):
            continue
        try:
            judge = registry.load(assignment.package, exercise, "judge")
            records[exercise] = judge.Record.model_validate(data)
        except (ValidationError, registry.RegistryError, ImportError, AttributeError):
            continue  # the judge already scored it 0 and said why
    return records


def _exercise_trials(
    assignment: Assignment, trial: Trial
) -> Iterator[tuple[str, ModuleType, ProbeRecord]]:
    """(exercise, trial module, record) of each exercise whose folder has a ``trial.py``."""
    records = _records(assignment, trial)
    for exercise in trial.results:
        module = registry.optional(assignment.package, exercise, "trial")
        if module is not None and exercise in records:
            yield exercise, module, records[exercise]


def _times(assignment: Assignment, trial: Trial) -> dict[str, str]:
    """Exercise id (or "") -> why its time limit (the submission's) is too short."""
    problems = {}
    records = _records(assignment, trial)
    for exercise in assignment.exercises:
        record = records.get(exercise)
        seconds = record.seconds if record else None
        note = trial.outcome.notes.get(exercise)
        key, limit = assignment.time_limit_key(exercise), assignment.time_limit(exercise)
        if note is not None and note.outcome is Outcome.TIMED_OUT:
            problems[exercise] = (
                f"the solution's {exercise} {note} on this machine; {key} {limit:g} is too "
                "short: raise it"
            )
        elif isinstance(seconds, (int, float)) and limit < seconds * TIME_MARGIN:
            problems[exercise] = (
                f"the solution needs {seconds:.1f} s for {exercise} on this machine; {key} "
                f"{limit:g} is less than {TIME_MARGIN:g}x that: raise it to at least "
                f"{math.ceil(seconds * TIME_MARGIN)}"
            )
    total, limit = trial.outcome.seconds, assignment.limits.submission_seconds
    if limit < total * TIME_MARGIN:
        problems[""] = (
            f"the solution needs {total:.1f} s in all on this machine; limits.submission_seconds "
            f"{limit:g} is less than {TIME_MARGIN:g}x that: raise it to at least "
            f"{math.ceil(total * TIME_MARGIN)}"
        )
    return problems


def problems(assignment: Assignment, trial: Trial) -> list[str]:
    """Why the course cannot be graded, each with the figure measured; empty if it can."""
    times = _times(assignment, trial)
    found = list(times.values())
    explained = {
        exercise: module.problems(assignment, record, trial.results[exercise])
        for exercise, module, record in _exercise_trials(assignment, trial)
    }
    for exercise, result in trial.results.items():
        if result.score >= result.max_score or exercise in times:
            continue  # full marks, or a time limit says why
        if explained.get(exercise):
            found.extend(explained[exercise])
            continue
        failed = next((check for check in result.checks if not check.passed), None)
        why = f"{failed.name}: {failed.message}" if failed else result.note
        found.append(
            f"the solution scores {result.score:g}/{result.max_score:g} on {exercise} under "
            f"this course.yaml ({why})"
        )
    return found


def figures(assignment: Assignment, trial: Trial) -> dict[str, Any]:
    """What the solution measured, for the release record."""
    found: dict[str, Any] = {
        "score": round(sum(result.score for result in trial.results.values()), 2)
    }
    for exercise, module, record in _exercise_trials(assignment, trial):
        found.update(module.figures(record, trial.results[exercise]))
    records = _records(assignment, trial)
    found["seconds"] = {
        exercise: records[exercise].seconds if exercise in records else None
        for exercise in trial.results
    }
    found["submission_seconds"] = trial.outcome.seconds
    found["time_margin"] = TIME_MARGIN
    return found
