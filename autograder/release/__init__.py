"""``autograder release``: make release/ and solutions/ from source/ and course.yaml, or check
they are current."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from autograder import release_record as record
from autograder.config import ROOT, load_course


def build(
    assignment: str,
    root: Path = ROOT,
    validate: bool | None = None,
    on_trial: Callable[[str], None] | None = None,
) -> dict[str, str]:
    """Run every stage; return the generated files (relative path -> text). ``validate``: try
    the solution under course.yaml (None: only when its values changed since the last release);
    ``on_trial`` is told why before it is."""
    from autograder.release.stages import STAGES, Build  # nbgrader: not for who reads the record

    course = load_course(root / "course.yaml").assignment(assignment)
    state = Build(root, assignment, course, validate, on_trial)
    for stage in STAGES:
        stage(state)
    return state.files


def main(
    assignment: str,
    check: bool = False,
    root: Path = ROOT,
    validate: bool | None = None,
    on_trial: Callable[[str], None] | None = None,
) -> list[str]:
    """Write the release (or, with ``check``, compare it); return the paths that changed.
    ``check`` on a release made with other course values stops at its record: it is stale."""
    if check and _made_with_other_values(assignment, root):
        return [record.record_path(assignment)]
    files = build(assignment, root, False if check else validate, on_trial)
    changed = []
    for folder in (f"release/{assignment}", f"solutions/{assignment}"):
        existing = {
            str(p.relative_to(root))
            for p in (root / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and ".pytest_cache" not in p.parts
        }
        for stale in sorted(existing - set(files)):
            changed.append(stale)
            if not check:
                (root / stale).unlink()
    for name, text in sorted(files.items()):
        path = root / name
        if not path.exists() or path.read_text() != text:
            changed.append(name)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
    return changed


def _made_with_other_values(assignment: str, root: Path) -> bool:
    course = load_course(root / "course.yaml").assignment(assignment)
    before = record.read_record(root, assignment)
    return before is not None and record.difference(course.values(), before["course"]) is not None


def out_of_date(assignment: str, changed: list[str], root: Path = ROOT) -> str:
    """The one line ``release --check`` fails with: the first file that differs and, when
    course.yaml changed since the release was made, the key."""
    course = load_course(root / "course.yaml").assignment(assignment)
    before = record.read_record(root, assignment)
    diff = record.difference(course.values(), before["course"]) if before else None
    if diff is not None:
        return f"{changed[0]} is out of date: {record.stale_message(assignment, diff)}"
    return f"{changed[0]} is out of date with source/: run `autograder release {assignment}`"
