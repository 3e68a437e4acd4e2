"""A corpus of realistic student mistakes, each graded to exactly the score and feedback expected.

Every entry of tests/corpus/mistakes.yaml becomes one student's ``fashion_mnist.py`` (the
solution with the mistake edited in). All of them, the untouched solution and, once released,
the stub are graded in one batch by ``grade.main`` (the session's ``corpus_batch``, with the
other corpora); each entry is then checked exercise by exercise: the listed exercises get
exactly their expected score and feedback, every other one full points.

An exercise whose code (its definition and every definition it names, transitively) the
mistake does not touch runs exactly the solution's code, so it gets the solution's full points
(``tests/corpus/reach.py``). To keep the batch cheap, such an exercise is left unwritten unless
an exercise the mistake reaches runs its code; it must then score 0 as "not written yet", and
the corpus may not list it. So a callback mistake trains in train_until but not in
normalization_effect, and a count_params mistake trains nothing.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
import yaml

from autograder.config import load_course
from tests.conftest import TRAINING_EXERCISES
from tests.corpus.reach import affected, prune
from tests.corpus.sample_class import mistake_source

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "mistakes.yaml"
SOLUTION_CANDIDATES = (
    ROOT / "solutions" / "c1w2" / "fashion_mnist.py",
    ROOT / "source" / "c1w2" / "fashion_mnist.py",
)
STUB = ROOT / "release" / "c1w2" / "fashion_mnist.py"
ASSIGNMENT = "c1w2"
SOLUTION_NAME, STUB_NAME = "solution", "stub"
MIN_MISTAKES = 28
ENTRY_KEYS = {
    "why", "replace", "source", "expect", "expect_all_zero", "feedback", "issue", "selfcheck"
}

POINTS = {name: ex.points for name, ex in load_course().assignment(ASSIGNMENT).exercises.items()}
MISTAKES: dict[str, dict[str, Any]] = yaml.safe_load(CORPUS.read_text())
UNWRITTEN = "not written yet"


def solution_path() -> Path:
    """The generated solution without markers if it exists, else the instructor's source."""
    return next(path for path in SOLUTION_CANDIDATES if path.exists())


def graded_source(name: str, entry: dict[str, Any], solution: str) -> tuple[str, set[str]]:
    """The file graded for ``entry`` and the exercises left unwritten in it (see above)."""
    text = mistake_source(name, entry, solution)
    return (text, set()) if entry.get("expect_all_zero") else prune(solution, text, list(POINTS))


def expected_scores(
    entry: dict[str, Any], unwritten: set[str] = frozenset()
) -> dict[str, tuple[float, list[str]]]:
    """Exercise id -> (score, feedback substrings) for every exercise of the assignment."""
    if entry.get("expect_all_zero"):
        return {exercise: (0, [entry["feedback"]]) for exercise in POINTS}
    expected = {
        exercise: (0, [UNWRITTEN]) if exercise in unwritten else (points, [])
        for exercise, points in POINTS.items()
    }
    for exercise, want in (entry.get("expect") or {}).items():
        feedback = want["feedback"]
        expected[exercise] = (want["score"], [feedback] if isinstance(feedback, str) else feedback)
    return expected


@functools.cache
def graded_sources() -> dict[str, tuple[str, set[str]]]:
    """Entry -> (the file graded, the exercises left unwritten in it)."""
    solution = solution_path().read_text()
    return {name: graded_source(name, entry, solution) for name, entry in MISTAKES.items()}


CORPUS_GROUP = "mistake"


def corpus_members(tmp: Path) -> dict[str, str | Path]:
    """What this module adds to the session's ``corpus_batch``: every corpus entry, the
    solution and the stub (if released)."""
    files: dict[str, str | Path] = {name: text for name, (text, _) in graded_sources().items()}
    files[SOLUTION_NAME] = solution_path().read_text()
    if STUB.exists():
        files[STUB_NAME] = STUB
    return files


@pytest.fixture(scope="module")
def sources() -> dict[str, tuple[str, set[str]]]:
    return graded_sources()


@pytest.fixture(scope="module")
def graded(corpus_batch: dict[str, dict[str, dict]]) -> dict[str, dict[str, Any]]:
    """Every corpus entry, the solution and the stub, graded in the session's corpus batch."""
    return corpus_batch[CORPUS_GROUP]


def check_submission(
    graded: dict[str, dict[str, Any]], name: str, expected: dict[str, tuple[float, list[str]]]
) -> None:
    """Every exercise of ``name`` has exactly its expected score and feedback substrings."""
    assert name in graded, f"{name}: no results (graded: {sorted(graded)})"
    tests = {test["name"]: test for test in graded[name]["tests"]}
    assert sorted(tests) == sorted(POINTS), f"{name}: results.json lists {sorted(tests)}"
    problems = []
    for exercise, (score, substrings) in expected.items():
        test = tests[exercise]
        wrong = [f"score {test['score']}, expected {score}"] if test["score"] != score else []
        wrong += [f"feedback lacks {text!r}" for text in substrings if text not in test["output"]]
        if wrong:
            feedback = test["output"].replace("\n", "\n      ")
            problems.append(f"{exercise}: {'; '.join(wrong)}\n    feedback was:\n      {feedback}")
    why = MISTAKES.get(name, {}).get("why", "")
    assert not problems, f"{name} ({why}):\n  " + "\n  ".join(problems)


def test_corpus_is_well_formed() -> None:
    assert len(MISTAKES) >= MIN_MISTAKES, f"only {len(MISTAKES)} mistakes in {CORPUS}"
    solution = solution_path().read_text()
    for name, entry in MISTAKES.items():
        assert not set(entry) - ENTRY_KEYS, f"{name}: unknown keys {set(entry) - ENTRY_KEYS}"
        assert entry.get("why"), f"{name}: say why this is a mistake"
        assert ("source" in entry) != ("replace" in entry), f"{name}: give source or replace"
        mistake_source(name, entry, solution)
        if entry.get("expect_all_zero"):
            assert entry.get("feedback"), f"{name}: expect_all_zero needs a feedback substring"
            continue
        expect = entry.get("expect") or {}
        assert expect, f"{name}: expect lists no exercise that loses points"
        reached = affected(solution, mistake_source(name, entry, solution), list(POINTS))
        unreachable = sorted(set(expect) - reached)
        assert not unreachable, f"{name}: the mistake's code never runs in {unreachable}"
        for exercise, want in expect.items():
            assert exercise in POINTS, f"{name}: unknown exercise {exercise}"
            assert 0 <= want["score"] < POINTS[exercise], f"{name}: {exercise} must lose points"
            assert want.get("feedback"), f"{name}: {exercise} needs a feedback substring"


@pytest.mark.parametrize("name", list(MISTAKES))
def test_mistake_is_graded_as_expected(
    graded: dict[str, dict[str, Any]], sources: dict[str, tuple[str, set[str]]], name: str
) -> None:
    check_submission(graded, name, expected_scores(MISTAKES[name], sources[name][1]))


def test_only_what_a_mistake_cannot_reach_is_left_unwritten(
    sources: dict[str, tuple[str, set[str]]],
) -> None:
    """A callback mistake still trains in train_until (which runs the callback), not in
    normalization_effect; a count_params mistake leaves every training exercise unwritten."""
    assert sources["callback_never_stops"][1] & set(TRAINING_EXERCISES) == {"normalization_effect"}
    assert "train_until" not in sources["integer_division"][1]
    assert set(TRAINING_EXERCISES) <= sources["count_params_no_biases"][1]
    assert sources["syntax_error"][1] == set()


def test_solution_gets_full_marks(graded: dict[str, dict[str, Any]]) -> None:
    check_submission(graded, SOLUTION_NAME, {e: (p, []) for e, p in POINTS.items()})
    assert graded[SOLUTION_NAME]["score"] == sum(POINTS.values())


@pytest.mark.skipif(not STUB.exists(), reason="release/c1w2/fashion_mnist.py not generated yet")
def test_stub_gets_zero(graded: dict[str, dict[str, Any]]) -> None:
    check_submission(graded, STUB_NAME, {e: (0, ["not written yet"]) for e in POINTS})
