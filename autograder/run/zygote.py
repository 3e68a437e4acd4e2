"""The warm worker: imports TensorFlow and loads the data once, then forks one run per job.

Run as ``python -S -E -B zygote.py CONFIG.json`` inside the bubblewrap sandbox. It never runs
student code itself. It reads one JSON command per line on stdin and answers one JSON line on
stdout:

- ``{"run": RUN_DIR, "cpu": SECONDS}`` -> ``{"pid": PID}``: a run is forked and waits at a gate
  while the grader moves it into the run's own cgroup;
- ``{"go": true}`` (or ``false`` to cancel) -> ``{"exit": CODE}`` once the run has ended.

A run is three processes: a relay (keeps the first bytes of output in RUN_DIR/output.txt,
drops the rest) in fresh namespaces (see ``nested``), an init that only waits, and the worker
proper, which drops every capability and then runs ``worker.run_job`` on the job file.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import traceback
from pathlib import Path

JOBS_DIR = "/jobs"  # where the grader hands this warm worker its runs
SCRATCH = "/scratch"
SUBMISSION = "/submission"
JOB_FILE = "job.json"
RELAY_CHUNK = 65536
KEEP_UNDER_TMP: tuple[str, ...] = ()  # Python folders under /tmp a run's fresh /tmp must show


def _reply(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _exit_code(status: int) -> int:
    """A wait status as a shell would report it: the code, or 128 + the signal."""
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1


def _relay(source: int, target: int, limit: int) -> None:
    """Copy the first ``limit`` bytes from ``source`` to ``target``; read and drop the rest."""
    kept = 0
    while chunk := os.read(source, RELAY_CHUNK):
        if kept < limit:
            os.write(target, chunk[: limit - kept])
            kept += len(chunk[: limit - kept])


def _student(job: dict, output: int, cpu_seconds: int) -> None:
    """The worker proper (pid 2 of the run): no capabilities, then the submission."""
    from autograder.run import nested, worker

    nested.drop_capabilities()
    nested.set_dumpable(True)  # like any process; its ancestors stay closed to it
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(output, 1)
    os.dup2(output, 2)
    os.close(devnull)
    os.close(output)
    os.chdir(SCRATCH)
    sys.argv = [worker.__file__, f"{SUBMISSION}/{JOB_FILE}"]  # as a cold worker's: same verdicts
    os._exit(worker.run_job(job))


def _init(run_dir: str, output: int, cpu_seconds: int) -> None:
    """Pid 1 of the run's namespaces: set up its view, start the worker, wait, pass its code on.

    When this process exits the kernel kills everything left in the run's pid namespace.
    """
    from autograder.run import nested

    nested.private_view(run_dir, JOBS_DIR, SCRATCH, SUBMISSION, KEEP_UNDER_TMP)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the run cannot interrupt its init
    job = json.loads(Path(SUBMISSION, JOB_FILE).read_text())
    child = os.fork()
    if child == 0:
        _student(job, output, cpu_seconds)
    os.close(output)
    while True:
        pid, status = os.wait()
        if pid == child:
            os._exit(_exit_code(status))


def _run(run_dir: str, gate: int, cpu_seconds: int, limit: int) -> None:
    """The forked run (relay): wait for the grader's go, then namespaces, init and relay."""
    from autograder.run import nested

    log = os.open(f"{run_dir}/output.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW)
    os.dup2(log, 2)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    if os.read(gate, 1) != b"g":
        os._exit(125)
    os.close(gate)
    nested.enter_namespaces()
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read_end)
        os.close(log)
        _init(run_dir, write_end, cpu_seconds)
    os.close(write_end)
    _relay(read_end, log, limit)
    _, status = os.waitpid(child, 0)
    os._exit(_exit_code(status))


def serve(output_limit: int) -> None:
    """Answer commands on stdin until it closes."""
    for line in sys.stdin:
        command = json.loads(line)
        run_dir = f"{JOBS_DIR}/{command['run']}"
        gate_read, gate_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(gate_write)
                _run(run_dir, gate_read, int(command["cpu"]), output_limit)
            except BaseException:  # noqa: BLE001 - a grader fault: said in the run's output
                traceback.print_exc()
            finally:
                os._exit(126)
        os.close(gate_read)
        _reply({"pid": pid})
        go = json.loads(sys.stdin.readline() or "{}").get("go") is True
        if go:
            os.write(gate_write, b"g")
        os.close(gate_write)
        _, status = os.waitpid(pid, 0)
        _reply({"exit": _exit_code(status)})


def main(config_path: str) -> int:
    global KEEP_UNDER_TMP
    config = json.loads(Path(config_path).read_text())
    KEEP_UNDER_TMP = tuple(config.get("keep_under_tmp", ()))
    from autograder.run import worker

    worker.extend_path(config["sys_path"])
    from autograder.run import nested

    nested.set_dumpable(False)  # runs forked from here cannot open this process's files
    worker.warm_up()
    _reply({"ready": True})
    serve(int(config["output_limit"]))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    sys.exit(main(sys.argv[1]))
