"""Resource limits for a submission's processes: a cgroup (v2 or v1) and rlimits.

The cgroup caps memory (so a memory bomb meets our limit, not the machine's OOM killer) and the
number of processes (a fork bomb meets pids.max). rlimits add what cgroups do not: no core
dumps, a cap on file size and open files, and CPU time.
"""

from __future__ import annotations

import os
import resource
import signal
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
PREFIX = "autograder-grader-"  # then the grader's pid, so a stale group is known by a dead pid
LEAF = "autograder-grader"  # where the grader moves itself in cgroup v2 (no pid: not stale)
FILE_SIZE_LIMIT = 512 * 1024 * 1024
OPEN_FILES_LIMIT = 4096


def _own_cgroup(controller: str) -> str:
    """This process's cgroup path for ``controller`` (v1) or the unified hierarchy (v2, '')."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            return path
    return ""


@dataclass
class Cgroup:
    """One submission's cgroup: memory and process limits, removed by ``close``."""

    directories: list[Path]
    version: int

    @classmethod
    def create(cls, memory_mb: int, processes: int) -> Cgroup | None:
        """A fresh cgroup with the limits, or None where the host gives us none."""
        name = f"{PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}"
        try:
            if (CGROUP_ROOT / "cgroup.controllers").exists():
                return cls._create_v2(name, memory_mb, processes)
            return cls._create_v1(name, memory_mb, processes)
        except OSError:
            return None

    @classmethod
    def _create_v2(cls, name: str, memory_mb: int, processes: int) -> Cgroup:
        parent = _delegated_v2_parent()
        directory = parent / name
        directory.mkdir()
        (directory / "memory.max").write_text(str(memory_mb * 1024 * 1024))
        (directory / "memory.swap.max").write_text("0")
        (directory / "pids.max").write_text(str(processes))
        return cls([directory], 2)

    @classmethod
    def _create_v1(cls, name: str, memory_mb: int, processes: int) -> Cgroup:
        memory = CGROUP_ROOT / "memory" / _own_cgroup("memory").lstrip("/") / name
        pids = CGROUP_ROOT / "pids" / _own_cgroup("pids").lstrip("/") / name
        memory.mkdir()
        try:
            (memory / "memory.limit_in_bytes").write_text(str(memory_mb * 1024 * 1024))
            swap = memory / "memory.memsw.limit_in_bytes"
            if swap.exists():
                swap.write_text(str(memory_mb * 1024 * 1024))
            pids.mkdir()
            (pids / "pids.max").write_text(str(processes))
        except OSError:
            memory.rmdir()
            raise
        return cls([memory, pids], 1)

    def enter(self) -> None:
        """Move the calling process into this cgroup (run in the child before exec)."""
        self.add(os.getpid())

    def add(self, pid: int) -> None:
        """Move process ``pid`` (and so all it starts from now on) into this cgroup."""
        for directory in self.directories:
            (directory / "cgroup.procs").write_text(str(pid))

    def pids(self) -> set[int]:
        """The processes in this cgroup now."""
        found: set[int] = set()
        for directory in self.directories:
            try:
                found |= {int(p) for p in (directory / "cgroup.procs").read_text().split()}
            except (OSError, ValueError):
                continue
        return found

    def hit_memory_limit(self) -> bool:
        """Whether the kernel had to stop the group at its memory limit."""
        try:
            if self.version == 2:
                events = (self.directories[0] / "memory.events").read_text()
                return any(
                    line.split()[0] in ("oom", "oom_kill") and int(line.split()[1]) > 0
                    for line in events.splitlines()
                )
            control = (self.directories[0] / "memory.oom_control").read_text()
            kills = [
                line.split()[1] for line in control.splitlines() if line.startswith("oom_kill ")
            ]
            failed = int((self.directories[0] / "memory.failcnt").read_text())
            return failed > 0 or any(int(k) > 0 for k in kills)
        except (OSError, ValueError, IndexError):
            return False

    def kill_all(self) -> None:
        """SIGKILL every process still in the group, until it is empty."""
        for _ in range(50):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.02)

    def close(self) -> None:
        """Remove the cgroup (its processes are gone by then)."""
        for directory in self.directories:
            try:
                directory.rmdir()
            except OSError:
                pass


def _delegated_v2_parent() -> Path:
    """Our cgroup v2, with memory and pids enabled for children.

    cgroup v2 forbids enabling controllers for children of a group that holds processes, so
    the grader first moves itself into a leaf of its own group.
    """
    parent = CGROUP_ROOT / _own_cgroup("").lstrip("/")
    control = parent / "cgroup.subtree_control"
    try:
        control.write_text("+memory +pids")
    except OSError:
        leaf = parent / LEAF
        leaf.mkdir(exist_ok=True)
        (leaf / "cgroup.procs").write_text(str(os.getpid()))
        control.write_text("+memory +pids")
    return parent


def remove_stale() -> None:
    """Remove the cgroups of graders that are no longer running (killed mid-batch)."""
    parents = [CGROUP_ROOT / _own_cgroup("").lstrip("/")]
    parents += [CGROUP_ROOT / c / _own_cgroup(c).lstrip("/") for c in ("memory", "pids")]
    for directory in [d for parent in parents for d in parent.glob(f"{PREFIX}*")]:
        owner = directory.name.removeprefix(PREFIX).split("-")[0]
        if not owner.isdigit() or Path(f"/proc/{owner}").exists():
            continue
        group = Cgroup([directory], 1)
        group.kill_all()
        group.close()


def apply_rlimits(cpu_seconds: int) -> None:
    """rlimits for the child (run before exec): no cores, bounded files and CPU time."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
    resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES_LIMIT, OPEN_FILES_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
