"""The typed schema of course.yaml: every key has a default and a description."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from autograder.errors import GraderError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_COURSE_FILE = ROOT / "course.yaml"
RELEASED_NOTEBOOK = "fashion_mnist.ipynb"  # under release/<assignment id>/, beside course.yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Exercise(_Strict):
    title: str = Field("", description="Human title shown in feedback and reports.")
    points: float = Field(ge=0, description="Points this exercise is worth.")
    lane: int = Field(
        0,
        ge=0,
        le=3,
        description=(
            "Which of the submission's sandboxed processes probes this exercise: each lane is "
            "its own process, run beside the others when a worker is free, after them if not."
        ),
    )
    time_limit: float | None = Field(
        None, gt=0, description="Seconds this exercise may run; default: limits.exercise_seconds."
    )


class Checks(_Strict):
    callback_threshold: float = Field(
        0.85, gt=0, lt=1, description="Threshold the ThresholdCallback checks stop at."
    )
    train_until_threshold: float = Field(
        0.82,
        gt=0,
        lt=1,
        description=(
            "Accuracy train_until is asked to reach on real Fashion-MNIST: a correct one gets "
            "there in the third epoch on train_until_images images, so one run shows it both "
            "goes on below the threshold and stops at it."
        ),
    )
    train_until_images: int = Field(
        4000, ge=1000, le=60000, description="Training images given to train_until."
    )
    train_until_max_epochs: int = Field(6, ge=2, description="max_epochs given to train_until.")
    heldout_images: int = Field(
        2000, ge=100, le=10000, description="Test images the returned model is evaluated on."
    )
    heldout_accuracy: float = Field(
        0.75, gt=0, lt=1, description="Accuracy train_until's model must reach on held-out images."
    )
    train_model_images: int = Field(
        512, ge=32, le=60000, description="Images train_model is fitted on (speed, not accuracy)."
    )
    normalization_images: int = Field(
        3000, ge=1000, le=60000, description="Images normalization_effect trains on."
    )
    normalization_margin: float = Field(
        0.03, ge=0, lt=1, description="How much better normalized accuracy must be than raw."
    )


class Limits(_Strict):
    exercise_seconds: float = Field(60, gt=0, description="Default wall-clock limit per exercise.")
    submission_seconds: float = Field(
        600, gt=0, description="Wall-clock limit for a whole submission, all exercises."
    )
    memory_mb: int = Field(4096, ge=256, description="Memory limit of a submission's processes.")
    processes: int = Field(256, ge=8, description="Most processes/threads a submission may run.")
    output_kb: int = Field(
        256, ge=1, description="Output kept per submission; the rest is dropped."
    )
    disk_mb: int = Field(
        1024, ge=16, description="Most a submission may write to its scratch folder."
    )


class Assignment(_Strict):
    title: str = Field("", description="Title shown in reports.")
    total: float = Field(100, gt=0, description="Maximum score; exercise points must sum to it.")
    seed: int = Field(0, description="Seed of every random input and training run of the checks.")
    exercises: dict[str, Exercise] = Field(description="Exercise id -> its settings, in order.")
    checks: Checks = Field(default_factory=Checks, description="Thresholds and data sizes.")
    limits: Limits = Field(default_factory=Limits, description="Time and memory limits.")
    read_only_cells: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Filled by load_course, not written by hand: grade id -> source of each read-only "
            f"cell of release/<id>/{RELEASED_NOTEBOOK}; a submission runs these as released."
        ),
    )

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


class Course(_Strict):
    course: str = Field("", description="Course name shown in reports.")
    assignments: dict[str, Assignment] = Field(description="Assignment id -> its settings.")

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
    return f"{path}: {key}: {message}"


def load_course(path: Path = DEFAULT_COURSE_FILE) -> Course:
    """Read and validate course.yaml; any problem is a one-line GraderError naming the key."""
    try:
        raw = yaml.safe_load(Path(path).read_text())
    except OSError as exc:
        raise GraderError(f"cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise GraderError(f"{path}:{where} is not valid YAML") from None
    try:
        course = Course.model_validate(raw)
    except ValidationError as exc:
        raise GraderError(_describe(exc, Path(path))) from None
    return _with_released_notebooks(course, Path(path).parent)


def _with_released_notebooks(course: Course, directory: Path) -> Course:
    """``course`` with each assignment's read-only notebook cells, where its release exists."""
    from autograder.notebook_cells import read_only_cells

    assignments = {}
    for assignment_id, assignment in course.assignments.items():
        notebook = directory / "release" / assignment_id / RELEASED_NOTEBOOK
        try:
            cells = read_only_cells(notebook) if notebook.is_file() else {}
        except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds for bad files
            raise GraderError(
                f"{notebook} is not a readable notebook ({type(exc).__name__}): "
                f"run `autograder release {assignment_id}` again"
            ) from None
        assignments[assignment_id] = assignment.model_copy(update={"read_only_cells": cells})
    return course.model_copy(update={"assignments": assignments})
