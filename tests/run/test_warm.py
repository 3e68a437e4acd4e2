"""Warm workers: runs forked from one warm worker cannot reach each other or the worker, give the
same verdicts as cold processes, and a warm worker that dies is replaced."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
from pathlib import Path

import pytest

from autograder import grade
from autograder.config import load_course
from autograder.grade.staging import stage
from autograder.run.limits import Cgroup
from autograder.run.sandbox import SANDBOX_SCRATCH, Sandbox
from autograder.run.supervisor import worker_env
from autograder.run.warm import WarmError, WarmPool, WarmWorker
from tests.conftest import SOLUTION_MODULE, feedback, scores, without_training, write_class

pytestmark = pytest.mark.slow

# A submission that looks for every trace an earlier run, or the warm worker, could leave or
# expose, and that leaves such traces itself (a file in /tmp and /dev/shm, a daemon that keeps
# planting files). count_params is right only where it found none of them.
SNOOP = """
import os
import time


def _traces():
    found = []
    for path in ("/tmp/planted", "/dev/shm/planted", "/scratch/planted"):
        if os.path.exists(path):
            found.append(f"{path} is there")
    for pid in [name for name in os.listdir("/proc") if name.isdigit()]:
        try:
            with open(f"/proc/{pid}/status") as status:
                nspid = [line.split()[1:] for line in status if line.startswith("NSpid:")]
        except OSError:
            continue
        if nspid and len(nspid[0]) > 1:
            continue  # in this run's own pid namespace: itself and its children
        for what in ("fd/0", "fd/1", "environ", "mem"):
            try:
                with open(f"/proc/{pid}/{what}", "rb"):
                    found.append(f"opened /proc/{pid}/{what}")
            except OSError:
                pass
    if os.path.isdir("/jobs") and os.listdir("/jobs"):
        found.append(f"/jobs holds {os.listdir('/jobs')}")
    with open("/proc/self/status") as status:
        caps = [line.split()[1] for line in status if line.startswith("CapEff:")]
    if caps != ["0000000000000000"]:
        found.append(f"capabilities {caps}")
    return found


_FOUND_AT_IMPORT = _traces()
for _path in ("/tmp/planted", "/dev/shm/planted"):
    with open(_path, "w") as _handle:
        _handle.write("x")
if os.fork() == 0:  # a daemon that outlives the run if it can, planting files for the next
    os.setsid()
    for _ in range(200):
        for _path in ("/tmp/planted", "/scratch/planted"):
            try:
                with open(_path, "w") as _handle:
                    _handle.write("x")
            except OSError:
                pass
        time.sleep(0.05)
    os._exit(0)


def count_params(hidden_units):
    found = _FOUND_AT_IMPORT + [t for t in _traces() if "planted" not in t]
    if found:
        raise ValueError(f"traces: {found}")
    return 795 * hidden_units + 10
"""


def _graded(tmp: Path, members: dict, jobs: int = 1, **options) -> dict[str, dict]:
    root = write_class(tmp / "class", members)
    graded = grade.main("c1w2", [root], tmp / "out", jobs=jobs, **options)
    return {g.submission.student: g.results for g in graded}


def test_runs_cannot_reach_each_other_or_the_warm_worker(tmp_path: Path) -> None:
    results = _graded(tmp_path, {"a_first": SNOOP, "b_second": SNOOP})
    for student in ("a_first", "b_second"):
        assert scores(results[student])["count_params"] == 2, feedback(
            results[student], "count_params"
        )


def test_the_snoop_does_find_traces_where_there_is_no_separation(tmp_path: Path) -> None:
    """The other side: without the sandbox, runs share /tmp and can open the grader's files."""
    daemon = SNOOP[SNOOP.index("if os.fork() == 0:") : SNOOP.index("def count_params")]
    snoop = SNOOP.replace(daemon, "")  # no daemon on the host
    try:
        results = _graded(tmp_path, {"a_first": snoop, "b_second": snoop}, unsafe_no_sandbox=True)
    finally:
        for path in ("/tmp/planted", "/dev/shm/planted"):
            Path(path).unlink(missing_ok=True)
    for student in ("a_first", "b_second"):
        assert scores(results[student])["count_params"] == 0, student
    # a_first's own other lane may already have planted its files: the /proc traces are there.
    assert "opened /proc/" in feedback(results["a_first"], "count_params")
    assert "/tmp/planted is there" in feedback(results["b_second"], "count_params")


def test_warm_and_cold_runs_give_the_same_results(tmp_path: Path) -> None:
    cheap = without_training(SOLUTION_MODULE.read_text())
    broken = cheap.replace("    return images / 255.0\n", "    return images / 256.0\n")
    assert broken != cheap
    members = {"cheap": cheap, "broken": broken}
    warm = _graded(tmp_path / "warm", members, jobs=2, warm=True)
    cold = _graded(tmp_path / "cold", members, jobs=2, warm=False)
    for student in members:
        assert json.dumps(warm[student]["tests"]) == json.dumps(cold[student]["tests"]), student
    assert scores(warm["cheap"])["normalize"] == 10
    assert scores(warm["broken"])["normalize"] < 10


def _pool(tmp_path: Path) -> WarmPool:
    """A pool of one warm worker, staged for the course's assignment."""
    assignment = load_course().assignment("c1w2")
    sandbox = Sandbox()
    staging, _ = stage(assignment, tmp_path / "staging", sandbox)
    env = worker_env({"scratch": SANDBOX_SCRATCH}, 1)
    return WarmPool(1, tmp_path / "warm", (staging.lib, staging.inputs, sandbox), env, 4096)


def test_a_dead_warm_worker_is_replaced(tmp_path: Path) -> None:
    pool = _pool(tmp_path)
    try:
        with pool.lease() as first:
            assert first is not None and first.alive and first.ready
            os.killpg(first.process.pid, signal.SIGKILL)
            first.process.wait()
        # The replacement is started by whichever thread leases it: a submission's lane thread,
        # which ends with the submission. bubblewrap's --die-with-parent signals a process when
        # the thread that started it ends, so the pool must start it from a thread of its own.
        leased: list = []
        lane = threading.Thread(target=lambda: leased.append(_lease_once(pool)))
        lane.start()
        lane.join()
        second = leased[0]
        assert second is not None and second is not first and second.ready
        with pytest.raises(subprocess.TimeoutExpired):
            second.process.wait(timeout=3)
        with pool.lease() as again:
            assert again is second and again.alive
        second_pids = second.cgroup.pids()
        assert second.process.pid in second_pids
    finally:
        pool.close()
    assert first.process.poll() is not None and second.process.poll() is not None
    assert not [pid for pid in second_pids if _running(pid)]


def test_a_warm_worker_that_does_not_answer_in_time_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its answer could still come, and would then be read as the answer to the next command.
    monkeypatch.setattr("autograder.run.warm.REPLY_SECONDS", 1)
    pool = _pool(tmp_path)
    try:
        with pool.lease() as slow:
            assert slow is not None and slow.ready
            for pid in slow.cgroup.pids():
                os.kill(pid, signal.SIGSTOP)
            run_cgroup = Cgroup.create(512, 16)
            assert run_cgroup is not None
            try:
                with pytest.raises(WarmError):
                    slow.begin(10, run_cgroup)
            finally:
                run_cgroup.close()
            assert not slow.alive
        with pool.lease() as fresh:
            assert fresh is not None and fresh is not slow and fresh.alive and fresh.ready
    finally:
        pool.close()


def _lease_once(pool: WarmPool) -> WarmWorker | None:
    """Lease a worker and give it back, as one submission's lane does."""
    with pool.lease() as worker:
        return worker


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (not gone, not a zombie waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False
