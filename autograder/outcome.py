"""What happened to an exercise, as data: the kind of its outcome travels in results.json
(each test's ``extra_data``) beside the feedback sentence, so that the class report, the
release trial and anything else that sorts students reads the kind, never the wording.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict


class Outcome(str, Enum):
    """Why an exercise scored what it did, one kind per path that can end it."""

    GRADED = "graded"  # the judge scored the answer: its sub-checks, or one verdict on it all
    NO_FILE = "no_file"  # no submission file was found: nothing to grade
    NOT_IMPORTED = "not_imported"  # the student's module raised on import (detail: its type)
    NOT_DEFINED = "not_defined"  # the name the exercise asks for is not defined
    NOT_WRITTEN = "not_written"  # left as the template gave it: raise NotImplementedError()
    RAISED = "raised"  # the student's code raised (detail: the exception type)
    TIMED_OUT = "timed_out"  # stopped by a time limit (the exercise's or the submission's)
    OUT_OF_MEMORY = "out_of_memory"  # stopped by the memory limit
    CRASHED = "crashed"  # its process died (detail: the signal or the exit status)
    DISK_LIMIT = "disk_limit"  # stopped for writing more than the disk limit
    UNTRUSTED = "untrusted"  # data the judge would not trust (detail: an UNTRUSTED_KINDS key)
    GRADER_FAULT = "grader_fault"  # the grader's own code failed: not the student's mistake
    NO_RESULT = "no_result"  # the grader got nothing for it (or a record without the kind)

    def __str__(self) -> str:
        return self.value


# The kinds of data a judge would not trust (the detail of an UNTRUSTED outcome).
HISTORY_MISMATCH = "history_mismatch"  # the history's accuracy is not the returned model's
UNVERIFIABLE_HISTORY = "unverifiable_history"  # the history cannot be checked on its model
UNREADABLE_DATA = "unreadable_data"  # what the probe wrote is missing, malformed or forged
UNREADABLE_WEIGHTS = "unreadable_weights"  # the returned model's weights could not be read
UNTRUSTED_KINDS = (HISTORY_MISMATCH, UNVERIFIABLE_HISTORY, UNREADABLE_DATA, UNREADABLE_WEIGHTS)


class Reason(str):
    """A sentence for the student that also says which outcome it reports: a judge that passes
    it on unchanged (``ExerciseResult.fail_all``) passes the kind on with it."""

    outcome: Outcome
    detail: str

    def __new__(cls, text: str, outcome: Outcome, detail: str = "") -> Reason:
        made = super().__new__(cls, text)
        made.outcome, made.detail = outcome, detail
        return made


def outcome_of(reason: str, default: Outcome = Outcome.GRADED) -> tuple[Outcome, str]:
    """The (outcome, detail) a ``Reason`` carries; ``default`` for a plain sentence."""
    if isinstance(reason, Reason):
        return reason.outcome, reason.detail
    return default, ""


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore")


class SubCheckRecord(_Record):
    """One sub-check as data: its name, its points and what it earned."""

    name: str
    points: float
    earned: float
    passed: bool
    message: str = ""  # what the student reads: why it passed, or how to fix it


class ExerciseRecord(_Record):
    """One exercise as data (a results.json test's ``extra_data``, without ``exercise``: the
    test's name says it)."""

    exercise: str = ""
    outcome: Outcome
    detail: str = ""  # a short machine-readable kind: the exception type, the untrusted kind
    note: str = ""  # the sentence above the sub-checks (why it earned nothing as a whole)
    checks: list[SubCheckRecord] = []


class NotRunRecord(_Record):
    """Something of a module submission the grader did not run because only a notebook runs
    it (``autograder.notebook_only``): an IPython line of an exported notebook, or a released
    demonstration or check cell."""

    line: int  # its first line in the submitted file (1-based)
    end_line: int
    kind: Literal["ipython", "cell"]  # a get_ipython() statement or IPython line; a cell
    what: str  # briefly: "%matplotlib inline", "!pip install x", "cell demo_train"


class SubmissionRecord(_Record):
    """The submission as a whole (results.json's top-level ``extra_data``): whether it could
    be loaded and graded at all."""

    outcome: Outcome
    detail: str = ""
    unsafe: bool = False  # graded without the sandbox's isolation (--unsafe-no-sandbox)
    not_run: list[NotRunRecord] = []  # what the grader left out, as a notebook is graded
    lateness: Lateness | None = None  # written only when course.yaml sets a deadline


class Lateness(_Record):
    """When a submission came in against its due time, and what the late policy took
    (results.json's ``extra_data.lateness``, only when course.yaml sets a deadline)."""

    submitted: datetime  # in UTC
    source: str  # where the time came from: timestamp.txt, or the file's modification time
    due: datetime  # the student's own due time (with any extension), in UTC
    extension_hours: float = 0.0
    hours_late: float = 0.0  # 0 when on time
    raw_score: float
    penalty: float = 0.0
    final_score: float
    refused: bool = False  # past the cutoff: scored 0


SubmissionRecord.model_rebuild()
