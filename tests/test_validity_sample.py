"""A fixed sample of bench/validity.py's mutants, one or two per exercise kind, is killed in the
exercise it breaks: ``make test`` keeps the mutation analysis's cheapest findings true.

Every mutant here is graded as ``make validity`` grades it (outside the two training exercises
with those left unwritten), and, to keep the batch cheap, with every exercise the mutation cannot
reach left unwritten too (``tests/corpus/reach.py``: those run the unmutated solution's code).
The unmutated solution, graded the same way in the session's ``cheap_class``, must lose nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.config import load_course
from bench.validity import ASSIGNMENT, SOLUTION, graded_source, make_mutants
from tests.conftest import TRAINING_EXERCISES, without_training
from tests.corpus.reach import prune

pytestmark = pytest.mark.slow

SAMPLE = {  # mutant id -> what it breaks
    "normalize-a736a028": "multiplies by 255 instead of dividing",
    "build_model-87a86874": "hidden layer without activation",
    "compile_model-8f0cc0c6": "compiled without a loss",
    "train_model-a0cd49f1": "fit ignores the given callbacks",
    "predict_labels-1cce28c5": "argmax over the whole array",
    "ThresholdCallback-f9953631": "stops only above the threshold, not at it",
    "count_params-9395805e": "output biases subtracted",
    "output_units_needed-b12f6bef": "largest label - 1",
    "train_until-d05f1d8e": "trains without the ThresholdCallback",
}
EXERCISES = list(load_course().assignment(ASSIGNMENT).exercises)
MUTANTS = {m.id: m for m in make_mutants(SOLUTION.read_text(), set(EXERCISES))}


CORPUS_GROUP = "mutant"


def corpus_members(tmp: Path) -> dict[str, str | Path]:
    """What this module adds to the session's ``corpus_batch``: each sampled mutant."""
    solution = SOLUTION.read_text()
    members: dict[str, str | Path] = {}
    for key in (key for key in SAMPLE if key in MUTANTS):
        base = solution if MUTANTS[key].trains else without_training(solution)
        members[key], _ = prune(base, graded_source(MUTANTS[key]), EXERCISES)
    return members


@pytest.fixture(scope="module")
def graded(corpus_batch: dict[str, dict[str, dict]]) -> dict[str, dict]:
    return {
        key: {t["name"]: t for t in results["tests"]}
        for key, results in corpus_batch[CORPUS_GROUP].items()
    }


def test_the_sample_is_made_by_the_mutation_tool() -> None:
    missing = sorted(set(SAMPLE) - set(MUTANTS))
    assert not missing, f"bench/validity.py no longer makes {missing}: update SAMPLE"
    assert len({MUTANTS[key].exercise for key in SAMPLE}) >= 8


def test_the_unmutated_solution_loses_nothing(cheap_class) -> None:
    _, results = cheap_class
    assert results["solution"]["score"] == 88  # without the two training exercises
    lost = {
        test["name"]: test["output"]
        for test in results["solution"]["tests"]
        if test["name"] not in TRAINING_EXERCISES and test["score"] < test["max_score"]
    }
    assert not lost, lost


@pytest.mark.parametrize("key", list(SAMPLE))
def test_the_mutant_is_killed_in_its_exercise(graded: dict[str, dict], key: str) -> None:
    mutant = MUTANTS[key]
    test = graded[key][mutant.exercise]
    assert test["score"] < test["max_score"], (
        f"{key} ({SAMPLE[key]}: {mutant.diff}) kept {test['score']}/{test['max_score']} on "
        f"{mutant.exercise}; feedback: {test['output']}"
    )
    assert "not written yet" not in test["output"], f"{key}: its own exercise was left unwritten"
