"""What a batch prepares once for any assignment: the probes' settings and the references.

The assignment package's ``grading`` module (if it has one) says what its probes need to know
and makes its reference parts; every assignment's settings also name each exercise's probe
module and the seed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autograder.config import Assignment
from autograder.registry import grading, module_name


def settings_for(assignment: Assignment) -> dict[str, Any]:
    """Everything the probes need to know, as plain data (no expected answers)."""
    hooks = grading(assignment.package)
    settings = dict(hooks.settings(assignment)) if hooks and hasattr(hooks, "settings") else {}
    settings["seed"] = assignment.seed
    settings["probes"] = {
        exercise: module_name(assignment.package, exercise, "probe")
        for exercise in assignment.exercises
    }
    return settings


def references_for(assignment: Assignment, directory: Path) -> Any:
    """The assignment's reference parts, made into ``directory``; None if it needs none."""
    hooks = grading(assignment.package)
    if hooks is None or not hasattr(hooks, "references"):
        Path(directory).mkdir(parents=True, exist_ok=True)
        return None
    return hooks.references(assignment, directory)
