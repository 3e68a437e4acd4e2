"""Warm workers: sandboxed processes that have imported TensorFlow and loaded the data once,
and fork a fresh, separately confined run for each submission (see ``zygote`` and ``nested``).

The grader side of the protocol. Each warm worker has a jobs folder; a submission's folder is
moved into it for its runs and moved back for judging. Every run is moved into its own cgroup
(the submission's memory and process limits) before it is let go, and is killed through that
cgroup, so nothing of one submission outlives it or reaches the next.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from autograder.data import copy_cache_into
from autograder.run.limits import Cgroup, apply_rlimits
from autograder.run.sandbox import SANDBOX_LIB, Sandbox, python_paths

READY_SECONDS = 180  # importing TensorFlow on a busy machine
REPLY_SECONDS = 10
WARM_MEMORY_MB = 2048  # the warm worker itself: TensorFlow and the data set, shared by its runs
WARM_PROCESSES = 64
RUN_DIR = "run"


class WarmError(Exception):
    """A warm worker is not usable; the caller falls back to a cold process."""


@dataclass
class WarmWorker:
    """One warm worker process and its jobs folder."""

    jobs: Path
    process: subprocess.Popen
    cgroup: Cgroup
    replies: queue.Queue = field(default_factory=queue.Queue)
    ready: bool = False

    @classmethod
    def start(
        cls, jobs: Path, lib: Path, inputs: Path, sandbox: Sandbox, env: dict, output_limit: int
    ) -> WarmWorker:
        """Start a warm worker (returns at once; ``wait_ready`` waits for its imports)."""
        jobs.mkdir(parents=True, exist_ok=True)
        copy_cache_into(jobs / ".keras")
        config = {
            "sys_path": [SANDBOX_LIB, *sys.path[1:]],
            "output_limit": output_limit,
            "keep_under_tmp": [p for p in python_paths() if Path(p).is_relative_to("/tmp")],
        }
        (jobs / "zygote.json").write_text(json.dumps(config))
        cgroup = Cgroup.create(WARM_MEMORY_MB, WARM_PROCESSES)
        if cgroup is None:
            raise WarmError("its cgroup could not be created")
        command = [sys.executable, "-S", "-E", "-B", f"{SANDBOX_LIB}/autograder/run/zygote.py"]
        command.append("/jobs/zygote.json")

        def prepare() -> None:
            cgroup.enter()
            apply_rlimits(10**7)  # a run sets its own CPU limit; the warm worker idles

        process = subprocess.Popen(
            sandbox.wrap_warm(command, jobs, lib, inputs),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=(jobs / "warm.log").open("wb"),
            start_new_session=True,
            preexec_fn=prepare,
            env=env,
            cwd=jobs,
        )
        worker = cls(jobs, process, cgroup)
        threading.Thread(target=worker._read_replies, daemon=True).start()
        return worker

    def _read_replies(self) -> None:
        assert self.process.stdout is not None  # started with stdout=PIPE
        for line in self.process.stdout:
            try:
                self.replies.put(json.loads(line))
            except ValueError:
                break
        self.replies.put(None)

    def _reply(self, timeout: float) -> dict:
        try:
            reply = self.replies.get(timeout=timeout)
        except queue.Empty:
            reply = None
        if not isinstance(reply, dict):
            raise WarmError("the warm worker stopped answering")
        return reply

    def _send(self, message: dict) -> None:
        assert self.process.stdin is not None  # started with stdin=PIPE
        try:
            self.process.stdin.write((json.dumps(message) + "\n").encode())
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise WarmError(f"the warm worker is gone ({exc})") from None

    def wait_ready(self) -> None:
        """Block until the worker has warmed up; WarmError if it died or took too long."""
        if not self.ready and not self._reply(READY_SECONDS).get("ready"):
            raise WarmError("the warm worker did not start")
        self.ready = True

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def begin(self, cpu_seconds: int, run_cgroup: Cgroup) -> WarmRun:
        """Fork a run of the job in ``jobs/run``, move it into ``run_cgroup``, let it go.

        WarmError: not started, and this worker is stopped, since a reply that comes late would
        answer the next command (the pool starts a fresh worker at its next lease).
        """
        try:
            return self._begin(cpu_seconds, run_cgroup)
        except WarmError:
            self.stop()
            raise

    def _begin(self, cpu_seconds: int, run_cgroup: Cgroup) -> WarmRun:
        self._send({"run": RUN_DIR, "cpu": cpu_seconds})
        pid = self._reply(REPLY_SECONDS).get("pid")
        host_pid = self._host_pid(pid) if isinstance(pid, int) else None
        if host_pid is None:
            self._send({"go": False})
            self._reply(REPLY_SECONDS)
            raise WarmError("the forked run could not be found")
        run_cgroup.add(host_pid)
        self._send({"go": True})
        return WarmRun(self, run_cgroup)

    def _host_pid(self, inner: int) -> int | None:
        """The host pid of the warm worker's child ``inner`` (its pid inside the sandbox)."""
        for pid in self.cgroup.pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("NSpid:") and line.split()[-1] == str(inner):
                    if len(line.split()) > 2:  # in a nested pid namespace: the sandbox's
                        return pid
        return None

    def stop(self) -> None:
        """Stop the warm worker and everything it started; remove its cgroup."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.process.wait()
        if self.cgroup is not None:
            self.cgroup.kill_all()
            self.cgroup.close()


@dataclass
class WarmRun:
    """One run forked from a warm worker; it quacks like the ``Popen`` the supervisor watches."""

    worker: WarmWorker
    cgroup: Cgroup
    returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                reply = self.worker.replies.get_nowait()
            except queue.Empty:
                if not self.worker.alive:
                    self.returncode = -signal.SIGKILL
                return self.returncode
            exit_code = reply.get("exit") if isinstance(reply, dict) else None
            self.returncode = exit_code if isinstance(exit_code, int) else -signal.SIGKILL
        return self.returncode

    def kill(self) -> None:
        """Kill the run through its cgroup and wait for the warm worker to see it end."""
        self.cgroup.kill_all()
        if self.returncode is None:
            try:
                exit_code = self.worker._reply(REPLY_SECONDS).get("exit")
                self.returncode = exit_code if isinstance(exit_code, int) else -signal.SIGKILL
            except WarmError:
                self.returncode = -signal.SIGKILL
                self.worker.stop()


class WarmPool:
    """A warm worker per parallel job, restarted when one dies; leased one submission at a time.

    Every worker is started from the pool's own thread, which lives as long as the pool:
    bubblewrap's ``--die-with-parent`` kills a sandbox when the *thread* that started it ends,
    and the thread that leases a worker (a submission's lane) ends with its submission.
    """

    def __init__(
        self,
        size: int,
        root: Path,
        staging: tuple[Path, Path, Sandbox],
        env: dict[str, str],
        output_limit: int,
    ) -> None:
        self.root, (self.lib, self.inputs, self.sandbox) = root, staging
        self.env, self.output_limit = env, output_limit
        self.idle: queue.Queue[int] = queue.Queue()
        self.workers: dict[int, WarmWorker | None] = {}
        self.starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warm-start")
        for index in range(size):
            self.workers[index] = self._start(index)
            self.idle.put(index)

    def _start(self, index: int) -> WarmWorker | None:
        """Start worker ``index`` from the pool's thread (see the class docstring)."""
        started = self.starter.submit(
            WarmWorker.start,
            self.root / f"warm-{index}",
            self.lib,
            self.inputs,
            self.sandbox,
            self.env,
            self.output_limit,
        )
        try:
            return started.result()
        except (WarmError, OSError):
            return None

    @contextmanager
    def lease(self) -> Iterator[WarmWorker | None]:
        """A ready warm worker for one submission, or None (then it is graded cold)."""
        index = self.idle.get()
        worker = self.workers.get(index)
        try:
            if worker is None or not worker.alive:
                if worker is not None:
                    worker.stop()
                worker = self.workers[index] = self._start(index)
            if worker is not None:
                try:
                    worker.wait_ready()
                except WarmError:
                    worker.stop()
                    worker = self.workers[index] = None
            yield worker
        finally:
            self.idle.put(index)

    def close(self) -> None:
        """Stop every warm worker."""
        for worker in self.workers.values():
            if worker is not None:
                worker.stop()
        self.starter.shutdown()
