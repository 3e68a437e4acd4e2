"""grade/one.py's preparation of a module submission: what only a notebook runs is left out
before the sandbox sees the file (the grading itself: tests/grade/test_exported_notebook.py)."""

from __future__ import annotations

from pathlib import Path

from autograder.config import load_course
from autograder.grade.one import _prepare
from autograder.grade.submissions import Submission
from tests.conftest import SOLUTION_MODULE, SOLUTION_NOTEBOOK
from tests.corpus.export import exported_script

ASSIGNMENT = load_course().assignment("c1w2")


def prepared(tmp_path: Path, data: bytes) -> tuple[bytes, list[tuple[str, str]]]:
    path = tmp_path / "alice" / "fashion_mnist.py"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    kind, payload, restored, left_out = _prepare(Submission("alice", path), tmp_path, ASSIGNMENT)
    assert (kind, restored, payload.name) == ("module", [], "fashion_mnist.py")
    return payload.read_bytes(), [(r.kind, r.what) for r in left_out]


def test_an_exported_notebook_reaches_the_sandbox_without_its_notebook_only_lines(tmp_path):
    script = exported_script(SOLUTION_NOTEBOOK).replace(
        "import os\n", "import os\nget_ipython().run_line_magic('matplotlib', 'inline')\n", 1
    )
    data, left_out = prepared(tmp_path, script.encode())
    text = data.decode()
    assert "get_ipython" not in text
    demo_lines = ("(x_train, y_train), (x_test, y_test) = load_data()", "EPOCHS = 5")
    assert all(line in script.split("\n") and line not in text.split("\n") for line in demo_lines)
    assert len(text.split("\n")) == len(script.split("\n"))
    assert left_out[0] == ("ipython", "%matplotlib inline")
    skipped = {g for g in ASSIGNMENT.read_only_cells if g.startswith(("demo_", "check_"))}
    assert {what.removeprefix("cell ") for kind, what in left_out if kind == "cell"} == skipped


def test_a_plain_module_or_one_that_is_not_python_reaches_it_byte_for_byte(tmp_path):
    for index, data in enumerate((SOLUTION_MODULE.read_bytes(), b"def broken(:\n", b"\xff")):
        assert prepared(tmp_path / str(index), data) == (data, [])
