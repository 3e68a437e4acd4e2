"""The hidden test cells of the nbgrader notebook call ``check``: probe and judge in-kernel.

nbgrader reads the number a test cell evaluates to as partial credit and gives 0 to a cell that
writes to stderr, so ``check`` prints its feedback to stdout, keeps stderr quiet and returns the
score.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from autograder.checks import judge
from autograder.checks.context import JudgeContext
from autograder.checks.prepare import references_for, settings_for
from autograder.checks.reference import References
from autograder.config import DEFAULT_COURSE_FILE, Course, load_course
from autograder.probe.harness import ProbeContext
from autograder.registry import load


@contextlib.contextmanager
def _quiet_stderr():
    """Silence stderr, the Python stream and file descriptor 2 (TensorFlow's C++ logs)."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            with contextlib.redirect_stderr(devnull):
                yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def _course_file(folder: Path) -> Path:
    """The course.yaml of the nbgrader course ``folder`` is in (nbgrader autograde runs the
    notebook in ``<course>/autograded/<student>/<assignment>/``), else the kit's own."""
    for parent in (folder, *folder.parents):
        if (parent / "course.yaml").is_file() and (parent / "nbgrader_config.py").is_file():
            return parent / "course.yaml"
    return DEFAULT_COURSE_FILE


def _assignment_id(course: Course, folder: Path, exercise: str) -> str:
    """Which assignment the notebook in ``folder`` is: the folder's name where it is one
    (nbgrader's layouts end in ``<assignment>/``), else the one with ``exercise`` (of several,
    the one whose notebook is in ``folder``)."""
    if folder.name in course.assignments:
        return folder.name
    having = [key for key, value in course.assignments.items() if exercise in value.exercises]
    here = [key for key in having if (folder / course.assignments[key].notebook_file).is_file()]
    return (here or having or [folder.name])[0]


def _setup(exercise: str) -> tuple[Any, References, Path]:
    """The course, its references and a working folder, once per kernel; the folder is removed
    when the kernel exits (a class graded by nbgrader would otherwise leave one per student)."""
    folder = Path.cwd()
    course = load_course(_course_file(folder))
    assignment = course.assignment(_assignment_id(course, folder, exercise))
    workdir = Path(tempfile.mkdtemp(prefix="autograder-check-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    references = references_for(assignment, workdir / "inputs")
    return assignment, references, workdir


def _setup_for(exercise: str) -> tuple[Any, References, Path]:
    """``_setup`` once per assignment: every exercise of one notebook shares it."""
    for cached in _SETUPS.values():
        if exercise in cached[0].exercises:
            return cached
    made = _setup(exercise)
    _SETUPS[made[0].id] = made
    return made


_SETUPS: dict[str, tuple[Any, References, Path]] = {}


def check(exercise: str, namespace: dict[str, Any]) -> float:
    """Grade ``exercise`` against the notebook's ``namespace``; print feedback, return score."""
    with _quiet_stderr():
        import tensorflow as tf  # its first import logs on stderr

        assignment, references, workdir = _setup_for(exercise)
        out_dir = workdir / exercise
        out_dir.mkdir(exist_ok=True)
        settings = settings_for(assignment)
        probe_ctx = ProbeContext(dict(namespace), workdir / "inputs", out_dir, settings)
        tf.keras.utils.set_random_seed(assignment.seed)
        record = load(assignment.package, exercise, "probe").probe(probe_ctx)
        dump = getattr(record, "model_dump", None)  # a replaced probe may return anything
        data = dump(mode="json", by_alias=True) if callable(dump) else record
        result = judge(exercise, data, JudgeContext(assignment, references, out_dir))
    print(f"{exercise}: {result.score:g}/{result.max_score:g}")
    print(result.feedback())
    return result.score
