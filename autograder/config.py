"""The typed schema of course.yaml: every key has a default and a description."""

from __future__ import annotations

import keyword
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from autograder.errors import GraderError
from autograder.registry import importable_from

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_COURSE_FILE = ROOT / "course.yaml"
FILLED_IN = ("id", "read_only_cells")  # Assignment keys load_course fills, not course.yaml
NOT_RELEASED = ("deadline",)  # Assignment keys no released file depends on


def _field(default: Any = ..., unit: str = "", description: str = "", **bounds: Any) -> Any:
    """A schema field with its ``unit``, shown by ``autograder config`` and in the README."""
    return Field(default, description=description, json_schema_extra={"unit": unit}, **bounds)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Exercise(_Strict):
    title: str = _field("", "text", "Title of the exercise in feedback pages and reports.")
    points: float = _field(
        unit="points",
        ge=0,
        description=(
            "What the exercise is worth: the nbgrader points of its graded cell, the points "
            "the README and the notebook quote, and the maximum of its results.json entry."
        ),
    )
    lane: int = _field(
        0,
        "lane number",
        ge=0,
        le=3,
        description=(
            "Which of the submission's sandboxed processes probes this exercise: each lane is "
            "its own process, run beside the others when a worker is free, after them if not."
        ),
    )
    time_limit: float | None = _field(
        None,
        "seconds",
        gt=0,
        description=(
            "Wall-clock time the exercise may run before it scores 0 as timed out; default: "
            "limits.exercise_seconds."
        ),
    )


class Checks(_Strict):
    callback_threshold: float = _field(
        0.85,
        "accuracy (0-1)",
        gt=0.8,
        le=0.95,
        description=(
            "Default threshold= of ThresholdCallback and train_until in the stub and the "
            "solution; the notebook, README and visible tests quote it, and the hidden checks "
            "expect a callback built with the defaults to stop at it (their epoch logs run "
            "0.6, 0.8, just below it, it, 0.95, hence above 0.8 and at most 0.95)."
        ),
    )
    train_until_threshold: float = _field(
        0.82,
        "accuracy (0-1)",
        gt=0,
        lt=1,
        description=(
            "Accuracy train_until is asked to reach on real Fashion-MNIST: a correct one gets "
            "there in the third epoch on train_until_images images, so one run shows it both "
            "goes on below the threshold and stops at it."
        ),
    )
    train_until_images: int = _field(
        4000,
        "images",
        ge=1000,
        le=60000,
        description=(
            "Training images a student's train_until is given (more: higher accuracy per "
            "epoch, slower grading)."
        ),
    )
    train_until_max_epochs: int = _field(
        6,
        "epochs",
        ge=2,
        description=(
            "max_epochs a student's train_until is given: it must stop at the threshold before it."
        ),
    )
    heldout_images: int = _field(
        2000,
        "images",
        ge=100,
        le=10000,
        description=(
            "Unseen test images the model a student's train_until returns is scored on (the "
            "feedback's confusion matrix)."
        ),
    )
    heldout_accuracy: float = _field(
        0.75,
        "accuracy (0-1)",
        gt=0,
        lt=1,
        description=(
            "Accuracy that model must reach on those held-out images for the held-out sub-check."
        ),
    )
    train_model_images: int = _field(
        512,
        "images",
        ge=32,
        le=60000,
        description=(
            "Images a student's train_model is fitted on (the check is that it trains, not how "
            "well)."
        ),
    )
    normalization_images: int = _field(
        3000,
        "images",
        ge=1000,
        le=60000,
        description="Images a student's normalization_effect trains its two models on.",
    )
    normalization_margin: float = _field(
        0.03,
        "accuracy (0-1)",
        ge=0,
        lt=1,
        description=(
            "How much higher normalization_effect's normalized accuracy must be than its raw one."
        ),
    )


class Limits(_Strict):
    exercise_seconds: float = _field(
        60,
        "seconds",
        gt=0,
        description="Wall-clock limit of an exercise without its own time_limit; past it, 0.",
    )
    submission_seconds: float = _field(
        600,
        "seconds",
        gt=0,
        description="Wall-clock limit of a whole submission; past it, what is left scores 0.",
    )
    memory_mb: int = _field(
        4096,
        "MB",
        ge=256,
        description="Memory a submission's processes may use; past it, they are stopped.",
    )
    processes: int = _field(
        256, "processes", ge=8, description="Most processes/threads a submission may run."
    )
    output_kb: int = _field(
        256, "kB", ge=1, description="Output kept per submission; the rest is dropped."
    )
    disk_mb: int = _field(
        1024, "MB", ge=16, description="Most a submission may write to its scratch folder."
    )


DUE_FIX = (
    "write it with its UTC offset (2026-12-01T23:59:00-05:00) or its time zone "
    "(2026-12-01 23:59 America/New_York)"
)


def aware_time(value: Any, key: str) -> datetime:
    """A moment with its time zone, from YAML (a timestamp, or text: ISO 8601 with an offset,
    or a date and time followed by an IANA zone name); a ValueError naming ``key`` otherwise."""
    moment: datetime | None = None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        text = value.strip()
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            when, _, zone = text.rpartition(" ")
            try:
                moment = datetime.fromisoformat(when).replace(tzinfo=ZoneInfo(zone))
            except (ValueError, ZoneInfoNotFoundError):
                raise ValueError(f"{key} '{text}' is not a date and time: {DUE_FIX}") from None
    else:
        raise ValueError(f"{key} must be a date and time: {DUE_FIX}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{key} '{value}' has no time zone: {DUE_FIX}")
    return moment


class LatePolicy(_Strict):
    penalty: float = _field(
        0,
        "points or percent",
        ge=0,
        description=(
            "What a late submission loses per started period (per), in unit; 0: no penalty "
            "until the cutoff."
        ),
    )
    per: Literal["hour", "day"] = _field(
        "day",
        "hour or day",
        description=(
            "The period penalty is counted in: every started hour or day after the due time."
        ),
    )
    unit: Literal["points", "percent"] = _field(
        "percent",
        "points or percent",
        description="penalty and cap in points, or in percent of the submission's raw score.",
    )
    cap: float | None = _field(
        None,
        "points or percent",
        ge=0,
        description="The most a late submission loses in all, in unit; none: no cap.",
    )
    cutoff_hours: float | None = _field(
        None,
        "hours",
        ge=0,
        description=(
            "Hours after the due time (with the student's extension) past which a submission "
            "is refused: it scores 0; none: never refused."
        ),
    )

    def penalty_for(self, raw: float, seconds_late: float) -> tuple[float, bool]:
        """(the penalty of a submission scoring ``raw`` and ``seconds_late`` late, whether it
        is refused): never below 0 nor above ``raw``, as nbgrader clips it."""
        if seconds_late <= 0:
            return 0.0, False
        if self.cutoff_hours is not None and seconds_late > self.cutoff_hours * 3600:
            return max(raw, 0.0), True
        periods = math.ceil(seconds_late / (3600 if self.per == "hour" else 86400) - 1e-9)
        amount = self.penalty * periods
        if self.cap is not None:
            amount = min(amount, self.cap)
        if self.unit == "percent":
            amount = raw * amount / 100
        return round(min(max(amount, 0.0), max(raw, 0.0)), 2), False


class Deadline(_Strict):
    due: datetime = _field(
        unit="date and time with its zone",
        description=(
            "When the assignment is due, with its time zone: 2026-12-01T23:59:00-05:00 or "
            "2026-12-01 23:59 America/New_York."
        ),
    )
    extensions: dict[str, float | datetime] = Field(
        default_factory=dict,
        json_schema_extra={"unit": "student: hours, or a due time"},
        description=(
            "Student id -> extra hours, or that student's own due time (with its zone); "
            "the students must be on the course's roster (students:) when it lists any."
        ),
    )
    late: LatePolicy = Field(
        default_factory=LatePolicy,
        description="What a late submission loses, or when it is refused.",
    )

    @field_validator("due", mode="before")
    @classmethod
    def _due_has_a_zone(cls, value: Any) -> datetime:
        return aware_time(value, "the due time")

    @field_validator("extensions", mode="before")
    @classmethod
    def _extensions_are_hours_or_times(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        return {
            student: (
                extra
                if isinstance(extra, int | float) and not isinstance(extra, bool)
                else aware_time(extra, f"the extension of {student}")
            )
            for student, extra in value.items()
        }

    def due_for(self, student: str) -> tuple[datetime, float]:
        """(``student``'s due time, in UTC, and the hours of their extension)."""
        due = self.due.astimezone(timezone.utc)
        extra = self.extensions.get(student)
        if extra is None:
            return due, 0.0
        if isinstance(extra, datetime):
            own = extra.astimezone(timezone.utc)
            return own, (own - due).total_seconds() / 3600
        return due + timedelta(hours=extra), float(extra)


class Assignment(_Strict):
    id: str = _field(
        "",
        "text",
        "Filled by load_course, not written by hand: the assignment's key under assignments.",
    )
    title: str = _field("", "text", "Title shown in reports.")
    module: str = _field(
        unit="Python identifier",
        description=(
            "The student's module name, a Python identifier: a submission is this name with "
            ".py (the module) or .ipynb (the notebook) added, the names release/ gives both."
        ),
    )
    total: float = _field(
        100, "points", gt=0, description="Maximum score; exercise points must sum to it."
    )
    seed: int = _field(
        0, "integer", description="Seed of every random input and training run of the checks."
    )
    package: str = _field(
        unit="Python package",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$",
        description=(
            "The package of the assignment's exercises: one folder per exercise (its probe and "
            "its judge) and the table EXERCISES of id -> folder. A package in the course "
            "folder (beside course.yaml) is found there."
        ),
    )
    exercises: dict[str, Exercise] = Field(description="Exercise id -> its settings, in order.")
    checks: Checks = Field(default_factory=Checks, description="Thresholds and data sizes.")
    limits: Limits = Field(default_factory=Limits, description="Time and memory limits.")
    deadline: Deadline | None = Field(
        None,
        description=(
            "The due time, extensions and late policy; none: no deadline (no lateness anywhere)."
        ),
    )
    read_only_cells: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Filled by load_course, not written by hand: grade id -> source of each read-only "
            "cell of release/<id>/<module>.ipynb; a submission runs these as released."
        ),
    )

    @field_validator("module")
    @classmethod
    def _module_is_an_identifier(cls, module: str) -> str:
        if not module.isidentifier() or keyword.iskeyword(module):
            raise ValueError(
                f"'{module}' is not a Python module name (letters, digits and _, not starting "
                "with a digit, not a keyword)"
            )
        return module

    @property
    def module_file(self) -> str:
        """The student's module file: ``<module>.py``."""
        return f"{self.module}.py"

    @property
    def notebook_file(self) -> str:
        """The student's notebook: ``<module>.ipynb``."""
        return f"{self.module}.ipynb"

    @property
    def submission_files(self) -> tuple[str, str]:
        """The names a submission may have, preferred in this order: the module, the notebook."""
        return self.module_file, self.notebook_file

    @model_validator(mode="after")
    def _points_sum_to_total(self) -> Assignment:
        points = sum(exercise.points for exercise in self.exercises.values())
        if abs(points - self.total) > 1e-9:
            raise ValueError(f"exercise points sum to {points:g}, not the total {self.total:g}")
        return self

    def time_limit(self, exercise_id: str) -> float:
        """Seconds ``exercise_id`` may run."""
        limit = self.exercises[exercise_id].time_limit
        return limit if limit is not None else self.limits.exercise_seconds

    def time_limit_key(self, exercise_id: str) -> str:
        """The course.yaml key that sets ``exercise_id``'s time limit."""
        if self.exercises[exercise_id].time_limit is not None:
            return f"exercises.{exercise_id}.time_limit"
        return "limits.exercise_seconds"

    def values(self) -> dict[str, Any]:
        """Every course.yaml value of this assignment by dotted key (``checks.seed``...), the
        ones left out of the file at their defaults; what a release is made with."""
        flat: dict[str, Any] = {}

        def walk(prefix: str, value: Any) -> None:
            if isinstance(value, dict):
                for key, item in value.items():
                    walk(f"{prefix}{key}.", item)
            else:
                flat[prefix[:-1]] = value

        walk("", self.model_dump(exclude={*FILLED_IN, *NOT_RELEASED}))
        return flat


class Course(_Strict):
    course: str = Field("", description="Course name shown in reports.")
    students: list[str] = Field(
        default_factory=list,
        description=(
            "The class roster (student ids); when it lists any, an extension for a student "
            "not on it is refused."
        ),
    )
    assignments: dict[str, Assignment] = Field(description="Assignment id -> its settings.")

    @model_validator(mode="after")
    def _extensions_name_students(self) -> Course:
        if not self.students:
            return self
        for assignment_id, assignment in self.assignments.items():
            extensions = assignment.deadline.extensions if assignment.deadline else {}
            for student in extensions:
                if student not in self.students:
                    raise ValueError(
                        f"assignments.{assignment_id}.deadline.extensions.{student}: no student "
                        f"'{student}' on the roster (students:): correct the id or add the "
                        "student to students"
                    )
        return self

    def assignment(self, assignment_id: str) -> Assignment:
        """The assignment ``assignment_id``, or a GraderError naming the known ones."""
        if assignment_id not in self.assignments:
            known = ", ".join(sorted(self.assignments))
            raise GraderError(f"unknown assignment '{assignment_id}' (course.yaml has: {known})")
        return self.assignments[assignment_id]


def _describe(error: ValidationError, path: Path) -> str:
    first = error.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "(top level)"
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "unknown key"
    elif first["type"] == "value_error":
        message = str(first["ctx"]["error"])
        if not first["loc"]:  # a check across keys names its own key
            return f"{path}: {message}"
    return f"{path}: {key}: {message}"


def read_yaml(path: Path) -> Any:
    """A YAML file's content; a file that cannot be read or parsed is a one-line GraderError
    (FileNotFoundError is left to the caller, which knows what the missing file should be)."""
    try:
        return yaml.safe_load(Path(path).read_text())
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise GraderError(f"cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise GraderError(f"{path}:{where} is not valid YAML") from None


def load_course(path: Path = DEFAULT_COURSE_FILE) -> Course:
    """Read and validate course.yaml; any problem is a one-line GraderError naming the key."""
    try:
        raw = read_yaml(path)
    except FileNotFoundError as exc:
        raise GraderError(f"cannot read {path}: {exc.strerror}") from None
    try:
        course = Course.model_validate(raw)
    except ValidationError as exc:
        raise GraderError(_describe(exc, Path(path))) from None
    importable_from(Path(path).parent)
    for assignment_id, assignment in (raw.get("assignments") or {}).items():
        written = [key for key in FILLED_IN if key in (assignment or {})]
        if written:
            raise GraderError(
                f"{path}: assignments.{assignment_id}.{written[0]}: filled in by the grader, "
                "not written in course.yaml"
            )
    return _filled_in(course, Path(path).parent)


def _filled_in(course: Course, directory: Path) -> Course:
    """``course`` with each assignment's id, and its read-only notebook cells where its
    release exists."""
    from autograder.notebook_cells import read_only_cells

    assignments = {}
    for assignment_id, assignment in course.assignments.items():
        notebook = directory / "release" / assignment_id / assignment.notebook_file
        try:
            cells = read_only_cells(notebook) if notebook.is_file() else {}
        except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds for bad files
            raise GraderError(
                f"{notebook} is not a readable notebook ({type(exc).__name__}): "
                f"run `autograder release {assignment_id}` again"
            ) from None
        assignments[assignment_id] = assignment.model_copy(
            update={"id": assignment_id, "read_only_cells": cells}
        )
    return course.model_copy(update={"assignments": assignments})
