"""``autograder grade``: grade submissions, write results.json and grades.csv, summarise.

Submissions are graded by a backend the command chooses: this machine's sandboxes (the
default, ``autograder.grade.local``) or a Dask cluster (``autograder.distribute``). Either way
each result comes back to this process and is recorded by ``record``, in one place. A batch can
be killed at any point and run again: what was finished is kept (see
``autograder.grade.resume``), the rest is graded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.config import DEFAULT_COURSE_FILE, Assignment, load_course
from autograder.errors import GraderError
from autograder.grade import resume
from autograder.grade.backend import Connect, Outcome, unsafe_warning
from autograder.grade.lateness import apply_deadline, lateness_current
from autograder.grade.local import local
from autograder.grade.lock import Holder, output_lock
from autograder.grade.results import split_artifacts
from autograder.grade.submissions import Submission, find_submissions
from autograder.release_record import check_current
from autograder.report import write_grades_csv
from autograder.report.classreport import write_class_report
from autograder.report.compare import Regrade, compare, read_folder, write_regrade_csv
from autograder.report.feedback import write_feedback
from autograder.report.lms import NAME as LMS_CSV
from autograder.report.lms import write_lms_csv


@dataclass
class Graded:
    """One submission's outcome in a batch; ``resumed`` when an earlier run had graded it."""

    submission: Submission
    results: dict[str, Any]
    resumed: bool = False


def titles(assignment: Assignment) -> dict[str, str]:
    """Exercise id -> its title, for the feedback pages and the class report."""
    return {exercise: settings.title for exercise, settings in assignment.exercises.items()}


def record(
    out_dir: Path,
    submission: Submission,
    grader: str,
    document: dict[str, Any],
    unsafe_missing: list[str] | None,
    assignment: Assignment,
    assignment_id: str,
) -> Graded:
    """Record one finished submission, wherever it was graded: the unsafe warning (when
    ``unsafe_missing`` is not None), its feedback.html, then results.json and its fingerprint
    (last: it marks the result complete). results.json is ``document`` without the private
    artifacts the figures were drawn from, and after course.yaml's late policy when it sets a
    deadline (its score the final one, ``extra_data.lateness`` what it took)."""
    results, artifacts = split_artifacts(document)
    results = apply_deadline(results, submission, assignment.deadline)
    if unsafe_missing is not None:
        results["output"] = unsafe_warning(unsafe_missing) + results["output"]
        results.setdefault("extra_data", {})["unsafe"] = True  # what the class report reads
    write_feedback(
        out_dir / submission.student, results, artifacts, titles(assignment), assignment_id
    )
    resume.record(out_dir, submission, grader, results)
    return Graded(submission, results)


def main(
    assignment_id: str,
    paths: list[Path],
    out_dir: Path,
    jobs: int | None = None,
    unsafe_no_sandbox: bool = False,
    course_file: Path = DEFAULT_COURSE_FILE,
    on_done: Callable[[Graded], None] | None = None,
    on_start: Callable[[str, int], None] | None = None,
    backend: Connect | None = None,
    warm: bool = True,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
    on_stale: Callable[[Holder], None] | None = None,
    compare_to: Path | None = None,
    on_regrade: Callable[[Regrade], None] | None = None,
) -> list[Graded]:
    """Grade every submission under ``paths`` into ``out_dir``; user errors raise GraderError.

    ``backend`` connects to what grades the batch, as the command chose (e.g. a Dask cluster,
    see ``autograder.distribute``); by default this machine: ``local(jobs, warm)``, ``jobs``
    submissions at once, each run forked from a warm worker (see ``autograder.run.warm``)
    unless ``warm`` is False. ``jobs`` and ``warm`` are unused with another backend.

    One grader at a time writes ``out_dir`` (see ``autograder.grade.lock``): another one
    running there is a GraderError naming it, or with ``wait`` is waited for.

    With ``compare_to`` (an earlier graded folder) the batch ends with the regrade preview
    (``autograder.report.compare``): ``out_dir/regrade.csv``, a report section, and
    ``on_regrade`` given it."""
    assignment = load_course(course_file).assignment(assignment_id)
    check_current(Path(course_file).parent, assignment_id, assignment)
    submissions = find_submissions(paths, assignment)
    if compare_to is not None:
        if compare_to.resolve() == out_dir.resolve():
            raise GraderError(f"--compare {compare_to} is --out itself: grade into a new --out")
        read_folder(compare_to)  # refused before grading, not after
    with output_lock(out_dir, wait, on_wait, on_stale):
        session = (backend or local(jobs, warm))(assignment, unsafe_no_sandbox)
        try:
            return _grade_batch(
                assignment_id,
                assignment,
                submissions,
                out_dir,
                unsafe_no_sandbox,
                session.describe(),
                session.grade,
                on_done,
                on_start,
                compare_to,
                on_regrade,
            )
        finally:
            session.close()


def _grade_batch(
    assignment_id: str,
    assignment: Assignment,
    submissions: list[Submission],
    out_dir: Path,
    unsafe: bool,
    header: str,
    backend: Callable[[list[Submission]], Iterator[Outcome]],
    on_done: Callable[[Graded], None] | None,
    on_start: Callable[[str, int], None] | None,
    compare_to: Path | None = None,
    on_regrade: Callable[[Regrade], None] | None = None,
) -> list[Graded]:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GraderError(f"cannot write to {out_dir}: {exc.strerror}") from None
    grader = resume.grader_digest(assignment)
    done = {s.student: resume.finished(out_dir, s, grader) for s in submissions}
    for submission in submissions:  # a kept result whose lateness changed is graded again
        kept = done[submission.student]
        if kept is not None and not lateness_current(kept, submission, assignment.deadline):
            done[submission.student] = None
    todo = [s for s in submissions if done[s.student] is None]
    if on_start:
        on_start(header, len(todo))
    graded = [
        Graded(s, kept, resumed=True) for s in submissions if (kept := done[s.student]) is not None
    ]
    for item in graded:
        if on_done:
            on_done(item)
    if todo:
        for submission, results, missing in backend(todo):
            item = record(
                out_dir,
                submission,
                grader,
                results,
                missing if unsafe else None,
                assignment,
                assignment_id,
            )
            graded.append(item)
            if on_done:
                on_done(item)
    graded.sort(key=lambda g: g.submission.student)
    rows = [(g.submission.student, g.results) for g in graded]
    late = assignment.deadline is not None
    write_grades_csv(out_dir / "grades.csv", rows, late)
    write_lms_csv(out_dir / LMS_CSV, list(assignment.exercises), rows, late)
    regrade = compare(compare_to, dict(rows)) if compare_to is not None else None
    if regrade is not None:
        write_regrade_csv(out_dir, regrade)
    write_class_report(out_dir, rows, titles(assignment), assignment_id, regrade)
    if regrade is not None and on_regrade:
        on_regrade(regrade)
    return graded
