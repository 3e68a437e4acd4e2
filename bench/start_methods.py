"""Benchmark: how a grading run should start, measured for speed and for safety with TensorFlow.

    python bench/start_methods.py [--runs 5] [--images 2000] [--timeout 120]

Runs the same small training job (the course model, one epoch on the first ``--images`` real
Fashion-MNIST images, seeded) ``--runs`` times with each way of starting a run, and writes
bench/start_methods.md and bench/start_methods.json:

- cold: a new Python process per run (imports TensorFlow and loads the data itself);
- pool: one long-lived spawned process, warmed once, that runs every job in turn;
- forkserver: multiprocessing's forkserver with TensorFlow, Keras and the probes preloaded, a new
  process per run;
- fork from warm: ``os.fork`` of a process that imported TensorFlow and loaded the data but never
  ran a TensorFlow op (what the grader's warm worker, ``autograder/run/zygote.py``, does);
- fork after an op: the same, from a parent that has run a training job itself first.

For each: the median and max time from asking for a run to its result, the part of it before the
job's own code started (the start overhead), whether every run finished within ``--timeout``,
whether each gave the same accuracy as a cold run (determinism), and whether a run that tampers
with global state (``numpy.mean``, Keras's float type) is seen by the next run (isolation).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

OUT = ROOT / "bench"
SEED = 0


# --- what runs in a run -------------------------------------------------------------------


def warm() -> None:
    """What the grader's warm worker loads before it forks: TensorFlow, the probes, the data
    (and the reference model's module, which the job below uses)."""
    import autograder.checks.reference  # noqa: F401
    from autograder.run.worker import warm_up

    warm_up()


def train_job(images: int) -> dict:
    """One epoch of the course model on the first ``images`` images: a training check's shape."""
    started = time.time()
    import tensorflow as tf

    from autograder.checks.reference import compile_reference, reference_model
    from autograder.samples import train_slice

    tf.keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()
    x, y = train_slice(images)
    model = compile_reference(reference_model())
    history = model.fit(x / 255.0, y, epochs=1, verbose=0)
    return {"started": started, "accuracy": round(float(history.history["accuracy"][-1]), 6)}


def tamper_job(_: int) -> dict:
    """What a hostile or careless submission may leave behind in its process."""
    started = time.time()
    import numpy
    import tensorflow as tf

    numpy.mean = lambda *args, **kwargs: 1.0
    tf.keras.backend.set_floatx("float16")
    return {"started": started}


def inspect_job(_: int) -> dict:
    """Whether this run sees what an earlier run changed."""
    started = time.time()
    import numpy
    import tensorflow as tf

    leaked = numpy.mean([0.0, 0.0]) != 0.0 or tf.keras.backend.floatx() != "float32"
    return {"started": started, "leaked": bool(leaked)}


JOBS: dict[str, Callable[[int], dict]] = {
    "train": train_job,
    "tamper": tamper_job,
    "inspect": inspect_job,
}


def _in_fresh_process(job: str, images: int) -> None:
    """The cold run: this script started anew with --job; the result on stdout."""
    warm()
    print(json.dumps(JOBS[job](images)))


# --- the ways to start a run ---------------------------------------------------------------


def run_cold(job: str, images: int, timeout: float) -> dict:
    """A new Python process for the run."""
    command = [sys.executable, __file__, "--job", job, "--images", str(images)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _child_result(job: str, images: int, write_end: int) -> None:
    """In a forked child: run the job, send the result down the pipe, exit at once."""
    try:
        result = JOBS[job](images)
    except BaseException as error:  # noqa: BLE001 - reported to the parent as a failed run
        result = {"error": repr(error)}
    os.write(write_end, json.dumps(result).encode())
    os._exit(0)


def run_fork(job: str, images: int, timeout: float) -> dict:
    """``os.fork`` of this (warm) process; a child that has not answered in time is killed."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child_result(job, images, write_end)
    os.close(write_end)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(read_end)
        raise TimeoutError(f"hung, killed after {timeout:.0f} s")
    with os.fdopen(read_end) as pipe:
        return json.loads(pipe.read())


class Pool:
    """One spawned process, warmed once, that runs every job: the fastest start, shared state."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.executor = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=warm)
        self.executor.submit(int, 0).result()  # wait until warm

    def __call__(self, job: str, images: int, timeout: float) -> dict:
        return self.executor.submit(JOBS[job], images).result(timeout=timeout)

    def close(self) -> None:
        self.executor.shutdown(cancel_futures=True)


class ForkServer:
    """multiprocessing's forkserver with TensorFlow, Keras and the probes preloaded (it preloads
    modules; each run reads the data from the Keras cache itself)."""

    # By name: Python 3.11 does not preload "__main__" (each run imports this light script anew).
    PRELOAD = [
        "tensorflow",
        "keras",
        "autograder.probe",
        "autograder.samples",
        "autograder.checks.reference",
    ]

    def __init__(self) -> None:
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(self.PRELOAD)
        self("inspect", 0, 300)  # starts the server and warms it

    def __call__(self, job: str, images: int, timeout: float) -> dict:
        read_end, write_end = self.context.Pipe(duplex=False)
        process = self.context.Process(target=_forked_server_child, args=(job, images, write_end))
        process.start()
        write_end.close()
        if not read_end.poll(timeout):
            process.kill()
            process.join()
            raise TimeoutError(f"hung, killed after {timeout:.0f} s")
        result = read_end.recv()
        process.join()
        return result


def _forked_server_child(job: str, images: int, connection) -> None:
    connection.send(JOBS[job](images))


# --- measuring -----------------------------------------------------------------------------


def measure(name: str, start: Callable[[str, int, float], dict], args: argparse.Namespace) -> dict:
    """Time ``args.runs`` training runs started with ``start``, then the tamper/inspect pair."""
    times, overheads, accuracies, errors = [], [], [], []
    for _ in range(args.runs):
        asked = time.time()
        try:
            result = start("train", args.images, args.timeout)
        except Exception as error:  # noqa: BLE001 - a method that fails is a finding
            errors.append(f"{type(error).__name__}: {error}")
            break
        if "error" in result:
            errors.append(result["error"])
            break
        times.append(time.time() - asked)
        overheads.append(result["started"] - asked)
        accuracies.append(result["accuracy"])
    leaked = None
    if not errors:
        start("tamper", 0, args.timeout)
        leaked = start("inspect", 0, args.timeout)["leaked"]
    row = {
        "method": name,
        "runs": len(times),
        "median_s": round(statistics.median(times), 2) if times else None,
        "max_s": round(max(times), 2) if times else None,
        "start_overhead_s": round(statistics.median(overheads), 2) if overheads else None,
        "accuracies": accuracies,
        "finished": not errors,
        "errors": errors,
        "state_leaks": leaked,
    }
    print(json.dumps(row), flush=True)
    return row


TIMES = ("median_s", "max_s", "start_overhead_s")


def write_report(rows: list[dict], args: argparse.Namespace) -> None:
    """bench/start_methods.md (the table) and bench/start_methods.json (every figure)."""
    cold = rows[0]["accuracies"][0] if rows[0]["accuracies"] else None
    lines = [
        f"# How a run starts ({args.runs} runs each, {os.cpu_count()} cores, "
        f"{datetime.now():%Y-%m-%d})",
        "",
        f"Reproduce: `python bench/start_methods.py --runs {args.runs} --images {args.images}`.",
        "",
        f"Each run trains the course model for one epoch on {args.images:,} real images.",
        "",
        "| start | median s | max s | start overhead s | finished | same accuracy as cold "
        "| state leaks to the next run |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        same = bool(row["accuracies"]) and all(a == cold for a in row["accuracies"])
        finished = "yes" if row["finished"] else "no: " + row["errors"][0].split(": ", 1)[-1]
        leaks = {None: "-", True: "yes", False: "no"}[row["state_leaks"]]
        times = [row[key] if row[key] is not None else "-" for key in TIMES]
        lines.append(
            f"| {row['method']} | {' | '.join(map(str, times))} | {finished} | "
            f"{'yes' if same else 'no'} | {leaks} |"
        )
    lines += [
        "",
        f"- this machine: one epoch of the course model on 60,000 images takes "
        f"{args.epoch_seconds} s",
        "- start overhead: from asking for a run to the job's first line (imports and data "
        "loading for a cold run, the fork for the others)",
        "- state leaks: a run sets `numpy.mean` and Keras's float type; the next run checks",
    ]
    (OUT / "start_methods.md").write_text("\n".join(lines) + "\n")
    (OUT / "start_methods.json").write_text(
        json.dumps({"args": vars(args), "rows": rows}, indent=2) + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--job", choices=sorted(JOBS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job:
        _in_fresh_process(args.job, args.images)
        return
    rows = [measure("cold (new process)", run_cold, args)]
    pool = Pool()
    rows.append(measure("pool (one warm process reused)", pool, args))
    pool.close()
    server = ForkServer()
    rows.append(measure("forkserver (preloaded)", server, args))
    warm()
    rows.append(measure("fork from warm, no op run (the grader)", run_fork, args))
    train_job(args.images)  # the parent now runs TensorFlow ops itself
    rows.append(measure("fork after the parent ran an op", run_fork, args))
    sys.path.insert(0, str(OUT))
    from run import machine_epoch  # bench/run.py: the machine's epoch time

    args.epoch_seconds = machine_epoch()
    write_report(rows, args)
    print((OUT / "start_methods.md").read_text())


if __name__ == "__main__":
    main()
