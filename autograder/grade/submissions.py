"""Finding submissions: files, a folder holding one, or a folder of student folders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.config import Assignment
from autograder.errors import GraderError

SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class Submission:
    """One student's file to grade."""

    student: str
    path: Path

    @property
    def kind(self) -> str:
        return "notebook" if self.path.suffix == ".ipynb" else "module"


def _pick_file(folder: Path, assignment: Assignment) -> Path | None:
    """The submission file in a student's folder: the module wins over the notebook."""
    for base in (folder / assignment.id, folder):
        for name in assignment.submission_files:
            if (base / name).is_file():
                return base / name
    candidates = [p for p in sorted(folder.iterdir()) if p.suffix in SUFFIXES and p.is_file()]
    return candidates[0] if len(candidates) == 1 else None


def _student_of_file(path: Path, assignment: Assignment) -> str:
    if path.stem != assignment.module:
        return path.stem
    parent = path.parent
    return parent.parent.name if parent.name == assignment.id else parent.name


def find_submissions(paths: list[Path], assignment: Assignment) -> list[Submission]:
    """Every submission named by ``paths``; a GraderError for a path that holds none."""
    found: list[Submission] = []
    for path in paths:
        if not path.exists():
            raise GraderError(f"cannot read {path}: no such file or folder")
        if path.is_file():
            if path.suffix not in SUFFIXES:
                raise GraderError(f"{path} is not a .py or .ipynb submission")
            found.append(Submission(_student_of_file(path, assignment), path))
            continue
        single = _pick_file(path, assignment)
        if single is not None and (single.parent in (path, path / assignment.id)):
            found.append(
                Submission(
                    _student_of_file(single, assignment)
                    if single.stem != assignment.module
                    else path.name,
                    single,
                )
            )
            continue
        students = [p for p in sorted(path.iterdir()) if p.is_dir() and not p.name.startswith(".")]
        before = len(found)
        for folder in students:
            chosen = _pick_file(folder, assignment)
            if chosen is None:
                found.append(Submission(folder.name, folder / assignment.module_file))
            else:
                found.append(Submission(folder.name, chosen))
        if len(found) == before:
            module, notebook = assignment.submission_files
            raise GraderError(
                f"no submissions in {path}: expected {module} or {notebook}, "
                "or one folder per student"
            )
    names = [s.student for s in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise GraderError(f"two submissions for student {duplicates[0]}: grade them separately")
    return found
