"""What the release tells students about their self-check: per exercise, what it checks and
what only the grader checks, and the grader's TensorFlow and Keras versions.

The assignment package's optional ``self_check`` module says which of each judge's sub-checks
the notebook's check cells (``NOTEBOOK``) and the visible tests (``MODULE``) cover; every other
sub-check of the judge's ``SUBCHECKS`` is the grader's alone. The release writes it:

- into the notebook, as the text of its last cell (grade id ``self_check_summary``, locked);
- into Python files students run (the notebook's code cells, the visible tests' conftest.py):
  a line ``NAME = ...  # release: KEY`` gets KEY's value (strings, lists and dicts of them,
  written as JSON, which Python reads the same) as its right-hand side, and loses the mark.
  KEY is ``grader_versions`` (``autograder.release.pins``) or ``self_check_module`` (exercise
  -> ``{"checked": [...], "grader_only": [...]}`` for the visible tests).

Both ``autograder release`` (a stage) and ``nbgrader generate_assignment`` (the preprocessor
``FillReleaseFacts``, listed in nbgrader_config.py) fill them, so they make the same notebook.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.preprocessors import Preprocessor
from pydantic import BaseModel
from traitlets import Bool

from autograder import registry
from autograder.config import Assignment, load_course
from autograder.errors import GraderError
from autograder.release.course_values import course_file_in
from autograder.release.pins import grader_versions

SUMMARY_CELL = "self_check_summary"
ROUTES = ("notebook", "module")
MARK = re.compile(r"^(?P<lhs>\s*[A-Za-z_]\w* = ).*?\s*# release: (?P<key>\w+)\s*$")
LINE_LENGTH = 100
PARAMETER = re.compile(r"^(?P<name>\w+)=\d")


class Coverage(BaseModel):
    """One exercise's sub-checks on one route: those its self-check covers, the grader's own."""

    exercise: str
    checked: list[str]
    grader_only: list[str]


def _table(package: str) -> Any:
    """The package's ``self_check`` module, or None if it has none."""
    return registry.optional_module(f"{package}.self_check")


def _covered(table: Any, route: str, exercise: str) -> list[str]:
    if route == "notebook":
        return list(getattr(table, "NOTEBOOK", {}).get(exercise, ()))
    tests = getattr(table, "MODULE", {}).get(exercise, {})
    return list(dict.fromkeys(name for names in tests.values() for name in names))


def shown(name: str) -> str:
    """How a sub-check only the grader runs is named to students: never by its input. A
    ``parameter=<number>`` sub-check (the grader's unseen value) becomes the parameter alone."""
    match = PARAMETER.match(name)
    return f"{match['name']} the grader picks" if match else name


def coverage(assignment: Assignment, route: str) -> list[Coverage] | None:
    """Per exercise of ``assignment``, what the ``route``'s self-check covers (None: the
    package says nothing of its self-check)."""
    table = _table(assignment.package)
    if table is None:
        return None
    found = []
    for exercise in assignment.exercises:
        judge = registry.load(assignment.package, exercise, "judge")
        subchecks = list(getattr(judge, "SUBCHECKS", {}))
        covered = _covered(table, route, exercise)
        unknown = [name for name in covered if name not in subchecks]
        if unknown:
            raise GraderError(
                f"{assignment.package}.self_check names '{unknown[0]}' for {exercise}, which "
                f"is no sub-check of its judge (it has: {', '.join(subchecks)})"
            )
        grader_only = [shown(name) for name in subchecks if name not in covered]
        found.append(
            Coverage(
                exercise=exercise,
                checked=[name for name in subchecks if name in covered],
                grader_only=list(dict.fromkeys(grader_only)),
            )
        )
    return found


def summary_markdown(rows: list[Coverage]) -> str:
    """The notebook's last cell: a table of what the check cells checked and what they did not."""
    lines = [
        "## What your checks covered",
        "",
        "The check cells above test part of each exercise, on small inputs of their own. The "
        "grader also runs the checks in the last column, on inputs you have not seen, and "
        "trains on real Fashion-MNIST: every check passing here is a good sign, not full "
        "marks. The names are the grader's, as its feedback uses them.",
        "",
        "| exercise | checked here | only the grader checks |",
        "|---|---|---|",
    ]
    for row in rows:
        checked = ", ".join(row.checked) or "nothing"
        grader_only = ", ".join(row.grader_only) or "the same checks, on its own inputs"
        lines.append(f"| `{row.exercise}` | {checked} | {grader_only} |")
    return "\n".join(lines)


def module_summary(rows: list[Coverage]) -> dict[str, dict[str, list[str]]]:
    """The visible tests' summary as plain data, for their conftest.py."""
    return {row.exercise: {"checked": row.checked, "grader_only": row.grader_only} for row in rows}


def facts(assignment: Assignment) -> dict[str, Any]:
    """KEY -> value for the ``# release: KEY`` marks."""
    rows = coverage(assignment, "module")
    return {
        "grader_versions": grader_versions(),
        "self_check_module": module_summary(rows) if rows is not None else {},
    }


def fill_python(text: str, values: dict[str, Any], where: str) -> str:
    """``text`` with every ``NAME = ...  # release: KEY`` line's value set to KEY's."""
    lines = []
    for number, line in enumerate(text.split("\n"), start=1):
        mark = MARK.match(line)
        if mark is None:
            lines.append(line)
            continue
        if mark["key"] not in values:
            raise GraderError(
                f"{where} line {number}: `# release: {mark['key']}` names none of "
                f"{', '.join(values)}"
            )
        text = json.dumps(values[mark["key"]])
        if len(mark["lhs"]) + len(text) > LINE_LENGTH:
            text = json.dumps(values[mark["key"]], indent=4)
        lines.append(mark["lhs"] + text)
    return "\n".join(lines)


def fill_notebook(
    notebook: nbformat.NotebookNode, assignment: Assignment, where: str
) -> nbformat.NotebookNode:
    """A copy of ``notebook`` with the release's facts in its code cells and summary cell."""
    filled = copy.deepcopy(notebook)
    values = facts(assignment)
    rows = coverage(assignment, "notebook")
    for index, cell in enumerate(filled.cells):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code":
            cell.source = fill_python(cell.source, values, f"{where} cell {index}")
        elif grade_id == SUMMARY_CELL and rows is not None:
            cell.source = summary_markdown(rows)
    return filled


def fill_file(name: str, text: str, assignment: Assignment, where: str) -> str:
    """``text`` of the source file ``name`` with the release's facts filled in, by its kind."""
    suffix = Path(name).suffix
    if suffix == ".py":
        return fill_python(text, facts(assignment), where)
    if suffix == ".ipynb":
        notebook = nbformat.reads(text, as_version=4)
        return nbformat.writes(fill_notebook(notebook, assignment, where)) + "\n"
    return text


class FillReleaseFacts(Preprocessor):
    """The same filling inside ``nbgrader generate_assignment`` (see nbgrader_config.py)."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        assignment_id = resources.get("nbgrader", {}).get("assignment", "")
        assignment = load_course(course_file_in(Path.cwd())).assignment(assignment_id)
        where = f"{resources.get('nbgrader', {}).get('notebook', 'notebook')}.ipynb"
        return fill_notebook(nb, assignment, where), resources
