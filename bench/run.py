"""Benchmark: `autograder grade` against `nbgrader autograde` on the same notebook class.

    python bench/run.py [--students 50] [--jobs 2] [--skip-nbgrader] [--skip-cold]

Builds a class of notebook submissions (the solution, the stub, and notebooks with the realistic
mistakes of tests/corpus/mistakes.yaml), grades it with `autograder grade` (warm workers, and
--cold for comparison) and with `nbgrader autograde` in one run, and writes bench/results.md and
bench/results.json: per-submission median and max wall time, total wall time, peak memory per
worker (proportional set size, so pages a warm worker shares with its runs count once),
submissions per minute, the nbgrader/autograder ratio, whether the per-exercise scores agree,
and the floor (TensorFlow import, one warm run of the checks, the student's visible self-check, one
submission graded alone with a warm worker).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from tests.corpus.sample_class import (  # noqa: E402
    RELEASED_NOTEBOOK,
    SOLUTION_NOTEBOOK,
    load_mistakes,
)

OUT = ROOT / "bench"


def notebook_class(target: Path, count: int) -> list[str]:
    """``count`` notebooks: solution, stub, then each single-cell corpus mistake, in turn."""
    solution = nbformat.read(SOLUTION_NOTEBOOK, as_version=4)
    variants = [("solution", nbformat.writes(solution)), ("stub", RELEASED_NOTEBOOK.read_text())]
    for name, entry in load_mistakes().items():
        edits = entry.get("replace") or []
        notebook = nbformat.read(SOLUTION_NOTEBOOK, as_version=4)
        applied = 0
        for old, new in edits:
            cell = next(
                (c for c in notebook.cells if c.cell_type == "code" and old in c.source), None
            )
            if cell is not None:
                cell.source = cell.source.replace(old, new, 1)
                applied += 1
        if edits and applied == len(edits):
            variants.append((name, nbformat.writes(notebook)))
    students = []
    for index in range(count):
        name, text = variants[index % len(variants)]
        student = f"s{index:03d}_{name}"
        folder = target / "submitted" / student / "c1w2"
        folder.mkdir(parents=True)
        (folder / "fashion_mnist.ipynb").write_text(text)
        students.append(student)
    return students


class PeakMemory(threading.Thread):
    """Samples the memory of each child process tree of this process (one tree per worker)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_mb = 0.0
        self.running = True

    @staticmethod
    def _size(process: psutil.Process) -> int:
        try:
            return process.memory_full_info().pss
        except (psutil.AccessDenied, AttributeError):
            return process.memory_info().rss

    def run(self) -> None:
        me = psutil.Process()
        while self.running:
            for child in me.children():
                try:
                    tree = [child, *child.children(recursive=True)]
                    size = sum(self._size(p) for p in tree) / 2**20
                except psutil.Error:
                    continue
                self.peak_mb = max(self.peak_mb, size)
            time.sleep(0.5)

    def stop(self) -> float:
        self.running = False
        self.join()
        return round(self.peak_mb)


def run_autograder(course: Path, jobs: int, warm: bool) -> dict:
    from autograder import grade

    sampler = PeakMemory()
    sampler.start()
    began = time.monotonic()
    out = course / ("graded" if warm else "graded-cold")
    graded = grade.main("c1w2", [course / "submitted"], out, jobs=jobs, warm=warm)
    total = time.monotonic() - began
    times = [g.results["execution_time"] for g in graded]
    scores = {
        g.submission.student: {t["name"]: t["score"] for t in g.results["tests"]} for g in graded
    }
    name = "autograder grade" if warm else "autograder grade --cold"
    return summary(name, times, total, sampler.stop(), scores, jobs)


def run_nbgrader(course: Path) -> dict:
    (course / "nbgrader_config.py").write_text(
        (ROOT / "nbgrader_config.py").read_text() + f"\nc.CourseDirectory.root = {str(course)!r}\n"
    )
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    nbgrader = [sys.executable, "-m", "nbgrader"]
    subprocess.run(
        [*nbgrader, "generate_assignment", "c1w2", "--force"],
        cwd=course,
        env=env,
        check=True,
        capture_output=True,
    )
    sampler = PeakMemory()
    sampler.start()
    began = time.monotonic()
    done = subprocess.run(
        [
            *nbgrader,
            "autograde",
            "c1w2",
            "--Application.log_format=%(asctime)s|%(message)s",
            "--Application.log_datefmt=%Y-%m-%dT%H:%M:%S",
        ],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
    )
    total = time.monotonic() - began
    peak = sampler.stop()
    pattern = r"^(\S+)\|Converting notebook \S*?/submitted/([^/\s]+)/"
    starts = [
        (datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S"), m.group(2))
        for m in re.finditer(pattern, done.stderr, re.M)
    ]
    students = sorted(p.name for p in (course / "submitted").iterdir())
    if len(starts) == len(students):  # nbgrader grades one at a time: time to the next start
        times = [(b[0] - a[0]).total_seconds() for a, b in zip(starts, starts[1:], strict=False)]
        times.append(max(0.0, total - sum(times)))
    else:  # the log did not say: the mean for everyone
        times = [total / len(students)] * len(students)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {}
        for student in students:
            notebook = gradebook.find_submission_notebook("fashion_mnist", "c1w2", student)
            scores[student] = {
                g.name.removeprefix("test_"): g.score
                for g in notebook.grades
                if g.name.startswith("test_")
            }
    return summary("nbgrader autograde", times, total, peak, scores, 1)


def summary(
    name: str, times: list[float], total: float, peak: float, scores: dict, jobs: int
) -> dict:
    return {
        "grader": name,
        "jobs": jobs,
        "submissions": len(times),
        "median_s": round(statistics.median(times), 1) if times else None,
        "max_s": round(max(times), 1) if times else None,
        "total_s": round(total, 1),
        "per_minute": round(60 * len(times) / total, 1) if total else None,
        "peak_worker_mb": peak,
        "scores": scores,
    }


def floor() -> dict:
    """Time to import TensorFlow, and one warm in-process run of every check on the solution."""
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-c", "import tensorflow"],
        check=True,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
    )
    import_s = time.monotonic() - started
    script = (
        "import time, runpy, contextlib, io\n"
        "from autograder.notebook_check import check\n"
        f"ns = runpy.run_path({str(ROOT / 'solutions/c1w2/fashion_mnist.py')!r})\n"
        "from autograder.config import load_course\n"
        "ids = list(load_course().assignment('c1w2').exercises)\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    [check(e, ns) for e in ids]\n"
        "    t = time.monotonic(); total = sum(check(e, ns) for e in ids)\n"
        "print(round(time.monotonic() - t, 1), total)\n"
    )
    warm_s, total = _python(script).split()[-2:]
    return {
        "epoch_s": machine_epoch(),
        "tensorflow_import_s": round(import_s, 1),
        "warm_checks_s": float(warm_s),
        "warm_checks_score": float(total),
        "self_check_s": self_check(),
        "warm_single_s": warm_single(),
    }


def _python(script: str) -> str:
    """What ``script`` prints, run by this Python with TensorFlow's start-up logs quiet."""
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
    )
    return done.stdout


def machine_epoch() -> float:
    """This machine's speed: one epoch of the course model on all 60,000 images, in seconds."""
    script = (
        "import time, tensorflow as tf\n"
        "(x, y), _ = tf.keras.datasets.fashion_mnist.load_data()\n"
        "model = tf.keras.Sequential([tf.keras.Input((28, 28)), tf.keras.layers.Flatten(),\n"
        "    tf.keras.layers.Dense(128, activation='relu'),\n"
        "    tf.keras.layers.Dense(10, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
        "model.fit(x[:320] / 255.0, y[:320], verbose=0)\n"
        "started = time.monotonic(); model.fit(x / 255.0, y, verbose=0)\n"
        "print(round(time.monotonic() - started, 1))\n"
    )
    return float(_python(script).split()[-1])


def warm_single(copies: int = 5) -> float:
    """Median time to grade the solution notebook alone (``--jobs 1``, both cores), with a warm
    worker: ``copies`` in a row, so all but the first find it warm."""
    from autograder import grade

    with tempfile.TemporaryDirectory(prefix="c1w2-single-") as folder:
        for index in range(copies):
            student = Path(folder, "class", f"copy{index}")
            student.mkdir(parents=True)
            shutil.copy(SOLUTION_NOTEBOOK, student / "fashion_mnist.ipynb")
        graded = grade.main("c1w2", [Path(folder, "class")], Path(folder, "out"), jobs=1)
        times = sorted(g.results["execution_time"] for g in graded)
        return round(statistics.median(times[1:]), 1)


def self_check() -> float:
    """Wall time of the student's visible self-check (pytest) on the solution module."""
    with tempfile.TemporaryDirectory(prefix="c1w2-selfcheck-") as folder:
        for path in (ROOT / "release" / "c1w2").iterdir():
            if path.is_file() and path.name != "fashion_mnist.ipynb":
                shutil.copy(path, folder)
        shutil.copy(ROOT / "solutions" / "c1w2" / "fashion_mnist.py", folder)
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            cwd=folder,
            check=True,
            capture_output=True,
            env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
        )
        return round(time.monotonic() - started, 1)


def write(report: dict) -> None:
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    keys = ("autograder", "autograder_cold", "nbgrader")
    rows = [report[key] for key in keys if report.get(key)]
    lines = [
        f"# Grading benchmark ({report['students']} notebook submissions, "
        f"{report['cores']} cores, {report['date']})",
        "",
        "Reproduce: `make bench` (or `python bench/run.py --students N --jobs J`).",
        "",
        "| grader | jobs | median s | max s | total s | submissions/min | peak MB per worker |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['grader']} | {r['jobs']} | {r['median_s']} | {r['max_s']} | "
            f"{r['total_s']} | {r['per_minute']} | {r['peak_worker_mb']} |"
        )
    lines += [
        "",
        f"- nbgrader / autograder total time: {report.get('ratio', 'n/a')} "
        f"(--cold: {report.get('ratio_cold', 'n/a')})",
        f"- same per-exercise scores as nbgrader: {report.get('same_scores', 'n/a')}; "
        f"warm and cold the same: {report.get('same_warm_cold', 'n/a')}",
        f"- students scored differently by nbgrader: "
        f"{', '.join(report.get('differ', [])) or 'none'}",
        f"- this machine: one epoch of the course model on 60,000 images takes "
        f"{report['floor'].get('epoch_s', 'n/a')} s",
        f"- floor: TensorFlow import {report['floor']['tensorflow_import_s']} s; every "
        f"check of the solution in a warm process {report['floor']['warm_checks_s']} s",
        f"- the student's visible self-check (pytest on the solution): "
        f"{report['floor']['self_check_s']} s",
        f"- one submission graded alone with a warm worker (--jobs 1): "
        f"{report['floor'].get('warm_single_s', 'n/a')} s (median)",
        "",
        "Per-submission times are each submission's whole grading (sandbox runs and judging) "
        "while the others run beside it; nbgrader grades one at a time.",
    ]
    (OUT / "results.md").write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-nbgrader", action="store_true")
    parser.add_argument("--skip-cold", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="c1w2-bench-") as scratch:
        course = Path(scratch)
        shutil.copytree(ROOT / "source", course / "source")
        notebook_class(course, args.students)
        report = {
            "students": args.students,
            "cores": os.cpu_count(),
            "date": datetime.now().strftime("%Y-%m-%d"),
            "floor": floor(),
        }
        report["autograder"] = run_autograder(course, args.jobs, warm=True)
        if not args.skip_cold:
            report["autograder_cold"] = run_autograder(course, args.jobs, warm=False)
            report["same_warm_cold"] = (
                report["autograder_cold"]["scores"] == report["autograder"]["scores"]
            )
        if not args.skip_nbgrader:
            report["nbgrader"] = run_nbgrader(course)
            report["ratio"] = round(
                report["nbgrader"]["total_s"] / report["autograder"]["total_s"], 2
            )
            report["same_scores"] = report["nbgrader"]["scores"] == report["autograder"]["scores"]
            report["differ"] = sorted(
                student
                for student, got in report["autograder"]["scores"].items()
                if report["nbgrader"]["scores"].get(student) != got
            )
            if "autograder_cold" in report:
                report["ratio_cold"] = round(
                    report["nbgrader"]["total_s"] / report["autograder_cold"]["total_s"], 2
                )
    write(report)
    print((OUT / "results.md").read_text())


if __name__ == "__main__":
    main()
