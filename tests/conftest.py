"""Shared fixtures: the repository's paths and a way to grade a folder in one batch."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

from autograder.config import load_course
from tests.corpus.reach import unwritten

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parent.parent
SOLUTION_MODULE = ROOT / "solutions" / "c1w2" / "fashion_mnist.py"
SOLUTION_NOTEBOOK = ROOT / "solutions" / "c1w2" / "fashion_mnist.ipynb"
STUB_MODULE = ROOT / "release" / "c1w2" / "fashion_mnist.py"
RELEASED_NOTEBOOK = ROOT / "release" / "c1w2" / "fashion_mnist.ipynb"


# The course's exercises, in order: tests count and list them from course.yaml.
EXERCISES = tuple(load_course().assignment("c1w2").exercises)
TRAINING_EXERCISES = ("train_until", "normalization_effect")


# Modules whose tests grade in the sandbox, run nbgrader, a student's pytest or TensorFlow in a
# subprocess: slow, like the tests marked so by hand. `make test-fast` runs the rest.
SLOW_MODULES = (
    "tests/release/test_release.py",
    "tests/release/test_visible_tests.py",
    "tests/test_second_assignment.py",
    "tests/checks/test_nothing_earns_nothing.py",
    "tests/test_notebook_check.py",
    "tests/test_data.py",
)


# `make test` runs on two pytest-xdist workers (`--dist loadgroup`): each file is one unit of
# work, so a module fixture is built once; files sharing an expensive session fixture form one
# group, so it is built on one worker only. Units start in this order, the longest first, so
# neither worker is left with a long one at the end; the other files follow in file order.
SHARED_FIXTURE_GROUPS = {
    "corpus": (  # corpus_batch: every corpus graded in one batch
        "tests/test_corpus_mistakes.py",
        "tests/test_corpus_equivalence.py",
        "tests/checks/test_nothing_earns_nothing.py",
        "tests/test_validity_sample.py",
        "tests/grade/test_exported_notebook.py",
    ),
    "feedback": (  # feedback_class
        "tests/test_cli.py",
        "tests/report/test_classreport.py",
        "tests/report/test_feedback.py",
        "tests/report/test_browser.py",
        "tests/report/test_accessibility.py",
    ),
    "cheap": (  # cheap_class
        "tests/report/test_lms.py",
        "tests/gradescope/test_run.py",
        "tests/gradebook/test_late.py",
        "tests/gradebook/test_gradebook.py",
        "tests/grade/test_deadlines.py",
    ),
}
LONGEST_FIRST = (
    "corpus",
    "tests/run/test_hostile.py",
    "tests/test_nbgrader.py",
    "feedback",
    "tests/release/test_tailored_course.py",
    "tests/grade/test_resume.py",
    "cheap",
)


def xdist_group(path: str) -> str:
    """The unit of work a test file belongs to: its shared-fixture group, else the file."""
    return next((g for g, files in SHARED_FIXTURE_GROUPS.items() if path in files), path)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of SLOW_MODULES slow; group the tests for pytest-xdist and put the
    longest units first."""
    root = Path(__file__).resolve().parent.parent
    for item in items:
        path = item.path.relative_to(root).as_posix()
        if path in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
        item.add_marker(pytest.mark.xdist_group(xdist_group(path)))

    def rank(item: pytest.Item) -> int:
        group = xdist_group(item.path.relative_to(root).as_posix())
        return LONGEST_FIRST.index(group) if group in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: each file keeps its tests together and in order


def without_training(source: str) -> str:
    """The module with the two exercises that train on real data left unwritten: a cheap
    submission worth 88 for tests about the grader rather than about training."""
    return unwritten(source, TRAINING_EXERCISES)


def edited_notebook(
    target: Path, edits: dict[str, Callable[[str], str]], source: Path = SOLUTION_NOTEBOOK
) -> Path:
    """``source`` with each cell named in ``edits`` (by grade id) rewritten by its function,
    written to ``target``; every edit must find its cell and change it."""
    notebook = nbformat.read(source, as_version=4)
    found = set()
    for cell in notebook.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in edits:
            new = edits[grade_id](cell.source)
            assert new != cell.source, f"the edit of {grade_id} changed nothing"
            cell.source = new
            found.add(grade_id)
    assert found == set(edits), f"no cells {sorted(set(edits) - found)} in {source}"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    return target


def replacing(old: str, new: str) -> Callable[[str], str]:
    """An edit for ``edited_notebook``: ``old`` (which must be there) becomes ``new``, once."""

    def edit(source: str) -> str:
        assert old in source, f"{old!r} is not in the cell"
        return source.replace(old, new, 1)

    return edit


def scores(results: dict) -> dict[str, float]:
    """Exercise id -> score, from a results.json document."""
    return {test["name"]: test["score"] for test in results["tests"]}


def feedback(results: dict, exercise: str) -> str:
    """The feedback text of one exercise."""
    return next(test["output"] for test in results["tests"] if test["name"] == exercise)


def write_class(root: Path, members: dict[str, str | Path]) -> Path:
    """A folder of student folders: name -> source text, or a path to copy (.py or .ipynb)."""
    for student, content in members.items():
        folder = root / student
        folder.mkdir(parents=True)
        if isinstance(content, Path):
            (folder / content.name).write_bytes(content.read_bytes())
        else:
            (folder / "fashion_mnist.py").write_text(content)
    return root


@pytest.fixture(scope="session")
def solution_text() -> str:
    return SOLUTION_MODULE.read_text()


@pytest.fixture(scope="session")
def cheap_class(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    """A class of two graded once per session with ``autograder grade``: ``solution`` (the
    solution without training, 88 points) and ``stub`` (the released stub, 0). Returns the
    --out folder and each student's results.json."""
    from autograder import grade

    tmp = tmp_path_factory.mktemp("cheap-class")
    root = write_class(
        tmp / "class",
        {"solution": without_training(SOLUTION_MODULE.read_text()), "stub": STUB_MODULE},
    )
    graded = grade.main("c1w2", [root], tmp / "graded", jobs=2)
    return tmp / "graded", {g.submission.student: g.results for g in graded}


def callback_never_stops(source: str) -> str:
    """The mistake of tests/corpus/mistakes.yaml ``callback_never_stops``: the callback prints
    its message but never sets ``self.model.stop_training``."""
    changed = source.replace("            self.model.stop_training = True\n", "", 1)
    assert changed != source
    return changed


@pytest.fixture(scope="session")
def feedback_class(tmp_path_factory: pytest.TempPathFactory):
    """One small class graded once through the CLI, for the feedback, report and CLI tests:
    the solution (with training, so its feedback has figures), the stub, and a cheap callback
    that never stops. Returns (out_dir, click result, student -> results.json document)."""
    import json

    from click.testing import CliRunner

    from autograder.cli import cli

    tmp = tmp_path_factory.mktemp("feedback-class")
    cheap = without_training(SOLUTION_MODULE.read_text())
    root = write_class(
        tmp / "class",
        {
            "solution": SOLUTION_MODULE,
            "stub": STUB_MODULE,
            "never_stops": callback_never_stops(cheap),
        },
    )
    out = tmp / "graded"
    result = CliRunner().invoke(cli, ["grade", "c1w2", str(root), "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    documents = {
        folder.name: json.loads((folder / "results.json").read_text())
        for folder in sorted(out.iterdir())
        if folder.is_dir()
    }
    return out, result, documents


@pytest.fixture(scope="session")
def corpus_batch(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, dict]]:
    """The corpora's submissions graded in one batch, so that the warm workers start once and
    both cores stay busy to the end: every test module of this session that defines
    ``CORPUS_GROUP`` and ``corpus_members(tmp) -> {name: source text or file}`` (the mistake,
    equivalence, mutation and nothing-earns-nothing corpora) adds its members, graded as
    ``GROUP-name`` under course.yaml. Returns group -> name -> results.json document."""
    from autograder import grade

    tmp = tmp_path_factory.mktemp("corpus-batch")
    modules = {item.module for item in request.session.items if item.module is not None}
    groups = {m.CORPUS_GROUP: m for m in modules if hasattr(m, "corpus_members")}
    members: dict[str, str | Path] = {}
    for group, module in sorted(groups.items()):
        made = module.corpus_members(tmp / "made" / group)
        members.update({f"{group}-{name}": content for name, content in made.items()})
    graded = grade.main("c1w2", [write_class(tmp / "class", members)], tmp / "out", jobs=2)
    results: dict[str, dict[str, dict]] = {group: {} for group in groups}
    for item in graded:
        group, name = item.submission.student.split("-", 1)
        results[group][name] = item.results
    return results
