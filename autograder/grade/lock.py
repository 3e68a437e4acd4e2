"""One grader per output folder: ``OUT/.grading.lock`` and who holds it, ``OUT/.grading.json``.

Two ``autograder grade`` runs on one ``--out`` would both grade everything and write the same
files. The first takes an operating-system lock on ``.grading.lock`` (``filelock``) and writes
its process id and start time beside it; a second refuses in one line naming them, or waits
with ``--wait``. The system drops the lock of a grader that was killed, so the next run takes
the folder over; when the lock is still held although the process named in ``.grading.json``
has ended or its pid now belongs to another process (a killed grader's forked workers keep the
lock's file open), the lock is stale: it is set aside (the file unlinked) and taken anew.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout
from pydantic import BaseModel, ValidationError

from autograder.errors import GraderError
from autograder.grade.scratch import running, started_at

LOCK_FILE = ".grading.lock"
HOLDER_FILE = ".grading.json"
POLL_SECONDS = 0.5


class Holder(BaseModel):
    """The grader holding an output folder: its process id and start time."""

    pid: int
    started: float  # seconds since the epoch, psutil's create_time of ``pid``

    @property
    def started_text(self) -> str:
        """The start time in UTC, to the second, for messages."""
        moment = datetime.fromtimestamp(self.started, tz=timezone.utc)
        return moment.strftime("%Y-%m-%d %H:%M:%S UTC")

    def alive(self) -> bool:
        """Whether this very process still runs (not a later one that got its pid)."""
        return running(self.pid, self.started)


def read_holder(out_dir: Path) -> Holder | None:
    """Who ``out_dir``'s holder file names; None when it is absent or unreadable."""
    try:
        return Holder.model_validate_json((out_dir / HOLDER_FILE).read_text())
    except (OSError, ValidationError):
        return None


def busy_message(out_dir: Path, holder: Holder | None) -> str:
    """Who grades ``out_dir``: the process id and start time of the grader holding it."""
    who = (
        f"process {holder.pid} started {holder.started_text}"
        if holder is not None
        else "another process"
    )
    return f"{out_dir} is being graded by {who}"


REFUSAL_FIX = ": wait for it to finish, add --wait, or give another --out"


@contextmanager
def output_lock(
    out_dir: Path,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
    on_stale: Callable[[Holder], None] | None = None,
) -> Iterator[Holder]:
    """Hold ``out_dir`` for this process while the block runs (creating the folder).

    Refuses with a GraderError naming the running grader, or with ``wait`` waits for it
    (``on_wait`` is told once, with the same line). ``on_stale`` is told of a holder that has
    ended, whose folder this process took over."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GraderError(f"cannot write to {out_dir}: {exc.strerror}") from None
    told = False
    while True:
        lock = FileLock(out_dir / LOCK_FILE)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            holder = read_holder(out_dir)
            if holder is not None and not holder.alive():
                # The lock outlived its grader (its forked children keep it): set it aside.
                (out_dir / LOCK_FILE).unlink(missing_ok=True)
                if on_stale:
                    on_stale(holder)
                (out_dir / HOLDER_FILE).unlink(missing_ok=True)
                continue
            if not wait:
                raise GraderError(busy_message(out_dir, holder) + REFUSAL_FIX) from None
            if on_wait and not told:
                on_wait(busy_message(out_dir, holder))
                told = True
            time.sleep(POLL_SECONDS)
            continue
        except OSError as exc:
            raise GraderError(f"cannot lock {out_dir / LOCK_FILE}: {exc.strerror}") from None
        if not _same_file(lock, out_dir / LOCK_FILE):
            lock.release()  # another run set this file aside meanwhile: lock the new one
            continue
        break
    try:
        previous = read_holder(out_dir)
        if previous is not None and previous.pid != os.getpid() and on_stale:
            on_stale(previous)  # the system dropped a killed grader's lock; its record stayed
        me = Holder(pid=os.getpid(), started=started_at(os.getpid()))
        (out_dir / HOLDER_FILE).write_text(json.dumps(me.model_dump()) + "\n")
        yield me
    finally:
        (out_dir / HOLDER_FILE).unlink(missing_ok=True)
        lock.release()


def _same_file(lock: FileLock, path: Path) -> bool:
    """Whether the file ``lock`` holds is still the one at ``path`` (not one set aside)."""
    descriptor = lock.lock_file_fd if hasattr(lock, "lock_file_fd") else None
    if descriptor is None:
        descriptor = getattr(getattr(lock, "_context", None), "lock_file_fd", None)
    if descriptor is None:
        return True
    try:
        mine, there = os.fstat(descriptor), os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)
