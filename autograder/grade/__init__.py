"""``autograder grade``: grade submissions, write results.json and grades.csv, summarise."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.config import DEFAULT_COURSE_FILE, load_course
from autograder.errors import GraderError
from autograder.grade.one import grade_submission
from autograder.grade.staging import stage
from autograder.grade.submissions import Submission, find_submissions
from autograder.report import write_atomically, write_grades_csv
from autograder.run.sandbox import Sandbox


@dataclass
class Graded:
    """One submission's outcome in a batch."""

    submission: Submission
    results: dict[str, Any]


def main(
    assignment_id: str,
    paths: list[Path],
    out_dir: Path,
    jobs: int | None = None,
    unsafe_no_sandbox: bool = False,
    course_file: Path = DEFAULT_COURSE_FILE,
    on_done: Callable[[Graded], None] | None = None,
) -> list[Graded]:
    """Grade every submission under ``paths`` into ``out_dir``; user errors raise GraderError."""
    assignment = load_course(course_file).assignment(assignment_id)
    submissions = find_submissions(paths, assignment_id)
    reason = Sandbox.available()
    if reason and not unsafe_no_sandbox:
        raise GraderError(f"{reason} (or pass --unsafe-no-sandbox to grade without isolation)")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GraderError(f"cannot write to {out_dir}: {exc.strerror}") from None
    jobs = max(1, jobs or os.cpu_count() or 1)
    sandbox = Sandbox(isolated=not unsafe_no_sandbox)
    root = Path(tempfile.mkdtemp(prefix="c1w2-grade-"))
    graded: list[Graded] = []
    lock = threading.Lock()
    try:
        staging, references = stage(assignment, root / "staging", sandbox)

        def one(index: int, submission: Submission) -> Graded:
            work = root / f"work-{index}"
            try:
                results = grade_submission(submission, assignment, staging, references, work)
            finally:
                shutil.rmtree(work, ignore_errors=True)
            target = out_dir / submission.student / "results.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, results)
            return Graded(submission, results)

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(one, i, s) for i, s in enumerate(submissions)]
            for future in as_completed(futures):
                result = future.result()
                with lock:
                    graded.append(result)
                if on_done:
                    on_done(result)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    graded.sort(key=lambda g: g.submission.student)
    write_grades_csv(out_dir / "grades.csv", [(g.submission.student, g.results) for g in graded])
    return graded
