"""The equivalence corpus (tests/corpus/equivalence.py): correct submissions in other spellings
score 100, as modules and as notebooks, pass the self-check, and score 100 under nbgrader.

``make test`` grades a fixed sample (in the session's ``corpus_batch``, with the other corpora):
the first ``COVERING`` variants as modules, which between them use every option of every spelling
axis (the first with the two training exercises, the others without them, to keep the batch
cheap), and the first as a notebook; and it runs the self-check on one variant. ``make validity``
grades the whole corpus (bench/equivalence.py: every variant as a module and as a notebook, all
with training, every one through the self-check) and runs this module with ``VALIDITY=1``, which
has ``nbgrader autograde`` grade three of the notebooks.

A failure names each variant that lost points, its spellings, and the feedback of each exercise
it lost points on.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.config import load_course
from tests.corpus.equivalence import (
    AXES,
    COUNT,
    COVERING,
    TRAINING_CELLS,
    as_notebook,
    self_check,
    variants,
)
from tests.test_nbgrader import generated_course, nbgrader

pytestmark = pytest.mark.slow

FULL = os.environ.get("VALIDITY") == "1"
VARIANTS = {variant.name: variant for variant in variants()}
ORDER = list(VARIANTS)
POINTS = {name: ex.points for name, ex in load_course().assignment("c1w2").exercises.items()}
TRAINED = ORDER[:1]  # graded with the exercises that train on real data
MODULES = ORDER[:COVERING]
NOTEBOOKS = ORDER[:1]
SELF_CHECKED = ORDER[:1]
NBGRADED = ORDER[:3]  # under VALIDITY=1 only: nbgrader runs every cell, training included


def submissions() -> dict[str, tuple[str, bool]]:
    """Student name -> (variant name, as a notebook), for the batch graded here."""
    chosen = {f"{name}-py": (name, False) for name in MODULES}
    chosen.update({f"{name}-ipynb": (name, True) for name in NOTEBOOKS})
    return chosen


def graded_variant(name: str):
    variant = VARIANTS[name]
    return variant if name in TRAINED else variant.without_training()


CORPUS_GROUP = "equivalence"


def corpus_members(tmp: Path) -> dict[str, str | Path]:
    """What this module adds to the session's ``corpus_batch``: every submission of
    ``submissions()``, a module's text or a notebook written under ``tmp``."""
    members: dict[str, str | Path] = {}
    for student, (name, notebook) in submissions().items():
        variant = graded_variant(name)
        if notebook:
            members[student] = as_notebook(variant, tmp / student / "fashion_mnist.ipynb")
        else:
            members[student] = variant.source
    return members


@pytest.fixture(scope="module")
def graded(corpus_batch: dict[str, dict[str, dict]]) -> dict[str, dict]:
    """Every submission of ``submissions()``, graded in the session's corpus batch."""
    return corpus_batch[CORPUS_GROUP]


def lost_points(results: dict, skip: tuple[str, ...]) -> list[str]:
    """One line per exercise that did not get full points, with its feedback."""
    lines = []
    for test in results["tests"]:
        if test["name"] in skip or test["score"] == test["max_score"]:
            continue
        feedback = test["output"].strip().replace("\n", "\n      ")
        lines.append(f"{test['name']} {test['score']}/{test['max_score']}:\n      {feedback}")
    return lines


def test_the_corpus_is_large_and_distinct() -> None:
    assert len(VARIANTS) == COUNT >= 60
    assert len({variant.source for variant in VARIANTS.values()}) == COUNT


def test_the_sample_uses_every_option_of_every_axis() -> None:
    sample = [VARIANTS[name] for name in ORDER[:COVERING]]
    for axis, options in AXES.items():
        used = {variant.choices[axis] for variant in sample}
        assert used == set(options), f"{axis}: the sample never uses {set(options) - used}"


def test_every_variant_scores_full_marks(graded: dict[str, dict]) -> None:
    """All of them at once, so that one run lists every variant the grader misjudges."""
    failures = []
    for student, (name, _) in submissions().items():
        skip = () if name in TRAINED else TRAINING_CELLS
        if student not in graded:
            failures.append(f"{student}: no results")
            continue
        lost = lost_points(graded[student], skip)
        if lost:
            failures.append(f"{student} ({VARIANTS[name].describe()}):\n    " + "\n    ".join(lost))
    total = len(submissions())
    assert not failures, f"{len(failures)} of {total} correct submissions lost points:\n" + (
        "\n".join(failures)
    )


def test_the_self_check_passes(tmp_path: Path) -> None:
    with ThreadPoolExecutor(2) as pool:
        outcomes = dict(
            zip(
                SELF_CHECKED,
                pool.map(lambda name: self_check(VARIANTS[name], tmp_path / name), SELF_CHECKED),
                strict=True,
            )
        )
    failures = {name: output for name, output in outcomes.items() if output is not None}
    assert not failures, "\n\n".join(
        f"{name} ({VARIANTS[name].describe()}):\n{output}" for name, output in failures.items()
    )


@pytest.fixture(scope="module")
def nbgrader_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the course with the sampled variants submitted as notebooks, autograded."""
    course = generated_course(tmp_path_factory.mktemp("equivalence-course"))
    for name in NBGRADED:
        as_notebook(VARIANTS[name], course / "submitted" / name / "c1w2" / "fashion_mnist.ipynb")
    nbgrader(course, "autograde", "c1w2")
    return course


@pytest.mark.skipif(not FULL, reason="make validity only (VALIDITY=1): minutes per notebook")
def test_nbgrader_gives_the_notebooks_100(nbgrader_course: Path) -> None:
    failures = []
    with Gradebook(f"sqlite:///{nbgrader_course / 'gradebook.db'}") as gradebook:
        for name in NBGRADED:
            notebook = gradebook.find_submission_notebook("fashion_mnist", "c1w2", name)
            scores = {
                g.name.removeprefix("test_"): g.score
                for g in notebook.grades
                if g.name.startswith("test_")
            }
            lost = {e: f"{s}/{POINTS[e]}" for e, s in scores.items() if s != POINTS[e]}
            if lost:
                failures.append(f"{name} ({VARIANTS[name].describe()}): {lost}")
    assert not failures, "nbgrader took points from correct notebooks:\n" + "\n".join(failures)
