"""The nbgrader side: the course directory as nbgrader_config.py sets it, and the assignment's
notebook and grade cells in the gradebook (created by nbgrader's own generate_assignment)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps.api import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from traitlets.config import Config, PyFileConfigLoader

from autograder.errors import GraderError

CONFIG_FILE = "nbgrader_config.py"


def course_directory(root: Path, db_url: str | None = None) -> CourseDirectory:
    """nbgrader's CourseDirectory for the course at ``root`` (its nbgrader_config.py if any),
    with ``db_url`` overriding the gradebook (nbgrader's default: root/gradebook.db)."""
    config = Config()
    if (root / CONFIG_FILE).is_file():
        config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    if "root" not in config.CourseDirectory:
        config.CourseDirectory.root = str(root)
    if db_url:
        config.CourseDirectory.db_url = db_url
    return CourseDirectory(config=config)


def shown(db_url: str) -> str:
    """The database URL with any password hidden, for messages."""
    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except ArgumentError:
        return db_url


def _alembic_on_path() -> None:
    """nbgrader runs the ``alembic`` command to create a gradebook: find this Python's own."""
    if shutil.which("alembic") is None:
        here = str(Path(sys.executable).parent)
        os.environ["PATH"] = here + os.pathsep + os.environ.get("PATH", "")


def open_gradebook(coursedir: CourseDirectory) -> Gradebook:
    """The gradebook; a GraderError naming the URL when it cannot be opened."""
    _alembic_on_path()
    try:
        return Gradebook(coursedir.db_url, coursedir.course_id)
    except (ArgumentError, SQLAlchemyError, ImportError) as exc:
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise GraderError(
            f"cannot open the gradebook {shown(coursedir.db_url)}: {detail} (check --db-url)"
        ) from None


def grade_cells(
    coursedir: CourseDirectory, assignment_id: str, notebook: str
) -> dict[str, float] | None:
    """Grade cell id -> points of the assignment's ``notebook`` in the gradebook, None if
    absent."""
    with open_gradebook(coursedir) as gradebook:
        try:
            found = gradebook.find_notebook(notebook, assignment_id)
        except MissingEntry:
            return None
        return {cell.name: cell.max_score for cell in found.grade_cells}


def ensure_assignment(
    coursedir: CourseDirectory, assignment_id: str, notebook: str
) -> dict[str, float]:
    """The assignment's grade cells, recorded first by nbgrader's generate_assignment if the
    gradebook lacks them (its release copy goes to a temporary folder, not release/)."""
    cells = grade_cells(coursedir, assignment_id, notebook)
    if cells is not None:
        return cells
    source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment_id))
    if not (source / f"{notebook}.ipynb").is_file():
        raise GraderError(
            f"the gradebook has no assignment '{assignment_id}' and {source / notebook}.ipynb "
            "is missing to record it from"
        )
    with tempfile.TemporaryDirectory(prefix="autograder-nbgrader-") as tmp:
        original = coursedir.release_directory
        coursedir.release_directory = tmp
        try:
            done = NbGraderAPI(coursedir=coursedir).generate_assignment(assignment_id)
        finally:
            coursedir.release_directory = original
    if not done["success"]:
        last = (done.get("error") or done.get("log") or "").strip().splitlines()
        raise GraderError(
            f"nbgrader could not record '{assignment_id}' in the gradebook "
            f"{shown(coursedir.db_url)}: {last[-1] if last else 'no detail'}"
        )
    return grade_cells(coursedir, assignment_id, notebook) or {}
