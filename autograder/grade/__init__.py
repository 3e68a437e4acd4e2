"""``autograder grade``: grade submissions, write results.json and grades.csv, summarise.

Submissions are graded here, in a pool of threads (the default), or on a Dask cluster
(``cluster``, see ``autograder.distribute``). Either way each result comes back to this
process and is recorded by ``record``, in one place. A batch can be killed at any point and run
again: what was finished is kept (see ``autograder.grade.resume``), the rest is graded.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograder.config import DEFAULT_COURSE_FILE, Assignment, load_course
from autograder.errors import GraderError
from autograder.grade import resume
from autograder.grade.one import all_zero, grade_submission
from autograder.grade.results import split_artifacts
from autograder.grade.scratch import make_scratch, remove_stale_scratch
from autograder.grade.staging import stage, start_warm_pool
from autograder.grade.submissions import Submission, find_submissions
from autograder.release.record import check_current
from autograder.report import write_grades_csv
from autograder.report.classreport import write_class_report
from autograder.report.feedback import write_feedback
from autograder.report.lms import NAME as LMS_CSV
from autograder.report.lms import write_lms_csv
from autograder.run import isolation
from autograder.run.lanes import lanes
from autograder.run.limits import remove_stale
from autograder.run.sandbox import Sandbox
from autograder.run.warm import WarmPool

if TYPE_CHECKING:
    from autograder.distribute import ClusterOptions

UNSAFE_FLAG = "--unsafe-no-sandbox"
# What a grading backend yields for each submission, as it finishes: the submission, its
# results.json document, and the isolation layers missing where it was graded.
Outcome = tuple[Submission, dict[str, Any], list[str]]


@dataclass
class Graded:
    """One submission's outcome in a batch; ``resumed`` when an earlier run had graded it."""

    submission: Submission
    results: dict[str, Any]
    resumed: bool = False


def refusal(missing: list[str], where: str = "") -> str:
    """The message that refuses to grade without an isolation layer (``where``: which host)."""
    return (
        f"{where}{missing[0]}; refusing to grade untrusted code without it "
        f"(pass {UNSAFE_FLAG} to grade trusted code anyway)"
    )


def unsafe_warning(missing: list[str]) -> str:
    """The sentence that starts every results.json graded with ``--unsafe-no-sandbox``."""
    return f"Graded WITHOUT isolation ({UNSAFE_FLAG}): {'; '.join(missing or ['by request'])}. "


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
    artifacts the figures were drawn from."""
    results, artifacts = split_artifacts(document)
    if unsafe_missing is not None:
        results["output"] = unsafe_warning(unsafe_missing) + results["output"]
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
    cluster: ClusterOptions | None = None,
    warm: bool = True,
) -> list[Graded]:
    """Grade every submission under ``paths`` into ``out_dir``; user errors raise GraderError.

    With ``cluster``, submissions are graded on that Dask cluster instead of here (``jobs``
    is then unused: each Dask worker thread grades one submission at a time). ``warm``: fork
    each local run from a warm worker (see ``autograder.run.warm``) rather than start it cold."""
    assignment = load_course(course_file).assignment(assignment_id)
    check_current(Path(course_file).parent, assignment_id, assignment)
    submissions = find_submissions(paths, assignment_id)
    session, missing = None, []
    if cluster is None:
        layers = isolation.detect()
        missing = layers.missing
        if missing and not unsafe_no_sandbox:
            raise GraderError(refusal(missing))
        header = unsafe_warning(missing).strip() if unsafe_no_sandbox else layers.describe()
    else:
        from autograder.distribute.client import connect  # Dask only on this path

        session = connect(cluster, assignment, unsafe_no_sandbox)
        header = session.describe()
    try:
        if session is not None:
            backend = session.grade
        else:
            backend = partial(
                _grade_here, assignment=assignment, jobs=jobs, unsafe=unsafe_no_sandbox,
                missing=missing, warm=warm,
            )  # fmt: skip
        return _grade_batch(
            assignment_id,
            assignment,
            submissions,
            out_dir,
            unsafe_no_sandbox,
            header,
            backend,
            on_done,
            on_start,
        )
    finally:
        if session is not None:
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
) -> list[Graded]:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GraderError(f"cannot write to {out_dir}: {exc.strerror}") from None
    grader = resume.grader_digest(assignment)
    done = {s.student: resume.finished(out_dir, s, grader) for s in submissions}
    todo = [s for s in submissions if done[s.student] is None]
    if on_start:
        on_start(header, len(todo))
    graded = [
        Graded(s, done[s.student], resumed=True) for s in submissions if done[s.student] is not None
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
    write_grades_csv(out_dir / "grades.csv", rows)
    write_lms_csv(out_dir / LMS_CSV, list(assignment.exercises), rows)
    write_class_report(out_dir, rows, titles(assignment), assignment_id)
    return graded


def grader_fault(assignment: Assignment, what: str) -> dict[str, Any]:
    """The all-zero results.json of a submission the grader itself failed on (``what``)."""
    return all_zero(
        assignment,
        f"the grader failed on this submission ({what}); it scored 0: please report this to "
        "your instructor.",
    )


def grade_safely(
    submission: Submission,
    assignment: Assignment,
    staging: Any,
    references: Any,
    work: Path,
) -> dict[str, Any]:
    """``grade_submission`` in ``work`` (removed afterwards); a fault of the grader on this
    submission scores it 0 with a note instead of ending the batch."""
    try:
        return grade_submission(submission, assignment, staging, references, work)
    except Exception as exc:  # noqa: BLE001 - one submission must never end the batch
        return grader_fault(assignment, f"{type(exc).__name__}: {exc}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _grade_here(
    todo: list[Submission],
    assignment: Assignment,
    jobs: int | None,
    unsafe: bool,
    missing: list[str],
    warm: bool = True,
) -> Iterator[Outcome]:
    """Grade on this machine, ``jobs`` at once; yield each outcome as it finishes (with the
    isolation layers this host is ``missing``)."""
    remove_stale()
    remove_stale_scratch()
    root = make_scratch()
    warm_pool: WarmPool | None = None
    try:
        workers = max(1, jobs or os.cpu_count() or 1)
        threads = max(1, (os.cpu_count() or 1) // workers)
        sandbox = Sandbox(isolated=not unsafe)
        staging, references = stage(assignment, root / "staging", sandbox, threads)
        if warm and sandbox.isolated:
            # A warm worker per lane at least, so that a submission graded alone uses the cores.
            size = max(workers, min(os.cpu_count() or 1, len(lanes(assignment))))
            start_warm_pool(staging, assignment, size, root / "warm")
            warm_pool = staging.pool
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {
                pool.submit(grade_safely, s, assignment, staging, references, root / f"work-{i}"): s
                for i, s in enumerate(todo)
            }
            for future in as_completed(futures):
                yield futures[future], future.result(), missing
    finally:
        if warm_pool is not None:
            warm_pool.close()
        shutil.rmtree(root, ignore_errors=True)
