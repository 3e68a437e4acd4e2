"""Fill the course values into what ``autograder release`` makes from ``source/``.

course.yaml is the one source of every number an instructor may change; source/ marks where
each one appears, in two ways that keep the source files runnable and readable:

- Python (the module, the notebook's code cells, the visible tests): a line that ends in
  ``# course: KEY`` gets its first number replaced by KEY's value, and the mark is dropped from
  what is released, e.g. ``def __init__(self, threshold=0.85, metric="accuracy"):  # course:
  checks.callback_threshold``.
- Markdown (the notebook's markdown cells, the student README): ``{{ KEY }}`` is a Jinja2
  expression over the assignment's values, e.g. ``{{ exercises.normalize.points }}``.

KEY is a dotted course.yaml key under the assignment (``checks.callback_threshold``,
``exercises.normalize.points``, ``total``). The graded cell of each exercise
(``test_<exercise>``) gets the exercise's points as its nbgrader points. With the shipped
course.yaml every value is the one source/ already shows, so source/ reads as the release does.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import jinja2
import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from autograder.config import DEFAULT_COURSE_FILE, Assignment, load_course
from autograder.errors import GraderError
from autograder.release_record import shown

MARK = re.compile(r"^(?P<code>.*?)\s*# course: (?P<key>[\w.]+)\s*$")
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")
GRADED_CELL_PREFIX = "test_"


def fill_python(text: str, values: dict[str, Any], where: str) -> str:
    """``text`` with every ``# course: KEY`` line's first number set to KEY's value."""
    lines = []
    for number, line in enumerate(text.split("\n"), start=1):
        mark = MARK.match(line)
        if mark is None:
            lines.append(line)
            continue
        key, code = mark["key"], mark["code"]
        if key not in values:
            raise GraderError(f"{where} line {number}: `# course: {key}` names no course.yaml key")
        if not NUMBER.search(code):
            raise GraderError(
                f"{where} line {number}: `# course: {key}` marks a line without a number to fill in"
            )
        lines.append(NUMBER.sub(shown(values[key]), code, count=1))
    return "\n".join(lines)


_JINJA = jinja2.Environment(
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    autoescape=False,
    finalize=lambda value: shown(value) if isinstance(value, (int, float)) else value,
)


EXPRESSION = re.compile(r"{{.*?}}")


def fill_markdown(text: str, assignment: Assignment, where: str) -> str:
    """``text`` with every ``{{ KEY }}`` expression evaluated over the assignment's values."""
    context = assignment.model_dump(exclude={"read_only_cells"})
    try:
        return _JINJA.from_string(text).render(context)
    except jinja2.TemplateError as exc:
        for number, line in enumerate(text.split("\n"), start=1):
            for expression in EXPRESSION.findall(line):
                try:
                    _JINJA.from_string(expression).render(context)
                except jinja2.TemplateError:
                    raise GraderError(
                        f"{where} line {number}: `{expression}` names no course.yaml key"
                    ) from None
        lineno = getattr(exc, "lineno", None)
        line = f" line {lineno}" if lineno else ""
        raise GraderError(f"{where}{line}: {exc.message or type(exc).__name__}") from None


def fill_notebook(
    notebook: nbformat.NotebookNode, assignment: Assignment, where: str
) -> nbformat.NotebookNode:
    """A copy of ``notebook`` with its course values and its graded cells' points filled in."""
    filled = copy.deepcopy(notebook)
    values = assignment.values()
    for index, cell in enumerate(filled.cells):
        place = f"{where} cell {index}"
        if cell.cell_type == "markdown":
            cell.source = fill_markdown(cell.source, assignment, place)
        elif cell.cell_type == "code":
            cell.source = fill_python(cell.source, values, place)
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id", "")
        if meta.get("grade") and grade_id.startswith(GRADED_CELL_PREFIX):
            exercise = grade_id.removeprefix(GRADED_CELL_PREFIX)
            if exercise not in assignment.exercises:
                raise GraderError(
                    f"{where}: graded cell '{grade_id}' is for no exercise of course.yaml"
                )
            points = assignment.exercises[exercise].points
            meta["points"] = int(points) if float(points).is_integer() else points
    return filled


def fill_file(name: str, text: str, assignment: Assignment, where: str) -> str:
    """``text`` of the source file ``name`` with its course values filled in, by its kind."""
    suffix = Path(name).suffix
    if suffix == ".py":
        return fill_python(text, assignment.values(), where)
    if suffix == ".md":
        return fill_markdown(text, assignment, where)
    if suffix == ".ipynb":
        notebook = nbformat.reads(text, as_version=4)
        return nbformat.writes(fill_notebook(notebook, assignment, where)) + "\n"
    return text


def course_file_in(folder: Path) -> Path:
    """The course.yaml of the course directory ``folder``, or the kit's own."""
    candidate = folder / "course.yaml"
    return candidate if candidate.is_file() else DEFAULT_COURSE_FILE


class FillCourseValues(Preprocessor):
    """The same filling inside ``nbgrader generate_assignment`` (nbgrader_config.py runs it
    first), so the notebook nbgrader makes and records in its gradebook, with each graded
    cell's points, follows course.yaml just as ``autograder release`` does. nbgrader runs its
    preprocessors in the course directory."""

    enabled = Bool(True).tag(config=True)  # nbconvert's preprocessors are off unless enabled

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        assignment_id = resources.get("nbgrader", {}).get("assignment", "")
        course_file = course_file_in(Path.cwd())
        assignment = load_course(course_file).assignment(assignment_id)
        where = f"{resources.get('nbgrader', {}).get('notebook', 'notebook')}.ipynb"
        return fill_notebook(nb, assignment, where), resources
