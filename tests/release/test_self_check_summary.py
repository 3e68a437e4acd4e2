"""The self-check says what it covers and what only the grader checks, and names a TensorFlow
or Keras that behaves unlike the grader's (issue 20 items 3 and 4): the table behind it names
real sub-checks and real self-checks, and the release writes it where students read it."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from autograder import registry
from autograder.assignments.c1w2 import self_check as table
from autograder.config import load_course
from autograder.errors import GraderError
from autograder.release import pins, self_check
from tests.conftest import RELEASED_NOTEBOOK, ROOT

COURSE = load_course().assignment("c1w2")
RELEASED = ROOT / "release" / "c1w2"
SOURCE = ROOT / "source" / "c1w2"


def subchecks(exercise: str) -> list[str]:
    return list(registry.load(COURSE.package, exercise, "judge").SUBCHECKS)


def cells_by_id(path: Path) -> dict[str, nbformat.NotebookNode]:
    notebook = nbformat.read(path, as_version=4)
    return {c.metadata.get("nbgrader", {}).get("grade_id", ""): c for c in notebook.cells}


def test_the_table_names_real_subchecks_and_exercises() -> None:
    for route in (table.NOTEBOOK, table.MODULE):
        assert set(route) <= set(COURSE.exercises)
    for exercise, names in table.NOTEBOOK.items():
        assert set(names) <= set(subchecks(exercise)), exercise
    for exercise, tests in table.MODULE.items():
        for names in tests.values():
            assert set(names) <= set(subchecks(exercise)), exercise


def test_the_table_names_real_check_cells_and_visible_tests() -> None:
    cells = cells_by_id(RELEASED_NOTEBOOK)
    for exercise in table.NOTEBOOK:
        assert cells[f"check_{exercise}"].cell_type == "code", exercise
    visible = ast.parse((RELEASED / "test_fashion_mnist.py").read_text())
    defined = {node.name for node in visible.body if isinstance(node, ast.FunctionDef)}
    named = {test for tests in table.MODULE.values() for test in tests}
    assert named <= defined, sorted(named - defined)


def test_every_subcheck_is_checked_here_or_said_to_be_the_graders() -> None:
    for route in self_check.ROUTES:
        rows = self_check.coverage(COURSE, route)
        assert rows is not None and [row.exercise for row in rows] == list(COURSE.exercises)
        for row in rows:
            names = subchecks(row.exercise)
            assert set(row.grader_only) <= {self_check.shown(name) for name in names}
            assert not set(row.checked) & set(row.grader_only)
            for name in names:
                assert name in row.checked or self_check.shown(name) in row.grader_only


def test_an_unseen_input_is_never_named() -> None:
    assert self_check.shown("hidden_units=37") == "hidden_units the grader picks"
    assert self_check.shown("callbacks=None") == "callbacks=None"
    text = RELEASED_NOTEBOOK.read_text() + (RELEASED / "conftest.py").read_text()
    assert "hidden_units=37" not in text


def test_a_name_that_is_no_subcheck_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(table.NOTEBOOK, "normalize", ("scaled to 0-255",))
    with pytest.raises(GraderError, match="'scaled to 0-255' for normalize, which is no sub-check"):
        self_check.coverage(COURSE, "notebook")


def test_the_notebook_ends_with_the_locked_summary() -> None:
    notebook = nbformat.read(RELEASED_NOTEBOOK, as_version=4)
    last = notebook.cells[-1]
    meta = last.metadata["nbgrader"]
    assert last.cell_type == "markdown" and meta["grade_id"] == self_check.SUMMARY_CELL
    assert meta["locked"] and not meta["grade"] and not meta["solution"]
    rows = self_check.coverage(COURSE, "notebook")
    assert rows is not None and last.source == self_check.summary_markdown(rows)
    compile_row = "| `compile_model` | returns the model, optimizer, loss, accuracy metric |"
    assert compile_row in last.source
    assert "| `train_until` | nothing | returns (model, history)," in last.source


def test_the_visible_tests_print_the_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    namespace: dict = {}
    exec((RELEASED / "conftest.py").read_text(), namespace)  # noqa: S102 - our own release
    rows = self_check.coverage(COURSE, "module")
    assert rows is not None and namespace["SELF_CHECK"] == self_check.module_summary(rows)
    assert namespace["GRADER_VERSIONS"] == pins.grader_versions()

    written: list[str] = []

    class Reporter:
        def section(self, title: str) -> None:
            written.append(f"== {title}")

        def write_line(self, line: str) -> None:
            written.append(line)

    keras_2 = SimpleNamespace(__version__="2.15.1", keras=SimpleNamespace(__version__="2.15.0"))
    monkeypatch.setitem(sys.modules, "tensorflow", keras_2)  # the hook imports it: not here
    namespace["logged_accuracy_key"] = lambda: "accuracy"
    namespace["pytest_terminal_summary"](Reporter(), 0, None)
    assert written[0] == "== what these tests checked"
    assert written[1].startswith("Your TensorFlow 2.15.1 runs Keras 2, the grader Keras 3")
    assert (
        "compile_model: checked here: returns the model, optimizer, loss, accuracy metric; "
        "only the grader: the same checks, on its own inputs" in written
    )
    assert any(line.startswith("train_until: checked here: nothing;") for line in written)
    assert "not full marks" in written[-1]


def test_the_grader_versions_are_the_pins() -> None:
    pinned = (ROOT / "pyproject.toml").read_text()
    versions = pins.grader_versions()
    assert f'"tensorflow-cpu=={versions["tensorflow"]}"' in pinned
    assert f'"keras=={versions["keras"]}"' in pinned
    assert pins.pins(["tensorflow-cpu==2.21.0", "psycopg[binary]==3.3.9", "numpy>=2"]) == {
        "tensorflow-cpu": "2.21.0",
        "psycopg": "3.3.9",
    }


def test_a_pyproject_without_the_pins_is_one_line(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\ndependencies = ["tensorflow==2.21.0"]\n')
    with pytest.raises(GraderError, match=r"pin no keras \(`keras==X.Y.Z`\)"):
        pins.grader_versions(pyproject)
    pyproject.write_text("[project\n")
    with pytest.raises(GraderError, match="is not valid TOML"):
        pins.grader_versions(pyproject)


def test_a_release_mark_is_filled_and_an_unknown_one_refused() -> None:
    text = "X = {}  # release: grader_versions\nY = 1  # course: seed\n"
    filled = self_check.fill_python(text, {"grader_versions": {"keras": "3.1.0"}}, "f.py")
    assert filled == 'X = {"keras": "3.1.0"}\nY = 1  # course: seed\n'
    with pytest.raises(GraderError, match=r"f.py line 1: `# release: grader_versions` names none"):
        self_check.fill_python(text, {}, "f.py")


def _drift_functions(source: str) -> tuple[str, dict]:
    """The source of ``environment_drift`` in ``source``, and a namespace it was run in."""
    tree = ast.parse(source)
    node = next(
        n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "environment_drift"
    )
    code = ast.get_source_segment(source, node) or ""
    namespace: dict = {"GRADER_VERSIONS": {"tensorflow": "2.21.0", "keras": "3.15.1"}}
    exec(code, namespace)  # noqa: S102 - our own release
    return code, namespace


def test_notebook_and_visible_tests_name_the_same_drift() -> None:
    setup = cells_by_id(RELEASED_NOTEBOOK)["setup"].source
    in_notebook, namespace = _drift_functions(setup)
    in_tests, _ = _drift_functions((RELEASED / "conftest.py").read_text())
    assert in_notebook == in_tests
    assert re.search(r'GRADER_VERSIONS = \{"tensorflow": "[\d.]+", "keras": "[\d.]+"\}', setup)
    assert "environment_drift(tf.__version__" in setup
    drift = namespace["environment_drift"]

    def never() -> str:
        raise AssertionError("the metric is probed only when Keras differs")

    assert drift("2.21.0", "3.15.1", never) is None
    assert drift("2.20.0", "3.10.0", never) is None  # same major version: behaves the same
    line = drift("2.15.1", "2.15.0", lambda: "accuracy")
    assert "Your TensorFlow 2.15.1 runs Keras 2, the grader Keras 3" in line
    assert "pip install tensorflow==2.21.0 keras==3.15.1" in line and "\n" not in line
    old = drift("1.15.0", "2.2.4-tf", lambda: "acc")
    assert "logs metrics=['accuracy'] as 'acc'" in old


def test_source_keeps_runnable_placeholders() -> None:
    """The source files hold the marks (filled at release), the release none."""
    assert "# release: grader_versions" in (SOURCE / "student" / "conftest.py").read_text()
    assert "# release:" not in (RELEASED / "conftest.py").read_text()
    assert "# release:" not in RELEASED_NOTEBOOK.read_text()
