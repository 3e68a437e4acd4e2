"""A notebook saved as a script (Jupyter's "Download as Python") grades as the notebook does,
and passes the visible tests as the module does: its IPython lines and the released demo and
check cells are not run, and the feedback says so once."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from tests.conftest import (
    SOLUTION_NOTEBOOK,
    TRAINING_EXERCISES,
    edited_notebook,
    scores,
)
from tests.corpus.export import exported_script
from tests.corpus.reach import unwritten
from tests.release.test_visible_tests import self_check

pytestmark = pytest.mark.slow

IPYTHON_CELL = "%matplotlib inline\n!echo installing nothing"
LEFT_OUT_IPYTHON = ["%matplotlib inline", "!echo installing nothing", "%%time"]


def with_ipython_lines(notebook: Path) -> Path:
    """``notebook`` with what a student adds in Jupyter: a cell of magics after the setup
    cell, and ``%%time`` on the normalize solution cell (its code still runs)."""
    book = nbformat.read(notebook, as_version=4)
    for index, cell in enumerate(book.cells):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "normalize":
            cell.source = "%%time\n" + cell.source
            book.cells.insert(index - 2, new_code_cell(IPYTHON_CELL))
            break
    nbformat.write(book, notebook)
    return notebook


def released_skipped_cells() -> set[str]:
    from autograder.config import load_course

    cells = load_course().assignment("c1w2").read_only_cells
    return {grade_id for grade_id in cells if grade_id.startswith(("demo_", "check_"))}


# Graded in the session's corpus batch (tests/conftest.py ``corpus_batch``): the warm workers
# start once for every corpus.
CORPUS_GROUP = "exported"


def corpus_members(tmp: Path) -> dict[str, Path]:
    """The solution notebook, training exercises left unwritten (88 points) and IPython lines
    added, and that notebook saved as a script."""
    edits = {name: (lambda s, n=name: unwritten(s, (n,))) for name in TRAINING_EXERCISES}
    notebook = with_ipython_lines(edited_notebook(tmp / "nb" / "fashion_mnist.ipynb", edits))
    script = tmp / "script" / "fashion_mnist.py"
    script.parent.mkdir(parents=True)
    script.write_text(exported_script(notebook))
    return {"notebook": notebook, "script": script}


def test_the_exported_script_scores_what_the_notebook_scores(corpus_batch) -> None:
    notebook_results = corpus_batch[CORPUS_GROUP]["notebook"]
    script_results = corpus_batch[CORPUS_GROUP]["script"]

    assert scores(script_results) == scores(notebook_results)
    assert script_results["score"] == notebook_results["score"] == 88
    not_run = script_results["extra_data"]["not_run"]
    assert [r["what"] for r in not_run if r["kind"] == "ipython"] == LEFT_OUT_IPYTHON
    cells = {r["what"].removeprefix("cell ") for r in not_run if r["kind"] == "cell"}
    assert cells == released_skipped_cells()
    assert script_results["output"].count("Not run, as in a notebook: ") == 1
    assert "%matplotlib inline (line " in script_results["output"]
    assert notebook_results["extra_data"]["not_run"] == []
    assert "Not run" not in notebook_results["output"]


def test_the_export_holds_the_ipython_lines_plain_python_cannot_run(tmp_path: Path) -> None:
    """What the grader must leave out is there (tests/test_notebook_only.py shows that plain
    Python stops at it with NameError: name 'get_ipython' is not defined)."""
    script = corpus_members(tmp_path)["script"].read_text()
    assert "get_ipython().run_line_magic('matplotlib', 'inline')" in script
    assert "get_ipython().system('echo installing nothing')" in script
    assert "get_ipython().run_cell_magic('time', ''," in script


def test_the_exported_script_passes_the_visible_tests_saying_what_was_not_run(
    tmp_path: Path,
) -> None:
    """Also the solution's own run of the visible tests: the script is its answers."""
    notebook = tmp_path / "fashion_mnist.ipynb"
    notebook.write_bytes(SOLUTION_NOTEBOOK.read_bytes())
    script = tmp_path / "exported.py"
    script.write_text(exported_script(with_ipython_lines(notebook)))
    done = self_check(tmp_path, script)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "failed" not in done.stdout
    summary = [line for line in done.stdout.splitlines() if "Not run, as in a notebook" in line]
    assert len(summary) == 1 and "%matplotlib inline (line " in summary[0], done.stdout[-3000:]
    count = len(released_skipped_cells())
    assert summary[0].endswith(f"and the notebook's {count} demo and check cells.")
