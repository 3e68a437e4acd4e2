"""Touching what a submission could have planted in its scratch folder, safely.

Anything in there may be a link, a directory, a named pipe or a huge file: it is read only if
it is a regular file of sane size, never followed, never waited on. The runner clears and reads
with it, the judges read what a probe wrote with it: it imports neither.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path


def read_regular(path: Path, max_bytes: int) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes``, else None."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(descriptor, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks) if size <= max_bytes else None
    except OSError:
        return None
    finally:
        os.close(descriptor)


def clear(path: Path) -> None:
    """Remove whatever is at ``path`` (file, link, pipe, directory tree); never follow links."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass


def is_regular(path: Path) -> bool:
    """Whether ``path`` is a regular file (a link, even to one, is not)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
