"""A submission's exercises in lanes: separate sandboxed processes that can run side by side.

The training checks dominate a submission's time, and much of it is single-threaded Python
(Keras tracing each new model's training step), so one process leaves a core idle while a
submission is graded alone. Each lane (an exercise's ``lane`` in course.yaml) always runs in
its own fresh process: beside the others when a warm worker is free (or cold), one after the
other when not. Which exercises share a process never depends on the machine's load, so
neither does a verdict.
"""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from autograder.config import Assignment
from autograder.run.supervisor import RunOutcome, Staging, run_submission
from autograder.untrusted_files import clear, is_regular

ARRAY_SUFFIX = ".npy"  # what a probe leaves for its judge besides its JSON


def lanes(assignment: Assignment) -> list[list[str]]:
    """The exercises of each lane, lanes in order, exercises in course order."""
    by_lane: dict[int, list[str]] = {}
    for exercise, settings in assignment.exercises.items():
        by_lane.setdefault(settings.lane, []).append(exercise)
    return [by_lane[lane] for lane in sorted(by_lane)]


def run_lanes(
    kind: str, payload: Path, scratch: Path, staging: Staging, assignment: Assignment
) -> RunOutcome:
    """Probe every exercise, lane by lane in parallel; one outcome, with every lane's arrays in
    ``scratch`` for the judges. Lanes after the first run in copies beside ``scratch.parent``."""
    groups = lanes(assignment)
    work = scratch.parent
    copies = [work.parent / f"{work.name}.lane{index}" for index in range(1, len(groups))]
    started = time.monotonic()
    try:
        for copy in copies:
            clear(copy)
            shutil.copytree(payload.parent, copy / payload.parent.name)
            shutil.copytree(scratch, copy / scratch.name, symlinks=True)  # the Keras cache
        inside = payload.relative_to(work)
        runs = [(payload, scratch), *((copy / inside, copy / scratch.name) for copy in copies)]
        with ThreadPoolExecutor(max_workers=len(groups)) as pool:
            futures = [
                pool.submit(run_submission, kind, path, folder, staging, assignment, group)
                for (path, folder), group in zip(runs, groups, strict=True)
            ]
            outcomes = [future.result() for future in futures]
        for copy in copies:
            take_arrays(copy / scratch.name, scratch)
    finally:
        for copy in copies:
            clear(copy)
    return merge(outcomes, time.monotonic() - started, assignment.limits.output_kb * 1024)


def take_arrays(source: Path, target: Path) -> None:
    """Move the regular ``.npy`` files of a finished lane's scratch into ``target``; a name
    already there is kept (the lane's sandbox is gone, so nothing changes under us)."""
    for path in sorted(source.glob(f"*{ARRAY_SUFFIX}")):
        destination = target / path.name
        if is_regular(path) and not destination.exists() and not destination.is_symlink():
            shutil.move(path, destination)


def merge(outcomes: list[RunOutcome], seconds: float, output_limit: int) -> RunOutcome:
    """One outcome from the lanes' outcomes, taken in lane order."""
    merged = RunOutcome(seconds=round(seconds, 2))
    for outcome in outcomes:
        merged.data.update(outcome.data)
        merged.notes.update(outcome.notes)
        if merged.load_error is None:
            merged.load_error = outcome.load_error
    merged.output = "".join(outcome.output for outcome in outcomes)[-output_limit:]
    return merged
