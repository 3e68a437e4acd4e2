"""What runs on a Dask worker: grade one submission in the same sandbox as local grading.

The worker needs this package installed (the same version as the client: a digest of the
grader's code travels with every result and the client checks it), bubblewrap and a writable
cgroup, and Fashion-MNIST in its Keras cache. The batch's staging (probe code, reference
models, and a warm worker per worker thread) is made once per worker process, on its first
submission, and reused after that.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.checks.reference import References
from autograder.config import Assignment
from autograder.errors import GraderError
from autograder.grade import resume
from autograder.grade.backend import grade_safely, refusal
from autograder.grade.scratch import make_scratch, remove_stale_scratch
from autograder.grade.staging import stage
from autograder.grade.submissions import Submission
from autograder.run import isolation
from autograder.run.limits import remove_stale
from autograder.run.sandbox import Sandbox
from autograder.run.supervisor import Staging


@dataclass(frozen=True)
class Payload:
    """One submission as it travels: its bytes (by value), or its path in the shared folder."""

    student: str
    name: str  # the submitted file's name: the module's, alice.ipynb, ...
    content: bytes | None = None
    path: str | None = None


@dataclass(frozen=True)
class _Staged:
    root: Path
    staging: Staging
    references: References
    missing: list[str]
    grader: str


_LOCK = threading.Lock()
_STAGED: dict[tuple[str, bool], _Staged] = {}


def _worker() -> Any:
    from distributed import get_worker

    return get_worker()


def sandbox_threads(worker_threads: int) -> int:
    """TensorFlow threads per sandbox: this host's usable cores shared by the worker's threads."""
    return max(1, len(os.sched_getaffinity(0)) // max(1, worker_threads))


def _staged(assignment: Assignment, unsafe: bool) -> _Staged:
    """This worker process's staging for ``assignment`` (made on first use, then cached)."""
    key = (assignment.model_dump_json(), unsafe)
    with _LOCK:
        if key not in _STAGED:
            worker = _worker()
            missing = isolation.detect().missing
            if missing and not unsafe:
                raise GraderError(refusal(missing, f"Dask worker {worker.address}: "))
            remove_stale()
            remove_stale_scratch(worker.local_directory)
            root = make_scratch(worker.local_directory)
            threads = sandbox_threads(worker.state.nthreads)
            sandbox = Sandbox(isolated=not unsafe)
            # Warm workers, as locally: one per worker thread.
            pool = (worker.state.nthreads, root / "warm") if sandbox.isolated else None
            staging, references = stage(assignment, root / "staging", sandbox, threads, pool)
            grader = resume.grader_digest(assignment)
            _STAGED[key] = _Staged(root, staging, references, missing, grader)
        return _STAGED[key]


def _submission(payload: Payload, folder: Path) -> Submission:
    """The submission as a file on this worker: written from its bytes, or the shared path."""
    if payload.content is None:
        return Submission(payload.student, Path(payload.path or ""))
    folder.mkdir(parents=True)
    path = folder / Path(payload.name).name
    path.write_bytes(payload.content)
    return Submission(payload.student, path)


def grade_remote(payload: Payload, assignment_doc: dict, unsafe: bool) -> dict[str, Any]:
    """Grade one submission on this worker; returns its results.json document, the isolation
    layers missing here, the grader's digest and this worker's address."""
    assignment = Assignment.model_validate(assignment_doc)
    staged = _staged(assignment, unsafe)
    work = staged.root / f"work-{uuid.uuid4().hex}"
    try:
        submission = _submission(payload, work / "upload")
        results = grade_safely(
            submission, assignment, staged.staging, staged.references, work / "grading"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "results": results,
        "missing": staged.missing,
        "grader": staged.grader,
        "worker": _worker().address,
    }


def worker_report(assignment_doc: dict, dask_worker: Any = None) -> dict[str, Any]:
    """What the client checks on each worker before a batch (run by ``Client.run``)."""
    layers = isolation.detect()
    return {
        "describe": layers.describe(),
        "missing": layers.missing,
        "grader": resume.grader_digest(Assignment.model_validate(assignment_doc)),
        "threads": dask_worker.state.nthreads if dask_worker is not None else 1,
    }
