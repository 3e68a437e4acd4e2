"""The grader's scratch folder, and those a killed grader left behind.

A batch's scratch folder (staging, warm workers, one folder per submission) is removed when the
batch ends; a grader killed with ``kill -9`` cannot do that. Each folder is named for the
grader's pid, so the next run can tell a dead grader's folder from a running one's and remove
it, as ``autograder.run.limits.remove_stale`` does for cgroups.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

import psutil

PREFIX = "autograder-grade-"
_NAME = re.compile(rf"{re.escape(PREFIX)}(\d+)-\w+")  # then the pid, then mkdtemp's letters


def running(pid: int, started: float | None = None) -> bool:
    """Whether process ``pid`` is alive and, when ``started`` (its start time, seconds since
    the epoch, as psutil reports it) is given, is still the same process: a pid the system
    gave again to another process after the first one ended is not running."""
    try:
        process = psutil.Process(pid)
        if started is not None and abs(process.create_time() - started) > 0.05:
            return False
        return process.status() != psutil.STATUS_ZOMBIE  # killed, not yet reaped: ended
    except psutil.AccessDenied:  # another user's: it exists, and may be the one
        return True
    except (psutil.NoSuchProcess, ValueError):
        return False


def started_at(pid: int) -> float:
    """When process ``pid`` started (seconds since the epoch), as ``running`` compares it."""
    return float(psutil.Process(pid).create_time())


def make_scratch(directory: str | Path | None = None) -> Path:
    """A new, private scratch folder for this grader in ``directory`` (the temporary one)."""
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=directory))


def remove_stale_scratch(directory: str | Path | None = None) -> list[Path]:
    """Remove the scratch folders in ``directory`` of this user's graders that are no longer
    running; return them. A link, another user's folder or one of a live pid is left alone."""
    removed = []
    for path in Path(directory or tempfile.gettempdir()).glob(f"{PREFIX}*"):
        match = _NAME.fullmatch(path.name)
        if match is None or running(int(match.group(1))):
            continue
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
