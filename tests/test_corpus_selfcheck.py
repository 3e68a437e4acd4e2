"""The student's self-check, measured on both routes and both ways (tests/corpus/selfcheck.py).

``make validity`` runs the whole equivalence corpus and every covered mistake through it
(bench/equivalence.py, parts ``modules``, ``notebooks`` and ``mistakes``). ``make test`` keeps
a covering sample, all of it run at once (two kernels or pytest runs at a time):

- correct answers pass: two variants through the notebook's check cells, one that compiles with
  the loss as a string and one with a loss function under ``import keras`` (the visible tests
  run on a correct module in tests/test_corpus_equivalence.py);
- doing nothing passes nothing: the released notebook, run as it is, fails every check cell
  (tests/release/test_visible_tests.py has the stub module fail every visible test);
- a mistake fails the check ``mistakes.yaml`` names with the fix it names, on each route: two
  entries, one of the normalize exercise and one of the callback.

The pure parts (cutting a module into cells, placing them in the released notebook, reading the
``selfcheck:`` keys) are checked without a kernel.
"""

from __future__ import annotations

import re

import pytest

from tests.corpus.equivalence import CELLS, variants
from tests.corpus.sample_class import load_mistakes
from tests.corpus.selfcheck import (
    RELEASE,
    SelfCheck,
    coverage,
    covered_mistakes,
    definitions,
    notebook_cells,
    problems,
    released_with,
    role_of,
    run_many,
)

VARIANTS = {variant.name: variant for variant in variants()}
# One kernel run: a variant spelled as the old check cells rejected (a loss function under
# `import keras`, tf.nn.softmax stored as 'softmax_v2', Flatten(input_shape=...)). The loss as a
# string is the solution's own, passing every other check cell in tests/release/test_check_cells.py.
SAMPLE = ("eq28",)
MISTAKES = ("divide_by_256", "callback_one_epoch_late")
STUB = (RELEASE / "fashion_mnist.py").read_text()


def test_sample_spells_what_the_old_check_cells_rejected() -> None:
    choices = VARIANTS[SAMPLE[0]].choices
    assert choices["loss"] == "function" and choices["output"] == "tf_nn", choices
    assert choices["construction"] == "list_flatten_input_shape", choices


def test_definitions_cut_a_module_by_name() -> None:
    found = definitions(STUB)
    assert set(CELLS) <= set(found)
    assert found["normalize"].startswith("def normalize(images):")
    assert "def build_model" not in found["normalize"]
    assert found["ThresholdCallback"].startswith("class ThresholdCallback(")
    assert "def on_epoch_end" in found["ThresholdCallback"]


def test_a_module_that_does_not_parse_still_splits() -> None:
    broken = STUB.replace("def normalize(images):", "def normalize(images)", 1)
    assert definitions(broken)["normalize"].startswith("def normalize(images)\n")


def test_the_notebook_gets_every_answer_and_no_demo() -> None:
    variant = VARIANTS[SAMPLE[0]]
    notebook = released_with(notebook_cells(variant))
    answers = {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in notebook.cells
        if cell.cell_type == "code" and role_of(cell) == "answer"
    }
    assert answers == {grade_id: variant.cell_source(grade_id) for grade_id in CELLS}
    assert not [cell for cell in notebook.cells if role_of(cell) == "demo"]
    checks = [cell for cell in notebook.cells if role_of(cell) == "check"]
    assert len(checks) >= 5, "the released notebook has check cells"


def test_subset_demos_run_on_a_slice_of_the_data() -> None:
    notebook = released_with(notebook_cells(STUB), demos="subset")
    ids = [cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") for cell in notebook.cells]
    assert ids.index("demo_subset") == ids.index("demo_load") + 1
    assert "demo_train" in ids


def test_every_selfcheck_key_is_valid_and_names_a_real_check() -> None:
    """Each ``selfcheck:`` key parses, and names a visible test of the released tests or a
    check cell of the released notebook."""
    visible = (RELEASE / "test_fashion_mnist.py").read_text()
    tests = set(re.findall(r"^def (test_\w+)", visible, flags=re.MULTILINE))
    cells = {
        cell.metadata["nbgrader"]["grade_id"]
        for cell in released_with({}).cells
        if cell.cell_type == "code" and role_of(cell) == "check"
    }
    covered = covered_mistakes()
    assert len(covered) >= 10, "the self-check covers at least ten mistakes of the corpus"
    for name, entry in load_mistakes().items():
        covers = coverage(entry)
        if covers is None:
            continue
        for route, want in covers.routes().items():
            known = tests if route == "module" else cells
            assert want.check in known, f"{name}: {route} has no {want.check}"
            assert want.fix.strip(), f"{name}: {route} needs a fix phrase"


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], SelfCheck]:
    """(route, subject) -> its self-check, for everything the slow tests below look at."""
    jobs = [("notebook", VARIANTS[name], name) for name in SAMPLE]
    jobs += [("notebook", STUB, "stub")]
    chosen = covered_mistakes(MISTAKES)
    jobs += [
        (route, text, name)
        for name, (text, covers) in chosen.items()
        for route in covers.routes()
    ]
    results = run_many(jobs, tmp_path_factory.mktemp("selfcheck"), workers=2)
    return {(result.route, result.subject): result for result in results}


@pytest.mark.slow
@pytest.mark.parametrize("name", SAMPLE)
def test_a_correct_notebook_passes_every_check_cell(
    ran: dict[tuple[str, str], SelfCheck], name: str
) -> None:
    result = ran[("notebook", name)]
    assert result.passed, f"{name} ({VARIANTS[name].describe()}): {result.summary()}"
    assert {c.name for c in result.checks if c.role == "check"}, "no check cell ran"


@pytest.mark.slow
def test_the_untouched_notebook_passes_no_check(ran: dict[tuple[str, str], SelfCheck]) -> None:
    """Every check cell that calls an exercise fails, saying it is not written."""
    result = ran[("notebook", "stub")]
    assert result.error is None, result.error
    calls = re.compile(r"\b(" + "|".join(CELLS) + r")\(")
    released = {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in released_with({}).cells
        if role_of(cell) == "check"
    }
    exercising = {name for name, source in released.items() if calls.search(source)}
    checks = [c for c in result.checks if c.name in exercising]
    assert len(checks) >= 5, f"only {[c.name for c in checks]} ran"
    passed = [c.name for c in checks if c.passed]
    assert not passed, f"the untouched notebook passes {passed}"
    assert all("NotImplementedError" in c.message for c in checks), [c.message for c in checks]


@pytest.mark.slow
@pytest.mark.parametrize("name", MISTAKES)
def test_a_covered_mistake_fails_with_its_fix(
    ran: dict[tuple[str, str], SelfCheck], name: str
) -> None:
    covers = coverage(load_mistakes()[name])
    assert covers is not None and covers.routes(), f"{name} has no selfcheck: key"
    wrong = {
        route: problems(want, ran[(route, name)]) for route, want in covers.routes().items()
    }
    assert not any(wrong.values()), f"{name}: {wrong}"

