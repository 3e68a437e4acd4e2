"""The local backend: grade a batch on this machine, in the sandbox, ``jobs`` submissions at once.

It checks this host's isolation when the batch starts and refuses without it unless told
``--unsafe-no-sandbox``. Each run forks from a warm worker (see ``autograder.run.warm``) unless
``warm`` is False, when every run starts cold.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from functools import partial

from autograder.config import Assignment
from autograder.errors import GraderError
from autograder.grade.backend import Connect, Outcome, grade_safely, refusal, unsafe_warning
from autograder.grade.scratch import make_scratch, remove_stale_scratch
from autograder.grade.staging import stage
from autograder.grade.submissions import Submission
from autograder.run import isolation
from autograder.run.lanes import lanes
from autograder.run.limits import remove_stale
from autograder.run.sandbox import Sandbox
from autograder.run.warm import WarmPool


def local(jobs: int | None = None, warm: bool = True) -> Connect:
    """The backend that grades here, ``jobs`` at once (default: the number of cores)."""
    return partial(LocalBackend, jobs=jobs, warm=warm)


class LocalBackend:
    """This machine's sandboxes, its isolation checked."""

    def __init__(
        self, assignment: Assignment, unsafe: bool, jobs: int | None = None, warm: bool = True
    ) -> None:
        layers = isolation.detect()
        self.missing = layers.missing
        if self.missing and not unsafe:
            raise GraderError(refusal(self.missing))
        self.header = unsafe_warning(self.missing).strip() if unsafe else layers.describe()
        self.assignment = assignment
        self.unsafe = unsafe
        self.jobs = jobs
        self.warm = warm

    def describe(self) -> str:
        """What isolates submissions here (or the warning that nothing does)."""
        return self.header

    def close(self) -> None:
        """Nothing to release: each batch's pools are closed as its ``grade`` ends."""

    def grade(self, todo: list[Submission]) -> Iterator[Outcome]:
        """Grade on this machine, ``jobs`` at once; yield each outcome as it finishes (with the
        isolation layers this host is missing)."""
        assignment, jobs, unsafe, missing, warm = (
            self.assignment, self.jobs, self.unsafe, self.missing, self.warm
        )  # fmt: skip
        remove_stale()
        remove_stale_scratch()
        root = make_scratch()
        warm_pool: WarmPool | None = None
        try:
            workers = max(1, jobs or os.cpu_count() or 1)
            threads = max(1, (os.cpu_count() or 1) // workers)
            sandbox = Sandbox(isolated=not unsafe)
            # A warm worker per lane at least, so that a submission graded alone uses the cores.
            size = max(workers, min(os.cpu_count() or 1, len(lanes(assignment))))
            warm_at = (size, root / "warm") if warm and sandbox.isolated else None
            staging, references = stage(assignment, root / "staging", sandbox, threads, warm_at)
            warm_pool = staging.pool
            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = {
                    pool.submit(
                        grade_safely, s, assignment, staging, references, root / f"work-{i}"
                    ): s
                    for i, s in enumerate(todo)
                }
                for future in as_completed(futures):
                    yield futures[future], future.result(), missing
        finally:
            if warm_pool is not None:
                warm_pool.close()
            shutil.rmtree(root, ignore_errors=True)
