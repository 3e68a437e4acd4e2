"""A real Dask cluster on loopback for tests and the benchmark: ``dask scheduler`` and
``dask worker`` processes (each worker under its nanny, which restarts it if it dies).

The scheduler gives a submission up after ``allowed_failures`` worker deaths and sends each
1-thread worker one task at a time (``worker-saturation`` 1.0), as the README advises.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
DASK = [sys.executable, "-m", "dask"]


@dataclass
class LocalCluster:
    """The processes of a running cluster; ``address`` is the scheduler's."""

    address: str
    folder: Path
    processes: list[subprocess.Popen] = field(default_factory=list)  # scheduler, nannies

    @property
    def nanny_pids(self) -> set[int]:
        return {p.pid for p in self.processes[1:]}

    def worker_of(self, process: psutil.Process) -> psutil.Process | None:
        """The Dask worker process (a nanny's child) that ``process`` descends from."""
        for ancestor in [process, *process.parents()]:
            if ancestor.ppid() in self.nanny_pids:
                return ancestor
        return None

    def sandboxes(self) -> list[tuple[psutil.Process, Path]]:
        """The outer bwrap process of each submission being graded on this cluster, with the
        folder its submission is read from: a cold run's own sandbox, or a warm worker whose
        jobs folder holds a submission's run at the moment."""
        found = []
        for process in psutil.process_iter(["name", "cmdline"]):
            args = process.info["cmdline"] or []
            if process.info["name"] != "bwrap":
                continue
            if "/jobs" in args:  # a warm worker (checked first: it has a /submission too)
                folder = Path(args[args.index("/jobs") - 1]) / "run" / "submission"
                if not folder.is_dir():
                    continue  # between submissions
            elif "/submission" in args:
                folder = Path(args[args.index("/submission") - 1])
            else:
                continue
            try:
                if psutil.Process(process.ppid()).name() == "bwrap":
                    continue  # bwrap's own child
                if self.worker_of(process) is None:
                    continue  # another grader on this machine
            except psutil.Error:
                continue
            found.append((process, folder))
        return found

    def stop(self) -> None:
        """End every process of the cluster (and what they started)."""
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in reversed(self.processes):
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def environment(**extra: str) -> dict[str, str]:
    """This repository first on the path, quiet TensorFlow, plus ``extra``."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return dict(os.environ, PYTHONPATH=path, TF_CPP_MIN_LOG_LEVEL="3", **extra)


def start(
    folder: Path,
    workers: int = 2,
    threads: int = 1,
    allowed_failures: int = 1,
    worker_env: dict[str, str] | None = None,
    timeout: float = 120,
) -> LocalCluster:
    """Start a scheduler and ``workers`` workers on 127.0.0.1; return once all have joined."""
    from distributed import Client

    folder.mkdir(parents=True, exist_ok=True)
    scheduler_file = folder / "scheduler.json"
    env = environment(
        DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=str(allowed_failures),
        DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION="1.0",
    )
    loopback = ["--host", "127.0.0.1", "--dashboard-address", "127.0.0.1:0"]
    scheduler = _spawn(
        [*DASK, "scheduler", "--port", "0", "--scheduler-file", str(scheduler_file), *loopback],
        env,
        folder / "scheduler.log",
    )
    cluster = LocalCluster("", folder, [scheduler])
    try:
        deadline = time.monotonic() + timeout
        while not scheduler_file.exists():
            if scheduler.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((folder / "scheduler.log").read_text()[-2000:])
            time.sleep(0.2)
        time.sleep(0.2)  # the file is written whole, but be sure it is closed
        import json

        cluster.address = json.loads(scheduler_file.read_text())["address"]
        for index in range(workers):
            command = [*DASK, "worker", cluster.address, "--nthreads", str(threads), *loopback]
            cluster.processes.append(
                _spawn(command, {**env, **(worker_env or {})}, folder / f"worker-{index}.log")
            )
        with Client(cluster.address, timeout=timeout, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=timeout)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as stream:
        return subprocess.Popen(
            command, env=env, stdout=stream, stderr=subprocess.STDOUT, start_new_session=True
        )
