"""The code a notebook submission contributes: its code cells, minus tests and demos.

Test cells are not run (a student may have edited them; the grader's own checks replace
them), nor the read-only demonstration cells (they train for minutes and grade nothing).
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


def code_cells(path: Path) -> list[str]:
    """The sources to run, in order; GraderError if the file is not a notebook."""
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds for bad files
        raise GraderError(
            f"{path.name} is not a readable notebook ({type(exc).__name__}): "
            "submit the .ipynb file saved by Jupyter"
        ) from None
    return [
        _strip_magics(cell.source)
        for cell in notebook.cells
        if cell.cell_type == "code" and not _is_skipped(cell)
    ]
