"""Finding submissions: files, a folder holding one, or a folder of student folders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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


def _pick_file(folder: Path, assignment: str) -> Path | None:
    """The submission file in a student's folder: fashion_mnist.py wins over the notebook."""
    for base in (folder / assignment, folder):
        for name in ("fashion_mnist.py", "fashion_mnist.ipynb"):
            if (base / name).is_file():
                return base / name
    candidates = [p for p in sorted(folder.iterdir()) if p.suffix in SUFFIXES and p.is_file()]
    return candidates[0] if len(candidates) == 1 else None


def _student_of_file(path: Path) -> str:
    if path.stem != "fashion_mnist":
        return path.stem
    parent = path.parent
    return parent.parent.name if parent.name.startswith("c1w") else parent.name


def find_submissions(paths: list[Path], assignment: str) -> list[Submission]:
    """Every submission named by ``paths``; a GraderError for a path that holds none."""
    found: list[Submission] = []
    for path in paths:
        if not path.exists():
            raise GraderError(f"cannot read {path}: no such file or folder")
        if path.is_file():
            if path.suffix not in SUFFIXES:
                raise GraderError(f"{path} is not a .py or .ipynb submission")
            found.append(Submission(_student_of_file(path), path))
            continue
        single = _pick_file(path, assignment)
        if single is not None and (single.parent in (path, path / assignment)):
            found.append(
                Submission(
                    _student_of_file(single) if single.stem != "fashion_mnist" else path.name,
                    single,
                )
            )
            continue
        students = [p for p in sorted(path.iterdir()) if p.is_dir() and not p.name.startswith(".")]
        before = len(found)
        for folder in students:
            chosen = _pick_file(folder, assignment)
            if chosen is None:
                found.append(Submission(folder.name, folder / "fashion_mnist.py"))
            else:
                found.append(Submission(folder.name, chosen))
        if len(found) == before:
            raise GraderError(
                f"no submissions in {path}: expected fashion_mnist.py or fashion_mnist.ipynb, "
                "or one folder per student"
            )
    names = [s.student for s in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise GraderError(f"two submissions for student {duplicates[0]}: grade them separately")
    return found
