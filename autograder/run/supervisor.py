"""Run one submission's probes in the sandbox, exercise by exercise, under time limits.

If an exercise hangs past its limit, or its process dies (a crash, the memory limit,
``os._exit``), that exercise gets a note saying so and a fresh process carries on with the
rest. Only files the worker writes are read back, as plain JSON.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import Assignment
from autograder.outcome import Outcome
from autograder.run.limits import Cgroup, apply_rlimits
from autograder.run.sandbox import Sandbox
from autograder.run.warm import RUN_DIR, WarmError, WarmPool, WarmRun, WarmWorker
from autograder.untrusted_files import clear, is_regular, read_regular

MAX_JSON_BYTES = 4 * 1024 * 1024
POLL_SECONDS = 0.05
DISK_CHECK_SECONDS = 0.5
START_ATTEMPTS = 3
BETWEEN_EXERCISES_SECONDS = 5  # from one result to the next exercise's start, at most
JOB_FILE = "job.json"
MAX_FILES_COUNTED = 20000


@dataclass
class Staging:
    """What every submission of a batch shares: probe code, reference inputs, settings."""

    lib: Path
    inputs: Path
    settings: dict
    sandbox: Sandbox
    threads: int = 1  # TensorFlow threads per worker: cores / parallel jobs, no oversubscription
    pool: WarmPool | None = None  # warm workers; None: a cold process per run


@dataclass(frozen=True)
class Note:
    """Why an exercise has no result: what kind of stop it was, as data, and the words the
    student reads (after the exercise's name)."""

    outcome: Outcome
    text: str
    detail: str = ""  # e.g. which limit ran out, the signal that killed it

    def __str__(self) -> str:
        return self.text


SANDBOX_NOT_STARTED = "sandbox_not_started"  # the detail of the grader's own failure to start


@dataclass
class RunOutcome:
    """What came back from the sandbox for one submission."""

    data: dict[str, dict | None] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)
    load_error: dict | None = None
    output: str = ""
    seconds: float = 0.0


def _finished_in_order(scratch: Path, remaining: list[str]) -> list[str]:
    """The exercises the worker completed: it runs them in order, so only a leading run of
    results counts; a result for a later exercise was planted by the submission."""
    finished = []
    for exercise in remaining:
        if not is_regular(scratch / f"{exercise}.json"):
            break
        finished.append(exercise)
    return finished


def read_json(path: Path) -> dict | None:
    """A worker's JSON file, if it is a regular file of sane size (never a link or a pipe)."""
    raw = read_regular(path, MAX_JSON_BYTES)
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def disk_usage(folder: Path) -> float:
    """Bytes under ``folder`` (links not followed); past MAX_FILES_COUNTED files, infinity."""
    total, seen, stack = 0, 0, [folder]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_FILES_COUNTED:
                return float("inf")
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                else:
                    total += entry.stat(follow_symlinks=False).st_blocks * 512
            except OSError:
                continue
    return total


class _OutputTail(threading.Thread):
    """Keeps the first ``limit`` bytes of the child's output and drops the rest."""

    def __init__(self, stream, limit: int) -> None:
        super().__init__(daemon=True)
        self.stream, self.limit, self.kept = stream, limit, bytearray()

    def run(self) -> None:
        for chunk in iter(lambda: self.stream.read(65536), b""):
            room = self.limit - len(self.kept)
            if room > 0:
                self.kept += chunk[:room]


def _kill(process: subprocess.Popen) -> None:
    """Kill the worker's process group (bubblewrap then takes its whole sandbox down)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    process.wait()


def _death_reason(code: int | None, cgroup: Cgroup | None) -> Note:
    """Why a run that ended by itself ended: its memory limit, a signal, or its exit status."""
    code = code or 0  # reaped by the watch before it returned: a code is always there
    if cgroup is not None and cgroup.hit_memory_limit():
        return Note(
            Outcome.OUT_OF_MEMORY,
            "ran out of memory (the submission's memory limit) and was stopped",
        )
    number = -code if code < 0 else code - 128 if code > 128 else 0
    if number in signal.Signals._value2member_map_:  # bwrap reports a signal as 128 + n
        name = signal.Signals(number).name
        return Note(Outcome.CRASHED, f"crashed: its process was killed by {name}", name)
    return Note(
        Outcome.CRASHED,
        f"crashed: its process exited with status {code} before finishing",
        f"exit {code}",
    )


def run_submission(
    kind: str,
    payload: Path,
    scratch: Path,
    staging: Staging,
    assignment: Assignment,
    exercises: list[str] | None = None,
) -> RunOutcome:
    """Probe ``exercises`` (default: all of ``assignment``'s, in order) for one submission;
    never raises for its faults.

    ``scratch`` and the folder holding ``payload`` must share a parent. With warm workers, that
    parent is moved into a warm worker's jobs folder for the runs and moved back for judging.
    """
    work = scratch.parent
    laid_out = payload.parent == work / "submission" and scratch.name == "scratch"
    todo = list(exercises if exercises is not None else assignment.exercises)
    if staging.pool is None or not laid_out:
        return _run_all(kind, payload, scratch, staging, assignment, todo, None)
    with staging.pool.lease() as warm:
        if warm is None:
            return _run_all(kind, payload, scratch, staging, assignment, todo, None)
        moved = warm.jobs / RUN_DIR
        clear(moved)
        try:
            work.rename(moved)
        except OSError:  # another file system: this one runs cold
            return _run_all(kind, payload, scratch, staging, assignment, todo, None)
        try:
            inside = moved / payload.parent.name / payload.name
            return _run_all(kind, inside, moved / scratch.name, staging, assignment, todo, warm)
        finally:
            moved.rename(work)


def _run_all(
    kind: str,
    payload: Path,
    scratch: Path,
    staging: Staging,
    assignment: Assignment,
    remaining: list[str],
    warm: WarmWorker | None,
) -> RunOutcome:
    outcome = RunOutcome()
    started = time.monotonic()
    deadline = started + assignment.limits.submission_seconds
    scratch.mkdir(parents=True, exist_ok=True)
    paths = staging.sandbox.paths(scratch, staging.lib, staging.inputs, payload.parent)
    payload_inside = f"{paths['submission']}/{payload.name}"
    logs: list[str] = []
    retried_unstarted = False
    while remaining:
        job = {
            "kind": kind,
            "module": assignment.module,
            "submission": payload_inside,
            "exercises": remaining,
            "inputs_dir": paths["inputs"],
            "out_dir": paths["scratch"],
            "settings": staging.settings,
            "sys_path": [paths["lib"], *sys.path[1:]],
        }
        # The job goes beside the submission, read-only inside: never into the writable scratch.
        (payload.parent / JOB_FILE).write_text(json.dumps(job))
        code, stopped, tail = _run_worker(
            scratch, payload.parent, staging, assignment, remaining, deadline, paths, warm
        )
        logs.append(tail)
        load = read_json(scratch / "_load.json")
        if load is not None and outcome.load_error is None:
            outcome.load_error = load.get("error")
        finished = _finished_in_order(scratch, remaining)
        for exercise in finished:
            outcome.data[exercise] = read_json(scratch / f"{exercise}.json")
        remaining = remaining[len(finished) :]
        if not remaining:
            break
        why = stopped or code
        if why is None:  # one of the two is always there: the run ended before its results
            why = Note(Outcome.NO_RESULT, "ended before writing its result")
        if load is None:
            reason = (
                why
                if why.detail == SANDBOX_NOT_STARTED
                else Note(why.outcome, f"was not graded: loading the submission {why}", why.detail)
            )
            for exercise in remaining:
                outcome.notes[exercise] = reason
            break
        if kind == "module" and outcome.load_error:
            break
        if not is_regular(scratch / f"{remaining[0]}.started") and not retried_unstarted:
            retried_unstarted = True  # it died between exercises: give the next one a chance
            continue
        retried_unstarted = False
        outcome.notes[remaining[0]] = why
        remaining = remaining[1:]
        if time.monotonic() >= deadline:
            for exercise in remaining:
                outcome.notes[exercise] = Note(
                    Outcome.TIMED_OUT,
                    f"was not run: the submission used up its "
                    f"{assignment.limits.submission_seconds:g} s limit on earlier exercises",
                    "submission_seconds",
                )
            break
    outcome.output = "".join(logs)[-assignment.limits.output_kb * 1024 :]
    outcome.seconds = round(time.monotonic() - started, 2)
    return outcome


def _watch(
    process: subprocess.Popen | WarmRun,
    scratch: Path,
    assignment: Assignment,
    remaining: list[str],
    deadline: float,
) -> Note | None:
    """Wait for the worker; return why it had to be stopped, or None if it ended by itself.

    Clocks are the supervisor's own: when an exercise started is when its marker was first
    seen here, so a submission cannot buy time by touching files.
    """
    limits = assignment.limits
    began = time.monotonic()
    first_seen: dict[str, float] = {}
    next_disk_check = began + DISK_CHECK_SECONDS
    while process.poll() is None:
        time.sleep(POLL_SECONDS)
        now = time.monotonic()
        if now >= next_disk_check:
            next_disk_check = now + DISK_CHECK_SECONDS
            if disk_usage(scratch) > limits.disk_mb * 1024 * 1024:
                return Note(
                    Outcome.DISK_LIMIT,
                    f"stopped: wrote more than {limits.disk_mb} MB to disk (its disk limit)",
                )
        if now >= deadline:
            return Note(
                Outcome.TIMED_OUT,
                f"timed out: the submission's {limits.submission_seconds:g} s limit ran "
                "out during this exercise",
                "submission_seconds",
            )
        current = next((e for e in remaining if not (scratch / f"{e}.json").exists()), None)
        if current is not None and (scratch / f"{current}.started").exists():
            started = first_seen.setdefault(current, now)
            limit = assignment.time_limit(current)
            if now - started > limit:
                return Note(
                    Outcome.TIMED_OUT,
                    f"timed out: still running after its {limit:g} s limit",
                    "exercise_seconds",
                )
        elif first_seen:
            # Between two exercises, the last one's clock runs on until the next one starts: a
            # result file written early (by the submission) does not stop it.
            last = max(first_seen, key=first_seen.__getitem__)
            limit = assignment.time_limit(last)
            if now - first_seen[last] > limit + BETWEEN_EXERCISES_SECONDS:
                return Note(
                    Outcome.TIMED_OUT,
                    f"timed out: still running after its {limit:g} s limit",
                    "exercise_seconds",
                )
        elif now - began > limits.exercise_seconds + 30:
            return Note(
                Outcome.TIMED_OUT,
                f"timed out: loading the submission took over {limits.exercise_seconds + 30:g} s",
                "loading",
            )
    return None


def worker_env(paths: dict[str, str], threads: int) -> dict[str, str]:
    """The whole environment a worker starts with: nothing of the grader's leaks in."""
    return {
        "PATH": "/usr/bin:/bin",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "TF_ENABLE_ONEDNN_OPTS": "0",  # the same numbers on every CPU, and no oneDNN log line
        "PYTHONHASHSEED": "0",
        "TF_DETERMINISTIC_OPS": "1",
        "HOME": paths["scratch"],
        "KERAS_HOME": f"{paths['scratch']}/.keras",
        "MPLBACKEND": "Agg",
        "TF_NUM_INTRAOP_THREADS": str(threads),
        "TF_NUM_INTEROP_THREADS": "1",
        "OMP_NUM_THREADS": str(threads),
    }


def _run_worker(
    scratch: Path,
    submission_dir: Path,
    staging: Staging,
    assignment: Assignment,
    remaining: list[str],
    deadline: float,
    paths: dict[str, str],
    warm: WarmWorker | None = None,
) -> tuple[Note | None, Note | None, str]:
    """Start a worker; watch it; return (death reason, timeout note, output kept): one of the
    two notes is None."""
    for exercise in remaining:  # nothing the submission wrote earlier passes for a result
        for suffix in (".json", ".started"):
            clear(scratch / f"{exercise}{suffix}")
    clear(scratch / "_load.json")
    limits = assignment.limits
    cpu = int(limits.submission_seconds * (os.cpu_count() or 1)) + 30
    if warm is not None:
        try:
            return _run_warm(warm, scratch, assignment, remaining, deadline, cpu)
        except WarmError:
            pass  # this run goes cold
    worker = f"{paths['lib']}/autograder/run/worker.py"
    command = [sys.executable, "-S", "-E", "-B", worker, f"{paths['submission']}/{JOB_FILE}"]
    env = worker_env(paths, staging.threads)
    wrapped = staging.sandbox.wrap(command, scratch, staging.lib, staging.inputs, submission_dir)
    for _attempt in range(START_ATTEMPTS):
        cgroup = (
            Cgroup.create(limits.memory_mb, limits.processes) if staging.sandbox.isolated else None
        )
        if staging.sandbox.isolated and cgroup is None:
            error = "its cgroup could not be created"
            continue

        def prepare(group: Cgroup | None = cgroup) -> None:
            if group is not None:
                group.enter()
            apply_rlimits(cpu)

        try:
            process = subprocess.Popen(
                wrapped,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=prepare,
                env=env,
                cwd=scratch,
            )
            break
        except (OSError, subprocess.SubprocessError) as exc:
            error = str(exc)
            if cgroup is not None:
                cgroup.close()
    else:
        not_run = Note(
            Outcome.GRADER_FAULT,
            f"was not run: the grader could not start its sandbox ({error})",
            SANDBOX_NOT_STARTED,
        )
        return not_run, None, ""
    tail = _OutputTail(process.stdout, limits.output_kb * 1024)
    tail.start()
    stopped: Note | None = None
    try:
        stopped = _watch(process, scratch, assignment, remaining, deadline)
    finally:
        _kill(process)
        tail.join(timeout=5)
        reason = None if stopped else _death_reason(process.returncode, cgroup)
        if cgroup is not None:
            cgroup.kill_all()
            cgroup.close()
    return reason, stopped, tail.kept.decode("utf-8", "replace")


def _run_warm(
    warm: WarmWorker,
    scratch: Path,
    assignment: Assignment,
    remaining: list[str],
    deadline: float,
    cpu: int,
) -> tuple[Note | None, Note | None, str]:
    """One run forked from a warm worker, in a cgroup of its own; WarmError: not started."""
    limits = assignment.limits
    cgroup = Cgroup.create(limits.memory_mb, limits.processes)
    if cgroup is None:
        raise WarmError("its cgroup could not be created")
    output = scratch.parent / "output.txt"
    clear(output)
    try:
        process: WarmRun = warm.begin(cpu, cgroup)
    except WarmError:
        cgroup.kill_all()
        cgroup.close()
        raise
    stopped: Note | None = None
    try:
        stopped = _watch(process, scratch, assignment, remaining, deadline)
    finally:
        process.kill()
        reason = None if stopped else _death_reason(process.returncode, cgroup)
        cgroup.kill_all()
        cgroup.close()
    kept = read_regular(output, limits.output_kb * 1024 + 1) or b""
    return reason, stopped, kept.decode("utf-8", "replace")
