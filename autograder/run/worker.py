"""The sandboxed child: load one submission, run the asked probes, write plain data.

Run as ``python -S -E worker.py JOB.json`` inside the sandbox. It imports only
``autograder.probe`` (the sandbox holds nothing else of the grader) and writes, for each
exercise, ``<id>.started`` when it begins and ``<id>.json`` when its probe is done. Nothing here
decides a score.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
import types
from pathlib import Path


def _error(exc: BaseException, files: tuple[str, ...]) -> dict:
    from autograder.probe.harness import describe_error

    return describe_error(exc, files)


def _grader_fault(exc: BaseException, files: tuple[str, ...]) -> bool:
    """Whether the probe itself failed: no frame of student code is on the way to ``exc``."""
    if not isinstance(exc, Exception):
        return False  # SystemExit, KeyboardInterrupt: only student code raises these here
    return not any(
        frame.filename in files or frame.filename.startswith("<cell")
        for frame in traceback.extract_tb(exc.__traceback__)
    )


def load_module(path: Path, name: str) -> tuple[dict, dict | None]:
    """Import the student's module as ``name``; return its namespace and the error that
    stopped it."""
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    try:
        code = compile(path.read_bytes(), str(path), "exec")
        exec(code, module.__dict__)  # noqa: S102 - student code, in the sandboxed child only
    except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt too
        return module.__dict__, _error(exc, (str(path),))
    return module.__dict__, None


def load_cells(cells: list[str], name: str) -> tuple[dict, dict | None]:
    """Run notebook code cells in order in one namespace, the module ``name``'s; an error in
    one does not stop it."""
    module = types.ModuleType(name)
    sys.modules[name] = module
    first_error = None
    for index, source in enumerate(cells):
        cell = f"<cell {index}>"
        try:
            exec(compile(source, cell, "exec"), module.__dict__)  # noqa: S102 - sandboxed child
        except BaseException as exc:  # noqa: BLE001
            first_error = first_error or _error(exc, (cell,))
    return module.__dict__, first_error


def extend_path(entries: list[str]) -> None:
    """Let this ``python -S`` find the probe code and the Python environment's packages."""
    for entry in entries:
        if entry not in sys.path:
            sys.path.append(entry)


def warm_up() -> None:
    """What every run needs and no submission can change: TensorFlow, Keras, the probes and
    the data set, loaded once by a warm worker before it forks a run."""
    import tensorflow as tf  # noqa: F401 - imported for the runs forked from here

    import autograder.probe.describe  # noqa: F401 - what every Keras probe uses
    from autograder.samples import fashion_mnist

    fashion_mnist()


def main(job_path: str) -> int:
    """Run a job file's probes in this process: the cold path, one process per run."""
    job = json.loads(Path(job_path).read_text())
    extend_path(job["sys_path"])
    return run_job(job)


def run_job(job: dict) -> int:
    """Load the submission, then probe each exercise of the job in order."""
    started = time.monotonic()
    from autograder.probe.harness import ProbeContext, write_json

    out_dir = Path(job["out_dir"])
    os.chdir(out_dir)
    if job["kind"] == "module":
        namespace, load_error = load_module(Path(job["submission"]), job["module"])
        files: tuple[str, ...] = (job["submission"],)
    else:
        cells = json.loads(Path(job["submission"]).read_text())
        namespace, load_error = load_cells(cells, job["module"])
        files = ()
    seconds = round(time.monotonic() - started, 2)
    write_json(out_dir / "_load.json", {"error": load_error, "seconds": seconds})
    if load_error and job["kind"] == "module":
        return 0
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()  # the same verdict on every run
    for exercise in job["exercises"]:
        (out_dir / f"{exercise}.started").touch()
        tf.keras.utils.set_random_seed(job["settings"]["seed"])
        ctx = ProbeContext(namespace, Path(job["inputs_dir"]), out_dir, job["settings"], files)
        began = time.monotonic()
        try:
            record = importlib.import_module(job["settings"]["probes"][exercise]).probe(ctx)
            dump = getattr(record, "model_dump", None)  # a replaced probe may return anything
            data = dump(mode="json", by_alias=True) if callable(dump) else record
            if not isinstance(data, dict):  # the judge reads that as no readable result
                data = {"unreadable": type(data).__name__}
        except BaseException as exc:  # noqa: BLE001 - e.g. SystemExit from student code
            data = {"error": _error(exc, files), "trace": traceback.format_exc()[-1500:]}
            if _grader_fault(exc, files):
                data = {"grader_fault": f"{type(exc).__name__} in the probe of {exercise}"}
        data["seconds"] = round(time.monotonic() - began, 2)
        write_json(out_dir / f"{exercise}.json", data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
