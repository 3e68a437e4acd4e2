"""The release record: the course values a release was made with, and what the solution
measured under them.

``autograder release`` writes it as ``release/<id>/.course.json`` (committed with the release).
``release --check``, ``grade`` and ``gradescope`` compare course.yaml with it, which costs one
small JSON read, and refuse a release made with other values, naming the first key that differs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from autograder.config import Assignment
from autograder.errors import GraderError

RECORD = ".course.json"


def shown(value: Any) -> str:
    """How a course value reads in released text: 10 not 10.0, 0.85, 4000."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def record_path(assignment_id: str) -> str:
    """Where the record goes, relative to the course directory."""
    return f"release/{assignment_id}/{RECORD}"


def record_text(values: dict[str, Any], solution: dict[str, Any]) -> str:
    """The record file: the course values, and the solution's figures under them."""
    document = {
        "about": "made by `autograder release`: the course.yaml values of this release",
        "course": values,
        "solution": solution,
    }
    return json.dumps(document, indent=1) + "\n"


def read_record(root: Path, assignment_id: str) -> dict[str, Any] | None:
    """The record of ``root``'s release of ``assignment_id``; None if it has none."""
    path = root / record_path(assignment_id)
    try:
        document = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        raise GraderError(
            f"{path} is not readable JSON: run `autograder release {assignment_id}`"
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("course"), dict):
        raise GraderError(
            f"{path} holds no course values: run `autograder release {assignment_id}`"
        )
    return document


def difference(values: dict[str, Any], recorded: dict[str, Any]) -> tuple[str, str, str] | None:
    """The first key whose value differs, with its value now and in the record (as text)."""
    for key, value in values.items():
        if key not in recorded:
            return key, shown(value), "no such key"
        if recorded[key] != value:
            return key, shown(value), shown(recorded[key])
    for key, value in recorded.items():
        if key not in values:
            return key, "not set", shown(value)
    return None


def stale_message(assignment_id: str, diff: tuple[str, str, str]) -> str:
    """One line: which key disagrees, and what to run."""
    key, now, then = diff
    return (
        f"course.yaml {key} is {now} but release/{assignment_id} was made with {then}: "
        f"run `autograder release {assignment_id}`"
    )


def check_current(root: Path, assignment_id: str, assignment: Assignment) -> None:
    """Refuse, in one line, a release in ``root`` made with other course values than
    ``assignment``'s (no release folder at all: nothing to compare, nothing refused)."""
    if not (root / "release" / assignment_id).is_dir():
        return
    document = read_record(root, assignment_id)
    if document is None:
        raise GraderError(
            f"release/{assignment_id} has no {RECORD}, so which course values it was made with "
            f"is unknown: run `autograder release {assignment_id}`"
        )
    diff = difference(assignment.values(), document["course"])
    if diff is not None:
        raise GraderError(stale_message(assignment_id, diff))
