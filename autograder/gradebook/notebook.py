"""The autograded notebook nbgrader's generate_feedback reads: the released notebook (no
solutions, no hidden tests) with the grader's feedback as the output of each graded cell."""

from __future__ import annotations

from pathlib import Path

import nbformat

from autograder.errors import GraderError


def feedback_notebook(
    released: Path, feedback: dict[str, str], scores: dict[str, str]
) -> nbformat.NotebookNode:
    """The released notebook with each graded cell's output replaced by its exercise's feedback
    (``feedback`` and ``scores`` are keyed by grade cell id)."""
    try:
        notebook = nbformat.read(released, as_version=4)
    except (OSError, ValueError) as exc:
        raise GraderError(
            f"cannot read {released} ({exc}): run `autograder release` to write it"
        ) from None
    count = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        count += 1
        cell.execution_count = count
        cell.outputs = []
        if grade_id in feedback:
            text = f"{scores[grade_id]}\n{feedback[grade_id]}\n"
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    return notebook


def write_notebook(notebook: nbformat.NotebookNode, path: Path) -> None:
    """Write ``notebook`` to ``path``, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
