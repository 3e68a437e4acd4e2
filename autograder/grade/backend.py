"""What every grading backend shares: the protocol a batch drives, how a backend refuses a host
without isolation, and how one submission is graded without ever ending the batch.

A backend is chosen by the command that starts the batch: this machine's sandboxes
(``autograder.grade.local``) or a Dask cluster (``autograder.distribute``); ``autograder.grade``
drives either one the same way and records every result itself.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from autograder.config import Assignment
from autograder.grade.one import all_zero, grade_submission
from autograder.grade.submissions import Submission
from autograder.outcome import Outcome as Kind

UNSAFE_FLAG = "--unsafe-no-sandbox"
# What a grading backend yields for each submission, as it finishes: the submission, its
# results.json document, and the isolation layers missing where it was graded.
Outcome = tuple[Submission, dict[str, Any], list[str]]


class Backend(Protocol):
    """What grades a batch's submissions, connected and checked."""

    def describe(self) -> str:
        """One line: where the batch is graded and what isolates submissions there."""
        ...

    def grade(self, todo: list[Submission]) -> Iterator[Outcome]:
        """Grade ``todo``; yield each outcome as it finishes."""
        ...

    def close(self) -> None:
        """Release what the backend holds (called once the batch is over)."""
        ...


# How a command hands a backend to ``autograder.grade.main``: given the batch's assignment and
# whether isolation may be missing (``--unsafe-no-sandbox``), connect and check it, raising
# GraderError to refuse.
Connect = Callable[[Assignment, bool], Backend]


def refusal(missing: list[str], where: str = "") -> str:
    """The message that refuses to grade without an isolation layer (``where``: which host)."""
    return (
        f"{where}{missing[0]}; refusing to grade untrusted code without it "
        f"(pass {UNSAFE_FLAG} to grade trusted code anyway)"
    )


def unsafe_warning(missing: list[str]) -> str:
    """The sentence that starts every results.json graded with ``--unsafe-no-sandbox``."""
    return f"Graded WITHOUT isolation ({UNSAFE_FLAG}): {'; '.join(missing or ['by request'])}. "


def grader_fault(assignment: Assignment, what: str) -> dict[str, Any]:
    """The all-zero results.json of a submission the grader itself failed on (``what``)."""
    return all_zero(
        assignment,
        f"the grader failed on this submission ({what}); it scored 0: please report this to "
        "your instructor.",
        Kind.GRADER_FAULT,
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
