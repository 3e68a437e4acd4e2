"""Late work: when a submission came in, how late it was against the student's own due time
(course.yaml ``deadline``, with their extension), and the score after the late policy.

The submission time is nbgrader's ``timestamp.txt`` beside the submitted file (the submitted
layout ``submitted/<student>/<assignment>/timestamp.txt``; on Gradescope ``run_autograder``
writes the submission metadata's ``created_at`` there), read as nbgrader reads it; without one,
the file's modification time, which the grader warns about. The penalty is course.yaml's
``LatePolicy.penalty_for``, the same function nbgrader's late-penalty plugin calls
(``autograder.gradebook.late``), so the gradebook agrees.
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from autograder.config import Deadline
from autograder.errors import GraderError
from autograder.grade.submissions import Submission
from autograder.outcome import Lateness
from autograder.report.templating import utc

TIMESTAMP_FILE = "timestamp.txt"  # nbgrader's, beside the submitted files
FROM_TIMESTAMP = "timestamp.txt"
FROM_MTIME = "file modification time"


def read_timestamp(path: Path) -> datetime:
    """The moment in nbgrader's ``timestamp.txt`` at ``path``, in UTC (as nbgrader reads it:
    a time without a zone is UTC); a GraderError naming the file when it is not one."""
    from nbgrader.utils import parse_utc

    try:
        text = path.read_text().strip()
        moment = parse_utc(text)
    except (OSError, ValueError, OverflowError, TypeError):
        raise GraderError(
            f"{path} holds no time nbgrader can read: write one such as "
            "'2026-12-01 23:59:00.000000 UTC' or remove the file"
        ) from None
    if moment is None:
        raise GraderError(f"{path} is empty: write the submission time or remove the file")
    return moment.replace(tzinfo=timezone.utc)


def submission_time(submission: Submission) -> tuple[datetime, str] | None:
    """When ``submission`` came in, in UTC, and where that was read; None without a file."""
    stamp = submission.path.parent / TIMESTAMP_FILE
    if stamp.is_file():
        return read_timestamp(stamp), FROM_TIMESTAMP
    try:
        mtime = submission.path.stat().st_mtime
    except OSError:
        return None
    return datetime.fromtimestamp(mtime, tz=timezone.utc), FROM_MTIME


def assess(
    deadline: Deadline, student: str, submitted: datetime, source: str, raw: float
) -> Lateness:
    """The lateness of ``student``'s submission scoring ``raw`` at ``submitted``."""
    due, extension = deadline.due_for(student)
    seconds = max(0.0, (submitted - due).total_seconds())
    penalty, refused = deadline.late.penalty_for(raw, seconds)
    return Lateness(
        submitted=submitted,
        source=source,
        due=due,
        extension_hours=round(extension, 2),
        hours_late=round(seconds / 3600, 2),
        raw_score=raw,
        penalty=penalty,
        final_score=round(raw - penalty, 2),
        refused=refused,
    )


def sentence(lateness: Lateness) -> str:
    """What the student reads about it, first in the overall feedback ("" when on time)."""
    if lateness.hours_late <= 0:
        return ""
    extension = (
        f" with your {lateness.extension_hours:g}-hour extension"
        if lateness.extension_hours
        else ""
    )
    late = (
        f"Submitted {utc(lateness.submitted)}, {lateness.hours_late:g} hours after the "
        f"due time {utc(lateness.due)}{extension}"
    )
    if lateness.refused:
        return f"{late}: past the cutoff, so it scores 0 (it earned {lateness.raw_score:g}). "
    return (
        f"{late}: late penalty {lateness.penalty:g}, score {lateness.raw_score:g} - "
        f"{lateness.penalty:g} = {lateness.final_score:g}. "
    )


def mtime_warning(submission: Submission, results: dict[str, Any]) -> str | None:
    """One line for the instructor when ``submission``'s time is its file's modification
    time (no timestamp.txt beside it); None otherwise."""
    from autograder.report.parse import submission as submission_record

    lateness = submission_record(results).lateness
    if lateness is None or lateness.source != FROM_MTIME:
        return None
    return (
        f"warning: {submission.student}: no {TIMESTAMP_FILE} beside {submission.path}, so its "
        f"submission time is the file's modification time, {utc(lateness.submitted)} "
        f"({lateness.hours_late:g} hours late): add the {TIMESTAMP_FILE} nbgrader writes to be "
        "sure"
    )


def with_lateness(results: dict[str, Any], lateness: Lateness) -> dict[str, Any]:
    """``results`` with its lateness recorded (``extra_data.lateness``), its score the final
    one and the overall feedback saying so; the exercises keep what they earned."""
    changed = copy.deepcopy(results)
    changed["score"] = lateness.final_score
    changed["output"] = sentence(lateness) + str(changed.get("output") or "")
    changed.setdefault("extra_data", {})["lateness"] = lateness.model_dump(mode="json")
    return changed


def apply_deadline(
    results: dict[str, Any], submission: Submission, deadline: Deadline | None
) -> dict[str, Any]:
    """``results`` after the late policy (unchanged without a deadline or a file)."""
    if deadline is None:
        return results
    found = submission_time(submission)
    if found is None:
        return results
    raw = float(results.get("score") or 0)
    return with_lateness(results, assess(deadline, submission.student, *found, raw))


def lateness_current(
    results: dict[str, Any], submission: Submission, deadline: Deadline | None
) -> bool:
    """Whether a kept result's lateness is still what ``deadline`` gives now (a changed due
    time, extension or policy, or a new submission time, makes it stale)."""
    from autograder.report.parse import submission as submission_record

    stored = submission_record(results).lateness
    found = submission_time(submission) if deadline is not None else None
    if deadline is None or found is None:
        return stored is None
    raw = stored.raw_score if stored is not None else float(results.get("score") or 0)
    return stored == assess(deadline, submission.student, *found, raw)
