"""The release pipeline as small one-verb stages, run in order by ``autograder.release.main``.

Each stage reads from ``source/<assignment>/`` (with its course values filled in from
course.yaml by the first stage) and adds files (relative path -> text) to the output; nothing is
written until every stage has run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell
from nbgrader.preprocessors import ClearSolutions

from autograder import release_record as record
from autograder.config import Assignment
from autograder.errors import GraderError
from autograder.release import trial
from autograder.release.course_values import fill_file
from autograder.release.sync import drift

STUDENT_FOLDER = "student"
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


@dataclass
class Build:
    """What the stages share: where the source is, and the files made so far."""

    root: Path
    assignment: str
    course: Assignment
    validate: bool | None = None  # None: try the solution only if the course values changed
    on_trial: Callable[[str], None] | None = None  # told why, before the solution is tried
    files: dict[str, str] = field(default_factory=dict)
    filled: dict[str, str] = field(default_factory=dict)  # source name -> with course values

    @property
    def module(self) -> str:
        """The module's file name: ``<module>.py`` of course.yaml."""
        return self.course.module_file

    @property
    def notebook_name(self) -> str:
        """The notebook's file name: ``<module>.ipynb``."""
        return self.course.notebook_file

    @property
    def source(self) -> Path:
        return self.root / "source" / self.assignment

    def read(self, name: str) -> str:
        """A source file, with its course values filled in once ``fill_course_values`` ran."""
        if name in self.filled:
            return self.filled[name]
        path = self.source / name
        try:
            return path.read_text()
        except OSError as exc:
            raise GraderError(f"cannot read {path}: {exc.strerror}") from None

    def student_files(self) -> list[str]:
        """The names of the files in ``source/<assignment>/student/``, as ``student/<name>``."""
        folder = self.source / STUDENT_FOLDER
        return [f"{STUDENT_FOLDER}/{p.name}" for p in sorted(folder.glob("*")) if p.is_file()]

    def notebook(self) -> nbformat.NotebookNode:
        try:
            return nbformat.reads(self.read(self.notebook_name), as_version=4)
        except nbformat.reader.NotJSONError:
            raise GraderError(
                f"{self.source / self.notebook_name} is not a notebook (invalid JSON)"
            ) from None


def fill_course_values(build: Build) -> None:
    """Fill course.yaml's values into the module, the notebook and the student files."""
    for name in (build.module, build.notebook_name, *build.student_files()):
        where = str(build.source / name)
        build.filled[name] = fill_file(name, build.read(name), build.course, where)


def check_sync(build: Build) -> None:
    """Stop if a solution cell of the notebook differs from the module's code."""
    names = drift(build.notebook(), build.read(build.module))
    if names:
        raise GraderError(
            f"{build.source / build.notebook_name}: solution cell '{names[0]}' differs from "
            f"{build.module}; make them equal (the module and notebook share each solution)"
        )


def generate_notebook(build: Build) -> None:
    """The student notebook, made by ``nbgrader generate_assignment`` in a scratch course."""
    with tempfile.TemporaryDirectory(prefix="autograder-release-") as scratch:
        course = Path(scratch)
        shutil.copytree(build.source, course / "source" / build.assignment)
        notebook = build.notebook_name
        (course / "source" / build.assignment / notebook).write_text(build.read(notebook))
        shutil.copyfile(build.root / "course.yaml", course / "course.yaml")
        config = (build.root / "nbgrader_config.py").read_text()
        (course / "nbgrader_config.py").write_text(
            config + f"\nc.CourseDirectory.root = {str(course)!r}\n"
        )
        env = dict(
            os.environ,
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        )
        done = subprocess.run(
            [sys.executable, "-m", "nbgrader", "generate_assignment", build.assignment, "--force"],
            cwd=course,
            env=env,
            capture_output=True,
            text=True,
        )
        made = course / "release" / build.assignment / build.notebook_name
        if done.returncode != 0 or not made.exists():
            errors = [line for line in done.stderr.splitlines() if "ERROR" in line]
            raise GraderError(
                f"nbgrader generate_assignment failed for {build.source / build.notebook_name}: "
                f"{errors[0] if errors else done.stderr.strip()[-200:]}"
            )
        build.files[f"release/{build.assignment}/{build.notebook_name}"] = made.read_text()


def write_stub(build: Build) -> None:
    """The stub module: every solution region becomes nbgrader's code stub."""
    cell = new_code_cell(build.read(build.module))
    ClearSolutions()._replace_solution_region(cell, "python")
    build.files[f"release/{build.assignment}/{build.module}"] = cell.source


def copy_student_files(build: Build) -> None:
    """The visible tests and the student README."""
    for name in build.student_files():
        build.files[f"release/{build.assignment}/{Path(name).name}"] = build.read(name)


def copy_notebook_only(build: Build) -> None:
    """``autograder/notebook_only.py`` (standard library only), which the visible tests import
    the student's module through: an exported notebook's IPython lines and demo cells left out,
    as the grader leaves them out."""
    source = Path(__file__).resolve().parent.parent / "notebook_only.py"
    build.files[f"release/{build.assignment}/notebook_only.py"] = source.read_text()


def _without_markers(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if line.strip() not in SOLUTION_MARKERS)


def write_solutions(build: Build) -> None:
    """The solution module, and the released notebook with its solution cells filled in."""
    module = build.read(build.module)
    build.files[f"solutions/{build.assignment}/{build.module}"] = _without_markers(module)
    released_name = f"release/{build.assignment}/{build.notebook_name}"
    released = nbformat.reads(build.files[released_name], 4)
    solved = {
        cell.metadata.nbgrader["grade_id"]: _without_markers(cell.source)
        for cell in build.notebook().cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }
    for cell in released.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in solved:
            cell.source = solved[grade_id]
    solved_name = f"solutions/{build.assignment}/{build.notebook_name}"
    build.files[solved_name] = nbformat.writes(released) + "\n"


def check_no_leaks(build: Build) -> None:
    """Stop if anything under release/ holds a solution or a hidden test."""
    module = build.read(build.module)
    solution_lines: set[str] = set()
    given_lines: set[str] = set()
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
        if Path(name).name == build.module:
            leaked = [line for line in text.splitlines() if line.strip() in solution_lines]
            if leaked:
                raise GraderError(f"{name} would contain solution code: {leaked[0].strip()!r}")


def try_solution(build: Build) -> None:
    """Refuse a course.yaml the solution cannot pass (see ``autograder.release.trial``); run
    when the course values differ from the last release's, or when asked."""
    values = build.course.values()
    before = record.read_record(build.root, build.assignment)
    unchanged = before is not None and record.difference(values, before["course"]) is None
    validate = build.validate if build.validate is not None else not unchanged
    if not validate and before is not None and unchanged:
        build.files[record.record_path(build.assignment)] = record.record_text(
            values, before.get("solution") or {}
        )
        return
    if not validate:  # --check: what the release should record is not known without a trial
        build.files[record.record_path(build.assignment)] = record.record_text(values, {})
        return
    if build.on_trial:
        build.on_trial("asked to" if build.validate else "course.yaml changed since the release")
    solution = build.files[f"solutions/{build.assignment}/{build.module}"]
    solved = trial.grade_solution(build.course, solution)
    found = trial.problems(build.course, solved)
    if found:
        more = f" (and {len(found) - 1} more: {'; '.join(found[1:])})" if len(found) > 1 else ""
        raise GraderError(f"course.yaml cannot be graded: {found[0]}{more}")
    build.files[record.record_path(build.assignment)] = record.record_text(
        values, trial.figures(build.course, solved)
    )


STAGES = (
    fill_course_values,
    check_sync,
    generate_notebook,
    write_stub,
    copy_student_files,
    copy_notebook_only,
    write_solutions,
    check_no_leaks,
    try_solution,
)
