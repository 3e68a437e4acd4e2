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
from dataclasses import dataclass
from typing import Any

from autograder.checks.answers import unplain
from autograder.checks.result import ExerciseResult
from autograder.config import Assignment
from autograder.data import copy_cache_into
from autograder.grade.one import judge_all
from autograder.grade.scratch import make_scratch
from autograder.grade.staging import stage
from autograder.grade.submissions import Submission
from autograder.outcome import Outcome
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


def _train_until(assignment: Assignment, trial: Trial) -> list[str]:
    if "train_until" not in trial.results:
        return []
    checks = assignment.checks
    result = trial.results["train_until"]
    problems = []
    history = ((trial.outcome.data.get("train_until") or {}).get("history") or {}).get("history")
    accuracy = (history or {}).get("accuracy") or []
    failed = {check.name for check in result.checks if not check.passed}
    if accuracy and max(accuracy) < checks.train_until_threshold:
        problems.append(
            f"the solution reaches {max(accuracy):.2f} training accuracy on "
            f"{checks.train_until_images:,} images in {len(accuracy)} epochs; "
            f"checks.train_until_threshold {checks.train_until_threshold:g} is out of reach: "
            "raise checks.train_until_images or checks.train_until_max_epochs, or lower the "
            "threshold"
        )
    elif accuracy and "halts before max_epochs" in failed:
        problems.append(
            f"the solution first reaches checks.train_until_threshold "
            f"{checks.train_until_threshold:g} at epoch {len(accuracy)} of "
            f"checks.train_until_max_epochs {checks.train_until_max_epochs}, so stopping before "
            "max_epochs cannot be shown: raise checks.train_until_max_epochs above "
            f"{len(accuracy)}, or lower the threshold"
        )
    heldout = (result.artifacts.get("heldout") or {}).get("accuracy")
    if heldout is not None and heldout < checks.heldout_accuracy:
        problems.append(
            f"the solution's train_until model classifies {heldout:.2f} of "
            f"{checks.heldout_images:,} held-out images correctly; checks.heldout_accuracy "
            f"{checks.heldout_accuracy:g} is out of reach: lower it, or raise "
            "checks.train_until_threshold so the model trains longer"
        )
    return problems


def _normalization(assignment: Assignment, trial: Trial) -> list[str]:
    checks = assignment.checks
    value = unplain((trial.outcome.data.get("normalization_effect") or {}).get("value"))
    if not (isinstance(value, list) and len(value) == 2):
        return []
    normalized, raw = value
    if normalized - raw >= checks.normalization_margin:
        return []
    return [
        f"the solution's normalized accuracy {normalized:.3f} is {normalized - raw:.3f} above "
        f"its raw accuracy {raw:.3f} on {checks.normalization_images:,} images; "
        f"checks.normalization_margin {checks.normalization_margin:g} is out of reach: lower it"
    ]


def _times(assignment: Assignment, trial: Trial) -> dict[str, str]:
    """Exercise id (or "") -> why its time limit (the submission's) is too short."""
    problems = {}
    for exercise in assignment.exercises:
        seconds = (trial.outcome.data.get(exercise) or {}).get("seconds")
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
        "train_until": _train_until(assignment, trial),
        "normalization_effect": _normalization(assignment, trial),
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


def figures(trial: Trial) -> dict[str, Any]:
    """What the solution measured, for the release record."""
    history = ((trial.outcome.data.get("train_until") or {}).get("history") or {}).get("history")
    until = trial.results.get("train_until")
    heldout = (until.artifacts.get("heldout") or {}).get("accuracy") if until else None
    return {
        "score": round(sum(result.score for result in trial.results.values()), 2),
        "train_until_accuracy": [round(v, 4) for v in (history or {}).get("accuracy") or []],
        "heldout_accuracy": None if heldout is None else round(heldout, 4),
        "normalization_effect": unplain(
            (trial.outcome.data.get("normalization_effect") or {}).get("value")
        ),
        "seconds": {
            exercise: (trial.outcome.data.get(exercise) or {}).get("seconds")
            for exercise in trial.results
        },
        "submission_seconds": trial.outcome.seconds,
        "time_margin": TIME_MARGIN,
    }
