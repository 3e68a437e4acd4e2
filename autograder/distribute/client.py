"""The client side of a Dask batch: connect, check the workers, send submissions, collect.

Submissions travel by value (their bytes), or, under ``--shared-dir``, as paths the workers
read from that shared folder; results always travel by value (a few kilobytes each) and are
recorded by this process as they arrive. No more submissions are on the cluster than its
workers have threads, so a class of any size costs this process and the scheduler little
memory.

A worker that dies mid-grading (killed, out of memory, its machine gone) loses nothing: the
scheduler gives its submissions to another worker. A submission on which workers keep dying
is given up after the scheduler's ``distributed.scheduler.allowed-failures`` deaths (Dask's
``KilledWorker``) and scores 0 with that reason; the batch goes on.
"""

from __future__ import annotations

import asyncio
import queue
import uuid
from collections.abc import Iterator
from functools import partial
from typing import Any

from autograder.config import Assignment
from autograder.distribute import ClusterOptions
from autograder.distribute.task import Payload, grade_remote, worker_report
from autograder.errors import GraderError
from autograder.grade import resume
from autograder.grade.backend import Connect, Outcome, grader_fault, refusal, unsafe_warning
from autograder.grade.one import all_zero, missing_file
from autograder.grade.submissions import Submission

POLL_SECONDS = 2.0  # how often to look for workers that joined or left, when none finishes


def killed_reason(deaths: int) -> str:
    """The feedback of a submission given up because its workers kept dying."""
    return (
        f"the grading worker died {deaths} times while grading this submission (each time on "
        "a different try, e.g. killed or out of memory); it scored 0: please report this to "
        "your instructor."
    )


def on_cluster(options: ClusterOptions) -> Connect:
    """The backend a command hands to ``autograder.grade.main`` to grade on this cluster: it
    connects, and checks the workers, when the batch starts."""
    return partial(connect, options)


def connect(options: ClusterOptions, assignment: Assignment, unsafe: bool) -> Session:
    """A session on the Dask scheduler at ``options.scheduler``, its workers checked."""
    try:
        from distributed import Client
    except ImportError:
        raise GraderError("--scheduler needs Dask: pip install 'c1w2-autograder[dask]'") from None
    try:
        client = Client(options.scheduler, timeout=options.connect_timeout, set_as_default=False)
    except (OSError, ValueError, TypeError) as exc:
        raise GraderError(
            f"cannot reach the Dask scheduler at {options.scheduler}: {exc}"
        ) from None
    session = Session(client, options, assignment, unsafe)
    try:
        session.check_workers()
    except BaseException:
        session.close()
        raise
    return session


class Session:
    """A connected Dask client grading one batch."""

    def __init__(
        self, client: Any, options: ClusterOptions, assignment: Assignment, unsafe: bool
    ) -> None:
        self.client = client
        self.options = options
        self.assignment = assignment
        self.assignment_doc = assignment.model_dump(mode="json")
        self.unsafe = unsafe
        self.grader = resume.grader_digest(assignment)
        self.reports: dict[str, dict[str, Any]] = {}

    def check_workers(self) -> None:
        """Refuse, naming the worker, if one lacks isolation or runs another grader version.

        Workers that join later are checked by their first task in the same way."""
        replies = self.client.run(worker_report, self.assignment_doc, on_error="return")
        for address, report in sorted(replies.items()):
            if isinstance(report, BaseException):
                raise GraderError(
                    f"Dask worker {address} cannot run the grader "
                    f"({type(report).__name__}: {report}): install c1w2-autograder[dask] there"
                )
            if report["grader"] != self.grader:
                raise GraderError(_other_version(address))
            if report["missing"] and not self.unsafe:
                raise GraderError(refusal(report["missing"], f"Dask worker {address}: "))
        self.reports = replies

    def describe(self) -> str:
        """One line: the cluster, and what isolates submissions on its workers."""
        threads = sum(r["threads"] for r in self.reports.values())
        line = (
            f"Dask scheduler {self.options.scheduler}: {len(self.reports)} worker(s), "
            f"{threads} thread(s)"
        )
        if not self.reports:
            line += " (none yet: submissions wait for workers to join)"
        if self.unsafe:
            missing = sorted({m for r in self.reports.values() for m in r["missing"]})
            return f"{line}; {unsafe_warning(missing).strip()}"
        kinds = sorted({r["describe"] for r in self.reports.values()})
        return "; ".join([line, *kinds])

    def _payload(self, submission: Submission) -> Payload:
        path = submission.path.resolve()
        shared = self.options.shared_dir
        if shared is not None and path.is_relative_to(shared.resolve()):
            return Payload(submission.student, path.name, path=str(path))
        return Payload(submission.student, path.name, content=path.read_bytes())

    def grade(self, todo: list[Submission]) -> Iterator[Outcome]:
        """Grade ``todo`` on the cluster; yield each outcome as it arrives.

        No more submissions are on the cluster than its workers have threads: Dask counts a
        worker's death against every task assigned to it, started or not, so a submission
        waiting behind another on a worker could be failed for its neighbour's faults."""
        waiting: list[Submission] = []
        for submission in todo:
            reason = missing_file(submission, self.assignment)
            if reason:  # nothing to send: the same result a worker would give
                yield submission, all_zero(self.assignment, reason), []
            else:
                waiting.append(submission)
        waiting.reverse()
        batch = f"grade-{uuid.uuid4().hex[:8]}"  # one Dask task group per batch
        finished: queue.SimpleQueue = queue.SimpleQueue()
        sent: dict[Any, tuple[Any, Submission]] = {}
        try:
            while waiting or sent:
                free = sum(self.client.nthreads().values()) - len(sent)
                while waiting and free > 0:
                    submission = waiting.pop()
                    try:
                        payload = self._payload(submission)
                    except OSError as exc:  # unreadable here: as a local batch would say
                        yield submission, grader_fault(self.assignment, str(exc)), []
                        continue
                    future = self.client.submit(
                        grade_remote,
                        payload,
                        self.assignment_doc,
                        self.unsafe,
                        key=(batch, submission.student),
                        pure=False,
                    )
                    sent[future.key] = (future, submission)
                    future.add_done_callback(finished.put)
                    free -= 1
                try:
                    future = finished.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    continue  # workers may have joined or left: look again
                _, submission = sent.pop(future.key)
                yield self._outcome(submission, future)
                future.release()
        finally:
            if sent:
                self.client.cancel([future for future, _ in sent.values()])

    def _outcome(self, submission: Submission, future: Any) -> Outcome:
        from distributed import KilledWorker

        try:
            reply = future.result()
        except KilledWorker as exc:
            return (
                submission,
                all_zero(self.assignment, killed_reason(exc.allowed_failures + 1)),
                [],
            )
        except GraderError:
            raise
        except (Exception, asyncio.CancelledError) as exc:  # the cluster, not the submission
            raise GraderError(
                f"the Dask cluster could not grade {submission.student} "
                f"({type(exc).__name__}: {exc}); run the same command again to resume"
            ) from None
        if reply["grader"] != self.grader:
            raise GraderError(_other_version(reply["worker"]))
        return submission, reply["results"], reply["missing"]

    def close(self) -> None:
        """Disconnect from the scheduler (the cluster keeps running)."""
        self.client.close()


def _other_version(address: str) -> str:
    return (
        f"Dask worker {address} runs a different version of the grader than this client: "
        "install the same c1w2-autograder on every worker"
    )
