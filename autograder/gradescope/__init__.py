"""``autograder gradescope``: build the autograder zip that Gradescope runs.

The zip holds ``setup.sh`` and ``run_autograder`` at its root (Gradescope's specification), the
grader package, ``course.yaml``, and ``pyproject.toml`` whose pinned dependencies ``setup.sh``
installs. ``run_autograder`` calls :func:`autograder.gradescope.run.main`, which grades with the
same library code as ``autograder grade``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import autograder
from autograder.config import DEFAULT_COURSE_FILE, ROOT, load_course
from autograder.errors import GraderError
from autograder.gradescope.scripts import SETUP_SH, run_autograder
from autograder.release_record import check_current, record_path

PACKAGE = Path(autograder.__file__).resolve().parent
PROJECT_FILES = ("pyproject.toml", "README.md")  # pip install -e needs both


def _add(archive: zipfile.ZipFile, name: str, data: bytes, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = (0o100755 if executable else 0o100644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


PACKAGE_SUFFIXES = (".py", ".j2")  # the code, and the feedback and report templates


def package_files() -> list[Path]:
    """The grader's files, as they go into the zip: Python code and package data."""
    return sorted(
        p
        for p in PACKAGE.rglob("*")
        if p.suffix in PACKAGE_SUFFIXES and "__pycache__" not in p.parts
    )


def main(assignment_id: str, out: Path, course_file: Path = DEFAULT_COURSE_FILE) -> Path:
    """Write the Gradescope autograder zip for ``assignment_id`` to ``out``; return its path."""
    assignment = load_course(course_file).assignment(assignment_id)  # unknown id: GraderError
    check_current(Path(course_file).parent, assignment_id, assignment)
    missing = [name for name in PROJECT_FILES if not (ROOT / name).is_file()]
    if missing:
        raise GraderError(f"cannot build the zip: {ROOT / missing[0]} is missing")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w") as archive:
            _add(archive, "setup.sh", SETUP_SH.encode(), executable=True)
            _add(archive, "run_autograder", run_autograder(assignment_id).encode(), True)
            _add(archive, "course.yaml", Path(course_file).read_bytes())
            # Read-only notebook cells a student changed run as released: load_course reads them.
            notebook = f"release/{assignment_id}/{assignment.notebook_file}"
            released = Path(course_file).parent / notebook
            if released.is_file():
                _add(archive, notebook, released.read_bytes())
            made_with = Path(course_file).parent / record_path(assignment_id)
            if made_with.is_file():
                _add(archive, record_path(assignment_id), made_with.read_bytes())
            for name in PROJECT_FILES:
                _add(archive, name, (ROOT / name).read_bytes())
            for path in package_files():
                name = "autograder/" + path.relative_to(PACKAGE).as_posix()
                _add(archive, name, path.read_bytes())
    except OSError as exc:
        raise GraderError(f"cannot write {out}: {exc.strerror}") from None
    return out
