"""Grading a class on a Dask cluster (``autograder grade ... --scheduler tcp://HOST:PORT``).

``client`` runs in the ``autograder`` process: the command hands its backend
(``client.on_cluster``) to ``autograder.grade``, which records every result exactly as a local
batch does. ``task`` runs on each Dask worker: it stages the batch once per worker process and
grades in the same sandbox as local grading. Importing this package does not import Dask.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ClusterOptions:
    """Where the Dask scheduler is, and how submissions reach the workers."""

    scheduler: str  # tcp://HOST:PORT
    shared_dir: Path | None = None  # a folder the workers see at the same path: read, not sent
    connect_timeout: float = 10.0  # seconds to reach the scheduler
