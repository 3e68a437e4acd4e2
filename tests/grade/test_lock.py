"""One grader per output folder: a second process refuses, waits, or takes over a stale lock.

The first grader is a real second process holding the lock (no mock of the lock)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from autograder.cli import cli
from autograder.errors import GraderError
from autograder.grade.lock import HOLDER_FILE, Holder, output_lock, read_holder
from autograder.grade.scratch import started_at
from tests.conftest import ROOT, SOLUTION_MODULE

# Holds the folder argv[1] until its standard input closes; with "fork", a forked child keeps
# the lock's file open (as a killed grader's warm workers would) and sleeps. It imports the lock
# module alone, without the grade package's __init__ (which imports the whole grader: seconds).
HOLDER = """
import os, sys, time, types
from pathlib import Path
package = types.ModuleType("autograder.grade")
package.__path__ = [os.path.join("autograder", "grade")]
sys.modules["autograder.grade"] = package
from autograder.grade.lock import output_lock
with output_lock(Path(sys.argv[1])):
    if sys.argv[2:] == ["fork"] and os.fork() == 0:
        time.sleep(60)
        os._exit(0)
    print("held", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A process holding ``tmp_path/out`` until its stdin closes."""
    process = _hold(tmp_path / "out")
    yield process
    process.stdin.close()  # type: ignore[union-attr]
    process.wait(timeout=30)


def _hold(out: Path, *extra: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out), *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout.readline() == "held\n"  # type: ignore[union-attr]
    return process


def test_the_running_grader_is_recorded_and_its_record_removed_after(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with output_lock(out) as me:
        assert read_holder(out) == me == Holder(pid=os.getpid(), started=started_at(os.getpid()))
    assert not (out / HOLDER_FILE).exists()
    with output_lock(out):  # free again, for the next run
        pass


def test_a_second_grade_refuses_naming_the_running_one(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["grade", "c1w2", str(SOLUTION_MODULE), "--out", str(out)])
    started = Holder(pid=holder.pid, started=started_at(holder.pid)).started_text
    assert result.exit_code == 1
    line = result.output.strip().splitlines()[-1]
    assert line == (
        f"Error: {out} is being graded by process {holder.pid} started {started}: wait for it "
        "to finish, add --wait, or give another --out"
    )
    assert not (out / "grades.csv").exists()  # nothing was graded
    assert read_holder(out).pid == holder.pid  # and the running one's record is untouched


def test_with_wait_the_second_waits_for_the_first(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    out = tmp_path / "out"
    told: list[str] = []
    first = Holder(pid=holder.pid, started=started_at(holder.pid))
    threading.Timer(1.0, holder.stdin.close).start()  # type: ignore[union-attr]
    began = time.monotonic()
    with output_lock(out, wait=True, on_wait=told.append) as me:
        waited = time.monotonic() - began
        assert read_holder(out) == me
    assert waited >= 0.9
    assert told == [f"{out} is being graded by process {first.pid} started {first.started_text}"]


def test_a_killed_graders_lock_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = _hold(out)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert read_holder(out).pid == process.pid  # its record stayed behind
    stale: list[Holder] = []
    with output_lock(out, on_stale=stale.append) as me:
        assert read_holder(out) == me
    assert [h.pid for h in stale] == [process.pid]


def test_a_lock_kept_by_a_killed_graders_child_is_stale(tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = _hold(out, "fork")
    recorded = read_holder(out)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    stale: list[Holder] = []
    try:
        with output_lock(out, on_stale=stale.append) as me:
            assert read_holder(out) == me
        assert stale == [recorded]
    finally:
        _kill_holders_of(out)


def test_a_pid_given_to_another_process_is_not_the_grader(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    out = tmp_path / "out"
    # The record names the live holder's pid with another start time: a reused pid.
    record = {"pid": holder.pid, "started": started_at(holder.pid) - 3600}
    (out / HOLDER_FILE).write_text(json.dumps(record))
    assert not Holder(**record).alive()
    assert Holder(pid=holder.pid, started=started_at(holder.pid)).alive()
    stale: list[Holder] = []
    with output_lock(out, on_stale=stale.append):
        pass
    assert stale == [Holder(**record)]


def test_an_unwritable_folder_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(GraderError, match=r"^cannot write to .*file/out: "):
        with output_lock(blocker / "out"):
            pass


def _kill_holders_of(out: Path) -> None:
    """Kill the forked child still holding ``out`` (it was started by this test)."""
    import psutil

    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if HOLDER in cmdline and str(out) in cmdline:
            process.kill()
