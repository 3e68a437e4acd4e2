"""Benchmark: what grading on Dask costs per submission, against grading here.

    python bench/dask_overhead.py [--students 8] [--repeats 3]

On this machine, grades the same class of cheap submissions (the solution without its two
training exercises, the stub, an empty file, a syntax error, in turn) with the CLI, locally
(``--jobs 2``) and on a loopback Dask cluster of one worker with two threads (the same two
grading slots, the same TensorFlow threads per sandbox), and writes bench/dask_overhead.md:
each run's wall time, the fixed cost of a batch (a one-submission batch of a syntax error),
the marginal seconds per submission, and Dask's own round trip for an empty task (medians of
interleaved repeats). Every cluster result is checked equal to the local one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import SOLUTION_MODULE, STUB_MODULE, without_training  # noqa: E402
from tests.distribute import local_cluster  # noqa: E402

OUT = ROOT / "bench" / "dask_overhead.md"
AUTOGRADER = [sys.executable, "-c", "from autograder.cli import main; main()", "grade", "c1w2"]
VARIANTS = [
    ("solution", without_training(SOLUTION_MODULE.read_text())),
    ("stub", STUB_MODULE.read_text()),
    ("empty", ""),
    ("syntax", "def normalize(images:\n"),
]


def make_class(folder: Path, count: int) -> Path:
    for index in range(count):
        name, text = VARIANTS[index % len(VARIANTS)]
        (folder / f"s{index:03d}_{name}").mkdir(parents=True)
        (folder / f"s{index:03d}_{name}" / "fashion_mnist.py").write_text(text)
    return folder


def timed(args: list[str], out: Path) -> float:
    started = time.monotonic()
    done = subprocess.run(
        [*AUTOGRADER, *args, "--out", str(out)],
        env=local_cluster.environment(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return time.monotonic() - started


def results(out: Path) -> dict[str, dict]:
    found = {}
    for path in sorted(out.glob("*/results.json")):
        document = json.loads(path.read_text())
        document.pop("execution_time")
        found[path.parent.name] = document
    return found


def empty_task_round_trip(address: str, count: int = 50) -> float:
    """Median seconds from submit to result of a task that does nothing."""
    from distributed import Client

    with Client(address, set_as_default=False) as client:
        client.submit(int, 0, pure=False).result()
        times = []
        for _ in range(count):
            started = time.monotonic()
            client.submit(int, 0, pure=False).result()
            times.append(time.monotonic() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="dask-bench-"))
    class_dir = make_class(work / "class", args.students)
    single = make_class(work / "single", 4) / "s003_syntax"
    runs: dict[str, list[float]] = {}
    cluster = local_cluster.start(work / "dask", workers=1, threads=2)
    try:
        on = ["--scheduler", cluster.address]
        cold = timed([str(class_dir), *on], work / "cold")
        plan = [  # interleaved, so that a change of load hits both paths alike
            ("local --jobs 2, one submission", [str(single), "--jobs", "2"]),
            ("local --jobs 2", [str(class_dir), "--jobs", "2"]),
            ("Dask, one submission", [str(single), *on]),
            ("Dask", [str(class_dir), *on]),
        ]
        for repeat in range(args.repeats):
            for label, command in plan:
                out = work / f"{label}-{repeat}".replace(" ", "_")
                runs.setdefault(label, []).append(timed(command, out))
        round_trip = empty_task_round_trip(cluster.address)
    finally:
        cluster.stop()
    local = results(work / "local_--jobs_2-0")
    for out in [work / "cold", *work.glob("Dask-*")]:
        if results(out) != local:
            raise SystemExit(f"the Dask run {out.name} differs from the local run")
    wall = {label: statistics.median(times) for label, times in runs.items()}
    n = args.students
    local_each = (wall["local --jobs 2"] - wall["local --jobs 2, one submission"]) / (n - 1)
    dask_each = (wall["Dask"] - wall["Dask, one submission"]) / (n - 1)
    rows = [
        ("local --jobs 2, one submission", 1),
        ("local --jobs 2", n),
        ("Dask, one submission", 1),
        ("Dask", n),
    ]
    lines = [
        f"Measured by `python bench/dask_overhead.py --students {n} --repeats {args.repeats}` "
        f"on {time.strftime('%Y-%m-%d')}, {len(os.sched_getaffinity(0))} cores (load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after: other jobs share them). "
        "Two grading slots on each path: `--jobs 2` here, one Dask worker with `--nthreads 2` "
        "on loopback, already staged (its first batch, staging included, took "
        f"{cold:.1f} s). Median of {args.repeats} interleaved runs of the CLI; every Dask "
        "result equals the local one.",
        "",
        "| run | submissions | median wall s | runs |",
        "|---|---|---|---|",
        *[
            f"| {label} | {count} | {wall[label]:.1f} | "
            f"{', '.join(f'{t:.1f}' for t in runs[label])} |"
            for label, count in rows
        ],
        "",
        f"Marginal seconds per submission (class minus one-submission batch, over {n - 1}): "
        f"local {local_each:.2f}, Dask {dask_each:.2f}, so Dask adds "
        f"{dask_each - local_each:+.2f} s per submission. Dask's round trip for an empty task: "
        f"{round_trip * 1000:.1f} ms.",
    ]
    OUT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
