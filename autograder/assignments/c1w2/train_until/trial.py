"""What the release trial asks of train_until: are the course's thresholds within the
solution's reach on this machine (see ``autograder.release.trial``)?"""

from __future__ import annotations

from typing import Any

from autograder.assignments.c1w2.train_until.record import Record
from autograder.checks.result import ExerciseResult
from autograder.config import Assignment


def _accuracy(record: Record) -> list[float]:
    """The training accuracy of each epoch of the solution's main run."""
    history = record.history.history if record.history else None
    return list((history or {}).get("accuracy") or [])


def _heldout(result: ExerciseResult) -> float | None:
    """The returned model's accuracy on held-out images, as the judge measured it."""
    value = (result.artifacts.get("heldout") or {}).get("accuracy")
    return float(value) if isinstance(value, (int, float)) else None


def problems(assignment: Assignment, record: Record, result: ExerciseResult) -> list[str]:
    """Why the course's train_until settings cannot be graded, with the figures measured."""
    checks = assignment.checks
    accuracy = _accuracy(record)
    failed = {check.name for check in result.checks if not check.passed}
    found = []
    if accuracy and max(accuracy) < checks.train_until_threshold:
        found.append(
            f"the solution reaches {max(accuracy):.2f} training accuracy on "
            f"{checks.train_until_images:,} images in {len(accuracy)} epochs; "
            f"checks.train_until_threshold {checks.train_until_threshold:g} is out of reach: "
            "raise checks.train_until_images or checks.train_until_max_epochs, or lower the "
            "threshold"
        )
    elif accuracy and "halts before max_epochs" in failed:
        found.append(
            f"the solution first reaches checks.train_until_threshold "
            f"{checks.train_until_threshold:g} at epoch {len(accuracy)} of "
            f"checks.train_until_max_epochs {checks.train_until_max_epochs}, so stopping before "
            "max_epochs cannot be shown: raise checks.train_until_max_epochs above "
            f"{len(accuracy)}, or lower the threshold"
        )
    heldout = _heldout(result)
    if heldout is not None and heldout < checks.heldout_accuracy:
        found.append(
            f"the solution's train_until model classifies {heldout:.2f} of "
            f"{checks.heldout_images:,} held-out images correctly; checks.heldout_accuracy "
            f"{checks.heldout_accuracy:g} is out of reach: lower it, or raise "
            "checks.train_until_threshold so the model trains longer"
        )
    return found


def figures(record: Record, result: ExerciseResult) -> dict[str, Any]:
    """What the release record keeps of the solution's run."""
    heldout = _heldout(result)
    return {
        "train_until_accuracy": [round(value, 4) for value in _accuracy(record)],
        "heldout_accuracy": None if heldout is None else round(heldout, 4),
    }
