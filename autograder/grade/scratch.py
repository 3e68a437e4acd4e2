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

PREFIX = "autograder-grade-"
_NAME = re.compile(rf"{re.escape(PREFIX)}(\d+)-\w+")  # then the pid, then mkdtemp's letters


def make_scratch(directory: str | Path | None = None) -> Path:
    """A new, private scratch folder for this grader in ``directory`` (the temporary one)."""
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=directory))


def remove_stale_scratch(directory: str | Path | None = None) -> list[Path]:
    """Remove the scratch folders in ``directory`` of this user's graders that are no longer
    running; return them. A link, another user's folder or one of a live pid is left alone."""
    removed = []
    for path in Path(directory or tempfile.gettempdir()).glob(f"{PREFIX}*"):
        match = _NAME.fullmatch(path.name)
        if match is None or Path(f"/proc/{match.group(1)}").exists():
            continue
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
