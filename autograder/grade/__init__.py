"""``autograder grade``: grade submissions, write results.json and grades.csv, summarise.

A batch can be killed at any point and run again: what was finished is kept (see
``autograder.grade.resume``), the rest is graded.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.config import DEFAULT_COURSE_FILE, load_course
from autograder.errors import GraderError
from autograder.grade import resume
from autograder.grade.one import all_zero, grade_submission
from autograder.grade.results import split_artifacts
from autograder.grade.staging import stage
from autograder.grade.submissions import Submission, find_submissions
from autograder.report import write_grades_csv
from autograder.report.classreport import write_class_report
from autograder.report.feedback import write_feedback
from autograder.report.lms import NAME as LMS_CSV
from autograder.report.lms import write_lms_csv
from autograder.run import isolation
from autograder.run.limits import remove_stale
from autograder.run.sandbox import SANDBOX_SCRATCH, Sandbox
from autograder.run.supervisor import worker_env
from autograder.run.warm import WarmPool

UNSAFE_FLAG = "--unsafe-no-sandbox"


@dataclass
class Graded:
    """One submission's outcome in a batch; ``resumed`` when an earlier run had graded it."""

    submission: Submission
    results: dict[str, Any]
    resumed: bool = False


def main(
    assignment_id: str,
    paths: list[Path],
    out_dir: Path,
    jobs: int | None = None,
    unsafe_no_sandbox: bool = False,
    course_file: Path = DEFAULT_COURSE_FILE,
    on_done: Callable[[Graded], None] | None = None,
    on_start: Callable[[str, int], None] | None = None,
    warm: bool = True,
) -> list[Graded]:
    """Grade every submission under ``paths`` into ``out_dir``; user errors raise GraderError."""
    assignment = load_course(course_file).assignment(assignment_id)
    submissions = find_submissions(paths, assignment_id)
    layers = isolation.detect()
    if layers.missing and not unsafe_no_sandbox:
        raise GraderError(
            f"{layers.missing[0]}; refusing to grade untrusted code without it "
            f"(pass {UNSAFE_FLAG} to grade trusted code anyway)"
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GraderError(f"cannot write to {out_dir}: {exc.strerror}") from None
    grader = resume.grader_digest(assignment)
    done = {s.student: resume.finished(out_dir, s, grader) for s in submissions}
    todo = [s for s in submissions if done[s.student] is None]
    warning = ""
    if unsafe_no_sandbox:
        warning = (
            "Graded WITHOUT isolation ("
            + (f"{UNSAFE_FLAG}): " + "; ".join(layers.missing or ["by request"]))
            + ". "
        )
    if on_start:
        on_start(layers.describe() if not unsafe_no_sandbox else warning.strip(), len(todo))
    graded = [
        Graded(s, done[s.student], resumed=True) for s in submissions if done[s.student] is not None
    ]
    for item in graded:
        if on_done:
            on_done(item)
    if todo:
        graded += _grade_all(
            todo,
            assignment_id,
            assignment,
            out_dir,
            grader,
            jobs,
            unsafe_no_sandbox,
            warning,
            on_done,
            warm,
        )
    graded.sort(key=lambda g: g.submission.student)
    rows = [(g.submission.student, g.results) for g in graded]
    write_grades_csv(out_dir / "grades.csv", rows)
    write_lms_csv(out_dir / LMS_CSV, list(assignment.exercises), rows)
    write_class_report(out_dir, rows, _titles(assignment), assignment_id)
    return graded


def _titles(assignment: Any) -> dict[str, str]:
    return {exercise: settings.title for exercise, settings in assignment.exercises.items()}


def record(
    out_dir: Path,
    submission: Submission,
    grader: str,
    document: dict[str, Any],
    assignment: Any,
    assignment_id: str,
) -> dict[str, Any]:
    """Write one submission's feedback.html, then its results.json and fingerprint (last: it
    marks the result complete); return the results.json document, that is ``document``
    without the private artifacts its figures were drawn from."""
    results, artifacts = split_artifacts(document)
    write_feedback(
        out_dir / submission.student, results, artifacts, _titles(assignment), assignment_id
    )
    resume.record(out_dir, submission, grader, results)
    return results


def _grade_all(
    todo: list[Submission],
    assignment_id: str,
    assignment: Any,
    out_dir: Path,
    grader: str,
    jobs: int | None,
    unsafe: bool,
    warning: str,
    on_done: Callable[[Graded], None] | None,
    warm: bool = True,
) -> list[Graded]:
    remove_stale()
    root = Path(tempfile.mkdtemp(prefix="c1w2-grade-"))
    graded: list[Graded] = []
    warm_pool: WarmPool | None = None
    try:
        workers = max(1, jobs or os.cpu_count() or 1)
        threads = max(1, (os.cpu_count() or 1) // workers)
        sandbox = Sandbox(isolated=not unsafe)
        staging, references = stage(assignment, root / "staging", sandbox, threads)
        if warm and sandbox.isolated:
            staging.pool = warm_pool = WarmPool(
                workers,
                root / "warm",
                (staging.lib, staging.inputs, sandbox),
                worker_env({"scratch": SANDBOX_SCRATCH}, threads),
                assignment.limits.output_kb * 1024,
            )

        def one(index: int, submission: Submission) -> Graded:
            work = root / f"work-{index}"
            try:
                results = grade_submission(submission, assignment, staging, references, work)
            except Exception as exc:  # noqa: BLE001 - one submission must never end the batch
                results = all_zero(
                    assignment,
                    (
                        f"the grader failed on this submission ({type(exc).__name__}: {exc}); it "
                        "scored 0: please report this to your instructor."
                    ),
                )
            finally:
                shutil.rmtree(work, ignore_errors=True)
            results["output"] = warning + results["output"]
            document = record(out_dir, submission, grader, results, assignment, assignment_id)
            return Graded(submission, document)

        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(one, i, s) for i, s in enumerate(todo)]
            for future in as_completed(futures):
                item = future.result()
                graded.append(item)
                if on_done:
                    on_done(item)
    finally:
        if warm_pool is not None:
            warm_pool.close()
        shutil.rmtree(root, ignore_errors=True)
    return graded
