"""Grade one submission: prepare its sandbox folder, run the probes, judge what came back."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from autograder.checks import judge
from autograder.checks.context import JudgeContext
from autograder.checks.reference import References
from autograder.checks.result import ExerciseResult
from autograder.config import Assignment
from autograder.data import copy_cache_into
from autograder.errors import GraderError
from autograder.grade.results import ARTIFACTS_KEY, exercise_artifacts, results_json
from autograder.grade.submissions import Submission
from autograder.notebook_cells import code_cells
from autograder.notebook_only import LeftOut, module_bytes, summary
from autograder.outcome import NotRunRecord, Outcome, Reason, outcome_of
from autograder.run.lanes import run_lanes
from autograder.run.supervisor import Note, RunOutcome, Staging

NO_RESULT = Note(Outcome.NO_RESULT, "the grader got no result for this exercise")


def missing_file(submission: Submission, assignment: Assignment) -> str | None:
    """Why ``submission`` cannot be graded at all (a student folder without the file), or None;
    the reason carries its kind, NO_FILE, into ``all_zero``."""
    if submission.path.is_file():
        return None
    module, notebook = assignment.submission_files
    return Reason(f"no {module} or {notebook} found in {submission.path.parent}", Outcome.NO_FILE)


def _prepare(
    submission: Submission, work: Path, assignment: Assignment
) -> tuple[str, Path, list[str], tuple[LeftOut, ...]]:
    """Copy just the expected file into a fresh folder; nothing beside it comes along. Also
    the read-only notebook cells the student changed, which run as released, and what of a
    module only a notebook runs, left out as in a notebook (``autograder.notebook_only``)."""
    reason = missing_file(submission, assignment)
    if reason:
        raise _NoFile(reason)
    folder = work / "submission"
    folder.mkdir(parents=True)
    if submission.kind == "notebook":
        payload = folder / "cells.json"
        sources, restored = code_cells(submission.path, assignment.read_only_cells)
        payload.write_text(json.dumps(sources))
        return "cells", payload, restored, ()
    payload = folder / assignment.module_file
    data, left_out = module_bytes(submission.path.read_bytes(), assignment.read_only_cells)
    payload.write_bytes(data)
    return "module", payload, [], left_out


class _NoFile(GraderError):
    """The submission's file is not there: its results are all zero, kind NO_FILE."""


def _load_message(submission: Submission, error: dict) -> str:
    where = error.get("where") or {}
    line = f" line {where.get('line')}" if where.get("line") else ""
    return (
        f"{submission.path.name} could not be imported: {error.get('type')}: "
        f"{error.get('message')} ({where.get('file') or submission.path.name}{line}). "
        "Fix it and check with `python -m pytest` first."
    )


def grade_submission(
    submission: Submission,
    assignment: Assignment,
    staging: Staging,
    references: References,
    work: Path,
) -> dict[str, Any]:
    """The results.json document for one submission; its faults never raise out of here.

    Its execution_time is the whole: preparing, running in the sandbox, and judging. It also
    carries, under ``ARTIFACTS_KEY``, the plain numbers the feedback figures are drawn from;
    ``split_artifacts`` takes them out before results.json is written.
    """
    began = time.monotonic()
    try:
        kind, payload, restored, left_out = _prepare(submission, work, assignment)
    except _NoFile as exc:
        return all_zero(assignment, str(exc), Outcome.NO_FILE)
    except GraderError as exc:  # a notebook that is not one: it cannot be loaded at all
        return all_zero(assignment, str(exc), Outcome.NOT_IMPORTED, "notebook")
    scratch = work / "scratch"
    scratch.mkdir()
    copy_cache_into(scratch / ".keras")
    outcome = run_lanes(kind, payload, scratch, staging, assignment)
    results = judge_all(submission, kind, assignment, references, scratch, outcome)
    earned = sum(result.score for result in results)
    overall = f"{submission.student}: {earned:g}/{assignment.total:g} ({submission.path.name})."
    missing = [
        d for d in outcome.data.values() if ((d or {}).get("error") or {}).get("type") == "Missing"
    ]
    if len(missing) == len(assignment.exercises):
        overall += (
            f" {submission.path.name} defines none of the exercises: is it the "
            "right file, and not empty?"
        )
    if outcome.load_error and kind == "cells":
        overall += (
            f" A notebook cell raised {outcome.load_error.get('type')}: "
            f"{outcome.load_error.get('message')}; the grader ran the other cells."
        )
    if restored:
        overall += (
            f" You changed the read-only cell(s) {', '.join(restored)}; the grader ran them as "
            "released, as nbgrader does: make changes only in the cells marked for your answers."
        )
    if left_out:
        overall += f" {summary(left_out)}"
    loaded = Outcome.NOT_IMPORTED if kind == "module" and outcome.load_error else Outcome.GRADED
    load_type = (
        str((outcome.load_error or {}).get("type") or "") if loaded != Outcome.GRADED else ""
    )
    not_run = [NotRunRecord.model_validate(vars(record)) for record in left_out]
    document = results_json(
        results, assignment.total, time.monotonic() - began, overall, loaded, load_type, not_run
    )
    document[ARTIFACTS_KEY] = exercise_artifacts(results)
    return document


def judge_all(
    submission: Submission,
    kind: str,
    assignment: Assignment,
    references: References,
    scratch: Path,
    outcome: RunOutcome,
) -> list[ExerciseResult]:
    """Judge every exercise of ``assignment`` from what the sandbox gave back, in order."""
    ctx = JudgeContext(assignment, references, scratch)
    results = []
    for exercise, settings in assignment.exercises.items():
        if kind == "module" and outcome.load_error:
            result = ExerciseResult(exercise, settings.points).fail_all(
                _load_message(submission, outcome.load_error),
                Outcome.NOT_IMPORTED,
                str(outcome.load_error.get("type") or ""),
            )
        elif exercise in outcome.data:
            result = judge(exercise, outcome.data[exercise], ctx)
        else:
            note = outcome.notes.get(exercise, NO_RESULT)
            result = ExerciseResult(exercise, settings.points).fail_all(
                f"{exercise} {note}.", note.outcome, note.detail
            )
        results.append(result)
    return results


def all_zero(
    assignment: Assignment, reason: str, outcome: Outcome | None = None, detail: str = ""
) -> dict[str, Any]:
    """A results.json in which every exercise scores 0 for ``reason``, of kind ``outcome``
    (without it: the kind a ``Reason`` carries, else NO_RESULT: the grader got nothing)."""
    carried, carried_detail = outcome_of(reason, Outcome.NO_RESULT)
    kind, detail = (carried, carried_detail) if outcome is None else (outcome, detail)
    results = [
        ExerciseResult(e, s.points).fail_all(reason, kind, detail)
        for e, s in assignment.exercises.items()
    ]
    return results_json(results, assignment.total, 0.0, str(reason), kind, detail)
