"""Run a notebook's check cells as a student would: answers pasted into the released notebook's
solution cells, the demonstrations left out, every other cell run top to bottom in a Jupyter
kernel (nbclient). Used by tests/release/test_check_cells.py and, for the whole equivalence
corpus, by ``python -m tests.release.check_cells OUT_DIR [N]``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tests.corpus.equivalence import RELEASE, Variant, as_notebook, variants

RELEASED_NOTEBOOK = RELEASE / "fashion_mnist.ipynb"
CHECK_PREFIX = "check_"
DEMO_PREFIX = "demo_"


def _grade_id(cell: nbformat.NotebookNode) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or ""


def without_demos(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` without its demonstration cells (they train on all the data)."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells = [c for c in notebook.cells if not _grade_id(c).startswith(DEMO_PREFIX)]
    return notebook


def failed_check_cells(path: Path, timeout: int = 300) -> dict[str, str]:
    """Run the notebook at ``path`` without its demonstrations; return each check cell that
    raised, by grade id, with the last line of its error (empty: every check cell passed).
    A cell that is not a check cell and raises counts too, under its own grade id."""
    notebook = without_demos(path)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    failed = {}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                failed[_grade_id(cell) or "(unnamed cell)"] = (
                    f"{output.get('ename')}: {output.get('evalue')}".strip()[:300]
                )
    return failed


def variant_notebook(variant: Variant, folder: Path, released: Path = RELEASED_NOTEBOOK) -> Path:
    """``variant``'s functions pasted into the released notebook's solution cells."""
    return as_notebook(variant, folder / variant.name / "fashion_mnist.ipynb", source=released)


def check_cells_of_corpus(folder: Path, count: int | None = None) -> dict[str, dict[str, str]]:
    """Each variant of the equivalence corpus (the first ``count``) -> its failed check cells."""
    chosen = variants()[:count] if count else variants()
    return {v.name: failed_check_cells(variant_notebook(v, folder)) for v in chosen}


if __name__ == "__main__":  # OUT_DIR [COUNT [RELEASED_NOTEBOOK]]
    out = Path(sys.argv[1])
    limit = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] != "all" else None
    released = Path(sys.argv[3]) if len(sys.argv) > 3 else RELEASED_NOTEBOOK
    chosen = variants()[:limit] if limit else variants()
    failing = 0
    started = time.monotonic()
    for variant in chosen:
        failed = failed_check_cells(variant_notebook(variant, out, released))
        failing += bool(failed)
        print(variant.name, "ok" if not failed else failed, flush=True)
    print(
        f"{failing} of {len(chosen)} notebooks fail a check cell "
        f"({time.monotonic() - started:.0f} s)"
    )
