"""The release pipeline as small one-verb stages, run in order by ``autograder.release.main``.

Each stage reads from ``source/<assignment>/`` and adds files (relative path -> text) to the
output; nothing is written until every stage has run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell
from nbgrader.preprocessors import ClearSolutions

from autograder.errors import GraderError
from autograder.release.sync import drift

MODULE = "fashion_mnist.py"
NOTEBOOK = "fashion_mnist.ipynb"
STUDENT_FOLDER = "student"
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


@dataclass
class Build:
    """What the stages share: where the source is, and the files made so far."""

    root: Path
    assignment: str
    files: dict[str, str] = field(default_factory=dict)

    @property
    def source(self) -> Path:
        return self.root / "source" / self.assignment

    def read(self, name: str) -> str:
        path = self.source / name
        try:
            return path.read_text()
        except OSError as exc:
            raise GraderError(f"cannot read {path}: {exc.strerror}") from None

    def notebook(self) -> nbformat.NotebookNode:
        try:
            return nbformat.reads(self.read(NOTEBOOK), as_version=4)
        except nbformat.reader.NotJSONError:
            raise GraderError(f"{self.source / NOTEBOOK} is not a notebook (invalid JSON)") from None


def check_sync(build: Build) -> None:
    """Stop if a solution cell of the notebook differs from the module's code."""
    names = drift(build.notebook(), build.read(MODULE))
    if names:
        raise GraderError(
            f"{build.source / NOTEBOOK}: solution cell '{names[0]}' differs from "
            f"{MODULE}; make them equal (the module and notebook share each solution)"
        )


def generate_notebook(build: Build) -> None:
    """The student notebook, made by ``nbgrader generate_assignment`` in a scratch course."""
    with tempfile.TemporaryDirectory(prefix="c1w2-release-") as scratch:
        course = Path(scratch)
        shutil.copytree(build.source, course / "source" / build.assignment)
        config = (build.root / "nbgrader_config.py").read_text()
        (course / "nbgrader_config.py").write_text(
            config + f"\nc.CourseDirectory.root = {str(course)!r}\n"
        )
        env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}"
                                    f"{os.environ.get('PATH', '')}")
        done = subprocess.run(
            [sys.executable, "-m", "nbgrader", "generate_assignment", build.assignment,
             "--force"],
            cwd=course, env=env, capture_output=True, text=True,
        )
        made = course / "release" / build.assignment / NOTEBOOK
        if done.returncode != 0 or not made.exists():
            errors = [line for line in done.stderr.splitlines() if "ERROR" in line]
            raise GraderError(f"nbgrader generate_assignment failed for {build.source / NOTEBOOK}: "
                              f"{errors[0] if errors else done.stderr.strip()[-200:]}")
        build.files[f"release/{build.assignment}/{NOTEBOOK}"] = made.read_text()


def write_stub(build: Build) -> None:
    """The stub module: every solution region becomes nbgrader's code stub."""
    cell = new_code_cell(build.read(MODULE))
    ClearSolutions()._replace_solution_region(cell, "python")
    build.files[f"release/{build.assignment}/{MODULE}"] = cell.source


def copy_student_files(build: Build) -> None:
    """The visible tests and the student README."""
    folder = build.source / STUDENT_FOLDER
    for path in sorted(folder.glob("*")):
        if path.is_file():
            build.files[f"release/{build.assignment}/{path.name}"] = path.read_text()


def _without_markers(text: str) -> str:
    return "\n".join(line for line in text.split("\n")
                     if line.strip() not in SOLUTION_MARKERS)


def write_solutions(build: Build) -> None:
    """The solution module, and the released notebook with its solution cells filled in."""
    module = build.read(MODULE)
    build.files[f"solutions/{build.assignment}/{MODULE}"] = _without_markers(module)
    released = nbformat.reads(build.files[f"release/{build.assignment}/{NOTEBOOK}"], 4)
    solved = {cell.metadata.nbgrader["grade_id"]: _without_markers(cell.source)
              for cell in build.notebook().cells
              if cell.get("metadata", {}).get("nbgrader", {}).get("solution")}
    for cell in released.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in solved:
            cell.source = solved[grade_id]
    build.files[f"solutions/{build.assignment}/{NOTEBOOK}"] = nbformat.writes(released) + "\n"


def check_no_leaks(build: Build) -> None:
    """Stop if anything under release/ holds a solution or a hidden test."""
    module = build.read(MODULE)
    solution_lines, given_lines = set(), set()
    inside = False
    for line in module.splitlines():
        if line.strip() in SOLUTION_MARKERS:
            inside = line.strip() == SOLUTION_MARKERS[0]
        else:
            (solution_lines if inside else given_lines).add(line.strip())
    solution_lines = {line for line in solution_lines - given_lines if re.search(r"\w", line)}
    for name, text in build.files.items():
        if not name.startswith("release/"):
            continue
        for marker in (*SOLUTION_MARKERS, HIDDEN_BEGIN, "autograder.checks"):
            if marker in text:
                raise GraderError(f"{name} would contain '{marker}': not released")
        if Path(name).name == MODULE:
            leaked = [line for line in text.splitlines() if line.strip() in solution_lines]
            if leaked:
                raise GraderError(f"{name} would contain solution code: {leaked[0].strip()!r}")


STAGES = (check_sync, generate_notebook, write_stub, copy_student_files, write_solutions,
          check_no_leaks)
