"""The code a notebook submission contributes: its code cells, minus tests and demos.

Test cells are not run (a student may have edited them; the grader's own checks replace
them), nor the read-only demonstration cells (they train for minutes and grade nothing). A
read-only cell the student edited anyway runs as released, as ``nbgrader autograde`` does.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from autograder.errors import GraderError

DEMO_PREFIX = "demo_"


def _is_skipped(cell: dict) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    is_test = bool(meta.get("grade")) and not meta.get("solution")
    return is_test or str(meta.get("grade_id", "")).startswith(DEMO_PREFIX)


def _strip_magics(source: str) -> str:
    """IPython-only lines (``%matplotlib``, ``!pip``) become comments, the rest stays put."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        lines.append(
            f"# (not run by the grader) {stripped}" if stripped[:1] in "%!" and stripped else line
        )
    return "\n".join(lines)


def _read_only_id(cell: dict) -> str | None:
    """The grade id of a locked code cell that is neither a solution nor a test, else None."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if cell.get("cell_type") != "code" or not meta.get("locked") or meta.get("solution"):
        return None
    return None if meta.get("grade") else meta.get("grade_id")


def read_only_cells(path: Path) -> dict[str, str]:
    """Grade id -> source of each read-only code cell of the released notebook ``path``."""
    notebook = nbformat.read(path, as_version=4)
    return {grade_id: cell.source for cell in notebook.cells if (grade_id := _read_only_id(cell))}


def code_cells(path: Path, released: dict[str, str]) -> tuple[list[str], list[str]]:
    """The sources to run, in order, and the grade ids of the read-only cells the student
    changed (they run as ``released``); GraderError if the file is not a notebook."""
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds for bad files
        raise GraderError(
            f"{path.name} is not a readable notebook ({type(exc).__name__}): "
            "submit the .ipynb file saved by Jupyter"
        ) from None
    sources, restored = [], []
    for cell in notebook.cells:
        if cell.cell_type != "code" or _is_skipped(cell):
            continue
        # By grade id alone: the student's copy of the metadata may have been edited too.
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        source = cell.source
        if grade_id in released and source != released[grade_id]:
            source = released[grade_id]
            restored.append(grade_id)
        sources.append(_strip_magics(source))
    return sources, restored
