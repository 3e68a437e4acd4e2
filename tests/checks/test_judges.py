"""Judges score plain data; malformed, forged or hostile data scores 0 and never crashes them."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from autograder.checks import judge
from autograder.checks.context import JudgeContext
from autograder.checks.inputs import callback_scenarios
from autograder.checks.reference import References
from autograder.config import load_course
from autograder.samples import normalize_inputs, pixel_images

ASSIGNMENT = load_course().assignment("c1w2")


@pytest.fixture
def ctx(tmp_path: Path) -> JudgeContext:
    empty = np.zeros((0,))
    return JudgeContext(ASSIGNMENT, References(tmp_path, empty, empty, empty), tmp_path)


def normalized(ctx: JudgeContext, values: np.ndarray, modified: bool = False) -> dict:
    """What the normalize probe records when ``values`` is what the student's normalize makes of
    the main (uint8) input; the other inputs get what ``values`` did to that one, in kind."""
    inputs = []
    main = pixel_images(ASSIGNMENT.seed)
    for index, (_, images) in enumerate(normalize_inputs(ASSIGNMENT.seed)):
        returned = values if index == 0 else _same_kind(values, main, images)
        np.save(ctx.files / f"normalized_{index}.npy", returned, allow_pickle=False)
        after = images.copy()
        if modified:
            after.flat[0] = 7
        np.save(ctx.files / f"input_after_{index}.npy", after, allow_pickle=False)
        inputs.append(
            {
                "error": None,
                "output": "",
                "returned": {"kind": "array", "file": f"normalized_{index}.npy"},
                "input_after": {"kind": "array", "file": f"input_after_{index}.npy"},
            }
        )
    return {"error": None, "inputs": inputs}


def _same_kind(values: np.ndarray, main: np.ndarray, images: np.ndarray) -> np.ndarray:
    if np.allclose(values, main / 255.0):
        return images / 255.0
    return images // 255


def test_normalize_full_marks_for_pixel_over_255(ctx: JudgeContext) -> None:
    result = judge("normalize", normalized(ctx, pixel_images(ASSIGNMENT.seed) / 255.0), ctx)
    assert result.score == 10, result.feedback()


def test_normalize_integer_division_is_explained(ctx: JudgeContext) -> None:
    result = judge("normalize", normalized(ctx, pixel_images(ASSIGNMENT.seed) // 255), ctx)
    assert result.score == 4  # shape and input unchanged only
    assert "integer arithmetic dropped the fractions" in result.feedback()


def test_normalize_in_place_loses_only_that_check(ctx: JudgeContext) -> None:
    data = normalized(ctx, pixel_images(ASSIGNMENT.seed) / 255.0, modified=True)
    result = judge("normalize", data, ctx)
    assert result.score == 8
    assert "changed the array it was given" in result.feedback()


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.npy", "/etc/passwd.npy", ".hidden.npy", "normalized.txt"]
)
def test_file_names_outside_the_folder_are_refused(ctx: JudgeContext, name: str) -> None:
    data = {"error": None, "returned": {"kind": "array", "file": name}, "input_modified": False}
    assert judge("normalize", data, ctx).score == 0


def test_a_link_is_not_followed(ctx: JudgeContext, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.npy"
    np.save(target, pixel_images(ASSIGNMENT.seed) / 255.0)
    os.symlink(target, ctx.files / "normalized.npy")
    data = {
        "error": None,
        "returned": {"kind": "array", "file": "normalized.npy"},
        "input_modified": False,
    }
    assert judge("normalize", data, ctx).score == 0


def test_a_pickled_array_is_not_unpickled(ctx: JudgeContext) -> None:
    np.save(ctx.files / "normalized.npy", np.array([object()], dtype=object), allow_pickle=True)
    data = {
        "error": None,
        "returned": {"kind": "array", "file": "normalized.npy"},
        "input_modified": False,
    }
    assert judge("normalize", data, ctx).score == 0


@pytest.mark.parametrize("exercise", list(ASSIGNMENT.exercises))
@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"error": "x"},
        {"builds": "nope", "runs": 3},
        {"answers": [{"value": {"int": "NaN"}}] * 12},
        {"value": 1e308},
    ],
)
def test_malformed_data_scores_zero_without_crashing(
    ctx: JudgeContext, exercise: str, data: object
) -> None:
    result = judge(exercise, data, ctx)
    assert result.score == 0
    assert result.max_score == ASSIGNMENT.exercises[exercise].points


def _reference_stop(scenario: dict) -> int | None:
    kwargs = scenario["kwargs"] or {}
    threshold, metric = kwargs.get("threshold", 0.85), kwargs.get("metric", "accuracy")
    for epoch, logs in enumerate(scenario["logs"]):
        value = (logs or {}).get(metric)
        if value is None:
            continue
        if (value <= threshold) if metric.endswith("loss") else (value >= threshold):
            return epoch
    return None


def test_callback_scenarios_expect_what_the_contract_says() -> None:
    for scenario in callback_scenarios(0.85):
        assert _reference_stop(scenario) == scenario["expect"], scenario["name"]
