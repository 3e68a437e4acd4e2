"""``autograder release``: make release/ and solutions/ from source/, or check they are current."""

from __future__ import annotations

from pathlib import Path

from autograder.config import ROOT, load_course
from autograder.release.stages import STAGES, Build


def build(assignment: str, root: Path = ROOT) -> dict[str, str]:
    """Run every stage; return the generated files (relative path -> text)."""
    load_course(root / "course.yaml").assignment(assignment)
    state = Build(root, assignment)
    for stage in STAGES:
        stage(state)
    return state.files


def main(assignment: str, check: bool = False, root: Path = ROOT) -> list[str]:
    """Write the release (or, with ``check``, compare it); return the paths that changed."""
    files = build(assignment, root)
    changed = []
    for folder in (f"release/{assignment}", f"solutions/{assignment}"):
        existing = {str(p.relative_to(root)) for p in (root / folder).rglob("*")
                    if p.is_file() and "__pycache__" not in p.parts
                    and ".pytest_cache" not in p.parts}
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
