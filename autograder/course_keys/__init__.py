"""``autograder config``: every course.yaml key of an assignment, with its value, default, unit
and what it changes for students, all read from the schema in ``autograder.config``.

The README's table of keys is ``schema_table()``; a test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from autograder.config import (
    DEFAULT_COURSE_FILE,
    Assignment,
    Checks,
    Deadline,
    Exercise,
    LatePolicy,
    Limits,
    load_course,
)
from autograder.release_record import shown

SECTIONS = (("checks", Checks), ("limits", Limits))
# The optional deadline: its own keys (late is a section of its own), then the late policy's.
DEADLINE_SECTIONS = (
    ("deadline", Deadline, ("due", "extensions")),
    ("deadline.late", LatePolicy, None),
)
TOP_LEVEL = ("title", "module", "total", "seed")


@dataclass(frozen=True)
class Key:
    """One course.yaml key of an assignment, as the schema describes it."""

    name: str
    default: str
    unit: str
    description: str


def _keys(model: type[BaseModel], prefix: str, names: tuple[str, ...] | None = None) -> list[Key]:
    keys = []
    for name, info in model.model_fields.items():
        if names is not None and name not in names:
            continue
        if info.default is PydanticUndefined and info.default_factory is not None:
            default = "none"  # an empty table
        elif info.default is PydanticUndefined:
            default = "required"
        elif info.default is None:
            default = "none"
        else:
            default = shown(info.default) if info.default != "" else '""'
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        keys.append(
            Key(f"{prefix}{name}", default, str(extra.get("unit", "")), info.description or "")
        )
    return keys


def schema_keys(exercise: str = "<exercise>") -> list[Key]:
    """Every key of an assignment in course.yaml order; exercise keys for ``exercise``."""
    keys = _keys(Assignment, "", TOP_LEVEL)
    keys += _keys(Exercise, f"exercises.{exercise}.")
    for section, model in SECTIONS:
        keys += _keys(model, f"{section}.")
    for section, late_model, names in DEADLINE_SECTIONS:
        keys += _keys(late_model, f"{section}.", names)
    return keys


def schema_table() -> str:
    """The Markdown table of every key (the README's), from the schema."""
    lines = ["| key | default | unit | what it changes |", "|---|---|---|---|"]
    for key in schema_keys():
        lines.append(f"| `{key.name}` | {key.default} | {key.unit} | {key.description} |")
    return "\n".join(lines)


def _value(value: object) -> str:
    return "none" if value is None else '""' if value == "" else shown(value)


def _described(key: Key, value: str) -> list[str]:
    unit = f" {key.unit}" if key.unit not in ("", "text") else ""
    return [f"{key.name} = {value}{unit}  (default {key.default})", f"    {key.description}"]


def main(assignment_id: str, course_file: Path = DEFAULT_COURSE_FILE) -> str:
    """Every key of ``assignment_id`` in ``course_file`` with its value, as text to print."""
    assignment = load_course(course_file).assignment(assignment_id)
    values = assignment.values()
    lines = [f"{course_file}, assignment {assignment_id}: every key, its value and default", ""]
    for key in _keys(Assignment, "", TOP_LEVEL):
        lines += _described(key, _value(values[key.name]))
    lines.append("")
    for key in _keys(Exercise, "exercises.<exercise>."):
        unit = f", {key.unit}" if key.unit not in ("", "text") else ""
        lines += [f"{key.name}  (default {key.default}{unit})", f"    {key.description}"]
    width = max(len(exercise) for exercise in assignment.exercises)
    for exercise, settings in assignment.exercises.items():
        limit = f"{assignment.time_limit(exercise):g} s"
        if settings.time_limit is None:
            limit += " (limits.exercise_seconds)"
        lines.append(
            f"  {exercise:<{width}}  points {shown(settings.points):>3}  lane {settings.lane}  "
            f"time_limit {limit}  title {settings.title!r}"
        )
    for section, model in SECTIONS:
        lines.append("")
        for key in _keys(model, f"{section}."):
            lines += _described(key, _value(values[key.name]))
    lines.append("")
    lines += _deadline(assignment.deadline)
    return "\n".join(lines)


def _deadline(deadline: Deadline | None) -> list[str]:
    """The deadline keys with their values (all none without a deadline, which it says)."""
    values: dict[str, str] = {}
    lines: list[str] = []
    if deadline is None:
        lines.append("(no deadline: " + str(Assignment.model_fields["deadline"].description) + ")")
    else:
        extensions = ", ".join(
            f"{student}: {extra.isoformat() if isinstance(extra, datetime) else f'{extra:g} h'}"
            for student, extra in deadline.extensions.items()
        )
        values = {
            "deadline.due": deadline.due.isoformat(),
            "deadline.extensions": extensions or "none",
            **{f"deadline.late.{k}": _value(v) for k, v in deadline.late.model_dump().items()},
        }
    for section, late_model, names in DEADLINE_SECTIONS:
        for key in _keys(late_model, f"{section}.", names):
            lines += _described(key, values.get(key.name, "none"))
    return lines
